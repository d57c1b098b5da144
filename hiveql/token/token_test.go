package token

import (
	"strings"
	"testing"
)

func TestKeywordTableIsSortedUniqueAndUpperCase(t *testing.T) {
	prev := ""
	for _, k := range Keywords() {
		name := k.String()
		if name <= prev {
			t.Errorf("keyword %q after %q: table not sorted or duplicated", name, prev)
		}
		prev = name
		if strings.Trim(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != "" {
			t.Errorf("keyword %q has characters other than A-Z and _", name)
		}
		if len(name) > maxKeywordLen {
			t.Errorf("keyword %q longer than maxKeywordLen", name)
		}
		if !k.IsKeyword() || k.IsLiteral() || k.IsOperator() {
			t.Errorf("%s: wrong class", name)
		}
	}
	if n := len(Keywords()); n < 300 {
		t.Errorf("only %d keywords", n)
	}
}

func TestLookupIgnoresCase(t *testing.T) {
	for _, k := range Keywords() {
		name := k.String()
		for _, w := range []string{name, strings.ToLower(name), strings.ToUpper(name[:1]) + strings.ToLower(name[1:])} {
			if got := Lookup(w); got != k {
				t.Errorf("Lookup(%q) = %v, want %v", w, got, k)
			}
		}
	}
}

func TestLookupNonKeywordsAreIdent(t *testing.T) {
	for _, w := range []string{"", "selectx", "xselect", "sel", "_c0", "a1", "1a", "séléct", "SELECT1",
		strings.Repeat("A", 40), "current_timestamp_", "utc_timestamp"} {
		if got := Lookup(w); got != IDENT {
			t.Errorf("Lookup(%q) = %v, want IDENT", w, got)
		}
	}
}

func TestLookupDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { Lookup("Select"); Lookup("column_name") }); n != 0 {
		t.Errorf("Lookup allocates %v times", n)
	}
}

// The keyword list of the task brief: each must be a keyword.
func TestBriefKeywordsAreKeywords(t *testing.T) {
	const list = `SELECT FROM WHERE GROUP BY HAVING ORDER SORT CLUSTER DISTRIBUTE LIMIT OFFSET UNION ALL DISTINCT
	INTERSECT EXCEPT MINUS INSERT OVERWRITE INTO TABLE TABLES VALUES CREATE DROP ALTER TRUNCATE DATABASE SCHEMA
	DATABASES SCHEMAS EXTERNAL TEMPORARY VIEW FUNCTION MACRO IF NOT EXISTS AS ON USING JOIN INNER LEFT RIGHT FULL
	OUTER SEMI ANTI CROSS LATERAL CASE WHEN THEN ELSE END AND OR IN IS NULL TRUE FALSE LIKE RLIKE REGEXP BETWEEN
	CAST INTERVAL PARTITION PARTITIONED PARTITIONS CLUSTERED SORTED BUCKETS SKEWED STORED ROW FORMAT DELIMITED
	FIELDS TERMINATED ESCAPED COLLECTION ITEMS MAP KEYS LINES SERDE SERDEPROPERTIES WITH LOCATION TBLPROPERTIES
	DBPROPERTIES COMMENT LOAD DATA LOCAL INPATH DIRECTORY OVER WINDOW ROWS RANGE UNBOUNDED PRECEDING FOLLOWING
	CURRENT ASC DESC NULLS FIRST LAST ROLLUP CUBE GROUPING SETS SET RESET ADD REPLACE RENAME TO COLUMNS COLUMN
	CHANGE CASCADE RESTRICT PURGE SHOW DESCRIBE EXPLAIN EXTENDED FORMATTED USE ARRAY STRUCT UNIONTYPE INT
	INTEGER BIGINT SMALLINT TINYINT BOOLEAN FLOAT DOUBLE DECIMAL NUMERIC STRING CHAR VARCHAR DATE TIMESTAMP
	BINARY MSCK REPAIR RECOVER TOUCH CONCATENATE FILEFORMAT INPUTFORMAT OUTPUTFORMAT UPDATE DELETE MERGE MATCHED
	QUALIFY TABLESAMPLE BUCKET OUT OF PERCENT EXTRACT ANALYZE COMPUTE STATISTICS FOR JAR FILE ARCHIVE LIST
	SOURCE RELOAD MANAGEDLOCATION PRIMARY FOREIGN KEY REFERENCES CONSTRAINT UNIQUE DISABLE ENABLE NOVALIDATE
	RELY NORELY DEFAULT OPTIONS ANY SOME DIV`
	for _, w := range strings.Fields(list) {
		if k := Lookup(w); !k.IsKeyword() || k.String() != w {
			t.Errorf("Lookup(%q) = %v, want keyword %s", w, k, w)
		}
	}
}

