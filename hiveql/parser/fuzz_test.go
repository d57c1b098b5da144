package parser_test

import (
	"strings"
	"testing"

	"github.com/waggle-dev/waggle/hiveql/parser"
	"github.com/waggle-dev/waggle/hiveql/printer"
)

// FuzzParse checks that the parser never panics or hangs, and that whatever parses also round-trips
// through the printer: parse(print(parse(x))) == parse(x), ignoring positions.
func FuzzParse(f *testing.F) {
	for _, c := range loadCorpus(f) {
		f.Add(c.text)
	}
	for _, s := range statementForms {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		st, err := parser.ParseStatement(src)
		if err != nil {
			if _, ok := err.(parser.ErrorList); !ok {
				t.Fatalf("error of type %T, want parser.ErrorList", err)
			}
			return
		}
		printed := printer.Print(st)
		st2, err := parser.ParseStatement(printed)
		if err != nil {
			t.Fatalf("printed text does not parse: %v\nsource:  %q\nprinted: %q", err, src, printed)
		}
		if d := diffTrees(st, st2); d != "" {
			t.Fatalf("round trip differs: %s\nsource:  %q\nprinted: %q", d, src, printed)
		}
	})
}

func BenchmarkParseCorpus(b *testing.B) {
	corpus := loadCorpus(b)
	size := 0
	for _, c := range corpus {
		size += len(c.text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range corpus {
			if _, err := parser.ParseStatement(c.text); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestDeepNestingIsAnErrorNotACrash(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"parentheses", "SELECT " + strings.Repeat("(", 1000) + "1" + strings.Repeat(")", 1000)},
		{"unary minus", "SELECT " + strings.Repeat("- ", 5000) + "1"},
		{"NOT", "SELECT " + strings.Repeat("NOT ", 5000) + "TRUE"},
		{"subqueries", "SELECT * FROM " + strings.Repeat("(SELECT * FROM ", 1000) + "t" + strings.Repeat(") x", 1000)},
		{"array types", "CREATE TABLE t (a " + strings.Repeat("ARRAY<", 1000) + "INT" + strings.Repeat(">", 1000) + ")"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parser.ParseStatement(tc.src)
			if err == nil || !strings.Contains(err.Error(), "expression nested too deeply") {
				t.Fatalf("err = %v, want expression nested too deeply", err)
			}
		})
	}
}
