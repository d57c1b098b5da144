package storage

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestListPaginates: listings larger than a page are fetched page by page
// and nothing is lost or duplicated.
func TestListPaginates(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf("fs.s3a.paging.maximum", "7"))
	var want []string
	for i := 0; i < 20; i++ {
		f.put(t, "bkt", fmt.Sprintf("t/f%02d", i), "x")
		want = append(want, fmt.Sprintf("f%02d", i))
	}
	for i := 0; i < 5; i++ {
		for j := 0; j < 3; j++ {
			f.put(t, "bkt", fmt.Sprintf("t/k=%d/part-%d", i, j), "x")
		}
		want = append(want, fmt.Sprintf("k=%d/", i))
	}
	got, err := st.List(ctx, "s3://bkt/t")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(names(got), want) {
		t.Fatalf("List = %v\nwant %v", names(got), want)
	}
	if n := f.count("list-type=2"); n < 3 {
		t.Fatalf("%d list requests, want several pages", n)
	}
	files, err := st.ListFiles(ctx, "s3://bkt/t", true)
	if err != nil || len(files) != 35 {
		t.Fatalf("ListFiles = %d files, %v; want 35", len(files), err)
	}
}

// TestList1001Objects: a real listing beyond S3's 1000-key page.
func TestList1001Objects(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf())
	for i := 0; i < 1001; i++ {
		f.put(t, "bkt", fmt.Sprintf("big/part-%05d", i), "")
	}
	got, err := st.List(ctx, "s3a://bkt/big")
	if err != nil || len(got) != 1001 {
		t.Fatalf("List = %d entries, %v; want 1001", len(got), err)
	}
	if got[1000].Name != "part-01000" {
		t.Fatalf("last entry %q", got[1000].Name)
	}
	files, err := st.ListFiles(ctx, "s3a://bkt/big", true)
	if err != nil || len(files) != 1001 {
		t.Fatalf("ListFiles = %d files, %v; want 1001", len(files), err)
	}
	if err := st.Delete(ctx, "s3a://bkt/big", true); err != nil {
		t.Fatal(err)
	}
	if f.has("bkt", "big/part-00000") || f.has("bkt", "big/part-01000") {
		t.Fatal("recursive delete left objects behind")
	}
}

// TestS3DirectoryMarkers: "dir/" and "dir_$folder$" markers make
// directories, are never listed as files, and are not required.
func TestS3DirectoryMarkers(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf())
	f.put(t, "bkt", "w/emr_$folder$", "")
	f.put(t, "bkt", "w/s3a/", "")
	f.put(t, "bkt", "w/plain/x", "1")
	got, err := st.List(ctx, "s3://bkt/w")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"emr/", "plain/", "s3a/"}; !reflect.DeepEqual(names(got), want) {
		t.Fatalf("List = %v, want %v", names(got), want)
	}
	for _, d := range []string{"emr", "s3a", "plain"} {
		info, err := st.Stat(ctx, "s3://bkt/w/"+d)
		if err != nil || !info.IsDir {
			t.Errorf("Stat %s = %+v, %v; want directory", d, info, err)
		}
	}
	files, err := st.ListFiles(ctx, "s3://bkt/w", true)
	if err != nil || len(files) != 1 || files[0].Name != "x" {
		t.Fatalf("ListFiles = %v, %v; want only x", files, err)
	}
	if err := st.MkdirAll(ctx, "s3://bkt/w/new"); err != nil {
		t.Fatal(err)
	}
	if !f.has("bkt", "w/new/") {
		t.Fatal("MkdirAll wrote no dir/ marker")
	}
	if err := st.Delete(ctx, "s3://bkt/w/emr", false); err != nil {
		t.Fatal(err)
	}
	if f.has("bkt", "w/emr_$folder$") {
		t.Fatal("deleting an empty EMR directory left its marker")
	}
}

// TestMultipartUpload: writes above the threshold use multipart upload and
// arrive whole; a part size under S3's 5 MiB minimum is raised to it.
func TestMultipartUpload(t *testing.T) {
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf("fs.s3a.multipart.threshold", "1K", "fs.s3a.multipart.size", "1k"))
	body := strings.Repeat("0123456789", 1200<<10) // 12,000 KiB: parts of 5, 5 and 1.72 MiB
	writeFile(t, st, "s3://bkt/big", body)
	writeFile(t, st, "s3://bkt/small", "tiny")
	if got := readFile(t, st, "s3://bkt/big"); got != body {
		t.Fatalf("read %d bytes, want %d", len(got), len(body))
	}
	if got := readFile(t, st, "s3://bkt/small"); got != "tiny" {
		t.Fatalf("read %q", got)
	}
	if n := f.count("partNumber="); n != 3 {
		t.Fatalf("%d parts uploaded, want 3", n)
	}
	if n := f.count("?uploads"); n != 1 {
		t.Fatalf("%d multipart uploads started, want 1 (small file must use PutObject)", n)
	}
}

