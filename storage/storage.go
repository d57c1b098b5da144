package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
)

// Storage resolves paths against fs.defaultFS and dispatches each call to
// the local file system or to the S3 bucket the path names. It implements
// FS. S3 clients are created on first use of a bucket and cached in the
// Storage value. A Storage is safe for concurrent use.
type Storage struct {
	conf  map[string]string
	def   location
	local localFS

	mu           sync.Mutex
	buckets      map[string]*s3Bucket
	partials     map[string]*partial // LocalizeListed's partial files, by path
	partialBytes int64               // bytes fetched into them

	cache   *objectCache
	dlSem   chan struct{} // bounds concurrent ranged GETs
	traffic Traffic       // bytes of all S3 requests
}

var _ FS = (*Storage)(nil)

// New returns a Storage configured by Hadoop-style keys (a "spark.hadoop."
// prefix is accepted too):
//
//	fs.defaultFS                       default file:///; e.g. s3a://bucket
//	fs.s3a.endpoint                    host[:port] or URL; default: the SDK's (AWS, or AWS_ENDPOINT_URL_S3)
//	fs.s3a.connection.ssl.enabled      https for a scheme-less endpoint (default true)
//	fs.s3a.path.style.access           true for path-style requests (MinIO, fakes)
//	fs.s3a.access.key, fs.s3a.secret.key, fs.s3a.session.token
//	                                   static credentials; without them the SDK default chain
//	                                   (AWS_* environment, profiles, web identity, IMDS)
//	fs.s3a.aws.credentials.provider    ...AnonymousAWSCredentialsProvider for unsigned requests
//	fs.s3a.endpoint.region, fs.s3a.region
//	                                   region; else the SDK's (AWS_REGION, profile); else us-east-1
//	fs.s3a.paging.maximum              keys per list request (default and maximum 1000)
//	fs.s3a.multipart.threshold         upload size above which multipart is used (default 128M)
//	fs.s3a.multipart.size              multipart part size (default 64M; raised to S3's 5M minimum)
//	fs.s3a.copy.multipart.threshold    server-side copies above this are multipart (default 5G)
//	fs.s3a.fast.upload.active.blocks   parts of one multipart upload sent at once (default 4)
//	fs.s3a.buffer.dir                  where S3 writes are buffered (default os.TempDir())
//	fs.s3a.aws.profile                 named profile of the shared AWS config/credentials files
//	fs.s3a.assumed.role.arn            assume this role with STS (signed with the credentials above)
//	fs.s3a.assumed.role.session.name, fs.s3a.assumed.role.session.duration,
//	fs.s3a.assumed.role.external.id, fs.s3a.assumed.role.sts.endpoint,
//	fs.s3a.assumed.role.sts.endpoint.region
//	fs.s3a.web.identity.token.file     OIDC token file: AssumeRoleWithWebIdentity of the role
//	waggle.s3.cache.dir                shared object cache (default $TMPDIR/waggle-s3-cache-<uid>)
//	waggle.s3.cache.size               its size limit (default 10G)
//	waggle.s3.download.part.size       ranged GET size for large objects (default 16M)
//	waggle.s3.download.parallelism     concurrent ranged GETs (default 32)
//	waggle.jobs.local.roots            comma-separated absolute directories: when set, every
//	                                   local path must resolve inside one (see CheckLocal);
//	                                   unset: no confinement
//
// Every fs.s3a.<key> may be overridden for one bucket as
// fs.s3a.bucket.<bucket>.<key>. Bucket settings are validated on first use
// of the bucket; New validates fs.defaultFS and the global S3 settings.
func New(conf map[string]string) (*Storage, error) {
	c := normalizeConf(conf)
	defFS := c[keyDefaultFS]
	if defFS == "" {
		defFS = "file:///"
	}
	def, err := parseDefaultFS(defFS)
	if err != nil {
		return nil, err
	}
	if _, err := s3SettingsFor(c, ""); err != nil {
		return nil, err
	}
	confine, err := parseRoots(c)
	if err != nil {
		return nil, err
	}
	rs, err := readSettingsFrom(c)
	if err != nil {
		return nil, err
	}
	return &Storage{conf: c, def: def, local: localFS{conf: confine}, buckets: map[string]*s3Bucket{},
		cache: &objectCache{settings: rs}, dlSem: make(chan struct{}, rs.parallel)}, nil
}

// Traffic returns the counts of the bytes this Storage's S3 requests have sent and received.
func (s *Storage) Traffic() *Traffic { return &s.traffic }

