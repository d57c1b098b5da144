package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Sign-in. When Options.Users is set (waggle server with API credentials), every page needs a session:
// a browser signs in on /login with an access key id and secret access key the job API accepts, and gets
// a session cookie. The cookie holds the access key id, an expiry and an HMAC of both keyed by that key's
// secret, so there is no session store: any replica with the same keys accepts it, and removing or
// rotating a key ends its sessions. /healthz, /readyz, /metrics (for Prometheus) and the static assets
// stay open.
const (
	sessionCookie = "waggle_session"
	sessionTTL    = 12 * time.Hour
)

// signinPage is the data of the sign-in page.
type signinPage struct {
	Title, Nav string
	Next       string
	AccessKey  string
	Error      string
}

// sessionMAC signs a session of accessKey ending at expiry (Unix seconds) with the key's secret.
func sessionMAC(secret, accessKey string, expiry int64) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("waggle web session\x00" + accessKey + "\x00" + strconv.FormatInt(expiry, 10)))
	return m.Sum(nil)
}

// session returns who r's session cookie belongs to, if it is valid and unexpired.
func (s *Server) session(r *http.Request) (identity string, ok bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", false
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 {
		return "", false
	}
	key, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	expiry, err2 := strconv.ParseInt(parts[1], 10, 64)
	mac, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || s.opts.Now().Unix() >= expiry {
		return "", false
	}
	secret, identity, ok := s.opts.Users(string(key))
	if !ok || !hmac.Equal(mac, sessionMAC(secret, string(key), expiry)) {
		return "", false
	}
	return identity, true
}

// signedIn wraps a page: without a valid session, a GET is sent to the sign-in page (and back after it);
// other requests, and the live updates of a page, get 401.
func (s *Server) signedIn(h http.Handler) http.Handler {
	if s.opts.Users == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.session(r); ok {
			h.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead ||
			strings.HasSuffix(r.URL.Path, "/live") || strings.HasSuffix(r.URL.Path, "/events") {
			http.Error(w, "sign in first: /login", http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	})
}

// localPath returns next when it is a path on this server, else "/": the sign-in page never sends a
// browser elsewhere (no open redirect).
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if s.opts.Users == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", signinPage{Title: "Sign in", Nav: "login", Next: localPath(r.URL.Query().Get("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if s.opts.Users == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	key := strings.TrimSpace(r.PostFormValue("access_key"))
	next := localPath(r.PostFormValue("next"))
	secret, identity, ok := s.opts.Users(key)
	if !ok || !hmac.Equal([]byte(secret), []byte(r.PostFormValue("secret_key"))) {
		// One message for an unknown key and a wrong secret: the page does not tell which keys exist. The
		// log names a known key only (what was typed may be a secret pasted into the wrong field).
		if ok {
			s.log.Warn("web: sign-in refused: wrong secret", "access_key", key, "remote", r.RemoteAddr)
		} else {
			s.log.Warn("web: sign-in refused: unknown access key", "remote", r.RemoteAddr)
		}
		s.render(w, r, http.StatusUnauthorized, "login", signinPage{Title: "Sign in", Nav: "login", Next: next, AccessKey: key,
			Error: "The access key id or the secret access key is wrong."})
		return
	}
	expiry := s.opts.Now().Add(sessionTTL).Unix()
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secureRequest(r),
		Value: base64.RawURLEncoding.EncodeToString([]byte(key)) + "." + strconv.FormatInt(expiry, 10) + "." +
			base64.RawURLEncoding.EncodeToString(sessionMAC(secret, key, expiry)),
		Expires: time.Unix(expiry, 0),
	})
	s.log.Info("web: signed in", "identity", identity, "remote", r.RemoteAddr)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: secureRequest(r), MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// secureRequest tells whether the browser reached the server over HTTPS (directly or through a proxy
// that says so), so that the session cookie is only ever sent back over HTTPS then.
func secureRequest(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
