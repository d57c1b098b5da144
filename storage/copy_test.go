package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Server-side copies above fs.s3a.copy.multipart.threshold are multipart
// uploads filled from ranged GETs of the source (gofakes3 has no
// UploadPartCopy; see multipartCopy). These tests lower the threshold to 6M
// with 5M parts (S3's minimum) and copy a 17 MB object: 4 parts.

const (
	bigCopySize  = 17_000_000
	bigCopyParts = 4 // ceil(17_000_000 / 5 MiB)
)

// copyConf is f's conf with the copy threshold lowered to 6M and 5M parts.
func copyConf(f *fakeS3, extra ...string) map[string]string {
	return f.conf(append([]string{"fs.s3a.copy.multipart.threshold", "6M", "fs.s3a.multipart.size", "5M"}, extra...)...)
}

func randomBytes(n int, seed uint64) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{byte(seed)}).Read(b)
	return b
}

// putBytes stores an object with content type and user metadata directly
// in the backend.
func (f *fakeS3) putBytes(t *testing.T, bucket, key string, body []byte) {
	t.Helper()
	meta := map[string]string{"Content-Type": "application/x-waggle-test", "X-Amz-Meta-Writer": "waggle"}
	if _, err := f.backend.PutObject(bucket, key, meta, bytes.NewReader(body), int64(len(body)), nil); err != nil {
		t.Fatal(err)
	}
}

// getBytes reads an object directly from the backend.
func (f *fakeS3) getBytes(t *testing.T, bucket, key string) []byte {
	t.Helper()
	obj, err := f.backend.GetObject(bucket, key, nil)
	if err != nil {
		t.Fatalf("backend get %s: %v", key, err)
	}
	defer obj.Contents.Close()
	b, err := io.ReadAll(obj.Contents)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// copyRequests records what the copy sent: part uploads, ranged GETs and
// CopyObject requests (PUT with x-amz-copy-source), by key.
type copyRequests struct {
	mu          sync.Mutex
	partPuts    map[string]int // key -> UploadPart (PUT ?partNumber&uploadId) requests
	rangedGets  map[string]int // key -> GET with Range
	copyObjects map[string]int // destination key -> CopyObject requests
	partCopies  int            // UploadPartCopy requests (must stay 0 on gofakes3)
}

func recordCopies(f *fakeS3) *copyRequests {
	c := &copyRequests{partPuts: map[string]int{}, rangedGets: map[string]int{}, copyObjects: map[string]int{}}
	f.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		key := strings.TrimPrefix(r.URL.Path, "/bkt/")
		q := r.URL.Query()
		c.mu.Lock()
		defer c.mu.Unlock()
		switch {
		case r.Method == http.MethodPut && q.Has("partNumber") && q.Has("uploadId"):
			c.partPuts[key]++
			if r.Header.Get("X-Amz-Copy-Source") != "" {
				c.partCopies++
			}
		case r.Method == http.MethodPut && r.Header.Get("X-Amz-Copy-Source") != "":
			c.copyObjects[key]++
		case r.Method == http.MethodGet && r.Header.Get("Range") != "":
			c.rangedGets[key]++
		}
		return false
	})
	return c
}

// bucketClient is the SDK client storage uses for bkt.
func bucketClient(t *testing.T, st *Storage) *s3.Client {
	t.Helper()
	b, err := st.bucket(context.Background(), location{kind: kindS3, bucket: "bkt"})
	if err != nil {
		t.Fatal(err)
	}
	return b.client
}

// assertNoOpenUploads fails when a multipart upload is still open in bkt.
func assertNoOpenUploads(t *testing.T, st *Storage) {
	t.Helper()
	out, err := bucketClient(t, st).ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: aws.String("bkt")})
	if err != nil {
		t.Fatalf("ListMultipartUploads: %v", err)
	}
	for _, u := range out.Uploads {
		t.Errorf("multipart upload left open: key %s, id %s", aws.ToString(u.Key), aws.ToString(u.UploadId))
	}
}

