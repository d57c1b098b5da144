package translate

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/functions"
	"github.com/waggle-dev/waggle/hiveql/parser"
	"github.com/waggle-dev/waggle/hiveql/types"
	"github.com/waggle-dev/waggle/output"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// testTables are created in DuckDB for every test database; the resolver serves them.
var testTables = []struct {
	name   string
	cols   string // Hive columns
	parts  string // Hive partition columns
	create string // DuckDB DDL + data
}{
	{"src", "key string, value string", "", `CREATE TABLE src AS SELECT * FROM (VALUES ('238','val_238'), ('86','val_86'), ('311','val_311'), ('27','val_27'), ('165','val_165'), ('86','val_86b'), (NULL,'val_null')) v(key, value)`},
	{"t1", "key string, val string", "", `CREATE TABLE t1 AS SELECT * FROM (VALUES ('1','11'), ('2','12'), ('3','13'), ('7','17'), ('8','18'), ('8','28')) v(key, val)`},
	{"nums", "a int, b int, d double, big bigint, s string", "", `CREATE TABLE nums AS SELECT a::INTEGER AS a, b::INTEGER AS b, d::DOUBLE AS d, big::BIGINT AS big, s FROM (VALUES (7, 2, 1.5, 9223372036854775807, '10'), (-7, 0, 0.0, 1, 'abc'), (NULL, 3, NULL, NULL, NULL)) v(a, b, d, big, s)`},
	{"arrs", "id int, arr array<int>, m map<string,int>, st struct<a:int,b:string>", "", `CREATE TABLE arrs AS SELECT id::INTEGER AS id, arr::INTEGER[] AS arr, m::MAP(VARCHAR, INTEGER) AS m, st::STRUCT(a INTEGER, b VARCHAR) AS st FROM (VALUES (1, [1, 2], MAP {'x': 1}, {'a': 1, 'b': 'p'}), (2, [], MAP {}, {'a': 2, 'b': 'q'}), (3, NULL, NULL, NULL)) v(id, arr, m, st)`},
	{"part", "key int, value string", "ds string", `CREATE TABLE part AS SELECT key::INTEGER AS key, value, ds FROM (VALUES (1, 'a', '1'), (2, 'b', '1'), (3, 'c', '2')) v(key, value, ds)`},
	{"nul", "a int, b string", "", `CREATE TABLE nul AS SELECT a::INTEGER AS a, b FROM (VALUES (1, 'A'), (NULL, NULL), (3, NULL), (2, NULL), (2, 'A'), (2, 'B')) v(a, b)`},
}

type testResolver struct {
	tables  map[string]*Table
	filters map[string]string   // last partition filter per table
	columns map[string][]string // last projection per table
}

func (r *testResolver) ResolveTable(ctx context.Context, db, name string) (*Table, error) {
	if db != "" && db != "default" {
		return nil, catalog.Errorf(catalog.ErrNotFound, "Database %s not found", db)
	}
	t, ok := r.tables[name]
	if !ok {
		return nil, catalog.Errorf(catalog.ErrNotFound, "Table %s not found", name)
	}
	return t, nil
}

func parseCols(t *testing.T, s string) []Column {
	if s == "" {
		return nil
	}
	var fields []string
	for _, f := range strings.Split(s, ", ") {
		name, typ, _ := strings.Cut(f, " ")
		fields = append(fields, name+":"+typ)
	}
	st, err := types.Parse("struct<" + strings.Join(fields, ",") + ">")
	if err != nil {
		t.Fatalf("bad test columns %q: %v", s, err)
	}
	var cols []Column
	for _, f := range st.Fields {
		cols = append(cols, Column{Name: f.Name, Type: f.Type})
	}
	return cols
}