// Hive 3.1's reserved keywords (hive.support.sql11.reserved.keywords=true).
const hiveReserved = `ALL ALTER AND ARRAY AS AUTHORIZATION BETWEEN BIGINT BINARY BOOLEAN BOTH BY CASE CAST CHAR
COLUMN CONF CREATE CROSS CUBE CURRENT CURRENT_DATE CURRENT_TIMESTAMP CURSOR DATABASE DATE DECIMAL DELETE
DESCRIBE DISTINCT DOUBLE DROP ELSE END EXCHANGE EXISTS EXTENDED EXTERNAL FALSE FETCH FLOAT FOLLOWING
FOR FROM FULL FUNCTION GRANT GROUP GROUPING HAVING IF IMPORT IN INNER INSERT INT INTERSECT INTERVAL
INTO IS JOIN LATERAL LEFT LESS LIKE LOCAL MACRO MAP MORE NONE NOT NULL OF ON OR ORDER OUT OUTER
OVER PARTIALSCAN PARTITION PERCENT PRECEDING PRESERVE PROCEDURE RANGE READS REDUCE REVOKE RIGHT ROLLUP
ROW ROWS SELECT SET SMALLINT TABLE TABLESAMPLE THEN TIMESTAMP TO TRANSFORM TRIGGER TRUE TRUNCATE
UNBOUNDED UNION UNIQUEJOIN UPDATE USER USING UTC_TMESTAMP VALUES VARCHAR WHEN WHERE WINDOW WITH COMMIT
ONLY REGEXP RLIKE ROLLBACK START CACHE CONSTRAINT FOREIGN PRIMARY REFERENCES DAYOFWEEK EXTRACT FLOOR
INTEGER PRECISION VIEWS TIME NUMERIC SYNC`

func TestIsReservedIsExactlyHive31ReservedList(t *testing.T) {
	want := map[Token]bool{}
	for _, w := range strings.Fields(hiveReserved) {
		k := Lookup(w)
		if !k.IsKeyword() {
			t.Fatalf("reserved word %q is not a keyword", w)
		}
		want[k] = true
	}
	for _, k := range Keywords() {
		if k.IsReserved() != want[k] {
			t.Errorf("%s.IsReserved() = %v, want %v", k, k.IsReserved(), want[k])
		}
	}
	for _, tok := range []Token{IDENT, QUOTED_IDENT, STRING, EQ, ILLEGAL, EOF} {
		if tok.IsReserved() {
			t.Errorf("%v.IsReserved() = true", tok)
		}
	}
}

func TestCanBeIdentifier(t *testing.T) {
	names := `date timestamp user time year month day hour minute second key value comment data location format
	file function map values array struct offset if transform desc asc first last table type string int
	current_date rows range set replace view`
	for _, w := range strings.Fields(names) {
		if !Lookup(w).CanBeIdentifier() {
			t.Errorf("%q cannot be an identifier; real scripts use it as a column name", w)
		}
	}
	clause := `select from where group by order having limit join on union and or not case when then else end as
	in is null true false like rlike regexp between distinct all left right full inner outer cross semi anti
	lateral over partition window with using sort cluster distribute cast interval exists div qualify
	tablesample intersect except minus natural uniquejoin`
	for _, w := range strings.Fields(clause) {
		if Lookup(w).CanBeIdentifier() {
			t.Errorf("%q can be an identifier; it must stay a clause word", w)
		}
	}
	for _, tc := range []struct {
		tok  Token
		want bool
	}{{IDENT, true}, {QUOTED_IDENT, true}, {STRING, false}, {INTEGER, false}, {LPAREN, false}, {EOF, false}, {ILLEGAL, false}} {
		if got := tc.tok.CanBeIdentifier(); got != tc.want {
			t.Errorf("%v.CanBeIdentifier() = %v, want %v", tc.tok, got, tc.want)
		}
	}
}

