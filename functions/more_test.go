package functions

import (
	"sort"
	"strings"
	"testing"

	"github.com/waggle-dev/waggle/output"
)

func TestMathFunctions(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{"abs keeps int", "abs", []Arg{i(-3)}, "3"},
		{"abs of string is double", "abs", []Arg{s("-1.5")}, "1.5"},
		{"abs of decimal", "abs", []Arg{x(t, "-1.25", "decimal(5,2)")}, "1.25"},
		{"abs of boolean is an error", "abs", []Arg{b(true)}, "ERROR"},
		{"round half up", "round", []Arg{d(2.5)}, "3.0"},
		{"round negative half away from zero", "round", []Arg{d(-2.5)}, "-3.0"},
		{"round uses decimal digits of the double", "round", []Arg{d(2.675), i(2)}, "2.68"},
		{"round decimal keeps scale rules", "round", []Arg{x(t, "1.245", "decimal(5,3)"), i(2)}, "1.25"},
		{"round int negative places", "round", []Arg{i(1250), i(-2)}, "1300"},
		{"bround half even", "bround", []Arg{d(2.5)}, "2.0"},
		{"floor is bigint", "floor", []Arg{d(-1.5)}, "-2"},
		{"ceil is bigint", "ceil", []Arg{d(1.2)}, "2"},
		{"ceiling alias", "ceiling", []Arg{d(1.0)}, "1"},
		{"floor of decimal is decimal", "floor", []Arg{x(t, "-1.5", "decimal(3,1)")}, "-2"},
		{"pmod positive of negative", "pmod", []Arg{i(-7), i(3)}, "2"},
		{"pmod by zero is NULL", "pmod", []Arg{i(7), i(0)}, "NULL"},
		{"pmod double", "pmod", []Arg{d(-7.5), d(2)}, "0.5"},
		{"exp", "exp", []Arg{i(0)}, "1.0"},
		{"ln of non-positive is NULL", "ln", []Arg{i(0)}, "NULL"},
		{"ln of e", "ln", []Arg{d(1)}, "0.0"},
		{"log base", "log", []Arg{i(2), i(8)}, "3.0"},
		{"log2", "log2", []Arg{i(8)}, "3.0"},
		{"log10", "log10", []Arg{i(1000)}, "3.0"},
		{"pow", "pow", []Arg{i(2), i(10)}, "1024.0"},
		{"power alias", "power", []Arg{i(2), d(0.5)}, "1.4142135623730951"},
		{"sqrt", "sqrt", []Arg{i(16)}, "4.0"},
		{"sqrt negative is NULL", "sqrt", []Arg{i(-1)}, "NULL"},
		{"asin out of domain is NaN", "asin", []Arg{i(2)}, "NaN"},
		{"sign is double", "sign", []Arg{i(-5)}, "-1.0"},
		{"pi", "pi", nil, "3.141592653589793"},
		{"factorial", "factorial", []Arg{i(5)}, "120"},
		{"factorial out of range is NULL", "factorial", []Arg{i(21)}, "NULL"},
		{"shiftleft int wraps", "shiftleft", []Arg{i(1), i(31)}, "-2147483648"},
		{"shiftright keeps sign", "shiftright", []Arg{i(-8), i(1)}, "-4"},
		{"shiftrightunsigned", "shiftrightunsigned", []Arg{i(-8), i(28)}, "15"},
		{"negative", "negative", []Arg{i(3)}, "-3"},
	})
}

