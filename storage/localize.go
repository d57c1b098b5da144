package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
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
	return s.LocalizeListed(ctx, FileInfo{Path: path}, linkDir, "", nil)
}

// object is an S3 object about to be localized, as its HEAD request saw it; sb is nil for a local
// file, whose path is local.
type object struct {
	sb      *s3Bucket
	l       location
	size    int64
	etag    string
	keyName string // cache directory of the key: hash of endpoint, bucket and key
	ver     string // cache directory of the version: from the ETag
	local   string
}

// rel is the object's path relative to a cache or link directory.
func (o object) rel() string { return filepath.Join(o.keyName, o.ver, o.l.base()) }

// headObject checks path with this Storage's credentials and describes it for localization.
func (s *Storage) headObject(ctx context.Context, path string) (object, error) {
	l, b, err := s.locate(ctx, path)
	if err != nil {
		return object{}, err
	}
	if l.kind == kindLocal {
		if _, err := b.stat(ctx, l); err != nil {
			return object{}, err
		}
		return object{l: l, local: l.name}, nil
	}
	sb := b.(*s3Bucket)
	if l.name == "" {
		return object{}, pathErr("localize", l, errors.New("is a directory"))
	}
	head, err := sb.head(ctx, l.name)
	if err != nil {
		if isNotFound(err) {
			if isDir, derr := sb.dirExists(ctx, l); derr == nil && isDir {
				return object{}, pathErr("localize", l, errors.New("is a directory"))
			}
		}
		return object{}, sb.wrap("localize", l, err)
	}
	return s.describe(sb, l, aws.ToInt64(head.ContentLength), aws.ToString(head.ETag)), nil
}

// describe names the cache directories of version etag of the object l.
func (s *Storage) describe(sb *s3Bucket, l location, size int64, etag string) object {
	o := object{sb: sb, l: l, size: size, etag: etag}
	sum := sha256.Sum256([]byte(sb.cfg.endpoint + "\x00" + l.bucket + "\x00" + l.name))
	o.keyName = hex.EncodeToString(sum[:16])
	o.ver = cacheVersion(o.etag, o.size)
	return o
}

// cached reports whether the shared cache holds the whole object.
func (s *Storage) cached(o object) bool {
	fi, err := os.Stat(filepath.Join(s.cache.objects(), o.rel()))
	return err == nil && fi.Mode().IsRegular() && fi.Size() == o.size
}

// localizeWhole serves o from the shared cache, downloading it whole when it is not there.
func (s *Storage) localizeWhole(ctx context.Context, o object, linkDir string) (string, error) {
	c := s.cache
	rel := o.rel()
	entry := filepath.Join(c.objects(), rel)

	for attempt := 0; ; attempt++ {
		downloaded := false
		if !s.cached(o) {
			if err := s.download(ctx, o, entry); err != nil {
				return "", err
			}
			dropOtherVersions(filepath.Join(c.objects(), o.keyName), o.ver)
			c.added(o.size)
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
			dropOtherVersions(filepath.Join(linkDir, o.keyName), o.ver)
			if downloaded {
				s.evict(entry) // after linking: the new entry is in use
			}
			return link, nil
		}
		if !errors.Is(err, fs.ErrNotExist) || attempt >= 5 {
			return "", pathErr("localize", o.l, fmt.Errorf("cache: %w", unwrapOS(err)))
		}
		// Evicted by another process between the check and the link: fetch again.
	}
}

// A Range is the byte range [Off, Off+Len) of a file.
type Range struct{ Off, Len int64 }

// End is the offset just past the range.
func (r Range) End() int64 { return r.Off + r.Len }

// A Planner tells LocalizeListed which bytes of an object its reader will read. It is called with
// the partial local file (the object's size, holding the bytes of the ranges in have, sorted and
// disjoint, and zeros elsewhere) and returns the ranges the reader needs, or whole=true when the reader
// needs (nearly) the whole object.
type Planner func(ctx context.Context, local string, size int64, have []Range) (need []Range, whole bool, err error)

// maxPlanRounds bounds the conversation with a Planner (a Parquet reader needs three: the tail, the
// footer, the column chunks).
const maxPlanRounds = 8

