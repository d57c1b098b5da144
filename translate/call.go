package translate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/functions"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/token"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// lookupFunc finds a function: temporary functions (CREATE TEMPORARY FUNCTION) first, then the registry.
func (t *translator) lookupFunc(name string) (*functions.Func, bool) {
	if t.env == nil {
		return nil, false
	}
	if f, ok := t.env.TempFunctions[name]; ok && f != nil {
		return f, true
	}
	if t.env.Functions == nil {
		return nil, false
	}
	return t.env.Functions.Lookup(name)
}

func funcName(fc *ast.FuncCall) string {
	parts := make([]string, len(fc.Name.Parts))
	for i, p := range fc.Name.Parts {
		parts[i] = p.Name
	}
	return strings.Join(parts, ".")
}

// isUDTF reports whether fc calls a table-generating function (and is not a macro).
func (t *translator) isUDTF(fc *ast.FuncCall) bool {
	if len(fc.Name.Parts) != 1 || fc.Over != nil {
		return false
	}
	name := identName(fc.Name.Parts[0])
	if t.env != nil && t.env.Macros[name] != nil {
		return false
	}
	f, ok := t.lookupFunc(name)
	return ok && f.Kind == functions.Table
}

// rankingFuncs take no window frame.
var rankingFuncs = map[string]bool{
	"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true,
	"ntile": true, "lead": true, "lag": true,
}

func (t *translator) call(sc *scope, fc *ast.FuncCall) (texpr, error) {
	if len(fc.Name.Parts) != 1 {
		return texpr{}, errorf(fc.Name.Pos(), "Invalid function '%s'", funcName(fc))
	}
	name := identName(fc.Name.Parts[0])
	if t.env != nil {
		if m := t.env.Macros[name]; m != nil && fc.Over == nil {
			return t.macro(sc, fc, m)
		}
	}
	if name == "grouping" && fc.Over == nil {
		return t.grouping(sc, fc)
	}
	fn, ok := t.lookupFunc(name)
	if !ok {
		return texpr{}, errorf(fc.Name.Pos(), "Invalid function '%s'", fc.Name.Parts[0].Name)
	}
	if fn.Kind == functions.Table {
		return texpr{}, errorf(fc.Pos(), "UDTF's are not supported outside the SELECT clause, nor nested in expressions")
	}
	if fn.Kind == functions.Window && fc.Over == nil {
		return texpr{}, errorf(fc.Pos(), "Windowing function %s requires an OVER clause", name)
	}
	aggregate := fn.Kind == functions.Aggregate && fc.Over == nil
	argScope := sc
	if aggregate {
		if sc.noAgg != "" {
			return texpr{}, errorf(fc.Pos(), "Not yet supported place for UDAF '%s'", name)
		}
		s := *sc
		s.group = nil
		s.noAgg = "aggregate arguments"
		argScope = &s
	}
	args, parts, err := t.callArgs(argScope, fc.Args)
	if err != nil {
		return texpr{}, err
	}
	if fn.Build == nil {
		return texpr{}, errorf(fc.Pos(), "Invalid function '%s'", fc.Name.Parts[0].Name)
	}
	res, err := fn.Build(&functions.Call{Name: name, Args: args, Distinct: fc.Distinct, Star: fc.Star, Conf: t.conf})
	if err != nil {
		return texpr{}, errorf(fc.Pos(), "%v", err)
	}
	r := texpr{sql: res.SQL, t: res.Type}
	if fc.IgnoreNulls {
		// first_value(x) IGNORE NULLS → DuckDB's first_value(x IGNORE NULLS).
		if !isCall(r.sql) {
			return texpr{}, errorf(fc.Pos(), "IGNORE NULLS is not supported with %s", name)
		}
		r.sql = r.sql[:len(r.sql)-1] + " IGNORE NULLS)"
	}
	if aggregate {
		r.agg = true
		for _, p := range parts {
			if p.agg {
				return texpr{}, errorf(fc.Pos(), "Not yet supported place for UDAF '%s': aggregates cannot be nested", name)
			}
			r.sub = r.sub || p.sub
		}
	} else {
		r.absorb(parts...)
	}
	if fc.Filter != nil {
		if !aggregate {
			return texpr{}, errorf(fc.Filter.Pos(), "FILTER is only allowed with aggregate functions")
		}
		f, err := t.expr(argScope, fc.Filter)
		if err != nil {
			return f, err
		}
		b, err := t.toBool(f)
		if err != nil {
			return f, err
		}
		r.sql += " FILTER (WHERE " + b + ")"
	}
	if fc.Over != nil {
		over, ps, err := t.over(sc, name, fc.Over)
		if err != nil {
			return texpr{}, err
		}
		if res.Agg != "" && !fc.IgnoreNulls && fc.Filter == nil {
			// The registry wrapped the aggregate (CAST, coalesce): it knows where OVER goes.
			r.sql = "(" + res.Over(over) + ")"
		} else {
			r.sql = "(" + insertOver(r.sql, over) + ")"
		}
		r.absorb(ps...)
		r.win = true
	}
	return r, nil
}