func TestDateFunctions(t *testing.T) {
	ts := func(v string) Arg { return x(t, "TIMESTAMP '"+v+"'", "timestamp") }
	dt := func(v string) Arg { return x(t, "DATE '"+v+"'", "date") }
	runScalarCases(t, []scalarCase{
		{"to_date of datetime string", "to_date", []Arg{s("2017-12-13 15:00")}, "2017-12-13"},
		{"to_date of timestamp", "to_date", []Arg{ts("2017-12-13 15:00:01")}, "2017-12-13"},
		{"to_date of garbage is NULL", "to_date", []Arg{s("garbage")}, "NULL"},
		{"year", "year", []Arg{s("2009-07-30 04:17:52")}, "2009"},
		{"month", "month", []Arg{dt("2009-07-30")}, "7"},
		{"day", "day", []Arg{s("2009-07-30")}, "30"},
		{"dayofmonth alias", "dayofmonth", []Arg{s("2009-07-30")}, "30"},
		{"hour", "hour", []Arg{s("2009-07-30 12:58:59")}, "12"},
		{"minute", "minute", []Arg{ts("2009-07-30 12:58:59")}, "58"},
		{"second", "second", []Arg{s("2009-07-30 12:58:59")}, "59"},
		{"weekofyear is ISO", "weekofyear", []Arg{s("2008-02-20")}, "8"},
		{"quarter", "quarter", []Arg{s("2008-08-20")}, "3"},
		{"dayofweek sunday is 1", "dayofweek", []Arg{s("2024-06-02")}, "1"},
		{"datediff counts days", "datediff", []Arg{s("2009-03-01"), s("2009-02-27")}, "2"},
		{"datediff ignores time", "datediff", []Arg{s("2009-03-01 23:00:00"), ts("2009-02-27 01:00:00")}, "2"},
		{"date_add", "date_add", []Arg{s("2008-12-31"), i(1)}, "2009-01-01"},
		{"date_sub", "date_sub", []Arg{dt("2009-01-01"), i(1)}, "2008-12-31"},
		{"date_add NULL days is NULL", "date_add", []Arg{s("2008-12-31"), null()}, "NULL"},
		{"add_months keeps end of month", "add_months", []Arg{s("2009-02-28"), i(1)}, "2009-03-31"},
		{"add_months clamps", "add_months", []Arg{s("2009-01-31"), i(1)}, "2009-02-28"},
		{"last_day", "last_day", []Arg{s("2009-02-10")}, "2009-02-28"},
		{"next_day", "next_day", []Arg{s("2015-01-14"), s("TU")}, "2015-01-20"},
		{"trunc to month", "trunc", []Arg{s("2015-03-17"), s("MM")}, "2015-03-01"},
		{"trunc to year", "trunc", []Arg{s("2015-03-17"), s("YEAR")}, "2015-01-01"},
		{"months_between same day is whole", "months_between", []Arg{s("1997-02-28"), s("1996-10-28")}, "4.0"},
		{"months_between fraction", "months_between", []Arg{s("1997-02-28 10:30:00"), s("1996-10-30")}, "3.94959677"},
		{"from_unixtime default format", "from_unixtime", []Arg{i(0)}, "1970-01-01 00:00:00"},
		{"from_unixtime pattern", "from_unixtime", []Arg{l(1237573801), s("yyyy-MM-dd'T'HH:mm EEE MMM")}, "2009-03-20T18:30 Fri Mar"},
		{"unix_timestamp parses default format", "unix_timestamp", []Arg{s("2009-03-20 11:30:01")}, "1237548601"},
		{"unix_timestamp with pattern", "unix_timestamp", []Arg{s("2009-03-20"), s("yyyy-MM-dd")}, "1237507200"},
		{"unix_timestamp bad input is NULL", "unix_timestamp", []Arg{s("2009-03-20")}, "NULL"},
		{"unix_timestamp of timestamp", "unix_timestamp", []Arg{ts("1970-01-02 00:00:00")}, "86400"},
		{"date_format", "date_format", []Arg{s("2015-04-08 10:11:12"), s("yyyy/MM/dd HH.mm.ss SSS")}, "2015/04/08 10.11.12 000"},
		{"from_utc_timestamp", "from_utc_timestamp", []Arg{s("1970-01-01 08:00:00"), s("America/Los_Angeles")}, "1970-01-01 00:00:00"},
		{"to_utc_timestamp", "to_utc_timestamp", []Arg{s("1970-01-01 00:00:00"), s("America/Los_Angeles")}, "1970-01-01 08:00:00"},
		{"interval_year_month from string", "interval_year_month", []Arg{s("1-2")}, "1-2"},
		{"interval_day_time from string", "interval_day_time", []Arg{s("1 2:3:4")}, "1 02:03:04.000000000"},
	})
}

