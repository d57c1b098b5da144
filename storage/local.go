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

// localFS serves file:// paths.
type localFS struct{}

func localInfo(l location, fi fs.FileInfo) FileInfo {
	info := FileInfo{Path: l.String(), Name: filepath.Base(l.name), ModTime: fi.ModTime(), IsDir: fi.IsDir()}
	if !info.IsDir {
		info.Size = fi.Size()
	}
	return info
}

func (localFS) stat(ctx context.Context, l location) (FileInfo, error) {
	if err := ctx.Err(); err != nil {
		return FileInfo{}, pathErr("stat", l, err)
	}
	fi, err := os.Stat(l.name)
	if err != nil {
		return FileInfo{}, pathErr("stat", l, err)
	}
	return localInfo(l, fi), nil
}

func (localFS) list(ctx context.Context, dir location) ([]FileInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, pathErr("list", dir, err)
	}
	entries, err := os.ReadDir(dir.name)
	if err != nil {
		return nil, pathErr("list", dir, err)
	}
	out := make([]FileInfo, 0, len(entries))
	for _, e := range entries {
		c := dir.child(e.Name())
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

func (localFS) open(ctx context.Context, l location) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, pathErr("open", l, err)
	}
	f, err := os.Open(l.name)
	if err != nil {
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

func (localFS) create(ctx context.Context, l location) (io.WriteCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, pathErr("create", l, err)
	}
	if err := os.MkdirAll(filepath.Dir(l.name), 0o755); err != nil {
		return nil, pathErr("create", l, err)
	}
	f, err := os.Create(l.name)
	if err != nil {
		return nil, pathErr("create", l, err)
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

func (localFS) remove(ctx context.Context, l location, recursive bool) error {
	if err := ctx.Err(); err != nil {
		return pathErr("delete", l, err)
	}
	if l.isRoot() {
		return pathErr("delete", l, errors.New("refusing to delete the file system root"))
	}
	var err error
	if recursive {
		err = os.RemoveAll(l.name)
	} else {
		err = os.Remove(l.name)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return pathErr("delete", l, err)
	}
	return nil
}

func (lf localFS) rename(ctx context.Context, src, dst location) error {
	if err := ctx.Err(); err != nil {
		return pathErr("rename", src, err)
	}
	if _, err := os.Lstat(src.name); err != nil {
		return pathErr("rename", src, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst.name), 0o755); err != nil {
		return pathErr("rename", dst, err)
	}
	err := os.Rename(src.name, dst.name)
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

func (localFS) mkdirAll(ctx context.Context, l location) error {
	if err := ctx.Err(); err != nil {
		return pathErr("mkdir", l, err)
	}
	if err := os.MkdirAll(l.name, 0o755); err != nil {
		return pathErr("mkdir", l, err)
	}
	return nil
}

func (localFS) walk(ctx context.Context, dir location, skipHidden bool) ([]FileInfo, error) {
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
		c := dir
		c.name = p
		out = append(out, localInfo(c, fi))
		return nil
	})
	if err != nil {
		return nil, pathErr("list", dir, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
