package storage

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"
)

// BenchmarkDownload fetches 16 objects of 64 MiB (1 GiB) from the loopback S3 server into an empty
// object cache, all at once, as the first run of a full scan does, and reports the median throughput
// of the iterations (this machine's page-cache write speed varies from one iteration to the next by up
// to 2x; the median is what is typical).
//
//	go test ./storage -run '^$' -bench Download -benchtime 10x
func BenchmarkDownload(b *testing.B) {
	ctx := context.Background()
	f := newFakeS3(b, "bkt")
	const files, size = 16, 64 << 20
	for i := range files {
		putRandom(b, f, "bkt", fmt.Sprintf("t/part-%05d", i), size)
	}
	listed, err := newStorage(b, f.conf()).ListFiles(ctx, "s3://bkt/t", false)
	if err != nil {
		b.Fatal(err)
	}
	var took []float64
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		cache, links := b.TempDir(), b.TempDir()
		st := newStorage(b, f.conf(KeyCacheDir, cache))
		b.StartTimer()
		start := time.Now()
		g, gctx := errgroup.WithContext(ctx)
		for _, fi := range listed {
			g.Go(func() error {
				_, err := st.LocalizeListed(gctx, fi, links, "", nil)
				return err
			})
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start).Seconds())
		b.StopTimer()
		// Deleted before the kernel writes them back: no iteration competes with another's writeback.
		os.RemoveAll(links)
		os.RemoveAll(cache)
		b.StartTimer()
	}
	slices.Sort(took)
	b.ReportMetric(files*size/(1<<20)/took[len(took)/2], "MB/s")
	b.ReportMetric(files*size/(1<<20)/took[len(took)-1], "MB/s-slowest")
}

// BenchmarkUpload writes one 512 MiB object (8 parts of 64 MiB) to the loopback S3 server with 1 and 4
// parts in flight (fs.s3a.fast.upload.active.blocks) and reports the throughput of each. The in-process
// gofakes3 server's MD5 and buffer growth take most of the CPU; Waggle's side is mostly SigV4's payload
// SHA-256 (plain HTTP).
//
//	go test ./storage -run '^$' -bench Upload -benchtime 3x
func BenchmarkUpload(b *testing.B) {
	ctx := context.Background()
	f := newFakeS3(b, "bkt")
	body := make([]byte, 512<<20)
	for i := range body {
		body[i] = byte(i * 31)
	}
	for _, active := range []string{"1", "4"} {
		b.Run("active="+active, func(b *testing.B) {
			st := newStorage(b, f.conf("fs.s3a.fast.upload.active.blocks", active))
			b.SetBytes(int64(len(body)))
			for i := range b.N {
				w, err := st.Create(ctx, fmt.Sprintf("s3://bkt/up/%s-%d", active, i))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := w.Write(body); err != nil {
					b.Fatal(err)
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
