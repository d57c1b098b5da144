package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// specRows are the SF1 cardinalities from the TPC-H specification (4.2.5).
var specRows = map[string]int64{
	"lineitem": 6001215, "orders": 1500000, "customer": 150000, "part": 200000,
	"partsupp": 800000, "supplier": 10000, "nation": 25, "region": 5,
}

// Generating SF1 takes about a minute; dbgen's global state allows one Generate per process.
func TestSF1RowCountsMatchSpec(t *testing.T) {
	if testing.Short() {
		t.Skip("SF1 generation is slow")
	}
	dir := t.TempDir()
	counts, err := Generate(1, dir, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range specRows {
		if counts[name] != want {
			t.Errorf("%s: generator counted %d rows, spec says %d", name, counts[name], want)
		}
		if got := countLines(t, filepath.Join(dir, name, name+".tbl")); got != want {
			t.Errorf("%s: file has %d lines, spec says %d", name, got, want)
		}
	}
	// dbgen's line format: 16 fields, each followed by '|'.
	f, err := os.Open(filepath.Join(dir, "lineitem", "lineitem.tbl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadBytes('\n')
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(line, []byte("|")); n != 16 || !bytes.HasSuffix(line, []byte("|\n")) {
		t.Errorf("lineitem line %q: %d separators, want 16 with a trailing one", line, n)
	}
}

func countLines(t *testing.T, path string) int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var n int64
	buf := make([]byte, 1<<20)
	for {
		k, err := f.Read(buf)
		n += int64(bytes.Count(buf[:k], []byte("\n")))
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
