package tableformat

import (
	"fmt"
	"strings"

	"github.com/waggle-dev/waggle/hiveql/types"
)

// DuckDBType returns the DuckDB type that holds values of Hive type t: INT→INTEGER, FLOAT→REAL,
// STRING/CHAR/VARCHAR→VARCHAR, BINARY→BLOB, ARRAY→LIST, MAP→MAP, STRUCT→STRUCT, UNIONTYPE→UNION,
// the interval types→INTERVAL and VOID (a NULL-only column)→INTEGER.
func DuckDBType(t *types.Type) string {
	if t == nil {
		return "VARCHAR"
	}
	switch t.Kind {
	case types.Void:
		return "INTEGER"
	case types.Boolean:
		return "BOOLEAN"
	case types.TinyInt:
		return "TINYINT"
	case types.SmallInt:
		return "SMALLINT"
	case types.Int:
		return "INTEGER"
	case types.BigInt:
		return "BIGINT"
	case types.Decimal:
		return fmt.Sprintf("DECIMAL(%d,%d)", t.Precision, t.Scale)
	case types.Float:
		return "REAL"
	case types.Double:
		return "DOUBLE"
	case types.String, types.Char, types.Varchar:
		return "VARCHAR"
	case types.Date:
		return "DATE"
	case types.Timestamp:
		return "TIMESTAMP"
	case types.Binary:
		return "BLOB"
	case types.IntervalYearMonth, types.IntervalDayTime:
		return "INTERVAL"
	case types.Array:
		return DuckDBType(t.Elem) + "[]"
	case types.Map:
		return "MAP(" + DuckDBType(t.Key) + ", " + DuckDBType(t.Value) + ")"
	case types.Struct:
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = quoteIdent(f.Name) + " " + DuckDBType(f.Type)
		}
		return "STRUCT(" + strings.Join(parts, ", ") + ")"
	case types.Union:
		parts := make([]string, len(t.Alts))
		for i, a := range t.Alts {
			parts[i] = fmt.Sprintf("tag%d %s", i, DuckDBType(a))
		}
		return "UNION(" + strings.Join(parts, ", ") + ")"
	}
	return "VARCHAR"
}

// quoteIdent quotes a DuckDB identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteString returns a DuckDB string literal. Control characters are written as they are; DuckDB keeps
// the bytes of a standard string literal unchanged.
func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// quoteList returns a DuckDB list literal of strings.
func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quoteString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// colName is the name a data column gets in the SQL: Hive column names are case-insensitive and lower case.
func colName(c Column) string { return strings.ToLower(c.Name) }

func checkColumns(spec Spec) error {
	if len(spec.Columns) == 0 {
		return fmt.Errorf("table has no data columns")
	}
	seen := map[string]bool{}
	for _, c := range spec.Columns {
		if c.Type == nil {
			return fmt.Errorf("column %s has no type", c.Name)
		}
		n := colName(c)
		if seen[n] {
			return fmt.Errorf("duplicate column name %s", n)
		}
		seen[n] = true
	}
	return nil
}
