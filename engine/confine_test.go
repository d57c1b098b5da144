package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waggle-dev/waggle/catalog/sqlstore"
	"github.com/waggle-dev/waggle/storage"
)

// newConfinedHarness is newHarness for a job in server mode: local file
// access confined to the harness directory (which holds the warehouse and
// the session's scratch directory), as waggle.jobs.local.roots does.
func newConfinedHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, dir: filepath.Join(t.TempDir(), "job")}
	h.wh = filepath.Join(h.dir, "warehouse")
	if err := os.MkdirAll(h.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cat, err := sqlstore.Open(ctx, sqlstore.Options{Driver: "sqlite", DSN: filepath.Join(h.dir, "metastore.db"), Warehouse: "file://" + h.wh})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	c := map[string]string{"hive.metastore.warehouse.dir": "file://" + h.wh, storage.KeyLocalRoots: h.dir}
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

const deniedMsg = "is outside the job's allowed local roots (waggle.jobs.local.roots)"

func TestConfinedJobRunsNormally(t *testing.T) {
	h := newConfinedHarness(t)
	kv := h.writeFile("kv1.txt", "238\x01val_238\n86\x01val_86\n")
	out := h.run(`CREATE TABLE t (key INT, value STRING);
LOAD DATA LOCAL INPATH '` + kv + `' INTO TABLE t;
INSERT INTO t VALUES (1, 'one');
CREATE TABLE c AS SELECT * FROM t WHERE key > 1;
INSERT OVERWRITE LOCAL DIRECTORY '` + filepath.Join(h.dir, "export") + `' SELECT key FROM c;
SELECT count(*) FROM c;`)
	if out != "2\n" {
		t.Fatalf("got %q", out)
	}
	if _, err := os.Stat(filepath.Join(h.dir, "export")); err != nil {
		t.Fatalf("local directory export: %v", err)
	}
}

func TestConfinedJobCannotLeaveItsRoots(t *testing.T) {
	h := newConfinedHarness(t)
	outside := filepath.Join(filepath.Dir(h.dir), "outside")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("1\x01top secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(h.dir, "innocent.txt")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}
	h.run("CREATE TABLE t (key INT, value STRING);")
	tableDir := filepath.Join(h.wh, "t")

	for _, tc := range []struct {
		name, sql, inMsg string
	}{
		{"LOAD DATA LOCAL of /etc/passwd", "LOAD DATA LOCAL INPATH '/etc/passwd' INTO TABLE t", "permission denied: /etc/passwd " + deniedMsg},
		{"LOAD DATA LOCAL of file:///etc/passwd", "LOAD DATA LOCAL INPATH 'file:///etc/passwd' INTO TABLE t", "permission denied: /etc/passwd " + deniedMsg},
		{"LOAD DATA (not LOCAL) of /etc/passwd", "LOAD DATA INPATH '/etc/passwd' INTO TABLE t", deniedMsg},
		{"LOAD DATA LOCAL through ../", "LOAD DATA LOCAL INPATH '" + h.dir + "/../outside/secret.txt' INTO TABLE t", deniedMsg},
		{"LOAD DATA LOCAL through a symlink", "LOAD DATA LOCAL INPATH '" + link + "' INTO TABLE t", deniedMsg},
		{"CREATE TABLE at file:///root", "CREATE TABLE x (a int) LOCATION 'file:///root'", "permission denied: /root " + deniedMsg},
		{"CREATE EXTERNAL TABLE over /etc", "CREATE EXTERNAL TABLE y (line STRING) LOCATION '/etc'", deniedMsg},
		{"INSERT OVERWRITE LOCAL DIRECTORY outside", "INSERT OVERWRITE LOCAL DIRECTORY '" + filepath.Join(outside, "dump") + "' SELECT 1", deniedMsg},
		{"source /etc/passwd", "source /etc/passwd", "permission denied: /etc/passwd " + deniedMsg},
		{"source through a symlink", "source " + link, deniedMsg},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := h.fail(tc.sql + ";")
			if !strings.Contains(msg, tc.inMsg) {
				t.Fatalf("stderr:\n%s\nwant it to contain %q", msg, tc.inMsg)
			}
			// Nothing was read: no content of the files in the error, no rows in the table.
			if strings.Contains(msg, "root:") || strings.Contains(msg, "top secret") {
				t.Fatalf("error shows file content:\n%s", msg)
			}
			last := h.records[len(h.records)-1]
			if last.Status != StatusFailed || last.Bytes != 0 {
				t.Fatalf("record: %+v", last)
			}
		})
	}

	// Nothing was created: no table x or y, no files in t, nothing outside.
	if out := h.run("SHOW TABLES;"); out != "t\n" {
		t.Fatalf("tables: %q", out)
	}
	if entries, _ := os.ReadDir(tableDir); len(entries) != 0 {
		t.Fatalf("files in t: %v", entries)
	}
	if out := h.run("SELECT count(*) FROM t;"); out != "0\n" {
		t.Fatalf("rows in t: %q", out)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 1 {
		t.Fatalf("outside dir changed: %v", entries)
	}
}
