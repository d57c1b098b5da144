package tableformat

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/waggle-dev/waggle/duckdbsql"
	"os"
	"strings"
)

// Querier runs a query; *sql.DB and *sql.Conn implement it.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ReadSQL returns a DuckDB SELECT (usable as a subquery) that yields the table's data columns, named as in
// spec (lower case), typed duckdbsql.Type(column type), reading the local files in the given order with rows in
// file order. Text files are scanned once in Go (to pick a reading strategy) and Parquet schemas are probed
// through q, so the SQL is valid for the files as they are now. An empty file list gives a zero-row SELECT.
// OpenCSVSerde tables yield VARCHAR for every column, as Hive reads them as STRING.
func ReadSQL(ctx context.Context, q Querier, spec Spec, files []string) (string, error) {
	if err := checkColumns(spec); err != nil {
		return "", err
	}
	if !spec.Format.Supported() {
		return "", &UnsupportedFormatError{Format: spec.Format.String()}
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if len(files) == 0 {
		if spec.Format == CSV {
			return emptySelect(stringColumns(spec.Columns)), nil
		}
		return emptySelect(spec.Columns), nil
	}
	switch spec.Format {
	case Text:
		return textReadSQL(spec, files)
	case Parquet:
		return parquetReadSQL(ctx, q, spec, nonEmpty(files))
	case JSON:
		return jsonReadSQL(spec, nonEmpty(files))
	case CSV:
		return csvReadSQL(spec, nonEmpty(files))
	}
	return "", &UnsupportedFormatError{Format: spec.Format.String()}
}

// nonEmpty drops zero-byte files (Hive writes them for empty buckets; they are not valid Parquet).
// Files that cannot be stat'ed are kept so that DuckDB reports the error.
func nonEmpty(files []string) []string {
	var out []string
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Size() == 0 {
			continue
		}
		out = append(out, f)
	}
	return out
}

// WriteSQL returns a DuckDB COPY statement that writes the rows of query (a SELECT yielding the table's
// data columns in order, of their DuckDB types) to outFile in the table's format. Text output needs the
// functions of RegisterFunctions on the connection that runs it.
func WriteSQL(spec Spec, query string, outFile string) (string, error) {
	if err := checkColumns(spec); err != nil {
		return "", err
	}
	switch spec.Format {
	case Text:
		return textWriteSQL(spec, query, outFile)
	case Parquet:
		return fmt.Sprintf("COPY (SELECT * FROM (%s) AS q(%s)) TO %s (FORMAT parquet)",
			query, aliasList(spec.Columns), duckdbsql.String(outFile)), nil
	case JSON:
		return fmt.Sprintf("COPY (SELECT * FROM (%s) AS q(%s)) TO %s (FORMAT json)",
			query, aliasList(spec.Columns), duckdbsql.String(outFile)), nil
	case CSV:
		return csvWriteSQL(spec, query, outFile)
	}
	return "", &UnsupportedFormatError{Format: spec.Format.String()}
}

func parquetReadSQL(ctx context.Context, q Querier, spec Spec, files []string) (string, error) {
	if len(files) == 0 {
		return emptySelect(spec.Columns), nil
	}
	src := fmt.Sprintf("read_parquet(%s, union_by_name=true)", quoteList(files))
	have, err := spec.Facts.parquetColumns(files, func() (map[string]string, error) { return probeParquet(ctx, q, src) })
	if err != nil {
		return "", err
	}
	items := make([]string, len(spec.Columns))
	for i, c := range spec.Columns {
		src := "NULL"
		if name, ok := have[colName(c)]; ok {
			src = duckdbsql.Ident(name)
		}
		items[i] = fmt.Sprintf("CAST(%s AS %s) AS %s", src, duckdbsql.Type(c.Type), duckdbsql.Ident(colName(c)))
	}
	return fmt.Sprintf("SELECT %s FROM %s", strings.Join(items, ", "), src), nil
}

// probeParquet reads the files' column names: lower-case name → name as written in the files.
func probeParquet(ctx context.Context, q Querier, src string) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, "DESCRIBE SELECT * FROM "+src)
	if err != nil {
		return nil, fmt.Errorf("reading Parquet schema: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	have := map[string]string{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		name, _ := vals[0].(string)
		if _, dup := have[strings.ToLower(name)]; !dup {
			have[strings.ToLower(name)] = name
		}
	}
	return have, rows.Err()
}

// jsonReadSQL reads one JSON object per line; keys match columns case-insensitively (an exact lower-case
// key wins), missing keys and JSON nulls are NULL, values that do not convert are NULL.
func jsonReadSQL(spec Spec, files []string) (string, error) {
	if len(files) == 0 {
		return emptySelect(spec.Columns), nil
	}
	items := make([]string, len(spec.Columns))
	for i, c := range spec.Columns {
		name := colName(c)
		v := fmt.Sprintf("coalesce(json -> %[1]s, json -> ('$.\"' || list_filter(json_keys(json), lambda k: lower(k) = %[2]s)[1] || '\"'))",
			duckdbsql.String(`$."`+strings.ReplaceAll(name, `"`, `\"`)+`"`), duckdbsql.String(name))
		var e string
		switch {
		case c.Type.IsComplex():
			e = fmt.Sprintf("TRY_CAST(%s AS %s)", v, duckdbsql.Type(c.Type))
		case c.Type.IsString():
			e = fmt.Sprintf("(%s ->> '$')", v)
		default:
			e = fmt.Sprintf("TRY_CAST(%s ->> '$' AS %s)", v, duckdbsql.Type(c.Type))
		}
		items[i] = fmt.Sprintf("CAST(%s AS %s) AS %s", e, duckdbsql.Type(c.Type), duckdbsql.Ident(name))
	}
	return fmt.Sprintf("SELECT %s FROM read_json_objects(%s, format='newline_delimited') AS r(json)",
		strings.Join(items, ", "), quoteList(files)), nil
}