// TestMultipartUploadParallel: fs.s3a.fast.upload.active.blocks parts of one upload are in flight at
// once (no more), and the object is assembled in part order whatever order the parts finish in.
func TestMultipartUploadParallel(t *testing.T) {
	body := strings.Repeat("abcdefghijklmnopqrstuvwxyz0123456789", 16<<20/36) // about 16 MiB: 4 parts
	for _, active := range []int{1, 3} {
		t.Run(fmt.Sprintf("active=%d", active), func(t *testing.T) {
			f := newFakeS3(t, "bkt")
			st := newStorage(t, f.conf("fs.s3a.multipart.threshold", "1K", "fs.s3a.multipart.size", "5M",
				"fs.s3a.fast.upload.active.blocks", fmt.Sprint(active)))
			var mu sync.Mutex
			inFlight, most := 0, 0
			f.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodPut || !r.URL.Query().Has("partNumber") {
					return false
				}
				mu.Lock()
				inFlight++
				most = max(most, inFlight)
				mu.Unlock()
				// Later parts finish first: part 1 waits longest.
				n, _ := strconv.Atoi(r.URL.Query().Get("partNumber"))
				time.Sleep(time.Duration(5-n) * 40 * time.Millisecond)
				mu.Lock()
				inFlight--
				mu.Unlock()
				return false
			})
			writeFile(t, st, "s3://bkt/big", body)
			f.setIntercept(nil)
			if got := readFile(t, st, "s3://bkt/big"); got != body {
				t.Fatalf("read %d bytes, differ from the %d written", len(got), len(body))
			}
			if most != active {
				t.Errorf("at most %d parts in flight, want %d", most, active)
			}
		})
	}
	if _, err := New(map[string]string{"fs.s3a.fast.upload.active.blocks": "0"}); err == nil ||
		!strings.Contains(err.Error(), "fs.s3a.fast.upload.active.blocks") {
		t.Errorf("active.blocks=0: error %v, want one naming the key", err)
	}
}

// TestMultipartUploadPartFails: a part that keeps failing fails the write with an error naming the
// path and the part; the upload is aborted and no object appears.
func TestMultipartUploadPartFails(t *testing.T) {
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf("fs.s3a.multipart.threshold", "1K", "fs.s3a.multipart.size", "5M"))
	f.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPut || r.URL.Query().Get("partNumber") != "2" {
			return false
		}
		s3Error(w, r, http.StatusInternalServerError, "InternalError")
		return true
	})
	w, err := st.Create(context.Background(), "s3://bkt/big")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(strings.Repeat("x", 12<<20)))
	err = w.Close()
	if err == nil {
		t.Fatal("upload with a failing part succeeded")
	}
	for _, want := range []string{"s3://bkt/big", "part 2", "InternalError"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	f.setIntercept(nil)
	if f.has("bkt", "big") {
		t.Fatal("object exists after a failed upload")
	}
	if f.count("DELETE /bkt/big?uploadId=") != 1 {
		t.Error("multipart upload not aborted")
	}
	assertNoOpenUploads(t, st)
}

// TestAbortUploadsNothing: an aborted S3 writer uploads nothing.
func TestAbortUploadsNothing(t *testing.T) {
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf())
	w, err := st.Create(context.Background(), "s3://bkt/x")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("partial"))
	if err := w.(interface{ Abort() error }).Abort(); err != nil {
		t.Fatal(err)
	}
	if f.has("bkt", "x") {
		t.Fatal("aborted write was uploaded")
	}
}

// TestPerBucketEndpoint: fs.s3a.bucket.<b>.endpoint sends that bucket to
// another server; other buckets keep the global endpoint.
func TestPerBucketEndpoint(t *testing.T) {
	a := newFakeS3(t, "main")
	b := newFakeS3(t, "my.logs")
	st := newStorage(t, a.conf(
		"fs.s3a.bucket.my.logs.endpoint", b.URL,
		"fs.s3a.bucket.my.logs.access.key", "AKIDBUCKETKEY",
		"fs.s3a.bucket.my.logs.secret.key", "bucket-secret"))
	writeFile(t, st, "s3://main/x", "1")
	if !a.has("main", "x") || a.lastAccessKey() != testAccessKey {
		t.Fatalf("main bucket not written to the global endpoint with the global key (key %q)", a.lastAccessKey())
	}
	writeFile(t, st, "s3a://my.logs/y", "2")
	if !b.has("my.logs", "y") {
		t.Fatal("my.logs not written to its own endpoint")
	}
	if b.lastAccessKey() != "AKIDBUCKETKEY" {
		t.Fatalf("bucket override key not used: %q", b.lastAccessKey())
	}
	if a.count("my.logs") != 0 {
		t.Fatal("global endpoint received requests for my.logs")
	}
}

