package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Localize returns a local OS path with the content of the file at path,
// for readers (DuckDB) that only read local files. A local path is
// returned as is (after checking that it exists; directories are allowed).
// An S3 object is downloaded into cacheDir, keyed by endpoint, bucket, key
// and ETag: a later call for an unchanged object reuses the copy without
// downloading, a changed object (new ETag) is downloaded again and older
// copies of that key are removed. The local file keeps the object's base
// name, so extensions (.parquet, .gz) still tell the format. S3
// directories cannot be localized: use ListFiles and localize each file.
func (s *Storage) Localize(ctx context.Context, path, cacheDir string) (string, error) {
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
	sum := sha256.Sum256([]byte(sb.cfg.endpoint + "\x00" + l.bucket + "\x00" + l.name))
	keyDir := filepath.Join(cacheDir, hex.EncodeToString(sum[:16]))
	version := func(etag *string, size *int64) string {
		if v := cacheName(aws.ToString(etag)); v != "" {
			return v
		}
		return fmt.Sprintf("size-%d", aws.ToInt64(size)) // servers without ETags
	}
	final := filepath.Join(keyDir, version(head.ETag, head.ContentLength), l.base())
	if fi, err := os.Stat(final); err == nil && fi.Mode().IsRegular() && fi.Size() == aws.ToInt64(head.ContentLength) {
		return final, nil
	}

	obj, err := sb.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(l.bucket), Key: aws.String(l.name)})
	if err != nil {
		return "", sb.wrap("localize", l, err)
	}
	defer obj.Body.Close()
	// Name the copy by the ETag of the bytes actually downloaded.
	ver := version(obj.ETag, obj.ContentLength)
	final = filepath.Join(keyDir, ver, l.base())
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return "", pathErr("localize", l, fmt.Errorf("cache: %w", err))
	}
	tmp, err := os.CreateTemp(keyDir, ".download-*")
	if err != nil {
		return "", pathErr("localize", l, fmt.Errorf("cache: %w", err))
	}
	_, err = io.Copy(tmp, ctxReader{ctx, obj.Body})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), final) // atomic: readers never see a partial file
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", pathErr("localize", l, fmt.Errorf("download to cache: %w", unwrapOS(err)))
	}
	// Drop copies of older versions of this key.
	if entries, err := os.ReadDir(keyDir); err == nil {
		for _, e := range entries {
			if e.IsDir() && e.Name() != ver {
				os.RemoveAll(filepath.Join(keyDir, e.Name()))
			}
		}
	}
	return final, nil
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
