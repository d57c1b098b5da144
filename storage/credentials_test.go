package storage

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// authS3 is a gofakes3 server that only lets chosen access keys (with their session tokens) at each
// bucket, as S3 bucket policies would. It checks the key named in the signature, not the signature.
type authS3 struct {
	URL     string
	backend *s3mem.Backend
	mu      sync.Mutex
	allowed map[string]map[string]string // bucket → access key → required session token ("" none)
	seen    []string                     // access key of each request
}

func newAuthS3(t *testing.T, buckets ...string) *authS3 {
	t.Helper()
	a := &authS3{backend: s3mem.New(), allowed: map[string]map[string]string{}}
	h := gofakes3.New(a.backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := ""
		if m := credRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
			key = m[1]
		}
		bucket, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		a.mu.Lock()
		a.seen = append(a.seen, key)
		token, ok := a.allowed[bucket][key]
		a.mu.Unlock()
		if !ok || token != r.Header.Get("X-Amz-Security-Token") {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			if r.Method != http.MethodHead {
				fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
			}
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	a.URL = srv.URL
	for _, b := range buckets {
		if err := a.backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func (a *authS3) allow(bucket, key, token string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.allowed[bucket] == nil {
		a.allowed[bucket] = map[string]string{}
	}
	a.allowed[bucket][key] = token
}

func (a *authS3) keysSeen() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.seen...)
}

func (a *authS3) conf(extra ...string) map[string]string {
	c := map[string]string{"fs.s3a.endpoint": a.URL, "fs.s3a.path.style.access": "true"}
	for i := 0; i+1 < len(extra); i += 2 {
		c[extra[i]] = extra[i+1]
	}
	return c
}

// TestPerJobCredentials: a job with keys A cannot read the bucket only B may read, while a concurrent
// job with keys B can — through one shared object cache — and no secret shows in an error.
func TestPerJobCredentials(t *testing.T) {
	ctx := context.Background()
	srv := newAuthS3(t, "only-a", "only-b")
	srv.allow("only-a", "AKIDJOBA", "")
	srv.allow("only-b", "AKIDJOBB", "")
	srv.backend.PutObject("only-b", "t/secret.csv", map[string]string{}, strings.NewReader("b's data\n"), 9, nil)
	srv.backend.PutObject("only-a", "t/a.csv", map[string]string{}, strings.NewReader("a's data\n"), 9, nil)
	cache := t.TempDir()
	jobA := newStorage(t, srv.conf("fs.s3a.access.key", "AKIDJOBA", "fs.s3a.secret.key", "secret-of-job-a", KeyCacheDir, cache))
	jobB := newStorage(t, srv.conf("fs.s3a.access.key", "AKIDJOBB", "fs.s3a.secret.key", "secret-of-job-b", KeyCacheDir, cache))

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 10 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			p, err := jobB.Localize(ctx, "s3://only-b/t/secret.csv", filepath.Join(t.TempDir(), "b"))
			if err != nil {
				errs <- fmt.Errorf("job B, round %d: %v", i, err)
				return
			}
			if b, _ := os.ReadFile(p); string(b) != "b's data\n" {
				errs <- fmt.Errorf("job B read %q", b)
			}
		}()
		go func() {
			defer wg.Done()
			_, err := jobA.Localize(ctx, "s3://only-b/t/secret.csv", filepath.Join(t.TempDir(), "a"))
			if err == nil {
				errs <- fmt.Errorf("job A read bucket only-b (round %d)", i)
				return
			}
			for _, secret := range []string{"secret-of-job-a", "secret-of-job-b"} {
				if strings.Contains(err.Error(), secret) {
					errs <- fmt.Errorf("error shows a secret: %v", err)
				}
			}
			if _, err := jobA.Open(ctx, "s3://only-b/t/secret.csv"); err == nil {
				errs <- fmt.Errorf("job A opened only-b")
			}
			if _, err := jobA.ListFiles(ctx, "s3://only-b/t", false); err == nil {
				errs <- fmt.Errorf("job A listed only-b")
			}
			if _, err := jobA.Localize(ctx, "s3://only-a/t/a.csv", ""); err != nil {
				errs <- fmt.Errorf("job A, own bucket: %v", err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// fakeSTS answers AssumeRole and AssumeRoleWithWebIdentity with fixed temporary credentials and records
// the calls.
type fakeSTS struct {
	URL   string
	mu    sync.Mutex
	calls []url4
}

type url4 struct{ action, role, token, signer string }

const (
	stsKey    = "ASIAFAKESTSKEY01"
	stsSecret = "sts-temporary-secret"
	stsToken  = "sts-session-token-0001"
)

func newFakeSTS(t *testing.T) *fakeSTS {
	t.Helper()
	f := &fakeSTS{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		c := url4{action: r.Form.Get("Action"), role: r.Form.Get("RoleArn"), token: r.Form.Get("WebIdentityToken")}
		if m := credRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
			c.signer = m[1]
		}
		f.mu.Lock()
		f.calls = append(f.calls, c)
		f.mu.Unlock()
		if c.action != "AssumeRole" && c.action != "AssumeRoleWithWebIdentity" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<%[1]sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><%[1]sResult>
<Credentials><AccessKeyId>%[2]s</AccessKeyId><SecretAccessKey>%[3]s</SecretAccessKey><SessionToken>%[4]s</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/waggle</Arn><AssumedRoleId>AROAFAKE:waggle</AssumedRoleId></AssumedRoleUser>
</%[1]sResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></%[1]sResponse>`, c.action, stsKey, stsSecret, stsToken)
	}))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func (f *fakeSTS) last() url4 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		return url4{}
	}
	return f.calls[len(f.calls)-1]
}

const testRole = "arn:aws:iam::123456789012:role/waggle-job"

func TestAssumedRole(t *testing.T) {
	ctx := context.Background()
	sts := newFakeSTS(t)
	srv := newAuthS3(t, "bkt")
	srv.allow("bkt", stsKey, stsToken) // only the role may read
	srv.backend.PutObject("bkt", "k", map[string]string{}, strings.NewReader("x"), 1, nil)
	st := newStorage(t, srv.conf("fs.s3a.access.key", "AKIDBASE", "fs.s3a.secret.key", "base-secret",
		"fs.s3a.assumed.role.arn", testRole, "fs.s3a.assumed.role.sts.endpoint", sts.URL))
	if _, err := st.Stat(ctx, "s3://bkt/k"); err != nil {
		t.Fatal(err)
	}
	if c := sts.last(); c.action != "AssumeRole" || c.role != testRole || c.signer != "AKIDBASE" {
		t.Fatalf("STS call %+v: want AssumeRole of %s signed by the base key", c, testRole)
	}
}

func TestWebIdentityTokenFileSetting(t *testing.T) {
	ctx := context.Background()
	sts := newFakeSTS(t)
	srv := newAuthS3(t, "bkt")
	srv.allow("bkt", stsKey, stsToken)
	srv.backend.PutObject("bkt", "k", map[string]string{}, strings.NewReader("x"), 1, nil)
	token := filepath.Join(t.TempDir(), "token")
	os.WriteFile(token, []byte("eyJ.job-oidc-token.sig"), 0o600)
	st := newStorage(t, srv.conf("fs.s3a.web.identity.token.file", token,
		"fs.s3a.assumed.role.arn", testRole, "fs.s3a.assumed.role.sts.endpoint", sts.URL))
	if _, err := st.Stat(ctx, "s3://bkt/k"); err != nil {
		t.Fatal(err)
	}
	if c := sts.last(); c.action != "AssumeRoleWithWebIdentity" || c.role != testRole || c.token != "eyJ.job-oidc-token.sig" {
		t.Fatalf("STS call %+v", c)
	}
	if _, err := New(map[string]string{"fs.s3a.web.identity.token.file": token}); err == nil {
		t.Error("a token file without a role was accepted")
	}
}

// TestWebIdentityFromEnvironment: the SDK default chain (IRSA: AWS_WEB_IDENTITY_TOKEN_FILE +
// AWS_ROLE_ARN) works, with STS reached at AWS_ENDPOINT_URL_STS.
func TestWebIdentityFromEnvironment(t *testing.T) {
	ctx := context.Background()
	sts := newFakeSTS(t)
	srv := newAuthS3(t, "bkt")
	srv.allow("bkt", stsKey, stsToken)
	srv.backend.PutObject("bkt", "k", map[string]string{}, strings.NewReader("x"), 1, nil)
	token := filepath.Join(t.TempDir(), "token")
	os.WriteFile(token, []byte("irsa-token"), 0o600)
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", token)
	t.Setenv("AWS_ROLE_ARN", testRole)
	t.Setenv("AWS_ENDPOINT_URL_STS", sts.URL)
	t.Setenv("AWS_REGION", "us-east-1")
	st := newStorage(t, srv.conf())
	if _, err := st.Stat(ctx, "s3://bkt/k"); err != nil {
		t.Fatal(err)
	}
	if c := sts.last(); c.action != "AssumeRoleWithWebIdentity" || c.token != "irsa-token" {
		t.Fatalf("STS call %+v", c)
	}
}

// TestNamedProfile: fs.s3a.aws.profile selects a profile of the shared files for this Storage only.
func TestNamedProfile(t *testing.T) {
	ctx := context.Background()
	srv := newAuthS3(t, "bkt")
	srv.allow("bkt", "AKIDPROFILEJOB", "")
	srv.backend.PutObject("bkt", "k", map[string]string{}, strings.NewReader("x"), 1, nil)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte("[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n\n[job-x]\naws_access_key_id = AKIDPROFILEJOB\naws_secret_access_key = profile-secret\n"), 0o600)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	withProfile := newStorage(t, srv.conf("fs.s3a.aws.profile", "job-x"))
	if _, err := withProfile.Stat(ctx, "s3://bkt/k"); err != nil {
		t.Fatal(err)
	}
	without := newStorage(t, srv.conf()) // default profile: denied
	_, err := without.Stat(ctx, "s3://bkt/k")
	if err == nil {
		t.Fatal("the default profile read the bucket")
	}
	if strings.Contains(err.Error(), "profile-secret") {
		t.Fatalf("error shows a secret: %v", err)
	}
	keys := srv.keysSeen()
	if keys[0] != "AKIDPROFILEJOB" || keys[len(keys)-1] != "AKIDDEFAULT" {
		t.Fatalf("keys used: %v", keys)
	}
}