// TestMultipartCopy: Rename and Copy within a bucket of an object above
// the copy threshold go through a multipart upload of ranged reads, give
// byte-identical objects with the source's content type and metadata, and
// leave no upload open; objects below the threshold keep CopyObject.
func TestMultipartCopy(t *testing.T) {
	big := randomBytes(bigCopySize, 1)
	small := randomBytes(1000, 2)
	tests := []struct {
		name     string
		src, dst string // Storage paths
		rename   bool
		bigSrc   string // key of the big object before/after
		bigDst   string
		smallSrc string // a small object copied along (directories), or ""
		smallDst string
	}{
		{name: "rename file", src: "s3://bkt/stage/part-0", dst: "s3://bkt/table/part-0", rename: true,
			bigSrc: "stage/part-0", bigDst: "table/part-0"},
		{name: "copy file", src: "s3a://bkt/stage/part-0", dst: "s3a://bkt/copy/part-0",
			bigSrc: "stage/part-0", bigDst: "copy/part-0"},
		{name: "rename directory", src: "s3://bkt/stage", dst: "s3://bkt/table", rename: true,
			bigSrc: "stage/part-0", bigDst: "table/part-0", smallSrc: "stage/k=1/part-1", smallDst: "table/k=1/part-1"},
		{name: "copy directory", src: "s3://bkt/stage", dst: "s3://bkt/copy", bigSrc: "stage/part-0", bigDst: "copy/part-0",
			smallSrc: "stage/k=1/part-1", smallDst: "copy/k=1/part-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFakeS3(t, "bkt")
			st := newStorage(t, copyConf(f))
			f.putBytes(t, "bkt", tt.bigSrc, big)
			if tt.smallSrc != "" {
				f.putBytes(t, "bkt", tt.smallSrc, small)
			}
			reqs := recordCopies(f)
			var err error
			if tt.rename {
				err = st.Rename(ctx, tt.src, tt.dst)
			} else {
				err = st.Copy(ctx, tt.src, tt.dst)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := f.getBytes(t, "bkt", tt.bigDst); !bytes.Equal(got, big) {
				t.Fatalf("%s: %d bytes, not the %d source bytes", tt.bigDst, len(got), len(big))
			}
			if tt.smallDst != "" && !bytes.Equal(f.getBytes(t, "bkt", tt.smallDst), small) {
				t.Fatalf("%s differs from its source", tt.smallDst)
			}
			if tt.rename == f.has("bkt", tt.bigSrc) {
				t.Fatalf("source present = %v after rename = %v", f.has("bkt", tt.bigSrc), tt.rename)
			}

			reqs.mu.Lock()
			f.setIntercept(nil) // stop recording (and reqs.mu, held below)
			defer reqs.mu.Unlock()
			if n := reqs.partPuts[tt.bigDst]; n != bigCopyParts {
				t.Errorf("%d part uploads to %s, want %d", n, tt.bigDst, bigCopyParts)
			}
			if n := reqs.rangedGets[tt.bigSrc]; n != bigCopyParts {
				t.Errorf("%d ranged GETs of %s, want %d", n, tt.bigSrc, bigCopyParts)
			}
			if n := reqs.copyObjects[tt.bigDst]; n != 0 {
				t.Errorf("%d CopyObject requests for the big object, want 0 (above the threshold)", n)
			}
			if reqs.partCopies != 0 {
				t.Errorf("%d UploadPartCopy requests: gofakes3 does not implement them", reqs.partCopies)
			}
			if tt.smallDst != "" {
				if n := reqs.copyObjects[tt.smallDst]; n != 1 {
					t.Errorf("%d CopyObject requests for the small object, want 1", n)
				}
				if n := reqs.partPuts[tt.smallDst]; n != 0 {
					t.Errorf("small object copied in %d parts, want a single CopyObject", n)
				}
			}
			if n := f.count("?uploads"); n != 1 {
				t.Errorf("%d multipart uploads started, want 1", n)
			}

			// Same headers as CopyObject gives: the source's.
			for _, key := range []string{tt.bigDst, tt.smallDst} {
				if key == "" {
					continue
				}
				head, err := bucketClient(t, st).HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key)})
				if err != nil {
					t.Fatal(err)
				}
				if ct := aws.ToString(head.ContentType); ct != "application/x-waggle-test" {
					t.Errorf("%s: content type %q, want the source's", key, ct)
				}
				if w := head.Metadata["writer"]; w != "waggle" {
					t.Errorf("%s: metadata %v, want writer=waggle", key, head.Metadata)
				}
			}
			assertNoOpenUploads(t, st)
		})
	}
}

