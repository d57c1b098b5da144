package engine

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
//     WAGGLE_BENCH_MB=1024 go test ./engine -run '^$' -bench S3ScanVsLocal -benchtime 3x
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
		unix.Sync() // start every run with no dirty pages being written back
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
	queries := []struct{ name, q string }{
		{"full", "SELECT count(*), sum(x), max(s) FROM %s;"},
		{"project", "SELECT sum(x) FROM %s;"},
	}
	type times struct{ cold, hot, first, cached time.Duration }
	res := make([]times, len(queries))
	b.ResetTimer()
	for range b.N {
		for i, q := range queries {
			dropPages()
			res[i].cold += run(s, fmt.Sprintf(q.q, "tl"))
			res[i].hot += run(s, fmt.Sprintf(q.q, "tl"))
			cache := b.TempDir()
			fresh := newSession(cache) // empty object cache
			res[i].first += run(fresh, fmt.Sprintf(q.q, "ts"))
			res[i].cached += run(fresh, fmt.Sprintf(q.q, "ts"))
			fresh.Close()
			os.RemoveAll(cache)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(total)/(1<<20), "MB")
	for i, q := range queries {
		r := res[i]
		b.ReportMetric(r.first.Seconds()/r.cold.Seconds(), "x-"+q.name+"-first/cold")
		b.ReportMetric(r.first.Seconds()/r.hot.Seconds(), "x-"+q.name+"-first/hot")
		b.ReportMetric(r.cached.Seconds()/r.hot.Seconds(), "x-"+q.name+"-cached/hot")
		b.Logf("%s (%s): %d MB Parquet in %d files: local cold %.3fs, hot %.3fs; S3 first run %.3fs (%.2fx cold, %.2fx hot), cached %.3fs (%.2fx hot)",
			q.name, strings.TrimSuffix(fmt.Sprintf(q.q, "t"), ";"), total>>20, files, r.cold.Seconds()/n, r.hot.Seconds()/n,
			r.first.Seconds()/n, r.first.Seconds()/r.cold.Seconds(), r.first.Seconds()/r.hot.Seconds(),
			r.cached.Seconds()/n, r.cached.Seconds()/r.hot.Seconds())
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
