package storage

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestRangeArithmetic(t *testing.T) {
	if got, want := coalesce([]Range{{50, 10}, {0, 10}, {12, 3}, {60, 5}, {5, 0}}, 0), []Range{{0, 10}, {12, 3}, {50, 15}}; !reflect.DeepEqual(got, want) {
		t.Errorf("coalesce gap 0 = %v, want %v", got, want)
	}
	if got, want := coalesce([]Range{{0, 10}, {12, 3}, {50, 10}}, 2), []Range{{0, 15}, {50, 10}}; !reflect.DeepEqual(got, want) {
		t.Errorf("coalesce gap 2 = %v, want %v", got, want)
	}
	have := []Range{{10, 10}, {30, 5}}
	if got, want := subtract([]Range{{0, 40}}, have), []Range{{0, 10}, {20, 10}, {35, 5}}; !reflect.DeepEqual(got, want) {
		t.Errorf("subtract = %v, want %v", got, want)
	}
	if got := subtract([]Range{{12, 5}, {30, 5}}, have); got != nil {
		t.Errorf("subtract of covered ranges = %v, want none", got)
	}
	if got, want := clip([]Range{{-5, 10}, {95, 10}, {200, 1}}, 100), []Range{{0, 5}, {95, 5}}; !reflect.DeepEqual(got, want) {
		t.Errorf("clip = %v, want %v", got, want)
	}
	if got, want := union([]Range{{0, 5}}, []Range{{5, 5}, {20, 1}}), []Range{{0, 10}, {20, 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("union = %v, want %v", got, want)
	}
}

// TestLocalizePartial: a planner's ranges are fetched (and only they, give or take small gaps) into a
// private sparse file; later calls complete it; a new version of the object gets a new file; a
// planner asking for the whole object gets the shared cache entry.
func TestLocalizeListed(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf(KeyCacheDir, t.TempDir(), KeyDownloadPartSize, "256K"))
	const size = 4 << 20
	data := putRandom(t, f, "bkt", "t/f.bin", size)
	links, parts := t.TempDir(), filepath.Join(t.TempDir(), "partial")
	var mu sync.Mutex
	var calls [][]Range
	planner := func(ranges ...Range) Planner {
		return func(_ context.Context, local string, n int64, have []Range) ([]Range, bool, error) {
			mu.Lock()
			calls = append(calls, have)
			mu.Unlock()
			if n != size {
				t.Errorf("size %d", n)
			}
			return ranges, false, nil
		}
	}
	check := func(p string, ranges ...Range) {
		t.Helper()
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != size {
			t.Fatalf("partial file of %d bytes, want %d", len(got), size)
		}
		for _, r := range ranges {
			if !bytes.Equal(got[r.Off:r.End()], data[r.Off:r.End()]) {
				t.Errorf("bytes %v differ from the object's", r)
			}
		}
	}
	want := []Range{{size - 1000, 1000}, {1 << 20, 300 << 10}}
	p, err := st.LocalizeListed(ctx, FileInfo{Path: "s3://bkt/t/f.bin"}, links, parts, planner(want...))
	if err != nil {
		t.Fatal(err)
	}
	check(p, want...)
	if len(calls) != 2 || len(calls[1]) != 2 {
		t.Errorf("planner calls (have): %v, want two, the second with the two ranges", calls)
	}
	if n := f.count("GET /bkt/t/f.bin"); n != 3 {
		t.Errorf("%d GETs, want 3 (1000 bytes, then 300K in two parts of at most 256K)", n)
	}
	// A later call for more: only the new bytes are fetched, into the same file.
	more := Range{2 << 20, 10}
	p2, err := st.LocalizeListed(ctx, FileInfo{Path: "s3://bkt/t/f.bin"}, links, parts, planner(append(want, more)...))
	if err != nil || p2 != p {
		t.Fatalf("second call: %s, %v; want %s", p2, err, p)
	}
	check(p, append(want, more)...)
	if n := f.count("GET /bkt/t/f.bin"); n != 4 {
		t.Errorf("%d GETs, want 4", n)
	}
	// A new version of the object: a new file, the old one is dropped.
	data = putRandom(t, f, "bkt", "t/f.bin", size)
	p3, err := st.LocalizeListed(ctx, FileInfo{Path: "s3://bkt/t/f.bin"}, links, parts, planner(want...))
	if err != nil {
		t.Fatal(err)
	}
	check(p3, want...)
	if p3 == p {
		t.Error("a new version reused the old version's file")
	}
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old version's partial file: %v, want removed", err)
	}
	// Whole: the shared cache entry (a link in links).
	whole := func(context.Context, string, int64, []Range) ([]Range, bool, error) { return nil, true, nil }
	p4, err := st.LocalizeListed(ctx, FileInfo{Path: "s3://bkt/t/f.bin"}, links, parts, whole)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p4); !bytes.Equal(got, data) || filepath.Dir(filepath.Dir(filepath.Dir(p4))) != links {
		t.Errorf("whole: %s, want the whole object linked under %s", p4, links)
	}
	// Once the whole object is cached, the planner is not asked.
	calls = nil
	if _, err := st.LocalizeListed(ctx, FileInfo{Path: "s3://bkt/t/f.bin"}, links, parts, planner(want...)); err != nil || len(calls) != 0 {
		t.Errorf("cached object: %v, %d planner calls; want the cache entry, no calls", err, len(calls))
	}
	// A planner error names the object; a planner that never settles is cut off.
	st2 := newStorage(t, f.conf(KeyCacheDir, t.TempDir()))
	_, err = st2.LocalizeListed(ctx, FileInfo{Path: "s3://bkt/t/f.bin"}, links, parts, func(context.Context, string, int64, []Range) ([]Range, bool, error) {
		return nil, false, errors.New("bad footer")
	})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("s3://bkt/t/f.bin")) || !bytes.Contains([]byte(err.Error()), []byte("bad footer")) {
		t.Errorf("planner error: %v", err)
	}
	off := int64(0)
	_, err = st2.LocalizeListed(ctx, FileInfo{Path: "s3://bkt/t/f.bin"}, links, parts, func(context.Context, string, int64, []Range) ([]Range, bool, error) {
		off += 200 << 10
		return []Range{{off, 10}}, false, nil
	})
	if err == nil {
		t.Error("a planner that never settles: no error")
	}
	// Local files are returned as they are.
	lp := filepath.Join(t.TempDir(), "x.parquet")
	os.WriteFile(lp, []byte("abc"), 0o644)
	if got, err := st.LocalizeListed(ctx, FileInfo{Path: lp}, links, parts, whole); err != nil || got != lp {
		t.Errorf("local: %s, %v", got, err)
	}
	// ReleasePartials removes the files.
	if err := st.ReleasePartials(parts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(parts); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after ReleasePartials: %v", err)
	}
}