// callArgs translates call arguments; lambda arguments get their parameters typed from the preceding
// array (element) or map (key, value) argument.
func (t *translator) callArgs(sc *scope, es []ast.Expr) ([]functions.Arg, []texpr, error) {
	args := make([]functions.Arg, 0, len(es))
	parts := make([]texpr, 0, len(es))
	for _, e := range es {
		if l, ok := e.(*ast.LambdaExpr); ok {
			x, err := t.lambda(sc, l, parts)
			if err != nil {
				return nil, nil, err
			}
			parts = append(parts, x)
			args = append(args, x.arg())
			continue
		}
		x, err := t.expr(sc, e)
		if err != nil {
			return nil, nil, err
		}
		parts = append(parts, x)
		args = append(args, x.arg())
	}
	return args, parts, nil
}

func (t *translator) lambda(sc *scope, l *ast.LambdaExpr, prev []texpr) (texpr, error) {
	var ptypes []*types.Type
	for i := len(prev) - 1; i >= 0; i-- {
		switch prev[i].t.Kind {
		case types.Array:
			ptypes = []*types.Type{prev[i].t.Elem, types.Prim(types.Int)}
		case types.Map:
			ptypes = []*types.Type{prev[i].t.Key, prev[i].t.Value}
		default:
			continue
		}
		break
	}
	inner := &scope{parent: sc, params: map[string]texpr{}}
	names := make([]string, len(l.Params))
	for i, p := range l.Params {
		names[i] = "__l" + strconv.Itoa(t.n+1)
		t.n++
		pt := types.Prim(types.Void)
		if i < len(ptypes) && ptypes[i] != nil {
			pt = ptypes[i]
		}
		inner.params[identName(p)] = texpr{sql: names[i], t: pt}
	}
	body, err := t.expr(inner, l.Body)
	if err != nil {
		return body, err
	}
	r := texpr{sql: "lambda " + strings.Join(names, ", ") + ": " + body.sql, t: body.t}
	r.absorb(body)
	return r, nil
}

// macro expands a temporary macro: the arguments are converted to the parameter types and the body is
// translated with the parameters bound to them.
func (t *translator) macro(sc *scope, fc *ast.FuncCall, m *Macro) (texpr, error) {
	if len(fc.Args) != len(m.Params) {
		return texpr{}, errorf(fc.Pos(), "Invalid number of arguments for macro %s: expected %d, got %d", funcName(fc), len(m.Params), len(fc.Args))
	}
	args, err := t.exprs(sc, fc.Args)
	if err != nil {
		return texpr{}, err
	}
	params := map[string]texpr{}
	for i, p := range m.Params {
		s, err := t.castTo(fc.Args[i].Pos(), args[i], p.Type)
		if err != nil {
			return texpr{}, err
		}
		x := args[i]
		x.sql, x.t, x.name = "("+s+")", p.Type, ""
		params[lower(p.Name)] = x
	}
	if t.views > 64 {
		return texpr{}, errorf(fc.Pos(), "macro %s expands recursively", funcName(fc))
	}
	t.views++
	defer func() { t.views-- }()
	body, err := t.expr(&scope{params: params}, m.Body)
	if err != nil {
		return body, err
	}
	body.name = ""
	return body, nil
}

