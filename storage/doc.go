// Package storage is Waggle's one interface over the file systems that hold
// table data: local files (file:// and scheme-less paths resolved against
// fs.defaultFS, as Hive does) and S3 (s3://, s3a://, s3n://, all the same
// store).
//
// It owns: path qualification (Hadoop-style paths, Hadoop-style fs.* keys),
// the FS interface and its local and S3 implementations, S3 clients (created
// lazily per bucket and cached in a Storage value), and the helpers the
// engine needs to feed DuckDB, which reads only local files here: ListFiles
// (Hive's hidden-file rules), Localize (download-once cache keyed by ETag),
// Copy across schemes, CopyFromLocal/CopyToLocal, Exists.
//
// It must not touch: anything else of Waggle's. storage imports no Waggle
// package and knows nothing about tables, partitions, the catalog or SQL;
// callers pass paths, storage moves bytes. It keeps no package-level
// mutable state, never logs, and never puts credentials (access key, secret
// key, session token) into an error message.
//
// # Paths
//
// Paths are Hadoop paths, not percent-encoded URIs: everything after
// "scheme://authority" is the literal file name or object key, so a Hive
// partition directory "dt=2020-01-01 10%3A00" names a directory with a '%'
// in it. Accepted forms:
//
//	/abs/path            resolved against fs.defaultFS
//	rel/path             resolved against the working directory (file default FS only)
//	file:///abs, file:/abs, file://localhost/abs
//	s3://bucket/key, s3a://bucket/key, s3n://bucket/key
//
// Qualified paths come back as file:///abs or <scheme>://bucket/key, keeping
// the scheme the caller (or fs.defaultFS) used; "." and ".." segments and
// duplicate or trailing slashes are cleaned away.
//
// # Semantics decided here
//
//   - Delete of a missing path is not an error (Hive's DROP ignores it).
//     Deleting the local root or a bucket root is refused.
//   - Non-recursive Delete of a non-empty directory fails.
//   - MkdirAll on S3 writes a zero-byte "dir/" marker (as S3A does); reading
//     never requires markers: a directory exists when any key lies under it,
//     and both "dir/" and "dir_$folder$" markers are recognised and hidden.
//   - Rename moves a file or a whole directory to exactly dst (never "into"
//     dst). On S3 it is copy then delete, so it is not atomic. A directory
//     rename fails with fs.ErrExist when dst already has content.
//   - Create on S3 buffers into a local temporary file and uploads on Close
//     (PutObject, or multipart above fs.s3a.multipart.threshold); the
//     context given to Create governs that upload.
//   - Missing paths give errors for which errors.Is(err, ErrNotExist) and
//     errors.Is(err, fs.ErrNotExist) hold; every error names the operation and
//     the path (*fs.PathError).
package storage
