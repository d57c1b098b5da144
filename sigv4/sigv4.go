package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Credential is one access key the server accepts.
type Credential struct {
	AccessKeyID     string
	SecretAccessKey string
	// Identity is who the key belongs to (an ARN or a name), reported as
	// createdBy. Empty means the access key id.
	Identity string
}

// Options configure a Verifier.
type Options struct {
	// Service is the signing name expected in the credential scope
	// (default "emr-containers").
	Service string
	// Region, when set, is the only region accepted in the credential scope;
	// "" accepts any region.
	Region string
	// MaxSkew is how far the request's timestamp may lie from the server's
	// clock, either way (default 15 minutes, as AWS).
	MaxSkew time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Verifier checks SigV4 signatures against a fixed set of credentials. It
// is immutable and safe for concurrent use.
type Verifier struct {
	creds map[string]Credential
	opts  Options
}

// NewVerifier returns a Verifier accepting creds. Later duplicates of an
// access key id replace earlier ones.
func NewVerifier(creds []Credential, opts Options) *Verifier {
	if opts.Service == "" {
		opts.Service = "emr-containers"
	}
	if opts.MaxSkew <= 0 {
		opts.MaxSkew = 15 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	m := make(map[string]Credential, len(creds))
	for _, c := range creds {
		m[c.AccessKeyID] = c
	}
	return &Verifier{creds: m, opts: opts}
}

// Lookup returns the credential of an access key id, for signing in with the same keys elsewhere (the
// web UI's sign-in page).
func (v *Verifier) Lookup(accessKeyID string) (Credential, bool) {
	c, ok := v.creds[accessKeyID]
	return c, ok
}

// Error is a rejected request, with AWS's error code (sent as
// x-amzn-ErrorType), message and HTTP status.
type Error struct {
	Code       string
	Message    string
	HTTPStatus int
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// AWS's error codes for authentication failures.
const (
	CodeMissingToken      = "MissingAuthenticationTokenException"
	CodeIncomplete        = "IncompleteSignatureException"
	CodeUnrecognized      = "UnrecognizedClientException"
	CodeInvalidSignature  = "InvalidSignatureException"
	msgSignatureMismatch  = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgUnrecognizedClient = "The security token included in the request is invalid."
)

func newErr(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), HTTPStatus: http.StatusForbidden}
}

const (
	algorithm    = "AWS4-HMAC-SHA256"
	terminator   = "aws4_request"
	amzDateFmt   = "20060102T150405Z"
	shortDateFmt = "20060102"
	maxPresign   = 7 * 24 * time.Hour
)

// authParams is what the signature claims, from the Authorization header or
// the presigned query string.
type authParams struct {
	akid, date, region, service, term string
	signedHeaders                     []string
	signature                         string
	presigned                         bool
	expires                           time.Duration // presigned only
	amzDate                           string        // X-Amz-Date (header or query), or "" to use Date
}

// Verify checks the signature of r, whose body (already read by the caller)
// is body, and returns the identity of the signing key. Every failure is an
// *Error carrying AWS's code and message. r.Body is not read.
func (v *Verifier) Verify(r *http.Request, body []byte) (identity string, err error) {
	p, err := parseAuth(r)
	if err != nil {
		return "", err
	}
	if p.term != terminator {
		return "", newErr(CodeIncomplete, "Credential should be scoped with a valid terminator: 'aws4_request', not '%s'.", p.term)
	}
	if p.service != v.opts.Service {
		return "", newErr(CodeInvalidSignature, "Credential should be scoped to correct service: '%s'. ", v.opts.Service)
	}
	if v.opts.Region != "" && p.region != v.opts.Region {
		return "", newErr(CodeInvalidSignature, "Credential should be scoped to a valid region, not '%s'. ", p.region)
	}
	if !contains(p.signedHeaders, "host") {
		return "", newErr(CodeInvalidSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}

	// The timestamp: X-Amz-Date, else the Date header.
	var t time.Time
	stamp := p.amzDate
	if stamp != "" {
		if t, err = time.Parse(amzDateFmt, stamp); err != nil {
			return "", newErr(CodeIncomplete, "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", stamp)
		}
	} else if d := r.Header.Get("Date"); d != "" {
		if t, err = http.ParseTime(d); err != nil {
			return "", newErr(CodeIncomplete, "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", d)
		}
		stamp = t.UTC().Format(amzDateFmt)
	} else {
		return "", newErr(CodeIncomplete, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	t = t.UTC()
	if p.date != t.Format(shortDateFmt) {
		return "", newErr(CodeInvalidSignature, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", p.date, t.Format(shortDateFmt), stamp)
	}
	now := v.opts.Now().UTC()
	if p.presigned {
		if now.After(t.Add(p.expires)) {
			return "", newErr(CodeInvalidSignature, "Signature expired: %s is now earlier than %s (%s - %s.)",
				t.Add(p.expires).Format(amzDateFmt), now.Format(amzDateFmt), now.Format(amzDateFmt), skewText(p.expires))
		}
		if t.After(now.Add(v.opts.MaxSkew)) {
			return "", newErr(CodeInvalidSignature, "Signature not yet current: %s is still later than %s (%s + %s.)",
				stamp, now.Add(v.opts.MaxSkew).Format(amzDateFmt), now.Format(amzDateFmt), skewText(v.opts.MaxSkew))
		}
	} else {
		if t.Before(now.Add(-v.opts.MaxSkew)) {
			return "", newErr(CodeInvalidSignature, "Signature expired: %s is now earlier than %s (%s - %s.)",
				stamp, now.Add(-v.opts.MaxSkew).Format(amzDateFmt), now.Format(amzDateFmt), skewText(v.opts.MaxSkew))
		}
		if t.After(now.Add(v.opts.MaxSkew)) {
			return "", newErr(CodeInvalidSignature, "Signature not yet current: %s is still later than %s (%s + %s.)",
				stamp, now.Add(v.opts.MaxSkew).Format(amzDateFmt), now.Format(amzDateFmt), skewText(v.opts.MaxSkew))
		}
	}

	cred, ok := v.creds[p.akid]
	if !ok {
		return "", &Error{Code: CodeUnrecognized, Message: msgUnrecognizedClient, HTTPStatus: http.StatusForbidden}
	}

	sum := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(sum[:])
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" && !strings.EqualFold(h, payloadHash) {
		if h == "UNSIGNED-PAYLOAD" || strings.HasPrefix(h, "STREAMING-") {
			return "", newErr(CodeInvalidSignature, "x-amz-content-sha256 %s is not supported by this service: sign the payload.", h)
		}
		return "", newErr(CodeInvalidSignature, "The provided 'x-amz-content-sha256' header does not match what was computed.")
	}

	scope := p.date + "/" + p.region + "/" + p.service + "/" + terminator
	key := signingKey(cred.SecretAccessKey, p.date, p.region, p.service)
	want, err := hex.DecodeString(p.signature)
	if err != nil || len(want) != sha256.Size {
		return "", &Error{Code: CodeInvalidSignature, Message: msgSignatureMismatch, HTTPStatus: http.StatusForbidden}
	}
	match := 0
	for _, creq := range canonicalRequests(r, p, payloadHash) {
		sts := algorithm + "\n" + stamp + "\n" + scope + "\n" + hexSHA256(creq)
		got := hmacSHA256(key, sts)
		match |= subtle.ConstantTimeCompare(got, want)
	}
	if match != 1 {
		return "", &Error{Code: CodeInvalidSignature, Message: msgSignatureMismatch, HTTPStatus: http.StatusForbidden}
	}
	if cred.Identity != "" {
		return cred.Identity, nil
	}
	return cred.AccessKeyID, nil
}

func skewText(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.Itoa(int(d/time.Minute)) + " min"
	}
	return d.String()
}

// parseAuth reads the signature parameters from the Authorization header,
// or from the query string of a presigned URL.
func parseAuth(r *http.Request) (authParams, error) {
	var p authParams
	auths := r.Header.Values("Authorization")
	q := r.URL.Query()
	if len(auths) == 0 {
		if q.Get("X-Amz-Algorithm") == "" && q.Get("X-Amz-Signature") == "" {
			return p, newErr(CodeMissingToken, "Missing Authentication Token")
		}
		return parsePresigned(q)
	}
	if len(auths) > 1 {
		return p, newErr(CodeIncomplete, "Authorization header must appear only once.")
	}
	auth := strings.TrimSpace(auths[0])
	alg, rest, _ := strings.Cut(auth, " ")
	if alg != algorithm {
		return p, newErr(CodeIncomplete, "Unsupported Authorization Type")
	}
	var cred, signed, sig string
	var haveCred, haveSigned, haveSig bool
	for _, part := range strings.Split(rest, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "Credential":
			cred, haveCred = val, true
		case "SignedHeaders":
			signed, haveSigned = val, true
		case "Signature":
			sig, haveSig = val, true
		}
	}
	var missing []string
	for _, m := range []struct {
		ok   bool
		name string
	}{{haveCred, "Credential"}, {haveSig, "Signature"}, {haveSigned, "SignedHeaders"}} {
		if !m.ok {
			missing = append(missing, "Authorization header requires '"+m.name+"' parameter.")
		}
	}
	if len(missing) > 0 {
		return p, newErr(CodeIncomplete, "%s", strings.Join(missing, " "))
	}
	if err := p.setCredential(cred); err != nil {
		return p, err
	}
	p.signedHeaders = strings.Split(signed, ";")
	p.signature = sig
	p.amzDate = r.Header.Get("X-Amz-Date")
	return p, nil
}

func parsePresigned(q url.Values) (authParams, error) {
	p := authParams{presigned: true}
	var missing []string
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"} {
		if q.Get(k) == "" {
			missing = append(missing, "AWS query-string parameters must include '"+k+"'.")
		}
	}
	if len(missing) > 0 {
		return p, newErr(CodeIncomplete, "%s Re-examine the query-string parameters.", strings.Join(missing, " "))
	}
	if q.Get("X-Amz-Algorithm") != algorithm {
		return p, newErr(CodeIncomplete, "Unsupported Authorization Type")
	}
	if err := p.setCredential(q.Get("X-Amz-Credential")); err != nil {
		return p, err
	}
	p.signedHeaders = strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	p.signature = q.Get("X-Amz-Signature")
	p.amzDate = q.Get("X-Amz-Date")
	p.expires = maxPresign
	if e := q.Get("X-Amz-Expires"); e != "" {
		n, err := strconv.Atoi(e)
		if err != nil || n < 0 || time.Duration(n)*time.Second > maxPresign {
			return p, newErr(CodeIncomplete, "X-Amz-Expires must be a number of seconds between 0 and 604800, not '%s'.", e)
		}
		p.expires = time.Duration(n) * time.Second
	}
	return p, nil
}

// setCredential parses "AKID/yyyymmdd/region/service/aws4_request".
func (p *authParams) setCredential(cred string) error {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[0] == "" {
		return newErr(CodeIncomplete, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", cred)
	}
	if _, err := time.Parse(shortDateFmt, parts[1]); err != nil {
		return newErr(CodeIncomplete, "Invalid credential date \"%s\". This date is not the same as X-Amz-Date: \"\".", parts[1])
	}
	p.akid, p.date, p.region, p.service, p.term = parts[0], parts[1], parts[2], parts[3], parts[4]
	return nil
}

// canonicalRequests returns the canonical request of r for each way a
// client may have written it: the path as sent and, when it differs, the
// path with dot segments and duplicate slashes removed (botocore
// normalises before signing); the Host as sent and, when it carries the
// scheme's default port, without it (the Go SDK strips it).
func canonicalRequests(r *http.Request, p authParams, payloadHash string) []string {
	raw := rawPath(r)
	paths := []string{escapePath(raw)}
	if n := normalizePath(raw); n != raw {
		paths = append(paths, escapePath(n))
	}
	hosts := []string{r.Host}
	if r.Host == "" {
		hosts[0] = r.URL.Host
	}
	if h, port, ok := strings.Cut(hosts[0], ":"); ok && !strings.Contains(port, "]") &&
		(r.TLS == nil && port == "80" || r.TLS != nil && port == "443") {
		hosts = append(hosts, h)
	}
	query := canonicalQuery(r.URL.RawQuery, p.presigned)
	var out []string
	for _, host := range hosts {
		headers := canonicalHeaders(r, p.signedHeaders, host)
		for _, cp := range paths {
			out = append(out, strings.Join([]string{r.Method, cp, query, headers, strings.Join(p.signedHeaders, ";"), payloadHash}, "\n"))
		}
	}
	return out
}

// rawPath is the path exactly as the client sent it (still percent-encoded).
func rawPath(r *http.Request) string {
	p := r.URL.EscapedPath()
	if ru := r.RequestURI; ru != "" && ru != "*" {
		if i := strings.IndexByte(ru, '?'); i >= 0 {
			ru = ru[:i]
		}
		if strings.HasPrefix(ru, "/") {
			p = ru
		} else if u, err := url.Parse(ru); err == nil {
			p = u.EscapedPath()
		}
	}
	if p == "" {
		p = "/"
	}
	return p
}

func normalizePath(p string) string {
	n := path.Clean(p)
	if strings.HasSuffix(p, "/") && n != "/" {
		n += "/"
	}
	return n
}

// escapePath percent-encodes every byte but the unreserved ones and '/'.
func escapePath(p string) string { return escape(p, true) }

func escape(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || keepSlash && c == '/' {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// canonicalQuery decodes the query (as url.ParseQuery does: '+' is a space),
// re-encodes each key and value with RFC 3986 rules, and sorts the pairs by
// key, then value. X-Amz-Signature is left out of a presigned query.
func canonicalQuery(raw string, presigned bool) string {
	type pair struct{ k, v string }
	var pairs []pair
	for _, kv := range strings.Split(raw, "&") {
		if kv == "" {
			continue
		}
		k, val, _ := strings.Cut(kv, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(val); err == nil {
			val = dv
		}
		if presigned && k == "X-Amz-Signature" {
			continue
		}
		pairs = append(pairs, pair{escape(k, false), escape(val, false)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k + "=" + p.v)
	}
	return b.String()
}

// canonicalHeaders renders the signed headers: "name:value\n" each, values
// trimmed with runs of spaces collapsed and repeated headers joined by ','.
func canonicalHeaders(r *http.Request, signed []string, host string) string {
	var b strings.Builder
	for _, name := range signed {
		var vals []string
		switch name {
		case "host":
			vals = []string{host}
		case "content-length":
			vals = r.Header.Values("Content-Length")
			if len(vals) == 0 && r.ContentLength >= 0 {
				vals = []string{strconv.FormatInt(r.ContentLength, 10)}
			}
		case "transfer-encoding":
			vals = r.Header.Values("Transfer-Encoding")
			if len(vals) == 0 {
				vals = r.TransferEncoding
			}
		default:
			vals = r.Header.Values(name)
		}
		b.WriteString(name)
		b.WriteByte(':')
		for i, v := range vals {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strings.Join(strings.Fields(v), " "))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, terminator)
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// AuthCode exposes the wire error (code, message, HTTP status) to servers that map authentication
// failures without importing this package (api.AuthCoder).
func (e *Error) AuthCode() (code, message string, status int) { return e.Code, e.Message, e.HTTPStatus }