func TestDateFunctionsUseSessionTimeZone(t *testing.T) {
	conn := openConn(t)
	r := New()
	conf := func(k string) string {
		if k == TimeZoneKey {
			return "Asia/Tokyo"
		}
		return ""
	}
	got, err := eval(t, conn, r, &Call{Name: "from_unixtime", Args: []Arg{i(0)}, Conf: conf}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got != "1970-01-01 09:00:00" {
		t.Errorf("from_unixtime(0) in Asia/Tokyo = %q", got)
	}
	got, err = eval(t, conn, r, &Call{Name: "unix_timestamp", Args: []Arg{s("1970-01-01 09:00:00")}, Conf: conf}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got != "0" {
		t.Errorf("unix_timestamp in Asia/Tokyo = %q", got)
	}
}

func TestCollectionFunctions(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{"array of ints", "array", []Arg{i(1), i(2)}, "[1,2]"},
		{"array widens to double", "array", []Arg{i(1), d(2.5)}, "[1.0,2.5]"},
		{"empty array", "array", nil, "[]"},
		{"map literal", "map", []Arg{s("a"), i(1), s("b"), i(2)}, `{"a":1,"b":2}`},
		{"map repeated key keeps last", "map", []Arg{s("a"), i(1), s("a"), i(2)}, `{"a":2}`},
		{"map odd arguments is an error", "map", []Arg{s("a")}, "ERROR"},
		{"struct names fields col1..", "struct", []Arg{i(1), s("a")}, `{"col1":1,"col2":"a"}`},
		{"named_struct", "named_struct", []Arg{s("x"), i(1), s("y"), s("b")}, `{"x":1,"y":"b"}`},
		{"named_struct needs constant names", "named_struct", []Arg{x(t, "'x'", "string"), i(1)}, "ERROR"},
		{"size of array", "size", []Arg{x(t, "[1,2,3]", "array<int>")}, "3"},
		{"size of map", "size", []Arg{x(t, "MAP {'a': 1}", "map<string,int>")}, "1"},
		{"size of NULL is -1", "size", []Arg{x(t, "NULL", "array<int>")}, "-1"},
		{"size of untyped NULL is -1", "size", []Arg{null()}, "-1"},
		{"array_contains true", "array_contains", []Arg{x(t, "[1,2,3]", "array<int>"), i(2)}, "true"},
		{"array_contains false", "array_contains", []Arg{x(t, "[1,2,3]", "array<int>"), i(5)}, "false"},
		{"array_contains converts string value", "array_contains", []Arg{x(t, "[1,2,3]", "array<int>"), s("2")}, "true"},
		{"sort_array of strings", "sort_array", []Arg{x(t, "['b','a','c']", "array<string>")}, `["a","b","c"]`},
		{"sort_array puts NULL first", "sort_array", []Arg{x(t, "[3,NULL,1]", "array<int>")}, "[null,1,3]"},
		{"sort_array descending", "sort_array", []Arg{x(t, "[3,1,2]", "array<int>"), b(false)}, "[3,2,1]"},
		{"sort_array of decimals", "sort_array", []Arg{x(t, "[1.5, 0.25]", "array<decimal(4,2)>")}, "[0.25,1.5]"},
		{"sort_array of arrays", "sort_array", []Arg{x(t, "[[2,1],[1,5],[1]]", "array<array<int>>")}, "[[1],[1,5],[2,1]]"},
		{"sort_array of structs", "sort_array", []Arg{x(t, "[{'a': 2, 'b': 'x'}, {'a': 1, 'b': 'y'}]", "array<struct<a:int,b:string>>")}, `[{"a":1,"b":"y"},{"a":2,"b":"x"}]`},
		{"map_keys", "map_keys", []Arg{x(t, "MAP {'a': 1, 'b': 2}", "map<string,int>")}, `["a","b"]`},
		{"map_values", "map_values", []Arg{x(t, "MAP {'a': 1, 'b': 2}", "map<string,int>")}, "[1,2]"},
		{"map_keys of non-map is an error", "map_keys", []Arg{i(1)}, "ERROR"},
		{"array_distinct keeps first occurrences in order", "array_distinct", []Arg{x(t, "[2,1,2,NULL,1,NULL]", "array<int>")}, "[2,1,null]"},
		{"array_join", "array_join", []Arg{x(t, "['a',NULL,'b']", "array<string>"), s("-")}, "a-b"},
		{"element_at array is 1-based", "element_at", []Arg{x(t, "[7,8]", "array<int>"), i(2)}, "8"},
		{"slice", "slice", []Arg{x(t, "[1,2,3,4]", "array<int>"), i(2), i(2)}, "[2,3]"},
		{"sequence", "sequence", []Arg{i(1), i(4)}, "[1,2,3,4]"},
	})
}

