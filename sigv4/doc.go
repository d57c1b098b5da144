// Package sigv4 verifies AWS Signature Version 4 on incoming HTTP requests, the
// way an AWS service front end does, so that the AWS CLI and SDKs can call
// Waggle's job API (emr-containers) with ordinary access keys.
//
// It owns: parsing the Authorization header (and presigned query strings),
// rebuilding the canonical request exactly as the SigV4 specification and the
// AWS SDKs do for services other than S3, the clock-skew check, constant-time
// signature comparison, AWS's error codes and messages, and loading the
// server's access keys (a users file or the environment).
//
// It must not touch: HTTP routing, request bodies (the caller reads the body
// and passes it in), or anything else of Waggle's. It keeps no package-level
// mutable state, never logs, and never puts a secret key or a computed
// signature into an error message.
//
// # Canonical request
//
// For services other than S3 the canonical URI is the request path as sent
// on the wire (already percent-encoded once) percent-encoded a second time,
// segment by segment, leaving only A-Z a-z 0-9 - _ . ~ and '/' as they are
// (so "%3A" in the path is signed as "%253A"). Clients that normalise dot
// segments before signing (botocore) are accepted too. Query parameters are
// decoded, re-encoded with RFC 3986 rules (space as %20) and sorted by key,
// then value. Signed headers are lower-cased, their values trimmed with inner
// runs of spaces collapsed, repeated values joined with ','. The payload hash
// is always the SHA-256 of the body the caller passes: an
// X-Amz-Content-Sha256 header that disagrees with it (including
// UNSIGNED-PAYLOAD) is rejected, so a signature always covers the body.
//
// # Users file
//
// LoadCredentials reads one key per line:
//
//	# access key id        secret access key                          identity (createdBy)
//	AKIAEXAMPLE0001        wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY    arn:aws:iam::123456789012:user/alice
//
// Fields are separated by spaces or tabs; blank lines and lines starting
// with '#' are ignored; the identity is optional (default: the access key
// id) and may not contain spaces. A file readable by group or others is
// accepted, with a warning returned alongside the credentials.
package sigv4
