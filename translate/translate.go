package translate

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/functions"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/token"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// Query translates a query (SELECT, set operation, VALUES, parenthesised query) to one DuckDB SELECT.
//
// For Hive's FROM-first statements (`[WITH ...] FROM src INSERT ... SELECT ...`), the engine passes each
// body as a Select whose With and From are the statement's: see FromFirst.
//
// Each table scan is told which data columns the query reads (ScanRequest.Columns), so that object-store
// files can be fetched in part. A column reference met after its table's scan was emitted (which the
// translator's order of work should never produce) makes Query translate the statement again with
// every scan reading all columns: a projection is never narrower than what the SQL reads.
func Query(ctx context.Context, env *Env, q ast.Query) (*Result, error) {
	t := newTranslator(ctx, env)
	r, err := t.query(q, nil)
	if err == nil && t.lateRef {
		t = newTranslator(ctx, env)
		t.allColumns = true
		r, err = t.query(q, nil)
	}
	if err != nil {
		return nil, err
	}
	return r.result(), nil
}

// FromFirst returns the query that one body of a FROM-first statement (`[WITH w] FROM src INSERT ...
// SELECT ...`) means: the body's SELECT with the statement's WITH and FROM.
func FromFirst(with *ast.With, from ast.TableRef, body *ast.Select) *ast.Select {
	s := *body
	if s.With == nil {
		s.With = with
	}
	if s.From == nil {
		s.From = from
	}
	s.FromFirst = true
	return &s
}

// Conform returns a DuckDB SELECT over res that converts its columns, in order, to the types of the
// target columns with Hive's implicit conversion (INSERT semantics), naming them as the targets. table
// is the target's name as Hive reports it in errors (`db.t`).
func Conform(res *Result, target []Column) (string, error) {
	return ConformTable(res, target, "", nil)
}

// ConformTable is Conform with the target table's name for the error messages and the session settings
// (conf may be nil).
func ConformTable(res *Result, target []Column, table string, conf func(string) string) (string, error) {
	if len(res.Columns) != len(target) {
		return "", &Error{Msg: fmt.Sprintf("Cannot insert into target table because column number/types are different '%s': Table insclause-0 has %d columns, but query has %d columns.", table, len(target), len(res.Columns))}
	}
	names := res.sqlNames()
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, c := range res.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		arg := functions.Arg{SQL: "q." + duckdbsql.Ident(names[i]), Type: c.Type}
		s, err := functions.CastSQLConf(arg, target[i].Type, conf)
		if err != nil {
			return "", &Error{Msg: fmt.Sprintf("Cannot insert into target table because column number/types are different '%s': Cannot convert column %d from %s to %s.", table, i, c.Type, target[i].Type)}
		}
		if target[i].Type.Kind != types.Void && target[i].Type.IsPrimitive() && c.Type.Kind == types.Void {
			s = "CAST(" + s + " AS " + duckdbsql.Type(target[i].Type) + ")"
		}
		b.WriteString(s)
		b.WriteString(" AS ")
		b.WriteString(duckdbsql.Ident(target[i].Name))
	}
	b.WriteString(" FROM (")
	b.WriteString(res.SQL)
	b.WriteString(") AS q")
	return b.String(), nil
}

// ConstExpr translates an expression that references no columns (partition spec values, VALUES rows).
func ConstExpr(ctx context.Context, env *Env, e ast.Expr) (sql string, t *types.Type, err error) {
	tr := newTranslator(ctx, env)
	x, err := tr.expr(&scope{}, e)
	if err != nil {
		return "", nil, err
	}
	return x.sql, x.t, nil
}

func (r *Result) sqlNames() []string {
	if len(r.SQLNames) == len(r.Columns) {
		return r.SQLNames
	}
	names := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		names[i] = c.Name
	}
	return names
}

// translator holds the state of one translation: the generated-alias counter and the CTEs in scope.
type translator struct {
	ctx   context.Context
	env   *Env
	n     int
	ctes  *cte
	views int // view nesting depth (guards against recursive views)

	allColumns bool // scans read every data column (no projection)
	lateRef    bool // a column of a scanned table was referenced after its scan was emitted
}

func newTranslator(ctx context.Context, env *Env) *translator {
	return &translator{ctx: ctx, env: env}
}

func (t *translator) newAlias(prefix string) string {
	t.n++
	return prefix + strconv.Itoa(t.n)
}

func (t *translator) conf(key string) string {
	if t.env == nil || t.env.Conf == nil {
		return ""
	}
	return t.env.Conf(key)
}

func (t *translator) confBool(key string) bool {
	return strings.EqualFold(strings.TrimSpace(t.conf(key)), "true")
}

