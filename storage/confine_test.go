package storage

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// jail is a job-like setup: a root the job may use and, next to it, an
// outside directory holding a secret.
type jail struct {
	st      *Storage
	root    string // OS path of the allowed root
	outside string // OS path of a directory outside it
	secret  string // OS path of a file outside the root
}

const secretContent = "top secret\n"

func newJail(t *testing.T, extraConf ...string) *jail {
	t.Helper()
	base := t.TempDir()
	j := &jail{root: filepath.Join(base, "job"), outside: filepath.Join(base, "outside")}
	for _, d := range []string{j.root, j.outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	j.secret = filepath.Join(j.outside, "secret.txt")
	if err := os.WriteFile(j.secret, []byte(secretContent), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := map[string]string{KeyLocalRoots: j.root + ", " + filepath.Join(base, "not-yet-created")}
	for i := 0; i+1 < len(extraConf); i += 2 {
		conf[extraConf[i]] = extraConf[i+1]
	}
	j.st = newStorage(t, conf)
	return j
}

func (j *jail) in(t *testing.T, rel string) string { return filepath.Join(j.root, rel) }

func (j *jail) symlink(t *testing.T, target, rel string) string {
	t.Helper()
	p := j.in(t, rel)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func wantDenied(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: allowed, want a permission error", what)
	}
	var ce *ConfinementError
	if !errors.Is(err, fs.ErrPermission) || !errors.As(err, &ce) {
		t.Fatalf("%s: got %v (%T), want a *ConfinementError wrapping fs.ErrPermission", what, err, err)
	}
	if !strings.Contains(err.Error(), "permission denied: ") || !strings.Contains(err.Error(), "allowed local roots (waggle.jobs.local.roots)") {
		t.Fatalf("%s: unclear message: %v", what, err)
	}
}

func TestConfinementMessage(t *testing.T) {
	j := newJail(t)
	_, err := j.st.Open(context.Background(), "/etc/passwd")
	wantDenied(t, "open /etc/passwd", err)
	if want := "permission denied: /etc/passwd is outside the job's allowed local roots (waggle.jobs.local.roots)"; err.Error() != want {
		t.Fatalf("message:\n got %s\nwant %s", err, want)
	}
}

func TestConfinementRefuses(t *testing.T) {
	ctx := context.Background()
	j := newJail(t)
	writeFile(t, j.st, j.in(t, "ok/data.txt"), "inside\n")
	linkDir := j.symlink(t, j.outside, "linkdir")                                    // directory link leading out
	linkFile := j.symlink(t, j.secret, "tables/t/passwd")                            // file link leading out
	dangling := j.symlink(t, filepath.Join(j.outside, "created-by-job"), "dangling") // link to a file that does not exist yet
	relLink := j.symlink(t, "../outside/secret.txt", "rel-link")                     // relative link leading out
	escape := j.root + "/../outside/secret.txt"

	denied := map[string]func() error{
		"stat /etc/passwd":                    func() error { _, err := j.st.Stat(ctx, "/etc/passwd"); return err },
		"open file:///etc/passwd":             func() error { _, err := j.st.Open(ctx, "file:///etc/passwd"); return err },
		"open file:/etc/passwd":               func() error { _, err := j.st.Open(ctx, "file:/etc/passwd"); return err },
		"list file:///root":                   func() error { _, err := j.st.List(ctx, "file:///root"); return err },
		"mkdir file:///root":                  func() error { return j.st.MkdirAll(ctx, "file:///root/x") },
		"exists /etc/passwd":                  func() error { _, err := j.st.Exists(ctx, "/etc/passwd"); return err },
		"listfiles /etc":                      func() error { _, err := j.st.ListFiles(ctx, "/etc", true); return err },
		"localize /etc/passwd":                func() error { _, err := j.st.Localize(ctx, "/etc/passwd", j.in(t, "cache")); return err },
		"open ../ escape":                     func() error { _, err := j.st.Open(ctx, escape); return err },
		"open relative ../ escape":            func() error { _, err := j.st.Open(ctx, "../../../../../../../../etc/passwd"); return err },
		"delete ../ escape":                   func() error { return j.st.Delete(ctx, escape, false) },
		"open through a directory link":       func() error { _, err := j.st.Open(ctx, filepath.Join(linkDir, "secret.txt")); return err },
		"list a directory link":               func() error { _, err := j.st.List(ctx, linkDir); return err },
		"open a file link":                    func() error { _, err := j.st.Open(ctx, linkFile); return err },
		"open a relative file link":           func() error { _, err := j.st.Open(ctx, relLink); return err },
		"localize a file link":                func() error { _, err := j.st.Localize(ctx, linkFile, j.in(t, "cache")); return err },
		"list a dir holding a file link":      func() error { _, err := j.st.List(ctx, j.in(t, "tables/t")); return err },
		"scan a dir holding a file link":      func() error { _, err := j.st.ListFiles(ctx, j.in(t, "tables"), true); return err },
		"copy a dir holding a file link":      func() error { return j.st.Copy(ctx, j.in(t, "tables"), j.in(t, "copy")) },
		"create through a dangling link":      func() error { _, err := j.st.Create(ctx, dangling); return err },
		"create through a directory link":     func() error { _, err := j.st.Create(ctx, filepath.Join(linkDir, "new.txt")); return err },
		"delete through a directory link":     func() error { return j.st.Delete(ctx, filepath.Join(linkDir, "secret.txt"), false) },
		"rename out of the root":              func() error { return j.st.Rename(ctx, j.in(t, "ok/data.txt"), filepath.Join(j.outside, "stolen.txt")) },
		"rename into the root":                func() error { return j.st.Rename(ctx, j.secret, j.in(t, "ok/secret.txt")) },
		"copy from outside":                   func() error { return j.st.Copy(ctx, j.secret, j.in(t, "ok/secret.txt")) },
		"copy to outside":                     func() error { return j.st.Copy(ctx, j.in(t, "ok/data.txt"), filepath.Join(j.outside, "x.txt")) },
		"copyFromLocal /etc/passwd":           func() error { return j.st.CopyFromLocal(ctx, "/etc/passwd", j.in(t, "ok/passwd")) },
		"copyToLocal outside":                 func() error { return j.st.CopyToLocal(ctx, j.in(t, "ok/data.txt"), filepath.Join(j.outside, "y.txt")) },
		"checkLocal /etc/passwd":              func() error { _, err := j.st.CheckLocal("/etc/passwd"); return err },
		"checkLocal file:///etc/passwd":       func() error { _, err := j.st.CheckLocal("file:///etc/passwd"); return err },
		"checkLocal a file link":              func() error { _, err := j.st.CheckLocal(linkFile); return err },
		"root's sibling with a common prefix": func() error { _, err := j.st.Stat(ctx, j.root+"-other/x"); return err },
	}
	for name, f := range denied {
		t.Run(name, func(t *testing.T) { wantDenied(t, name, f()) })
	}

	// Nothing outside was read, written, moved or removed.
	if b, err := os.ReadFile(j.secret); err != nil || string(b) != secretContent {
		t.Fatalf("secret changed: %q %v", b, err)
	}
	entries, _ := os.ReadDir(j.outside)
	if len(entries) != 1 {
		t.Fatalf("outside dir changed: %v", entries)
	}
	for _, p := range []string{j.in(t, "ok/secret.txt"), j.in(t, "ok/passwd"), j.in(t, "copy")} {
		if _, err := os.Lstat(p); err == nil {
			t.Fatalf("%s was created", p)
		}
	}
	if _, err := os.Stat(j.in(t, "ok/data.txt")); err != nil {
		t.Fatalf("inside file moved: %v", err)
	}
}

func TestConfinementAllows(t *testing.T) {
	ctx := context.Background()
	j := newJail(t)
	p := "file://" + j.in(t, "w/db.db/t/part-0")
	writeFile(t, j.st, p, "a\n")
	if got := readFile(t, j.st, p); got != "a\n" {
		t.Fatalf("read back %q", got)
	}
	if err := j.st.Copy(ctx, j.in(t, "w/db.db/t"), j.in(t, "w/db.db/t2")); err != nil {
		t.Fatal(err)
	}
	if err := j.st.Rename(ctx, j.in(t, "w/db.db/t2"), j.in(t, "w/db.db/t3")); err != nil {
		t.Fatal(err)
	}
	files, err := j.st.ListFiles(ctx, j.in(t, "w"), true)
	if err != nil || len(files) != 2 {
		t.Fatalf("ListFiles: %v %v", files, err)
	}
	// A link that stays inside the root is followed.
	inLink := j.symlink(t, j.in(t, "w/db.db/t"), "alias")
	if got := readFile(t, j.st, filepath.Join(inLink, "part-0")); got != "a\n" {
		t.Fatalf("through inside link: %q", got)
	}
	if l, err := j.st.Localize(ctx, filepath.Join(inLink, "part-0"), j.in(t, "cache")); err != nil || l != filepath.Join(inLink, "part-0") {
		t.Fatalf("Localize: %q %v", l, err)
	}
	// CheckLocal returns the resolved path.
	if got, err := j.st.CheckLocal(filepath.Join(inLink, "part-0")); err != nil || got != j.in(t, "w/db.db/t/part-0") {
		t.Fatalf("CheckLocal: %q %v", got, err)
	}
	// A root that does not exist yet is created on first write.
	late := filepath.Join(filepath.Dir(j.root), "not-yet-created")
	writeFile(t, j.st, filepath.Join(late, "x/y"), "late")
	if err := j.st.Delete(ctx, late, true); err != nil {
		t.Fatal(err)
	}
	if err := j.st.Delete(ctx, j.in(t, "w"), true); err != nil {
		t.Fatal(err)
	}
	if ok, _ := j.st.Exists(ctx, j.in(t, "w")); ok {
		t.Fatal("delete did not delete")
	}
}

func TestConfinementDoesNotAffectS3(t *testing.T) {
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf(KeyLocalRoots, t.TempDir()))
	writeFile(t, st, "s3a://bkt/etc/passwd", "not a real passwd")
	if got := readFile(t, st, "s3://bkt/etc/passwd"); got != "not a real passwd" {
		t.Fatalf("got %q", got)
	}
	// With an S3 default file system, scheme-less paths are S3 paths.
	st = newStorage(t, f.conf(KeyLocalRoots, t.TempDir(), "fs.defaultFS", "s3a://bkt"))
	if got := readFile(t, st, "/etc/passwd"); got != "not a real passwd" {
		t.Fatalf("got %q", got)
	}
	// But CheckLocal is always about the local file system.
	_, err := st.CheckLocal("/etc/passwd")
	wantDenied(t, "CheckLocal with an S3 default FS", err)
}

func TestUnconfinedByDefault(t *testing.T) {
	st := newStorage(t, map[string]string{})
	if _, err := st.Stat(context.Background(), "/etc/passwd"); err != nil && errors.Is(err, fs.ErrPermission) {
		t.Fatalf("unset roots confine: %v", err)
	}
	if p, err := st.CheckLocal("/etc/../etc/passwd"); err != nil || p != "/etc/passwd" {
		t.Fatalf("CheckLocal: %q %v", p, err)
	}
}

func TestRootsConfig(t *testing.T) {
	for _, bad := range []string{"", " , ", "relative/dir", "/ok,relative"} {
		if _, err := New(map[string]string{KeyLocalRoots: bad}); err == nil || !strings.Contains(err.Error(), KeyLocalRoots) {
			t.Errorf("roots %q: got %v, want an error naming the key", bad, err)
		}
	}
	// spark.hadoop. spelling is accepted like every other key.
	st, err := New(map[string]string{"spark.hadoop." + KeyLocalRoots: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Stat(context.Background(), "/etc/passwd")
	wantDenied(t, "spark.hadoop. spelling", err)
}

// TestConfinementRace covers a path that becomes a symbolic link between
// the check and the use. Storage's content operations run through an
// os.Root on the checked root, so the swapped link is refused. (Callers of
// CheckLocal that then open the path themselves do not have this
// protection: see CheckLocal.)
func TestConfinementRace(t *testing.T) {
	j := newJail(t)
	dir := j.in(t, "tables/t")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("inside"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := location{kind: kindLocal, scheme: "file", name: filepath.Join(dir, "secret.txt")}
	root, rel, err := j.st.local.guard(l) // the check passes: a real file inside
	if err != nil {
		t.Fatal(err)
	}
	// Swap the directory for a link leading outside, as a racing process would.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(j.outside, dir); err != nil {
		t.Fatal(err)
	}
	var got []byte
	err = inRoot(root, false, l, func(r *os.Root) error {
		f, err := r.Open(rel)
		if err != nil {
			return err
		}
		defer f.Close()
		got, err = io.ReadAll(f)
		return err
	})
	wantDenied(t, "open after the swap", err)
	if len(got) != 0 {
		t.Fatalf("read %q through the swapped link", got)
	}
	for _, op := range []func(r *os.Root) error{
		func(r *os.Root) error { _, err := r.Create(rel); return err },
		func(r *os.Root) error { return r.Remove(rel) },
		func(r *os.Root) error { return r.MkdirAll(rel+".d", 0o755) },
	} {
		wantDenied(t, "write after the swap", inRoot(root, false, l, op))
	}
	if b, _ := os.ReadFile(j.secret); string(b) != secretContent {
		t.Fatal("secret changed")
	}
}
