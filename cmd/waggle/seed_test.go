package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/waggle-dev/waggle/examples/seed/toydata"
	"github.com/waggle-dev/waggle/storage"
)

// waggleBin is the waggle binary built once for the tests that run it as a process.
var waggleBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "waggle-bin-")
	if err != nil {
		panic(err)
	}
	waggleBin = filepath.Join(dir, "waggle")
	build := exec.Command("go", "build", "-o", waggleBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		panic("build waggle: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runWaggle runs the binary with WAGGLE_HOME=home and returns stdout, stderr and the exit code.
func runWaggle(t *testing.T, home string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(waggleBin, args...)
	cmd.Env = append(os.Environ(), "WAGGLE_HOME="+home)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run waggle: %v", err)
	}
	return out.String(), errb.String(), code
}

// startS3 serves an in-memory S3 on loopback with the given bucket and returns the Hadoop settings that
// point Waggle at it.
func startS3(t *testing.T, bucket string) []string {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	return []string{
		"fs.s3a.endpoint=" + srv.URL,
		"fs.s3a.path.style.access=true",
		"fs.s3a.access.key=AKIDWAGGLETEST",
		"fs.s3a.secret.key=waggle-test-secret",
		"fs.s3a.endpoint.region=us-east-1",
	}
}

const seedKV1 = "/usr/lib/spark/examples/src/main/resources/kv1.txt"

// placeSeedKV1 copies the seed's kv1.txt to the path the unchanged seed script loads it from (skipping
// the test when that is impossible: not root, or ../shared missing).
func placeSeedKV1(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to place kv1.txt at " + seedKV1)
	}
	kv1, err := os.ReadFile("../../../shared/seed/kv1.txt")
	if err != nil {
		t.Skipf("seed data not available: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(seedKV1), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(seedKV1, kv1, 0o644); err != nil {
		t.Fatal(err)
	}
}

// seedFixture places kv1.txt where the seed script expects it and the toy Parquet data in an S3 bucket on
// loopback; it returns the `waggle run` arguments of the seed job (as the EMR sample submits it) and the
// number of toy rows.
func seedFixture(t *testing.T) ([]string, int) {
	t.Helper()
	placeSeedKV1(t)
	ctx := context.Background()
	s3conf := startS3(t, "seed-bucket")
	local := t.TempDir()
	rows, err := toydata.Write(ctx, local, 3, 50)
	if err != nil {
		t.Fatal(err)
	}
	conf := map[string]string{}
	for _, kv := range s3conf {
		k, v, _ := strings.Cut(kv, "=")
		conf[k] = v
	}
	st, err := storage.New(conf)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(local)
	for _, e := range entries {
		if err := st.CopyFromLocal(ctx, filepath.Join(local, e.Name()), "s3://seed-bucket/app_code/data/toy/"+e.Name()); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"run", "../../../shared/seed/set-of-hive-queries.sql", "--hivevar", "S3Bucket=seed-bucket", "--hivevar", "Key_ID=238"}
	for _, kv := range s3conf {
		args = append(args, "--hiveconf", kv)
	}
	return args, rows
}

// seedWant is the seed job's stdout for rows toy rows (../shared/seed/README.md).
func seedWant(rows int) string {
	return strings.Join([]string{
		"238\tval_238",
		"238\tval_238",
		"238\tval_238\tNULL",
		"238\tval_238\tNULL",
		"238\tval_238\t[1,3]",
		"238\tval_238\t[2,3]",
		"238\tval_238\t1",
		"238\tval_238\t3",
		"238\tval_238\t2",
		"238\tval_238\t3",
		"238\tval_238\tNULL",
		"238\tval_238\tNULL",
		"238\tval_238\t[1,3]",
		"238\tval_238\t[2,3]",
		strconv.Itoa(rows),
	}, "\n") + "\n"
}

// TestSeedJobUnchanged runs ../shared/seed/set-of-hive-queries.sql unchanged, as the EMR sample
// submits it, with kv1.txt where the script expects it and the toy Parquet data in an S3 bucket.
func TestSeedJobUnchanged(t *testing.T) {
	args, rows := seedFixture(t)
	home := t.TempDir()
	stdout, stderr, code := runWaggle(t, home, args...)
	if code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", code, stderr)
	}
	if rows != 150 {
		t.Fatalf("toy rows = %d", rows)
	}
	want := seedWant(rows)
	if stdout != want {
		t.Fatalf("stdout:\n%s\nwant:\n%s\nstderr:\n%s", stdout, want, stderr)
	}

	// The catalog persists: the shell sees the database, the metastore tables look like Hive's.
	out, stderr, code := runWaggle(t, home, "shell", "-S", "-e", "show databases")
	if code != 0 || !strings.Contains(out, "hiveonspark\n") || !strings.Contains(out, "default\n") {
		t.Fatalf("show databases: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if _, err := exec.LookPath("sqlite3"); err == nil {
		q := exec.Command("sqlite3", filepath.Join(home, "metastore.db"), "select NAME from DBS order by NAME; select TBL_NAME, TBL_TYPE from TBLS order by TBL_NAME")
		got, err := q.Output()
		if err != nil {
			t.Fatalf("sqlite3: %v", err)
		}
		wantDB := "default\nhiveonspark\namazonreview|EXTERNAL_TABLE\nctas_testtable|MANAGED_TABLE\ntesttable|MANAGED_TABLE\n"
		if string(got) != wantDB {
			t.Fatalf("metastore tables:\n%s\nwant:\n%s", got, wantDB)
		}
	}

	// As in Hive, a second run against the same metastore fails on its first statement.
	_, stderr, code = runWaggle(t, home, args...)
	if code == 0 || !strings.Contains(stderr, "Database hiveonspark already exists") || !strings.Contains(stderr, "set-of-hive-queries.sql:9:17") {
		t.Fatalf("second run: exit %d, stderr:\n%s", code, stderr)
	}
}