func TestCastFunctions(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{"int() of string", "int", []Arg{s("12")}, "12"},
		{"int() drops the fraction of a string", "int", []Arg{s("11.7")}, "11"},
		{"int() trims blanks", "int", []Arg{s(" 1 ")}, "1"},
		{"int() of bad string is NULL", "int", []Arg{s("abc")}, "NULL"},
		{"bigint() overflow string is NULL", "bigint", []Arg{s("99999999999999999999")}, "NULL"},
		{"tinyint() wraps", "tinyint", []Arg{i(300)}, "44"},
		{"int() of double truncates", "int", []Arg{d(-1.9)}, "-1"},
		{"int() of huge double saturates", "int", []Arg{d(1e20)}, "2147483647"},
		{"int() of NaN is 0", "int", []Arg{x(t, "'NaN'", "double")}, "0"},
		{"smallint() of big double saturates then wraps", "smallint", []Arg{d(1e20)}, "-1"},
		{"bigint() of decimal truncates", "bigint", []Arg{x(t, "-2.7", "decimal(3,1)")}, "-2"},
		{"double() of string", "double", []Arg{s("1e3")}, "1000.0"},
		{"double() of bad string is NULL", "double", []Arg{s("x")}, "NULL"},
		{"decimal() rounds half up", "decimal", []Arg{d(0.5)}, "1"},
		{"decimal() of string rounds half up", "decimal", []Arg{s("2.5")}, "3"},
		{"decimal() overflow is NULL", "decimal", []Arg{s("12345678901")}, "NULL"},
		{"boolean() of empty string is false", "boolean", []Arg{s("")}, "false"},
		{"boolean() of non-empty string is true", "boolean", []Arg{s("false")}, "true"},
		{"boolean() of 0 is false", "boolean", []Arg{i(0)}, "false"},
		{"string() of boolean", "string", []Arg{b(true)}, "true"},
		{"string() of double prints like Java", "string", []Arg{d(1e10)}, "1.0E10"},
		{"string() of float prints like Java", "string", []Arg{x(t, "11.0", "float")}, "11.0"},
		{"string() of decimal keeps scale", "string", []Arg{x(t, "11.00", "decimal(4,2)")}, "11.00"},
		{"string() of date", "string", []Arg{x(t, "DATE '2011-01-01'", "date")}, "2011-01-01"},
		{"string() of timestamp trims fraction", "string", []Arg{x(t, "TIMESTAMP '2011-01-01 01:02:03.500'", "timestamp")}, "2011-01-01 01:02:03.5"},
		{"string() of whole timestamp", "string", []Arg{x(t, "TIMESTAMP '2011-01-01 01:02:03'", "timestamp")}, "2011-01-01 01:02:03"},
		{"timestamp() of int is seconds", "timestamp", []Arg{i(86400)}, "1970-01-02 00:00:00"},
		{"timestamp() of double keeps fraction", "timestamp", []Arg{d(1.5)}, "1970-01-01 00:00:01.5"},
		{"timestamp() of string", "timestamp", []Arg{s("2011-01-01 01:02:03")}, "2011-01-01 01:02:03"},
		{"date() of timestamp string", "date", []Arg{s("2011-01-01 01:02:03")}, "2011-01-01"},
		{"bigint() of timestamp is seconds", "bigint", []Arg{x(t, "TIMESTAMP '1970-01-02 00:00:00'", "timestamp")}, "86400"},
		{"binary() of string", "binary", []Arg{s("ab")}, "ab"},
		{"varchar() needs a length", "varchar", []Arg{s("ab")}, "ERROR"},
		{"reflect is NULL", "reflect", []Arg{s("java.lang.Math"), s("max"), i(1), i(2)}, "NULL"},
	})
}