type fixture struct {
	db       *sql.DB
	env      *Env
	resolver *testResolver
	conf     map[string]string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	registerUDFs(t, db)
	f := &fixture{db: db, resolver: &testResolver{tables: map[string]*Table{}, filters: map[string]string{}, columns: map[string][]string{}}, conf: map[string]string{}}
	for _, tt := range testTables {
		if _, err := db.Exec(tt.create); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		name := tt.name
		f.resolver.tables[name] = &Table{DB: "default", Name: name, Columns: parseCols(t, tt.cols), PartitionColumns: parseCols(t, tt.parts),
			Scan: func(ctx context.Context, req ScanRequest) (string, error) {
				filter := req.PartitionFilter
				f.resolver.filters[name] = filter
				f.resolver.columns[name] = req.Columns
				q := "SELECT * FROM " + duckdbsql.Ident(name)
				if filter != "" {
					q += " WHERE " + filter
				}
				return q, nil
			}}
	}
	f.resolver.tables["v_src"] = &Table{DB: "default", Name: "v_src", Columns: []Column{{Name: "k", Type: types.Prim(types.String)}},
		ViewText: "with q1 as (select key from src where key = '86') select * from q1"}
	f.env = &Env{Tables: f.resolver, Functions: functions.New(), TempFunctions: fakeFunctions(),
		Macros: map[string]*Macro{}, Conf: func(k string) string { return f.conf[k] }}
	return f
}

func (f *fixture) translate(t *testing.T, q string) (*Result, error) {
	t.Helper()
	ast, err := parser.ParseQuery(q)
	if err != nil {
		t.Fatalf("parse %q: %v", q, err)
	}
	return Query(context.Background(), f.env, ast)
}