// grouping is GROUPING(col, ...): 1 when the column is aggregated away in this grouping set.
func (t *translator) grouping(sc *scope, fc *ast.FuncCall) (texpr, error) {
	if sc.group == nil || sc.group.groupingID == "" {
		return texpr{}, errorf(fc.Pos(), "grouping() can only be used with GROUPING SETS, ROLLUP or CUBE")
	}
	s := *sc
	s.group = nil
	args, err := t.exprs(&s, fc.Args)
	if err != nil {
		return texpr{}, err
	}
	parts := make([]string, len(args))
	for i, a := range args {
		if !sc.group.keys[a.sql] {
			return texpr{}, errorf(fc.Args[i].Pos(), "Expression in GROUPING function not present in GROUP BY")
		}
		parts[i] = a.sql
	}
	return texpr{sql: "CAST(GROUPING(" + strings.Join(parts, ", ") + ") AS INTEGER)", t: types.Prim(types.Int)}, nil
}

// resolveWindow merges a window reference (`OVER w`, `OVER (w ORDER BY ...)`) with its definition.
func resolveWindow(sc *scope, spec *ast.WindowSpec, depth int) (*ast.WindowSpec, error) {
	if spec.Name == nil {
		return spec, nil
	}
	if depth > 32 {
		return nil, errorf(spec.Pos(), "Window Spec %s refers to itself", spec.Name.Name)
	}
	var def *ast.WindowSpec
	for s := sc; s != nil && def == nil; s = s.parent {
		def = s.windows[identName(spec.Name)]
	}
	if def == nil {
		return nil, errorf(spec.Name.Pos(), "Window Spec %s is not defined", spec.Name.Name)
	}
	base, err := resolveWindow(sc, def, depth+1)
	if err != nil {
		return nil, err
	}
	m := *base
	m.Name = nil
	if len(spec.PartitionBy) > 0 {
		m.PartitionBy = spec.PartitionBy
	}
	if len(spec.OrderBy) > 0 {
		m.OrderBy = spec.OrderBy
	}
	if spec.Frame != nil {
		m.Frame = spec.Frame
	}
	return &m, nil
}

// over translates a window specification (the text inside OVER (...)).
func (t *translator) over(sc *scope, fname string, spec *ast.WindowSpec) (string, []texpr, error) {
	spec, err := resolveWindow(sc, spec, 0)
	if err != nil {
		return "", nil, err
	}
	var parts []texpr
	var b strings.Builder
	if len(spec.PartitionBy) > 0 {
		xs, err := t.exprs(sc, spec.PartitionBy)
		if err != nil {
			return "", nil, err
		}
		parts = append(parts, xs...)
		b.WriteString("PARTITION BY ")
		for i, x := range xs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(x.sql)
		}
	}
	var orderTypes []*types.Type
	if len(spec.OrderBy) > 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("ORDER BY ")
		for i, o := range spec.OrderBy {
			x, err := t.expr(sc, o.Expr)
			if err != nil {
				return "", nil, err
			}
			parts = append(parts, x)
			orderTypes = append(orderTypes, x.t)
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(t.orderSQL(x.sql, o))
		}
	}
	if spec.Frame != nil && !rankingFuncs[fname] {
		f := spec.Frame
		unit := "ROWS"
		// Hive: a RANGE offset over a non-numeric sort key (e.g. a string) only reaches the peers of the
		// current row.
		peersOnly := false
		if f.Unit == token.KW_RANGE {
			unit = "RANGE"
			if len(orderTypes) != 1 || !(orderTypes[0].IsNumeric() || orderTypes[0].IsDateTime()) {
				peersOnly = true
			}
		}
		start, err := t.frameBound(sc, f.Start, peersOnly)
		if err != nil {
			return "", nil, err
		}
		var end string
		if f.End != nil {
			if end, err = t.frameBound(sc, f.End, peersOnly); err != nil {
				return "", nil, err
			}
		} else if f.Start.Kind == ast.Following || f.Start.Kind == ast.UnboundedFollowing {
			start, end = "CURRENT ROW", start
		} else {
			end = "CURRENT ROW"
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s BETWEEN %s AND %s", unit, start, end)
	}
	return b.String(), parts, nil
}

