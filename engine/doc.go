// Package engine runs HiveQL statements with Hive semantics on an embedded DuckDB. A Session executes a
// script statement by statement, the way `hive -f` does: variable substitution (package script) just
// before each statement is parsed (hiveql/parser), then DDL against the catalog with Hive's storage side
// effects, queries and DML translated to DuckDB SQL (package translate) and run on the session's DuckDB
// connection, table files read and written through package storage in the table's format
// (engine/tableformat), results printed in Hive CLI form (package output), and one Record per statement
// (text, position, status, duration, rows, bytes, error) handed to the caller.
//
// Writes are staged: an INSERT writes its files under a staging directory next to the target, and only
// when every file is complete are old files (for OVERWRITE) moved aside, the new ones moved in and the
// catalog updated; a failure at any step before that leaves the previous data untouched.
//
// The engine owns statement semantics. It does not parse (hiveql), translate queries (translate), store
// metadata (catalog) or know object-store protocols (storage); the job server never links it (jobs run
// `waggle run` in a child process).
package engine