func (f *fixture) run(t *testing.T, res *Result) []string {
	t.Helper()
	rows, err := f.db.Query(res.SQL)
	if err != nil {
		t.Fatalf("run %s: %v", res.SQL, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals := make([]any, len(res.Columns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = output.FormatValue(v, res.Columns[i].Type)
		}
		out = append(out, strings.Join(cells, "\t"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("run %s: %v", res.SQL, err)
	}
	return out
}

// fakeFunctions stands in for the registry in these tests (bound as temporary functions, which take
// precedence), so the translator's tests do not depend on the registry's progress.
func fakeFunctions() map[string]*functions.Func {
	bigint := types.Prim(types.BigInt)
	join := func(c *functions.Call) string {
		parts := make([]string, len(c.Args))
		for i, a := range c.Args {
			parts[i] = a.SQL
		}
		s := strings.Join(parts, ", ")
		if c.Distinct {
			s = "DISTINCT " + s
		}
		return s
	}
	agg := func(name string, typ func(c *functions.Call) *types.Type) *functions.Func {
		return &functions.Func{Name: name, Kind: functions.Aggregate, Build: func(c *functions.Call) (functions.Result, error) {
			if c.Star {
				return functions.Result{SQL: name + "(*)", Type: typ(c)}, nil
			}
			s := name + "(" + join(c) + ")"
			rt := typ(c)
			if name == "sum" && rt.Kind == types.BigInt {
				s = "CAST(" + s + " AS BIGINT)"
			}
			return functions.Result{SQL: s, Type: rt}, nil
		}}
	}
	argType := func(c *functions.Call) *types.Type { return c.Args[0].Type }
	return map[string]*functions.Func{
		"count": agg("count", func(*functions.Call) *types.Type { return bigint }),
		"sum": agg("sum", func(c *functions.Call) *types.Type {
			if c.Args[0].Type.IsIntegral() {
				return bigint
			}
			return types.Prim(types.Double)
		}),
		"avg": agg("avg", func(*functions.Call) *types.Type { return types.Prim(types.Double) }),
		"max": agg("max", argType),
		"min": agg("min", argType),
		"row_number": {Name: "row_number", Kind: functions.Window, Build: func(c *functions.Call) (functions.Result, error) {
			return functions.Result{SQL: "CAST(row_number() AS INTEGER)", Type: types.Prim(types.Int)}, nil
		}},
		"rank": {Name: "rank", Kind: functions.Window, Build: func(c *functions.Call) (functions.Result, error) {
			return functions.Result{SQL: "CAST(rank() AS INTEGER)", Type: types.Prim(types.Int)}, nil
		}},
		"upper": {Name: "upper", Kind: functions.Scalar, Build: func(c *functions.Call) (functions.Result, error) {
			if len(c.Args) != 1 {
				return functions.Result{}, fmt.Errorf("wrong number of arguments to upper: %d (expected 1)", len(c.Args))
			}
			return functions.Result{SQL: "upper(" + c.Args[0].SQL + ")", Type: types.Prim(types.String)}, nil
		}},
		"array": {Name: "array", Kind: functions.Scalar, Build: func(c *functions.Call) (functions.Result, error) {
			elem := types.Prim(types.String)
			if len(c.Args) > 0 {
				elem = c.Args[0].Type
			}
			return functions.Result{SQL: "list_value(" + join(c) + ")", Type: types.ArrayOf(elem)}, nil
		}},
		"explode": {Name: "explode", Kind: functions.Table, BuildTable: func(c *functions.Call) (functions.TableResult, error) {
			a := c.Args[0]
			if a.Type.Kind == types.Map {
				return functions.TableResult{SQL: "SELECT unnest(map_keys(" + a.SQL + ")) AS key, unnest(map_values(" + a.SQL + ")) AS value",
					Columns: []functions.Column{{Name: "key", Type: a.Type.Key}, {Name: "value", Type: a.Type.Value}}}, nil
			}
			return functions.TableResult{SQL: "SELECT unnest(" + a.SQL + ") AS col", Columns: []functions.Column{{Name: "col", Type: a.Type.Elem}}}, nil
		}},
	}
}

// goldenCases are translated to testdata/golden/NAME.sql and executed.
var goldenCases = []struct{ name, q string }{
	{"select_star", "SELECT * FROM src"},
	{"where_string_eq_number", "SELECT key FROM src WHERE key = 86"},
	{"int_division_is_double", "SELECT a / b, a DIV b, a % b FROM nums"},
	{"int_arith_wraps", "SELECT a + 1, big + 1, a * b FROM nums"},
	{"decimal_literal", "SELECT 2.333, 1.0, 10Y, 10S, 10L, 2147483648, 1e3, 1.5D, 1.5BD"},
	{"group_by_order_by_alias", "SELECT key, count(*) AS c FROM src GROUP BY key ORDER BY c DESC, key LIMIT 3"},
	{"join_left_outer", "SELECT a.key, b.value FROM src a LEFT OUTER JOIN src b ON a.key = b.key AND b.value <> 'val_86'"},
	{"left_semi_join", "SELECT a.key FROM src a LEFT SEMI JOIN t1 b ON a.key = b.key"},
	{"lateral_view_outer", "SELECT id, c FROM arrs LATERAL VIEW OUTER explode(arr) t AS c"},
	{"udtf_in_select", "SELECT id, explode(arr) FROM arrs"},
	{"cube_grouping_id", "SELECT key, val, GROUPING__ID FROM t1 GROUP BY key, val WITH CUBE"},
	{"window_sum", "SELECT key, sum(a) OVER (PARTITION BY key ORDER BY value ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (SELECT key, value, 1 AS a FROM src) s"},
	{"cte_union", "WITH q1 AS (SELECT * FROM src WHERE key = '86'), q2 AS (SELECT * FROM src WHERE key = '27') SELECT * FROM q1 UNION ALL SELECT * FROM q2"},
	{"partition_pruning", "SELECT key FROM part WHERE ds = '1' AND key > 0"},
	{"array_map_struct_access", "SELECT arr[0], arr[5], m['x'], st.a, arrs.st.b FROM arrs"},
	{"like_rlike", "SELECT key FROM src WHERE value LIKE 'val\\_8%' OR value RLIKE '^val_3'"},
	{"order_nulls_default", "SELECT a FROM nul ORDER BY a"},
	{"interval_literals", "SELECT INTERVAL '10-11' YEAR TO MONTH, INTERVAL '10 9:8:7.987654' DAY TO SECOND, DATE '2011-01-01' + INTERVAL '1' DAY"},
	{"view", "SELECT * FROM v_src"},
}

func TestGolden(t *testing.T) {
	f := newFixture(t)
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := f.translate(t, tc.q)
			if err != nil {
				t.Fatalf("translate: %v", err)
			}
			got := "-- " + tc.q + "\n" + res.SQL + "\n"
			path := filepath.Join("testdata", "golden", tc.name+".sql")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update)", err)
				}
				if string(want) != got {
					t.Errorf("SQL differs from %s:\ngot:  %s\nwant: %s", path, got, want)
				}
			}
			f.run(t, res) // the SQL must run
		})
	}
}

