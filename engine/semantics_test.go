package engine

import (
	"strings"
	"testing"
)

// TestExpressionSemantics pins each row of HIVE-SEMANTICS.md's "Types and expressions" table, run end to
// end through the session (parse → translate → DuckDB → Hive CLI output).
func TestExpressionSemantics(t *testing.T) {
	h := newHarness(t)
	h.run(`CREATE TABLE nums (i INT, s STRING, d DOUBLE);
INSERT INTO nums VALUES (7, '3', 2.5), (NULL, 'abc', NULL);`)
	tests := []struct {
		name, query, want string
	}{
		{"int / int is double", "SELECT 7 / 2", "3.5"},
		{"int / int exact is still double", "SELECT 4 / 2", "2.0"},
		{"DIV is integer division", "SELECT 7 DIV 2", "3"},
		{"division by zero is NULL", "SELECT 1 / 0", "NULL"},
		{"modulo by zero is NULL", "SELECT 5 % 0", "NULL"},
		{"double division by zero is NULL", "SELECT 1.5D / 0", "NULL"},
		{"bad string to int cast is NULL", "SELECT cast('abc' AS INT)", "NULL"},
		{"bad implicit string to number is NULL", "SELECT 'abc' + 1", "NULL"},
		{"string compared with number as double", "SELECT '10' > 9, '1.0' = 1", "true\ttrue"},
		{"integer overflow wraps like Java", "SELECT 2147483647 + 1", "-2147483648"},
		{"bigint overflow wraps", "SELECT 9223372036854775807L + 1", "-9223372036854775808"},
		{"concat with NULL is NULL", "SELECT concat('a', NULL)", "NULL"},
		{"concat_ws skips NULLs", "SELECT concat_ws('-', 'a', NULL, 'b')", "a-b"},
		{"substr from 0 is from 1", "SELECT substr('hello', 0, 2)", "he"},
		{"substr negative start counts from end", "SELECT substr('hello', -3)", "llo"},
		{"split is a regex split", "SELECT split('a1b22c', '[0-9]+')", `["a","b","c"]`},
		{"regexp_extract no match is empty", "SELECT regexp_extract('abc', 'x(y)', 1)", ""},
		{"size of NULL is -1", "SELECT size(CAST(NULL AS ARRAY<INT>))", "-1"},
		{"hash of string is Hadoop Text.hashCode (31*h+b from 1)", "SELECT hash('abc')", "126145"},
		{"hash of int is the int", "SELECT hash(42)", "42"},
		{"from_unixtime with Java pattern", "SELECT from_unixtime(0, 'yyyy-MM-dd HH:mm:ss')", "1970-01-01 00:00:00"},
		{"unix_timestamp parse failure is NULL", "SELECT unix_timestamp('nope', 'yyyy-MM-dd')", "NULL"},
		{"to_date is lenient", "SELECT to_date('2017-12-13 15:00')", "2017-12-13"},
		{"timestamp is zone-less", "SELECT CAST('2011-01-01 01:02:03' AS TIMESTAMP)", "2011-01-01 01:02:03"},
		{"timestamp fraction printed when non-zero", "SELECT CAST('2011-01-01 01:02:03.5' AS TIMESTAMP)", "2011-01-01 01:02:03.5"},
		{"boolean printing", "SELECT true, 1 = 2", "true\tfalse"},
		{"double printing like Java", "SELECT 1.0D, 1.0E10D, 0.1D + 0.2D", "1.0\t1.0E10\t0.30000000000000004"},
		{"decimal default is decimal(10,0)", "SELECT CAST(3.7 AS DECIMAL)", "4"},
		{"decimal keeps its scale", "SELECT CAST(1 AS DECIMAL(5,2))", "1.00"},
		{"identifiers are case-insensitive", "SELECT I, NUMS.S FROM NUMS WHERE i = 7", "7\t3"},
		{"string literal escapes", `SELECT 'a\tb', "q\"q", '\u0041', length('\001')`, "a\tb\tq\"q\tA\t1"},
		{"numeric literal suffixes", "SELECT 10Y + 1Y, 10S, 10L, 1.5BD, 1D", "11\t10\t10\t1.5\t1.0"},
		{"NULL prints as NULL", "SELECT NULL", "NULL"},
		{"arrays maps structs print JSON-like", "SELECT array(1,2), map('k', 1), named_struct('a', 1, 'b', 'x')", `[1,2]` + "\t" + `{"k":1}` + "\t" + `{"a":1,"b":"x"}`},
		{"NULL inside a complex value prints null", "SELECT array(1, NULL)", "[1,null]"},
		{"array index is 0-based, out of range NULL", "SELECT array(5,6)[0], array(5,6)[2]", "5\tNULL"},
		{"map lookup of a missing key is NULL", "SELECT map('a', 1)['b']", "NULL"},
		{"null-safe equality", "SELECT NULL <=> NULL, 1 <=> NULL", "true\tfalse"},
		{"LIKE and RLIKE", "SELECT 'abc' LIKE 'a%', 'abc' RLIKE 'b', 'abc' REGEXP '^b'", "true\ttrue\tfalse"},
		{"IF and CASE", "SELECT if(1 < 2, 'y', 'n'), CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END", "y\ttwo"},
		{"COALESCE and NVL", "SELECT coalesce(NULL, 2), nvl(NULL, 'x')", "2\tx"},
		{"count(*) and avg over a table", "SELECT count(*), count(i), avg(i), sum(d) FROM nums", "2\t1\t7.0\t2.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.out.Reset()
			h.err.Reset()
			if err := h.sess.RunScript(t.Context(), "q.sql", tc.query); err != nil {
				t.Fatalf("%s: %v\n%s", tc.query, err, h.err.String())
			}
			if got := strings.TrimSuffix(h.out.String(), "\n"); got != tc.want {
				t.Fatalf("%s\ngot:  %q\nwant: %q", tc.query, got, tc.want)
			}
		})
	}
}

