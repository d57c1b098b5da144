package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckReportsEveryProblemWithPositions(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.sql")
	src := "-- header\nSET hivevar:t=src;\nSELECT * FROM ${t};\nSELEC 1;\nSELECT 'unterminated FROM x;\nSELECT ${nope} FROM x;\n"
	if err := os.WriteFile(bad, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.sql")
	if err := os.WriteFile(good, []byte("SELECT ${k} FROM t;\nCREATE TABLE x (a ARRAY<INT>);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := runWaggle(t, dir, "check", "--hivevar", "k=1", good)
	if code != 0 || out != "" {
		t.Fatalf("good file: exit %d, out %q", code, out)
	}
	out, _, code = runWaggle(t, dir, "check", bad)
	if code != 1 {
		t.Fatalf("bad file: exit %d, out %q", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	wantPrefixes := []string{bad + ":4:1: ", bad + ":5:8: ", bad + ":6:8: unbound variable ${nope}"}
	if len(lines) < len(wantPrefixes) {
		t.Fatalf("got %d problems:\n%s", len(lines), out)
	}
	for _, w := range wantPrefixes {
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem line starting with %q in:\n%s", w, out)
		}
	}
}

func TestSeedScriptChecksClean(t *testing.T) {
	out, _, code := runWaggle(t, t.TempDir(), "check", "--hivevar", "S3Bucket=b", "--hivevar", "Key_ID=238", "../../../shared/seed/set-of-hive-queries.sql")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	// Without Key_ID the ${Key_ID} reference is unbound: reported where it is written.
	out, _, code = runWaggle(t, t.TempDir(), "check", "--hivevar", "S3Bucket=b", "../../../shared/seed/set-of-hive-queries.sql")
	if code != 1 || !strings.Contains(out, "set-of-hive-queries.sql:31:40: unbound variable ${Key_ID}") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}
