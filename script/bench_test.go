package script

import (
	"strings"
	"testing"
)

// BenchmarkSplit splits the seed script repeated to about 1 MB; b.SetBytes makes go test report
// MB/s.
func BenchmarkSplit(b *testing.B) {
	seed := readSeed(b)
	src := strings.Repeat(seed+"\n", (1<<20)/len(seed)+1)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Split("bench.sql", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSubstitute substitutes every statement of the seed script.
func BenchmarkSubstitute(b *testing.B) {
	stmts, err := Split("seed.sql", readSeed(b))
	if err != nil {
		b.Fatal(err)
	}
	v := Vars{HiveVar: map[string]string{"S3Bucket": "b", "Key_ID": "238"}}
	n := 0
	for _, st := range stmts {
		n += len(st.Text)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, st := range stmts {
			if _, err := Substitute(st, v); err != nil {
				b.Fatal(err)
			}
		}
	}
}