// TestOrderingSemantics: NULL order of ORDER BY (Hive 3.1 default and hive.default.nulls.last), SORT BY,
// CLUSTER BY.
func TestOrderingSemantics(t *testing.T) {
	h := newHarness(t)
	h.run("CREATE TABLE o (a INT);\nINSERT INTO o VALUES (2), (NULL), (1);")
	tests := []struct{ name, query, want string }{
		{"ASC puts NULLs first", "SELECT a FROM o ORDER BY a", "NULL\n1\n2"},
		{"DESC puts NULLs last", "SELECT a FROM o ORDER BY a DESC", "2\n1\nNULL"},
		{"explicit NULLS LAST wins", "SELECT a FROM o ORDER BY a NULLS LAST", "1\n2\nNULL"},
		{"SORT BY sorts", "SELECT a FROM o SORT BY a DESC", "2\n1\nNULL"},
		{"CLUSTER BY sorts by the key", "SELECT a FROM o CLUSTER BY a", "NULL\n1\n2"},
		{"DISTRIBUTE BY keeps rows", "SELECT count(*) FROM (SELECT a FROM o DISTRIBUTE BY a) t", "3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.TrimSuffix(h.run(tc.query+";"), "\n"); got != tc.want {
				t.Fatalf("got %q want %q", got, tc.want)
			}
		})
	}
	h.run("SET hive.default.nulls.last=true;")
	if got := h.run("SELECT a FROM o ORDER BY a;"); got != "1\n2\nNULL\n" {
		t.Fatalf("nulls.last ASC: %q", got)
	}
}

// TestDecimalMultiply: products keep Hive's scale; waggle.decimal.multiply=exact computes beyond 18
// digits as Hive does, the default fast mode raises an overflow error there instead of a wrong value.
func TestDecimalMultiply(t *testing.T) {
	h := newHarness(t)
	if out := h.run("SELECT CAST(1.25 AS DECIMAL(15,2)) * CAST(3.10 AS DECIMAL(16,2)) * CAST(2 AS DECIMAL(5,0));"); out != "7.7500\n" {
		t.Fatalf("chained product %q", out)
	}
	big := "SELECT CAST(9999999999999.99 AS DECIMAL(15,2)) * CAST(99999999999999.99 AS DECIMAL(16,2));"
	if msg := h.fail(big); !strings.Contains(msg, "Overflow") {
		t.Fatalf("fast mode: %q", msg)
	}
	if out := h.run("SET waggle.decimal.multiply=exact;\n" + big); out != "999999999999998900000000000.0001\n" {
		t.Fatalf("exact mode %q", out)
	}
}
