package parser_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/waggle-dev/waggle/hiveql/parser"
)

// TestSyntaxErrorsSayWhereAndWhat checks the first error of malformed statements: its line:col and its
// message, which must make sense to someone who wrote the statement.
func TestSyntaxErrorsSayWhereAndWhat(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unterminated string", "SELECT 'abc", "1:8: unterminated string literal"},
		{"unterminated string on a later line", "SELECT a FROM t\n  WHERE b = 'x", "2:13: unterminated string literal"},
		{"unterminated quoted identifier", "SELECT `abc", "1:8: unterminated quoted identifier"},
		{"unterminated comment", "SELECT 1 /* unterminated comment", "1:10: unterminated comment"},
		{"missing ) of a call", "SELECT f(a", "1:11: missing ')' to close '(' at 1:9"},
		{"missing ) of a parenthesised expression", "SELECT (1 + 2", "1:14: missing ')' to close '(' at 1:8"},
		{"missing ) of a subquery, reported at its (", "SELECT a FROM (SELECT b FROM t", "1:31: missing ')' to close '(' at 1:15"},
		{"missing ) across lines", "SELECT f(a,\n  b\nFROM t", "3:1: syntax error: unexpected keyword FROM, expected ')' to close '(' at 1:9"},
		{"misspelt SELECT", "SELEC * FROM t", `1:1: syntax error: unexpected IDENT "SELEC", expected a statement (SELECT, INSERT, CREATE, ...)`},
		{"statement starting with a clause", "  WHERE b = 1", "1:3: syntax error: unexpected keyword WHERE, expected a statement (SELECT, INSERT, CREATE, ...)"},
		{"ARRAY<> without element type", "CREATE TABLE t (a ARRAY<>)", "1:19: ARRAY<> needs an element type"},
		{"ARRAY without <", "CREATE TABLE t (a ARRAY)", "1:19: ARRAY needs its type parameters: ARRAY<element type>"},
		{"ARRAY not closed", "CREATE TABLE t (a ARRAY<INT)", "1:28: syntax error: unexpected ')', expected '>' to close '<' at 1:24"},
		{"map with one type", "CREATE TABLE t (a map<int>)", "1:19: MAP needs a key and a value type: MAP<key, value>"},
		{"MAP<>", "CREATE TABLE t (a MAP<>)", "1:19: MAP<> needs a key and a value type: MAP<key, value>"},
		{"map key must be primitive", "CREATE TABLE t (a map<array<int>,int>)", "1:23: MAP key type must be a primitive type, not array<int>"},
		{"STRUCT<>", "CREATE TABLE t (a STRUCT<>)", "1:19: STRUCT<> needs at least one field"},
		{"decimal precision too large", "CREATE TABLE t (a decimal(50,2))", "1:27: DECIMAL precision 50 is out of range 1..38"},
		{"decimal scale above precision", "CREATE TABLE t (a decimal(10,20))", "1:30: DECIMAL scale 20 is greater than precision 10"},
		{"varchar without length", "CREATE TABLE t (a varchar)", "1:19: VARCHAR needs a length, e.g. VARCHAR(10)"},
		{"char too long", "CREATE TABLE t (a char(300))", "1:24: CHAR length 300 is out of range 1..255"},
		{"unknown type in CAST", "SELECT CAST(a AS strin)", `1:18: unknown type "strin"`},
		{"CAST without AS", "SELECT CAST(a INT)", "1:15: syntax error: unexpected keyword INT, expected AS in CAST(expr AS type)"},
		{"trailing garbage", "SELECT 1 FROM t garbage garbage", `1:25: syntax error: unexpected IDENT "garbage" after the end of the statement`},
		{"two statements without split", "SELECT a FROM t; SELECT b FROM t", "1:16: syntax error: unexpected ';' inside a statement"},
		{"missing table name in CREATE TABLE", "CREATE TABLE", "1:13: missing table name after CREATE TABLE"},
		{"missing table name in DROP TABLE", "DROP TABLE", "1:11: missing name after DROP TABLE"},
		{"INSERT INTO without target", "INSERT INTO", "1:12: missing table name after INSERT INTO"},
		{"INSERT INTO TABLE without target", "INSERT INTO TABLE SELECT 1", "1:19: missing table name after INSERT INTO TABLE: unexpected keyword SELECT"},
		{"INSERT without query", "INSERT OVERWRITE t2", "1:20: syntax error: unexpected end of statement, expected a query (SELECT, VALUES, ...) after the INSERT target"},
		{"column without type", "CREATE TABLE t (a)", "1:18: column a needs a type, e.g. a STRING"},
		{"first of two columns without type", "CREATE TABLE t (a, b INT)", "1:18: column a needs a type, e.g. a STRING"},
		{"unknown ALTER action", "ALTER TABLE t FROB", `1:15: unknown ALTER TABLE action IDENT "FROB" (expected RENAME TO, ADD|REPLACE COLUMNS, CHANGE, SET, UNSET, ADD|DROP PARTITION, RECOVER PARTITIONS, TOUCH or CONCATENATE)`},
		{"unknown ALTER SET action", "ALTER TABLE t SET FOO", "1:19: unknown ALTER TABLE action: SET FOO (expected SET TBLPROPERTIES, SERDE, SERDEPROPERTIES, FILEFORMAT, LOCATION or OWNER)"},
		{"ALTER without action", "ALTER TABLE t", "1:14: missing ALTER TABLE action (RENAME TO, ADD COLUMNS, SET TBLPROPERTIES, ...)"},
		{"WHERE without condition", "SELECT * FROM t WHERE", "1:22: syntax error: unexpected end of statement, expected an expression"},
		{"doubled operator", "SELECT a FROM t WHERE a = = 1", "1:27: syntax error: unexpected '=', expected an expression"},
		{"CASE without END", "SELECT CASE WHEN a THEN 1", "1:26: missing END to close CASE at 1:8"},
		{"IN without parentheses", "SELECT a FROM t WHERE a IN 1", "1:28: syntax error: unexpected number 1, expected '(' after IN"},
		{"BETWEEN without AND", "SELECT a FROM t WHERE a BETWEEN 1", "1:34: syntax error: unexpected end of statement, expected AND in BETWEEN ... AND ..."},
		{"IS followed by a number", "SELECT a IS 5 FROM t", "1:13: syntax error: unexpected number 5, expected NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS"},
		{"ORDER without BY", "SELECT a FROM t ORDER a", `1:23: syntax error: unexpected IDENT "a", expected BY after ORDER`},
		{"GROUP without BY", "SELECT a FROM t GROUP a", `1:23: syntax error: unexpected IDENT "a", expected BY after GROUP`},
		{"JOIN without table", "SELECT a FROM t JOIN", "1:21: syntax error: unexpected end of statement, expected a table name or '('"},
		{"unknown DROP object", "DROP FOO x", `1:6: syntax error: unexpected IDENT "FOO", expected TABLE, VIEW, DATABASE, FUNCTION or TEMPORARY MACRO after DROP`},
		{"LOAD DATA without TABLE", "LOAD DATA INPATH '/x' INTO t", `1:28: syntax error: unexpected IDENT "t", expected TABLE after INTO`},
		{"LOAD DATA path not quoted", "LOAD DATA INPATH x INTO TABLE t", `1:18: syntax error: unexpected IDENT "x", expected a path string after INPATH`},
		{"unknown SHOW", "SHOW BANANAS", `1:6: syntax error: unexpected IDENT "BANANAS", expected DATABASES, TABLES, VIEWS, PARTITIONS, FUNCTIONS, COLUMNS, CREATE TABLE or TBLPROPERTIES after SHOW`},
		{"DESCRIBE without name", "DESCRIBE", "1:9: syntax error: unexpected end of statement, expected a table name"},
		{"unsubstituted variable", "SELECT ${x} FROM t", "1:8: unexpected character U+0024 '$'"},
		{"LATERAL VIEW without a call", "SELECT a FROM t LATERAL VIEW x t AS c", "1:30: syntax error: LATERAL VIEW needs a table-generating function call, e.g. explode(col)"},
		{"window frame without direction", "SELECT sum(a) OVER (ROWS 1) FROM t", "1:27: syntax error: unexpected ')', expected PRECEDING or FOLLOWING"},
		{"bad binary literal", "SELECT x'0G'", "1:11: invalid character U+0047 'G' in binary literal"},
		{"view without query", "CREATE VIEW v", "1:14: syntax error: unexpected end of statement, expected AS query"},
		{"empty select list", "SELECT", "1:7: syntax error: unexpected end of statement, expected an expression"},
		{"empty statement", "-- only a comment", "1:18: syntax error: empty statement"},
		{"MERGE without WHEN", "MERGE INTO t USING s ON a = b", "1:30: syntax error: unexpected end of statement, expected WHEN [NOT] MATCHED"},
		{"unknown interval unit", "SELECT INTERVAL 1 FORTNIGHT", `1:19: syntax error: unexpected IDENT "FORTNIGHT", expected an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)`},
		{"EXPLAIN alone", "EXPLAIN", "1:8: syntax error: unexpected end of statement, expected a statement after EXPLAIN"},
		{"UNION without right side", "SELECT a FROM t UNION SELECT", "1:29: syntax error: unexpected end of statement, expected an expression"},
		{"CTE without parentheses", "WITH q AS SELECT 1 SELECT * FROM q", "1:11: syntax error: unexpected keyword SELECT, expected '(' after AS"},
		{"CTAS without AS", "CREATE TABLE t SELECT 1", "1:16: syntax error: missing AS before the query of CREATE TABLE ... AS SELECT"},
		{"mixed partition columns", "CREATE TABLE t (a INT) PARTITIONED BY (b INT, c)", "1:48: syntax error: partition column c needs a type, like the others"},
		{"PARTITION without parentheses", "INSERT INTO t PARTITION ds='1' SELECT 1", `1:25: syntax error: unexpected IDENT "ds", expected '(' after PARTITION`},
	}
	if len(tests) < 40 {
		t.Fatalf("only %d cases", len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parser.ParseStatement(tc.src)
			var list parser.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("ParseStatement(%q) error = %v, want %q", tc.src, err, tc.want)
			}
			if got := fmt.Sprintf("%d:%d: %s", list[0].Line, list[0].Col, list[0].Msg); got != tc.want {
				t.Errorf("ParseStatement(%q)\n got  %s\n want %s", tc.src, got, tc.want)
			}
		})
	}
}

func TestErrorListIsSortedWithOneErrorPerLine(t *testing.T) {
	// Two lexical errors on line 1 and one on line 2: one per line, in order.
	_, err := parser.ParseStatement("SELECT $a, $b,\n  'x")
	var list parser.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("err = %v", err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	want := []string{"1:8: unexpected character U+0024 '$'", "2:3: unterminated string literal"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("errors = %q, want %q", got, want)
	}
	if list.Error() != "1:8: unexpected character U+0024 '$' (and 1 more errors)" {
		t.Errorf("ErrorList.Error() = %q", list.Error())
	}
}