// LocalizeListed is Localize for a file as ListFiles or Stat described it, for readers that may read
// only parts of it (a Parquet reader reading a few columns).
//
// With plan nil the whole object is localized, as Localize does. With a plan, it returns a local file
// of the object's size in which every byte the planner asked for is the object's (the others are
// zeros): it calls plan, fetches the missing ranges (several ranged GETs at once, each carrying
// If-Match with the object's ETag, so the bytes are all of one version) and calls plan again, until
// plan asks for nothing missing. The planner is trusted: bytes it did not ask for read as zeros.
//
// A whole object already in the shared cache is served from there, as Localize does; so is one the
// planner asks for whole (linked into linkDir). Partial files are private to this Storage (one job):
// they live in partDir, are reused and completed by later calls for the same version of the object (an
// object that changed gets a new file), and are freed by ReleasePartials(partDir). Local paths are
// returned as they are.
//
// When f carries the object's ETag (listings do), no HEAD request is made before downloading: the
// GETs' If-Match checks the version, and they need the same read permission. An object changed or
// deleted since it was listed is looked at again (HEAD) and fetched as it is now, or reported missing.
// Serving an object from the shared cache always takes a HEAD request with this Storage's credentials.
func (s *Storage) LocalizeListed(ctx context.Context, f FileInfo, linkDir, partDir string, plan Planner) (string, error) {
	if plan == nil {
		partDir = ""
	}
	if f.ETag != "" {
		o, err := s.listedObject(ctx, f)
		if err != nil {
			return "", err
		}
		if o.sb != nil && !s.cached(o) {
			var p string
			if partDir == "" {
				p, err = s.localizeWhole(ctx, o, linkDir)
			} else {
				p, err = s.localizePartial(ctx, o, linkDir, partDir, plan)
			}
			if !errors.Is(err, errChanged) && !isNotFound(err) {
				return p, err
			}
			// Changed or gone since it was listed: look again.
		}
	}
	o, err := s.headObject(ctx, f.Path)
	if err != nil || o.sb == nil {
		return o.local, err
	}
	if partDir == "" || s.cached(o) {
		return s.localizeWhole(ctx, o, linkDir)
	}
	return s.localizePartial(ctx, o, linkDir, partDir, plan)
}

// errChanged is the cause of a download failing because the object is no longer the version asked for.
var errChanged = errors.New("object changed during download")

// listedObject describes a listed S3 file for localization without a HEAD request (sb is nil for a
// local file).
func (s *Storage) listedObject(ctx context.Context, f FileInfo) (object, error) {
	l, b, err := s.locate(ctx, f.Path)
	if err != nil {
		return object{}, err
	}
	sb, ok := b.(*s3Bucket)
	if !ok || l.name == "" {
		return object{}, nil
	}
	return s.describe(sb, l, f.Size, f.ETag), nil
}

// localizePartial is LocalizeListed with a plan, for an S3 object not in the shared cache.
func (s *Storage) localizePartial(ctx context.Context, o object, linkDir, partDir string, plan Planner) (string, error) {
	pf, err := s.partialFile(o, partDir)
	if err != nil {
		return "", err
	}
	if pf == nil { // this Storage's partial files hold waggle.s3.cache.size bytes already
		return s.localizeWhole(ctx, o, linkDir)
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	for range maxPlanRounds {
		need, whole, err := plan(ctx, pf.path, o.size, pf.have)
		if err != nil {
			return "", pathErr("localize", o.l, err)
		}
		if whole {
			return s.localizeWhole(ctx, o, linkDir)
		}
		missing := coalesce(subtract(clip(need, o.size), pf.have), partialGap)
		if len(missing) == 0 {
			return pf.path, nil
		}
		f, err := os.OpenFile(pf.path, os.O_WRONLY, 0)
		if err != nil {
			return "", pathErr("localize", o.l, fmt.Errorf("cache: %w", unwrapOS(err)))
		}
		err = s.fetchRanges(ctx, o, f, missing)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = pathErr("localize", o.l, fmt.Errorf("cache: %w", unwrapOS(cerr)))
		}
		if err != nil {
			return "", err
		}
		pf.have = union(pf.have, missing)
		var n int64
		for _, r := range missing {
			n += r.Len
		}
		s.mu.Lock()
		pf.bytes += n
		s.partialBytes += n
		s.mu.Unlock()
	}
	return "", pathErr("localize", o.l, fmt.Errorf("the reader's plan did not settle after %d rounds", maxPlanRounds))
}

// partialGap is the largest gap between two needed ranges that is fetched rather than skipped (one
// request costs about as much as that many bytes).
const partialGap = 128 << 10

// partial is a partially fetched object of this Storage.
type partial struct {
	mu    sync.Mutex // held while planning and fetching
	path  string
	have  []Range // sorted, disjoint
	bytes int64   // fetched into the file (guarded by Storage.mu)
}