func TestExecution(t *testing.T) {
	tests := []struct {
		name    string
		q       string
		conf    map[string]string
		ordered bool
		want    []string
	}{
		{"select star keeps file columns", "SELECT * FROM src WHERE key = '238'", nil, false, []string{"238\tval_238"}},
		{"string compared with number compares as double", "SELECT key FROM src WHERE key = 86.0", nil, false, []string{"86", "86"}},
		{"division by zero is NULL", "SELECT a / b, a % b, a DIV b FROM nums WHERE a = -7", nil, false, []string{"NULL\tNULL\tNULL"}},
		{"int division gives double", "SELECT a / b FROM nums WHERE a = 7", nil, false, []string{"3.5"}},
		{"DIV truncates toward zero", "SELECT -7 DIV 2, 7 DIV 2", nil, false, []string{"-3\t3"}},
		{"bigint overflow wraps like Java", "SELECT big + 1 FROM nums WHERE a = 7", nil, false, []string{"-9223372036854775808"}},
		{"int overflow wraps like Java", "SELECT 2147483647 + a FROM nums WHERE a = 7", nil, false, []string{"-2147483642"}},
		{"decimal literal keeps scale", "SELECT 2.333 + 1", nil, false, []string{"3.333"}},
		{"group by with count and order by alias", "SELECT key, count(*) AS c FROM src GROUP BY key ORDER BY c DESC, key LIMIT 2", nil, true, []string{"86\t2", "NULL\t1"}},
		{"order by a column not selected", "SELECT value FROM src WHERE key IS NOT NULL ORDER BY key LIMIT 2", nil, true, []string{"val_165", "val_238"}},
		{"order by asc puts NULLs first (Hive 3)", "SELECT a FROM nul ORDER BY a", nil, true, []string{"NULL", "1", "2", "2", "2", "3"}},
		{"order by desc puts NULLs last (Hive 3)", "SELECT a FROM nul ORDER BY a DESC", nil, true, []string{"3", "2", "2", "2", "1", "NULL"}},
		{"hive.default.nulls.last puts NULLs last on asc", "SELECT a FROM nul ORDER BY a", map[string]string{"hive.default.nulls.last": "true"}, true, []string{"1", "2", "2", "2", "3", "NULL"}},
		{"explicit nulls first wins", "SELECT a FROM nul ORDER BY a DESC NULLS FIRST", map[string]string{"hive.default.nulls.last": "true"}, true, []string{"NULL", "3", "2", "2", "2", "1"}},
		{"left semi join keeps left rows once", "SELECT a.key FROM src a LEFT SEMI JOIN src b ON a.key = b.key WHERE a.key = '86'", nil, false, []string{"86", "86"}},
		{"left outer join", "SELECT a.key, b.val FROM src a LEFT OUTER JOIN t1 b ON a.key = b.key WHERE a.key = '86'", nil, false, []string{"86\tNULL", "86\tNULL"}},
		{"lateral view outer keeps empty and NULL arrays", "SELECT id, c FROM arrs LATERAL VIEW OUTER explode(arr) t AS c", nil, true, []string{"1\t1", "1\t2", "2\tNULL", "3\tNULL"}},
		{"lateral view drops empty arrays", "SELECT id, c FROM arrs LATERAL VIEW explode(arr) t AS c", nil, true, []string{"1\t1", "1\t2"}},
		{"udtf in select list (Spark semantics)", "SELECT id, explode(arr) AS x FROM arrs", nil, true, []string{"1\t1", "1\t2"}},
		{"explode of a map", "SELECT explode(m) FROM arrs", nil, false, []string{"x\t1"}},
		{"grouping__id with cube", "SELECT key, val, GROUPING__ID FROM t1 WHERE key = '8' GROUP BY key, val WITH CUBE", nil, false,
			[]string{"8\t18\t0", "8\t28\t0", "8\tNULL\t1", "NULL\t18\t2", "NULL\t28\t2", "NULL\tNULL\t3"}},
		{"grouping__id with rollup", "SELECT GROUPING__ID, key, val FROM t1 WHERE key = '8' GROUP BY ROLLUP (key, val)", nil, false,
			[]string{"0\t8\t18", "0\t8\t28", "1\t8\tNULL", "3\tNULL\tNULL"}},
		{"array index is 0-based, out of range NULL", "SELECT arr[0], arr[1], arr[2], arr[-1] FROM arrs WHERE id = 1", nil, false, []string{"1\t2\tNULL\tNULL"}},
		{"map missing key is NULL", "SELECT m['x'], m['nope'] FROM arrs WHERE id = 1", nil, false, []string{"1\tNULL"}},
		{"struct field", "SELECT st.a, arrs.st.b FROM arrs WHERE id = 2", nil, false, []string{"2\tq"}},
		{"cte visible in later cte and body", "WITH a AS (SELECT key FROM src WHERE key = '27'), b AS (SELECT key FROM a) SELECT * FROM b", nil, false, []string{"27"}},
		{"cte shadows a table", "WITH src AS (SELECT 'x' AS key) SELECT key FROM src", nil, false, []string{"x"}},
		{"view has its own ctes", "WITH q1 AS (SELECT 'other' AS key) SELECT * FROM v_src", nil, false, []string{"86", "86"}},
		{"union all with type unification", "SELECT 1 AS x UNION ALL SELECT 2.5 AS x", nil, false, []string{"1.0", "2.5"}},
		{"case with branch unification", "SELECT CASE a WHEN 7 THEN 'seven' ELSE 'other' END FROM nums WHERE a IS NOT NULL", nil, false, []string{"seven", "other"}},
		{"in list", "SELECT key FROM src WHERE key IN ('27', '311')", nil, false, []string{"27", "311"}},
		{"in subquery", "SELECT key FROM src WHERE key IN (SELECT key FROM t1)", nil, false, nil},
		{"exists correlated", "SELECT key FROM src s WHERE EXISTS (SELECT 1 FROM src x WHERE x.key = s.key AND x.value = 'val_86b')", nil, false, []string{"86", "86"}},
		{"scalar subquery", "SELECT (SELECT max(key) FROM t1)", nil, false, []string{"8"}},
		{"between", "SELECT a FROM nul WHERE a BETWEEN 2 AND 3", nil, false, []string{"2", "2", "2", "3"}},
		{"null-safe equality", "SELECT count(*) FROM nul x JOIN nul y ON x.b <=> y.b", nil, false, []string{"14"}},
		{"like with escape", "SELECT value FROM src WHERE value LIKE 'val\\_86%'", nil, false, []string{"val_86", "val_86b"}},
		{"rlike is a partial match", "SELECT value FROM src WHERE value RLIKE '8'", nil, false, []string{"val_238", "val_86", "val_86b"}},
		{"window with frame", "SELECT key, count(*) OVER (PARTITION BY key) FROM src WHERE key = '86'", nil, false, []string{"86\t2", "86\t2"}},
		{"window sum over registry cast", "SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM nul WHERE a IS NOT NULL", nil, false, []string{"1", "3", "5", "7", "10"}},
		{"row_number over", "SELECT key, row_number() OVER (ORDER BY key) AS rn FROM t1 ORDER BY rn LIMIT 2", nil, true, []string{"1\t1", "2\t2"}},
		{"having", "SELECT key FROM src GROUP BY key HAVING count(*) > 1", nil, false, []string{"86"}},
		{"aggregate of window", "SELECT sum(a) + sum(sum(a)) OVER () FROM nul", nil, false, []string{"20"}},
		{"limit offset comma form", "SELECT a FROM nul WHERE a IS NOT NULL ORDER BY a LIMIT 1, 2", nil, true, []string{"2", "2"}},
		{"tablesample rows", "SELECT count(*) FROM src TABLESAMPLE (2 ROWS)", nil, false, []string{"2"}},
		{"select without from", "SELECT 1 + 1, 'a'", nil, false, []string{"2\ta"}},
		{"interval year to month", "SELECT INTERVAL '10-11' YEAR TO MONTH", nil, false, []string{"10-11"}},
		{"date plus interval", "SELECT DATE '2011-01-01' + INTERVAL '1' DAY", nil, false, []string{"2011-01-02 00:00:00"}},
		{"partition pruning reads matching partitions", "SELECT key FROM part WHERE ds = '2'", nil, false, []string{"3"}},
		{"subquery in from with column names", "SELECT x FROM (SELECT key AS x FROM t1 WHERE key = '1') s", nil, false, []string{"1"}},
		{"distinct", "SELECT DISTINCT key FROM src WHERE key = '86'", nil, false, []string{"86"}},
		{"cluster by sorts", "SELECT key FROM t1 CLUSTER BY key", nil, true, []string{"1", "2", "3", "7", "8", "8"}},
		{"order by position", "SELECT key, val FROM t1 ORDER BY 2 DESC LIMIT 1", nil, true, []string{"8\t28"}},
		{"set op with order by and limit", "SELECT key FROM t1 UNION SELECT key FROM t1 ORDER BY key DESC LIMIT 2", nil, true, []string{"8", "7"}},
		{"values", "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) v(x, y)", nil, false, []string{"1\ta", "2\tb"}},
		{"is true", "SELECT count(*) FROM nul WHERE (a > 1) IS TRUE", nil, false, []string{"4"}},
		{"concat operator", "SELECT 'a' || 1", nil, false, []string{"a1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			for k, v := range tc.conf {
				f.conf[k] = v
			}
			res, err := f.translate(t, tc.q)
			if err != nil {
				t.Fatalf("translate %q: %v", tc.q, err)
			}
			got := f.run(t, res)
			want := tc.want
			if !tc.ordered {
				got = slices.Sorted(slices.Values(got))
				want = slices.Sorted(slices.Values(want))
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s\nSQL: %s\ngot  %q\nwant %q", tc.q, res.SQL, got, want)
			}
		})
	}
}

