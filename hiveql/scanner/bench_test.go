package scanner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waggle-dev/waggle/hiveql/token"
)

// BenchmarkScan scans the Hive qtest result files (queries and their output)
// concatenated; the figure to read is MB/s.
func BenchmarkScan(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(sharedDir, "conformance", "hive-qtests", "results", "*.q.out"))
	if len(files) == 0 {
		b.Skip("no .q.out files under " + sharedDir)
	}
	var sb strings.Builder
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		sb.Write(data)
		sb.WriteByte('\n')
	}
	src := sb.String()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	var s Scanner
	for b.Loop() {
		s.Init(src, nil, 0)
		for {
			if _, tok, _ := s.Scan(); tok == token.EOF {
				break
			}
		}
	}
}
