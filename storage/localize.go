package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/errgroup"
)

// Localize returns a local OS path with the content of the file at path,
// for readers (DuckDB) that only read local files. A local path is
// returned as is (after checking that it exists; directories are allowed).
//
// An S3 object is first checked with a HEAD request made with this
// Storage's own credentials (so a shared cache never serves an object to a
// job that may not read it), then served from the shared object cache
// (waggle.s3.cache.dir), keyed by endpoint, bucket, key and ETag: an
// unchanged object is not downloaded again, by this process or any other
// sharing the directory; a changed one (new ETag) is downloaded again and
// older copies of that key are removed. Large objects are downloaded with
// parallel ranged GETs (waggle.s3.download.part.size,
// waggle.s3.download.parallelism), into a temporary file renamed into
// place, so readers never see a partial file.
//
// The returned path is a hard link to the cache entry inside linkDir (the
// caller's private directory, e.g. a session's scratch directory; on
// another file system it is a copy): cache eviction never affects a file
// the caller is reading, and the caller frees the space by removing
// linkDir (or ReleaseLinks). With linkDir "" the cache entry itself is
// returned, which eviction may remove at any time. The local file keeps
// the object's base name, so extensions (.parquet, .gz) still tell the
// format. S3 directories cannot be localized: use ListFiles and localize
// each file.
//
// The cache holds at most waggle.s3.cache.size bytes (default 10G) of
// entries not linked elsewhere: after downloads, the least recently used
// entries (by modification time, refreshed on every hit) are removed
// until it fits. Entries hard-linked by a reader are kept and counted.
func (s *Storage) Localize(ctx context.Context, path, linkDir string) (string, error) {
	l, b, err := s.locate(ctx, path)
	if err != nil {
		return "", err
	}
	if l.kind == kindLocal {
		if _, err := b.stat(ctx, l); err != nil {
			return "", err
		}
		return l.name, nil
	}
	sb := b.(*s3Bucket)
	if l.name == "" {
		return "", pathErr("localize", l, errors.New("is a directory"))
	}
	head, err := sb.head(ctx, l.name)
	if err != nil {
		if isNotFound(err) {
			if isDir, derr := sb.dirExists(ctx, l); derr == nil && isDir {
				return "", pathErr("localize", l, errors.New("is a directory"))
			}
		}
		return "", sb.wrap("localize", l, err)
	}
	size := aws.ToInt64(head.ContentLength)
	etag := aws.ToString(head.ETag)
	c := s.cache
	sum := sha256.Sum256([]byte(sb.cfg.endpoint + "\x00" + l.bucket + "\x00" + l.name))
	keyName := hex.EncodeToString(sum[:16])
	ver := cacheVersion(etag, size)
	rel := filepath.Join(keyName, ver, l.base())
	entry := filepath.Join(c.objects(), rel)

	for attempt := 0; ; attempt++ {
		downloaded := false
		if fi, err := os.Stat(entry); err != nil || !fi.Mode().IsRegular() || fi.Size() != size {
			if err := s.download(ctx, sb, l, etag, size, entry); err != nil {
				return "", err
			}
			dropOtherVersions(filepath.Join(c.objects(), keyName), ver)
			c.added(size)
			downloaded = true
		} else {
			now := time.Now()
			_ = os.Chtimes(entry, now, now) // LRU: most recently used
		}
		if linkDir == "" {
			if downloaded {
				s.evict(entry)
			}
			return entry, nil
		}
		link := filepath.Join(linkDir, rel)
		err := linkInto(entry, link)
		if err == nil {
			dropOtherVersions(filepath.Join(linkDir, keyName), ver)
			if downloaded {
				s.evict(entry) // after linking: the new entry is in use
			}
			return link, nil
		}
		if !errors.Is(err, fs.ErrNotExist) || attempt >= 5 {
			return "", pathErr("localize", l, fmt.Errorf("cache: %w", unwrapOS(err)))
		}
		// Evicted by another process between the check and the link: fetch again.
	}
}

