package script

import (
	"strconv"
	"strings"
	"testing"
)

var trickySeeds = []string{
	"select 'a;b'; select \"c\\\";d\"; select `e``;f`",
	"-- c ;\n/* ; */ x /* y */ ; ;;",
	"select 1 /* unterminated",
	"select 'unterminated\\",
	"a;\r\nb;\r\n\r\n c",
	"\uFEFF select 'é;ü';",
	"${hiveconf:${hivevar:k}} ${a} ${b} ${nope} $${a} ${a ${}",
	"select '${a}' -- ${b}\n from /* ${c} */ t",
}

func FuzzSplit(f *testing.F) {
	f.Add(readSeedOrEmpty(f))
	for _, s := range trickySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		stmts, err := Split("f.sql", src)
		checkStatements(t, src, stmts)
		for _, st := range stmts {
			if strings.Trim(st.Text, spaceChars) != st.Text {
				t.Fatalf("statement %d has surrounding white space: %q", st.Index, st.Text)
			}
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not a *Error", err)
			}
			return
		}
		// A statement's text splits back into itself (after a ';' so that a byte order mark in
		// the middle of the file stays text).
		for _, st := range stmts {
			again, err := Split("", ";"+st.Text)
			if err != nil || len(again) != 1 || again[0].Text != st.Text {
				t.Fatalf("statement %q re-splits into %q (%v)", st.Text, texts(again), err)
			}
		}
	})
}

func FuzzSubstitute(f *testing.F) {
	f.Add(readSeedOrEmpty(f), "238", "b", uint8(0))
	for _, s := range trickySeeds {
		f.Add(s, "<${b}>", "", uint8(3))
		f.Add(s, "${hivevar:b}${b}", "x${", uint8(1))
	}
	f.Add("${a}${b}", "${a", "}", uint8(2))
	f.Add("z${a}b}", "q${n", "", uint8(0))
	f.Fuzz(func(t *testing.T, text, a, b string, flags uint8) {
		v := Vars{
			HiveVar:  map[string]string{"a": a, "b": b, "k": "key", "Key_ID": "238", "S3Bucket": "bucket"},
			HiveConf: map[string]string{"key": a + b, KeyDepth: strconv.Itoa(int(flags % 4))}, // small: a=${a}${a}... grows exponentially
			System:   map[string]string{"user.name": b},
			Env:      envOf(map[string]string{"HOME": a}),
		}
		if flags&8 != 0 {
			v.HiveConf[KeyStrict] = "false"
		}
		st := Statement{Text: text, End: len(text), Line: 1, Col: 1}
		s, err := Substitute(st, v)
		if err != nil {
			var off int
			switch e := err.(type) {
			case *UnboundError:
				off = e.Offset
			case *LimitError:
				off = e.Offset
			default:
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			if off < 0 || off > len(text) || !strings.HasPrefix(text[off:], "$") {
				t.Fatalf("error offset %d does not point at a $ in %q: %v", off, text, err)
			}
			return
		}
		if s.Stmt.Text != text {
			t.Fatalf("statement text changed")
		}
		checkMapping(t, s)
	})
}

func readSeedOrEmpty(testing.TB) string {
	if s := readSeedNoSkip(); s != "" {
		return s
	}
	return "select 1;"
}
