package output

import (
	"database/sql"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/waggle-dev/waggle/hiveql/types"
)

// openDB opens an in-memory DuckDB; values scanned from it are exactly what the engine will hand to the
// formatter.
func openDB(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// scanOne runs `SELECT expr` and returns the value Scan into `any` yields.
func scanOne(tb testing.TB, db *sql.DB, expr string) any {
	tb.Helper()
	var v any
	if err := db.QueryRow("SELECT " + expr).Scan(&v); err != nil {
		tb.Fatalf("SELECT %s: %v", expr, err)
	}
	return v
}

func mustType(tb testing.TB, s string) *types.Type {
	tb.Helper()
	if s == "" {
		return nil
	}
	t, err := types.Parse(s)
	if err != nil {
		tb.Fatalf("types.Parse(%q): %v", s, err)
	}
	return t
}

// TestDuckDBScanTypes pins the Go types duckdb-go yields for each DuckDB type, which the formatter relies on.
// If a driver upgrade changes one, this fails first.
func TestDuckDBScanTypes(t *testing.T) {
	db := openDB(t)
	tests := []struct {
		sql  string
		want any
	}{
		{"true", false},
		{"1::TINYINT", int8(0)},
		{"1::SMALLINT", int16(0)},
		{"1::INTEGER", int32(0)},
		{"1::BIGINT", int64(0)},
		{"1::HUGEINT", (*big.Int)(nil)},
		{"1::UBIGINT", uint64(0)},
		{"1::FLOAT", float32(0)},
		{"1::DOUBLE", float64(0)},
		{"1::DECIMAL(4,2)", duckdb.Decimal{}},
		{"'x'", ""},
		{"'x'::CHAR(3)", ""},
		{"'x'::BLOB", []byte(nil)},
		{"DATE '2011-01-01'", time.Time{}},
		{"TIMESTAMP '2011-01-01 01:02:03'", time.Time{}},
		{"INTERVAL 1 DAY", duckdb.Interval{}},
		{"[1]", []any(nil)},
		{"{'a': 1}", map[string]any(nil)},
		{"MAP {'k': 1}", duckdb.OrderedMap{}},
		{"map_entries(MAP {'k': 1})", []any(nil)},
		{"union_value(t0 := 1)::UNION(t0 INTEGER)", duckdb.Union{}},
	}
	for _, tc := range tests {
		t.Run(tc.sql, func(t *testing.T) {
			got := scanOne(t, db, tc.sql)
			if reflect.TypeOf(got) != reflect.TypeOf(tc.want) {
				t.Fatalf("SELECT %s scans as %T, want %T", tc.sql, got, tc.want)
			}
		})
	}
	if v := scanOne(t, db, "'ab'::CHAR(5)"); v != "ab" {
		t.Errorf("CHAR(5) scans as %q; the formatter pads CHAR itself, expected DuckDB not to pad", v)
	}
}

// TestFormatValueFromDuckDB formats values produced by real DuckDB queries as Hive's CLI prints them.
func TestFormatValueFromDuckDB(t *testing.T) {
	db := openDB(t)
	tests := []struct {
		name, sql, typ, want string
	}{
		// NULL, booleans, integers
		{"NULL prints NULL", "NULL::INTEGER", "int", "NULL"},
		{"NULL string prints NULL", "NULL::VARCHAR", "string", "NULL"},
		{"NULL array prints NULL at top level", "NULL::INTEGER[]", "array<int>", "NULL"},
		{"NULL of void type", "NULL", "void", "NULL"},
		{"boolean true lower case", "true", "boolean", "true"},
		{"boolean false lower case", "false", "boolean", "false"},
		{"tinyint min", "(-128)::TINYINT", "tinyint", "-128"},
		{"smallint", "(-32768)::SMALLINT", "smallint", "-32768"},
		{"int", "2147483647::INTEGER", "int", "2147483647"},
		{"bigint max", "9223372036854775807::BIGINT", "bigint", "9223372036854775807"},
		{"int column delivered as bigint", "42::BIGINT", "int", "42"},
		{"hugeint as decimal(38,0)", "170141183460469231731687303715884105727::HUGEINT", "decimal(38,0)", "170141183460469231731687303715884105727"},
		// DOUBLE / FLOAT as Java prints them
		{"double integral keeps .0", "1::DOUBLE", "double", "1.0"},
		{"double large is scientific", "1e10::DOUBLE", "double", "1.0E10"},
		{"double small is scientific", "0.0001::DOUBLE", "double", "1.0E-4"},
		{"double shortest round-trip", "0.1::DOUBLE + 0.2::DOUBLE", "double", "0.30000000000000004"},
		{"double NaN", "'NaN'::DOUBLE", "double", "NaN"},
		{"double -Infinity", "'-inf'::DOUBLE", "double", "-Infinity"},
		{"float as Float.toString", "6.8899984::FLOAT", "float", "6.8899984"},
		{"float large", "1e10::FLOAT", "float", "1.0E10"},
		{"float widened to double prints the double", "6.89::FLOAT", "double", "6.889999866485596"},
		// DECIMAL keeps exactly its scale, never an exponent
		{"decimal keeps scale", "123::DECIMAL(5,2)", "decimal(5,2)", "123.00"},
		{"decimal negative below one", "(-0.5)::DECIMAL(3,2)", "decimal(3,2)", "-0.50"},
		{"decimal zero with scale", "0::DECIMAL(4,2)", "decimal(4,2)", "0.00"},
		{"decimal scale 0", "0::DECIMAL(10,0)", "decimal(10,0)", "0"},
		{"decimal tiny value no exponent", "0.00000015::DECIMAL(10,9)", "decimal(10,9)", "0.000000150"},
		{"decimal large no exponent", "1e20::DECIMAL(38,0)", "decimal(38,0)", "100000000000000000000"},
		{"decimal(38,9)", "12345678901234567890.123456789::DECIMAL(38,9)", "decimal(38,9)", "12345678901234567890.123456789"},
		{"decimal widened to the type's scale", "1.5::DECIMAL(2,1)", "decimal(5,3)", "1.500"},
		{"decimal rounded half up to the type's scale", "1.25::DECIMAL(4,2)", "decimal(3,1)", "1.3"},
		{"negative decimal rounded half up away from zero", "(-1.25)::DECIMAL(4,2)", "decimal(3,1)", "-1.3"},
		{"decimal below half rounds down", "1.249::DECIMAL(4,3)", "decimal(3,1)", "1.2"},
		// strings
		{"string as is", "'hello world'", "string", "hello world"},
		{"empty string is an empty field", "''", "string", ""},
		{"top-level string not quoted or escaped", `'say "hi" \ ' || chr(9) || 'x'`, "string", "say \"hi\" \\ \tx"},
		{"varchar not padded", "'ab'", "varchar(10)", "ab"},
		{"char padded to length", "'ab'", "char(5)", "ab   "},
		{"char padded by characters not bytes", "'é'", "char(3)", "é  "},
		{"char already full", "'abcde'", "char(5)", "abcde"},
		{"char(n) cast in DuckDB still padded", "'ab'::CHAR(5)", "char(5)", "ab   "},
		// DATE / TIMESTAMP
		{"date", "DATE '2011-01-01'", "date", "2011-01-01"},
		{"date with small year has 4 digits", "DATE '0099-02-03'", "date", "0099-02-03"},
		{"timestamp without fraction", "TIMESTAMP '2011-01-01 01:02:03'", "timestamp", "2011-01-01 01:02:03"},
		{"timestamp midnight", "TIMESTAMP '2011-01-01 00:00:00'", "timestamp", "2011-01-01 00:00:00"},
		{"timestamp fraction trimmed", "TIMESTAMP '2011-01-01 01:02:03.5'", "timestamp", "2011-01-01 01:02:03.5"},
		{"timestamp fraction trailing zeros trimmed", "TIMESTAMP '2011-01-01 01:02:03.120'", "timestamp", "2011-01-01 01:02:03.12"},
		{"timestamp microseconds", "TIMESTAMP '1970-01-05 13:51:04.042001'", "timestamp", "1970-01-05 13:51:04.042001"},
		{"timestamp nanoseconds", "TIMESTAMP_NS '2011-01-01 01:02:03.123456789'", "timestamp", "2011-01-01 01:02:03.123456789"},
		{"date column delivered as timestamp", "DATE '2011-01-01'::TIMESTAMP", "date", "2011-01-01"},
		// BINARY
		{"binary raw bytes", "'ab'::BLOB", "binary", "ab"},
		{"binary non-UTF-8 bytes raw", `'\x00\xFF'::BLOB`, "binary", "\x00\xff"},
		// INTERVAL
		{"interval year to month", "INTERVAL 131 MONTH", "interval_year_month", "10-11"},
		{"interval year only", "INTERVAL 10 YEAR", "interval_year_month", "10-0"},
		{"interval months normalised", "INTERVAL 49 MONTH", "interval_year_month", "4-1"},
		{"negative year-month", "-(INTERVAL 14 MONTH)", "interval_year_month", "-1-2"},
		{"zero year-month", "INTERVAL 0 MONTH", "interval_year_month", "0-0"},
		{"day-time all nine fraction digits", "INTERVAL '10 days 09:08:07.987654'", "interval_day_time", "10 09:08:07.987654000"},
		{"day-time zero fraction", "INTERVAL 1 DAY + INTERVAL '02:03:04'", "interval_day_time", "1 02:03:04.000000000"},
		{"day-time hours normalise into days", "INTERVAL 49 HOUR", "interval_day_time", "2 01:00:00.000000000"},
		{"day-time seconds normalise", "INTERVAL '90061.111111' SECOND", "interval_day_time", "1 01:01:01.111111000"},
		{"negative day-time", "-(INTERVAL '1 day 02:03:04')", "interval_day_time", "-1 02:03:04.000000000"},
		{"negative day-time under a second", "-(INTERVAL '0.5' SECOND)", "interval_day_time", "-0 00:00:00.500000000"},
		{"day-time with mixed-sign parts", "INTERVAL 1 DAY - INTERVAL 1 HOUR", "interval_day_time", "0 23:00:00.000000000"},
		// ARRAY
		{"array of int", "[1,2,3]::INTEGER[]", "array<int>", "[1,2,3]"},
		{"empty array", "[]::INTEGER[]", "array<int>", "[]"},
		{"array of strings quoted", "['a','b']", "array<string>", `["a","b"]`},
		{"NULL inside array is null", "[1,NULL,3]", "array<int>", "[1,null,3]"},
		{"NULL string inside array is null not quoted", "['a',NULL]", "array<string>", `["a",null]`},
		{"strings inside arrays are JSON-escaped", `['say "hi"', 'back\slash', 'line' || chr(10) || 'next', 'tab' || chr(9) || chr(13) || chr(8) || chr(12), chr(1) || chr(31)]`,
			"array<string>", `["say \"hi\"","back\\slash","line\nnext","tab\t\r\b\f","\u0001\u001f"]`},
		{"non-ASCII inside arrays kept", "['é', '日本']", "array<string>", `["é","日本"]`},
		{"doubles inside arrays Java-formatted", "[1.0, 1e10, 0.1, NULL]::DOUBLE[]", "array<double>", "[1.0,1.0E10,0.1,null]"},
		{"floats inside arrays Java-formatted", "[6.8899984]::FLOAT[]", "array<float>", "[6.8899984]"},
		{"decimals inside arrays drop trailing zeros", "[2.333, 9, 1.50, -3.445, 0]::DECIMAL(5,3)[]", "array<decimal(5,3)>", "[2.333,9,1.5,-3.445,0]"},
		{"booleans inside arrays", "[true, false, NULL]", "array<boolean>", "[true,false,null]"},
		{"dates inside arrays quoted", "[DATE '2011-01-01']", "array<date>", `["2011-01-01"]`},
		{"timestamps inside arrays quoted", "[TIMESTAMP '1970-01-05 13:51:04.042', TIMESTAMP '2011-01-01 00:00:00']", "array<timestamp>",
			`["1970-01-05 13:51:04.042","2011-01-01 00:00:00"]`},
		{"char inside arrays padded and quoted", "['ab']", "array<char(4)>", `["ab  "]`},
		{"varchar inside arrays quoted", "['ab']", "array<varchar(4)>", `["ab"]`},
		{"binary inside arrays raw and unquoted", "['ab'::BLOB]", "array<binary>", "[ab]"},
		{"intervals inside arrays unquoted", "[INTERVAL 14 MONTH]", "array<interval_year_month>", "[1-2]"},
		{"day-time intervals inside arrays unquoted", "[INTERVAL 1 DAY]", "array<interval_day_time>", "[1 00:00:00.000000000]"},
		{"bigint inside arrays", "[1::BIGINT, -2::BIGINT]", "array<bigint>", "[1,-2]"},
		{"fixed-size array", "[1,2]::INTEGER[2]", "array<int>", "[1,2]"},
		// MAP
		{"map string to int", "MAP {'k': 1}", "map<string,int>", `{"k":1}`},
		{"map int keys unquoted", "MAP {1: 'one', 2: 'two'}", "map<int,string>", `{1:"one",2:"two"}`},
		{"map keeps DuckDB entry order", "MAP {'c': 3, 'b': 5, 'a': 1}", "map<string,int>", `{"c":3,"b":5,"a":1}`},
		{"NULL map value is null", "MAP {'k': NULL::INTEGER}", "map<string,int>", `{"k":null}`},
		{"empty map", "MAP {}::MAP(VARCHAR, INTEGER)", "map<string,int>", "{}"},
		{"map via map_entries keeps order", "map_entries(MAP {'z': 1, 'a': 2})", "map<string,int>", `{"z":1,"a":2}`},
		{"map keys escaped", `MAP {'a"b': 1.5::DOUBLE}`, "map<string,double>", `{"a\"b":1.5}`},
		{"map date keys quoted", "MAP {DATE '2011-01-01': true}", "map<date,boolean>", `{"2011-01-01":true}`},
		// STRUCT
		{"struct fields named and quoted", "{'col1': 1, 'col2': 'dude!'}", "struct<col1:int,col2:string>", `{"col1":1,"col2":"dude!"}`},
		{"struct field order from the type", "{'z': 1, 'a': 2, 'm': 3}", "struct<z:int,a:int,m:int>", `{"z":1,"a":2,"m":3}`},
		{"struct field names lower case", "{'Col1': 1}", "struct<Col1:int>", `{"col1":1}`},
		{"struct field name case-insensitive lookup", "{'COL1': 1}", "struct<col1:int>", `{"col1":1}`},
		{"NULL struct field is null", "{'a': NULL::INTEGER, 'b': NULL::VARCHAR}", "struct<a:int,b:string>", `{"a":null,"b":null}`},
		{"struct with decimal and double", "{'d': 1.50::DECIMAL(4,2), 'x': 2::DOUBLE}", "struct<d:decimal(4,2),x:double>", `{"d":1.5,"x":2.0}`},
		// UNIONTYPE
		{"union prints tag and value", "union_value(t1 := 5)::UNION(t0 VARCHAR, t1 INTEGER)", "uniontype<string,int>", "{1:5}"},
		{"union string alternative quoted", "union_value(t0 := 'x')::UNION(t0 VARCHAR, t1 INTEGER)", "uniontype<string,int>", `{0:"x"}`},
		// nesting
		{"array of struct with array", "[{'a': 1, 'b': ['x', NULL]}, {'a': NULL, 'b': []}, NULL]", "array<struct<a:int,b:array<string>>>",
			`[{"a":1,"b":["x",null]},{"a":null,"b":[]},null]`},
		{"map of arrays", "MAP {'k': [1,2], 'n': NULL, 'e': []}", "map<string,array<int>>", `{"k":[1,2],"n":null,"e":[]}`},
		{"array of arrays", "[[1,6,8],[2,9,7]]", "array<array<int>>", "[[1,6,8],[2,9,7]]"},
		{"array of maps", "[MAP {'b': 2, 'a': 9}]", "array<map<string,int>>", `[{"b":2,"a":9}]`},
		{"struct of map and struct", "{'m': MAP {1: [1.5]}, 's': {'x': 'y'}}", "struct<m:map<int,array<double>>,s:struct<x:string>>",
			`{"m":{1:[1.5]},"s":{"x":"y"}}`},
		// no type known: print by the Go value
		{"untyped int", "7::INTEGER", "", "7"},
		{"untyped decimal keeps its scale", "1.50::DECIMAL(4,2)", "", "1.50"},
		{"untyped array", "[1.0::DOUBLE, NULL]", "", "[1.0,null]"},
		{"untyped struct sorted by field name", "{'b': 'x', 'a': 1}", "", `{"a":1,"b":"x"}`},
		{"untyped map keeps order", "MAP {'b': 1, 'a': 2}", "", `{"b":1,"a":2}`},
		{"untyped timestamp", "TIMESTAMP '2011-01-01 01:02:03'", "", "2011-01-01 01:02:03"},
		{"untyped year-month interval", "INTERVAL 14 MONTH", "", "1-2"},
		// value does not fit the type: printed by what it is rather than failing
		{"string value in an int column", "'abc'", "int", "abc"},
		{"int value in a string array", "[1, 2]", "array<string>", "[1,2]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := scanOne(t, db, tc.sql)
			if got := FormatValue(v, mustType(t, tc.typ)); got != tc.want {
				t.Fatalf("FormatValue(SELECT %s :: %s) = %q, want %q (value %#v)", tc.sql, tc.typ, got, tc.want, v)
			}
		})
	}
}

