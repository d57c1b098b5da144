package scanner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waggle-dev/waggle/hiveql/token"
)

// sharedDir is the project's shared directory, beside the repository.
const sharedDir = "../../../shared"

func FuzzScanner(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join(sharedDir, "seed", "set-of-hive-queries.sql")); err == nil {
		f.Add(string(b))
	}
	for _, s := range []string{
		"", "\uFEFF", "select 1", "'abc", `'a\`, `"a\"b"`, "`a``b`", "`a", "/*", "/*+", "/*+*/", "/**/", "--",
		"a--b\r\nc", "1e", "1e+", "1.e3D", ".5", "1.", "10Lx", "1BD", "X'", "x'0G'", "<=>", "<==>", "!==", "->=>",
		"${hivevar:x}", "\xff\xfe", "é1 1é", "\x00", "'\\u00", "'\\uD83D\\uDE00'", "'\\001'", "a.1b", "1..2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var s Scanner
		errs := 0
		s.Init(src, func(pos token.Pos, msg string) {
			errs++
			if pos < 0 || int(pos) > len(src) || msg == "" {
				t.Fatalf("bad error %d %q", pos, msg)
			}
		}, ScanComments)
		prevEnd := 0
		if strings.HasPrefix(src, "\uFEFF") {
			prevEnd = 3
		}
		prevPos := token.Pos(-1)
		for n := 0; ; n++ {
			if n > len(src)+1 {
				t.Fatalf("more tokens than bytes")
			}
			errsBefore := errs
			pos, tok, lit := s.Scan()
			clean := errs == errsBefore // this token raised no error
			end := int(s.TokenEnd())
			if pos <= prevPos && tok != token.EOF {
				t.Fatalf("position %d after %d", pos, prevPos)
			}
			if int(pos) < prevEnd || end < int(pos) || end > len(src) {
				t.Fatalf("token %v at %d..%d after end %d", tok, pos, end, prevEnd)
			}
			if gap := src[prevEnd:pos]; strings.Trim(gap, " \t\r\n\f") != "" {
				t.Fatalf("non-whitespace %q skipped before %v at %d", gap, tok, pos)
			}
			text := src[pos:end]
			switch tok {
			case token.EOF:
				if int(pos) != len(src) || lit != "" {
					t.Fatalf("EOF at %d, len %d, lit %q", pos, len(src), lit)
				}
				if s.ErrorCount != errs {
					t.Fatalf("ErrorCount %d, handler called %d times", s.ErrorCount, errs)
				}
				return
			case token.HINT:
				if text != "/*+"+lit+"*/" && text != "/*+"+lit {
					t.Fatalf("hint %q from source %q", lit, text)
				}
			default:
				if text != lit || lit == "" {
					t.Fatalf("%v lit %q, source %q", tok, lit, text)
				}
			}
			// A literal the scanner accepted without error must decode.
			var err error
			switch tok {
			case token.STRING:
				_, err = Unquote(lit)
			case token.QUOTED_IDENT:
				_, err = UnquoteIdent(lit)
			case token.BINARY:
				_, err = DecodeBinary(lit)
			}
			if clean && err != nil {
				t.Fatalf("%v %q scanned cleanly but does not decode: %v", tok, lit, err)
			}
			prevPos, prevEnd = pos, end
		}
	})
}
