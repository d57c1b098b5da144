package scanner

import "testing"

func TestUnquoteAppliesHiveEscapes(t *testing.T) {
	for _, tc := range []struct{ name, lit, want string }{
		{"plain single", `'abc'`, "abc"},
		{"plain double", `"abc"`, "abc"},
		{"empty", `''`, ""},
		{"other quote kept", `'a"b'`, `a"b`},
		{"escaped quotes", `'it\'s'`, "it's"},
		{"escaped double quote", `"\""`, `"`},
		{"backslash", `'\\'`, `\`},
		{"newline tab cr backspace", `'\n\t\r\b'`, "\n\t\r\b"},
		{"ctrl-Z", `'\Z'`, "\x1a"},
		{"octal ctrl-A field separator", `'\001'`, "\x01"},
		{"octal 177", `'\177'`, "\x7f"},
		{"octal needs first digit 0 or 1", `'\201'`, "201"},
		{"octal needs three digits", `'\01'`, "\x001"},
		{"backslash zero is NUL", `'a\0b'`, "a\x00b"},
		{"unicode escape", `'\u0041'`, "A"},
		{"unicode escape lower hex", `'\u00e9'`, "é"},
		{"surrogate pair", `'\uD83D\uDE00'`, "😀"},
		{"lone surrogate", `'\uD83Dx'`, "\uFFFDx"},
		{"short unicode escape is u", `'\u41'`, "u41"},
		{"percent keeps backslash for LIKE", `'50\%'`, `50\%`},
		{"underscore keeps backslash for LIKE", `'a\_b'`, `a\_b`},
		{"unknown escape drops backslash", `'\a\q\.'`, "aq."},
		{"escaped multibyte char", `'\é'`, "é"},
		{"newline inside literal kept", "'a\nb'", "a\nb"},
		{"regex escapes", `'\\d+\\.\\d*'`, `\d+\.\d*`},
	} {
		got, err := Unquote(tc.lit)
		if err != nil || got != tc.want {
			t.Errorf("%s: Unquote(%s) = %q, %v; want %q", tc.name, tc.lit, got, err, tc.want)
		}
	}
}

func TestUnquoteRejectsMalformedLiterals(t *testing.T) {
	for _, lit := range []string{``, `'`, `a`, `'abc`, `'abc\'`, `'a'b'`, `'a"`, "`a`", `"a\"`, `'a\`} {
		if got, err := Unquote(lit); err == nil {
			t.Errorf("Unquote(%s) = %q, want an error", lit, got)
		}
	}
}

func TestUnquoteIdent(t *testing.T) {
	for _, tc := range []struct{ lit, want string }{
		{"`a`", "a"}, {"`a``b`", "a`b"}, {"````", "`"}, {"`select`", "select"}, {"`a b.c`", "a b.c"}, {"``", ""},
	} {
		if got, err := UnquoteIdent(tc.lit); err != nil || got != tc.want {
			t.Errorf("UnquoteIdent(%s) = %q, %v; want %q", tc.lit, got, err, tc.want)
		}
	}
	for _, lit := range []string{"", "`", "a", "`a", "`a`b`", "'a'"} {
		if _, err := UnquoteIdent(lit); err == nil {
			t.Errorf("UnquoteIdent(%s): want an error", lit)
		}
	}
}

func TestDecodeBinary(t *testing.T) {
	for _, tc := range []struct {
		lit  string
		want string
	}{
		{"X'0A1B'", "\x0a\x1b"}, {"x'ff'", "\xff"}, {"X''", ""}, {"X'123'", "\x01\x23"}, {"X'aBcD'", "\xab\xcd"},
	} {
		got, err := DecodeBinary(tc.lit)
		if err != nil || string(got) != tc.want {
			t.Errorf("DecodeBinary(%s) = %x, %v; want %x", tc.lit, got, err, tc.want)
		}
	}
	for _, lit := range []string{"", "X'", "X'0G'", "'0A'", "X'0A"} {
		if _, err := DecodeBinary(lit); err == nil {
			t.Errorf("DecodeBinary(%s): want an error", lit)
		}
	}
}
