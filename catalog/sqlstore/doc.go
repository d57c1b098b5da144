// Package sqlstore implements catalog.Catalog on a relational database laid
// out like the Hive 3.1 metastore schema (CTLGS, DBS, TBLS, SDS, COLUMNS_V2,
// PARTITIONS, FUNCS, SEQUENCE_TABLE, VERSION, ...), so users can inspect it
// with `select NAME from DBS` as they do a Java HMS database.
//
// It owns that schema: the versioned migrations that create and upgrade it,
// id allocation through SEQUENCE_TABLE (DataNucleus' way, so a Java HMS could
// share the database), and all SQL against it. SQLite (modernc.org/sqlite,
// driver "sqlite") is implemented; dialect differences (identifier quoting,
// placeholders, DDL types, row locking, catalog introspection) sit in the
// dialect struct so MySQL/MariaDB and PostgreSQL (quoted upper-case names,
// as Hive's Postgres scripts) can be added without touching the queries.
//
// Queries are written with standard double-quoted upper-case identifiers and
// '?' placeholders; the dialect rewrites them.
//
// It must not import the engine, translator, HiveQL parser or DuckDB, and it
// never touches table data. Temporary tables are not stored here: the session
// keeps them. There is no package-level mutable state.
package sqlstore
