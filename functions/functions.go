// Package functions is Waggle's one registry of Hive functions: for every Hive built-in (scalar, aggregate,
// window, table-generating) one entry that knows its Hive name, its Java class names (for CREATE TEMPORARY
// FUNCTION f AS 'class'), its result type under Hive's rules, and how to express it in DuckDB SQL with
// Hive's exact semantics — a DuckDB built-in where it matches, an SQL expression or macro where it nearly
// does, a Go scalar UDF registered on the connection where it does not (hash, Java date formats, ...).
//
// It also owns Hive's implicit type coercion (CommonType, CastSQL), since function typing needs it and
// the translator uses the same rules for operators.
//
// It receives already-translated arguments (DuckDB SQL text + Hive type) and returns SQL text + Hive type.
// It never sees the AST, the catalog or a session; it runs SQL only to register UDFs and in tests.
package functions

import (
	"strings"

	"github.com/waggle-dev/waggle/hiveql/types"
)

// Kind says how a function is used.
type Kind int

// The kinds of functions.
const (
	Scalar    Kind = iota + 1
	Aggregate      // usable in GROUP BY queries and, with OVER, as a window aggregate
	Window         // only with OVER: row_number, rank, lead, lag, ...
	Table          // UDTF: explode, posexplode, inline, stack, json_tuple, parse_url_tuple
)

// Arg is one translated argument of a call.
type Arg struct {
	SQL  string      // DuckDB SQL expression, already parenthesised where needed
	Type *types.Type // Hive type of the argument
	// Const is the argument's value when it is a literal (string, int64, float64, bool; nil with
	// IsConst for NULL); functions use it for format strings, regexes, field names, stack's row count.
	Const   any
	IsConst bool
}

// Call is a call to build.
type Call struct {
	Name     string // the name as called, lower case
	Args     []Arg
	Distinct bool // f(DISTINCT ...)
	Star     bool // f(*)
	// Conf returns a session setting (e.g. hive.local.time.zone); "" when unset.
	Conf func(key string) string
}

// Result is a built scalar, aggregate or window expression: SQL (without any OVER clause) and Hive type.
type Result struct {
	SQL  string
	Type *types.Type
	// Agg and Wrap are set for an aggregate whose SQL is not a bare aggregate call, e.g.
	// CAST(avg(x) AS DECIMAL(14,6)): Agg is the bare call `avg(x)` and Wrap the rest with %s where the
	// call goes. Window use must go through Over, which places OVER (...) right after the call.
	Agg  string
	Wrap string
}

// Over returns the expression applied over a window: spec is the text inside OVER ( ), e.g.
// `PARTITION BY a ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`.
func (r Result) Over(spec string) string {
	if r.Agg == "" {
		return r.SQL + " OVER (" + spec + ")"
	}
	return strings.Replace(r.Wrap, "%s", r.Agg+" OVER ("+spec+")", 1)
}

// Column is an output column of a table function.
type Column struct {
	Name string
	Type *types.Type
}

// TableResult is a built table-generating function: a DuckDB SELECT that produces the function's rows
// from the arguments' SQL (which may reference columns of the outer FROM, laterally), and its default
// output columns (Hive's names: `col` for explode(array), `key`,`value` for explode(map), `pos`,`val`
// for posexplode, `col0`.. for stack/inline/json_tuple as Hive names them). The translator places it as
// `FROM src, LATERAL (<SQL>) AS alias(cols)` or `LEFT JOIN LATERAL (...) ON TRUE` for OUTER.
type TableResult struct {
	SQL     string
	Columns []Column
	// Outer is set by the Spark *_outer generators (explode_outer, posexplode_outer, inline_outer): the
	// translator joins them like LATERAL VIEW OUTER (one row of NULLs when the function yields none).
	Outer bool
}

// Func is one registry entry.
type Func struct {
	Name    string
	Kind    Kind
	Classes []string // Hive implementation classes, e.g. org.apache.hadoop.hive.ql.udf.generic.GenericUDTFExplode
	// Build builds a Scalar, Aggregate or Window call. Errors are user-facing: `wrong number of arguments
	// to substr: 1 (expected 2 or 3)`, `argument 1 of abs must be numeric, got string`.
	Build func(c *Call) (Result, error)
	// BuildTable builds a Table function.
	BuildTable func(c *Call) (TableResult, error)
}

// Registry maps function names (case-insensitive) and Hive class names to entries. It is immutable after
// New; sessions keep their temporary function bindings elsewhere.
type Registry struct {
	byName  map[string]*Func
	byClass map[string]*Func
}

// Lookup returns the function named name (case-insensitive).
func (r *Registry) Lookup(name string) (*Func, bool) {
	f, ok := r.byName[lower(name)]
	return f, ok
}

// LookupClass returns the built-in implemented by the Hive Java class (CREATE TEMPORARY FUNCTION f AS
// 'org.apache.hadoop.hive.ql.udf.generic.GenericUDTFExplode' binds f to explode).
func (r *Registry) LookupClass(class string) (*Func, bool) {
	f, ok := r.byClass[class]
	return f, ok
}

func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
