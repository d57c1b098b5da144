package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testAKID   = "AKIDWAGGLETEST0001"
	testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testIdent  = "arn:aws:iam::123456789012:user/alice"
)

var serverNow = time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC)

// result is what the test server reports about each request it verified.
type result struct {
	Identity string
	Code     string
	Message  string
	Status   int
}

// newServer starts a loopback server whose handler verifies every request
// with v, so requests arrive exactly as a real server sees them.
func newServer(t *testing.T, v *Verifier) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		var res result
		id, err := v.Verify(r, body)
		if err != nil {
			e, ok := err.(*Error)
			if !ok {
				t.Errorf("Verify returned %T %v, want *Error", err, err)
				return
			}
			res = result{Code: e.Code, Message: e.Message, Status: e.HTTPStatus}
		} else {
			res.Identity = id
		}
		json.NewEncoder(w).Encode(res)
	}))
	t.Cleanup(srv.Close)
	return srv
}

type reqSpec struct {
	method, path, body string
	headers            map[string]string
	secret             string // default testSecret
	akid               string // default testAKID
	service, region    string // default emr-containers, us-east-1
	at                 time.Time
	tamper             func(r *http.Request) // after signing
}

func send(t *testing.T, srv *httptest.Server, s reqSpec) result {
	t.Helper()
	if s.method == "" {
		s.method = http.MethodGet
	}
	if s.secret == "" {
		s.secret = testSecret
	}
	if s.akid == "" {
		s.akid = testAKID
	}
	if s.service == "" {
		s.service = "emr-containers"
	}
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.at.IsZero() {
		s.at = serverNow.Add(-time.Minute)
	}
	var body io.Reader
	if s.body != "" {
		body = strings.NewReader(s.body)
	}
	req, err := http.NewRequest(s.method, srv.URL+s.path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range s.headers {
		req.Header.Set(k, v)
	}
	sum := sha256.Sum256([]byte(s.body))
	signer := v4.NewSigner()
	creds := aws.Credentials{AccessKeyID: s.akid, SecretAccessKey: s.secret, SessionToken: "session-token-1"}
	if err := signer.SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), s.service, s.region, s.at); err != nil {
		t.Fatal(err)
	}
	if s.tamper != nil {
		s.tamper(req)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

func testVerifier(opts Options) *Verifier {
	if opts.Now == nil {
		opts.Now = func() time.Time { return serverNow }
	}
	return NewVerifier([]Credential{
		{AccessKeyID: testAKID, SecretAccessKey: testSecret, Identity: testIdent},
		{AccessKeyID: "AKIDOTHER", SecretAccessKey: "other-secret"},
	}, opts)
}

const startJobRunBody = `{"name":"sparksql-test","clientToken":"055d2acd-25bb-42fb-aa95-bf7184312a03","jobDriver":{"sparkSqlJobDriver":{"entryPoint":"s3://b/set-of-hive-queries.sql","sparkSqlParameters":"-hivevar S3Bucket=b -hivevar Key_ID=238"}}}`

func TestAccepted(t *testing.T) {
	srv := newServer(t, testVerifier(Options{}))
	for _, tc := range []struct {
		name string
		spec reqSpec
		want string
	}{
		{"GET without body", reqSpec{path: "/virtualclusters/abc/jobruns"}, testIdent},
		{"POST with JSON body", reqSpec{method: "POST", path: "/virtualclusters/abc/jobruns", body: startJobRunBody,
			headers: map[string]string{"Content-Type": "application/json"}}, testIdent},
		{"DELETE", reqSpec{method: "DELETE", path: "/virtualclusters/wuenyscuofnz53vy5m39g2n10/jobruns/00000002ubarp3tg0ne"}, testIdent},
		{"key without identity reports the access key id", reqSpec{path: "/virtualclusters", akid: "AKIDOTHER", secret: "other-secret"}, "AKIDOTHER"},
		{"query parameters, repeated keys, in any order", reqSpec{path: "/virtualclusters/abc/jobruns?states=RUNNING&maxResults=10&states=PENDING&name=a%20b&createdAfter=2026-11-01T00%3A00%3A00Z"}, testIdent},
		{"query parameter with reserved characters", reqSpec{path: "/jobtemplates?nextToken=a%2Bb%2Fc%3D%3D&x=%7E~"}, testIdent},
		{"path with percent-encoded ARN (tags)", reqSpec{path: "/tags/arn%3Aaws%3Aemr-containers%3Aus-east-1%3A123456789012%3A%2Fvirtualclusters%2Fabc"}, testIdent},
		{"path with space and unicode", reqSpec{path: "/virtualclusters/a%20b%C3%A9/jobruns"}, testIdent},
		{"extra signed headers with excess spaces", reqSpec{path: "/virtualclusters", headers: map[string]string{"X-Amz-Meta-Note": "  a   b  ", "Amz-Sdk-Invocation-Id": "123"}}, testIdent},
		{"signed 14 minutes ago", reqSpec{path: "/virtualclusters", at: serverNow.Add(-14 * time.Minute)}, testIdent},
		{"signed 14 minutes ahead", reqSpec{path: "/virtualclusters", at: serverNow.Add(14 * time.Minute)}, testIdent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := send(t, srv, tc.spec)
			if got.Code != "" || got.Identity != tc.want {
				t.Fatalf("got %+v, want identity %q", got, tc.want)
			}
		})
	}
}