// ReleaseLinks removes what Localize put into linkDir, so that the cache
// can reclaim the space of entries evicted meanwhile. Readers must be done
// with the returned paths.
func (s *Storage) ReleaseLinks(linkDir string) error {
	return os.RemoveAll(linkDir)
}

// cacheVersion names a cached version: the ETag, or the size for servers
// without ETags.
func cacheVersion(etag string, size int64) string {
	if v := cacheName(etag); v != "" {
		return v
	}
	return fmt.Sprintf("size-%d", size)
}

// linkInto makes dst a hard link to src (a copy across file systems). An
// existing dst is the same version (same key, same ETag): kept.
func linkInto(src, dst string) error {
	if fi, err := os.Stat(dst); err == nil && fi.Mode().IsRegular() {
		if si, err := os.Stat(src); err == nil && os.SameFile(fi, si) {
			return nil
		}
		os.Remove(dst)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	err := os.Link(src, dst)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if errors.Is(err, fs.ErrExist) {
		return nil // a concurrent Localize of the same version in this linkDir
	}
	// Another file system (EXDEV) or no hard links: copy.
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".copy-*")
	if err != nil {
		return err
	}
	_, err = io.Copy(tmp, in)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// dropOtherVersions removes the directories of keyDir other than keep
// (older versions of one object). Open or linked files stay readable.
func dropOtherVersions(keyDir, keep string) {
	entries, err := os.ReadDir(keyDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() && e.Name() != keep {
			os.RemoveAll(filepath.Join(keyDir, e.Name()))
		}
	}
}

// download fetches the object l (of the given ETag and size) into entry:
// one GET for small objects, parallel ranged GETs for large ones, into a
// temporary file renamed into place.
func (s *Storage) download(ctx context.Context, sb *s3Bucket, l location, etag string, size int64, entry string) error {
	c := s.cache
	if err := os.MkdirAll(c.tmp(), 0o700); err != nil {
		return pathErr("localize", l, fmt.Errorf("cache: %w", err))
	}
	tmp, err := os.CreateTemp(c.tmp(), "dl-*")
	if err != nil {
		return pathErr("localize", l, fmt.Errorf("cache: %w", err))
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	part := c.settings.partSize
	if size < 2*part {
		if err := s.getRange(ctx, sb, l, etag, 0, size, tmp, true); err != nil {
			return err
		}
	} else {
		if err := tmp.Truncate(size); err != nil {
			return pathErr("localize", l, fmt.Errorf("cache: %w", err))
		}
		g, gctx := errgroup.WithContext(ctx)
		for off := int64(0); off < size; off += part {
			n := min(part, size-off)
			g.Go(func() error {
				select {
				case s.dlSem <- struct{}{}:
				case <-gctx.Done():
					return gctx.Err()
				}
				defer func() { <-s.dlSem }()
				return s.getRange(gctx, sb, l, etag, off, n, tmp, false)
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
	}
	if err := tmp.Close(); err != nil {
		return pathErr("localize", l, fmt.Errorf("cache: %w", err))
	}
	// Atomic: readers never see a partial file. A concurrent eviction may remove the (then empty)
	// directory between MkdirAll and Rename: make it again.
	var err2 error
	for range 5 {
		if err2 = os.MkdirAll(filepath.Dir(entry), 0o700); err2 == nil {
			if err2 = os.Rename(tmp.Name(), entry); err2 == nil {
				ok = true
				return nil
			}
		}
		if !errors.Is(err2, fs.ErrNotExist) {
			break
		}
	}
	return pathErr("localize", l, fmt.Errorf("cache: %w", unwrapOS(err2)))
}

// getRange downloads bytes [off, off+n) of l into f at off (the whole
// object when whole), failing if the object is no longer the version
// with etag.
func (s *Storage) getRange(ctx context.Context, sb *s3Bucket, l location, etag string, off, n int64, f *os.File, whole bool) error {
	in := &s3.GetObjectInput{Bucket: aws.String(l.bucket), Key: aws.String(l.name)}
	if !whole {
		in.Range = aws.String(fmt.Sprintf("bytes=%d-%d", off, off+n-1))
	}
	if etag != "" {
		in.IfMatch = aws.String(etag)
	}
	out, err := sb.client.GetObject(ctx, in)
	if err != nil {
		return sb.wrap("localize", l, err)
	}
	defer out.Body.Close()
	if etag != "" && out.ETag != nil && aws.ToString(out.ETag) != etag {
		return pathErr("localize", l, errors.New("object changed during download"))
	}
	got, err := io.Copy(io.NewOffsetWriter(f, off), ctxReader{ctx, out.Body})
	if err != nil {
		return pathErr("localize", l, fmt.Errorf("download: %w", err))
	}
	if got != n {
		return pathErr("localize", l, fmt.Errorf("download: got %d bytes at offset %d, want %d", got, off, n))
	}
	return nil
}

// cacheName turns an ETag into a safe directory name.
func cacheName(etag string) string {
	etag = strings.Trim(etag, `"`)
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, etag)
}

// objectCache is the shared on-disk cache of S3 objects:
//
//	<dir>/objects/<hash of endpoint, bucket, key>/<ETag>/<base name>
//	<dir>/tmp/dl-*        downloads in progress (renamed into objects/)
//
// Several processes may share dir: entries appear by atomic rename,
// readers need no lock (they hard-link the entry), and eviction only
// unlinks files, which never disturbs a reader that has a link or an open
// descriptor.
type objectCache struct {
	settings readSettings

	mu       sync.Mutex // serialises this Storage's evictions
	estimate int64      // bytes in the cache as of the last scan, plus downloads since
	scanned  bool
}

func (c *objectCache) objects() string { return filepath.Join(c.settings.cacheDir, "objects") }
func (c *objectCache) tmp() string     { return filepath.Join(c.settings.cacheDir, "tmp") }

func (c *objectCache) added(n int64) {
	c.mu.Lock()
	c.estimate += n
	c.mu.Unlock()
}

// staleDownload is the age after which a temporary download is an orphan
// of a crashed process.
const staleDownload = time.Hour

// evict scans the cache when it may be over its size limit and removes
// least recently used entries that no reader links, down to 90% of the
// limit, never keep; it also removes orphaned downloads and empty directories.
func (s *Storage) evict(keep string) {
	c := s.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.scanned && c.estimate <= c.settings.cacheSize {
		return
	}
	type ent struct {
		path  string
		size  int64
		mtime time.Time
	}
	var ents []ent
	var total int64
	_ = filepath.WalkDir(c.objects(), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		total += fi.Size()
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 || p == keep {
			return nil // linked by a reader, or just fetched: in use, not evictable
		}
		ents = append(ents, ent{p, fi.Size(), fi.ModTime()})
		return nil
	})
	if total > c.settings.cacheSize {
		sort.Slice(ents, func(i, j int) bool { return ents[i].mtime.Before(ents[j].mtime) })
		low := c.settings.cacheSize / 10 * 9
		for _, e := range ents {
			if total <= low {
				break
			}
			if os.Remove(e.path) == nil {
				total -= e.size
				// Remove the now empty version and key directories.
				if os.Remove(filepath.Dir(e.path)) == nil {
					os.Remove(filepath.Dir(filepath.Dir(e.path)))
				}
			}
		}
	}
	if tmps, err := os.ReadDir(c.tmp()); err == nil {
		for _, t := range tmps {
			if fi, err := t.Info(); err == nil && time.Since(fi.ModTime()) > staleDownload {
				os.Remove(filepath.Join(c.tmp(), t.Name()))
			}
		}
	}
	c.estimate, c.scanned = total, true
}

// CacheUsage reports the bytes held in the shared object cache directory.
func (s *Storage) CacheUsage() (int64, error) {
	var total int64
	err := filepath.WalkDir(s.cache.objects(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				total += fi.Size()
			}
		}
		return nil
	})
	return total, err
}
