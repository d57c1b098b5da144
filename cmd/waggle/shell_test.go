package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestShellReadsMultiLineStatementsUntilSemicolon(t *testing.T) {
	home := t.TempDir()
	cmd := exec.Command(waggleBin, "shell")
	cmd.Env = append(os.Environ(), "WAGGLE_HOME="+home)
	cmd.Stdin = strings.NewReader("SELECT\n  1 + 1;\nSELECT 'a;b' -- a comment; with a semicolon\n;\nselec 3;\nSELECT 4;\nquit;\nSELECT 5;\n")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("shell: %v\n%s", err, errb.String())
	}
	// A failing statement does not end the session; quit does.
	if out.String() != "2\na;b\n4\n" {
		t.Fatalf("stdout %q\nstderr %s", out.String(), errb.String())
	}
	if !strings.Contains(errb.String(), "hive> ") || !strings.Contains(errb.String(), "    > ") || !strings.Contains(errb.String(), "FAILED: ParseException") {
		t.Fatalf("stderr %q", errb.String())
	}
	hist, err := os.ReadFile(filepath.Join(home, "history"))
	if err != nil || !strings.Contains(string(hist), "SELECT 4;") {
		t.Fatalf("history: %v %q", err, hist)
	}
}

func TestRunExitCodesAndOutputStreams(t *testing.T) {
	home := t.TempDir()
	out, errOut, code := runWaggle(t, home, "run", "-e", "SELECT 1; SELECT nosuch FROM nowhere; SELECT 3;")
	if code != 1 || out != "1\n" || !strings.Contains(errOut, "FAILED: SemanticException -e:1:") {
		t.Fatalf("exit %d out %q err %q", code, out, errOut)
	}
	out, _, code = runWaggle(t, home, "run", "--force", "-S", "-e", "SELECT 1; SELECT nosuch FROM nowhere; SELECT 3;")
	if code != 1 || out != "1\n3\n" {
		t.Fatalf("--force: exit %d out %q", code, out)
	}
	out, _, code = runWaggle(t, home, "run", "-S", "--hiveconf", "hive.cli.print.header=true", "-e", "SELECT 1 AS x, 'y' AS y;")
	if code != 0 || out != "x\ty\n1\ty\n" {
		t.Fatalf("header: exit %d out %q", code, out)
	}
	_, errOut, code = runWaggle(t, home, "run", filepath.Join(home, "missing.sql"))
	if code != 1 || !strings.Contains(errOut, "cannot read script") {
		t.Fatalf("missing file: exit %d err %q", code, errOut)
	}
	_, errOut, code = runWaggle(t, home, "run", "-S", "--database", "nosuch", "-e", "SELECT 1;")
	if code != 1 || !strings.Contains(errOut, "Database does not exist: nosuch") {
		t.Fatalf("--database nosuch: exit %d err %q", code, errOut)
	}
	out, _, code = runWaggle(t, home, "run", "-S", "-v", "-d", "x=5", "-e", "SELECT ${x};")
	if code != 0 || out != "SELECT 5\n5\n" {
		t.Fatalf("-v echo: exit %d out %q", code, out)
	}
}