func TestColumnNames(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, q string
		want    []string
	}{
		{"column refs keep names, expressions get _cN by position", "SELECT key, upper(value), value AS v, 1 FROM src", []string{"key", "_c1", "v", "_c3"}},
		{"struct field gets the field name", "SELECT st.a, arrs.st.b FROM arrs", []string{"a", "b"}},
		{"star expands data then partition columns", "SELECT * FROM part", []string{"key", "value", "ds"}},
		{"names are lower case", "SELECT KEY AS Foo FROM src", []string{"foo"}},
		{"udtf aliases", "SELECT explode(m) AS (k, v) FROM arrs", []string{"k", "v"}},
		{"duplicate names are kept", "SELECT key, key FROM src", []string{"key", "key"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := f.translate(t, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range res.Columns {
				got = append(got, c.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			f.run(t, res)
		})
	}
}

func TestTypes(t *testing.T) {
	f := newFixture(t)
	tests := []struct{ expr, want string }{
		{"10", "int"}, {"10Y", "tinyint"}, {"10S", "smallint"}, {"10L", "bigint"}, {"2147483648", "bigint"},
		{"1.5", "decimal(2,1)"}, {"1.50", "decimal(2,1)"}, {"1e3", "double"}, {"1.5D", "double"}, {"1.5BD", "decimal(2,1)"},
		{"'a'", "string"}, {"DATE '2011-01-01'", "date"}, {"1 / 2", "double"}, {"5 DIV 2", "bigint"},
		{"1 + 1L", "bigint"}, {"1Y + 1Y", "tinyint"}, {"1.5 + 1", "decimal(12,1)"}, {"1.5 * 2.25", "decimal(6,3)"},
		{"1.5 / 2.25", "decimal(9,6)"}, {"a + d", "double"}, {"CAST(1 AS FLOAT) + 1", "float"}, {"'1' + 1", "double"},
		{"a = 1", "boolean"}, {"INTERVAL '1' DAY", "interval_day_time"}, {"INTERVAL '1' YEAR", "interval_year_month"},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			res, err := f.translate(t, "SELECT "+tc.expr+" FROM nums")
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Columns[0].Type.String(); got != tc.want {
				t.Errorf("type of %s = %s, want %s", tc.expr, got, tc.want)
			}
			f.run(t, res)
		})
	}
}