// CheckLocal checks a local path for code that reads or writes local files
// itself (the engine's `source` command) and returns the absolute OS path
// to use. path is an OS path (relative to the working directory when not
// absolute; fs.defaultFS does not apply) or a file: URI. With
// waggle.jobs.local.roots set, the returned path has its symbolic links
// resolved and lies inside a root; otherwise the error is a
// *ConfinementError (errors.Is(err, fs.ErrPermission) holds). Unconfined,
// the cleaned absolute path is returned.
//
// The check is made against the file system as it is now: a path component
// replaced by a symbolic link between the check and the caller's use can
// still redirect the caller (time of check to time of use). Storage's own
// content operations (Open, Create, Delete, Rename, MkdirAll, Copy*) are
// not exposed to this: they run through an os.Root on the matching root.
func (s *Storage) CheckLocal(path string) (string, error) {
	var l location
	var err error
	if scheme, rest, ok := splitScheme(path); ok {
		if scheme != "file" {
			return "", fmt.Errorf("storage: %q is not a local path", path)
		}
		l, err = parseQualified(path, scheme, rest)
	} else {
		l, err = localRelative(path, path)
	}
	if err != nil {
		return "", err
	}
	root, rel, err := s.local.guard(l)
	if err != nil {
		return "", err
	}
	if root == "" {
		return l.name, nil
	}
	return filepath.Join(root, rel), nil
}

// Qualify returns the fully qualified form of path: scheme-less absolute
// paths resolve against fs.defaultFS, relative ones against the working
// directory (only when fs.defaultFS is local), and the result is cleaned.
func (s *Storage) Qualify(path string) (string, error) {
	l, err := resolve(path, s.def)
	if err != nil {
		return "", err
	}
	return l.String(), nil
}

// DefaultFS returns the qualified root of the default file system, e.g.
// "file:///" or "s3a://bucket/".
func (s *Storage) DefaultFS() string { return s.def.String() }

// backendFor returns the backend serving l, creating an S3 client for its
// bucket on first use.
func (s *Storage) backendFor(ctx context.Context, l location) (backend, error) {
	if l.kind == kindLocal {
		return s.local, nil
	}
	return s.bucket(ctx, l)
}

func (s *Storage) bucket(ctx context.Context, l location) (*s3Bucket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.buckets[l.bucket]; ok {
		return b, nil
	}
	cfg, err := s3SettingsFor(s.conf, l.bucket)
	if err != nil {
		return nil, err
	}
	b, err := newS3Bucket(ctx, l.bucket, cfg, &s.traffic)
	if err != nil {
		return nil, err
	}
	s.buckets[l.bucket] = b
	return b, nil
}

// locate resolves path and finds its backend.
func (s *Storage) locate(ctx context.Context, path string) (location, backend, error) {
	l, err := resolve(path, s.def)
	if err != nil {
		return location{}, nil, err
	}
	b, err := s.backendFor(ctx, l)
	if err != nil {
		return location{}, nil, err
	}
	return l, b, nil
}

// Stat implements FS.
func (s *Storage) Stat(ctx context.Context, path string) (FileInfo, error) {
	l, b, err := s.locate(ctx, path)
	if err != nil {
		return FileInfo{}, err
	}
	return b.stat(ctx, l)
}

// List implements FS.
func (s *Storage) List(ctx context.Context, dir string) ([]FileInfo, error) {
	l, b, err := s.locate(ctx, dir)
	if err != nil {
		return nil, err
	}
	return b.list(ctx, l)
}

// Open implements FS.
func (s *Storage) Open(ctx context.Context, path string) (io.ReadCloser, error) {
	l, b, err := s.locate(ctx, path)
	if err != nil {
		return nil, err
	}
	return b.open(ctx, l)
}

// Create implements FS. On S3 the object appears when Close returns nil;
// ctx must stay valid until then. The returned writer also has an
// Abort() error method that discards what was written (S3: nothing is
// uploaded; local: the file is removed).
func (s *Storage) Create(ctx context.Context, path string) (io.WriteCloser, error) {
	l, b, err := s.locate(ctx, path)
	if err != nil {
		return nil, err
	}
	return b.create(ctx, l)
}

// Delete implements FS. A missing path is not an error; roots are refused.
func (s *Storage) Delete(ctx context.Context, path string, recursive bool) error {
	l, b, err := s.locate(ctx, path)
	if err != nil {
		return err
	}
	return b.remove(ctx, l, recursive)
}

// MkdirAll implements FS. On S3 it writes a "dir/" marker object.
func (s *Storage) MkdirAll(ctx context.Context, path string) error {
	l, b, err := s.locate(ctx, path)
	if err != nil {
		return err
	}
	return b.mkdirAll(ctx, l)
}

