package storage

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// kind tells which backend serves a location.
type kind int

const (
	kindLocal kind = iota + 1
	kindS3
)

// location is a parsed, qualified path.
type location struct {
	kind   kind
	scheme string // "file", "s3", "s3a" or "s3n": kept as the user wrote it
	bucket string // S3 only
	// name is the absolute, cleaned OS path for local files, and the object
	// key (no leading slash, "" for the bucket root) for S3.
	name string
}

func (l location) String() string {
	if l.kind == kindLocal {
		return "file://" + filepath.ToSlash(l.name)
	}
	return l.scheme + "://" + l.bucket + "/" + l.name
}

// isRoot reports whether l is "/" or a bucket root.
func (l location) isRoot() bool {
	if l.kind == kindLocal {
		return l.name == filepath.Dir(l.name)
	}
	return l.name == ""
}

// child returns the location of the entry called name inside l.
func (l location) child(name string) location {
	c := l
	if l.kind == kindLocal {
		c.name = filepath.Join(l.name, name)
	} else if l.name == "" {
		c.name = name
	} else {
		c.name = l.name + "/" + name
	}
	return c
}

// parent returns the directory that contains l (l itself for a root).
func (l location) parent() location {
	p := l
	if l.kind == kindLocal {
		p.name = filepath.Dir(l.name)
	} else if i := strings.LastIndexByte(l.name, '/'); i >= 0 {
		p.name = l.name[:i]
	} else {
		p.name = ""
	}
	return p
}

// base returns the last element of l ("" for an S3 bucket root).
func (l location) base() string {
	if l.kind == kindLocal {
		return filepath.Base(l.name)
	}
	if l.name == "" {
		return ""
	}
	return path.Base(l.name)
}

// rel returns the path of l relative to dir, with '/' separators, and
// whether l lies strictly inside dir.
func (l location) rel(dir location) (string, bool) {
	if l.kind != dir.kind || l.bucket != dir.bucket {
		return "", false
	}
	if l.kind == kindLocal {
		r, err := filepath.Rel(dir.name, l.name)
		if err != nil || r == "." || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return "", false
		}
		return filepath.ToSlash(r), true
	}
	if dir.name == "" {
		return l.name, l.name != ""
	}
	if strings.HasPrefix(l.name, dir.name+"/") {
		return l.name[len(dir.name)+1:], true
	}
	return "", false
}

// isS3Scheme reports whether scheme names the S3 store.
func isS3Scheme(scheme string) bool {
	switch scheme {
	case "s3", "s3a", "s3n":
		return true
	}
	return false
}

// splitScheme splits "scheme:rest". A scheme is a letter followed by
// letters, digits, '+', '-' or '.', before the first '/'; anything else is a
// scheme-less path (so "dt=2020:01/x" is a relative path).
func splitScheme(p string) (scheme, rest string, ok bool) {
	i := strings.IndexByte(p, ':')
	if i <= 0 || strings.IndexByte(p[:i], '/') >= 0 {
		return "", p, false
	}
	for j, c := range p[:i] {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (j == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return "", p, false
		}
	}
	return strings.ToLower(p[:i]), p[i+1:], true
}

// parseQualified parses a path that carries a scheme.
func parseQualified(p, scheme, rest string) (location, error) {
	switch {
	case scheme == "file":
		switch {
		case strings.HasPrefix(rest, "//"):
			auth, name, _ := strings.Cut(rest[2:], "/")
			if auth != "" && auth != "localhost" {
				return location{}, fmt.Errorf("storage: path %q: file URI with host %q is not supported", p, auth)
			}
			return location{kind: kindLocal, scheme: "file", name: filepath.Clean("/" + filepath.FromSlash(name))}, nil
		case strings.HasPrefix(rest, "/"):
			return location{kind: kindLocal, scheme: "file", name: filepath.Clean(filepath.FromSlash(rest))}, nil
		default:
			return localRelative(p, rest)
		}
	case isS3Scheme(scheme):
		if !strings.HasPrefix(rest, "//") {
			return location{}, fmt.Errorf("storage: path %q: %s path needs a bucket (%s://bucket/key)", p, scheme, scheme)
		}
		bucket, key, _ := strings.Cut(rest[2:], "/")
		if bucket == "" {
			return location{}, fmt.Errorf("storage: path %q: empty bucket name", p)
		}
		return location{kind: kindS3, scheme: scheme, bucket: bucket, name: cleanKey(key)}, nil
	default:
		return location{}, fmt.Errorf("storage: path %q: unsupported scheme %q (supported: file, s3, s3a, s3n)", p, scheme)
	}
}

// cleanKey cleans an object key: no leading or trailing slash, no empty,
// "." or ".." segments.
func cleanKey(key string) string {
	c := path.Clean("/" + key)
	return strings.TrimPrefix(c, "/")
}

func localRelative(p, rel string) (location, error) {
	abs, err := filepath.Abs(filepath.FromSlash(rel))
	if err != nil {
		return location{}, fmt.Errorf("storage: resolve relative path %q: %w", p, err)
	}
	return location{kind: kindLocal, scheme: "file", name: abs}, nil
}

// resolve qualifies p against the default file system def.
func resolve(p string, def location) (location, error) {
	if p == "" {
		return location{}, fmt.Errorf("storage: empty path")
	}
	if scheme, rest, ok := splitScheme(p); ok {
		return parseQualified(p, scheme, rest)
	}
	if strings.HasPrefix(p, "/") {
		l := def
		if l.kind == kindLocal {
			l.name = filepath.Clean(filepath.FromSlash(p))
		} else {
			l.name = cleanKey(p)
		}
		return l, nil
	}
	if def.kind != kindLocal {
		return location{}, fmt.Errorf("storage: relative path %q cannot be resolved: fs.defaultFS is %s; use an absolute path", p, def)
	}
	return localRelative(p, p)
}

// parseDefaultFS parses fs.defaultFS; any path part of it is ignored, as
// Hadoop does.
func parseDefaultFS(v string) (location, error) {
	scheme, rest, ok := splitScheme(v)
	if !ok {
		return location{}, fmt.Errorf("storage: fs.defaultFS %q: needs a scheme (file:/// or s3a://bucket)", v)
	}
	l, err := parseQualified(v, scheme, rest)
	if err != nil {
		return location{}, fmt.Errorf("storage: fs.defaultFS: %w", err)
	}
	if l.kind == kindLocal {
		l.name = string(filepath.Separator)
	} else {
		l.name = ""
	}
	return l, nil
}
