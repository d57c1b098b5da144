package engine

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/catalog/sqlstore"
	"github.com/waggle-dev/waggle/storage"
)

// harness is a session on a fresh SQLite metastore and local warehouse.
type harness struct {
	t        *testing.T
	dir      string
	wh       string
	sess     *Session
	out, err bytes.Buffer
	records  []Record
}

func newHarness(t *testing.T, conf ...string) *harness {
	t.Helper()
	return newHarnessWrapped(t, nil, conf...)
}

// newHarnessWrapped is newHarness with the session's catalog wrapped by wrap (nil: none), e.g. to count
// or fail metastore calls.
func newHarnessWrapped(t *testing.T, wrap func(catalog.Catalog) catalog.Catalog, conf ...string) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir()}
	h.wh = filepath.Join(h.dir, "warehouse")
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, sqlstore.Options{Driver: "sqlite", DSN: filepath.Join(h.dir, "metastore.db"), Warehouse: "file://" + h.wh})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	var cat catalog.Catalog = store
	if wrap != nil {
		cat = wrap(store)
	}
	c := map[string]string{"hive.metastore.warehouse.dir": "file://" + h.wh}
	for _, kv := range conf {
		k, v, _ := strings.Cut(kv, "=")
		c[k] = v
	}
	st, err := storage.New(c)
	if err != nil {
		t.Fatal(err)
	}
	h.sess, err = NewSession(ctx, Options{Conf: c, Catalog: cat, Storage: st, Stdout: &h.out, Stderr: &h.err, Silent: true,
		TempDir: filepath.Join(h.dir, "tmp"), OnRecord: func(r Record) { h.records = append(h.records, r) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.sess.Close() })
	return h
}

// run runs a script and returns stdout; it fails the test if the script fails.
func (h *harness) run(src string) string {
	h.t.Helper()
	h.out.Reset()
	h.err.Reset()
	if err := h.sess.RunScript(context.Background(), "test.sql", src); err != nil {
		h.t.Fatalf("script failed: %v\nstderr:\n%s", err, h.err.String())
	}
	return h.out.String()
}

// fail runs a script that must fail and returns the error text printed on stderr.
func (h *harness) fail(src string) string {
	h.t.Helper()
	h.out.Reset()
	h.err.Reset()
	if err := h.sess.RunScript(context.Background(), "test.sql", src); err == nil {
		h.t.Fatalf("script succeeded, want failure\nstdout:\n%s", h.out.String())
	}
	return h.err.String()
}

func (h *harness) writeFile(name, content string) string {
	h.t.Helper()
	p := filepath.Join(h.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
	return p
}

func TestSeedFlowLocally(t *testing.T) {
	h := newHarness(t)
	kv := h.writeFile("kv1.txt", "238\x01val_238\n86\x01val_86\n238\x01val_238\n")
	out := h.run(`CREATE DATABASE hiveonspark;
USE hiveonspark;
DROP TABLE IF EXISTS testtable purge;
CREATE TABLE IF NOT EXISTS testtable (` + "`key`" + ` INT, ` + "`value`" + ` STRING) using hive;
LOAD DATA LOCAL INPATH '` + kv + `' INTO TABLE testtable;
SELECT * FROM testtable WHERE key=238;
ALTER TABLE testtable ADD COLUMNS (` + "`arrayCol`" + ` Array<int>);
INSERT INTO testtable VALUES (238, 'val_238', array(1, 3)), (238, 'val_238', array(2, 3));
SELECT * FROM testtable WHERE key=238;
CREATE TEMPORARY FUNCTION hiveUDF AS 'org.apache.hadoop.hive.ql.udf.generic.GenericUDTFExplode';
SELECT ` + "`key`,`value`" + `,hiveUDF(arrayCol) FROM testtable WHERE key=238;
CREATE TABLE ctas_testtable AS SELECT * FROM testtable;
SELECT * FROM ctas_testtable WHERE key=238;
`)
	want := "238\tval_238\n238\tval_238\n" +
		"238\tval_238\tNULL\n238\tval_238\tNULL\n238\tval_238\t[1,3]\n238\tval_238\t[2,3]\n" +
		"238\tval_238\t1\n238\tval_238\t3\n238\tval_238\t2\n238\tval_238\t3\n" +
		"238\tval_238\tNULL\n238\tval_238\tNULL\n238\tval_238\t[1,3]\n238\tval_238\t[2,3]\n"
	if out != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out, want)
	}
	// The managed table's files live under the warehouse: <wh>/hiveonspark.db/testtable.
	if _, err := os.Stat(filepath.Join(h.wh, "hiveonspark.db", "testtable", "kv1.txt")); err != nil {
		t.Fatalf("loaded file not in the table directory: %v", err)
	}
}