// TestCredentials: keys in conf win over the environment; without them the
// SDK default chain reads AWS_* variables.
func TestCredentials(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
	t.Setenv("AWS_SESSION_TOKEN", "env-token")
	f := newFakeS3(t, "bkt")
	tests := []struct {
		name      string
		conf      map[string]string
		wantKey   string
		wantToken string
	}{
		{"conf keys win over AWS_* env", f.conf("fs.s3a.session.token", "conf-token"), testAccessKey, "conf-token"},
		{"without conf keys the default chain reads AWS_* env", map[string]string{
			"fs.s3a.endpoint": f.URL, "fs.s3a.path.style.access": "true"}, "AKIDFROMENV", "env-token"},
		{"spark.hadoop. prefixed keys are accepted", map[string]string{
			"spark.hadoop.fs.s3a.endpoint": f.URL, "spark.hadoop.fs.s3a.path.style.access": "true",
			"spark.hadoop.fs.s3a.access.key": "AKIDSPARK", "spark.hadoop.fs.s3a.secret.key": "s"}, "AKIDSPARK", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStorage(t, tt.conf)
			if _, err := st.Stat(context.Background(), "s3://bkt/"); err != nil {
				t.Fatal(err)
			}
			f.mu.Lock()
			key, token := f.accessKeys[len(f.accessKeys)-1], f.tokens[len(f.tokens)-1]
			f.mu.Unlock()
			if key != tt.wantKey || token != tt.wantToken {
				t.Fatalf("request signed with key %q token %q, want %q %q", key, token, tt.wantKey, tt.wantToken)
			}
		})
	}
}

// TestRegionDefault: without any configured region, requests are signed
// for us-east-1; a configured region is used.
func TestRegionDefault(t *testing.T) {
	f := newFakeS3(t, "bkt")
	for _, tt := range []struct {
		conf map[string]string
		want string
	}{
		{f.conf(), "us-east-1"},
		{f.conf("fs.s3a.region", "eu-west-1"), "eu-west-1"},
		{f.conf("fs.s3a.region", "eu-west-1", "fs.s3a.endpoint.region", "ap-south-1"), "ap-south-1"},
	} {
		st := newStorage(t, tt.conf)
		b, err := st.bucket(context.Background(), location{kind: kindS3, bucket: "bkt"})
		if err != nil {
			t.Fatal(err)
		}
		if got := b.client.Options().Region; got != tt.want {
			t.Errorf("region %q, want %q", got, tt.want)
		}
	}
}

// TestErrorsNameThePathNotTheSecret: errors carry the operation and the
// path, never the credentials.
func TestErrorsNameThePathNotTheSecret(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "bkt")
	conf := f.conf("fs.s3a.session.token", "session-token-value")
	st := newStorage(t, conf)
	dead := newStorage(t, map[string]string{ // nothing listens there
		"fs.s3a.endpoint": "http://127.0.0.1:1", "fs.s3a.path.style.access": "true",
		"fs.s3a.access.key": testAccessKey, "fs.s3a.secret.key": testSecretKey,
	})
	_, errMissing := st.Open(ctx, "s3a://bkt/missing/key")
	_, errBucket := st.Stat(ctx, "s3://nobucket/x")
	_, errDead := dead.Stat(ctx, "s3://bkt/x")
	_, errHalf := New(map[string]string{"fs.s3a.access.key": testAccessKey})
	for _, tt := range []struct {
		name, want string
		err        error
	}{
		{"missing key", "s3a://bkt/missing/key", errMissing},
		{"missing bucket", "s3://nobucket/x", errBucket},
		{"unreachable endpoint", "s3://bkt/x", errDead},
		{"access key without secret", "fs.s3a.secret.key", errHalf},
	} {
		if tt.err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		msg := tt.err.Error()
		if !strings.Contains(msg, tt.want) {
			t.Errorf("%s: %q does not contain %q", tt.name, msg, tt.want)
		}
		for _, secret := range []string{testSecretKey, "session-token-value", testAccessKey} {
			if strings.Contains(msg, secret) {
				t.Errorf("%s: %q leaks a credential", tt.name, msg)
			}
		}
	}
	if !strings.HasPrefix(errMissing.Error(), "open ") {
		t.Errorf("error %q does not start with the operation", errMissing)
	}
}

// TestRedactedError: if an SDK error ever echoed a credential, it is
// replaced.
func TestRedactedError(t *testing.T) {
	err := &redactedError{fmt.Errorf("bad key %s/%s", testAccessKey, testSecretKey), []string{testSecretKey, testAccessKey}}
	if strings.Contains(err.Error(), testSecretKey) || strings.Contains(err.Error(), testAccessKey) {
		t.Fatalf("not redacted: %q", err)
	}
}
