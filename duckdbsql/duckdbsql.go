// Package duckdbsql holds the small facts of DuckDB's SQL dialect that every SQL-generating package needs:
// how Hive types are spelled as DuckDB types, how identifiers and string literals are quoted. One place,
// so the translator, the function registry and the table formats agree.
//
// It generates text only; it never runs SQL and imports nothing of Waggle's but hiveql/types.
package duckdbsql

import (
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/hiveql/types"
)

// Type returns the DuckDB type used to hold values of the Hive type t: TINYINT..BIGINT, FLOAT→FLOAT
// (REAL), DOUBLE, DECIMAL(p,s), STRING/VARCHAR/CHAR→VARCHAR (lengths are Hive semantics the translator
// applies; DuckDB ignores them), BOOLEAN, DATE, TIMESTAMP (zone-less, like Hive), BINARY→BLOB,
// INTERVAL→INTERVAL, ARRAY→T[], MAP→MAP(K, V), STRUCT→STRUCT(...), UNIONTYPE→UNION(...), void→INTEGER
// (DuckDB's NULL literal type is fine anywhere an INTEGER is).
func Type(t *types.Type) string {
	var b strings.Builder
	writeType(&b, t)
	return b.String()
}

func writeType(b *strings.Builder, t *types.Type) {
	switch t.Kind {
	case types.Void:
		b.WriteString("INTEGER")
	case types.Boolean:
		b.WriteString("BOOLEAN")
	case types.TinyInt:
		b.WriteString("TINYINT")
	case types.SmallInt:
		b.WriteString("SMALLINT")
	case types.Int:
		b.WriteString("INTEGER")
	case types.BigInt:
		b.WriteString("BIGINT")
	case types.Float:
		b.WriteString("FLOAT")
	case types.Double:
		b.WriteString("DOUBLE")
	case types.Decimal:
		b.WriteString("DECIMAL(")
		b.WriteString(strconv.Itoa(t.Precision))
		b.WriteByte(',')
		b.WriteString(strconv.Itoa(t.Scale))
		b.WriteByte(')')
	case types.String, types.Char, types.Varchar:
		b.WriteString("VARCHAR")
	case types.Date:
		b.WriteString("DATE")
	case types.Timestamp:
		b.WriteString("TIMESTAMP")
	case types.Binary:
		b.WriteString("BLOB")
	case types.IntervalYearMonth, types.IntervalDayTime:
		b.WriteString("INTERVAL")
	case types.Array:
		writeType(b, t.Elem)
		b.WriteString("[]")
	case types.Map:
		b.WriteString("MAP(")
		writeType(b, t.Key)
		b.WriteString(", ")
		writeType(b, t.Value)
		b.WriteByte(')')
	case types.Struct:
		b.WriteString("STRUCT(")
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(Ident(strings.ToLower(f.Name)))
			b.WriteByte(' ')
			writeType(b, f.Type)
		}
		b.WriteByte(')')
	case types.Union:
		b.WriteString("UNION(")
		for i, a := range t.Alts {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("t")
			b.WriteString(strconv.Itoa(i))
			b.WriteByte(' ')
			writeType(b, a)
		}
		b.WriteByte(')')
	default:
		b.WriteString("VARCHAR")
	}
}

// Ident quotes an identifier for DuckDB: always double-quoted, embedded quotes doubled. DuckDB
// identifiers are case-insensitive even when quoted, as Hive's are.
func Ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// String quotes s as a DuckDB string literal ('...' with embedded quotes doubled; no backslash escapes
// in DuckDB's standard strings). Control characters are kept as they are: DuckDB accepts them in literals.
func String(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
