package script

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func texts(stmts []Statement) []string {
	out := []string{}
	for _, s := range stmts {
		out = append(out, s.Text)
	}
	return out
}

func TestSplitTexts(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"semicolon ends a statement", "select 1; select 2;", []string{"select 1", "select 2"}},
		{"last statement needs no semicolon", "select 1;\nselect 2\n", []string{"select 1", "select 2"}},
		{"empty statements are skipped", ";; ;\n;select 1;;", []string{"select 1"}},
		{"comment-only statements are skipped", "-- a;\n/* b; */ ;select 1; -- tail\n", []string{"select 1"}},
		{"empty input has no statements", "", []string{}},
		{"semicolon in single quotes", "select 'a;b'; x", []string{"select 'a;b'", "x"}},
		{"semicolon in double quotes", `select "a;b"; x`, []string{`select "a;b"`, "x"}},
		{"backslash-escaped quote does not end a string", `select 'it\'s;'; x`, []string{`select 'it\'s;'`, "x"}},
		{"escaped backslash before quote ends a string", `select '\\'; x`, []string{`select '\\'`, "x"}},
		{"escaped double quote", `select "a\";b"; x`, []string{`select "a\";b"`, "x"}},
		{"other quote kind inside a string", `select "it's;"; x`, []string{`select "it's;"`, "x"}},
		{"semicolon in backquotes", "select `a;b` from t; x", []string{"select `a;b` from t", "x"}},
		{"doubled backquote is an escaped backquote", "select `a``;b`; x", []string{"select `a``;b`", "x"}},
		{"backslash does not escape in backquotes", "select `a\\`; x", []string{"select `a\\`", "x"}},
		{"semicolon in line comment", "select 1 -- no; split\nfrom t; x", []string{"select 1 -- no; split\nfrom t", "x"}},
		{"semicolon in block comment", "select /* a; b */ 1; x", []string{"select /* a; b */ 1", "x"}},
		{"block comments do not nest", "select /* /* */ 1; x */", []string{"select /* /* */ 1", "x */"}},
		{"comment markers inside strings are text", "select '--;', '/*;'; x", []string{"select '--;', '/*;'", "x"}},
		{"quotes inside comments are ignored", "select 1 -- it's\n; x", []string{"select 1", "x"}},
		{"leading comments are not part of the text", "-- header\n/* c */  select 1;", []string{"select 1"}},
		{"trailing comments before the semicolon are not part of the text", "select 1 /* c */ -- d\n ;", []string{"select 1"}},
		{"inner comments are kept verbatim", "select /*+ MAPJOIN(b) */ a\n-- note\nfrom t;", []string{"select /*+ MAPJOIN(b) */ a\n-- note\nfrom t"}},
		{"minus minus inside an expression starts a comment", "select 1--2;\n3;", []string{"select 1--2;\n3"}},
		{"single minus and slash are text", "select 4-1/2; x", []string{"select 4-1/2", "x"}},
		{"CRLF line endings are trimmed", "select 1\r\n;\r\nselect 2\r\n", []string{"select 1", "select 2"}},
		{"CLI commands split like statements", "!ls -l;dfs -ls /x;source x.sql;set a=b;", []string{"!ls -l", "dfs -ls /x", "source x.sql", "set a=b"}},
		{"byte order mark is white space", "\uFEFFselect 1;", []string{"select 1"}},
		{"non-ASCII text", "select 'é;ü' from ţ;", []string{"select 'é;ü' from ţ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := Split("f.sql", tt.src)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := texts(stmts); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			checkStatements(t, tt.src, stmts)
		})
	}
}

// checkStatements verifies the invariants of Split's result.
func checkStatements(t *testing.T, src string, stmts []Statement) {
	t.Helper()
	file := ""
	if len(stmts) > 0 {
		file = stmts[0].File
	}
	lt := NewSource(file, src)
	prevEnd := -1
	for i, st := range stmts {
		if st.Index != i {
			t.Errorf("statement %d has Index %d", i, st.Index)
		}
		if st.Offset < 0 || st.End > len(src) || st.Offset > st.End || src[st.Offset:st.End] != st.Text {
			t.Fatalf("statement %d: Text %q is not src[%d:%d]", i, st.Text, st.Offset, st.End)
		}
		if st.Text == "" {
			t.Errorf("statement %d is empty", i)
		}
		if st.Offset <= prevEnd {
			t.Errorf("statement %d at %d does not follow the previous one ending at %d", i, st.Offset, prevEnd)
		}
		prevEnd = st.End
		if p := lt.Position(st.Offset); p != st.Pos() {
			t.Errorf("statement %d: Pos %v, line table says %v", i, st.Pos(), p)
		}
	}
}

