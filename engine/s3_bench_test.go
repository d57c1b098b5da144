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

	"github.com/waggle-dev/waggle/catalog/sqlstore"
	"github.com/waggle-dev/waggle/storage"
)

// BenchmarkS3ScanVsLocal scans a Parquet table (WAGGLE_BENCH_MB, default 256 MB, in 64 MB files) from
// the loopback S3 server and from local disk, and reports the ratios S3/local for a first run (empty
// object cache) and a cached run (the object cache already holds the files):
//
//	WAGGLE_BENCH_MB=1024 go test ./engine -run '^$' -bench S3ScanVsLocal -benchtime 3x
func BenchmarkS3ScanVsLocal(b *testing.B) {
	mb := 256
	if v, err := strconv.Atoi(os.Getenv("WAGGLE_BENCH_MB")); err == nil && v > 0 {
		mb = v
	}
	ctx := context.Background()
	dir := b.TempDir()
	f := newFaultS3(b, "bench")
	newSession := func(cacheDir string) *Session {
		cat, err := sqlstore.Open(ctx, sqlstore.Options{Driver: "sqlite", DSN: filepath.Join(dir, "metastore.db"), Warehouse: "file://" + filepath.Join(dir, "wh")})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { cat.Close() })
		c := map[string]string{storage.KeyCacheDir: cacheDir}
		for _, kv := range f.s3Conf("AKIDBENCH") {
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
	for i := range files {
		p := filepath.Join(local, fmt.Sprintf("part-%05d.parquet", i))
		q := fmt.Sprintf("COPY (SELECT r AS id, random() AS x, md5(r::VARCHAR) AS s FROM range(%d, %d) t(r)) TO '%s' (FORMAT parquet, COMPRESSION uncompressed)", i*rowsPerFile, (i+1)*rowsPerFile, p)
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
		fi, _ := os.Stat(p)
		total += fi.Size()
		if err := s.st.CopyFromLocal(ctx, p, "s3://bench/t/"+filepath.Base(p)); err != nil {
			b.Fatal(err)
		}
	}
	run(s, "CREATE EXTERNAL TABLE tl (id BIGINT, x DOUBLE, s STRING) STORED AS PARQUET LOCATION 'file://"+local+"';\n"+
		"CREATE EXTERNAL TABLE ts (id BIGINT, x DOUBLE, s STRING) STORED AS PARQUET LOCATION 's3a://bench/t';")
	const q = "SELECT count(*), sum(x), max(s) FROM %s;"
	b.ResetTimer()
	var tLocal, tFirst, tCached time.Duration
	for range b.N {
		tLocal += run(s, fmt.Sprintf(q, "tl"))
		fresh := newSession(b.TempDir()) // empty object cache
		tFirst += run(fresh, fmt.Sprintf(q, "ts"))
		tCached += run(fresh, fmt.Sprintf(q, "ts"))
	}
	n := float64(b.N)
	b.ReportMetric(float64(total)/(1<<20), "MB")
	b.ReportMetric(tLocal.Seconds()/n, "s-local")
	b.ReportMetric(tFirst.Seconds()/tLocal.Seconds(), "x-local-first")
	b.ReportMetric(tCached.Seconds()/tLocal.Seconds(), "x-local-cached")
	b.Logf("%d MB Parquet, %d files: local %.3fs, S3 first run %.3fs (%.2fx), S3 cached %.3fs (%.2fx)",
		total>>20, files, tLocal.Seconds()/n, tFirst.Seconds()/n, tFirst.Seconds()/tLocal.Seconds(), tCached.Seconds()/n, tCached.Seconds()/tLocal.Seconds())
}
