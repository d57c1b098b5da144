// Package output is Waggle's one result formatter: it turns the values a query returns into the exact text
// the Hive CLI prints — one line per row, cells separated by TAB, `NULL` for NULL, DOUBLE as Java's
// Double.toString, DECIMAL with its scale, CHAR padded, complex values JSON-like (`[1,2]`, `{"k":1}`,
// `{"a":1,"b":"x"}`, `{0:v}` for a union) — plus the CLI's `Time taken: … seconds, Fetched: N row(s)` line.
//
// It owns: FormatValue / AppendValue (one cell), FormatRow / AppendRow (one line), Writer (a result set),
// FormatTimeTaken, and the Java number formatting FormatDouble / FormatFloat.
//
// It must not touch anything else. It imports only hiveql/types (the column types) and duckdb-go's value
// types (duckdb.Decimal, duckdb.Interval, duckdb.OrderedMap, duckdb.Map, duckdb.Union); it never opens a
// database or runs SQL (its tests do, to get values exactly as the engine scans them). It has no
// package-level mutable state, so it is safe for concurrent use; a Writer is not.
//
// # Input values
//
// A value is whatever database/sql's Scan into `any` yields from duckdb-go v2 (checked by
// TestDuckDBScanTypes): nil, bool, int8…int64, uint8…uint64, *big.Int (HUGEINT), float32, float64,
// duckdb.Decimal, string (VARCHAR and CHAR — DuckDB does not pad), []byte (BLOB), time.Time (DATE, TIMESTAMP,
// in UTC), duckdb.Interval, []any (LIST/ARRAY), map[string]any (STRUCT), duckdb.OrderedMap (MAP, in order),
// duckdb.Union (UNION). The Hive type of the column decides the text; when a value's Go type does not fit
// the Hive type (or the type is nil) the value is printed by its own Go type instead of failing.
//
// # Decisions
//
//   - MAP order: duckdb-go delivers a MAP as duckdb.OrderedMap in DuckDB's entry order, which is what Hive
//     prints, so no wrapping is needed. A MAP delivered as `[]any` of `map[string]any{"key":k,"value":v}`
//     (what `map_entries(m)` yields) is printed in that order too; a legacy duckdb.Map (a Go map, no order)
//     is printed sorted by the key's text, for determinism.
//   - STRUCT: fields print in the order of the Hive type, names lower-case (Hive's object inspectors lower
//     them) and not escaped, as Hive does. A field missing from the value prints `null`. A STRUCT may also be
//     delivered positionally as `[]any`.
//   - UNIONTYPE: duckdb.Union carries a member name, not an index. The tag printed is the number the member
//     name ends with (`0`, `t0`, `tag_1` → 0, 0, 1), so the engine must name UNION members that way.
//   - Inside complex values (Hive's SerDeUtils JSON): STRING/CHAR/VARCHAR/DATE/TIMESTAMP are double-quoted
//     with Hive's escaping (`\"`, `\\`, `\b \f \n \r \t`, other control characters `\u00XX`); NULL is
//     `null`; BINARY is its raw bytes, unquoted (as Hive does); intervals unquoted; DECIMAL is plain with
//     trailing fractional zeros removed (`[1,2.5]` for array<decimal(3,1)> — Hive's HiveDecimal.toString, see
//     udf_sort_array.q.out), while a top-level DECIMAL keeps exactly its scale (`123.00`).
//   - Top-level strings, CHAR and BINARY are printed raw: a value containing TAB or newline is not escaped,
//     exactly like the Hive CLI.
//   - INTERVAL: DuckDB intervals have microsecond resolution, so the last three of Hive's nine fraction digits
//     are always 0. For INTERVAL_DAY_TIME a month counts as 30 days and a day as 24 hours (DuckDB's own
//     normalisation); for INTERVAL_YEAR_MONTH only the months are used.
//   - TIMESTAMP/DATE print the wall clock of the time.Time as given (no zone conversion); the year is printed
//     as Java's `yyyy` does (at least 4 digits, year-of-era for years ≤ 0).
package output