func TestCastSQLConfCompat4PrintsUpperCaseBooleans(t *testing.T) {
	conn := openConn(t)
	r := New()
	conf := func(k string) string {
		if k == CompatKey {
			return "4"
		}
		return ""
	}
	got, err := eval(t, conn, r, &Call{Name: "string", Args: []Arg{b(false)}, Conf: conf}, "")
	if err != nil || got != "FALSE" {
		t.Errorf("string(false) with compat 4 = %q, %v", got, err)
	}
}

func TestCastSQLCharAndVarchar(t *testing.T) {
	conn := openConn(t)
	tests := []struct {
		name string
		arg  Arg
		to   string
		want string
	}{
		{"varchar truncates", s("abcdef"), "varchar(3)", "abc"},
		{"char truncates and pads when printed", s("ab"), "char(4)", "ab  "},
		{"char of longer string truncates", s("abcdef"), "char(3)", "abc"},
		{"char to string strips padding", Arg{SQL: "'ab  '", Type: mustType(t, "char(4)")}, "string", "ab"},
		{"int to char pads", i(11), "char(5)", "11   "},
		{"same type is unchanged", s("x"), "string", "x"},
		{"NULL to int", null(), "int", "NULL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			to := mustType(t, tc.to)
			q, err := CastSQL(tc.arg, to)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := query(t, conn, "SELECT "+q)
			if err != nil {
				t.Fatal(err)
			}
			if got := output.FormatValue(rows[0][0], to); got != tc.want {
				t.Errorf("CastSQL(%s, %s) = %q, want %q", tc.arg.SQL, tc.to, got, tc.want)
			}
		})
	}
	if _, err := CastSQL(x(t, "[1]", "array<int>"), tInt); err == nil {
		t.Error("array to int must fail")
	}
}

func TestCommonType(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		cmp  bool
		want string // "" when not ok
	}{
		{"int and bigint widen", "int", "bigint", false, "bigint"},
		{"tinyint and smallint widen", "tinyint", "smallint", true, "smallint"},
		{"int and double", "int", "double", false, "double"},
		{"decimal and float is float", "decimal(10,2)", "float", false, "float"},
		{"decimal and int fits both", "decimal(5,2)", "int", false, "decimal(12,2)"},
		{"decimal and decimal", "decimal(10,2)", "decimal(5,4)", false, "decimal(12,4)"},
		{"decimal caps at 38", "decimal(38,2)", "decimal(38,10)", false, "decimal(38,10)"},
		{"string and int compare as double", "string", "int", true, "double"},
		{"string and int merge as string", "string", "int", false, "string"},
		{"varchar and char merge as string", "varchar(5)", "char(3)", false, "string"},
		{"varchar and varchar keep the longer", "varchar(5)", "varchar(8)", false, "varchar(8)"},
		{"date and string compare as date", "date", "string", true, "date"},
		{"date and string merge as string", "date", "string", false, "string"},
		{"date and timestamp", "date", "timestamp", true, "timestamp"},
		{"void takes the other side", "void", "decimal(4,1)", false, "decimal(4,1)"},
		{"boolean only with boolean", "boolean", "int", true, ""},
		{"boolean and string refused", "boolean", "string", false, ""},
		{"equal arrays", "array<int>", "array<int>", false, "array<int>"},
		{"different arrays refused", "array<int>", "array<string>", false, ""},
		{"array and map refused", "array<int>", "map<int,int>", false, ""},
		{"binary and string refused", "binary", "string", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := CommonType(mustType(t, tc.a), mustType(t, tc.b), tc.cmp)
			if tc.want == "" {
				if ok {
					t.Errorf("CommonType(%s, %s) = %s, want refusal", tc.a, tc.b, got)
				}
				return
			}
			if !ok || got.String() != tc.want {
				t.Errorf("CommonType(%s, %s, %v) = %v, %v; want %s", tc.a, tc.b, tc.cmp, got, ok, tc.want)
			}
		})
	}
}