func TestRejected(t *testing.T) {
	srv := newServer(t, testVerifier(Options{}))
	regional := newServer(t, testVerifier(Options{Region: "eu-west-1"}))
	post := func(s reqSpec) reqSpec {
		s.method, s.body = "POST", startJobRunBody
		if s.path == "" {
			s.path = "/virtualclusters/abc/jobruns"
		}
		s.headers = map[string]string{"Content-Type": "application/json"}
		return s
	}
	for _, tc := range []struct {
		name     string
		srv      *httptest.Server
		spec     reqSpec
		code     string
		inMsg    string
		rawNoSig bool
	}{
		{"wrong secret", srv, post(reqSpec{secret: "not-the-secret"}), CodeInvalidSignature, "does not match the signature you provided", false},
		{"tampered body (same length)", srv, post(reqSpec{tamper: func(r *http.Request) {
			b := strings.Replace(startJobRunBody, "Key_ID=238", "Key_ID=239", 1)
			r.Body = io.NopCloser(strings.NewReader(b))
		}}), CodeInvalidSignature, "does not match", false},
		{"tampered signed header", srv, post(reqSpec{tamper: func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }}), CodeInvalidSignature, "does not match", false},
		{"tampered path", srv, reqSpec{path: "/virtualclusters/abc/jobruns", tamper: func(r *http.Request) { r.URL.Path = "/virtualclusters/abd/jobruns" }}, CodeInvalidSignature, "does not match", false},
		{"tampered query", srv, reqSpec{path: "/virtualclusters/abc/jobruns?states=RUNNING", tamper: func(r *http.Request) { r.URL.RawQuery = "states=FAILED" }}, CodeInvalidSignature, "does not match", false},
		{"added query parameter", srv, reqSpec{path: "/virtualclusters", tamper: func(r *http.Request) { r.URL.RawQuery = "maxResults=1" }}, CodeInvalidSignature, "does not match", false},
		{"expired: signed 16 minutes ago", srv, reqSpec{path: "/virtualclusters", at: serverNow.Add(-16 * time.Minute)}, CodeInvalidSignature,
			"Signature expired: 20261126T101400Z is now earlier than 20261126T101500Z (20261126T103000Z - 15 min.)", false},
		{"future: signed 16 minutes ahead", srv, reqSpec{path: "/virtualclusters", at: serverNow.Add(16 * time.Minute)}, CodeInvalidSignature,
			"Signature not yet current: 20261126T104600Z is still later than 20261126T104500Z (20261126T103000Z + 15 min.)", false},
		{"wrong service", srv, reqSpec{path: "/virtualclusters", service: "s3"}, CodeInvalidSignature, "Credential should be scoped to correct service: 'emr-containers'.", false},
		{"wrong region when the region is set", regional, reqSpec{path: "/virtualclusters", region: "us-east-1"}, CodeInvalidSignature, "Credential should be scoped to a valid region, not 'us-east-1'.", false},
		{"unknown access key", srv, reqSpec{path: "/virtualclusters", akid: "AKIDUNKNOWN"}, CodeUnrecognized, "The security token included in the request is invalid.", false},
		{"missing Authorization header", srv, reqSpec{path: "/virtualclusters", tamper: func(r *http.Request) { r.Header.Del("Authorization") }}, CodeMissingToken, "Missing Authentication Token", false},
		{"garbled Authorization header", srv, reqSpec{path: "/virtualclusters", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAKID+"/20261126/us-east-1/emr-containers/aws4_request")
		}}, CodeIncomplete, "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.", false},
		{"other authorization scheme", srv, reqSpec{path: "/virtualclusters", tamper: func(r *http.Request) { r.Header.Set("Authorization", "Basic dXNlcjpwYXNz") }}, CodeIncomplete, "Unsupported Authorization Type", false},
		{"missing X-Amz-Date", srv, reqSpec{path: "/virtualclusters", tamper: func(r *http.Request) { r.Header.Del("X-Amz-Date") }}, CodeIncomplete, "'X-Amz-Date' or a 'Date' header", false},
		{"date outside the credential scope's day", srv, reqSpec{path: "/virtualclusters", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/20261126/", "/20261125/", 1))
		}}, CodeInvalidSignature, "Date in Credential scope does not match", false},
		{"unsigned payload", srv, post(reqSpec{tamper: func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD") }}), CodeInvalidSignature, "UNSIGNED-PAYLOAD", false},
		{"host not signed", srv, reqSpec{path: "/virtualclusters", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SignedHeaders=host;", "SignedHeaders=", 1))
		}}, CodeInvalidSignature, "'Host' or ':authority' must be a 'SignedHeader'", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := send(t, tc.srv, tc.spec)
			if got.Code != tc.code || !strings.Contains(got.Message, tc.inMsg) || got.Status != http.StatusForbidden || got.Identity != "" {
				t.Fatalf("got %+v\nwant code %s, status 403, message containing %q", got, tc.code, tc.inMsg)
			}
			if strings.Contains(got.Message, testSecret) {
				t.Fatal("message leaks the secret")
			}
		})
	}
}

