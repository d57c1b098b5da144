package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// KeyLocalRoots confines local file access: a comma-separated list of
// absolute directories. When it is set, every local path a Storage touches
// must lie inside one of them; unset means no confinement (CLI use).
const KeyLocalRoots = "waggle.jobs.local.roots"

// ConfinementError is the error for a local path outside the allowed roots.
// It wraps fs.ErrPermission.
type ConfinementError struct {
	Path     string // the OS path asked for (absolute, cleaned)
	Resolved string // where it leads once symbolic links are followed
	Reason   string // set when the path could not be resolved at all
}

func (e *ConfinementError) Error() string {
	p := e.Path
	if e.Resolved != "" && e.Resolved != e.Path {
		p += " (resolves to " + e.Resolved + ")"
	}
	if e.Reason != "" {
		return fmt.Sprintf("permission denied: %s cannot be checked against the job's allowed local roots (%s): %s", p, KeyLocalRoots, e.Reason)
	}
	return fmt.Sprintf("permission denied: %s is outside the job's allowed local roots (%s)", p, KeyLocalRoots)
}

func (e *ConfinementError) Unwrap() error { return fs.ErrPermission }

// confinement holds the allowed roots: absolute, cleaned, symbolic links
// resolved, outermost first (so nested roots collapse onto the outer one).
// It is immutable once built.
type confinement struct {
	roots []string
}

// parseRoots reads waggle.jobs.local.roots; nil means unconfined. A key that
// is present but names no directory is an error, never "no confinement".
func parseRoots(conf map[string]string) (*confinement, error) {
	v, ok := conf[KeyLocalRoots]
	if !ok {
		return nil, nil
	}
	c := &confinement{}
	for _, r := range strings.Split(v, ",") {
		r = strings.TrimSpace(r)
		if r == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(r, "file://"); ok {
			r = rest
		}
		if !filepath.IsAbs(r) {
			return nil, fmt.Errorf("storage: %s: %q is not an absolute directory", KeyLocalRoots, r)
		}
		real, err := realPath(filepath.Clean(r))
		if err != nil {
			return nil, fmt.Errorf("storage: %s: %s: %w", KeyLocalRoots, r, err)
		}
		c.roots = append(c.roots, real)
	}
	if len(c.roots) == 0 {
		return nil, fmt.Errorf("storage: %s is set but names no directory", KeyLocalRoots)
	}
	sort.Slice(c.roots, func(i, j int) bool { return len(c.roots[i]) < len(c.roots[j]) })
	return c, nil
}

// check resolves name (an absolute, cleaned OS path) and returns the root
// holding it and the path relative to that root. A nil confinement allows
// everything (root and rel are then "").
func (c *confinement) check(name string) (root, rel string, err error) {
	if c == nil {
		return "", "", nil
	}
	real, err := realPath(name)
	if err != nil {
		return "", "", &ConfinementError{Path: name, Reason: err.Error()}
	}
	for _, r := range c.roots {
		if rel, ok := within(r, real); ok {
			return r, rel, nil
		}
	}
	return "", "", &ConfinementError{Path: name, Resolved: real}
}

// within reports whether p lies in (or is) dir, and p's path relative to dir.
func within(dir, p string) (string, bool) {
	rel, err := filepath.Rel(dir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return rel, true
}

// realPath resolves every symbolic link in the absolute path p, component
// by component. Unlike filepath.EvalSymlinks it accepts paths whose tail
// does not exist yet (a file about to be created), and it follows dangling
// links to where they point, since creating through one writes there.
func realPath(p string) (string, error) {
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("%q is not absolute", p)
	}
	sep := string(filepath.Separator)
	resolved := sep
	rest := strings.Split(strings.TrimPrefix(filepath.Clean(p), sep), sep)
	links := 0
	for len(rest) > 0 {
		c := rest[0]
		rest = rest[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			resolved = filepath.Dir(resolved)
			continue
		}
		next := filepath.Join(resolved, c)
		fi, err := os.Lstat(next)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			resolved = next // the rest does not exist yet: taken literally
			continue
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			resolved = next
			continue
		}
		if links++; links > 40 {
			return "", fmt.Errorf("too many levels of symbolic links at %s", next)
		}
		target, err := os.Readlink(next)
		if err != nil {
			return "", err
		}
		if filepath.IsAbs(target) {
			resolved = sep
		}
		rest = append(strings.Split(strings.TrimPrefix(target, sep), sep), rest...)
	}
	return resolved, nil
}
