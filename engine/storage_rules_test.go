package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStorageRules pins HIVE-SEMANTICS.md's "Tables and storage" rules end to end.
func TestStorageRules(t *testing.T) {
	t.Run("default format is TEXTFILE with ^A fields and \\N nulls", func(t *testing.T) {
		h := newHarness(t)
		h.run("CREATE TABLE t (a INT, b STRING, c ARRAY<STRING>, m MAP<STRING,INT>);\nINSERT INTO t VALUES (1, NULL, array('x','y'), map('k', 2));")
		files, _ := filepath.Glob(filepath.Join(h.wh, "t", "part-*"))
		if len(files) != 1 {
			t.Fatalf("files: %v", files)
		}
		data, _ := os.ReadFile(files[0])
		if string(data) != "1\x01\\N\x01x\x02y\x01k\x032\n" {
			t.Fatalf("file content %q", data)
		}
		if out := h.run("SELECT * FROM t;"); out != "1\tNULL\t[\"x\",\"y\"]\t{\"k\":2}\n" {
			t.Fatalf("read back %q", out)
		}
	})
	t.Run("missing trailing fields NULL, extra ignored, bad numbers NULL, empty string kept", func(t *testing.T) {
		h := newHarness(t)
		dir := filepath.Join(h.dir, "ext")
		h.writeFile("ext/d.txt", "1,a,x\n2\nnotanint,\n")
		h.run("CREATE EXTERNAL TABLE e (a INT, b STRING) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '" + dir + "';")
		if out := h.run("SELECT a, b, b IS NULL FROM e;"); out != "1\ta\tfalse\n2\tNULL\ttrue\nNULL\t\tfalse\n" {
			t.Fatalf("got %q", out)
		}
	})
	t.Run("ESCAPED BY and NULL DEFINED AS and skip.header.line.count", func(t *testing.T) {
		h := newHarness(t)
		dir := filepath.Join(h.dir, "esc")
		h.writeFile("esc/d.txt", "header\na\\,b,NA\nc,d\n")
		h.run("CREATE EXTERNAL TABLE e (x STRING, y STRING) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' ESCAPED BY '\\\\' NULL DEFINED AS 'NA' LOCATION '" + dir + "' TBLPROPERTIES ('skip.header.line.count'='1');")
		if out := h.run("SELECT * FROM e;"); out != "a,b\tNULL\nc\td\n" {
			t.Fatalf("got %q", out)
		}
	})
	t.Run("OpenCSVSerde reads quoted fields as strings", func(t *testing.T) {
		h := newHarness(t)
		dir := filepath.Join(h.dir, "csv")
		h.writeFile("csv/d.csv", "\"a,b\",1\n\"c\",2\n")
		h.run("CREATE EXTERNAL TABLE c (x STRING, n INT) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' LOCATION '" + dir + "';")
		if out := h.run("SELECT x, n FROM c;"); out != "a,b\t1\nc\t2\n" {
			t.Fatalf("got %q", out)
		}
	})
	t.Run("JSON SerDe matches keys case-insensitively", func(t *testing.T) {
		h := newHarness(t)
		dir := filepath.Join(h.dir, "json")
		h.writeFile("json/d.json", "{\"Name\":\"a\",\"n\":1}\n{\"name\":\"b\"}\n")
		h.run("CREATE EXTERNAL TABLE j (name STRING, n INT) ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe' LOCATION '" + dir + "';")
		if out := h.run("SELECT name, n FROM j;"); out != "a\t1\nb\tNULL\n" {
			t.Fatalf("got %q", out)
		}
	})
	t.Run("STORED AS PARQUET round trip and ADD COLUMNS reads NULL from old files", func(t *testing.T) {
		h := newHarness(t)
		h.run("CREATE TABLE p (a INT, b STRING) STORED AS PARQUET;\nINSERT INTO p VALUES (1, 'x');\nALTER TABLE p ADD COLUMNS (c DOUBLE);\nINSERT INTO p VALUES (2, 'y', 1.5);")
		if out := h.run("SELECT * FROM p ORDER BY a;"); out != "1\tx\tNULL\n2\ty\t1.5\n" {
			t.Fatalf("got %q", out)
		}
	})
	t.Run("managed table location and database directory", func(t *testing.T) {
		h := newHarness(t)
		h.run("CREATE DATABASE d;\nCREATE TABLE d.t (a INT);\nINSERT INTO d.t VALUES (1);")
		if _, err := os.Stat(filepath.Join(h.wh, "d.db", "t")); err != nil {
			t.Fatalf("managed location: %v", err)
		}
		h.run("CREATE TABLE t0 (a INT);")
		if _, err := os.Stat(filepath.Join(h.wh, "t0")); err != nil {
			t.Fatalf("default db location: %v", err)
		}
	})
	t.Run("LOAD DATA LOCAL copies, without LOCAL moves, OVERWRITE replaces", func(t *testing.T) {
		h := newHarness(t)
		local := h.writeFile("in/a.txt", "1\n")
		moved := h.writeFile("in/b.txt", "2\n")
		h.run("CREATE TABLE t (a INT);\nLOAD DATA LOCAL INPATH '" + local + "' INTO TABLE t;\nLOAD DATA INPATH '" + moved + "' INTO TABLE t;")
		if _, err := os.Stat(local); err != nil {
			t.Fatal("LOCAL source must stay")
		}
		if _, err := os.Stat(moved); !os.IsNotExist(err) {
			t.Fatal("non-LOCAL source must be moved")
		}
		if out := h.run("SELECT a FROM t ORDER BY a;"); out != "1\n2\n" {
			t.Fatalf("got %q", out)
		}
		h.run("LOAD DATA LOCAL INPATH '" + local + "' OVERWRITE INTO TABLE t;")
		if out := h.run("SELECT a FROM t;"); out != "1\n" {
			t.Fatalf("after OVERWRITE %q", out)
		}
	})
	t.Run("INSERT OVERWRITE of a static partition replaces only that partition", func(t *testing.T) {
		h := newHarness(t)
		h.run(`CREATE TABLE p (a INT) PARTITIONED BY (ds STRING);
INSERT INTO p PARTITION (ds='1') VALUES (1);
INSERT INTO p PARTITION (ds='2') VALUES (2);
INSERT OVERWRITE TABLE p PARTITION (ds='1') SELECT 10;`)
		if out := h.run("SELECT a, ds FROM p ORDER BY ds;"); out != "10\t1\n2\t2\n" {
			t.Fatalf("got %q", out)
		}
	})
	t.Run("dynamic partition overwrite replaces only partitions that receive rows", func(t *testing.T) {
		h := newHarness(t, "hive.exec.dynamic.partition.mode=nonstrict")
		h.run(`CREATE TABLE p (a INT) PARTITIONED BY (ds STRING);
INSERT INTO p PARTITION (ds='1') VALUES (1);
INSERT INTO p PARTITION (ds='2') VALUES (2);
INSERT OVERWRITE TABLE p PARTITION (ds) SELECT 20, '2';`)
		if out := h.run("SELECT a, ds FROM p ORDER BY ds;"); out != "1\t1\n20\t2\n" {
			t.Fatalf("got %q", out)
		}
	})
	t.Run("MSCK REPAIR TABLE registers partition directories", func(t *testing.T) {
		h := newHarness(t)
		dir := filepath.Join(h.dir, "pt")
		h.writeFile("pt/ds=2024-01-01/f.txt", "1\n")
		h.writeFile("pt/ds=2024-01-02/f.txt", "2\n")
		h.run("CREATE EXTERNAL TABLE p (a INT) PARTITIONED BY (ds STRING) LOCATION '" + dir + "';")
		if out := h.run("SELECT count(*) FROM p;"); out != "0\n" {
			t.Fatalf("before repair %q", out)
		}
		h.run("MSCK REPAIR TABLE p;")
		if out := h.run("SHOW PARTITIONS p;"); out != "ds=2024-01-01\nds=2024-01-02\n" {
			t.Fatalf("partitions %q", out)
		}
		if out := h.run("SELECT a FROM p WHERE ds = '2024-01-02';"); out != "2\n" {
			t.Fatalf("pruned %q", out)
		}
	})
	t.Run("scheme-less paths resolve against fs.defaultFS", func(t *testing.T) {
		h := newHarness(t)
		dir := filepath.Join(h.dir, "sl")
		h.writeFile("sl/f.txt", "5\n")
		h.run("CREATE EXTERNAL TABLE s (a INT) LOCATION '" + dir + "';")
		if out := h.run("SHOW CREATE TABLE s;"); !strings.Contains(out, "'file://"+dir+"'") {
			t.Fatalf("location not qualified: %s", out)
		}
	})
	t.Run("UDTF next to other columns and LATERAL VIEW OUTER", func(t *testing.T) {
		h := newHarness(t)
		h.run("CREATE TABLE a (k INT, arr ARRAY<INT>);\nINSERT INTO a VALUES (1, array(1,2)), (2, NULL), (3, array());")
		if out := h.run("SELECT k, explode(arr) FROM a;"); out != "1\t1\n1\t2\n" {
			t.Fatalf("select-list UDTF %q", out)
		}
		if out := h.run("SELECT k, x FROM a LATERAL VIEW OUTER explode(arr) t AS x;"); out != "1\t1\n1\t2\n2\tNULL\n3\tNULL\n" {
			t.Fatalf("outer %q", out)
		}
	})
	t.Run("CREATE TEMPORARY FUNCTION binds a Hive built-in class", func(t *testing.T) {
		h := newHarness(t)
		out := h.run("CREATE TEMPORARY FUNCTION my_upper AS 'org.apache.hadoop.hive.ql.udf.generic.GenericUDFUpper';\nSELECT my_upper('abc');")
		if out != "ABC\n" {
			t.Fatalf("got %q", out)
		}
	})
	t.Run("DROP VIEW of a missing view is not an error; views keep their text", func(t *testing.T) {
		h := newHarness(t)
		h.run("DROP VIEW nosuch;\nCREATE TABLE b (a INT);\nINSERT INTO b VALUES (1), (2);\nCREATE VIEW v AS SELECT a * 10 AS x FROM b WHERE a > 1;")
		if out := h.run("SELECT * FROM v;"); out != "20\n" {
			t.Fatalf("view %q", out)
		}
	})
	t.Run("unsupported formats are a clear error, never a substitute", func(t *testing.T) {
		h := newHarness(t)
		h.run("CREATE TABLE o (a INT) STORED AS AVRO;")
		msg := h.fail("INSERT INTO o VALUES (1);")
		if !strings.Contains(msg, "AVRO") || !strings.Contains(msg, "not supported") {
			t.Fatalf("got %q", msg)
		}
	})
	t.Run("a corrupt Parquet file is an error naming the file", func(t *testing.T) {
		h := newHarness(t)
		dir := filepath.Join(h.dir, "bad")
		h.writeFile("bad/x.parquet", "this is not parquet")
		h.run("CREATE EXTERNAL TABLE b (a INT) STORED AS PARQUET LOCATION '" + dir + "';")
		msg := h.fail("SELECT * FROM b;")
		if !strings.Contains(msg, "x.parquet") {
			t.Fatalf("got %q", msg)
		}
	})
}

