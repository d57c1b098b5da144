package storage

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

const (
	testAccessKey = "AKIDCONFKEY0001"
	testSecretKey = "conf-secret-value-do-not-leak"
)

func TestMain(m *testing.M) {
	// Keep the SDK's default chain away from the machine's AWS setup and
	// from the instance metadata service (tests talk to loopback only).
	for _, k := range []string{"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ROLE_ARN",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"} {
		os.Unsetenv(k)
	}
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	os.Setenv("AWS_CONFIG_FILE", filepath.Join(os.TempDir(), "waggle-storage-test-no-aws-config"))
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(os.TempDir(), "waggle-storage-test-no-aws-credentials"))
	os.Exit(m.Run())
}

// fakeS3 is a gofakes3 server (in-memory backend) on 127.0.0.1 that
// records what the clients sent.
type fakeS3 struct {
	URL     string
	backend *s3mem.Backend

	mu         sync.Mutex
	accessKeys []string // access key id of each signed request
	tokens     []string // X-Amz-Security-Token of each request
	requests   []string // "METHOD /path?query"

	// intercept, when set, sees each request (after it is recorded) before
	// the server does; returning true means it has answered the request.
	intercept func(w http.ResponseWriter, r *http.Request) bool
}

var credRE = regexp.MustCompile(`Credential=([^/]+)/`)

func newFakeS3(t testing.TB, buckets ...string) *fakeS3 {
	t.Helper()
	f := &fakeS3{backend: s3mem.New()}
	h := gofakes3.New(f.backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		if m := credRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
			f.accessKeys = append(f.accessKeys, m[1])
		}
		f.tokens = append(f.tokens, r.Header.Get("X-Amz-Security-Token"))
		f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
		intercept := f.intercept
		f.mu.Unlock()
		if intercept != nil && intercept(w, r) {
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	for _, b := range buckets {
		if err := f.backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// count returns how many recorded requests contain substr.
func (f *fakeS3) count(substr string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if strings.Contains(r, substr) {
			n++
		}
	}
	return n
}

// setIntercept installs fn as f.intercept (nil removes it).
func (f *fakeS3) setIntercept(fn func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	f.intercept = fn
	f.mu.Unlock()
}

func (f *fakeS3) lastAccessKey() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.accessKeys) == 0 {
		return ""
	}
	return f.accessKeys[len(f.accessKeys)-1]
}

// put stores an object directly in the fake's backend.
func (f *fakeS3) put(t *testing.T, bucket, key, body string) {
	t.Helper()
	if _, err := f.backend.PutObject(bucket, key, map[string]string{}, strings.NewReader(body), int64(len(body)), nil); err != nil {
		t.Fatal(err)
	}
}

// has reports whether the backend holds key.
func (f *fakeS3) has(bucket, key string) bool {
	_, err := f.backend.HeadObject(bucket, key)
	return err == nil
}

// s3Conf is the conf that points storage at f with static keys.
func (f *fakeS3) conf(extra ...string) map[string]string {
	c := map[string]string{
		"fs.s3a.endpoint":          f.URL,
		"fs.s3a.path.style.access": "true",
		"fs.s3a.access.key":        testAccessKey,
		"fs.s3a.secret.key":        testSecretKey,
	}
	for i := 0; i+1 < len(extra); i += 2 {
		c[extra[i]] = extra[i+1]
	}
	return c
}

func newStorage(t testing.TB, conf map[string]string) *Storage {
	t.Helper()
	s, err := New(conf)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// fixture is one file system under test: a Storage and a root directory
// (qualified) that the test owns.
type fixture struct {
	name string
	st   *Storage
	root string
}

// fixtures returns a local and two S3 (s3:// and s3a://) fixtures.
func fixtures(t *testing.T) []fixture {
	f := newFakeS3(t, "bkt")
	st := newStorage(t, f.conf())
	// The confined fixture's roots are the test's temporary parent
	// directory, which holds every t.TempDir() of the test, reached through
	// a symbolic link so that roots and paths are spelled differently.
	confRoot := t.TempDir()
	link := filepath.Join(confRoot, "via-link")
	if err := os.Symlink(confRoot, link); err != nil {
		t.Fatal(err)
	}
	confined := newStorage(t, map[string]string{KeyLocalRoots: filepath.Dir(confRoot)})
	return []fixture{
		{"local", st, "file://" + filepath.ToSlash(t.TempDir())},
		{"local-confined", confined, "file://" + filepath.ToSlash(filepath.Join(link, "data"))},
		{"s3", st, "s3://bkt/root"},
		{"s3a", st, "s3a://bkt/other"},
	}
}

func writeFile(t *testing.T, st *Storage, path, body string) {
	t.Helper()
	ctx := context.Background()
	w, err := st.Create(ctx, path)
	if err != nil {
		t.Fatalf("Create %s: %v", path, err)
	}
	if _, err := io.Copy(w, strings.NewReader(body)); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close %s: %v", path, err)
	}
}

func readFile(t *testing.T, st *Storage, path string) string {
	t.Helper()
	r, err := st.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open %s: %v", path, err)
	}
	defer r.Close()
	var b bytes.Buffer
	if _, err := io.Copy(&b, r); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return b.String()
}

// names returns the Name of each entry, directories with a trailing '/'.
func names(infos []FileInfo) []string {
	out := []string{}
	for _, i := range infos {
		n := i.Name
		if i.IsDir {
			n += "/"
		}
		out = append(out, n)
	}
	return out
}
