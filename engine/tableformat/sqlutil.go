package tableformat

import (
	"fmt"
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
)

// quoteList returns a DuckDB list literal of strings.
func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = duckdbsql.String(s)
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
