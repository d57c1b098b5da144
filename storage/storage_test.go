package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestIsHidden(t *testing.T) {
	for _, tt := range []struct {
		name   string
		hidden bool
	}{
		{"_SUCCESS", true},
		{"_temporary", true},
		{".hive-staging_hive_2024", true},
		{".part-0.crc", true},
		{"part-0._COPYING_", true},
		{"dir_$folder$", true},
		{"part-00000", false},
		{"k=v", false},
		{"_c0=1", false}, // partition directory of a column named _c0
		{"dt=__HIVE_DEFAULT_PARTITION__", false},
		{"data_2024.csv", false},
	} {
		if got := IsHidden(tt.name); got != tt.hidden {
			t.Errorf("IsHidden(%q) = %v, want %v", tt.name, got, tt.hidden)
		}
	}
}

// TestListFilesSkipsHidden: table scans see data files, in partition
// directories too, but not Hive's hidden files and directories.
func TestListFilesSkipsHidden(t *testing.T) {
	ctx := context.Background()
	tree := []string{
		"a.txt", "_SUCCESS", ".a.txt.crc", "x._COPYING_",
		".hive-staging_1/-ext-10000/f", "_temporary/0/task/f",
		"k=v/b.txt", "k=v/_SUCCESS", "k=v/j=1/c.txt", "_c0=1/d.txt",
	}
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			dir := fx.root + "/tbl"
			for _, p := range tree {
				writeFile(t, fx.st, dir+"/"+p, "x")
			}
			for _, tt := range []struct {
				recursive bool
				want      []string
			}{
				{false, []string{"a.txt"}},
				{true, []string{"_c0=1/d.txt", "a.txt", "k=v/b.txt", "k=v/j=1/c.txt"}},
			} {
				files, err := fx.st.ListFiles(ctx, dir, tt.recursive)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, f := range files {
					if f.IsDir || !strings.HasPrefix(f.Path, dir+"/") {
						t.Fatalf("bad entry %+v", f)
					}
					got = append(got, strings.TrimPrefix(f.Path, dir+"/"))
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("ListFiles(recursive=%v) = %v, want %v", tt.recursive, got, tt.want)
				}
			}
			// A file lists as itself.
			for _, rec := range []bool{false, true} {
				files, err := fx.st.ListFiles(ctx, dir+"/k=v/b.txt", rec)
				if err != nil || len(files) != 1 || files[0].Path != dir+"/k=v/b.txt" {
					t.Errorf("ListFiles(file, recursive=%v) = %v, %v; want the file", rec, files, err)
				}
			}
			// A hidden staging directory can itself be listed.
			files, err := fx.st.ListFiles(ctx, dir+"/.hive-staging_1", true)
			if err != nil || len(files) != 1 {
				t.Errorf("ListFiles(staging) = %v, %v; want its one file", files, err)
			}
		})
	}
}