func TestStatementRecords(t *testing.T) {
	h := newHarness(t)
	h.run("CREATE TABLE t (a INT);\nINSERT INTO t VALUES (1), (2), (3);\nSELECT * FROM t WHERE a > 1;")
	if len(h.records) != 3 {
		t.Fatalf("records = %d", len(h.records))
	}
	ins, sel := h.records[1], h.records[2]
	if ins.Rows != 3 || ins.Bytes <= 0 || ins.Status != StatusCompleted {
		t.Fatalf("insert record = %+v", ins)
	}
	if sel.Rows != 2 || sel.Pos.Line != 3 || sel.Pos.Col != 1 || sel.Kind != "QUERY" {
		t.Fatalf("select record = %+v", sel)
	}
}

func TestFailedInsertOverwriteKeepsOldData(t *testing.T) {
	h := newHarness(t)
	h.run("CREATE TABLE t (a INT, b STRING);\nINSERT INTO t VALUES (1, 'old'), (2, 'old');")
	msg := h.fail("INSERT OVERWRITE TABLE t SELECT a, assert_true(a < 2) FROM t;")
	if !strings.Contains(msg, "FAILED:") {
		t.Fatalf("stderr = %q", msg)
	}
	if out := h.run("SELECT * FROM t;"); out != "1\told\n2\told\n" {
		t.Fatalf("after failed overwrite: %q", out)
	}
	// No staging leftovers are visible in the table directory.
	entries, _ := os.ReadDir(filepath.Join(h.wh, "t"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".hive-staging") {
			t.Fatalf("staging directory left behind: %s", e.Name())
		}
	}
}

func TestInsertOverwriteReplaces(t *testing.T) {
	h := newHarness(t)
	h.run("CREATE TABLE t (a INT);\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\nINSERT OVERWRITE TABLE t SELECT 7;")
	if out := h.run("SELECT * FROM t;"); out != "7\n" {
		t.Fatalf("got %q", out)
	}
}

func TestCancelledInsertKeepsOldData(t *testing.T) {
	h := newHarness(t)
	h.run("CREATE TABLE t (a BIGINT);\nINSERT INTO t VALUES (1);")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.out.Reset()
	if err := h.sess.RunScript(ctx, "test.sql", "INSERT OVERWRITE TABLE t SELECT range FROM range(1000000);"); err == nil {
		t.Fatal("cancelled script succeeded")
	}
	if out := h.run("SELECT * FROM t;"); out != "1\n" {
		t.Fatalf("got %q", out)
	}
}

func TestBadInputErrors(t *testing.T) {
	h := newHarness(t)
	h.run("CREATE TABLE t (a INT);\nINSERT INTO t VALUES (1);")
	tests := []struct {
		name, src, want string
	}{
		{"missing LOAD DATA source", "LOAD DATA LOCAL INPATH '/no/such/file.txt' INTO TABLE t;", "test.sql:1:24: Invalid path '/no/such/file.txt'"},
		{"unknown table", "SELECT * FROM nosuch;", "test.sql:1:15"},
		{"unknown function", "SELECT nosuchfn(a) FROM t;", "test.sql:1:8"},
		{"unbound variable", "SELECT ${hivevar:nope} FROM t;", "test.sql:1:8: unbound variable ${hivevar:nope}"},
		{"syntax error", "SELEC * FROM t;", "test.sql:1:1"},
		{"custom UDF class", "CREATE TEMPORARY FUNCTION f AS 'com.example.MyUDF';", "cannot run JVM UDFs"},
		{"duplicate database", "CREATE DATABASE d1;\nCREATE DATABASE d1;", "test.sql:2:17: Database d1 already exists"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := h.fail(tc.src)
			if !strings.Contains(msg, tc.want) {
				t.Fatalf("stderr = %q, want it to contain %q", msg, tc.want)
			}
		})
	}
	if out := h.run("SELECT * FROM t;"); out != "1\n" {
		t.Fatalf("table changed by failed statements: %q", out)
	}
}

