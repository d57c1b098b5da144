package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestS3ParquetPartialFetch: queries over a Parquet table in S3 that read some of its columns fetch only
// those columns' bytes (footer and column chunks) and give the same rows as the same files on local
// disk; later statements complete the partial files as they need more columns.
func TestS3ParquetPartialFetch(t *testing.T) {
	f := newFaultS3(t, "wh")
	h := newS3Harness(t, f, t.TempDir(), "wh")
	ctx := context.Background()
	local := filepath.Join(h.dir, "local")
	for _, d := range []string{"t", "pt/ds=a", "pt/ds=b"} {
		if err := os.MkdirAll(filepath.Join(local, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Two files per table: 4 row groups each; dictionary-encoded and plain columns, nested and
	// repeated columns, NULLs, a wide column most queries skip, a column named in upper case.
	gen := func(path string, from int) {
		q := fmt.Sprintf(`COPY (SELECT r::BIGINT AS id, CASE WHEN r %% 11 = 0 THEN NULL ELSE 'k' || (r %% 40) END AS "KEY",
			r * 0.25 AS x, repeat(md5(r::VARCHAR), 4) AS pad, [r %% 5, r %% 7] AS arr, {'a': r %% 13, 'b': 'n' || (r %% 3)} AS st
			FROM range(%d, %d) t(r)) TO '%s' (FORMAT parquet, ROW_GROUP_SIZE 5000)`, from, from+20000, path)
		if _, err := h.sess.conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	gen(filepath.Join(local, "t", "part-00000.parquet"), 0)
	gen(filepath.Join(local, "t", "part-00001.parquet"), 20000)
	gen(filepath.Join(local, "pt/ds=a", "part-00000.parquet"), 0)
	gen(filepath.Join(local, "pt/ds=b", "part-00000.parquet"), 40000)
	const cols = "(id BIGINT, key STRING, x DOUBLE, pad STRING, arr ARRAY<INT>, st STRUCT<a:INT,b:STRING>)"
	h.run(`CREATE EXTERNAL TABLE tl ` + cols + ` STORED AS PARQUET LOCATION 'file://` + filepath.Join(local, "t") + `';
CREATE EXTERNAL TABLE ptl ` + cols + ` PARTITIONED BY (ds STRING) STORED AS PARQUET LOCATION 'file://` + filepath.Join(local, "pt") + `';
ALTER TABLE ptl ADD PARTITION (ds='a') PARTITION (ds='b');
CREATE TABLE ts ` + cols + ` STORED AS PARQUET;
CREATE TABLE pts ` + cols + ` PARTITIONED BY (ds STRING) STORED AS PARQUET;
LOAD DATA LOCAL INPATH '` + filepath.Join(local, "t") + `' INTO TABLE ts;
LOAD DATA LOCAL INPATH '` + filepath.Join(local, "pt/ds=a") + `' INTO TABLE pts PARTITION (ds='a');
LOAD DATA LOCAL INPATH '` + filepath.Join(local, "pt/ds=b") + `' INTO TABLE pts PARTITION (ds='b');`)
	var fileBytes int64
	for _, k := range f.keys(t, "wh", "warehouse/ts/") {
		o, err := f.backend.HeadObject("wh", k)
		if err != nil {
			t.Fatal(err)
		}
		fileBytes += o.Size
	}

	queries := []struct {
		q        string // over {T} (unpartitioned) or {P} (partitioned)
		maxShare float64
	}{
		{"SELECT count(*) FROM {T}", 0.15},
		{"SELECT sum(x), min(x), max(x) FROM {T}", 0.3},
		{"SELECT key, count(*), sum(id) FROM {T} GROUP BY key ORDER BY key LIMIT 6", 0.3},
		{"SELECT id, x FROM {T} WHERE key = 'k7' ORDER BY id LIMIT 5", 0.35},
		{"SELECT id, rank() OVER (PARTITION BY key ORDER BY x DESC) FROM {T} ORDER BY id LIMIT 4", 0.35},
		{"SELECT count(*) FROM {T} a JOIN {T} b ON a.id = b.id + 1 WHERE a.key = 'k3'", 0.3},
		{"SELECT count(*) FROM {T} WHERE id IN (SELECT id FROM {T} WHERE x > 9000)", 0.3},
		{"SELECT id, e FROM {T} LATERAL VIEW explode(arr) v AS e WHERE id < 3 ORDER BY id, e", 0.35},
		{"SELECT st.b, count(*) FROM {T} GROUP BY st.b ORDER BY st.b", 0.3},
		{"SELECT DISTINCT length(pad) FROM {T}", 1},
		{"SELECT * FROM {T} ORDER BY id LIMIT 2", 1},
		{"SELECT ds, sum(x), count(key) FROM {P} GROUP BY ds ORDER BY ds", 1},
		{"SELECT count(DISTINCT key) FROM {P} WHERE ds = 'b'", 1},
		{"SELECT p.ds, max(t.x) FROM {P} p JOIN {T} t ON p.id = t.id GROUP BY p.ds ORDER BY p.ds", 1},
		{"SELECT * FROM (SELECT x FROM {T} ORDER BY x DESC LIMIT 1) a UNION ALL SELECT * FROM (SELECT x FROM {P} ORDER BY x LIMIT 1) b", 1},
	}
	for _, tc := range queries {
		rs := strings.NewReplacer("{T}", "ts", "{P}", "pts")
		rl := strings.NewReplacer("{T}", "tl", "{P}", "ptl")
		want := h.run(rl.Replace(tc.q) + ";")
		f.resetBytes()
		got := h.run(rs.Replace(tc.q) + ";")
		if got != want || want == "" {
			t.Errorf("%s: S3 gives\n%s\nlocal gives\n%s", tc.q, got, want)
		}
		served := f.objectBytes()
		// The statement's record counts the same bytes, plus listings and HEAD-less XML bodies.
		if rec := h.records[len(h.records)-1]; rec.S3Read < served || rec.S3Read > served+64<<10 || rec.S3Written != 0 {
			t.Errorf("%s: record counts %d bytes read, %d written; the server served %d", tc.q, rec.S3Read, rec.S3Written, served)
		}
		share := float64(served) / float64(fileBytes)
		t.Logf("%.3f of the table's bytes: %s", share, tc.q)
		if share > tc.maxShare {
			t.Errorf("%s: served %d bytes, %.2f of the table, want at most %.2f", tc.q, served, share, tc.maxShare)
		}
	}
	// An unpartitioned S3 table whose files are fetched in part by one statement and read whole by the next.
	h2 := newS3Harness(t, f, t.TempDir(), "wh")
	h2.run("CREATE EXTERNAL TABLE t2 " + cols + " STORED AS PARQUET LOCATION 's3a://wh/warehouse/ts';")
	f.resetBytes()
	if got, want := h2.run("SELECT sum(id) FROM t2;"), h.run("SELECT sum(id) FROM tl;"); got != want {
		t.Errorf("sum(id): %q, want %q", got, want)
	}
	if got, want := h2.run("SELECT max(pad), sum(st.a) FROM t2;"), h.run("SELECT max(pad), sum(st.a) FROM tl;"); got != want {
		t.Errorf("second statement: %q, want %q", got, want)
	}
	if got, want := h2.run("SELECT * FROM t2 ORDER BY id DESC LIMIT 3;"), h.run("SELECT * FROM tl ORDER BY id DESC LIMIT 3;"); got != want {
		t.Errorf("all columns: %q, want %q", got, want)
	}
	// With partial fetching off, a one-column query fetches the whole files.
	h3 := newS3Harness(t, f, t.TempDir(), "wh", "waggle.s3.fetch.partial=false")
	h3.run("CREATE EXTERNAL TABLE t3 " + cols + " STORED AS PARQUET LOCATION 's3a://wh/warehouse/ts';")
	f.resetBytes()
	h3.run("SELECT sum(id) FROM t3;")
	if served := f.objectBytes(); served != fileBytes {
		t.Errorf("partial fetching off: served %d bytes, want the whole %d", served, fileBytes)
	}
}

// TestS3CorruptParquetErrorNamesObject: a damaged Parquet file in S3 fails the query with an error that
// names the object (not the local copy) and shows no excerpt of the generated SQL; the table's other
// readers are unaffected once the file is repaired.
func TestS3CorruptParquetErrorNamesObject(t *testing.T) {
	f := newFaultS3(t, "wh")
	h := newS3Harness(t, f, t.TempDir(), "wh")
	h.run("CREATE TABLE p (a INT, b STRING) STORED AS PARQUET;\nINSERT INTO p VALUES (1, 'x');")
	keys := f.keys(t, "wh", "warehouse/p/part-")
	if len(keys) != 1 {
		t.Fatalf("keys %v", keys)
	}
	good, err := f.backend.GetObject("wh", keys[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(good.Contents)
	good.Contents.Close()
	const junk = "this is not a Parquet file, whatever its name says"
	if _, err := f.backend.PutObject("wh", keys[0], map[string]string{}, strings.NewReader(junk), int64(len(junk)), nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"SELECT a FROM p;", "SELECT * FROM p;"} {
		msg := h.fail(q)
		if !strings.Contains(msg, "s3a://wh/"+keys[0]) || strings.Contains(msg, h.sess.tmp) || strings.Contains(msg, "LINE ") {
			t.Errorf("%s: %s; want the object's path, no local path, no SQL excerpt", q, msg)
		}
	}
	if _, err := f.backend.PutObject("wh", keys[0], map[string]string{}, bytes.NewReader(body), int64(len(body)), nil); err != nil {
		t.Fatal(err)
	}
	if got := h.run("SELECT a, b FROM p;"); got != "1\tx\n" {
		t.Errorf("after repair: %q", got)
	}
}
