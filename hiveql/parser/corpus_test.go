package parser_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/waggle-dev/waggle/hiveql/parser"
)

// corpusDir is the shared conformance corpus, relative to this package.
const corpusDir = "../../../shared"

type corpusStmt struct {
	where string // file and statement number
	text  string
}

// loadCorpus returns every statement echoed in the qtest results (PREHOOK: query blocks) and every
// statement of the seed script (with its variables substituted).
func loadCorpus(tb testing.TB) []corpusStmt {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "conformance/hive-qtests/results/*.q.out"))
	if err != nil || len(files) == 0 {
		tb.Skipf("corpus not found under %s", corpusDir)
	}
	var out []corpusStmt
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for i, q := range prehookQueries(string(data)) {
			out = append(out, corpusStmt{where: filepath.Base(f) + "#" + strconv.Itoa(i+1), text: q})
		}
	}
	seed := filepath.Join(corpusDir, "seed/set-of-hive-queries.sql")
	data, err := os.ReadFile(seed)
	if err != nil {
		tb.Fatal(err)
	}
	src := strings.NewReplacer("${Key_ID}", "238", "${S3Bucket}", "b").Replace(string(data))
	for i, s := range splitStatements(src) {
		out = append(out, corpusStmt{where: "set-of-hive-queries.sql#" + strconv.Itoa(i+1), text: s})
	}
	return out
}

// prehookQueries extracts the texts of the `PREHOOK: query: ` blocks of a .q.out file.
func prehookQueries(s string) []string {
	var out []string
	var cur []string
	in := false
	for _, line := range strings.Split(s, "\n") {
		if rest, ok := strings.CutPrefix(line, "PREHOOK: query: "); ok {
			if in {
				out = append(out, strings.Join(cur, "\n"))
			}
			cur, in = []string{rest}, true
			continue
		}
		if strings.HasPrefix(line, "PREHOOK: ") || strings.HasPrefix(line, "POSTHOOK: ") {
			if in {
				out = append(out, strings.Join(cur, "\n"))
			}
			in = false
			continue
		}
		if in {
			cur = append(cur, line)
		}
	}
	if in {
		out = append(out, strings.Join(cur, "\n"))
	}
	return out
}

// splitStatements splits a script on ';' outside quotes and comments, dropping empty statements.
func splitStatements(src string) []string {
	var out []string
	start := 0
	flush := func(end int) {
		s := strings.TrimSpace(src[start:end])
		if strings.TrimSpace(stripLineComments(s)) != "" {
			out = append(out, s)
		}
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\'' || c == '"' || c == '`':
			for i++; i < len(src) && src[i] != c; i++ {
				if src[i] == '\\' && c != '`' {
					i++
				}
			}
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			if j := strings.Index(src[i+2:], "*/"); j >= 0 {
				i += j + 3
			} else {
				i = len(src)
			}
		case c == ';':
			flush(i)
			start = i + 1
		}
	}
	flush(len(src))
	return out
}

func stripLineComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func TestCorpusEveryStatementParses(t *testing.T) {
	corpus := loadCorpus(t)
	failed := 0
	for _, c := range corpus {
		if _, err := parser.ParseStatement(c.text); err != nil {
			failed++
			t.Errorf("%s: %v\n%s", c.where, err, c.text)
		}
	}
	t.Logf("%d of %d corpus statements parse", len(corpus)-failed, len(corpus))
}
