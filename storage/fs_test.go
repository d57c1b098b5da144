package storage

import (
	"context"
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"
)

// TestFSRules runs every FS rule against local files, s3:// and s3a://.
func TestFSRules(t *testing.T) {
	ctx := context.Background()
	rules := []struct {
		name string
		run  func(t *testing.T, st *Storage, root string)
	}{
		{"created file reads back and stats as a file", func(t *testing.T, st *Storage, root string) {
			writeFile(t, st, root+"/t/x.txt", "hello")
			if got := readFile(t, st, root+"/t/x.txt"); got != "hello" {
				t.Fatalf("read %q, want hello", got)
			}
			info, err := st.Stat(ctx, root+"/t/x.txt")
			if err != nil {
				t.Fatal(err)
			}
			want := FileInfo{Path: root + "/t/x.txt", Name: "x.txt", Size: 5, ModTime: info.ModTime}
			if strings.HasPrefix(root, "s3") {
				want.ETag = `"5d41402abc4b2a76b9719d911017c592"` // MD5 of "hello", as S3 computes it
			}
			if info != want || info.ModTime.IsZero() {
				t.Fatalf("Stat = %+v, want %+v with a ModTime", info, want)
			}
		}},
		{"create makes parent directories", func(t *testing.T, st *Storage, root string) {
			writeFile(t, st, root+"/a/b/c/x", "1")
			info, err := st.Stat(ctx, root+"/a/b")
			if err != nil || !info.IsDir || info.Name != "b" || info.Path != root+"/a/b" {
				t.Fatalf("Stat parent = %+v, %v; want directory b", info, err)
			}
		}},
		{"create truncates an existing file", func(t *testing.T, st *Storage, root string) {
			writeFile(t, st, root+"/f", "long content")
			writeFile(t, st, root+"/f", "short")
			if got := readFile(t, st, root+"/f"); got != "short" {
				t.Fatalf("read %q", got)
			}
		}},
		{"list returns direct children, files and directories, sorted, with full paths", func(t *testing.T, st *Storage, root string) {
			writeFile(t, st, root+"/t/b.txt", "bb")
			writeFile(t, st, root+"/t/a.txt", "a")
			writeFile(t, st, root+"/t/k=2/x", "x")
			writeFile(t, st, root+"/t/k=1/y/z", "z")
			got, err := st.List(ctx, root+"/t")
			if err != nil {
				t.Fatal(err)
			}
			if n := names(got); !reflect.DeepEqual(n, []string{"a.txt", "b.txt", "k=1/", "k=2/"}) {
				t.Fatalf("List names = %v", n)
			}
			if got[1].Path != root+"/t/b.txt" || got[1].Size != 2 || got[2].Path != root+"/t/k=1" {
				t.Fatalf("List entries = %+v", got)
			}
		}},
		{"list of a directory made by MkdirAll is empty, not missing", func(t *testing.T, st *Storage, root string) {
			if err := st.MkdirAll(ctx, root+"/empty/sub"); err != nil {
				t.Fatal(err)
			}
			got, err := st.List(ctx, root+"/empty/sub")
			if err != nil || len(got) != 0 {
				t.Fatalf("List = %v, %v; want empty", got, err)
			}
			info, err := st.Stat(ctx, root+"/empty/sub")
			if err != nil || !info.IsDir {
				t.Fatalf("Stat = %+v, %v; want directory", info, err)
			}
		}},
		{"missing paths give ErrNotExist naming the path", func(t *testing.T, st *Storage, root string) {
			missing := root + "/no/such"
			_, errStat := st.Stat(ctx, missing)
			_, errList := st.List(ctx, missing)
			_, errOpen := st.Open(ctx, missing)
			_, errFiles := st.ListFiles(ctx, missing, true)
			errRename := st.Rename(ctx, missing, root+"/dst")
			for op, err := range map[string]error{"Stat": errStat, "List": errList, "Open": errOpen, "ListFiles": errFiles, "Rename": errRename} {
				if !errors.Is(err, ErrNotExist) || !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("%s error %v is not ErrNotExist", op, err)
				} else if !strings.Contains(err.Error(), missing) {
					t.Errorf("%s error %q does not name %s", op, err, missing)
				}
			}
			if ok, err := st.Exists(ctx, missing); ok || err != nil {
				t.Errorf("Exists = %v, %v", ok, err)
			}
		}},
		{"deleting a missing path is not an error", func(t *testing.T, st *Storage, root string) {
			for _, rec := range []bool{false, true} {
				if err := st.Delete(ctx, root+"/nothing/here", rec); err != nil {
					t.Fatalf("Delete(recursive=%v) = %v", rec, err)
				}
			}
		}},
		{"non-recursive delete removes a file but refuses a non-empty directory", func(t *testing.T, st *Storage, root string) {
			writeFile(t, st, root+"/d/f1", "1")
			writeFile(t, st, root+"/d/f2", "2")
			if err := st.Delete(ctx, root+"/d/f1", false); err != nil {
				t.Fatal(err)
			}
			if ok, _ := st.Exists(ctx, root+"/d/f1"); ok {
				t.Fatal("f1 still exists")
			}
			err := st.Delete(ctx, root+"/d", false)
			if err == nil || !strings.Contains(err.Error(), root+"/d") {
				t.Fatalf("Delete non-empty dir = %v, want error naming it", err)
			}
			if ok, _ := st.Exists(ctx, root+"/d/f2"); !ok {
				t.Fatal("f2 was deleted")
			}
		}},
		{"recursive delete removes the tree and nothing beside it", func(t *testing.T, st *Storage, root string) {
			writeFile(t, st, root+"/tbl/k=1/a", "a")
			writeFile(t, st, root+"/tbl/b", "b")
			writeFile(t, st, root+"/tbl2/c", "c")
			writeFile(t, st, root+"/tbl.txt", "d")
			if err := st.Delete(ctx, root+"/tbl", true); err != nil {
				t.Fatal(err)
			}
			if ok, _ := st.Exists(ctx, root+"/tbl"); ok {
				t.Fatal("tbl still exists")
			}
			for _, keep := range []string{"/tbl2/c", "/tbl.txt"} {
				if ok, _ := st.Exists(ctx, root+keep); !ok {
					t.Fatalf("%s was deleted", keep)
				}
			}
		}},
		{"rename moves a file", func(t *testing.T, st *Storage, root string) {
			writeFile(t, st, root+"/stage/part-0", "data")
			if err := st.Rename(ctx, root+"/stage/part-0", root+"/tbl/part-0"); err != nil {
				t.Fatal(err)
			}
			if got := readFile(t, st, root+"/tbl/part-0"); got != "data" {
				t.Fatalf("read %q", got)
			}
			if ok, _ := st.Exists(ctx, root+"/stage/part-0"); ok {
				t.Fatal("source still exists")
			}
		}},
		{"rename moves a directory tree with escaped partition names", func(t *testing.T, st *Storage, root string) {
			files := map[string]string{
				"/dt=2020-01-01 10%3A00/a+b.txt":   "1",
				"/dt=__HIVE_DEFAULT_PARTITION__/c": "2",
				"/top":                             "3",
			}
			for p, body := range files {
				writeFile(t, st, root+"/.hive-staging_1"+p, body)
			}
			if err := st.Rename(ctx, root+"/.hive-staging_1", root+"/t"); err != nil {
				t.Fatal(err)
			}
			for p, body := range files {
				if got := readFile(t, st, root+"/t"+p); got != body {
					t.Fatalf("read %s = %q, want %q", p, got, body)
				}
			}
			if ok, _ := st.Exists(ctx, root+"/.hive-staging_1"); ok {
				t.Fatal("source directory still exists")
			}
		}},
		{"rename of a directory onto a non-empty directory fails and moves nothing", func(t *testing.T, st *Storage, root string) {
			writeFile(t, st, root+"/src/a", "a")
			writeFile(t, st, root+"/dst/b", "b")
			if err := st.Rename(ctx, root+"/src", root+"/dst"); err == nil {
				t.Fatal("rename onto non-empty directory succeeded")
			}
			if got := readFile(t, st, root+"/src/a"); got != "a" {
				t.Fatalf("source changed: %q", got)
			}
		}},
		{"qualified paths keep the caller's scheme", func(t *testing.T, st *Storage, root string) {
			q, err := st.Qualify(root + "/x/../y/")
			if err != nil || q != root+"/y" {
				t.Fatalf("Qualify = %q, %v; want %s/y", q, err, root)
			}
		}},
	}
	for _, fx := range fixtures(t) {
		for _, r := range rules {
			t.Run(fx.name+"/"+r.name, func(t *testing.T) {
				root := fx.root + "/" + strings.NewReplacer(" ", "_", "/", "_").Replace(t.Name())
				r.run(t, fx.st, root)
			})
		}
	}
}

// TestDeleteRefusesRoots: deleting "/" or a bucket root is refused.
func TestDeleteRefusesRoots(t *testing.T) {
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf())
	f.put(t, "bkt", "keep", "x")
	for _, p := range []string{"file:///", "s3://bkt/", "s3a://bkt"} {
		if err := st.Delete(context.Background(), p, true); err == nil {
			t.Errorf("Delete(%s) succeeded", p)
		}
	}
	if !f.has("bkt", "keep") {
		t.Fatal("bucket content deleted")
	}
}
