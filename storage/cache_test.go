package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// putRandom stores n random bytes at bucket/key and returns them.
func putRandom(t testing.TB, f *fakeS3, bucket, key string, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	if _, err := f.backend.PutObject(bucket, key, map[string]string{}, bytes.NewReader(b), int64(n), nil); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLocalizeRangedParallelDownload(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf(KeyCacheDir, t.TempDir(), KeyDownloadPartSize, "64K"))
	want := putRandom(t, f, "bkt", "big/part-0.parquet", 1<<20+123)
	links := t.TempDir()
	p, err := st.Localize(ctx, "s3://bkt/big/part-0.parquet", links)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if !bytes.Equal(got, want) {
		t.Fatalf("localized %d bytes, differ from the object's %d", len(got), len(want))
	}
	if n := f.count("GET /bkt/big/part-0.parquet"); n != 17 {
		t.Errorf("%d GETs, want 17 ranged GETs of 64K", n)
	}
	if !strings.HasPrefix(p, links) || filepath.Base(p) != "part-0.parquet" {
		t.Errorf("path %s: want a link named part-0.parquet under %s", p, links)
	}
}

// TestCacheSharedAcrossStorages: two Storages (two jobs) with one cache directory download an object
// once; each still checks it with its own HEAD request.
func TestCacheSharedAcrossStorages(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	cache := t.TempDir()
	a := newStorage(t, f.conf(KeyCacheDir, cache))
	b := newStorage(t, f.conf(KeyCacheDir, cache))
	f.put(t, "bkt", "t/x.csv", "1,2\n")
	pa, err := a.Localize(ctx, "s3://bkt/t/x.csv", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pb, err := b.Localize(ctx, "s3://bkt/t/x.csv", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if f.count("GET /bkt/t/x.csv") != 1 || f.count("HEAD /bkt/t/x.csv") != 2 {
		t.Fatalf("GETs %d, HEADs %d: want 1 download and one check per job", f.count("GET /bkt/t/x.csv"), f.count("HEAD /bkt/t/x.csv"))
	}
	fa, _ := os.Stat(pa)
	fb, _ := os.Stat(pb)
	if pa == pb || !os.SameFile(fa, fb) {
		t.Fatalf("want two links to one cache entry: %s, %s", pa, pb)
	}
}

// TestCacheEvictsLeastRecentlyUsed: the cache stays within waggle.s3.cache.size; the entries used last
// stay.
func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	cache := t.TempDir()
	st := newStorage(t, f.conf(KeyCacheDir, cache, KeyCacheSize, "40K"))
	for i := range 6 {
		putRandom(t, f, "bkt", fmt.Sprintf("t/f%d", i), 10<<10)
	}
	get := func(i int) {
		t.Helper()
		if _, err := st.Localize(ctx, fmt.Sprintf("s3://bkt/t/f%d", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	get(0)
	get(1)
	get(2)
	get(0) // f0 is now more recent than f1
	for i := 3; i < 6; i++ {
		get(i)
	}
	used, err := st.CacheUsage()
	if err != nil || used > 40<<10 {
		t.Fatalf("cache holds %d bytes (%v), limit 40K", used, err)
	}
	before := f.count("GET /bkt/t/f")
	get(5) // most recent: still cached
	if f.count("GET /bkt/t/f") != before {
		t.Error("the most recently used entry was evicted")
	}
	get(1) // least recently used: evicted, downloaded again
	if f.count("GET /bkt/t/f") != before+1 {
		t.Error("the least recently used entry was kept")
	}
}

// TestEvictionNeverRemovesAFileBeingRead: a reader's link keeps its bytes, whatever eviction does, and
// linked entries are not evicted.
func TestEvictionNeverRemovesAFileBeingRead(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf(KeyCacheDir, t.TempDir(), KeyCacheSize, "20K"))
	want := putRandom(t, f, "bkt", "t/held", 10<<10)
	held, err := st.Localize(ctx, "s3://bkt/t/held", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(held)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := range 5 {
		putRandom(t, f, "bkt", fmt.Sprintf("t/other%d", i), 10<<10)
		if _, err := st.Localize(ctx, fmt.Sprintf("s3://bkt/t/other%d", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	var got bytes.Buffer
	if _, err := got.ReadFrom(r); err != nil || !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("reading the held file: %v (%d bytes)", err, got.Len())
	}
	before := f.count("GET /bkt/t/held")
	if _, err := st.Localize(ctx, "s3://bkt/t/held", t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if f.count("GET /bkt/t/held") != before {
		t.Error("a linked entry was evicted")
	}
}

// TestCacheConcurrentProcesses: several Storages (standing for processes) localize overlapping objects
// concurrently through one small cache; every returned file has the right content.
func TestCacheConcurrentProcesses(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	cache := t.TempDir()
	const objects = 12
	want := make([][]byte, objects)
	for i := range objects {
		want[i] = putRandom(t, f, "bkt", fmt.Sprintf("t/o%d", i), 20<<10+i)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for p := range 4 {
		st := newStorage(t, f.conf(KeyCacheDir, cache, KeyCacheSize, "100K", KeyDownloadPartSize, "8K"))
		links := t.TempDir()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 3 {
				for j := range objects {
					i := (j + p*3 + round) % objects
					path, err := st.Localize(ctx, fmt.Sprintf("s3://bkt/t/o%d", i), links)
					if err != nil {
						errs <- err
						return
					}
					got, err := os.ReadFile(path)
					if err != nil || !bytes.Equal(got, want[i]) {
						errs <- fmt.Errorf("process %d object %d: %v, %d bytes", p, i, err, len(got))
						return
					}
				}
				st.ReleaseLinks(links)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if tmp, _ := os.ReadDir(filepath.Join(cache, "tmp")); len(tmp) != 0 {
		t.Errorf("%d temporary downloads left", len(tmp))
	}
}
