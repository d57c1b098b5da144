package output

import (
	"bytes"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/waggle-dev/waggle/hiveql/types"
)

// queryRows runs q and returns its rows as duckdb-go scans them into `any`.
func queryRows(tb testing.TB, db *sql.DB, q string) [][]any {
	tb.Helper()
	rows, err := db.Query(q)
	if err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			tb.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func typeList(tb testing.TB, ss ...string) []*types.Type {
	ts := make([]*types.Type, len(ss))
	for i, s := range ss {
		ts[i] = mustType(tb, s)
	}
	return ts
}

func TestFormatRowJoinsCellsWithTab(t *testing.T) {
	db := openDB(t)
	tests := []struct {
		name  string
		sql   string
		types []string
		want  string
	}{
		{"cells TAB-separated", "SELECT 1, 'a', 1.5::DOUBLE", []string{"int", "string", "double"}, "1\ta\t1.5"},
		{"NULL and empty string differ", "SELECT NULL::VARCHAR, ''", []string{"string", "string"}, "NULL\t"},
		{"complex cell in a row", "SELECT 238, ['a','b'], MAP {'k': 1}", []string{"int", "array<string>", "map<string,int>"}, "238\t[\"a\",\"b\"]\t{\"k\":1}"},
		{"missing types print by value", "SELECT 1, true", []string{"int"}, "1\ttrue"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows := queryRows(t, db, tc.sql)
			if got := FormatRow(rows[0], typeList(t, tc.types...)); got != tc.want {
				t.Fatalf("FormatRow = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWriterPrintsRowsLikeHiveCLI(t *testing.T) {
	db := openDB(t)
	rows := queryRows(t, db, "SELECT * FROM (VALUES (238, 'val_238'), (86, NULL)) t(key, value)")
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no header by default", Options{}, "238\tval_238\n86\tNULL\n"},
		{"header with hive.cli.print.header", Options{PrintHeader: true}, "key\tvalue\n238\tval_238\n86\tNULL\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf, tc.opts)
			w.SetTypes(typeList(t, "int", "string"))
			if err := w.WriteHeader([]string{"key", "value"}); err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if err := w.WriteRow(r); err != nil {
					t.Fatal(err)
				}
			}
			if buf.Len() != 0 {
				t.Errorf("output written before Flush: %q", buf.String())
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tc.want {
				t.Fatalf("output = %q, want %q", got, tc.want)
			}
			if w.Rows() != 2 {
				t.Fatalf("Rows() = %d, want 2", w.Rows())
			}
		})
	}
}

func TestWriterRules(t *testing.T) {
	t.Run("types from Options", func(t *testing.T) {
		var buf bytes.Buffer
		w := NewWriter(&buf, Options{Types: typeList(t, "char(3)")})
		if err := w.WriteRow([]any{"a"}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		if buf.String() != "a  \n" {
			t.Fatalf("output = %q, want %q", buf.String(), "a  \n")
		}
	})
	t.Run("row with wrong number of values is an error", func(t *testing.T) {
		w := NewWriter(&bytes.Buffer{}, Options{Types: typeList(t, "int", "int")})
		if err := w.WriteRow([]any{int32(1)}); err == nil {
			t.Fatal("WriteRow with 1 value for 2 columns: no error")
		}
		if w.Rows() != 0 {
			t.Fatalf("Rows() = %d after a rejected row, want 0", w.Rows())
		}
	})
	t.Run("SetTypes starts a new result set", func(t *testing.T) {
		var buf bytes.Buffer
		w := NewWriter(&buf, Options{})
		w.SetTypes(typeList(t, "int"))
		w.WriteRow([]any{int32(1)})
		w.SetTypes(typeList(t, "double"))
		if w.Rows() != 0 {
			t.Fatalf("Rows() = %d after SetTypes, want 0", w.Rows())
		}
		w.WriteRow([]any{float64(1)})
		w.Flush()
		if buf.String() != "1\n1.0\n" {
			t.Fatalf("output = %q", buf.String())
		}
	})
	t.Run("header not printed without PrintHeader", func(t *testing.T) {
		var buf bytes.Buffer
		w := NewWriter(&buf, Options{})
		w.WriteHeader([]string{"a"})
		w.Flush()
		if buf.Len() != 0 {
			t.Fatalf("output = %q, want nothing", buf.String())
		}
	})
}

func TestFormatTimeTaken(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
		rows int64
		want string
	}{
		{"query with rows", 1234 * time.Millisecond, 2, "Time taken: 1.234 seconds, Fetched: 2 row(s)"},
		{"seconds printed as a Java double", 500 * time.Millisecond, 1, "Time taken: 0.5 seconds, Fetched: 1 row(s)"},
		{"whole seconds keep .0", 12 * time.Second, 1, "Time taken: 12.0 seconds, Fetched: 1 row(s)"},
		{"sub-millisecond truncated", 123*time.Millisecond + 999*time.Microsecond, 10, "Time taken: 0.123 seconds, Fetched: 10 row(s)"},
		{"no rows: no Fetched part", 123 * time.Millisecond, 0, "Time taken: 0.123 seconds"},
		{"non-query statement", 50 * time.Millisecond, -1, "Time taken: 0.05 seconds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatTimeTaken(tc.d, tc.rows); got != tc.want {
				t.Fatalf("FormatTimeTaken(%v, %d) = %q, want %q", tc.d, tc.rows, got, tc.want)
			}
		})
	}
}

// BenchmarkWriter formats 1M rows of (int, string, double) as scanned from DuckDB and reports rows/s.
func BenchmarkWriter(b *testing.B) {
	db := openDB(b)
	const n = 1_000_000
	// Scan a sample of real values once; cycle through them so the benchmark measures formatting only.
	sample := queryRows(b, db, "SELECT i::INTEGER, 'val_' || i, i / 7.0 FROM range(1000) t(i)")
	ts := typeList(b, "int", "string", "double")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := NewWriter(discard{}, Options{Types: ts})
		for i := range n {
			if err := w.WriteRow(sample[i%len(sample)]); err != nil {
				b.Fatal(err)
			}
		}
		w.Flush()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func ExampleFormatRow() {
	ts := []*types.Type{types.Prim(types.Int), types.ArrayOf(types.Prim(types.String)), types.Prim(types.Double)}
	fmt.Println(strings.ReplaceAll(FormatRow([]any{int32(1), []any{"a", nil}, 1e10}, ts), "\t", " | "))
	// Output: 1 | ["a",null] | 1.0E10
}