// TestLocalizePartialBound: once a Storage's partial files hold waggle.s3.cache.size bytes, further
// objects are localized whole through the shared cache, which evicts.
func TestLocalizePartialBound(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf(KeyCacheDir, t.TempDir(), KeyCacheSize, "3000"))
	for _, k := range []string{"a", "b", "c"} {
		putRandom(t, f, "bkt", "t/"+k, 10000)
	}
	links, parts := t.TempDir(), t.TempDir()
	plan := func(context.Context, string, int64, []Range) ([]Range, bool, error) {
		return []Range{{0, 2000}}, false, nil
	}
	for i, k := range []string{"a", "b", "c"} {
		p, err := st.LocalizeListed(ctx, FileInfo{Path: "s3://bkt/t/" + k}, links, parts, plan)
		if err != nil {
			t.Fatal(err)
		}
		inParts := strings.HasPrefix(p, parts)
		if want := i < 2; inParts != want {
			t.Errorf("object %d: %s; want a partial file: %v", i, p, want)
		}
	}
	if err := st.ReleasePartials(parts); err != nil {
		t.Fatal(err)
	}
	putRandom(t, f, "bkt", "t/d", 10000)
	if p, err := st.LocalizeListed(ctx, FileInfo{Path: "s3://bkt/t/d"}, links, parts, plan); err != nil || !strings.HasPrefix(p, parts) {
		t.Errorf("after ReleasePartials: %s, %v; want a partial file again", p, err)
	}
}

