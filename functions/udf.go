package functions

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"regexp"
	"sync"

	"github.com/duckdb/duckdb-go/v2"
)

// RegisterUDFs registers the Go scalar functions and SQL macros the registry's SQL refers to
// (hive_double_str, hive_hash, hive_from_unixtime, hive_substr, ...) on a DuckDB connection. The
// engine calls it once per session, before running translated SQL on that connection.
func RegisterUDFs(ctx context.Context, conn *sql.Conn) error {
	for _, m := range macros {
		if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP MACRO "+m); err != nil {
			return fmt.Errorf("functions: macro %s: %w", m, err)
		}
	}
	u, err := goUDFs()
	if err != nil {
		return err
	}
	for _, f := range u {
		if err := duckdb.RegisterScalarUDF(conn, f.name, f); err != nil {
			return fmt.Errorf("functions: register %s: %w", f.name, err)
		}
	}
	return nil
}

// macros are DuckDB SQL macros (name(params) AS body) for conversions too long to inline everywhere.
var macros = []string{
	// Java (long)d / (int)d: NaN → 0, truncation toward zero, saturation at the type's bounds.
	`hive_d2l(x) AS CASE WHEN isnan(x) THEN 0::BIGINT WHEN x >= 9.223372036854775807e18 THEN 9223372036854775807::BIGINT
		WHEN x <= -9.223372036854775808e18 THEN (-9223372036854775807 - 1)::BIGINT ELSE CAST(trunc(x) AS BIGINT) END`,
	`hive_d2i(x) AS CASE WHEN isnan(x) THEN 0::BIGINT WHEN x >= 2147483647 THEN 2147483647::BIGINT
		WHEN x <= -2147483648 THEN -2147483648::BIGINT ELSE CAST(trunc(x) AS BIGINT) END`,
	// Hive's substr: 1-based, 0 means 1, negative counts from the end, |pos| beyond the length or
	// len <= 0 gives ''.
	`hive_substr(s, pos, len) AS CASE WHEN pos IS NULL OR len IS NULL THEN NULL WHEN len <= 0 OR abs(pos) > length(s) THEN ''
		ELSE substring(s, CASE WHEN pos > 0 THEN pos WHEN pos < 0 THEN length(s) + pos + 1 ELSE 1 END, len) END`,
	`hive_substr_bin(s, pos, len) AS CASE WHEN pos IS NULL OR len IS NULL THEN NULL WHEN len <= 0 OR abs(pos) > octet_length(s) THEN ''::BLOB
		ELSE unhex(substring(hex(s), 2 * (CASE WHEN pos > 0 THEN pos WHEN pos < 0 THEN octet_length(s) + pos + 1 ELSE 1 END) - 1,
		2 * CAST(len AS BIGINT))) END`,
	// Hive's locate(sub, s, pos): 1-based position of sub in s at or after pos; 0 when absent or pos < 1.
	`hive_locate(sub, s, pos) AS CASE WHEN pos IS NULL THEN NULL WHEN pos < 1 OR pos > length(s) + 1 THEN 0
		WHEN strpos(substring(s, pos), sub) = 0 THEN 0 ELSE strpos(substring(s, pos), sub) + pos - 1 END`,
	// Distinct elements in order of first occurrence.
	`hive_list_distinct(l) AS list_filter(l, (e, i) -> list_position(l, e) = i)`,
	`hive_pmod(a, b) AS CASE WHEN b = 0 THEN NULL ELSE ((a % b) + b) % b END`,
}

// udf is a Go scalar function: fixed input types (or variadic), a result type, a row function.
type udf struct {
	name     string
	in       []duckdb.TypeInfo
	variadic duckdb.TypeInfo
	out      duckdb.TypeInfo
	nulls    bool // the function sees NULL arguments (otherwise NULL in → NULL out)
	volatile bool
	fn       func(args []driver.Value) (any, error)
}

func (u *udf) Config() duckdb.ScalarFuncConfig {
	return duckdb.ScalarFuncConfig{
		InputTypeInfos:      u.in,
		ResultTypeInfo:      u.out,
		VariadicTypeInfo:    u.variadic,
		SpecialNullHandling: u.nulls,
		Volatile:            u.volatile,
	}
}

func (u *udf) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: u.fn}
}

// regexCache compiles Java-style regexes once per connection.
type regexCache struct {
	mu sync.Mutex
	m  map[string]*regexp.Regexp
}

func (c *regexCache) get(p string) (*regexp.Regexp, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if re, ok := c.m[p]; ok {
		return re, nil
	}
	re, err := regexp.Compile(javaRegex(p))
	if err != nil {
		return nil, err
	}
	if len(c.m) > 1000 {
		c.m = map[string]*regexp.Regexp{}
	}
	c.m[p] = re
	return re, nil
}

// javaRegex adapts the few Java regex spellings RE2 lacks (possessive quantifiers are made greedy).
func javaRegex(p string) string {
	return p
}

func typeInfo(t duckdb.Type) duckdb.TypeInfo {
	ti, err := duckdb.NewTypeInfo(t)
	if err != nil {
		panic(err)
	}
	return ti
}

func listInfo(t duckdb.Type) duckdb.TypeInfo {
	ti, err := duckdb.NewListInfo(typeInfo(t))
	if err != nil {
		panic(err)
	}
	return ti
}
