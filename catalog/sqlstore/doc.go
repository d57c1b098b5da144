// Package sqlstore implements catalog.Catalog on a relational database laid
// out like the Hive 3.1 metastore schema (CTLGS, DBS, TBLS, SDS, COLUMNS_V2,
// PARTITIONS, FUNCS, SEQUENCE_TABLE, VERSION, ...), so users can inspect it
// with `select NAME from DBS` as they do a Java HMS database.
//
// It owns that schema: the versioned migrations that create and upgrade it,
// id allocation through SEQUENCE_TABLE (DataNucleus' way, so a Java HMS could
// share the database), and all SQL against it. Three databases are
// supported: SQLite (modernc.org/sqlite), MySQL/MariaDB
// (github.com/go-sql-driver/mysql; InnoDB, utf8mb4 with binary collation,
// BIT(1) booleans, MEDIUMTEXT) and PostgreSQL (pgx's database/sql driver;
// Hive's quoted upper-case names). Dialect differences (identifier quoting,
// placeholders, DDL types, row locking, catalog introspection) sit in the
// dialect struct; the queries are shared.
//
// Sharing: ids are allocated from SEQUENCE_TABLE rows read with SELECT ...
// FOR UPDATE in the writing transaction, so several Waggle servers and a
// Java HMS can use one database; transactions hit by deadlocks or
// serialization failures are retried with backoff. Schema changes are
// serialized by a lock (PostgreSQL advisory lock, MySQL GET_LOCK, SQLite's
// write lock) and every migration step is idempotent, because MySQL commits
// DDL implicitly.
//
// Schema policy: Open creates the schema in an empty database and refuses
// an older one unless Options.AutoUpgrade (waggle.metastore.autoupgrade;
// always on for SQLite files via OpenURL); Init, Upgrade and Info are the
// schematool (`waggle metastore init|upgrade|info`). A schema of an unknown
// Hive version or a newer Waggle migration is never touched.
//
// Queries are written with standard double-quoted upper-case identifiers and
// '?' placeholders; the dialect rewrites them.
//
// It must not import the engine, translator, HiveQL parser or DuckDB, and it
// never touches table data. Temporary tables are not stored here: the session
// keeps them. There is no package-level mutable state.
package sqlstore
