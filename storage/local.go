package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// backend is what each file system implements, on parsed locations.
type backend interface {
	stat(ctx context.Context, l location) (FileInfo, error)
	list(ctx context.Context, dir location) ([]FileInfo, error)
	open(ctx context.Context, l location) (io.ReadCloser, error)
	create(ctx context.Context, l location) (io.WriteCloser, error)
	remove(ctx context.Context, l location, recursive bool) error
	// rename moves within this backend (same bucket for S3).
	rename(ctx context.Context, src, dst location) error
	mkdirAll(ctx context.Context, l location) error
	// walk returns every file (not directory) below dir, recursively,
	// sorted by path; with skipHidden it neither returns hidden files nor
	// descends into hidden directories (judged below dir only).
	walk(ctx context.Context, dir location, skipHidden bool) ([]FileInfo, error)
}

// pathErr wraps err with the operation and the qualified path. An
// *fs.PathError from the os package is unwrapped first so the OS path does
// not appear twice.
func pathErr(op string, l location, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return &fs.PathError{Op: op, Path: l.String(), Err: err}
}

// localFS serves file:// paths. With a confinement (waggle.jobs.local.roots)
// every method first checks that its paths resolve inside a root; reads and
// writes of file content, creation, removal and renames then go through an
// os.Root opened on that root, so that a path component swapped for a
// symbolic link after the check cannot lead them outside (see CheckLocal).
type localFS struct {
	conf *confinement // nil: unconfined
}

// guard checks l against the confinement, returning the root that holds it
// ("" when unconfined) and l's path relative to that root.
func (lf localFS) guard(l location) (root, rel string, err error) {
	return lf.conf.check(l.name)
}

// inRoot runs fn on an os.Root opened on root, creating root first when
// mk is set. An escape detected by os.Root (the path changed after the
// check) becomes a ConfinementError.
func inRoot(root string, mk bool, l location, fn func(r *os.Root) error) error {
	if mk {
		if err := os.MkdirAll(root, 0o755); err != nil {
			return err
		}
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return err
	}
	defer r.Close()
	err = fn(r)
	if err != nil && strings.Contains(err.Error(), "path escapes from parent") {
		return &ConfinementError{Path: l.name, Reason: "a path component changed into a symbolic link leading outside while it was used"}
	}
	return err
}

func localInfo(l location, fi fs.FileInfo) FileInfo {
	info := FileInfo{Path: l.String(), Name: filepath.Base(l.name), ModTime: fi.ModTime(), IsDir: fi.IsDir()}
	if !info.IsDir {
		info.Size = fi.Size()
	}
	return info
}

func (lf localFS) stat(ctx context.Context, l location) (FileInfo, error) {
	if err := ctx.Err(); err != nil {
		return FileInfo{}, pathErr("stat", l, err)
	}
	if _, _, err := lf.guard(l); err != nil {
		return FileInfo{}, err
	}
	fi, err := os.Stat(l.name)
	if err != nil {
		return FileInfo{}, pathErr("stat", l, err)
	}
	return localInfo(l, fi), nil
}

func (lf localFS) list(ctx context.Context, dir location) ([]FileInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, pathErr("list", dir, err)
	}
	if _, _, err := lf.guard(dir); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir.name)
	if err != nil {
		return nil, pathErr("list", dir, err)
	}
	out := make([]FileInfo, 0, len(entries))
	for _, e := range entries {
		c := dir.child(e.Name())
		if e.Type()&fs.ModeSymlink != 0 {
			if _, _, err := lf.guard(c); err != nil {
				return nil, err
			}
		}
		fi, err := os.Stat(c.name) // follows symlinks
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed meanwhile, or a dangling link
		}
		if err != nil {
			return nil, pathErr("list", c, err)
		}
		out = append(out, localInfo(c, fi))
	}
	return out, nil // os.ReadDir sorts by name
}

func (lf localFS) open(ctx context.Context, l location) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, pathErr("open", l, err)
	}
	root, rel, err := lf.guard(l)
	if err != nil {
		return nil, err
	}
	var f *os.File
	if root == "" {
		f, err = os.Open(l.name)
	} else {
		err = inRoot(root, false, l, func(r *os.Root) error {
			f, err = r.Open(rel)
			return err
		})
	}
	if err != nil {
		var ce *ConfinementError
		if errors.As(err, &ce) {
			return nil, err
		}
		return nil, pathErr("open", l, err)
	}
	fi, err := f.Stat()
	if err == nil && fi.IsDir() {
		err = errors.New("is a directory")
	}
	if err != nil {
		f.Close()
		return nil, pathErr("open", l, err)
	}
	return f, nil
}

