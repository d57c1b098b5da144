package scanner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/waggle-dev/waggle/hiveql/token"
)

type tk struct {
	tok token.Token
	lit string
}

func (t tk) String() string { return fmt.Sprintf("%v %q", t.tok, t.lit) }

// scanAll scans src to EOF and returns tokens (without EOF) and errors as "off: msg".
func scanAll(src string, mode Mode) (toks []tk, errs []string) {
	var s Scanner
	s.Init(src, func(pos token.Pos, msg string) { errs = append(errs, fmt.Sprintf("%d: %s", pos, msg)) }, mode)
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return toks, errs
		}
		toks = append(toks, tk{tok, lit})
	}
}

func sameToks(a, b []tk) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTokenStreams(t *testing.T) {
	id := func(s string) tk { return tk{token.IDENT, s} }
	kw := func(s string) tk { return tk{token.Lookup(s), s} }
	op := func(tok token.Token, s string) tk { return tk{tok, s} }
	for _, tc := range []struct {
		name, src string
		want      []tk
	}{
		{"empty source has no tokens", "", nil},
		{"whitespace only", " \t\r\n\f", nil},
		{"keywords keep their spelling in lit", "Select FROM wHeRe", []tk{kw("Select"), kw("FROM"), kw("wHeRe")}},
		{"identifiers", "a _c0 a1 a_b é1", []tk{id("a"), id("_c0"), id("a1"), id("a_b"), id("é1")}},
		{"digits-first identifier", "1a 1_000 123abc", []tk{id("1a"), id("1_000"), id("123abc")}},
		{"integers", "0 10 007", []tk{{token.INTEGER, "0"}, {token.INTEGER, "10"}, {token.INTEGER, "007"}}},
		{"integer suffixes any case", "10Y 10S 10L 10y 10s 10l", []tk{{token.INTEGER, "10Y"}, {token.INTEGER, "10S"},
			{token.INTEGER, "10L"}, {token.INTEGER, "10y"}, {token.INTEGER, "10s"}, {token.INTEGER, "10l"}}},
		{"decimal and float forms", "1.5 .5 1. 1e3 1E3 1.5e-3 1e+3 1.e2", []tk{{token.NUMBER, "1.5"}, {token.NUMBER, ".5"},
			{token.NUMBER, "1."}, {token.NUMBER, "1e3"}, {token.NUMBER, "1E3"}, {token.NUMBER, "1.5e-3"},
			{token.NUMBER, "1e+3"}, {token.NUMBER, "1.e2"}}},
		{"number suffixes BD D F", "1BD 1.5bd 1D 1.5d 2F 1e3D", []tk{{token.NUMBER, "1BD"}, {token.NUMBER, "1.5bd"},
			{token.NUMBER, "1D"}, {token.NUMBER, "1.5d"}, {token.NUMBER, "2F"}, {token.NUMBER, "1e3D"}}},
		{"suffix followed by letters makes a digits-first identifier", "10Lx 1BDa 1e3x 1Dx",
			[]tk{id("10Lx"), id("1BDa"), id("1e3x"), id("1Dx")}},
		{"integer suffix not allowed on decimals", "1.5L", []tk{{token.NUMBER, "1.5"}, id("L")}},
		{"number with dot then letters splits", "1.5x", []tk{{token.NUMBER, "1.5"}, id("x")}},
		{"signed exponent beats shorter identifier", "1e-3x", []tk{{token.NUMBER, "1e-3"}, id("x")}},
		{"e without digits is an identifier", "1e 1e+", []tk{id("1e"), id("1e"), op(token.PLUS, "+")}},
		{"qualified name", "t.c db.t.`c`", []tk{id("t"), op(token.DOT, "."), id("c"), id("db"), op(token.DOT, "."),
			id("t"), op(token.DOT, "."), {token.QUOTED_IDENT, "`c`"}}},
		{"negative number is minus then number", "-1", []tk{op(token.MINUS, "-"), {token.INTEGER, "1"}}},
		{"strings are raw", `'a' "b" 'it\'s' "say \"hi\"" '\\'`, []tk{{token.STRING, "'a'"}, {token.STRING, `"b"`},
			{token.STRING, `'it\'s'`}, {token.STRING, `"say \"hi\""`}, {token.STRING, `'\\'`}}},
		{"other quote inside string", `'a"b' "a'b"`, []tk{{token.STRING, `'a"b'`}, {token.STRING, `"a'b"`}}},
		{"doubled quote is two strings", `'a''b'`, []tk{{token.STRING, "'a'"}, {token.STRING, "'b'"}}},
		{"string spans lines", "'a\nb'", []tk{{token.STRING, "'a\nb'"}}},
		{"quoted identifiers", "`a` `a``b` `select` `a b.c`", []tk{{token.QUOTED_IDENT, "`a`"},
			{token.QUOTED_IDENT, "`a``b`"}, {token.QUOTED_IDENT, "`select`"}, {token.QUOTED_IDENT, "`a b.c`"}}},
		{"binary literal", "X'0A1B' x'ff' X''", []tk{{token.BINARY, "X'0A1B'"}, {token.BINARY, "x'ff'"}, {token.BINARY, "X''"}}},
		{"x alone is an identifier", "x X 'a'", []tk{id("x"), id("X"), {token.STRING, "'a'"}}},
		{"arithmetic and bit operators", "+ - * / % & | ^ ~ !", []tk{op(token.PLUS, "+"), op(token.MINUS, "-"),
			op(token.STAR, "*"), op(token.DIVIDE, "/"), op(token.MOD, "%"), op(token.AMPERSAND, "&"), op(token.PIPE, "|"),
			op(token.CARET, "^"), op(token.TILDE, "~"), op(token.BANG, "!")}},
		{"comparison operators", "= == <=> != <> < <= > >=", []tk{op(token.EQ, "="), op(token.EQ, "=="),
			op(token.NSEQ, "<=>"), op(token.NEQ, "!="), op(token.NEQ, "<>"), op(token.LT, "<"), op(token.LE, "<="),
			op(token.GT, ">"), op(token.GE, ">=")}},
		{"longest match without spaces", "a<=>b<=c<d>=e>f<>g!=h==i", []tk{id("a"), op(token.NSEQ, "<=>"), id("b"),
			op(token.LE, "<="), id("c"), op(token.LT, "<"), id("d"), op(token.GE, ">="), id("e"), op(token.GT, ">"),
			id("f"), op(token.NEQ, "<>"), id("g"), op(token.NEQ, "!="), id("h"), op(token.EQ, "=="), id("i")}},
		{"logical and lambda operators", "|| && -> => ||| <==", []tk{op(token.CONCAT, "||"), op(token.ANDAND, "&&"),
			op(token.ARROW, "->"), op(token.FATARROW, "=>"), op(token.CONCAT, "||"), op(token.PIPE, "|"),
			op(token.LE, "<="), op(token.EQ, "=")}},
		{"punctuation", "()[]{},;.:?@", []tk{op(token.LPAREN, "("), op(token.RPAREN, ")"), op(token.LBRACK, "["),
			op(token.RBRACK, "]"), op(token.LBRACE, "{"), op(token.RBRACE, "}"), op(token.COMMA, ","),
			op(token.SEMICOLON, ";"), op(token.DOT, "."), op(token.COLON, ":"), op(token.QUESTION, "?"), op(token.AT, "@")}},
		{"line comment skipped", "a -- c\nb--x", []tk{id("a"), id("b")}},
		{"block comment skipped", "a /* x\n y */ b /**/ c", []tk{id("a"), id("b"), id("c")}},
		{"block comments do not nest", "/* a /* b */ c */", []tk{id("c"), op(token.STAR, "*"), op(token.DIVIDE, "/")}},
		{"hint always returned with inner text", "select /*+ MAPJOIN(b) */ 1", []tk{kw("select"),
			{token.HINT, " MAPJOIN(b) "}, {token.INTEGER, "1"}}},
		{"empty hint", "/*+*/", []tk{{token.HINT, ""}}},
		{"minus minus is always a comment", "1--1", []tk{{token.INTEGER, "1"}}},
		{"byte order mark skipped", "\uFEFFselect", []tk{kw("select")}},
		{"array and map access", "a[0]['k']", []tk{id("a"), op(token.LBRACK, "["), {token.INTEGER, "0"},
			op(token.RBRACK, "]"), op(token.LBRACK, "["), {token.STRING, "'k'"}, op(token.RBRACK, "]")}},
		{"complex type", "array<map<string,int>>", []tk{kw("array"), op(token.LT, "<"), kw("map"), op(token.LT, "<"),
			kw("string"), op(token.COMMA, ","), kw("int"), op(token.GT, ">"), op(token.GT, ">")}},
		{"div keyword", "7 DIV 2", []tk{{token.INTEGER, "7"}, kw("DIV"), {token.INTEGER, "2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := scanAll(tc.src, 0)
			if len(errs) > 0 {
				t.Errorf("unexpected errors %v", errs)
			}
			if !sameToks(got, tc.want) {
				t.Errorf("scan %q\n got %v\nwant %v", tc.src, got, tc.want)
			}
		})
	}
}

func TestScanCommentsModeReturnsComments(t *testing.T) {
	got, _ := scanAll("a -- one\r\n/* two\n */b", ScanComments)
	want := []tk{{token.IDENT, "a"}, {token.COMMENT, "-- one"}, {token.COMMENT, "/* two\n */"}, {token.IDENT, "b"}}
	if !sameToks(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestErrorsHavePositionAndMessage(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []tk
		errs      []string
	}{
		{"dollar is illegal and scanning continues", "a $ b", []tk{{token.IDENT, "a"}, {token.ILLEGAL, "$"},
			{token.IDENT, "b"}}, []string{"2: unexpected character U+0024 '$'"}},
		{"unsubstituted variable", "${x}", []tk{{token.ILLEGAL, "$"}, {token.LBRACE, "{"}, {token.IDENT, "x"},
			{token.RBRACE, "}"}}, []string{"0: unexpected character U+0024 '$'"}},
		{"other illegal characters", "#\\\x00", []tk{{token.ILLEGAL, "#"}, {token.ILLEGAL, "\\"}, {token.ILLEGAL, "\x00"}},
			[]string{"0: unexpected character U+0023 '#'", "1: unexpected character U+005C '\\'", "2: unexpected character U+0000"}},
		{"non-letter unicode is illegal", "a\u00a0b", []tk{{token.IDENT, "a"}, {token.ILLEGAL, "\u00a0"}, {token.IDENT, "b"}},
			[]string{"1: unexpected character U+00A0"}},
		{"invalid utf-8", "a\xffb", []tk{{token.IDENT, "a"}, {token.ILLEGAL, "\xff"}, {token.IDENT, "b"}},
			[]string{"1: invalid UTF-8 encoding"}},
		{"unterminated single-quoted string reported at its quote", "x 'abc", []tk{{token.IDENT, "x"},
			{token.STRING, "'abc"}}, []string{"2: string literal not terminated"}},
		{"unterminated double-quoted string", `"ab\"`, []tk{{token.STRING, `"ab\"`}}, []string{"0: string literal not terminated"}},
		{"backslash at end of string", `'\`, []tk{{token.STRING, `'\`}}, []string{"0: string literal not terminated"}},
		{"unterminated quoted identifier", "a `b``", []tk{{token.IDENT, "a"}, {token.QUOTED_IDENT, "`b``"}},
			[]string{"2: quoted identifier not terminated"}},
		{"unterminated comment reported at its start", "a /* b", []tk{{token.IDENT, "a"}},
			[]string{"2: comment not terminated"}},
		{"unterminated hint", "/*+ x", []tk{{token.HINT, " x"}}, []string{"0: comment not terminated"}},
		{"bad binary digit", "X'0G'", []tk{{token.BINARY, "X'0G'"}}, []string{"3: invalid character U+0047 'G' in binary literal"}},
		{"unterminated binary", "X'0a", []tk{{token.BINARY, "X'0a"}}, []string{"0: binary literal not terminated"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := scanAll(tc.src, 0)
			if !sameToks(got, tc.want) {
				t.Errorf("tokens: got %v, want %v", got, tc.want)
			}
			if strings.Join(errs, "|") != strings.Join(tc.errs, "|") {
				t.Errorf("errors: got %q, want %q", errs, tc.errs)
			}
		})
	}
}

func TestErrorCountCountsAllErrors(t *testing.T) {
	var s Scanner
	s.Init("$ # 'x", nil, 0)
	for {
		if _, tok, _ := s.Scan(); tok == token.EOF {
			break
		}
	}
	if s.ErrorCount != 3 {
		t.Errorf("ErrorCount = %d, want 3", s.ErrorCount)
	}
}

func TestPositionsResolveToLineAndColumn(t *testing.T) {
	src := "SELECT 'multi\nline' AS s, /* a\n comment */ x\n  -- note\n\tFROM `t`;\n"
	var s Scanner
	s.Init(src, nil, ScanComments)
	f := token.NewFile("q.sql", src)
	var got []string
	for {
		pos, tok, _ := s.Scan()
		got = append(got, fmt.Sprintf("%v@%s", tok, f.Position(pos)))
		if tok == token.EOF {
			break
		}
	}
	want := []string{"SELECT@q.sql:1:1", "STRING@q.sql:1:8", "AS@q.sql:2:7", "IDENT@q.sql:2:10", ",@q.sql:2:11",
		"COMMENT@q.sql:2:13", "IDENT@q.sql:3:13", "COMMENT@q.sql:4:3", "FROM@q.sql:5:2", "QUOTED_IDENT@q.sql:5:7",
		";@q.sql:5:10", "EOF@q.sql:6:1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestErrorPositionResolvesToLineAndColumn(t *testing.T) {
	src := "select 1;\nselect 'oops\nfrom t"
	f := token.NewFile("", src)
	var got []string
	var s Scanner
	s.Init(src, func(pos token.Pos, msg string) { got = append(got, f.Position(pos).String()+": "+msg) }, 0)
	for {
		if _, tok, _ := s.Scan(); tok == token.EOF {
			break
		}
	}
	if want := "2:8: string literal not terminated"; len(got) != 1 || got[0] != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTokenEndIsPastTheTokenIncludingHints(t *testing.T) {
	src := "a /*+ h */ 'b'"
	var s Scanner
	s.Init(src, nil, 0)
	for _, want := range []struct {
		pos, end token.Pos
		tok      token.Token
	}{{0, 1, token.IDENT}, {2, 10, token.HINT}, {11, 14, token.STRING}, {14, 14, token.EOF}} {
		pos, tok, _ := s.Scan()
		if pos != want.pos || tok != want.tok || s.TokenEnd() != want.end {
			t.Errorf("got %v at %d..%d, want %v at %d..%d", tok, pos, s.TokenEnd(), want.tok, want.pos, want.end)
		}
	}
}

func TestScanAfterEOFKeepsReturningEOF(t *testing.T) {
	var s Scanner
	s.Init("a", nil, 0)
	s.Scan()
	for i := 0; i < 3; i++ {
		if pos, tok, _ := s.Scan(); tok != token.EOF || pos != 1 {
			t.Fatalf("scan %d after end: %v at %d", i, tok, pos)
		}
	}
	var zero Scanner
	if _, tok, _ := zero.Scan(); tok != token.EOF {
		t.Errorf("zero Scanner returned %v, want EOF", tok)
	}
}

func TestErrorList(t *testing.T) {
	var l ErrorList
	if l.Err() != nil {
		t.Fatal("empty list must be a nil error")
	}
	f := token.NewFile("f.sql", "ab\ncd\nef")
	l.Add(f.Position(7), "z")
	l.Add(f.Position(4), "second on line 2")
	l.Add(f.Position(3), "first on line 2")
	l.Add(f.Position(0), "a")
	l.RemoveMultiples()
	var got []string
	for _, e := range l {
		got = append(got, e.Error())
	}
	want := "f.sql:1:1: a|f.sql:2:1: first on line 2|f.sql:3:2: z"
	if strings.Join(got, "|") != want {
		t.Errorf("got %q, want %q", strings.Join(got, "|"), want)
	}
	if l.Err().Error() != "f.sql:1:1: a (and 2 more errors)" {
		t.Errorf("summary %q", l.Err())
	}
}
