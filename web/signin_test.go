package web

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// signInEnv is the env's job service and catalog behind a UI that requires signing in (two keys).
func signInEnv(t *testing.T, now func() time.Time) (e *env, url string) {
	t.Helper()
	e = newEnv(t)
	users := func(key string) (string, string, bool) {
		switch key {
		case "AKIDUI":
			return "ui-secret", "alice", true
		case "AKIDBOB":
			return "bob-secret", "bob", true
		}
		return "", "", false
	}
	w, err := New(Options{Jobs: e.svc, Catalog: e.cat, Logger: quietLog(), Users: users, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w.Handler())
	t.Cleanup(srv.Close)
	return e, srv.URL
}

// browserClient keeps cookies and does not follow redirects (the test looks at them).
func browserClient(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func send(t *testing.T, c *http.Client, method, u string, form url.Values) (int, http.Header, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestSignIn: with Options.Users, pages send an anonymous browser to the sign-in page and back, a wrong
// key or secret is refused without saying which, a session cookie opens the pages until it expires or
// is tampered with, sign-out ends it, and health, metrics and assets stay open.
func TestSignIn(t *testing.T) {
	now := time.Now()
	clock := func() time.Time { return now }
	e, base := signInEnv(t, clock)
	c := browserClient(t)

	code, hdr, _ := send(t, c, "GET", base+"/catalog/default", nil)
	if code != http.StatusSeeOther || hdr.Get("Location") != "/login?next=%2Fcatalog%2Fdefault" {
		t.Fatalf("anonymous page: %d Location %q, want 303 to the sign-in page", code, hdr.Get("Location"))
	}
	if code, _, _ := send(t, c, "GET", base+"/jobs/"+e.vc+"/x/live", nil); code != http.StatusUnauthorized {
		t.Errorf("anonymous live updates: %d, want 401", code)
	}
	if code, _, _ := send(t, c, "POST", base+"/jobs/"+e.vc+"/x/cancel", url.Values{"confirm": {"yes"}}); code != http.StatusUnauthorized {
		t.Errorf("anonymous cancel: %d, want 401", code)
	}
	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/ui/app.css"} {
		if code, _, _ := send(t, c, "GET", base+p, nil); code != http.StatusOK {
			t.Errorf("%s: %d, want 200 without signing in", p, code)
		}
	}
	code, _, body := send(t, c, "GET", base+"/login?next=%2Fcatalog%2Fdefault", nil)
	if code != 200 || !strings.Contains(body, `name="next" value="/catalog/default"`) || strings.Contains(body, "Sign out") {
		t.Fatalf("sign-in page: %d\n%s", code, body)
	}

	for _, bad := range []url.Values{
		{"access_key": {"AKIDUI"}, "secret_key": {"wrong"}},
		{"access_key": {"AKIDNOBODY"}, "secret_key": {"ui-secret"}},
	} {
		code, hdr, body := send(t, c, "POST", base+"/login", bad)
		if code != http.StatusUnauthorized || hdr.Get("Set-Cookie") != "" ||
			!strings.Contains(body, "The access key id or the secret access key is wrong.") {
			t.Errorf("sign-in as %s: %d cookie %q\n%s", bad.Get("access_key"), code, hdr.Get("Set-Cookie"), body)
		}
	}

	// An off-site next is not followed.
	code, hdr, _ = send(t, c, "POST", base+"/login", url.Values{"access_key": {"AKIDUI"}, "secret_key": {"ui-secret"}, "next": {"//evil.example/x"}})
	if code != http.StatusSeeOther || hdr.Get("Location") != "/" {
		t.Fatalf("sign-in: %d Location %q, want 303 to /", code, hdr.Get("Location"))
	}
	cookie := hdr.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") || strings.Contains(cookie, "ui-secret") {
		t.Errorf("session cookie %q", cookie)
	}
	code, _, body = send(t, c, "GET", base+"/catalog/default", nil)
	if code != 200 || !strings.Contains(body, "Sign out") {
		t.Fatalf("page after signing in: %d\n%s", code, body)
	}

	// Alice's session MAC under Bob's key id is refused.
	u, _ := url.Parse(base)
	good := c.Jar.Cookies(u)[0].Value
	forged := browserClient(t)
	forged.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: "QUtJREJPQg" + good[strings.Index(good, "."):]}})
	if code, _, _ := send(t, forged, "GET", base+"/jobs", nil); code != http.StatusSeeOther {
		t.Errorf("forged session: %d, want a redirect to sign in", code)
	}

	// Sessions expire.
	now = now.Add(sessionTTL + time.Second)
	if code, _, _ := send(t, c, "GET", base+"/jobs", nil); code != http.StatusSeeOther {
		t.Errorf("expired session: %d, want a redirect to sign in", code)
	}
	now = now.Add(-sessionTTL)

	if code, _, _ := send(t, c, "POST", base+"/logout", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("sign out: %d", code)
	}
	if code, _, _ := send(t, c, "GET", base+"/jobs", nil); code != http.StatusSeeOther {
		t.Errorf("after signing out: %d, want a redirect to sign in", code)
	}
}