func TestUnsupportedFormatNamesTable(t *testing.T) {
	h := newHarness(t)
	h.run("CREATE TABLE o (a INT) STORED AS ORC;")
	msg := h.fail("SELECT * FROM o;")
	if !strings.Contains(msg, "ORC") || !strings.Contains(msg, "default.o") {
		t.Fatalf("stderr = %q", msg)
	}
}

func TestDynamicPartitions(t *testing.T) {
	h := newHarness(t, "hive.exec.dynamic.partition.mode=nonstrict")
	h.run(`CREATE TABLE p (k STRING) PARTITIONED BY (v STRING);
INSERT OVERWRITE TABLE p PARTITION (v) SELECT * FROM (SELECT 'a' AS k, 'x/y' AS v UNION ALL SELECT 'b', NULL UNION ALL SELECT 'c', '') s;`)
	out := h.run("SHOW PARTITIONS p;")
	if out != "v=__HIVE_DEFAULT_PARTITION__\nv=x%2Fy\n" {
		t.Fatalf("partitions:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(h.wh, "p", "v=x%2Fy")); err != nil {
		t.Fatalf("partition directory: %v", err)
	}
	if out := h.run("SELECT k, v FROM p WHERE v = 'x/y';"); out != "a\tx/y\n" {
		t.Fatalf("pruned select = %q", out)
	}
	// Hive reads a string partition column of the default partition as the partition name itself.
	if out := h.run("SELECT k, v FROM p WHERE v = '__HIVE_DEFAULT_PARTITION__' ORDER BY k;"); out != "b\t__HIVE_DEFAULT_PARTITION__\nc\t__HIVE_DEFAULT_PARTITION__\n" {
		t.Fatalf("default partition select = %q", out)
	}
}

func TestDynamicPartitionStrictMode(t *testing.T) {
	h := newHarness(t, "hive.exec.dynamic.partition.mode=strict")
	h.run("CREATE TABLE p (k STRING) PARTITIONED BY (v STRING);")
	msg := h.fail("INSERT INTO TABLE p PARTITION (v) SELECT 'a', 'b';")
	if !strings.Contains(msg, "Dynamic partition strict mode requires at least one static partition column") {
		t.Fatalf("stderr = %q", msg)
	}
}

func TestDropManagedDeletesDataExternalKeeps(t *testing.T) {
	h := newHarness(t)
	ext := filepath.Join(h.dir, "ext")
	h.writeFile("ext/data.txt", "1\n2\n")
	h.run("CREATE TABLE m (a INT);\nINSERT INTO m VALUES (1);\nCREATE EXTERNAL TABLE e (a INT) LOCATION '" + ext + "';")
	if out := h.run("SELECT count(*) FROM e;"); out != "2\n" {
		t.Fatalf("external count = %q", out)
	}
	h.run("DROP TABLE m;\nDROP TABLE e;\nDROP TABLE IF EXISTS nosuch;\nDROP TABLE nosuch2;")
	if _, err := os.Stat(filepath.Join(h.wh, "m")); !os.IsNotExist(err) {
		t.Fatalf("managed data still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(ext, "data.txt")); err != nil {
		t.Fatalf("external data deleted: %v", err)
	}
}

func TestSetAndVariables(t *testing.T) {
	h := newHarness(t)
	out := h.run("SET hivevar:n=41;\nSELECT ${n} + 1;\nSET x.y=abc;\nSET x.y;\nSET nope;")
	if out != "42\nx.y=abc\nnope is undefined\n" {
		t.Fatalf("got %q", out)
	}
}