func TestCanBeAliasExcludesWordsThatContinueTheConstruct(t *testing.T) {
	for _, tc := range []struct {
		word string
		want bool
	}{
		{"x", true}, {"date", true}, {"user", true}, {"value", true},
		{"offset", false}, {"insert", false}, {"map", false}, {"reduce", false}, {"escape", false},
		{"asc", false}, {"desc", false}, {"nulls", false}, {"rows", false}, {"range", false},
		{"select", false}, {"where", false}, {"from", false}, {"join", false},
	} {
		if got := Lookup(tc.word).CanBeAlias(); got != tc.want {
			t.Errorf("%q.CanBeAlias() = %v, want %v", tc.word, got, tc.want)
		}
	}
	if !QUOTED_IDENT.CanBeAlias() || STRING.CanBeAlias() {
		t.Error("QUOTED_IDENT must be an alias, STRING not")
	}
}

func TestNumberSuffix(t *testing.T) {
	for _, tc := range []struct{ lit, digits, suffix string }{
		{"10", "10", ""},
		{"10Y", "10", "Y"}, {"10y", "10", "Y"},
		{"10S", "10", "S"}, {"10s", "10", "S"},
		{"10L", "10", "L"}, {"10l", "10", "L"},
		{"1.5BD", "1.5", "BD"}, {"1bd", "1", "BD"}, {"1.Bd", "1.", "BD"},
		{"1D", "1", "D"}, {"1.5d", "1.5", "D"}, {"1e3D", "1e3", "D"},
		{"2F", "2", "F"}, {"2.5f", "2.5", "F"},
		{"1e3", "1e3", ""}, {"1.5e-3", "1.5e-3", ""}, {".5", ".5", ""}, {"1.", "1.", ""},
		{"D", "D", ""}, {"", "", ""},
	} {
		d, s := NumberSuffix(tc.lit)
		if d != tc.digits || s != tc.suffix {
			t.Errorf("NumberSuffix(%q) = %q, %q; want %q, %q", tc.lit, d, s, tc.digits, tc.suffix)
		}
	}
}

func TestTokenString(t *testing.T) {
	for _, tc := range []struct {
		tok  Token
		want string
	}{
		{ILLEGAL, "ILLEGAL"}, {EOF, "EOF"}, {HINT, "HINT"}, {IDENT, "IDENT"}, {QUOTED_IDENT, "QUOTED_IDENT"},
		{STRING, "STRING"}, {KW_STRING, "STRING"}, {NSEQ, "<=>"}, {NEQ, "!="}, {ARROW, "->"}, {CONCAT, "||"},
		{KW_SELECT, "SELECT"}, {KW_UTC_TMESTAMP, "UTC_TMESTAMP"}, {KW_ZONE, "ZONE"}, {KW_ABORT, "ABORT"},
		{Token(-3), "token(-3)"}, {keywordEnd, "token(" + itoa(int(keywordEnd)) + ")"},
	} {
		if got := tc.tok.String(); got != tc.want {
			t.Errorf("Token(%d).String() = %q, want %q", int(tc.tok), got, tc.want)
		}
	}
	for tok := ILLEGAL; tok < operatorEnd; tok++ {
		if tok == literalBeg || tok == literalEnd || tok == operatorBeg {
			continue
		}
		if strings.HasPrefix(tok.String(), "token(") {
			t.Errorf("token %d has no name", int(tok))
		}
	}
}

func TestTokenClasses(t *testing.T) {
	for _, tc := range []struct {
		tok                    Token
		literal, operator, key bool
	}{
		{IDENT, true, false, false}, {BINARY, true, false, false}, {PLUS, false, true, false},
		{AT, false, true, false}, {KW_SELECT, false, false, true}, {COMMENT, false, false, false},
		{EOF, false, false, false},
	} {
		if tc.tok.IsLiteral() != tc.literal || tc.tok.IsOperator() != tc.operator || tc.tok.IsKeyword() != tc.key {
			t.Errorf("%v: literal/operator/keyword = %v/%v/%v, want %v/%v/%v", tc.tok,
				tc.tok.IsLiteral(), tc.tok.IsOperator(), tc.tok.IsKeyword(), tc.literal, tc.operator, tc.key)
		}
	}
}