func TestErrors(t *testing.T) {
	f := newFixture(t)
	f.env.Macros["twice"] = &Macro{Params: []Column{{Name: "x", Type: types.Prim(types.Int)}}}
	tests := []struct {
		name, q, want string
		pos           int
	}{
		{"unknown column lists the possible names", "SELECT x FROM src", "Invalid table alias or column reference 'x': (possible column names are: key, value)", 7},
		{"unknown table", "SELECT * FROM nosuch", "Table not found 'nosuch'", 14},
		{"unknown qualified table", "SELECT * FROM db2.t", "Table not found 'db2.t'", 14},
		{"unknown function", "SELECT foo(key) FROM src", "Invalid function 'foo'", 7},
		{"column not in group by", "SELECT key, value FROM src GROUP BY key", "Expression not in GROUP BY key 'value'", 12},
		{"aggregate mixed with plain column", "SELECT key, count(*) FROM src", "Expression not in GROUP BY key 'key'", 7},
		{"ambiguous column", "SELECT key FROM src a JOIN src b ON a.key = b.key", "Ambiguous column reference key in a, b", 7},
		{"aggregate in where", "SELECT key FROM src WHERE count(*) > 1", "Not yet supported place for UDAF 'count'", 26},
		{"union column count", "SELECT key FROM src UNION ALL SELECT key, value FROM src", "Schema of both sides of union should match: the left side has 1 columns and the right side has 2", 0},
		{"udtf alias count", "SELECT explode(m) AS (k) FROM arrs", "The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF expected 2 aliases but got 1", 7},
		{"registry error is positioned", "SELECT upper(key, value) FROM src", "wrong number of arguments to upper: 2 (expected 1)", 7},
		{"unknown column in a subquery's outer reference", "SELECT * FROM (SELECT key FROM src) s WHERE s.value = 1", "Invalid column reference 'value'", 46},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.translate(t, tc.q)
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("error = %v, want *Error %q", err, tc.want)
			}
			if te.Msg != tc.want || int(te.Pos) != tc.pos {
				t.Errorf("error = (%d, %q), want (%d, %q)", te.Pos, te.Msg, tc.pos, tc.want)
			}
		})
	}
}