func TestSessionTokenSignedButIgnored(t *testing.T) {
	// The SDK signs X-Amz-Security-Token when the credentials carry one; the
	// verifier accepts it as a signed header (Waggle issues no session tokens).
	srv := newServer(t, testVerifier(Options{}))
	var saw bool
	got := send(t, srv, reqSpec{path: "/virtualclusters", tamper: func(r *http.Request) {
		saw = strings.Contains(r.Header.Get("Authorization"), "x-amz-security-token")
	}})
	if !saw || got.Identity != testIdent {
		t.Fatalf("token signed: %v, got %+v", saw, got)
	}
}

func TestPresigned(t *testing.T) {
	v := testVerifier(Options{})
	srv := newServer(t, v)
	presign := func(at time.Time, expires string) string {
		req, _ := http.NewRequest("GET", srv.URL+"/virtualclusters/abc/jobruns?states=RUNNING&X-Amz-Expires="+expires, nil)
		sum := sha256.Sum256(nil)
		u, _, err := v4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret},
			req, hex.EncodeToString(sum[:]), "emr-containers", "us-east-1", at)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	get := func(u string) result {
		resp, err := srv.Client().Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var res result
		json.NewDecoder(resp.Body).Decode(&res)
		return res
	}
	if got := get(presign(serverNow.Add(-time.Minute), "300")); got.Identity != testIdent {
		t.Fatalf("valid presigned URL: %+v", got)
	}
	if got := get(presign(serverNow.Add(-10*time.Minute), "300")); got.Code != CodeInvalidSignature || !strings.Contains(got.Message, "Signature expired") {
		t.Fatalf("expired presigned URL: %+v", got)
	}
	if got := get(strings.Replace(presign(serverNow.Add(-time.Minute), "300"), "states=RUNNING", "states=FAILED", 1)); got.Code != CodeInvalidSignature {
		t.Fatalf("tampered presigned URL: %+v", got)
	}
}

