package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
)

// startMetastore runs `waggle metastore --port 0` with extra flags and returns its thrift:// URI.
func startMetastore(t *testing.T, home string, flags ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, waggleBin, append([]string{"metastore", "--host", "127.0.0.1", "--port", "0"}, flags...)...)
	cmd.Env = append(os.Environ(), "WAGGLE_HOME="+home)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	re := regexp.MustCompile(`serving (thrift://\S+)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case uri := <-found:
		return uri
	case <-time.After(60 * time.Second):
		t.Fatal("metastore did not start")
	}
	return ""
}

// freshMariaDB creates a database with a random name on the local MariaDB server and drops it afterwards.
func freshMariaDB(t *testing.T) (name string, db *sql.DB) {
	t.Helper()
	root, err := sql.Open("mysql", "root@tcp(127.0.0.1:3306)/")
	if err != nil {
		t.Fatal(err)
	}
	if err := root.Ping(); err != nil {
		if os.Getenv("WAGGLE_TEST_NO_SERVERS") == "1" {
			t.Skipf("MariaDB not reachable: %v", err)
		}
		t.Fatalf("MariaDB at 127.0.0.1:3306 not reachable: %v", err)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name = "waggle_ms_" + hex.EncodeToString(b)
	if _, err := root.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = root.Exec("DROP DATABASE " + name)
		root.Close()
	})
	db, err = sql.Open("mysql", "root@tcp(127.0.0.1:3306)/"+name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return name, db
}

// TestSeedJobAgainstRemoteMetastoreOnMariaDB is the seed's deployment: a standalone metastore service on
// MySQL/MariaDB, the job using it through hive.metastore.uris, the database inspected with SQL afterwards.
func TestSeedJobAgainstRemoteMetastoreOnMariaDB(t *testing.T) {
	args, rows := seedFixture(t)
	name, db := freshMariaDB(t)
	msHome := t.TempDir()
	// Like Hive's HMS, the service creates table directories itself, so it gets the S3 settings too.
	msFlags := []string{"--hiveconf", "javax.jdo.option.ConnectionURL=jdbc:mysql://127.0.0.1:3306/" + name,
		"--hiveconf", "javax.jdo.option.ConnectionUserName=root"}
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "--hiveconf" && strings.HasPrefix(args[i+1], "fs.s3a.") {
			msFlags = append(msFlags, "--hiveconf", args[i+1])
		}
	}
	uri := startMetastore(t, msHome, msFlags...)
	jobHome := t.TempDir()
	stdout, stderr, code := runWaggle(t, jobHome, append(args, "--hiveconf", "hive.metastore.uris="+uri)...)
	if code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", code, stderr)
	}
	if stdout != seedWant(rows) {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	var dbs []string
	r, err := db.Query("select NAME from DBS order by NAME")
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var n string
		_ = r.Scan(&n)
		dbs = append(dbs, n)
	}
	r.Close()
	if strings.Join(dbs, ",") != "default,hiveonspark" {
		t.Fatalf("DBS = %v", dbs)
	}
	var tbls []string
	r, err = db.Query("select TBL_NAME from TBLS order by TBL_NAME")
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var n string
		_ = r.Scan(&n)
		tbls = append(tbls, n)
	}
	r.Close()
	if strings.Join(tbls, ",") != "amazonreview,ctas_testtable,testtable" {
		t.Fatalf("TBLS = %v", tbls)
	}
	// The job's own home has no metastore file: everything went through the service.
	if _, err := os.Stat(jobHome + "/metastore.db"); err == nil {
		t.Fatal("the job opened a local metastore instead of the remote one")
	}
	if _, err := exec.LookPath("mariadb"); err == nil {
		out, err := exec.Command("mariadb", "-h", "127.0.0.1", "-u", "root", name, "-N", "-e", "select NAME from DBS order by NAME; select TBL_NAME from TBLS order by TBL_NAME").Output()
		if err != nil || string(out) != "default\nhiveonspark\namazonreview\nctas_testtable\ntesttable\n" {
			t.Fatalf("mariadb client: %v %q", err, out)
		}
	}
}