func (t *translator) frameBound(sc *scope, fb *ast.FrameBound, peersOnly bool) (string, error) {
	switch fb.Kind {
	case ast.UnboundedPreceding:
		return "UNBOUNDED PRECEDING", nil
	case ast.UnboundedFollowing:
		return "UNBOUNDED FOLLOWING", nil
	case ast.CurrentRow:
		return "CURRENT ROW", nil
	}
	if peersOnly {
		return "CURRENT ROW", nil
	}
	x, err := t.expr(&scope{}, fb.Offset)
	if err != nil {
		return "", err
	}
	if fb.Kind == ast.Preceding {
		return x.sql + " PRECEDING", nil
	}
	return x.sql + " FOLLOWING", nil
}

// orderSQL renders one sort key with an explicit NULL order: written NULLS FIRST/LAST wins; otherwise
// Hive 3.1's default (ASC: NULLs first, DESC: NULLs last), or NULLs last for both with
// hive.default.nulls.last=true (Hive 4).
func (t *translator) orderSQL(sql string, o *ast.OrderItem) string {
	dir := " ASC"
	if o.Desc {
		dir = " DESC"
	}
	var nulls string
	switch {
	case o.Nulls == token.KW_FIRST:
		nulls = " NULLS FIRST"
	case o.Nulls == token.KW_LAST:
		nulls = " NULLS LAST"
	case t.nullsLast() || o.Desc:
		nulls = " NULLS LAST"
	default:
		nulls = " NULLS FIRST"
	}
	return sql + dir + nulls
}

// udtf builds a table-generating function call as a lateral relation. aliases name its columns
// (defaults: the function's own names); outer keeps source rows for which it yields no rows.
func (t *translator) udtf(sc *scope, fc *ast.FuncCall, tableAlias string, aliases []*ast.Ident, outer bool) (*relation, string, error) {
	rel, sql, _, err := t.udtfProj(sc, fc, tableAlias, aliases, outer)
	return rel, sql, err
}