func TestRenameManagedTableMovesDataAndPartitions(t *testing.T) {
	h := newHarness(t)
	h.run(`CREATE TABLE r (a INT) PARTITIONED BY (ds STRING);
INSERT INTO r PARTITION (ds='1') VALUES (1);
INSERT OVERWRITE TABLE r PARTITION (ds='1') SELECT 2;
INSERT INTO r PARTITION (ds='2') VALUES (3);
ALTER TABLE r RENAME TO r2;`)
	if out := h.run("SELECT a, ds FROM r2 ORDER BY ds;"); out != "2\t1\n3\t2\n" {
		t.Fatalf("after rename: %q", out)
	}
	if _, err := os.Stat(filepath.Join(h.wh, "r")); !os.IsNotExist(err) {
		t.Fatalf("old directory still there: %v", err)
	}
	h.run("DROP TABLE r2;")
	if _, err := os.Stat(filepath.Join(h.wh, "r2")); !os.IsNotExist(err) {
		t.Fatalf("dropped table's directory still there: %v", err)
	}
}

// TestDropPartitionComparisons: ALTER TABLE ... DROP PARTITION (k < v) drops exactly the partitions the
// comparison selects, compared by the partition column's type (an int key: 9 < 10).
func TestDropPartitionComparisons(t *testing.T) {
	h := newHarness(t)
	h.run(`CREATE TABLE p (a INT) PARTITIONED BY (n INT);
INSERT INTO p PARTITION (n=9) VALUES (9);
INSERT INTO p PARTITION (n=10) VALUES (10);
INSERT INTO p PARTITION (n=11) VALUES (11);
ALTER TABLE p DROP PARTITION (n < 11);`)
	if out := h.run("SHOW PARTITIONS p;"); out != "n=11\n" {
		t.Fatalf("partitions after DROP (n < 11): %q", out)
	}
	if msg := h.fail("INSERT INTO p PARTITION (n > 3) VALUES (1);"); !strings.Contains(msg, "not a comparison") {
		t.Fatalf("comparison in an INSERT spec: %q", msg)
	}
}