func TestVerifyDirectRequest(t *testing.T) {
	// A request built in process (no RequestURI) verifies too.
	v := testVerifier(Options{})
	req, _ := http.NewRequest("POST", "http://localhost:8080/virtualclusters", bytes.NewReader([]byte(`{}`)))
	sum := sha256.Sum256([]byte(`{}`))
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret},
		req, hex.EncodeToString(sum[:]), "emr-containers", "us-west-2", serverNow); err != nil {
		t.Fatal(err)
	}
	if id, err := v.Verify(req, []byte(`{}`)); err != nil || id != testIdent {
		t.Fatalf("got %q, %v", id, err)
	}
	if _, err := v.Verify(req, []byte(`{"x":1}`)); err == nil {
		t.Fatal("tampered body accepted")
	}
}

func TestDefaults(t *testing.T) {
	v := NewVerifier(nil, Options{})
	if v.opts.Service != "emr-containers" || v.opts.MaxSkew != 15*time.Minute || v.opts.Now == nil {
		t.Fatalf("defaults: %+v", v.opts)
	}
}

func TestLoadCredentials(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "users")
	content := "# waggle users\n\nAKID1 secret1 arn:aws:iam::123456789012:user/alice\n\tAKID2   secret2\n"
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	creds, warn, err := LoadCredentials(p)
	if err != nil || warn != "" {
		t.Fatalf("err %v, warning %q", err, warn)
	}
	want := []Credential{{"AKID1", "secret1", "arn:aws:iam::123456789012:user/alice"}, {"AKID2", "secret2", "AKID2"}}
	if len(creds) != 2 || creds[0] != want[0] || creds[1] != want[1] {
		t.Fatalf("got %+v", creds)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, warn, err := LoadCredentials(p); err != nil || !strings.Contains(warn, "group or others") {
		t.Fatalf("world-readable file: err %v, warning %q", err, warn)
	}
	for name, bad := range map[string]string{
		"one field":     "AKID1\n",
		"four fields":   "AKID1 SEKRIT-1 x y\n",
		"duplicate key": "AKID1 SEKRIT-1\nAKID1 SEKRIT-2\n",
		"no keys":       "# nothing\n",
	} {
		os.WriteFile(p, []byte(bad), 0o600)
		_, _, err := LoadCredentials(p)
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "SEKRIT") {
			t.Errorf("%s: error leaks a secret: %v", name, err)
		}
	}
	if _, _, err := LoadCredentials(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file accepted")
	}
}

func TestCredentialsFromEnv(t *testing.T) {
	t.Setenv(EnvAccessKeyID, "")
	t.Setenv(EnvSecretAccessKey, "")
	t.Setenv(EnvIdentity, "")
	if c, err := CredentialsFromEnv(); c != nil || err != nil {
		t.Fatalf("unset: %v %v", c, err)
	}
	t.Setenv(EnvAccessKeyID, "AKIDENV")
	if _, err := CredentialsFromEnv(); err == nil {
		t.Fatal("id without secret accepted")
	}
	t.Setenv(EnvSecretAccessKey, "envsecret")
	c, err := CredentialsFromEnv()
	if err != nil || len(c) != 1 || c[0] != (Credential{"AKIDENV", "envsecret", "AKIDENV"}) {
		t.Fatalf("got %+v %v", c, err)
	}
	t.Setenv(EnvIdentity, "arn:aws:iam::123456789012:user/bob")
	if c, _ := CredentialsFromEnv(); c[0].Identity != "arn:aws:iam::123456789012:user/bob" {
		t.Fatalf("identity: %+v", c)
	}
}