func (lf localFS) create(ctx context.Context, l location) (io.WriteCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, pathErr("create", l, err)
	}
	root, rel, err := lf.guard(l)
	if err != nil {
		return nil, err
	}
	var f *os.File
	if root == "" {
		if err := os.MkdirAll(filepath.Dir(l.name), 0o755); err != nil {
			return nil, pathErr("create", l, err)
		}
		f, err = os.Create(l.name)
	} else {
		err = inRoot(root, true, l, func(r *os.Root) error {
			if err := r.MkdirAll(filepath.Dir(rel), 0o755); err != nil {
				return err
			}
			f, err = r.Create(rel)
			return err
		})
	}
	if err != nil {
		return nil, confinedOr(pathErr, "create", l, err)
	}
	return &localWriter{f: f, l: l}, nil
}

// localWriter wraps write and close errors with the qualified path.
type localWriter struct {
	f *os.File
	l location
}

func (w *localWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		err = pathErr("write", w.l, err)
	}
	return n, err
}

func (w *localWriter) Close() error {
	if err := w.f.Close(); err != nil {
		return pathErr("close", w.l, err)
	}
	return nil
}

// Abort closes and removes the partly written file.
func (w *localWriter) Abort() error {
	w.f.Close()
	if err := os.Remove(w.f.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return pathErr("abort", w.l, err)
	}
	return nil
}

func (lf localFS) remove(ctx context.Context, l location, recursive bool) error {
	if err := ctx.Err(); err != nil {
		return pathErr("delete", l, err)
	}
	if l.isRoot() {
		return pathErr("delete", l, errors.New("refusing to delete the file system root"))
	}
	root, rel, err := lf.guard(l)
	if err != nil {
		return err
	}
	switch {
	case root == "" || rel == ".": // unconfined, or a configured root itself
		name := l.name
		if root != "" {
			name = root
		}
		if recursive {
			err = os.RemoveAll(name)
		} else {
			err = os.Remove(name)
		}
	default:
		err = inRoot(root, false, l, func(r *os.Root) error {
			if recursive {
				return r.RemoveAll(rel)
			}
			return r.Remove(rel)
		})
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return confinedOr(pathErr, "delete", l, err)
	}
	return nil
}

// confinedOr returns a ConfinementError as is, and wraps any other error
// with wrap.
func confinedOr(wrap func(string, location, error) error, op string, l location, err error) error {
	var ce *ConfinementError
	if errors.As(err, &ce) {
		return err
	}
	return wrap(op, l, err)
}

func (lf localFS) rename(ctx context.Context, src, dst location) error {
	if err := ctx.Err(); err != nil {
		return pathErr("rename", src, err)
	}
	sroot, srel, err := lf.guard(src)
	if err != nil {
		return err
	}
	droot, drel, err := lf.guard(dst)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(src.name); err != nil {
		return pathErr("rename", src, err)
	}
	if sroot != "" {
		if sroot != droot || srel == "." || drel == "." {
			return errCrossDevice // copy and delete, each checked
		}
		err = inRoot(sroot, false, src, func(r *os.Root) error {
			if err := r.MkdirAll(filepath.Dir(drel), 0o755); err != nil {
				return pathErr("rename", dst, err)
			}
			return r.Rename(srel, drel)
		})
	} else {
		if err := os.MkdirAll(filepath.Dir(dst.name), 0o755); err != nil {
			return pathErr("rename", dst, err)
		}
		err = os.Rename(src.name, dst.name)
	}
	var ce *ConfinementError
	if errors.As(err, &ce) {
		return err
	}
	if errors.Is(err, syscall.EXDEV) {
		return errCrossDevice
	}
	if err != nil {
		return fmt.Errorf("rename %s to %s: %w", src, dst, unwrapOS(err))
	}
	return nil
}

// errCrossDevice tells the caller to fall back to copy and delete.
var errCrossDevice = errors.New("storage: rename across devices")

func unwrapOS(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

func (lf localFS) mkdirAll(ctx context.Context, l location) error {
	if err := ctx.Err(); err != nil {
		return pathErr("mkdir", l, err)
	}
	root, rel, err := lf.guard(l)
	if err != nil {
		return err
	}
	if root == "" {
		err = os.MkdirAll(l.name, 0o755)
	} else {
		err = inRoot(root, true, l, func(r *os.Root) error { return r.MkdirAll(rel, 0o755) })
	}
	if err != nil {
		return confinedOr(pathErr, "mkdir", l, err)
	}
	return nil
}

func (lf localFS) walk(ctx context.Context, dir location, skipHidden bool) ([]FileInfo, error) {
	if _, _, err := lf.guard(dir); err != nil {
		return nil, err
	}
	if _, err := os.Stat(dir.name); err != nil {
		return nil, pathErr("list", dir, err)
	}
	var out []FileInfo
	err := filepath.WalkDir(dir.name, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == dir.name {
			return nil
		}
		if skipHidden && IsHidden(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		c := dir
		c.name = p
		if d.Type()&fs.ModeSymlink != 0 {
			if _, _, err := lf.guard(c); err != nil {
				return err
			}
		}
		fi, err := os.Stat(p) // follows symlinks
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if fi.IsDir() {
			return nil // symlinked directories are not followed
		}
		out = append(out, localInfo(c, fi))
		return nil
	})
	if err != nil {
		return nil, confinedOr(pathErr, "list", dir, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
