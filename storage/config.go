package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Hadoop S3A keys read by storage. Each may be overridden per bucket as
// fs.s3a.bucket.<bucket>.<suffix>, e.g. fs.s3a.bucket.logs.endpoint.
const (
	keyDefaultFS = "fs.defaultFS"
	s3aPrefix    = "fs.s3a."

	sufEndpoint      = "endpoint"               // host[:port] or URL
	sufSSL           = "connection.ssl.enabled" // for an endpoint without scheme; default true
	sufPathStyle     = "path.style.access"      // default false
	sufAccessKey     = "access.key"
	sufSecretKey     = "secret.key"
	sufSessionToken  = "session.token"
	sufEndpointRegon = "endpoint.region" // wins over fs.s3a.region
	sufRegion        = "region"
	sufProvider      = "aws.credentials.provider"  // only the anonymous provider is interpreted
	sufPaging        = "paging.maximum"            // keys per list request, capped at 1000
	sufPartSize      = "multipart.size"            // default 64M
	sufThreshold     = "multipart.threshold"       // default 128M
	sufCopyThreshold = "copy.multipart.threshold"  // server-side copies above it are multipart; default 5G (S3's CopyObject limit)
	sufActiveBlocks  = "fast.upload.active.blocks" // parts of one multipart upload in flight; default 4 (Hadoop's)
	sufBufferDir     = "buffer.dir"                // temp files of S3 writes; default os.TempDir()

	// Credentials beyond static keys (all per-bucket overridable).
	sufProfile         = "aws.profile"                   // named profile of the shared config/credentials files
	sufRoleARN         = "assumed.role.arn"              // STS AssumeRole (or AssumeRoleWithWebIdentity with a token file)
	sufRoleSession     = "assumed.role.session.name"     // default "waggle"
	sufRoleDuration    = "assumed.role.session.duration" // e.g. 30m, 1h; default the SDK's (15m)
	sufRoleExternalID  = "assumed.role.external.id"      // optional
	sufSTSEndpoint     = "assumed.role.sts.endpoint"     // STS URL; default the SDK's (AWS, or AWS_ENDPOINT_URL_STS)
	sufSTSRegion       = "assumed.role.sts.endpoint.region"
	sufWebIdentityFile = "web.identity.token.file" // OIDC token file: AssumeRoleWithWebIdentity of assumed.role.arn
)

// Read-path settings (global, not per bucket).
const (
	KeyCacheDir         = "waggle.s3.cache.dir"            // shared object cache directory
	KeyCacheSize        = "waggle.s3.cache.size"           // bytes (64G, 512M, ...); default 10G
	KeyDownloadPartSize = "waggle.s3.download.part.size"   // ranged GET size; default 16M
	KeyDownloadParallel = "waggle.s3.download.parallelism" // concurrent ranged GETs per Storage; default 32
	defaultCacheSize    = 10 << 30
	defaultDownloadPart = 16 << 20
	defaultDownloadPar  = 32
)

const (
	defaultPageSize  = 1000
	defaultPartSize  = 64 << 20
	defaultThreshold = 128 << 20
	defaultActive    = 4
	maxParts         = 10000

	// S3 refuses CopyObject for sources above 5 GiB and parts below 5 MiB
	// (except the last).
	defaultCopyThreshold = 5 << 30
	minPartSize          = 5 << 20
)

// s3Settings is the effective S3A configuration of one bucket.
type s3Settings struct {
	endpoint     string // "" means the SDK default (AWS, or AWS_ENDPOINT_URL*)
	pathStyle    bool
	accessKey    string
	secretKey    string
	sessionToken string
	anonymous    bool
	region       string
	pageSize     int32
	partSize     int64
	threshold    int64
	copyThresh   int64 // server-side copies of larger objects are multipart
	activeBlocks int   // parts of one multipart upload uploaded at once
	bufferDir    string

	profile         string
	roleARN         string
	roleSession     string
	roleDuration    time.Duration
	roleExternalID  string
	stsEndpoint     string
	stsRegion       string
	webIdentityFile string
}

// secrets returns the values that must never appear in an error.
func (c s3Settings) secrets() []string {
	return []string{c.secretKey, c.sessionToken, c.accessKey}
}

// normalizeConf copies conf, also accepting Spark's "spark.hadoop." prefix
// for keys not set without it.
func normalizeConf(conf map[string]string) map[string]string {
	out := make(map[string]string, len(conf))
	for k, v := range conf {
		out[k] = v
	}
	for k, v := range conf {
		if rest, ok := strings.CutPrefix(k, "spark.hadoop."); ok {
			if _, set := out[rest]; !set {
				out[rest] = v
			}
		}
	}
	return out
}

// bucketValue looks up fs.s3a.bucket.<bucket>.<suf>, then fs.s3a.<suf>.
func bucketValue(conf map[string]string, bucket, suf string) (key, value string) {
	key = s3aPrefix + "bucket." + bucket + "." + suf
	if v, ok := conf[key]; ok {
		return key, strings.TrimSpace(v)
	}
	key = s3aPrefix + suf
	return key, strings.TrimSpace(conf[key])
}