func TestQualify(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	local := newStorage(t, nil)
	s3def := newStorage(t, map[string]string{"fs.defaultFS": "s3a://warehouse"})
	s3slash := newStorage(t, map[string]string{"fs.defaultFS": "s3://wh/ignored/path"})
	tests := []struct {
		name string
		st   *Storage
		in   string
		want string // "" means an error is expected
	}{
		{"scheme-less absolute path resolves against the file default", local, "/tpch/x", "file:///tpch/x"},
		{"scheme-less absolute path resolves against an s3a default, keeping s3a", s3def, "/tpch/x", "s3a://warehouse/tpch/x"},
		{"the path part of fs.defaultFS is ignored", s3slash, "/t", "s3://wh/t"},
		{"relative path resolves against the working directory", local, "data/x.csv", "file://" + filepath.ToSlash(filepath.Join(wd, "data/x.csv"))},
		{"relative path with ':' after '=' is not a scheme", local, "dt=2020:01/x", "file://" + filepath.ToSlash(filepath.Join(wd, "dt=2020:01/x"))},
		{"relative path with an s3 default is an error", s3def, "data/x", ""},
		{"file:/ single slash (as Hive stores it)", s3def, "file:/user/hive/w", "file:///user/hive/w"},
		{"file:/// triple slash", s3def, "file:///user/hive/w/", "file:///user/hive/w"},
		{"file://localhost", local, "file://localhost/a/b", "file:///a/b"},
		{"file URI with a remote host is an error", local, "file://host/a", ""},
		{"s3a is kept", local, "s3a://b/k/v", "s3a://b/k/v"},
		{"s3 is kept", local, "s3://b/k/v", "s3://b/k/v"},
		{"scheme is case-insensitive", local, "S3A://b/k", "s3a://b/k"},
		{"dots and duplicate slashes are cleaned", local, "s3://b//a/./c/../d/", "s3://b/a/d"},
		{"bucket root", local, "s3://b", "s3://b/"},
		{"percent escapes are literal", local, "s3://b/t/dt=10%3A00", "s3://b/t/dt=10%3A00"},
		{"unsupported scheme is an error", local, "hdfs://nn/x", ""},
		{"missing bucket is an error", local, "s3:///x", ""},
		{"empty path is an error", local, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.st.Qualify(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("Qualify(%q) = %q, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Qualify(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestNewRejectsBadConf(t *testing.T) {
	for _, tt := range []struct {
		name string
		conf map[string]string
	}{
		{"defaultFS without scheme", map[string]string{"fs.defaultFS": "/tmp"}},
		{"defaultFS with unsupported scheme", map[string]string{"fs.defaultFS": "hdfs://nn:8020"}},
		{"path style not a boolean", map[string]string{"fs.s3a.path.style.access": "yes please"}},
		{"secret key without access key", map[string]string{"fs.s3a.secret.key": "x"}},
		{"paging maximum not a number", map[string]string{"fs.s3a.paging.maximum": "many"}},
		{"multipart size not a size", map[string]string{"fs.s3a.multipart.size": "big"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.conf); err == nil {
				t.Fatal("New accepted it")
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"123": 123, "64M": 64 << 20, "1k": 1024, "2G": 2 << 30, "5mb": 5 << 20} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}

// TestBadBucketConfFailsOnUse: per-bucket settings are checked when the
// bucket is first used, and the error names the key.
func TestBadBucketConfFailsOnUse(t *testing.T) {
	st := newStorage(t, map[string]string{"fs.s3a.bucket.b.path.style.access": "maybe"})
	_, err := st.Stat(context.Background(), "s3://b/x")
	if err == nil || !strings.Contains(err.Error(), "fs.s3a.bucket.b.path.style.access") {
		t.Fatalf("err = %v", err)
	}
}

// TestCopyAcrossSchemes: files and trees copy and move between local disk
// and S3 in both directions.
func TestCopyAcrossSchemes(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt", "other")
	st := newStorage(t, f.conf())
	src := t.TempDir()
	for p, body := range map[string]string{"a.csv": "1,2", "k=v/b.csv": "3,4", "_SUCCESS": ""} {
		os.MkdirAll(filepath.Dir(filepath.Join(src, p)), 0o755)
		if err := os.WriteFile(filepath.Join(src, p), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// LOAD DATA LOCAL: copy a local directory to S3.
	if err := st.CopyFromLocal(ctx, src, "s3a://bkt/t"); err != nil {
		t.Fatal(err)
	}
	for key, body := range map[string]string{"t/a.csv": "1,2", "t/k=v/b.csv": "3,4", "t/_SUCCESS": ""} {
		if got := readFile(t, st, "s3://bkt/"+key); got != body {
			t.Errorf("%s = %q, want %q", key, got, body)
		}
	}
	// S3 to S3 (server side) and S3 to another bucket (streamed).
	if err := st.Copy(ctx, "s3://bkt/t/a.csv", "s3://bkt/u/a.csv"); err != nil {
		t.Fatal(err)
	}
	if err := st.Copy(ctx, "s3://bkt/t", "s3://other/t"); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, st, "s3://other/t/k=v/b.csv"); got != "3,4" {
		t.Errorf("other bucket copy = %q", got)
	}
	// S3 to local.
	dst := filepath.Join(t.TempDir(), "out")
	if err := st.CopyToLocal(ctx, "s3://bkt/t", dst); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dst, "k=v", "b.csv")); err != nil || string(b) != "3,4" {
		t.Errorf("local copy = %q, %v", b, err)
	}
	// LOAD DATA without LOCAL moves: rename across schemes copies then
	// deletes the source.
	if err := st.Rename(ctx, "file://"+filepath.ToSlash(src), "s3://bkt/moved"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(src); !os.IsNotExist(err) {
		t.Errorf("source still there: %v", err)
	}
	if got := readFile(t, st, "s3://bkt/moved/k=v/b.csv"); got != "3,4" {
		t.Errorf("moved = %q", got)
	}
	// A directory cannot be copied into itself.
	if err := st.Copy(ctx, "s3://bkt/t", "s3://bkt/t/sub"); err == nil {
		t.Error("copy into itself succeeded")
	}
}

// TestLocalize: local paths come back as OS paths; S3 objects are
// downloaded once per ETag.
func TestLocalize(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf())
	cache := t.TempDir()

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.csv"), []byte("a"), 0o644)
	got, err := st.Localize(ctx, "file://"+filepath.ToSlash(dir)+"/x.csv", cache)
	if err != nil || got != filepath.Join(dir, "x.csv") {
		t.Fatalf("Localize(local) = %q, %v", got, err)
	}
	if _, err := st.Localize(ctx, "file://"+filepath.ToSlash(dir)+"/missing", cache); !isErrNotExist(err) {
		t.Fatalf("Localize(missing local) = %v", err)
	}

	f.put(t, "bkt", "t/part-0.parquet", "version one")
	downloads := func() int { return f.count("GET /bkt/t/part-0.parquet") }

	p1, err := st.Localize(ctx, "s3a://bkt/t/part-0.parquet", cache)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p1); string(b) != "version one" || filepath.Base(p1) != "part-0.parquet" {
		t.Fatalf("localized %s = %q", p1, b)
	}
	if rel, err := filepath.Rel(cache, p1); err != nil || strings.HasPrefix(rel, "..") {
		t.Fatalf("%s is outside the cache dir", p1)
	}
	p2, err := st.Localize(ctx, "s3://bkt/t/part-0.parquet", cache)
	if err != nil || p2 != p1 || downloads() != 1 {
		t.Fatalf("second Localize = %q, %v with %d downloads; want the cached %q and 1 download", p2, err, downloads(), p1)
	}

	f.put(t, "bkt", "t/part-0.parquet", "version two!")
	p3, err := st.Localize(ctx, "s3://bkt/t/part-0.parquet", cache)
	if err != nil || p3 == p1 || downloads() != 2 {
		t.Fatalf("Localize after change = %q, %v with %d downloads; want a new path and 2 downloads", p3, err, downloads())
	}
	if b, _ := os.ReadFile(p3); string(b) != "version two!" {
		t.Fatalf("changed object localized as %q", b)
	}
	if _, err := os.Stat(p1); !os.IsNotExist(err) {
		t.Errorf("stale copy %s kept", p1)
	}

	if _, err := st.Localize(ctx, "s3://bkt/t", cache); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("Localize(dir) = %v, want a directory error", err)
	}
	if _, err := st.Localize(ctx, "s3://bkt/nope", cache); !isErrNotExist(err) {
		t.Errorf("Localize(missing) = %v, want ErrNotExist", err)
	}
}

func isErrNotExist(err error) bool { return errors.Is(err, ErrNotExist) }