func TestSplitPositions(t *testing.T) {
	type lc struct{ Line, Col int }
	tests := []struct {
		name string
		src  string
		want []lc
	}{
		{"first statement at 1:1", "select 1;", []lc{{1, 1}}},
		{"columns count from after the semicolon", "select 1;  select 2;", []lc{{1, 1}, {1, 12}}},
		{"next line", "a;\nb;", []lc{{1, 1}, {2, 1}}},
		{"after a multi-line block comment", "/* one\ntwo\nthree */ a;\n  b;", []lc{{3, 10}, {4, 3}}},
		{"after line comments", "-- x\n-- y\n\tz;", []lc{{3, 2}}},
		{"CRLF line endings", "a;\r\n\r\n  b;\r\nc;", []lc{{1, 1}, {3, 3}, {4, 1}}},
		{"columns count characters, not bytes", "select 'ééé'; b;", []lc{{1, 1}, {1, 15}}},
		{"lone CR is not a line break", "a;\r b;", []lc{{1, 1}, {1, 5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := Split("", tt.src)
			if err != nil {
				t.Fatal(err)
			}
			var got []lc
			for _, s := range stmts {
				got = append(got, lc{s.Line, s.Col})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSplitUnterminated(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []string
		wantErr string
	}{
		{"unterminated single quote", "select 1;\nselect 'abc;\ndef  \n", []string{"select 1", "select 'abc;\ndef"}, "f.sql:2:8: unterminated string (missing closing ')"},
		{"unterminated double quote", `x; select "a\"`, []string{"x", `select "a\"`}, `f.sql:1:11: unterminated string (missing closing ")`},
		{"backslash at end of string", `select 'a\`, []string{`select 'a\`}, "f.sql:1:8: unterminated string (missing closing ')"},
		{"unterminated backquote", "select `a", []string{"select `a"}, "f.sql:1:8: unterminated quoted identifier (missing closing `)"},
		{"unterminated block comment keeps the statement", "select 1 /* ;\n\n", []string{"select 1"}, "f.sql:1:10: unterminated /* comment"},
		{"unterminated block comment alone", "a;\n  /* x", []string{"a"}, "f.sql:2:3: unterminated /* comment"},
		{"line comment at end of file is fine", "a -- x", []string{"a"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := Split("f.sql", tt.src)
			if got := texts(stmts); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			checkStatements(t, tt.src, stmts)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *Error", err)
			}
			if err.Error() != tt.wantErr {
				t.Fatalf("error %q, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestSourcePosition(t *testing.T) {
	src := "ab\r\nçd\n\nx"
	tests := []struct {
		name string
		off  int
		want string
	}{
		{"start of file", 0, "f:1:1"},
		{"CR belongs to the line it ends", 2, "f:1:3"},
		{"start of second line", 4, "f:2:1"},
		{"after a two-byte character", 6, "f:2:2"},
		{"empty line", 8, "f:3:1"},
		{"last line", 9, "f:4:1"},
		{"end of file", 10, "f:4:2"},
		{"negative offset clamps to start", -5, "f:1:1"},
		{"offset past the end clamps to end", 99, "f:4:2"},
	}
	s := NewSource("f", src)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Position(tt.off).String(); got != tt.want {
				t.Fatalf("Position(%d) = %s, want %s", tt.off, got, tt.want)
			}
		})
	}
	if s.LineCount() != 4 {
		t.Errorf("LineCount = %d, want 4", s.LineCount())
	}
}

func TestPositionString(t *testing.T) {
	tests := []struct {
		name string
		p    Position
		want string
	}{
		{"with file", Position{File: "a.sql", Line: 3, Col: 7}, "a.sql:3:7"},
		{"without file", Position{Line: 3, Col: 7}, "3:7"},
		{"invalid", Position{}, "-"},
		{"invalid with file", Position{File: "a.sql"}, "a.sql"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.String(); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStatementPositionAtMatchesLineTable(t *testing.T) {
	src := "-- c\r\n  select 'é',\r\n\tb /* x\ny */ from t;\n z"
	stmts, err := Split("f", src)
	if err != nil {
		t.Fatal(err)
	}
	lt := NewSource("f", src)
	for _, st := range stmts {
		for off := 0; off <= len(st.Text); off++ {
			if got, want := st.PositionAt(off), lt.Position(st.Offset+off); got != want {
				t.Fatalf("statement %d offset %d: PositionAt %v, line table %v", st.Index, off, got, want)
			}
		}
	}
}

const seedPath = "../../shared/seed/set-of-hive-queries.sql"

func readSeed(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile(seedPath)
	if err != nil {
		tb.Skipf("seed script not available: %v", err)
	}
	return string(b)
}

func readSeedNoSkip() string {
	b, _ := os.ReadFile(seedPath)
	return string(b)
}

func TestSplitSeedScript(t *testing.T) {
	src := readSeed(t)
	stmts, err := Split("set-of-hive-queries.sql", src)
	if err != nil {
		t.Fatal(err)
	}
	checkStatements(t, src, stmts)
	// Line of each statement's first character, and the first word.
	want := []struct {
		line  int
		start string
	}{
		{9, "CREATE DATABASE"}, {10, "USE"}, {13, "DROP TABLE"}, {14, "CREATE TABLE"}, {15, "LOAD DATA"},
		{16, "SELECT"}, {19, "ALTER TABLE"}, {21, "INSERT INTO"}, {22, "SELECT"}, {24, "CREATE TEMPORARY"},
		{25, "SELECT"}, {27, "DROP TABLE"}, {28, "CREATE TABLE ctas_testtable \nAS\nSELECT * FROM testtable"},
		{31, "SELECT"}, {33, "CREATE EXTERNAL"}, {51, "SELECT count(*)"},
	}
	if len(stmts) != len(want) {
		t.Fatalf("got %d statements, want %d:\n%s", len(stmts), len(want), strings.Join(texts(stmts), "\n---\n"))
	}
	for i, w := range want {
		if stmts[i].Line != w.line || stmts[i].Col != 1 || !strings.HasPrefix(stmts[i].Text, w.start) {
			t.Errorf("statement %d at %d:%d %q, want line %d starting %q", i, stmts[i].Line, stmts[i].Col, stmts[i].Text, w.line, w.start)
		}
	}
	if last := stmts[14].Text; !strings.HasSuffix(last, "LOCATION 's3://${S3Bucket}/app_code/data/toy/'") {
		t.Errorf("external table statement ends %q", last[len(last)-40:])
	}
}