// nullsLast reports whether NULLs sort last on ASC (hive.default.nulls.last, Hive 4's default, also
// implied by waggle.hive.compat=4 when the key is unset).
func (t *translator) nullsLast() bool {
	v := strings.TrimSpace(t.conf("hive.default.nulls.last"))
	if v != "" {
		return strings.EqualFold(v, "true")
	}
	return strings.TrimSpace(t.conf("waggle.hive.compat")) == "4"
}

// cte is a WITH entry in scope.
type cte struct {
	name    string // lower case
	sqlName string
	cols    []column
	parent  *cte
}

func (t *translator) lookupCTE(name string) *cte {
	for c := t.ctes; c != nil; c = c.parent {
		if c.name == name {
			return c
		}
	}
	return nil
}

// column is a column of a relation in scope.
type column struct {
	name   string // Hive name, lower case
	t      *types.Type
	sql    string // DuckDB column name in the relation
	hidden bool   // not visible to * nor to unqualified references (merged USING column)
}

// relation is a FROM item in scope.
type relation struct {
	alias    string // lower case Hive alias
	db       string // database of a table, for db.t.c references
	sqlAlias string
	cols     []column
	onlyOn   bool // right side of LEFT SEMI / ANTI JOIN: visible only in its ON clause
	nullable bool // on the null-supplying side of an outer join
	table    *Table
	nData    int  // number of data columns (the rest are partition columns)
	bare     bool // render columns unqualified (partition filters)

	// Projection of a table scan: used marks the columns referenced so far; scanned is set when the scan
	// was emitted (with the columns used then), late when a new column was referenced after that.
	used    []bool
	scanned bool
	late    *bool
}

func (r *relation) ref(i int) string {
	if r.used != nil && !r.used[i] {
		r.used[i] = true
		if r.scanned && r.late != nil {
			*r.late = true
		}
	}
	if r.bare {
		return duckdbsql.Ident(r.cols[i].sql)
	}
	return duckdbsql.Ident(r.sqlAlias) + "." + duckdbsql.Ident(r.cols[i].sql)
}

// scope is the name-resolution context of an expression.
type scope struct {
	rels   []*relation
	parent *scope // enclosing query (correlated subqueries)

	params map[string]texpr // macro parameters, lambda variables

	// select-list aliases: used first (aliasFirst: ORDER BY) or as a fallback (GROUP BY, HAVING).
	aliases    map[string]*selItem
	aliasFirst bool

	group   *groupCtx
	windows map[string]*ast.WindowSpec

	noAgg string // when set, aggregates are an error here (the clause name)
	// cols used in the expression being translated (partition pruning)
	used *[]usedCol
}

type usedCol struct {
	rel *relation
	col int
}

type groupCtx struct {
	keys       map[string]bool
	keyList    []string
	groupingID string // SQL of GROUPING__ID; "" when there are no grouping sets
}

// texpr is a translated expression.
type texpr struct {
	sql     string
	t       *types.Type
	isConst bool
	val     any
	agg     bool // contains an aggregate call
	win     bool // contains a window function
	sub     bool // contains a subquery
	free    []freeRef
	name    string // Hive's name for the select list (column / field name), "" if none
	// phys is the precision of the DuckDB value when it is narrower than the Hive type's (a fast decimal
	// product is DECIMAL(≤18, s) in DuckDB while Hive types it wider); 0: the Hive type's own.
	phys int
}

type freeRef struct {
	pos  token.Pos
	name string
}

func (x texpr) arg() functions.Arg {
	return functions.Arg{SQL: x.sql, Type: x.t, Const: x.val, IsConst: x.isConst}
}

// qresult is a translated query: SQL plus output columns.
type qresult struct {
	sql      string
	cols     []Column
	sqlNames []string
}

func (q *qresult) result() *Result {
	return &Result{SQL: q.sql, Columns: q.cols, SQLNames: q.sqlNames}
}

func (q *qresult) asColumns() []column {
	cols := make([]column, len(q.cols))
	for i, c := range q.cols {
		cols[i] = column{name: c.Name, t: c.Type, sql: q.sqlNames[i]}
	}
	return cols
}

// uniqueNames returns SQL-safe, unique output names for Hive names (Hive allows duplicates).
func uniqueNames(names []string) []string {
	out := make([]string, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		u := n
		for k := 1; seen[u]; k++ {
			u = n + "_" + strconv.Itoa(k)
		}
		seen[u] = true
		out[i] = u
	}
	return out
}

func lower(s string) string { return strings.ToLower(s) }

func identName(id *ast.Ident) string { return strings.ToLower(id.Name) }