func TestAggregates(t *testing.T) {
	conn := openConn(t)
	r := New()
	col := func(name, typ string) Arg { return Arg{SQL: name, Type: mustType(t, typ)} }
	from := "FROM (VALUES (1, 'a', 1.5::DECIMAL(5,2), 2.0::DOUBLE), (2, 'b', 2.5, NULL), (2, NULL, NULL, 4.0), (NULL, 'a', 1.0, 6.0)) t(i, s, dec, dbl)"
	tests := []struct {
		name string
		call Call
		want string
	}{
		{"count star counts rows", Call{Name: "count", Star: true}, "4"},
		{"count skips NULL", Call{Name: "count", Args: []Arg{col("i", "int")}}, "3"},
		{"count distinct", Call{Name: "count", Distinct: true, Args: []Arg{col("i", "int")}}, "2"},
		{"count of two columns needs both non-NULL", Call{Name: "count", Args: []Arg{col("i", "int"), col("s", "string")}}, "2"},
		{"count distinct of two columns", Call{Name: "count", Distinct: true, Args: []Arg{col("i", "int"), col("s", "string")}}, "2"},
		{"sum of int is bigint", Call{Name: "sum", Args: []Arg{col("i", "int")}}, "5"},
		{"sum distinct", Call{Name: "sum", Distinct: true, Args: []Arg{col("i", "int")}}, "3"},
		{"sum of decimal keeps scale", Call{Name: "sum", Args: []Arg{col("dec", "decimal(5,2)")}}, "5.00"},
		{"sum of string is double", Call{Name: "sum", Args: []Arg{Arg{SQL: "CAST(i AS VARCHAR)", Type: tString}}}, "5.0"},
		{"avg is double", Call{Name: "avg", Args: []Arg{col("i", "int")}}, "1.6666666666666667"},
		{"avg of decimal adds 4 digits of scale", Call{Name: "avg", Args: []Arg{col("dec", "decimal(5,2)")}}, "1.666667"},
		{"min", Call{Name: "min", Args: []Arg{col("s", "string")}}, "a"},
		{"max", Call{Name: "max", Args: []Arg{col("dbl", "double")}}, "6.0"},
		{"collect_list skips NULL", Call{Name: "collect_list", Args: []Arg{col("s", "string")}}, `["a","b","a"]`},
		{"collect_set is distinct", Call{Name: "collect_set", Args: []Arg{col("s", "string")}}, `["a","b"]`},
		{"variance", Call{Name: "variance", Args: []Arg{col("dbl", "double")}}, "2.6666666666666665"},
		{"var_samp", Call{Name: "var_samp", Args: []Arg{col("dbl", "double")}}, "4.0"},
		{"stddev_pop", Call{Name: "stddev_pop", Args: []Arg{col("dbl", "double")}}, "1.632993161855452"},
		{"stddev_samp", Call{Name: "stddev_samp", Args: []Arg{col("dbl", "double")}}, "2.0"},
		{"percentile", Call{Name: "percentile", Args: []Arg{col("i", "int"), d(0.5)}}, "2.0"},
		{"percentile array", Call{Name: "percentile", Args: []Arg{col("i", "int"), x(t, "[0.0, 1.0]", "array<double>")}}, "[1.0,2.0]"},
		{"corr", Call{Name: "corr", Args: []Arg{col("i", "int"), col("i", "int")}}, "1.0"},
		{"covar_pop", Call{Name: "covar_pop", Args: []Arg{col("i", "int"), col("i", "int")}}, "0.2222222222222222"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := eval(t, conn, r, &tc.call, from)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("collect_list of an empty group is []", func(t *testing.T) {
		got, err := eval(t, conn, r, &Call{Name: "collect_list", Args: []Arg{col("s", "string")}}, from+" WHERE false")
		if err != nil || got != "[]" {
			t.Errorf("got %q, %v", got, err)
		}
	})
}

func TestWindowFunctionsAndOver(t *testing.T) {
	conn := openConn(t)
	r := New()
	col := func(name, typ string) Arg { return Arg{SQL: name, Type: mustType(t, typ)} }
	from := "FROM (VALUES (1, 10), (2, 20), (3, 20), (4, NULL)) t(k, v)"
	spec := "ORDER BY k"
	tests := []struct {
		name string
		call Call
		want string
	}{
		{"row_number", Call{Name: "row_number"}, "1,2,3,4"},
		{"rank orders by k", Call{Name: "rank"}, "1,2,3,4"},
		{"ntile", Call{Name: "ntile", Args: []Arg{i(2)}}, "1,1,2,2"},
		{"lag default offset 1", Call{Name: "lag", Args: []Arg{col("v", "int")}}, "NULL,10,20,20"},
		{"lead with offset and default", Call{Name: "lead", Args: []Arg{col("v", "int"), i(2), i(0)}}, "20,NULL,0,0"},
		{"first_value", Call{Name: "first_value", Args: []Arg{col("v", "int")}}, "10,10,10,10"},
		{"percent_rank", Call{Name: "percent_rank"}, "0.0,0.3333333333333333,0.6666666666666666,1.0"},
		{"cume_dist", Call{Name: "cume_dist"}, "0.25,0.5,0.75,1.0"},
		{"running sum", Call{Name: "sum", Args: []Arg{col("v", "int")}}, "10,30,50,50"},
		{"running collect_list wraps correctly", Call{Name: "collect_list", Args: []Arg{col("v", "int")}}, "[10],[10,20],[10,20,20],[10,20,20]"},
		{"running avg of decimal wraps correctly", Call{Name: "avg", Args: []Arg{Arg{SQL: "CAST(v AS DECIMAL(5,0))", Type: mustType(t, "decimal(5,0)")}}}, "10.0000,15.0000,16.6667,16.6667"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := r.Lookup(tc.call.Name)
			if !ok {
				t.Fatal("missing")
			}
			res, err := f.Build(&tc.call)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := query(t, conn, "SELECT "+res.Over(spec)+" "+from+" ORDER BY k")
			if err != nil {
				t.Fatalf("%s: %v", res.Over(spec), err)
			}
			var got []string
			for _, row := range rows {
				got = append(got, output.FormatValue(row[0], res.Type))
			}
			if g := strings.Join(got, ","); g != tc.want {
				t.Errorf("got %q, want %q", g, tc.want)
			}
		})
	}
}

func TestTableFunctions(t *testing.T) {
	conn := openConn(t)
	r := New()
	tests := []struct {
		name string
		call Call
		cols string
		want string
	}{
		{"explode array", Call{Name: "explode", Args: []Arg{x(t, "[1,2]", "array<int>")}}, "col", "1\n2"},
		{"explode map", Call{Name: "explode", Args: []Arg{x(t, "MAP {'a': 1, 'b': 2}", "map<string,int>")}}, "key,value", "a\t1\nb\t2"},
		{"explode empty array gives no rows", Call{Name: "explode", Args: []Arg{x(t, "[]", "array<int>")}}, "col", ""},
		{"explode NULL array gives no rows", Call{Name: "explode", Args: []Arg{x(t, "NULL", "array<int>")}}, "col", ""},
		{"posexplode counts from 0", Call{Name: "posexplode", Args: []Arg{x(t, "['a','b']", "array<string>")}}, "pos,val", "0\ta\n1\tb"},
		{"inline unpacks structs", Call{Name: "inline", Args: []Arg{x(t, "[{'a': 1, 'b': 'x'}, {'a': 2, 'b': 'y'}]", "array<struct<a:int,b:string>>")}}, "a,b", "1\tx\n2\ty"},
		{"stack makes n rows", Call{Name: "stack", Args: []Arg{i(2), s("x"), x(t, "[1]", "array<int>"), s("z"), x(t, "[4]", "array<int>")}}, "col0,col1", "x\t[1]\nz\t[4]"},
		{"stack pads missing values with NULL", Call{Name: "stack", Args: []Arg{i(2), s("x"), x(t, "[1]", "array<int>"), s("z")}}, "col0,col1", "x\t[1]\nz\tNULL"},
		{"stack of one row with NULL", Call{Name: "stack", Args: []Arg{i(1), s("en"), s("dbpedia"), null()}}, "col0,col1,col2", "en\tdbpedia\tNULL"},
		{"stack of five values in two rows", Call{Name: "stack", Args: []Arg{i(2), s("a"), s("b"), s("c"), s("d"), s("e")}}, "col0,col1,col2", "a\tb\tc\nd\te\tNULL"},
		{"json_tuple", Call{Name: "json_tuple", Args: []Arg{s(`{"a":1,"b":{"c":"x"},"d":"s"}`), s("a"), s("b"), s("d"), s("zz")}}, "c0,c1,c2,c3", "1\t{\"c\":\"x\"}\ts\tNULL"},
		{"json_tuple invalid JSON gives NULLs", Call{Name: "json_tuple", Args: []Arg{s(`{`), s("a")}}, "c0", "NULL"},
		{"parse_url_tuple", Call{Name: "parse_url_tuple", Args: []Arg{s("http://h.com/p?k=v"), s("HOST"), s("QUERY:k")}}, "c0,c1", "h.com\tv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, cols, err := evalTable(t, conn, r, &tc.call)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range cols {
				names = append(names, c.Name)
			}
			if n := strings.Join(names, ","); n != tc.cols {
				t.Errorf("columns %s, want %s", n, tc.cols)
			}
			if got != tc.want {
				t.Errorf("rows %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("explode in a lateral join", func(t *testing.T) {
		res, err := explode(&Call{Name: "explode", Args: []Arg{{SQL: "t.a", Type: mustType(t, "array<int>")}}})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := query(t, conn, "SELECT t.k, e.col FROM (VALUES (1, [1,2]), (2, []), (3, NULL)) t(k, a), LATERAL ("+res.SQL+") e ORDER BY 1, 2")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Errorf("rows = %v, want 2", rows)
		}
	})
}

func TestRegistry(t *testing.T) {
	r := New()
	f, ok := r.LookupClass("org.apache.hadoop.hive.ql.udf.generic.GenericUDTFExplode")
	if !ok || f.Name != "explode" {
		t.Errorf("LookupClass(GenericUDTFExplode) = %v, %v", f, ok)
	}
	if f, ok := r.Lookup("SUBSTR"); !ok || f.Kind != Scalar {
		t.Error("Lookup is case-insensitive")
	}
	if f, ok := r.Lookup("count"); !ok || f.Kind != Aggregate {
		t.Error("count is an aggregate")
	}
	names := r.Names()
	if !sort.StringsAreSorted(names) || len(names) < 150 {
		t.Errorf("Names() has %d entries, sorted=%v", len(names), sort.StringsAreSorted(names))
	}
	_, err := r.byName["substr"].Build(&Call{Name: "substr", Args: []Arg{s("a")}})
	if err == nil || err.Error() != "wrong number of arguments to substr: 1 (expected 2 or 3)" {
		t.Errorf("error = %v", err)
	}
}
