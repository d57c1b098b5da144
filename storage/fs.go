package storage

import (
	"context"
	"io"
	"io/fs"
	"strings"
	"time"
)

// ErrNotExist is the error (wrapped) for a path that does not exist. It is
// fs.ErrNotExist itself, so errors.Is works with either name.
var ErrNotExist = fs.ErrNotExist

// FileInfo describes a file or directory.
type FileInfo struct {
	Path    string // fully qualified path, e.g. file:///w/t/x.parquet or s3a://b/w/t/x.parquet
	Name    string // last path element
	Size    int64  // bytes; 0 for directories
	ModTime time.Time
	IsDir   bool
	ETag    string // object stores: the object's ETag as listed ("" when unknown or local)
}

// FS is the file-system surface the engine uses. Paths may be scheme-less
// (resolved against fs.defaultFS) or qualified (file://, s3://, s3a://).
// Implementations are safe for concurrent use.
type FS interface {
	// Stat describes path; a missing path gives an ErrNotExist error.
	Stat(ctx context.Context, path string) (FileInfo, error)
	// List returns the direct children of dir (files and directories),
	// sorted by name. A missing dir gives an ErrNotExist error; an empty
	// existing dir gives an empty slice.
	List(ctx context.Context, dir string) ([]FileInfo, error)
	// Open opens a file for reading.
	Open(ctx context.Context, path string) (io.ReadCloser, error)
	// Create creates or truncates a file, creating parent directories as
	// needed. The data is durable only once Close returns nil.
	Create(ctx context.Context, path string) (io.WriteCloser, error)
	// Delete removes a file, or a directory (with its content when
	// recursive). A missing path is not an error.
	Delete(ctx context.Context, path string, recursive bool) error
	// Rename moves a file or directory tree to exactly dst.
	Rename(ctx context.Context, src, dst string) error
	// MkdirAll creates a directory and its parents.
	MkdirAll(ctx context.Context, path string) error
}

// IsHidden reports whether a file or directory name is hidden from table
// scans, following Hive/Hadoop's hidden-file filter as Spark refines it:
// names starting with '.' (".hive-staging_...") or with '_' ("_SUCCESS",
// "_temporary") are hidden, except '_' names holding '=' (partition
// directories such as "_c0=1"); in-flight copies ("x._COPYING_") and EMR
// directory markers ("dir_$folder$") are hidden too.
func IsHidden(name string) bool {
	switch {
	case strings.HasPrefix(name, "."):
		return true
	case strings.HasPrefix(name, "_"):
		return !strings.Contains(name, "=")
	case strings.HasSuffix(name, "._COPYING_"), strings.HasSuffix(name, folderSuffix):
		return true
	}
	return false
}

// folderSuffix marks an EMR/S3N-style directory marker object "dir_$folder$".
const folderSuffix = "_$folder$"