func s3SettingsFor(conf map[string]string, bucket string) (s3Settings, error) {
	get := func(suf string) (string, string) { return bucketValue(conf, bucket, suf) }
	var c s3Settings
	var err error

	_, c.accessKey = get(sufAccessKey)
	_, c.secretKey = get(sufSecretKey)
	_, c.sessionToken = get(sufSessionToken)
	if (c.accessKey == "") != (c.secretKey == "") {
		// Name the keys, never their values.
		return c, fmt.Errorf("storage: bucket %q: %s%s and %s%s must be set together", bucket, s3aPrefix, sufAccessKey, s3aPrefix, sufSecretKey)
	}
	if _, p := get(sufProvider); strings.Contains(p, "AnonymousAWSCredentialsProvider") {
		c.anonymous = true
	}

	sslKey, ssl := get(sufSSL)
	useSSL := true
	if ssl != "" {
		if useSSL, err = strconv.ParseBool(ssl); err != nil {
			return c, fmt.Errorf("storage: %s=%q: not a boolean", sslKey, ssl)
		}
	}
	if _, ep := get(sufEndpoint); ep != "" {
		if !strings.Contains(ep, "://") {
			if useSSL {
				ep = "https://" + ep
			} else {
				ep = "http://" + ep
			}
		}
		c.endpoint = strings.TrimSuffix(ep, "/")
	}
	if k, v := get(sufPathStyle); v != "" {
		if c.pathStyle, err = strconv.ParseBool(v); err != nil {
			return c, fmt.Errorf("storage: %s=%q: not a boolean", k, v)
		}
	}
	if _, c.region = get(sufEndpointRegon); c.region == "" {
		_, c.region = get(sufRegion)
	}

	c.pageSize = defaultPageSize
	if k, v := get(sufPaging); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return c, fmt.Errorf("storage: %s=%q: want a positive integer", k, v)
		}
		c.pageSize = int32(min(n, defaultPageSize))
	}
	if c.partSize, err = sizeSetting(get, sufPartSize, defaultPartSize); err != nil {
		return c, err
	}
	if c.threshold, err = sizeSetting(get, sufThreshold, defaultThreshold); err != nil {
		return c, err
	}
	if c.copyThresh, err = sizeSetting(get, sufCopyThreshold, defaultCopyThreshold); err != nil {
		return c, err
	}
	c.activeBlocks = defaultActive
	if k, v := get(sufActiveBlocks); v != "" {
		if c.activeBlocks, err = strconv.Atoi(v); err != nil || c.activeBlocks <= 0 {
			return c, fmt.Errorf("storage: %s=%q: want a positive number of parts", k, v)
		}
	}
	_, c.bufferDir = get(sufBufferDir)

	_, c.profile = get(sufProfile)
	_, c.roleARN = get(sufRoleARN)
	_, c.roleSession = get(sufRoleSession)
	if c.roleSession == "" {
		c.roleSession = "waggle"
	}
	if k, v := get(sufRoleDuration); v != "" {
		if c.roleDuration, err = time.ParseDuration(v); err != nil || c.roleDuration <= 0 {
			return c, fmt.Errorf("storage: %s=%q: want a duration such as 30m or 1h", k, v)
		}
	}
	_, c.roleExternalID = get(sufRoleExternalID)
	if _, ep := get(sufSTSEndpoint); ep != "" {
		if !strings.Contains(ep, "://") {
			if useSSL {
				ep = "https://" + ep
			} else {
				ep = "http://" + ep
			}
		}
		c.stsEndpoint = strings.TrimSuffix(ep, "/")
	}
	_, c.stsRegion = get(sufSTSRegion)
	k, v := get(sufWebIdentityFile)
	c.webIdentityFile = v
	if c.webIdentityFile != "" && c.roleARN == "" {
		return c, fmt.Errorf("storage: %s needs %s%s (the role to assume with the token)", k, s3aPrefix, sufRoleARN)
	}
	if c.anonymous && (c.roleARN != "" || c.profile != "") {
		return c, fmt.Errorf("storage: bucket %q: the anonymous credentials provider excludes %s%s and %s%s", bucket, s3aPrefix, sufRoleARN, s3aPrefix, sufProfile)
	}
	return c, nil
}

func sizeSetting(get func(string) (string, string), suf string, def int64) (int64, error) {
	k, v := get(suf)
	if v == "" {
		return def, nil
	}
	n, err := parseSize(v)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("storage: %s=%q: want a positive size such as 67108864 or 64M", k, v)
	}
	return n, nil
}

// parseSize parses Hadoop's byte sizes: a number with an optional binary
// suffix k, m, g, t or p (case-insensitive, optional trailing b).
func parseSize(s string) (int64, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimSuffix(s, "b")
	mult := int64(1)
	if s != "" {
		if i := strings.IndexByte("kmgtp", s[len(s)-1]); i >= 0 {
			mult = int64(1) << (10 * (i + 1))
			s = s[:len(s)-1]
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, err
	}
	return n * mult, nil
}

// readSettings configure the shared object cache and downloads.
type readSettings struct {
	cacheDir  string
	cacheSize int64
	partSize  int64
	parallel  int
}

func readSettingsFrom(conf map[string]string) (readSettings, error) {
	r := readSettings{cacheDir: strings.TrimSpace(conf[KeyCacheDir])}
	if r.cacheDir == "" {
		r.cacheDir = filepath.Join(os.TempDir(), fmt.Sprintf("waggle-s3-cache-%d", os.Getuid()))
	}
	get := func(suf string) (string, string) { return suf, strings.TrimSpace(conf[suf]) }
	var err error
	if r.cacheSize, err = sizeSetting(get, KeyCacheSize, defaultCacheSize); err != nil {
		return r, err
	}
	if r.partSize, err = sizeSetting(get, KeyDownloadPartSize, defaultDownloadPart); err != nil {
		return r, err
	}
	r.parallel = defaultDownloadPar
	if v := strings.TrimSpace(conf[KeyDownloadParallel]); v != "" {
		if r.parallel, err = strconv.Atoi(v); err != nil || r.parallel <= 0 {
			return r, fmt.Errorf("storage: %s=%q: want a positive integer", KeyDownloadParallel, v)
		}
	}
	return r, nil
}
