package functions

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/hiveql/types"
	"github.com/waggle-dev/waggle/output"
)

// openConn opens an in-memory DuckDB connection with the UDFs registered, as the engine does.
func openConn(tb testing.TB) *sql.Conn {
	tb.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	if err := RegisterUDFs(context.Background(), conn); err != nil {
		tb.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "SET TimeZone='UTC'"); err != nil {
		tb.Fatal(err)
	}
	return conn
}

func mustType(tb testing.TB, s string) *types.Type {
	tb.Helper()
	t, err := types.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// Argument constructors: literals as the translator hands them over.
func s(v string) Arg { return Arg{SQL: duckdbsql.String(v), Type: tString, Const: v, IsConst: true} }
func i(v int64) Arg {
	return Arg{SQL: strconv.FormatInt(v, 10), Type: tInt, Const: v, IsConst: true}
}
func l(v int64) Arg {
	return Arg{SQL: "CAST(" + strconv.FormatInt(v, 10) + " AS BIGINT)", Type: tBigInt, Const: v, IsConst: true}
}
func d(v float64) Arg {
	return Arg{SQL: "CAST(" + strconv.FormatFloat(v, 'g', -1, 64) + " AS DOUBLE)", Type: tDouble, Const: v, IsConst: true}
}
func b(v bool) Arg {
	return Arg{SQL: strconv.FormatBool(v), Type: tBool, Const: v, IsConst: true}
}
func null() Arg { return Arg{SQL: "NULL", Type: tVoid, IsConst: true} }

// x is an arbitrary typed SQL expression ("[1,2]", "array<int>").
func x(tb testing.TB, sqlText, typ string) Arg {
	t := mustType(tb, typ)
	return Arg{SQL: "CAST(" + sqlText + " AS " + duckdbsql.Type(t) + ")", Type: t}
}

func query(tb testing.TB, conn *sql.Conn, q string) ([][]any, error) {
	tb.Helper()
	rows, err := conn.QueryContext(context.Background(), q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for k := range vals {
			ptrs[k] = &vals[k]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// eval builds a scalar/aggregate/window call and runs it; FROM is optional (`FROM (VALUES ...) t(a)`).
func eval(tb testing.TB, conn *sql.Conn, r *Registry, c *Call, from string) (string, error) {
	tb.Helper()
	f, ok := r.Lookup(c.Name)
	if !ok {
		return "", fmt.Errorf("no function %s", c.Name)
	}
	res, err := f.Build(c)
	if err != nil {
		return "", err
	}
	rows, err := query(tb, conn, "SELECT "+res.SQL+" "+from)
	if err != nil {
		return "", fmt.Errorf("%s: %w", res.SQL, err)
	}
	var lines []string
	for _, row := range rows {
		lines = append(lines, output.FormatValue(row[0], res.Type))
	}
	return strings.Join(lines, "\n"), nil
}

// evalTable builds a UDTF call and prints its rows (tab-separated columns, one line per row).
func evalTable(tb testing.TB, conn *sql.Conn, r *Registry, c *Call) (string, []Column, error) {
	tb.Helper()
	f, ok := r.Lookup(c.Name)
	if !ok || f.Kind != Table {
		return "", nil, fmt.Errorf("no table function %s", c.Name)
	}
	res, err := f.BuildTable(c)
	if err != nil {
		return "", nil, err
	}
	rows, err := query(tb, conn, res.SQL)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", res.SQL, err)
	}
	var ts []*types.Type
	for _, col := range res.Columns {
		ts = append(ts, col.Type)
	}
	var lines []string
	for _, row := range rows {
		lines = append(lines, output.FormatRow(row, ts))
	}
	return strings.Join(lines, "\n"), res.Columns, nil
}

type scalarCase struct {
	name string
	fn   string
	args []Arg
	want string // "ERROR" when Build or the query must fail
}

func runScalarCases(t *testing.T, cases []scalarCase) {
	t.Helper()
	conn := openConn(t)
	r := New()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := eval(t, conn, r, &Call{Name: tc.fn, Args: tc.args}, "")
			if err != nil {
				if tc.want == "ERROR" {
					return
				}
				t.Fatalf("%s: %v", tc.fn, err)
			}
			if got != tc.want {
				t.Errorf("%s(...) = %q, want %q", tc.fn, got, tc.want)
			}
		})
	}
}