// TestTraffic: a Storage counts the bytes its S3 requests send and receive.
func TestTraffic(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf(KeyCacheDir, t.TempDir()))
	tr := st.Traffic()
	body := strings.Repeat("0123456789", 10000)
	writeFile(t, st, "s3://bkt/t/a.txt", body)
	if n := tr.Sent(); n < int64(len(body)) || n > int64(len(body))+4096 {
		t.Errorf("sent %d bytes uploading %d", n, len(body))
	}
	if _, err := st.Localize(ctx, "s3://bkt/t/a.txt", t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if n := tr.Received(); n < int64(len(body)) || n > int64(len(body))+4096 {
		t.Errorf("received %d bytes downloading %d", n, len(body))
	}
	// Another Storage has its own counts.
	if n := newStorage(t, f.conf()).Traffic().Received(); n != 0 {
		t.Errorf("a new Storage received %d", n)
	}
}

// TestLocalizePartialListed: a file described by a listing (with its ETag) is fetched in part without a
// HEAD request; one replaced after the listing is looked at again and fetched as it is now; one deleted
// after the listing gives a not-exist error.
func TestLocalizePartialListed(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf(KeyCacheDir, t.TempDir()))
	putRandom(t, f, "bkt", "t/a.bin", 100000)
	putRandom(t, f, "bkt", "t/b.bin", 100000)
	infos, err := st.ListFiles(ctx, "s3://bkt/t", false)
	if err != nil || len(infos) != 2 || infos[0].ETag == "" {
		t.Fatalf("listing: %+v, %v; want two files with ETags", infos, err)
	}
	links, parts := t.TempDir(), t.TempDir()
	plan := func(context.Context, string, int64, []Range) ([]Range, bool, error) {
		return []Range{{0, 10}}, false, nil
	}
	heads := f.count("HEAD /bkt/t/a.bin")
	p, err := st.LocalizeListed(ctx, infos[0], links, parts, plan)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count("HEAD /bkt/t/a.bin"); n != heads {
		t.Errorf("%d HEAD requests for a listed file, want none", n-heads)
	}
	// Replaced after the listing: fetched as it is now.
	now := putRandom(t, f, "bkt", "t/b.bin", 100000)
	p, err = st.LocalizeListed(ctx, infos[1], links, parts, plan)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if !bytes.Equal(got[:10], now[:10]) {
		t.Errorf("replaced object: got the bytes of the listed version")
	}
	// Whole (no plan): downloaded into the shared cache without a HEAD request; served from the cache
	// with one (the access check).
	heads = f.count("HEAD /bkt/t/b.bin")
	wp, err := st.LocalizeListed(ctx, FileInfo{Path: infos[1].Path, Size: int64(len(now)), ETag: etagOf(t, f, "t/b.bin")}, links, parts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(wp); !bytes.Equal(got, now) || strings.HasPrefix(wp, parts) {
		t.Errorf("whole: %s does not hold the object, or is a partial file", wp)
	}
	if n := f.count("HEAD /bkt/t/b.bin") - heads; n != 0 {
		t.Errorf("%d HEAD requests downloading a listed file whole, want 0", n)
	}
	if _, err := st.LocalizeListed(ctx, FileInfo{Path: infos[1].Path, Size: int64(len(now)), ETag: etagOf(t, f, "t/b.bin")}, links, parts, nil); err != nil {
		t.Fatal(err)
	}
	if n := f.count("HEAD /bkt/t/b.bin") - heads; n != 1 {
		t.Errorf("%d HEAD requests serving a cached object, want 1", n)
	}
	// Deleted after the listing.
	if _, err := f.backend.DeleteObject("bkt", "t/a.bin"); err != nil {
		t.Fatal(err)
	}
	st2 := newStorage(t, f.conf(KeyCacheDir, t.TempDir()))
	if _, err := st2.LocalizeListed(ctx, infos[0], links, t.TempDir(), plan); !errors.Is(err, ErrNotExist) {
		t.Errorf("deleted object: %v, want ErrNotExist", err)
	}
}

// etagOf is the ETag the fake server gives key now.
func etagOf(t *testing.T, f *fakeS3, key string) string {
	t.Helper()
	o, err := f.backend.HeadObject("bkt", key)
	if err != nil {
		t.Fatal(err)
	}
	return `"` + hex.EncodeToString(o.Hash) + `"`
}