// TestCTASPartitionedBy: Spark's CREATE TABLE ... PARTITIONED BY (names) AS SELECT puts the partition
// columns last and writes dynamic partitions without needing nonstrict mode.
func TestCTASPartitionedBy(t *testing.T) {
	h := newHarness(t)
	h.run(`CREATE TABLE src0 (ds STRING, a INT, b STRING);
INSERT INTO src0 VALUES ('d1', 1, 'x'), ('d2', 2, 'y'), ('d1', 3, 'z');
CREATE TABLE c PARTITIONED BY (ds) STORED AS PARQUET AS SELECT ds, a, b FROM src0;`)
	if out := h.run("SHOW PARTITIONS c;"); out != "ds=d1\nds=d2\n" {
		t.Fatalf("partitions %q", out)
	}
	if out := h.run("SELECT * FROM c ORDER BY a;"); out != "1\tx\td1\n2\ty\td2\n3\tz\td1\n" {
		t.Fatalf("rows %q", out)
	}
}

// TestDFSCommands: the Hive CLI's `dfs` commands run on Waggle's storage.
func TestDFSCommands(t *testing.T) {
	h := newHarness(t)
	dir := filepath.Join(h.dir, "dfs")
	src := h.writeFile("in.txt", "1\n2\n")
	out := h.run("dfs -mkdir -p " + dir + "/a;\ndfs -put " + src + " " + dir + "/a/in.txt;\ndfs -cat " + dir + "/a/in.txt;\ndfs -ls " + dir + "/a;")
	if !strings.HasPrefix(out, "1\n2\nFound 1 items\n-rw-r--r--") || !strings.Contains(out, dir+"/a/in.txt\n") {
		t.Fatalf("dfs output %q", out)
	}
	h.run("dfs -test -e " + dir + "/a/in.txt;\ndfs -rm -r " + dir + "/a;\ndfs -rm -f " + dir + "/nothing;")
	if _, err := os.Stat(filepath.Join(dir, "a")); !os.IsNotExist(err) {
		t.Fatalf("dfs -rm -r left %v", err)
	}
	if msg := h.fail("dfs -test -e " + dir + "/a;"); !strings.Contains(msg, "does not pass") {
		t.Fatalf("dfs -test of a missing path: %q", msg)
	}
	if msg := h.fail("dfs -rm " + h.dir + ";"); !strings.Contains(msg, "is a directory") {
		t.Fatalf("dfs -rm of a directory without -r: %q", msg)
	}
	if msg := h.fail("dfs -chmod 777 " + dir + ";"); !strings.Contains(msg, "not supported") {
		t.Fatalf("unsupported dfs command: %q", msg)
	}
}