// s3Error answers r with an S3 error document, after reading its body.
func s3Error(w http.ResponseWriter, r *http.Request, status int, code string) {
	io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>injected by the test</Message></Error>`, code)
}

// TestMultipartCopyPartFails: when one part upload keeps failing (a 500
// on every attempt of the SDK's retries), Rename and Copy fail naming the
// paths, the destination does not exist, the source is kept and the
// multipart upload is aborted.
func TestMultipartCopyPartFails(t *testing.T) {
	big := randomBytes(bigCopySize, 3)
	for _, rename := range []bool{true, false} {
		t.Run(fmt.Sprintf("rename=%v", rename), func(t *testing.T) {
			ctx := context.Background()
			f := newFakeS3(t, "bkt")
			st := newStorage(t, copyConf(f))
			f.putBytes(t, "bkt", "stage/part-0", big)
			var mu sync.Mutex
			failed := 0
			f.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodPut || r.URL.Query().Get("partNumber") != "2" {
					return false
				}
				mu.Lock()
				failed++
				mu.Unlock()
				s3Error(w, r, http.StatusInternalServerError, "InternalError")
				return true
			})
			var err error
			if rename {
				err = st.Rename(ctx, "s3://bkt/stage/part-0", "s3://bkt/table/part-0")
			} else {
				err = st.Copy(ctx, "s3://bkt/stage/part-0", "s3://bkt/table/part-0")
			}
			if err == nil {
				t.Fatal("copy with a failing part succeeded")
			}
			msg := err.Error()
			for _, want := range []string{"copy ", "s3://bkt/stage/part-0", "s3://bkt/table/part-0", "part 2", "InternalError"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not mention %q", msg, want)
				}
			}
			for _, secret := range []string{testSecretKey, testAccessKey} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q leaks a credential", msg)
				}
			}
			mu.Lock()
			n := failed
			mu.Unlock()
			if n < 2 {
				// The buffered part body is seekable, so the SDK retries it.
				t.Fatalf("the failing part was sent %d times, want the SDK's retries", n)
			}
			if f.has("bkt", "table/part-0") {
				t.Fatal("destination exists after a failed copy")
			}
			if !bytes.Equal(f.getBytes(t, "bkt", "stage/part-0"), big) {
				t.Fatal("source lost or changed after a failed copy")
			}
			if f.count("DELETE /bkt/table/part-0?uploadId=") != 1 {
				t.Error("multipart upload not aborted")
			}
			f.setIntercept(nil)
			assertNoOpenUploads(t, st)
		})
	}
}

// TestMultipartCopyCancel: cancelling the context in the middle of a
// multipart copy fails it with context.Canceled and still aborts the
// upload (with a fresh context).
func TestMultipartCopyCancel(t *testing.T) {
	f := newFakeS3(t, "bkt")
	st := newStorage(t, copyConf(f))
	f.putBytes(t, "bkt", "stage/part-0", randomBytes(bigCopySize, 4))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPut && r.URL.Query().Has("partNumber") {
			cancel() // while the first part is being uploaded
		}
		return false
	})
	err := st.Copy(ctx, "s3://bkt/stage/part-0", "s3://bkt/table/part-0")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Copy = %v, want context.Canceled", err)
	}
	if f.has("bkt", "table/part-0") {
		t.Fatal("destination exists after a cancelled copy")
	}
	if f.count("DELETE /bkt/table/part-0?uploadId=") != 1 {
		t.Error("multipart upload not aborted")
	}
	if n := f.count("POST /bkt/table/part-0?uploadId="); n != 0 {
		t.Errorf("%d CompleteMultipartUpload requests after cancellation", n)
	}
	f.setIntercept(nil)
	assertNoOpenUploads(t, st)
}

// TestMultipartCopySourceChanged: a source replaced during the copy fails
// it instead of mixing versions (If-Match on AWS; gofakes3 ignores If-Match
// on GET, so this exercises the ETag check of the responses).
func TestMultipartCopySourceChanged(t *testing.T) {
	f := newFakeS3(t, "bkt")
	st := newStorage(t, copyConf(f))
	f.putBytes(t, "bkt", "stage/part-0", randomBytes(bigCopySize, 5))
	var once sync.Once
	var sawIfMatch bool
	var replaceErr error
	f.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodGet && strings.HasPrefix(r.Header.Get("Range"), "bytes=0-") {
			once.Do(func() { // replace the source before serving its first part
				sawIfMatch = r.Header.Get("If-Match") != ""
				body := randomBytes(bigCopySize, 6)
				_, replaceErr = f.backend.PutObject("bkt", "stage/part-0", map[string]string{}, bytes.NewReader(body), int64(len(body)), nil)
			})
		}
		return false
	})
	err := st.Rename(context.Background(), "s3://bkt/stage/part-0", "s3://bkt/table/part-0")
	if replaceErr != nil {
		t.Fatal(replaceErr)
	}
	if err == nil || !strings.Contains(err.Error(), "source changed") {
		t.Fatalf("Rename = %v, want a source-changed error", err)
	}
	if !sawIfMatch {
		t.Error("ranged GET without If-Match")
	}
	if f.has("bkt", "table/part-0") || !f.has("bkt", "stage/part-0") {
		t.Fatal("failed rename changed the destination or lost the source")
	}
	f.setIntercept(nil)
	assertNoOpenUploads(t, st)
}

// TestCopyThresholdSetting: fs.s3a.copy.multipart.threshold defaults to
// 5G, takes Hadoop sizes, may be overridden per bucket, and is validated.
func TestCopyThresholdSetting(t *testing.T) {
	conf := map[string]string{
		"fs.s3a.copy.multipart.threshold":            "6M",
		"fs.s3a.bucket.big.copy.multipart.threshold": "1g",
	}
	for _, tt := range []struct {
		conf   map[string]string
		bucket string
		want   int64
	}{
		{map[string]string{}, "b", 5 << 30},
		{conf, "b", 6 << 20},
		{conf, "big", 1 << 30},
		{map[string]string{"spark.hadoop.fs.s3a.copy.multipart.threshold": "7m"}, "b", 7 << 20},
	} {
		c, err := s3SettingsFor(normalizeConf(tt.conf), tt.bucket)
		if err != nil {
			t.Fatal(err)
		}
		if c.copyThresh != tt.want {
			t.Errorf("%v, bucket %s: threshold %d, want %d", tt.conf, tt.bucket, c.copyThresh, tt.want)
		}
	}
	for _, bad := range []string{"big", "0", "-5M"} {
		if _, err := New(map[string]string{"fs.s3a.copy.multipart.threshold": bad}); err == nil ||
			!strings.Contains(err.Error(), "fs.s3a.copy.multipart.threshold") {
			t.Errorf("threshold %q: error %v, want one naming the key", bad, err)
		}
	}
}

// TestMultipartSize: parts are at least fs.s3a.multipart.size and S3's
// 5 MiB, and a copy never needs more than 10,000 of them.
func TestMultipartSize(t *testing.T) {
	for _, tt := range []struct{ configured, size, want int64 }{
		{5 << 20, bigCopySize, 5 << 20},
		{1 << 10, bigCopySize, 5 << 20},
		{64 << 20, 6 << 30, 64 << 20},
		{64 << 20, 5 << 40, (5<<40 + maxParts - 1) / maxParts},
	} {
		got := multipartSize(tt.configured, tt.size)
		if got != tt.want {
			t.Errorf("multipartSize(%d, %d) = %d, want %d", tt.configured, tt.size, got, tt.want)
		}
		if parts := (tt.size + got - 1) / got; parts > maxParts {
			t.Errorf("multipartSize(%d, %d): %d parts", tt.configured, tt.size, parts)
		}
	}
}