// Rename implements FS. Within one local file system it is os.Rename
// (parent directories of dst are created); within one bucket it is copy
// and delete; across file systems, buckets or devices it is Copy followed
// by a recursive Delete of src.
func (s *Storage) Rename(ctx context.Context, src, dst string) error {
	sl, sb, err := s.locate(ctx, src)
	if err != nil {
		return err
	}
	dl, db, err := s.locate(ctx, dst)
	if err != nil {
		return err
	}
	if sl.kind == dl.kind && sl.bucket == dl.bucket {
		err := sb.rename(ctx, sl, dl)
		if !errors.Is(err, errCrossDevice) {
			return err
		}
	}
	if err := s.copyLoc(ctx, sl, sb, dl, db); err != nil {
		return err
	}
	return sb.remove(ctx, sl, true)
}

// Exists reports whether path exists (as a file or a directory).
func (s *Storage) Exists(ctx context.Context, path string) (bool, error) {
	_, err := s.Stat(ctx, path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// ListFiles returns the files (not directories) in dir, sorted by path,
// descending into subdirectories (such as partition directories k=v) when
// recursive. Hidden files and directories (see IsHidden: _SUCCESS,
// .hive-staging_*, _temporary, ...) are skipped, and hidden directories
// are not descended into; dir itself may be hidden. A file given as dir is
// returned alone (as Hadoop's listStatus does, e.g. LOAD DATA INPATH of one
// file). A missing dir gives an ErrNotExist error.
func (s *Storage) ListFiles(ctx context.Context, dir string, recursive bool) ([]FileInfo, error) {
	l, b, err := s.locate(ctx, dir)
	if err != nil {
		return nil, err
	}
	var out []FileInfo
	if recursive {
		out, err = b.walk(ctx, l, true)
	} else {
		var entries []FileInfo
		entries, err = b.list(ctx, l)
		for _, e := range entries {
			if !e.IsDir && !IsHidden(e.Name) {
				out = append(out, e)
			}
		}
	}
	if err != nil || len(out) == 0 {
		// dir may be a file: list it alone, as Hadoop's listStatus does.
		if info, serr := b.stat(ctx, l); serr == nil && !info.IsDir {
			return []FileInfo{info}, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Copy copies a file, or a directory tree (every file, hidden ones
// included), from src to dst across any pair of file systems. dst is
// overwritten file by file; within one bucket the copy is server side.
func (s *Storage) Copy(ctx context.Context, src, dst string) error {
	sl, sb, err := s.locate(ctx, src)
	if err != nil {
		return err
	}
	dl, db, err := s.locate(ctx, dst)
	if err != nil {
		return err
	}
	return s.copyLoc(ctx, sl, sb, dl, db)
}

// CopyFromLocal copies the local file or directory localPath (an OS path,
// relative to the working directory if not absolute) to dst.
func (s *Storage) CopyFromLocal(ctx context.Context, localPath, dst string) error {
	sl, err := localRelative(localPath, localPath)
	if err != nil {
		return err
	}
	return s.Copy(ctx, sl.String(), dst)
}

// CopyToLocal copies the file or directory src to the OS path localPath.
func (s *Storage) CopyToLocal(ctx context.Context, src, localPath string) error {
	dl, err := localRelative(localPath, localPath)
	if err != nil {
		return err
	}
	return s.Copy(ctx, src, dl.String())
}

func (s *Storage) copyLoc(ctx context.Context, sl location, sb backend, dl location, db backend) error {
	info, err := sb.stat(ctx, sl)
	if err != nil {
		return err
	}
	if !info.IsDir {
		return copyFile(ctx, sl, info.Size, sb, dl, db)
	}
	if _, inside := dl.rel(sl); inside {
		return pathErr("copy", sl, fmt.Errorf("cannot copy a directory into itself (%s)", dl))
	}
	files, err := sb.walk(ctx, sl, false)
	if err != nil {
		return err
	}
	if err := db.mkdirAll(ctx, dl); err != nil {
		return err
	}
	prefix := sl.String()
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	for _, f := range files {
		rel, ok := strings.CutPrefix(f.Path, prefix)
		if !ok {
			return pathErr("copy", sl, fmt.Errorf("listed file %s lies outside", f.Path))
		}
		if err := copyFile(ctx, sl.child(rel), f.Size, sb, dl.child(filepath.FromSlash(rel)), db); err != nil {
			return err
		}
	}
	return nil
}

// copyFile copies one file of the given size (as listed; -1: unknown); within one bucket it is a
// server-side copy.
func copyFile(ctx context.Context, sl location, size int64, sb backend, dl location, db backend) error {
	if s3b, ok := sb.(*s3Bucket); ok && sl.kind == kindS3 && dl.kind == kindS3 && sl.bucket == dl.bucket {
		return s3b.copyObjectSize(ctx, sl, dl, size)
	}
	r, err := sb.open(ctx, sl)
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := db.create(ctx, dl)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, ctxReader{ctx, r}); err != nil {
		if a, ok := w.(interface{ Abort() error }); ok {
			a.Abort()
		}
		return pathErr("copy", sl, fmt.Errorf("to %s: %w", dl, err))
	}
	return w.Close()
}

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