// partialFile returns this Storage's partial file for o in dir, creating it (sparse, of the
// object's size) on first use and dropping the files of other versions. It returns nil when a new
// file is needed but the partial files hold the cache size limit already: their growth stops there
// (they are not evicted while the job may still read them), and further objects go through the
// bounded shared cache.
func (s *Storage) partialFile(o object, dir string) (*partial, error) {
	// One flat file per object version, <key hash>-<version>: no directory per object (creating two
	// directories per file dominated scans of many small files), and DuckDB reads partial files with
	// read_parquet, so the object's own name is not needed.
	key := filepath.Join(dir, o.keyName) + "-"
	p := key + o.ver
	s.mu.Lock()
	defer s.mu.Unlock()
	if pf := s.partials[p]; pf != nil {
		return pf, nil
	}
	if s.partialBytes >= s.cache.settings.cacheSize {
		return nil, nil
	}
	for k, pf := range s.partials { // other versions of the key
		if strings.HasPrefix(k, key) {
			s.partialBytes -= pf.bytes
			delete(s.partials, k)
			os.Remove(k)
		}
	}
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if errors.Is(err, fs.ErrNotExist) {
		if err = os.MkdirAll(dir, 0o700); err == nil {
			f, err = os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
		}
	}
	if err == nil {
		err = f.Truncate(o.size)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return nil, pathErr("localize", o.l, fmt.Errorf("cache: %w", unwrapOS(err)))
	}
	if s.partials == nil {
		s.partials = map[string]*partial{}
	}
	pf := &partial{path: p}
	s.partials[p] = pf
	return pf, nil
}

// ReleasePartials removes the partial files LocalizeListed made in dir. Readers must be done with
// them.
func (s *Storage) ReleasePartials(dir string) error {
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	s.mu.Lock()
	for k, pf := range s.partials {
		if strings.HasPrefix(k, prefix) {
			s.partialBytes -= pf.bytes
			delete(s.partials, k)
		}
	}
	s.mu.Unlock()
	return os.RemoveAll(dir)
}

// fetchRanges downloads the ranges of o into f at their offsets, in pieces of at most the download
// part size, several at once.
func (s *Storage) fetchRanges(ctx context.Context, o object, f *os.File, ranges []Range) error {
	part := s.cache.settings.partSize
	g, gctx := errgroup.WithContext(ctx)
	for _, r := range ranges {
		for off := r.Off; off < r.End(); off += part {
			n := min(part, r.End()-off)
			g.Go(func() error {
				select {
				case s.dlSem <- struct{}{}:
				case <-gctx.Done():
					return gctx.Err()
				}
				defer func() { <-s.dlSem }()
				return s.getRange(gctx, o.sb, o.l, o.etag, off, n, f, false)
			})
		}
	}
	return g.Wait()
}

// clip drops empty ranges and cuts ranges to [0, size).
func clip(rs []Range, size int64) []Range {
	var out []Range
	for _, r := range rs {
		off, end := max(r.Off, 0), min(r.End(), size)
		if end > off {
			out = append(out, Range{off, end - off})
		}
	}
	return out
}

// union merges two sets of ranges into sorted, disjoint, non-adjacent ranges.
func union(a, b []Range) []Range {
	return coalesce(append(append([]Range(nil), a...), b...), 0)
}

// coalesce sorts rs and merges ranges that overlap or lie at most gap bytes apart.
func coalesce(rs []Range, gap int64) []Range {
	rs = append([]Range(nil), rs...)
	sort.Slice(rs, func(i, j int) bool { return rs[i].Off < rs[j].Off })
	var out []Range
	for _, r := range rs {
		if r.Len <= 0 {
			continue
		}
		if n := len(out); n > 0 && r.Off <= out[n-1].End()+gap {
			if r.End() > out[n-1].End() {
				out[n-1].Len = r.End() - out[n-1].Off
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// subtract returns the parts of need (any order) not covered by have (sorted, disjoint).
func subtract(need, have []Range) []Range {
	var out []Range
	for _, r := range coalesce(need, 0) {
		off, end := r.Off, r.End()
		for _, h := range have {
			if h.End() <= off {
				continue
			}
			if h.Off >= end {
				break
			}
			if h.Off > off {
				out = append(out, Range{off, h.Off - off})
			}
			off = max(off, h.End())
			if off >= end {
				break
			}
		}
		if off < end {
			out = append(out, Range{off, end - off})
		}
	}
	return out
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
func (s *Storage) download(ctx context.Context, o object, entry string) error {
	c := s.cache
	sb, l, etag, size := o.sb, o.l, o.etag, o.size
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
		if err := s.fetchRanges(ctx, o, tmp, []Range{{0, size}}); err != nil {
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
		var re *awshttp.ResponseError
		if etag != "" && errors.As(err, &re) && re.HTTPStatusCode() == http.StatusPreconditionFailed {
			return pathErr("localize", l, errChanged) // If-Match failed
		}
		return sb.wrap("localize", l, err)
	}
	defer out.Body.Close()
	if etag != "" && out.ETag != nil && aws.ToString(out.ETag) != etag {
		return pathErr("localize", l, errChanged)
	}
	// 1 MiB writes: a tenth of the system calls of io.Copy's 32 KiB, measurably faster on loopback.
	got, err := io.CopyBuffer(io.NewOffsetWriter(f, off), ctxReader{ctx, out.Body}, make([]byte, max(min(n, 1<<20), 4<<10)))
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
