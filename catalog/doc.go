// Package catalog owns Waggle's metastore domain model — databases, tables,
// storage descriptors, partitions and functions, shaped like the Hive
// Metastore (HMS) Thrift objects — the narrow Catalog interface every
// metastore backend implements, the error kinds callers branch on, and the
// Hive naming helpers (partition names with Hive's path escaping, name
// patterns).
//
// Implementations live in sub-packages: catalog/sqlstore (the Hive metastore
// schema on SQLite, later MySQL/MariaDB and PostgreSQL); a Thrift HMS server
// and client will consume and implement the same interface.
//
// This package must not import the engine, the translator, the HiveQL parser
// or DuckDB, and it touches no storage: creating, moving or deleting table
// data is the caller's job. It has no package-level mutable state.
//
// Temporary tables (CREATE TEMPORARY TABLE) are never stored in a catalog;
// the session that created them keeps them. Implementations reject a Table
// with Temporary set.
package catalog