// TestFormatValueGoValues covers values DuckDB cannot produce but the formatter accepts.
func TestFormatValueGoValues(t *testing.T) {
	tests := []struct {
		name string
		v    any
		typ  string
		want string
	}{
		{"day-time from a Duration keeps nanoseconds", 10*24*time.Hour + 9*time.Hour + 8*time.Minute + 7*time.Second + 987654321, "interval_day_time", "10 09:08:07.987654321"},
		{"negative day-time from a Duration", -(26*time.Hour + 3*time.Minute + 4*time.Second), "interval_day_time", "-1 02:03:04.000000000"},
		{"day-time counts a month as 30 days", duckdb.Interval{Months: 1, Days: 1}, "interval_day_time", "31 00:00:00.000000000"},
		{"legacy duckdb.Map sorted by key text", duckdb.Map{"b": int32(1), "a": int32(2), "c": nil}, "map<string,int>", `{"a":2,"b":1,"c":null}`},
		{"ordered map pointer", func() any { m := &duckdb.OrderedMap{}; m.Set(int32(2), "x"); m.Set(int32(1), "y"); return m }(), "map<int,string>", `{2:"x",1:"y"}`},
		{"struct delivered positionally", []any{int32(1), "x"}, "struct<a:int,b:string>", `{"a":1,"b":"x"}`},
		{"struct field missing from value is null", map[string]any{"a": int32(1)}, "struct<a:int,b:string>", `{"a":1,"b":null}`},
		{"date before year 1 prints year of era", time.Date(0, 1, 2, 0, 0, 0, 0, time.UTC), "date", "0001-01-02"},
		{"year after 9999 printed in full", time.Date(12345, 1, 2, 0, 0, 0, 0, time.UTC), "date", "12345-01-02"},
		{"union with bare numeric tag", duckdb.Union{Tag: "2", Value: true}, "uniontype<int,string,boolean>", "{2:true}"},
		{"uint64 beyond bigint", uint64(18446744073709551615), "bigint", "18446744073709551615"},
		{"integer in decimal column gets the scale", int64(5), "decimal(5,2)", "5.00"},
		{"control character DEL not escaped", []any{"\x7f"}, "array<string>", "[\"\x7f\"]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatValue(tc.v, mustType(t, tc.typ)); got != tc.want {
				t.Fatalf("FormatValue(%#v, %s) = %q, want %q", tc.v, tc.typ, got, tc.want)
			}
		})
	}
}
