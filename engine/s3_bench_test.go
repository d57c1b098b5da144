package engine

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/waggle-dev/waggle/catalog/sqlstore"
	"github.com/waggle-dev/waggle/storage"
)

// BenchmarkS3ScanVsLocal scans a Parquet table (WAGGLE_BENCH_MB, default 256 MB, in 64 MB files) from
// the loopback S3 server and from local disk, and reports the ratios S3/local of two queries — a full
// scan reading every column, and a projection reading one of the three — for
//
//   - a first run (an empty object cache) against local files read from the disk (cold: their pages
//     dropped from the OS page cache before each run, with posix_fadvise DONTNEED) — the goal metric;
//
//   - the same first run against local files already in the page cache (hot);
//
//   - a cached run (the object cache holds the files) against hot local files.
//
// Each ratio is the median over the iterations of that iteration's ratio: on this machine (a VM whose
// free memory is handed back to the host, virtio-balloon free page reporting) writing fresh pages into
// the page cache costs 0.5 to 2 s per GiB depending on the memory's recent history, and a first run is
// mostly such writes.
//
//	WAGGLE_BENCH_MB=1024 go test ./engine -run '^$' -bench S3ScanVsLocal -benchtime 8x
func BenchmarkS3ScanVsLocal(b *testing.B) {
	mb := 256
	if v, err := strconv.Atoi(os.Getenv("WAGGLE_BENCH_MB")); err == nil && v > 0 {
		mb = v
	}
	ctx := context.Background()
	dir := b.TempDir()
	f := newFaultS3(b, "bench")
	newSession := func(cacheDir string) *Session { return newBenchSession(b, dir, f, cacheDir) }
	run := func(s *Session, sql string) time.Duration {
		start := time.Now()
		if err := s.RunScript(ctx, "bench.sql", sql); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}

	// ~64 MB files of random doubles and incompressible strings.
	s := newSession(b.TempDir())
	local := filepath.Join(dir, "local")
	os.MkdirAll(local, 0o755)
	rowsPerFile := 64 << 20 / 48
	files := max(1, mb/64)
	var total int64
	var paths []string
	for i := range files {
		p := filepath.Join(local, fmt.Sprintf("part-%05d.parquet", i))
		q := fmt.Sprintf("COPY (SELECT r AS id, random() AS x, md5(r::VARCHAR) AS s FROM range(%d, %d) t(r)) TO '%s' (FORMAT parquet, COMPRESSION uncompressed)", i*rowsPerFile, (i+1)*rowsPerFile, p)
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
		fi, _ := os.Stat(p)
		total += fi.Size()
		paths = append(paths, p)
		if err := s.st.CopyFromLocal(ctx, p, "s3://bench/t/"+filepath.Base(p)); err != nil {
			b.Fatal(err)
		}
	}
	const ddl = "CREATE EXTERNAL TABLE tl (id BIGINT, x DOUBLE, s STRING) STORED AS PARQUET LOCATION 'file://%s';\n" +
		"CREATE EXTERNAL TABLE ts (id BIGINT, x DOUBLE, s STRING) STORED AS PARQUET LOCATION 's3a://bench/t';"
	run(s, fmt.Sprintf(ddl, local))
	// dropPages evicts the local files from the page cache, so that the next scan reads the disk.
	dropPages := func() {
		for _, p := range paths {
			fh, err := os.Open(p)
			if err != nil {
				b.Fatal(err)
			}
			if err := unix.Fadvise(int(fh.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
				b.Fatal(err)
			}
			fh.Close()
		}
	}
	// The local files are written back to the disk now, so that no run competes with their writeback.
	// Each first run's downloads are deleted right after its cached run, before the kernel writes them
	// back (30 s): syncing them instead would make every later run compete with the file system's
	// discards of their blocks (the disk is mounted with online discard here).
	unix.Sync()
	queries := []struct{ name, q string }{
		{"full", "SELECT count(*), sum(x), max(s) FROM %s;"},
		{"project", "SELECT sum(x) FROM %s;"},
	}
	type times struct{ cold, hot, first, cached time.Duration }
	res := make([][]times, len(queries)) // per query, per iteration
	b.ResetTimer()
	for range b.N {
		for i, q := range queries {
			var t times
			dropPages()
			t.cold = run(s, fmt.Sprintf(q.q, "tl"))
			t.hot = run(s, fmt.Sprintf(q.q, "tl"))
			cache := b.TempDir()
			fresh := newSession(cache) // empty object cache
			t.first = run(fresh, fmt.Sprintf(q.q, "ts"))
			t.cached = run(fresh, fmt.Sprintf(q.q, "ts"))
			fresh.Close()
			os.RemoveAll(cache)
			res[i] = append(res[i], t)
		}
	}
	b.ReportMetric(float64(total)/(1<<20), "MB")
	// The machine's page-cache write speed varies from run to run by up to 3x, so each ratio is the
	// median over the iterations of that iteration's ratio (the runs compared are back to back).
	for i, q := range queries {
		ratio := func(num, den func(times) time.Duration) (med, lo, hi float64) {
			var rs []float64
			for _, t := range res[i] {
				rs = append(rs, num(t).Seconds()/den(t).Seconds())
			}
			slices.Sort(rs)
			return rs[len(rs)/2], rs[0], rs[len(rs)-1]
		}
		median := func(get func(times) time.Duration) float64 {
			var ds []float64
			for _, t := range res[i] {
				ds = append(ds, get(t).Seconds())
			}
			slices.Sort(ds)
			return ds[len(ds)/2]
		}
		cold := func(t times) time.Duration { return t.cold }
		hot := func(t times) time.Duration { return t.hot }
		first := func(t times) time.Duration { return t.first }
		cached := func(t times) time.Duration { return t.cached }
		fc, fcLo, fcHi := ratio(first, cold)
		fh, fhLo, fhHi := ratio(first, hot)
		ch, chLo, chHi := ratio(cached, hot)
		b.ReportMetric(fc, "x-"+q.name+"-first/cold")
		b.ReportMetric(fh, "x-"+q.name+"-first/hot")
		b.ReportMetric(ch, "x-"+q.name+"-cached/hot")
		b.Logf("%s (%s): %d MB Parquet in %d files, median of %d: local cold %.3fs, hot %.3fs; S3 first run %.3fs "+
			"(%.2fx cold [%.2f-%.2f], %.2fx hot [%.2f-%.2f]), cached %.3fs (%.2fx hot [%.2f-%.2f])",
			q.name, strings.TrimSuffix(fmt.Sprintf(q.q, "t"), ";"), total>>20, files, len(res[i]),
			median(cold), median(hot), median(first), fc, fcLo, fcHi, fh, fhLo, fhHi, median(cached), ch, chLo, chHi)
	}
}

// BenchmarkS3ManySmallFiles scans a Parquet table of 300 small files (one column of three read) from the
// loopback S3 server answering every request 20 ms late, as a cloud object store does, for several
// values of waggle.s3.fetch.parallelism - waggle.s3.download.parallelism (8-16 were the defaults before
// 32-32), with partial Parquet fetches and with whole files: per-file round trips and file-system work,
// not bytes, set the time.
//
//	go test ./engine -run '^$' -bench S3ManySmallFiles -benchtime 3x
func BenchmarkS3ManySmallFiles(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	f := newFaultS3(b, "bench")
	s := newBenchSession(b, dir, f, b.TempDir())
	const files = 300
	for i := range files {
		p := filepath.Join(dir, fmt.Sprintf("part-%05d.parquet", i))
		q := fmt.Sprintf("COPY (SELECT r AS id, random() AS x, md5(r::VARCHAR) AS s FROM range(%d, %d) t(r)) TO '%s' (FORMAT parquet)", i*2000, (i+1)*2000, p)
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
		if err := s.st.CopyFromLocal(ctx, p, "s3://bench/small/"+filepath.Base(p)); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.RunScript(ctx, "ddl.sql", "CREATE EXTERNAL TABLE small (id BIGINT, x DOUBLE, s STRING) STORED AS PARQUET LOCATION 's3a://bench/small';"); err != nil {
		b.Fatal(err)
	}
	f.inject("/bench/", "delay", -1)
	type config struct{ name, files, gets, partial string }
	var configs []config
	for _, partial := range []string{"true", "false"} {
		for _, p := range [][2]string{{"8", "16"}, {"32", "32"}, {"64", "64"}} {
			mode := map[string]string{"true": "partial", "false": "whole"}[partial]
			configs = append(configs, config{mode + "-" + p[0] + "-" + p[1], p[0], p[1], partial})
		}
	}
	times := make([]time.Duration, len(configs))
	b.ResetTimer()
	for range b.N {
		for i, c := range configs {
			fresh := newBenchSession(b, dir, f, b.TempDir(), "waggle.s3.fetch.parallelism="+c.files,
				"waggle.s3.download.parallelism="+c.gets, "waggle.s3.fetch.partial="+c.partial)
			start := time.Now()
			if err := fresh.RunScript(ctx, "q.sql", "SELECT sum(x) FROM small;"); err != nil {
				b.Fatal(err)
			}
			times[i] += time.Since(start)
			fresh.Close()
		}
	}
	for i, c := range configs {
		b.ReportMetric(times[i].Seconds()/float64(b.N), "s-"+c.name)
	}
}

// BenchmarkS3ManyPartitions scans a Parquet table of 100 partitions of 2 small files each (one column of
// three read) from the loopback S3 server answering every request 20 ms late, first run (empty object
// cache): listings and fetches of all the partitions go together, waggle.s3.fetch.parallelism at a time.
//
//	go test ./engine -run '^$' -bench S3ManyPartitions -benchtime 3x
func BenchmarkS3ManyPartitions(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	f := newFaultS3(b, "bench")
	s := newBenchSession(b, dir, f, b.TempDir())
	local := filepath.Join(dir, "parts")
	for half := range 2 {
		q := fmt.Sprintf("COPY (SELECT r AS id, random() AS x, md5(r::VARCHAR) AS s, r %% 100 AS d FROM range(%d, %d) t(r)) "+
			"TO '%s' (FORMAT parquet, PARTITION_BY (d), FILENAME_PATTERN 'part-%d-{i}', OVERWRITE_OR_IGNORE)", half*100000, (half+1)*100000, local, half)
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	err := filepath.WalkDir(local, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(local, p)
		return s.st.CopyFromLocal(ctx, p, "s3://bench/mp/"+filepath.ToSlash(rel))
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.RunScript(ctx, "ddl.sql", "CREATE EXTERNAL TABLE mp (id BIGINT, x DOUBLE, s STRING) PARTITIONED BY (d INT) "+
		"STORED AS PARQUET LOCATION 's3a://bench/mp';\nMSCK REPAIR TABLE mp;"); err != nil {
		b.Fatal(err)
	}
	f.inject("/bench/", "delay", -1)
	var took time.Duration
	b.ResetTimer()
	for range b.N {
		fresh := newBenchSession(b, dir, f, b.TempDir())
		start := time.Now()
		if err := fresh.RunScript(ctx, "q.sql", "SELECT sum(x) FROM mp;"); err != nil {
			b.Fatal(err)
		}
		took += time.Since(start)
		fresh.Close()
	}
	b.ReportMetric(took.Seconds()/float64(b.N), "s-first-run")
}

// BenchmarkS3DynamicInsert writes 200,000 rows into 100 new partitions of an S3 table with a dynamic-
// partition INSERT OVERWRITE, the server answering every request 20 ms late: the staged files' uploads
// (round trips each) overlap the next partitions' writes.
//
//	go test ./engine -run '^$' -bench S3DynamicInsert -benchtime 3x
func BenchmarkS3DynamicInsert(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	f := newFaultS3(b, "bench")
	s := newBenchSession(b, dir, f, b.TempDir(), "hive.exec.dynamic.partition.mode=nonstrict")
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	src := filepath.Join(dir, "src", "part-0.parquet")
	if _, err := s.conn.ExecContext(ctx, fmt.Sprintf("COPY (SELECT r AS id, md5(r::VARCHAR) AS s, r %% 100 AS d FROM range(200000) t(r)) TO '%s' (FORMAT parquet)", src)); err != nil {
		b.Fatal(err)
	}
	if err := s.RunScript(ctx, "ddl.sql", fmt.Sprintf("CREATE EXTERNAL TABLE src (id BIGINT, s STRING, d INT) STORED AS PARQUET LOCATION 'file://%s';\n", filepath.Dir(src))+
		"CREATE EXTERNAL TABLE dst (id BIGINT, s STRING) PARTITIONED BY (d INT) STORED AS PARQUET LOCATION 's3a://bench/dst';"); err != nil {
		b.Fatal(err)
	}
	f.inject("/bench/", "delay", -1)
	var took time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if err := s.RunScript(ctx, "q.sql", "INSERT OVERWRITE TABLE dst PARTITION (d) SELECT id, s, d FROM src;"); err != nil {
			b.Fatal(err)
		}
		took += time.Since(start)
	}
	b.ReportMetric(took.Seconds()/float64(b.N), "s-insert")
}

// newBenchSession is a session of a benchmark: the metastore and warehouse in dir (shared by the
// benchmark's sessions), the object cache in cacheDir, f's bucket reachable, extra "key=value" settings.
func newBenchSession(b *testing.B, dir string, f *faultS3, cacheDir string, extra ...string) *Session {
	b.Helper()
	ctx := context.Background()
	cat, err := sqlstore.Open(ctx, sqlstore.Options{Driver: "sqlite", DSN: filepath.Join(dir, "metastore.db"), Warehouse: "file://" + filepath.Join(dir, "wh")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cat.Close() })
	c := map[string]string{storage.KeyCacheDir: cacheDir}
	for _, kv := range append(f.s3Conf("AKIDBENCH"), extra...) {
		k, v, _ := strings.Cut(kv, "=")
		c[k] = v
	}
	st, err := storage.New(c)
	if err != nil {
		b.Fatal(err)
	}
	s, err := NewSession(ctx, Options{Conf: c, Catalog: cat, Storage: st, Stdout: io.Discard, Silent: true, TempDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