func TestConform(t *testing.T) {
	f := newFixture(t)
	res, err := f.translate(t, "SELECT key, value FROM src WHERE key = '238'")
	if err != nil {
		t.Fatal(err)
	}
	target := []Column{{Name: "k", Type: types.Prim(types.Int)}, {Name: "v", Type: types.Prim(types.String)}}
	sql, err := ConformTable(res, target, "default.dest", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := f.run(t, &Result{SQL: sql, Columns: target})
	if !slices.Equal(got, []string{"238\tval_238"}) {
		t.Errorf("conformed rows = %q", got)
	}
	_, err = ConformTable(res, target[:1], "default.dest", nil)
	want := "Cannot insert into target table because column number/types are different 'default.dest': Table insclause-0 has 1 columns, but query has 2 columns."
	if err == nil || err.Error() != want {
		t.Errorf("column count error = %v, want %q", err, want)
	}
}

func TestPartitionFilter(t *testing.T) {
	tests := []struct{ name, q, want string }{
		{"conjunct on a partition column is pushed", "SELECT key FROM part WHERE ds = '1' AND key > 0", `("ds" = '1')`},
		{"conjunct mixing data columns is not pushed", "SELECT key FROM part WHERE ds = '1' OR key > 2", ""},
		{"null-supplying side is not pruned", "SELECT p.key FROM src s LEFT JOIN part p ON s.key = p.value WHERE p.ds = '1' OR p.ds IS NULL", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			res, err := f.translate(t, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.resolver.filters["part"]; got != tc.want {
				t.Errorf("partition filter = %q, want %q", got, tc.want)
			}
			f.run(t, res)
		})
	}
}

func TestConstExpr(t *testing.T) {
	f := newFixture(t)
	e, err := parser.ParseExpr("array(1, 3)")
	if err != nil {
		t.Fatal(err)
	}
	sql, typ, err := ConstExpr(context.Background(), f.env, e)
	if err != nil {
		t.Fatal(err)
	}
	if typ.String() != "array<int>" {
		t.Errorf("type = %s", typ)
	}
	got := f.run(t, &Result{SQL: "SELECT " + sql, Columns: []Column{{Name: "c", Type: typ}}})
	if !slices.Equal(got, []string{"[1,3]"}) {
		t.Errorf("value = %q", got)
	}
	e, _ = parser.ParseExpr("key")
	if _, _, err := ConstExpr(context.Background(), f.env, e); err == nil {
		t.Error("a column reference in a constant expression must be an error")
	}
}

func registerUDFs(t *testing.T, db *sql.DB) {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := functions.RegisterUDFs(context.Background(), conn); err != nil {
		t.Fatal(err)
	}
}

// TestScanColumns: every scan is told the data columns the query reads (so that object-store files can be
// fetched in part), never fewer than the SQL reads.
func TestScanColumns(t *testing.T) {
	tests := []struct {
		name, q, table string
		want           []string // nil: all columns
	}{
		{"count star reads none", "SELECT count(*) FROM nums", "nums", []string{}},
		{"select list, where and order by", "SELECT a FROM nums WHERE d > 0 ORDER BY big", "nums", []string{"a", "d", "big"}},
		{"star reads all", "SELECT * FROM nums", "nums", []string{"a", "b", "d", "big", "s"}},
		{"qualified star", "SELECT n.* FROM nums n JOIN t1 ON n.s = t1.key", "nums", []string{"a", "b", "d", "big", "s"}},
		{"join keys of the other side", "SELECT n.a FROM nums n JOIN t1 ON n.s = t1.key", "t1", []string{"key"}},
		{"using join", "SELECT count(*) FROM src JOIN t1 USING (key)", "t1", []string{"key"}},
		{"correlated subquery", "SELECT key FROM src s WHERE EXISTS (SELECT 1 FROM t1 WHERE t1.val = s.value)", "src", []string{"key", "value"}},
		{"group by and having", "SELECT b, max(a) FROM nums GROUP BY b HAVING sum(d) > 0", "nums", []string{"a", "b", "d"}},
		{"lateral view", "SELECT id, x FROM arrs LATERAL VIEW explode(arr) e AS x", "arrs", []string{"id", "arr"}},
		{"nested field", "SELECT st.a FROM arrs", "arrs", []string{"st"}},
		{"window", "SELECT rank() OVER (PARTITION BY b ORDER BY d) FROM nums", "nums", []string{"b", "d"}},
		{"partition columns are not data columns", "SELECT key FROM part WHERE ds = '1'", "part", []string{"key"}},
		{"derived table", "SELECT v FROM (SELECT value AS v, key FROM src) q", "src", []string{"key", "value"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			res, err := f.translate(t, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := f.resolver.columns[tc.table]
			if !ok {
				t.Fatalf("%s was not scanned", tc.table)
			}
			if (got == nil) != (tc.want == nil) || !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(tc.want))) {
				t.Errorf("columns of %s = %#v, want %#v", tc.table, got, tc.want)
			}
			f.run(t, res)
		})
	}
}