// udtfProj is udtf that also returns, when the generator is a plain FROM-less SELECT list (explode,
// posexplode, inline, json_tuple ...), that list: the caller can then evaluate it as a projection over
// its source (`SELECT src.*, unnest(...) FROM src`), which keeps the source's row order — a LATERAL
// join would not (DuckDB decorrelates it into a hash join), and Hive's LATERAL VIEW keeps file order.
func (t *translator) udtfProj(sc *scope, fc *ast.FuncCall, tableAlias string, aliases []*ast.Ident, outer bool) (*relation, string, string, error) {
	name := identName(fc.Name.Parts[len(fc.Name.Parts)-1])
	fn, ok := t.lookupFunc(name)
	if !ok {
		return nil, "", "", errorf(fc.Name.Pos(), "Invalid function '%s'", funcName(fc))
	}
	if fn.Kind != functions.Table || fn.BuildTable == nil {
		return nil, "", "", errorf(fc.Pos(), "%s is not a table-generating function (UDTF)", funcName(fc))
	}
	args, parts, err := t.callArgs(sc, fc.Args)
	if err != nil {
		return nil, "", "", err
	}
	for _, p := range parts {
		if p.agg {
			return nil, "", "", errorf(fc.Pos(), "Not yet supported place for UDAF: aggregates inside a UDTF's arguments")
		}
	}
	special := false
	if outer && fn.Name == "explode" && len(args) == 1 && args[0].Type.Kind == types.Array {
		// explode of an empty or NULL array yields one NULL row: keep DuckDB's order-preserving plain
		// lateral unnest by exploding [NULL] instead.
		a := args[0]
		a.SQL = "(CASE WHEN len(" + a.SQL + ") > 0 THEN " + a.SQL + " ELSE CAST([NULL] AS " + duckdbsql.Type(a.Type) + ") END)"
		a.IsConst, a.Const = false, nil
		args[0] = a
		special = true
	}
	tr, err := fn.BuildTable(&functions.Call{Name: name, Args: args, Distinct: fc.Distinct, Conf: t.conf})
	if err != nil {
		return nil, "", "", errorf(fc.Pos(), "%v", err)
	}
	if len(aliases) > 0 && len(aliases) != len(tr.Columns) {
		return nil, "", "", errorf(fc.Pos(), "The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF expected %d aliases but got %d", len(tr.Columns), len(aliases))
	}
	names := make([]string, len(tr.Columns))
	for i, c := range tr.Columns {
		names[i] = lower(c.Name)
		if len(aliases) > 0 {
			names[i] = identName(aliases[i])
		}
	}
	sqlNames := uniqueNames(names)
	rel := &relation{alias: tableAlias, sqlAlias: t.newAlias("u")}
	quoted := make([]string, len(names))
	for i := range names {
		rel.cols = append(rel.cols, column{name: names[i], t: tr.Columns[i].Type, sql: sqlNames[i]})
		quoted[i] = duckdbsql.Ident(sqlNames[i])
	}
	body := tr.SQL
	if outer && !special {
		nulls := make([]string, len(names))
		for i := range nulls {
			nulls[i] = "NULL"
		}
		body = "SELECT * FROM (" + tr.SQL + ") UNION ALL SELECT " + strings.Join(nulls, ", ") + " WHERE NOT EXISTS (" + tr.SQL + ")"
	}
	items := ""
	if body == tr.SQL && strings.HasPrefix(body, "SELECT ") && !strings.Contains(strings.ToUpper(body), " FROM ") {
		items = strings.TrimPrefix(body, "SELECT ")
	}
	return rel, "(" + body + ") AS " + duckdbsql.Ident(rel.sqlAlias) + "(" + strings.Join(quoted, ", ") + ")", items, nil
}

// insertOver appends OVER (...) to an aggregate or window call built by the registry. When the registry
// wrapped the call in a conversion (`CAST(sum(x) AS BIGINT)`), the window goes on the inner call.
func insertOver(sql, over string) string {
	if strings.HasPrefix(sql, "CAST(") && strings.HasSuffix(sql, ")") {
		inner := sql[len("CAST(") : len(sql)-1]
		if i := topLevelAS(inner); i > 0 && isCall(strings.TrimSpace(inner[:i])) {
			return "CAST(" + insertOver(strings.TrimSpace(inner[:i]), over) + inner[i:] + ")"
		}
	}
	return sql + " OVER (" + over + ")"
}

// topLevelAS returns the offset of the last " AS " outside parentheses and quotes, or -1.
func topLevelAS(s string) int {
	depth, last := 0, -1
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && strings.HasPrefix(s[i:], " AS "):
			last = i
		}
	}
	return last
}

// isCall reports whether s is exactly one call `name(...)`.
func isCall(s string) bool {
	i := strings.IndexByte(s, '(')
	if i <= 0 || !strings.HasSuffix(s, ")") {
		return false
	}
	for _, c := range s[:i] {
		if !(c == '_' || c == '.' || c == '"' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	depth := 0
	var quote byte
	for j := i; j < len(s); j++ {
		c := s[j]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 && j != len(s)-1 {
				return false
			}
		}
	}
	return depth == 0
}
