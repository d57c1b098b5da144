// Package storage is Waggle's one interface over the file systems that hold
// table data: local files (file:// and scheme-less paths resolved against
// fs.defaultFS, as Hive does) and S3 (s3://, s3a://, s3n://, all the same
// store).
//
// It owns: path qualification (Hadoop-style paths, Hadoop-style fs.* keys),
// the FS interface and its local and S3 implementations, S3 clients (created
// lazily per bucket and cached in a Storage value), and the helpers the
// engine needs to feed DuckDB, which reads only local files here: ListFiles
// (Hive's hidden-file rules), Localize (a shared, size-bounded object cache keyed
// by ETag, with parallel ranged downloads; see docs/storage.md), LocalizeListed
// (the same for listed files, without a HEAD request, or, given a
// format-aware Planner, a job-private sparse copy holding only the byte
// ranges it asks for — storage itself knows no file format),
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
//     the path (*fs.PathError), except confinement errors (below).
//
// # Confinement
//
// In server mode a job is somebody else's code running on the host. When
// waggle.jobs.local.roots is set (comma-separated absolute directories;
// KeyLocalRoots), every local path a Storage touches — file:// and
// scheme-less paths that resolve to file://, in Stat, List, ListFiles, Open,
// Create, Delete, Rename, MkdirAll, Exists, Localize, Copy, CopyFromLocal,
// CopyToLocal, and every file met inside a copied or listed directory that
// is a symbolic link — must resolve inside one of the roots after ".." is
// cleaned and the symbolic links of its existing prefix are followed
// (dangling links are followed to where they point). Otherwise the call
// fails before any byte is read or written with a *ConfinementError:
//
//	permission denied: /etc/passwd is outside the job's allowed local roots (waggle.jobs.local.roots)
//
// which wraps fs.ErrPermission. S3 paths are not affected; an unset key
// means no confinement (CLI use); a key set to nothing is an error. Code that
// reads local files itself calls CheckLocal first.
//
// Time of check to time of use: the check looks at the file system as it is.
// Content operations (Open, Create, Delete, Rename, MkdirAll and what Copy
// and Localize do with them) then run through an os.Root opened on the
// matching root, so a path component swapped for a symbolic link after the
// check still cannot lead them outside the root (os.Root refuses it). Stat,
// List, ListFiles and walks use plain paths after the check: a swap in that
// window can reveal the metadata (existence, size, time) of an outside
// file, never its content. Paths returned by Localize and CheckLocal are
// used by the caller (DuckDB, `source`) after the check, with the same
// window. Roots are resolved once, when the Storage is created.
package storage
