package translate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/functions"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/token"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// expr translates e in scope sc. In an aggregated query a sub-expression equal to a GROUP BY key covers
// the column references inside it.
func (t *translator) expr(sc *scope, e ast.Expr) (texpr, error) {
	x, err := t.expr0(sc, e)
	if err != nil {
		return x, err
	}
	if sc.group != nil && len(x.free) > 0 && sc.group.keys[x.sql] {
		x.free = nil
	}
	return x, nil
}

// absorb merges the properties of sub-expressions into x.
func (x *texpr) absorb(ys ...texpr) {
	for _, y := range ys {
		x.agg = x.agg || y.agg
		x.win = x.win || y.win
		x.sub = x.sub || y.sub
		x.free = append(x.free, y.free...)
	}
}

func (t *translator) exprs(sc *scope, es []ast.Expr) ([]texpr, error) {
	out := make([]texpr, len(es))
	for i, e := range es {
		x, err := t.expr(sc, e)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

var boolType = types.Prim(types.Boolean)

func (t *translator) expr0(sc *scope, e ast.Expr) (texpr, error) {
	switch e := e.(type) {
	case *ast.ColumnRef:
		return t.columnRef(sc, e)
	case *ast.NullLit:
		return texpr{sql: "NULL", t: types.Prim(types.Void), isConst: true}, nil
	case *ast.BoolLit:
		if e.Value {
			return texpr{sql: "TRUE", t: boolType, isConst: true, val: true}, nil
		}
		return texpr{sql: "FALSE", t: boolType, isConst: true, val: false}, nil
	case *ast.NumberLit:
		return numberLit(e, false)
	case *ast.StringLit:
		return texpr{sql: duckdbsql.String(e.Value), t: types.Prim(types.String), isConst: true, val: e.Value}, nil
	case *ast.BinaryLit:
		var b strings.Builder
		b.WriteString("'")
		for _, c := range e.Value {
			fmt.Fprintf(&b, "\\x%02X", c)
		}
		b.WriteString("'::BLOB")
		return texpr{sql: b.String(), t: types.Prim(types.Binary)}, nil
	case *ast.TypedLit:
		typ := types.Prim(e.Type)
		return texpr{sql: "CAST(" + duckdbsql.String(e.Value.Value) + " AS " + duckdbsql.Type(typ) + ")", t: typ}, nil
	case *ast.IntervalLit:
		return t.intervalLit(sc, e)
	case *ast.ParenExpr:
		return t.expr(sc, e.X)
	case *ast.TupleExpr:
		return texpr{}, errorf(e.Pos(), "a parenthesised list of values is only allowed with IN")
	case *ast.UnaryExpr:
		return t.unary(sc, e)
	case *ast.BinaryExpr:
		return t.binary(sc, e)
	case *ast.IsExpr:
		x, err := t.expr(sc, e.X)
		if err != nil {
			return x, err
		}
		var s string
		switch e.What {
		case token.KW_NULL, token.KW_UNKNOWN:
			s = x.sql + " IS NULL"
			if e.Not {
				s = x.sql + " IS NOT NULL"
			}
		case token.KW_TRUE, token.KW_FALSE:
			b, err := t.toBool(x)
			if err != nil {
				return x, err
			}
			v := "TRUE"
			if e.What == token.KW_FALSE {
				v = "FALSE"
			}
			s = b + " IS NOT DISTINCT FROM " + v
			if e.Not {
				s = b + " IS DISTINCT FROM " + v
			}
		}
		r := texpr{sql: "(" + s + ")", t: boolType}
		r.absorb(x)
		return r, nil
	case *ast.DistinctFromExpr:
		op := "IS DISTINCT FROM"
		if e.Not {
			op = "IS NOT DISTINCT FROM"
		}
		return t.compare(sc, e.Pos(), e.X, e.Y, op)
	case *ast.BetweenExpr:
		return t.between(sc, e)
	case *ast.InExpr:
		return t.in(sc, e)
	case *ast.ExistsExpr:
		q, err := t.query(e.Query, sc)
		if err != nil {
			return texpr{}, err
		}
		s := "EXISTS (" + q.sql + ")"
		if e.Not {
			s = "NOT " + s
		}
		return texpr{sql: "(" + s + ")", t: boolType, sub: true}, nil
	case *ast.SubqueryExpr:
		q, err := t.query(e.Query, sc)
		if err != nil {
			return texpr{}, err
		}
		if len(q.cols) != 1 {
			return texpr{}, errorf(e.Pos(), "Subquery expression returns %d columns; a scalar subquery must return exactly one", len(q.cols))
		}
		return texpr{sql: "(" + q.sql + ")", t: q.cols[0].Type, sub: true}, nil
	case *ast.LikeExpr:
		return t.like(sc, e)
	case *ast.CaseExpr:
		return t.caseExpr(sc, e)
	case *ast.CastExpr:
		x, err := t.expr(sc, e.X)
		if err != nil {
			return x, err
		}
		to := e.Type.Type
		s, err := t.castTo(e.Pos(), x, to)
		if err != nil {
			return x, err
		}
		r := texpr{sql: s, t: to}
		r.absorb(x)
		return r, nil
	case *ast.IndexExpr:
		return t.index(sc, e)
	case *ast.FieldExpr:
		x, err := t.expr(sc, e.X)
		if err != nil {
			return x, err
		}
		return fieldOf(x, identName(e.Field), e.Field.Pos())
	case *ast.FuncCall:
		return t.call(sc, e)
	case *ast.ExtractExpr:
		return t.extract(sc, e)
	case *ast.StarExpr:
		return texpr{}, errorf(e.Pos(), "* is only allowed in a select list or in count(*)")
	case *ast.LambdaExpr:
		return texpr{}, errorf(e.Pos(), "a lambda function is only allowed as a function argument")
	}
	return texpr{}, errorf(e.Pos(), "unsupported expression %T", e)
}

// castTo converts x to the Hive type `to` with Hive's conversion semantics (functions.CastSQL).
func (t *translator) castTo(pos token.Pos, x texpr, to *types.Type) (string, error) {
	if x.t.Equal(to) {
		return x.sql, nil
	}
	if x.t.Kind == types.Void {
		return "CAST(NULL AS " + duckdbsql.Type(to) + ")", nil
	}
	s, err := functions.CastSQLConf(x.arg(), to, t.conf)
	if err != nil {
		return "", errorf(pos, "%v", err)
	}
	return s, nil
}

func (t *translator) toBool(x texpr) (string, error) {
	if x.t.Kind == types.Boolean {
		return x.sql, nil
	}
	return t.castTo(0, x, boolType)
}

// commonType folds Hive's common type over xs.
func commonType(pos token.Pos, xs []texpr, forComparison bool) (*types.Type, error) {
	var ct *types.Type
	for _, x := range xs {
		if ct == nil || ct.Kind == types.Void {
			if ct != nil && x.t.Kind == types.Void {
				continue
			}
			if ct == nil || x.t.Kind != types.Void {
				ct = x.t
				continue
			}
		}
		if x.t.Kind == types.Void {
			continue
		}
		c, ok := functions.CommonType(ct, x.t, forComparison)
		if !ok {
			return nil, errorf(pos, "The types %s and %s are not compatible", ct, x.t)
		}
		ct = c
	}
	return ct, nil
}

func (t *translator) unary(sc *scope, e *ast.UnaryExpr) (texpr, error) {
	if n, ok := e.X.(*ast.NumberLit); ok && e.Op == token.MINUS {
		return numberLit(n, true)
	}
	x, err := t.expr(sc, e.X)
	if err != nil {
		return x, err
	}
	var r texpr
	switch e.Op {
	case token.MINUS:
		typ := x.t
		s := x.sql
		if typ.IsString() || typ.Kind == types.Void {
			typ = types.Prim(types.Double)
			if s, err = t.castTo(e.Pos(), x, typ); err != nil {
				return x, err
			}
		} else if !typ.IsNumeric() && typ.Kind != types.IntervalDayTime && typ.Kind != types.IntervalYearMonth {
			return x, errorf(e.Pos(), "Argument type mismatch '%s': unary minus needs a numeric argument, got %s", x.sql, typ)
		}
		if typ.IsIntegral() {
			r = texpr{sql: wrapInt("0", "-", s, typ), t: typ}
		} else {
			r = texpr{sql: "(- " + s + ")", t: typ}
		}
	case token.PLUS:
		r = texpr{sql: x.sql, t: x.t}
	case token.TILDE:
		if !x.t.IsIntegral() {
			return x, errorf(e.Pos(), "Argument type mismatch: ~ needs an integral argument, got %s", x.t)
		}
		r = texpr{sql: "(~ " + x.sql + ")", t: x.t}
	case token.KW_NOT, token.BANG:
		b, err := t.toBool(x)
		if err != nil {
			return x, err
		}
		r = texpr{sql: "(NOT " + b + ")", t: boolType}
	default:
		return x, errorf(e.Pos(), "unsupported operator %s", e.Op)
	}
	r.absorb(x)
	return r, nil
}

func (t *translator) binary(sc *scope, e *ast.BinaryExpr) (texpr, error) {
	switch e.Op {
	case token.EQ:
		return t.compare(sc, e.Pos(), e.X, e.Y, "=")
	case token.NSEQ:
		return t.compare(sc, e.Pos(), e.X, e.Y, "IS NOT DISTINCT FROM")
	case token.NEQ:
		return t.compare(sc, e.Pos(), e.X, e.Y, "<>")
	case token.LT:
		return t.compare(sc, e.Pos(), e.X, e.Y, "<")
	case token.LE:
		return t.compare(sc, e.Pos(), e.X, e.Y, "<=")
	case token.GT:
		return t.compare(sc, e.Pos(), e.X, e.Y, ">")
	case token.GE:
		return t.compare(sc, e.Pos(), e.X, e.Y, ">=")
	}
	x, err := t.expr(sc, e.X)
	if err != nil {
		return x, err
	}
	y, err := t.expr(sc, e.Y)
	if err != nil {
		return y, err
	}
	var r texpr
	switch e.Op {
	case token.KW_AND, token.ANDAND, token.KW_OR:
		a, err := t.toBool(x)
		if err != nil {
			return x, err
		}
		b, err := t.toBool(y)
		if err != nil {
			return x, err
		}
		op := " AND "
		if e.Op == token.KW_OR {
			op = " OR "
		}
		r = texpr{sql: "(" + a + op + b + ")", t: boolType}
	case token.CONCAT:
		str := types.Prim(types.String)
		a, err := t.castTo(e.Pos(), x, str)
		if err != nil {
			return x, err
		}
		b, err := t.castTo(e.Pos(), y, str)
		if err != nil {
			return x, err
		}
		r = texpr{sql: "(" + a + " || " + b + ")", t: str}
	case token.AMPERSAND, token.PIPE, token.CARET:
		ct, err := commonType(e.Pos(), []texpr{x, y}, false)
		if err != nil {
			return x, err
		}
		if ct.Kind == types.Void {
			ct = types.Prim(types.Int)
		}
		if !ct.IsIntegral() {
			return x, errorf(e.Pos(), "Argument type mismatch: %s needs integral arguments, got %s and %s", e.Op, x.t, y.t)
		}
		a, err := t.castTo(e.Pos(), x, ct)
		if err != nil {
			return x, err
		}
		b, err := t.castTo(e.Pos(), y, ct)
		if err != nil {
			return x, err
		}
		switch e.Op {
		case token.AMPERSAND:
			r = texpr{sql: "(" + a + " & " + b + ")", t: ct}
		case token.PIPE:
			r = texpr{sql: "(" + a + " | " + b + ")", t: ct}
		default:
			r = texpr{sql: "xor(" + a + ", " + b + ")", t: ct}
		}
	case token.PLUS, token.MINUS, token.STAR, token.DIVIDE, token.MOD, token.KW_DIV:
		if s, typ, ok, err := t.dateArith(e, x, y); ok || err != nil {
			if err != nil {
				return x, err
			}
			r = texpr{sql: s, t: typ}
			break
		}
		res, ok := arithResult(e.Op, x.t, y.t)
		if !ok {
			return x, errorf(e.Pos(), "Wrong arguments: No matching method for operator %s with (%s, %s)", opText(e.Op), x.t, y.t)
		}
		s, phys, err := arithSQL(e.Op, x, y, res, t.conf("waggle.decimal.multiply") != "exact")
		if err != nil {
			return x, errorf(e.Pos(), "%v", err)
		}
		r = texpr{sql: s, t: res, phys: phys}
	default:
		return x, errorf(e.Pos(), "unsupported operator %s", e.Op)
	}
	r.absorb(x, y)
	return r, nil
}

func opText(op token.Token) string {
	if op == token.KW_DIV {
		return "DIV"
	}
	return op.String()
}

// dateArith handles DATE/TIMESTAMP/INTERVAL arithmetic: date ± interval, timestamp ± interval,
// interval ± interval, date - date (an interval_day_time).
func (t *translator) dateArith(e *ast.BinaryExpr, x, y texpr) (string, *types.Type, bool, error) {
	isIv := func(k types.Kind) bool { return k == types.IntervalDayTime || k == types.IntervalYearMonth }
	xk, yk := x.t.Kind, y.t.Kind
	if !isIv(xk) && !isIv(yk) && !(x.t.IsDateTime() && y.t.IsDateTime()) {
		return "", nil, false, nil
	}
	op := map[token.Token]string{token.PLUS: "+", token.MINUS: "-", token.STAR: "*", token.DIVIDE: "/"}[e.Op]
	switch {
	case x.t.IsDateTime() && y.t.IsDateTime() && e.Op == token.MINUS:
		a := "CAST(" + x.sql + " AS TIMESTAMP)"
		b := "CAST(" + y.sql + " AS TIMESTAMP)"
		return "(" + a + " - " + b + ")", types.Prim(types.IntervalDayTime), true, nil
	case (x.t.IsDateTime() || x.t.IsString()) && isIv(yk) && (e.Op == token.PLUS || e.Op == token.MINUS),
		isIv(xk) && (y.t.IsDateTime() || y.t.IsString()) && e.Op == token.PLUS:
		d, iv := x, y
		if isIv(xk) {
			d, iv = y, x
		}
		if d.t.IsString() {
			d.sql = "TRY_CAST(" + d.sql + " AS TIMESTAMP)"
			d.t = types.Prim(types.Timestamp)
		}
		s := "(" + d.sql + " " + op + " " + iv.sql + ")"
		res := types.Prim(types.Timestamp)
		if d.t.Kind == types.Date && iv.t.Kind == types.IntervalYearMonth {
			res = types.Prim(types.Date)
			s = "CAST(" + s + " AS DATE)"
		}
		return s, res, true, nil
	case isIv(xk) && xk == yk && (e.Op == token.PLUS || e.Op == token.MINUS):
		return "(" + x.sql + " " + op + " " + y.sql + ")", x.t, true, nil
	case isIv(xk) && y.t.IsNumeric() && (e.Op == token.STAR || e.Op == token.DIVIDE):
		return "(" + x.sql + " " + op + " " + y.sql + ")", x.t, true, nil
	case isIv(yk) && x.t.IsNumeric() && e.Op == token.STAR:
		return "(" + y.sql + " * " + x.sql + ")", y.t, true, nil
	}
	return "", nil, false, errorf(e.Pos(), "Wrong arguments: No matching method for operator %s with (%s, %s)", opText(e.Op), x.t, y.t)
}

// compare emits a comparison with both sides converted to Hive's common comparison type.
func (t *translator) compare(sc *scope, pos token.Pos, ex, ey ast.Expr, op string) (texpr, error) {
	x, err := t.expr(sc, ex)
	if err != nil {
		return x, err
	}
	y, err := t.expr(sc, ey)
	if err != nil {
		return y, err
	}
	a, b, err := t.coercePair(pos, x, y)
	if err != nil {
		return x, err
	}
	r := texpr{sql: "(" + a + " " + op + " " + b + ")", t: boolType}
	r.absorb(x, y)
	return r, nil
}

func (t *translator) coercePair(pos token.Pos, x, y texpr) (string, string, error) {
	ct, err := commonType(pos, []texpr{x, y}, true)
	if err != nil {
		return "", "", err
	}
	a, err := t.castTo(pos, x, ct)
	if err != nil {
		return "", "", err
	}
	b, err := t.castTo(pos, y, ct)
	if err != nil {
		return "", "", err
	}
	return a, b, nil
}

func (t *translator) between(sc *scope, e *ast.BetweenExpr) (texpr, error) {
	xs, err := t.exprs(sc, []ast.Expr{e.X, e.Lo, e.Hi})
	if err != nil {
		return texpr{}, err
	}
	ct, err := commonType(e.Pos(), xs, true)
	if err != nil {
		return texpr{}, err
	}
	var s [3]string
	for i, x := range xs {
		if s[i], err = t.castTo(e.Pos(), x, ct); err != nil {
			return texpr{}, err
		}
	}
	not := ""
	if e.Not {
		not = "NOT "
	}
	r := texpr{sql: "(" + s[0] + " " + not + "BETWEEN " + s[1] + " AND " + s[2] + ")", t: boolType}
	r.absorb(xs...)
	return r, nil
}

func (t *translator) in(sc *scope, e *ast.InExpr) (texpr, error) {
	not := ""
	if e.Not {
		not = "NOT "
	}
	if e.Query != nil {
		x, err := t.expr(sc, e.X)
		if err != nil {
			return x, err
		}
		q, err := t.query(e.Query, sc)
		if err != nil {
			return x, err
		}
		if len(q.cols) != 1 {
			if tup, ok := e.X.(*ast.TupleExpr); ok && len(tup.Elems) == len(q.cols) {
				return texpr{}, errorf(e.Pos(), "IN with a tuple and a subquery is not supported")
			}
			return x, errorf(e.Pos(), "Invalid SubQuery expression: SubQuery can contain only 1 item in Select List.")
		}
		sub := texpr{sql: "s." + duckdbsql.Ident(q.sqlNames[0]), t: q.cols[0].Type}
		a, b, err := t.coercePair(e.Pos(), x, sub)
		if err != nil {
			return x, err
		}
		subSQL := q.sql
		if b != sub.sql {
			subSQL = "SELECT " + b + " FROM (" + q.sql + ") AS s"
		}
		r := texpr{sql: "(" + a + " " + not + "IN (" + subSQL + "))", t: boolType, sub: true}
		r.absorb(x)
		return r, nil
	}
	x, err := t.expr(sc, e.X)
	if err != nil {
		return x, err
	}
	items, err := t.exprs(sc, e.List)
	if err != nil {
		return x, err
	}
	ct, err := commonType(e.Pos(), append([]texpr{x}, items...), true)
	if err != nil {
		return x, err
	}
	a, err := t.castTo(e.Pos(), x, ct)
	if err != nil {
		return x, err
	}
	parts := make([]string, len(items))
	for i, it := range items {
		if parts[i], err = t.castTo(e.Pos(), it, ct); err != nil {
			return x, err
		}
	}
	r := texpr{sql: "(" + a + " " + not + "IN (" + strings.Join(parts, ", ") + "))", t: boolType}
	r.absorb(x)
	r.absorb(items...)
	return r, nil
}

func (t *translator) like(sc *scope, e *ast.LikeExpr) (texpr, error) {
	x, err := t.expr(sc, e.X)
	if err != nil {
		return x, err
	}
	str := types.Prim(types.String)
	xs, err := t.castTo(e.Pos(), x, str)
	if err != nil {
		return x, err
	}
	escape := `'\'`
	r := texpr{t: boolType}
	r.absorb(x)
	if e.Escape != nil {
		esc, err := t.expr(sc, e.Escape)
		if err != nil {
			return x, err
		}
		escape = esc.sql
	}
	one := func(pe ast.Expr) (string, error) {
		p, err := t.expr(sc, pe)
		if err != nil {
			return "", err
		}
		r.absorb(p)
		ps, err := t.castTo(pe.Pos(), p, str)
		if err != nil {
			return "", err
		}
		if e.Op == token.KW_LIKE {
			if lit, ok := pe.(*ast.StringLit); ok && e.Escape == nil && !strings.Contains(lit.Value, `\`) {
				// No backslash in the pattern: the same meaning without ESCAPE, which DuckDB optimises
				// (prefix/contains matching) and does not with an explicit ESCAPE.
				return "(" + xs + " LIKE " + ps + ")", nil
			}
			return "(" + xs + " LIKE " + ps + " ESCAPE " + escape + ")", nil
		}
		return "regexp_matches(" + xs + ", " + ps + ")", nil
	}
	if e.Quantifier != 0 {
		parts := make([]string, len(e.Patterns))
		for i, p := range e.Patterns {
			if parts[i], err = one(p); err != nil {
				return x, err
			}
		}
		sep := " OR "
		if e.Quantifier == token.KW_ALL {
			sep = " AND "
		}
		r.sql = "(" + strings.Join(parts, sep) + ")"
	} else {
		if r.sql, err = one(e.Pattern); err != nil {
			return x, err
		}
	}
	if e.Not {
		r.sql = "(NOT " + r.sql + ")"
	}
	return r, nil
}

func (t *translator) caseExpr(sc *scope, e *ast.CaseExpr) (texpr, error) {
	r := texpr{}
	var results []texpr
	for _, w := range e.Whens {
		x, err := t.expr(sc, w.Result)
		if err != nil {
			return x, err
		}
		results = append(results, x)
	}
	var elseX *texpr
	if e.Else != nil {
		x, err := t.expr(sc, e.Else)
		if err != nil {
			return x, err
		}
		elseX = &x
		results = append(results, x)
	}
	rt, err := commonType(e.Pos(), results, false)
	if err != nil {
		return r, err
	}
	r.absorb(results...)
	var b strings.Builder
	b.WriteString("CASE")
	var conds []texpr
	var condType *types.Type
	if e.Operand != nil {
		op, err := t.expr(sc, e.Operand)
		if err != nil {
			return op, err
		}
		r.absorb(op)
		conds = append(conds, op)
		for _, w := range e.Whens {
			c, err := t.expr(sc, w.Cond)
			if err != nil {
				return c, err
			}
			conds = append(conds, c)
		}
		r.absorb(conds[1:]...)
		if condType, err = commonType(e.Pos(), conds, true); err != nil {
			return r, err
		}
		s, err := t.castTo(e.Operand.Pos(), op, condType)
		if err != nil {
			return r, err
		}
		b.WriteString(" " + s)
	}
	for i, w := range e.Whens {
		var cs string
		if e.Operand != nil {
			if cs, err = t.castTo(w.Cond.Pos(), conds[i+1], condType); err != nil {
				return r, err
			}
		} else {
			c, err := t.expr(sc, w.Cond)
			if err != nil {
				return c, err
			}
			r.absorb(c)
			if cs, err = t.toBool(c); err != nil {
				return r, err
			}
		}
		rs, err := t.castTo(w.Result.Pos(), results[i], rt)
		if err != nil {
			return r, err
		}
		b.WriteString(" WHEN " + cs + " THEN " + rs)
	}
	if elseX != nil {
		rs, err := t.castTo(e.Else.Pos(), *elseX, rt)
		if err != nil {
			return r, err
		}
		b.WriteString(" ELSE " + rs)
	}
	b.WriteString(" END")
	r.sql = b.String()
	r.t = rt
	if rt.Kind == types.Void {
		r.sql = "CAST(" + r.sql + " AS INTEGER)"
	}
	return r, nil
}

func (t *translator) index(sc *scope, e *ast.IndexExpr) (texpr, error) {
	x, err := t.expr(sc, e.X)
	if err != nil {
		return x, err
	}
	i, err := t.expr(sc, e.Index)
	if err != nil {
		return x, err
	}
	r := texpr{}
	r.absorb(x, i)
	switch x.t.Kind {
	case types.Array:
		if !i.t.IsIntegral() && i.t.Kind != types.Void {
			return x, errorf(e.Index.Pos(), "Non-constant expression for array indexes not supported: index must be an integer, got %s", i.t)
		}
		if v, ok := i.val.(int64); ok && i.isConst {
			if v < 0 {
				r.sql = "CAST(NULL AS " + duckdbsql.Type(x.t.Elem) + ")"
			} else {
				r.sql = "list_extract(" + x.sql + ", " + strconv.FormatInt(v+1, 10) + ")"
			}
		} else {
			r.sql = "CASE WHEN " + i.sql + " >= 0 THEN list_extract(" + x.sql + ", " + i.sql + " + 1) END"
		}
		r.t = x.t.Elem
	case types.Map:
		k, err := t.castTo(e.Index.Pos(), i, x.t.Key)
		if err != nil {
			return x, err
		}
		r.sql = x.sql + "[" + k + "]"
		r.t = x.t.Value
	default:
		return x, errorf(e.Pos(), "[] not valid on type %s", x.t)
	}
	return r, nil
}

// fieldOf accesses a struct field (or, on an array of structs, that field of every element).
func fieldOf(x texpr, name string, pos token.Pos) (texpr, error) {
	r := texpr{name: name}
	r.absorb(x)
	switch x.t.Kind {
	case types.Struct:
		for _, f := range x.t.Fields {
			if strings.EqualFold(f.Name, name) {
				r.sql = "struct_extract(" + x.sql + ", " + duckdbsql.String(strings.ToLower(f.Name)) + ")"
				r.t = f.Type
				return r, nil
			}
		}
	case types.Array:
		if x.t.Elem.Kind == types.Struct {
			for _, f := range x.t.Elem.Fields {
				if strings.EqualFold(f.Name, name) {
					r.sql = "list_transform(" + x.sql + ", lambda __e: struct_extract(__e, " + duckdbsql.String(strings.ToLower(f.Name)) + "))"
					r.t = types.ArrayOf(f.Type)
					return r, nil
				}
			}
		}
	default:
		return x, errorf(pos, ". Operator is only supported on struct or list of struct types: %s is %s", name, x.t)
	}
	return x, errorf(pos, "Invalid field name '%s' in %s", name, x.t)
}

func (t *translator) extract(sc *scope, e *ast.ExtractExpr) (texpr, error) {
	x, err := t.expr(sc, e.X)
	if err != nil {
		return x, err
	}
	r := texpr{t: types.Prim(types.Int)}
	r.absorb(x)
	src := x.sql
	if x.t.IsString() || x.t.Kind == types.Void {
		if src, err = t.castTo(e.Pos(), x, types.Prim(types.Timestamp)); err != nil {
			return x, err
		}
	}
	part := strings.ToLower(e.Field)
	switch part {
	case "dayofweek", "dow":
		r.sql = "CAST(date_part('dow', " + src + ") + 1 AS INTEGER)"
		return r, nil
	case "year", "quarter", "month", "week", "day", "hour", "minute", "second":
	default:
		return x, errorf(e.Pos(), "unsupported EXTRACT field %s", e.Field)
	}
	r.sql = "CAST(date_part(" + duckdbsql.String(part) + ", " + src + ") AS INTEGER)"
	return r, nil
}

// columnRef resolves a dotted name: a macro parameter or lambda variable, a select alias (ORDER BY
// first; GROUP BY/HAVING as a fallback), `c`, `t.c`, `db.t.c`, then struct fields, then GROUPING__ID;
// then the enclosing query (correlation).
func (t *translator) columnRef(sc *scope, c *ast.ColumnRef) (texpr, error) {
	parts := make([]string, len(c.Parts))
	for i, p := range c.Parts {
		parts[i] = identName(p)
	}
	for s := sc; s != nil; s = s.parent {
		x, ok, err := t.resolveIn(s, s == sc, c, parts)
		if err != nil || ok {
			return x, err
		}
	}
	return texpr{}, t.unknownColumn(sc, c, parts)
}

func (t *translator) resolveIn(s *scope, local bool, c *ast.ColumnRef, parts []string) (texpr, bool, error) {
	if len(parts) == 1 {
		if p, ok := s.params[parts[0]]; ok {
			return p, true, nil
		}
		if local && s.aliasFirst {
			if it, ok := s.aliases[parts[0]]; ok {
				return it.x, true, nil
			}
		}
	}
	fields := func(x texpr, rest []*ast.Ident) (texpr, bool, error) {
		for _, f := range rest {
			y, err := fieldOf(x, identName(f), f.Pos())
			if err != nil {
				return y, false, err
			}
			x = y
		}
		return x, true, nil
	}
	colExpr := func(r *relation, i int) texpr {
		if s.used != nil {
			*s.used = append(*s.used, usedCol{r, i})
		}
		return texpr{sql: r.ref(i), t: r.cols[i].t, name: r.cols[i].name, free: []freeRef{{c.Pos(), r.cols[i].name}}}
	}
	find := func(r *relation, name string) int {
		for i, col := range r.cols {
			if col.name == name {
				return i
			}
		}
		return -1
	}
	// t.c (or t.c.f...)
	if len(parts) >= 2 {
		for _, r := range s.rels {
			if r.alias == parts[0] {
				if i := find(r, parts[1]); i >= 0 {
					return fields(colExpr(r, i), c.Parts[2:])
				}
				return texpr{}, false, errorf(c.Parts[1].Pos(), "Invalid column reference '%s'", c.Parts[1].Name)
			}
		}
	}
	// db.t.c
	if len(parts) >= 3 {
		for _, r := range s.rels {
			if r.db == parts[0] && r.alias == parts[1] {
				if i := find(r, parts[2]); i >= 0 {
					return fields(colExpr(r, i), c.Parts[3:])
				}
			}
		}
	}
	// c (or c.f...)
	var hitRel *relation
	hit := -1
	for _, r := range s.rels {
		for i, col := range r.cols {
			if col.name == parts[0] && !col.hidden {
				if hitRel != nil {
					return texpr{}, false, errorf(c.Pos(), "Ambiguous column reference %s in %s", c.Parts[0].Name, relNames(s.rels))
				}
				hitRel, hit = r, i
			}
		}
	}
	if hitRel != nil {
		return fields(colExpr(hitRel, hit), c.Parts[1:])
	}
	if len(parts) == 1 && local && !s.aliasFirst {
		if it, ok := s.aliases[parts[0]]; ok && it.x.sql != "" {
			return it.x, true, nil
		}
	}
	if len(parts) == 1 && parts[0] == "grouping__id" && local && s.group != nil {
		if s.group.groupingID == "" {
			return texpr{sql: "CAST(0 AS BIGINT)", t: types.Prim(types.BigInt)}, true, nil
		}
		return texpr{sql: s.group.groupingID, t: types.Prim(types.BigInt)}, true, nil
	}
	return texpr{}, false, nil
}

func relNames(rels []*relation) string {
	var names []string
	for _, r := range rels {
		names = append(names, r.alias)
	}
	return strings.Join(names, ", ")
}

func (t *translator) unknownColumn(sc *scope, c *ast.ColumnRef, parts []string) error {
	var names []string
	multi := len(sc.rels) > 1
	for _, r := range sc.rels {
		for _, col := range r.cols {
			if col.hidden {
				continue
			}
			if multi {
				names = append(names, r.alias+"."+col.name)
			} else {
				names = append(names, col.name)
			}
		}
	}
	for n := range sc.params {
		names = append(names, n)
	}
	slices.Sort(names[len(names)-len(sc.params):])
	name := c.Parts[0].Name
	if len(parts) > 1 {
		// Hive names the table alias when the qualifier is unknown.
		return errorf(c.Pos(), "Invalid table alias or column reference '%s': (possible column names are: %s)", name, strings.Join(names, ", "))
	}
	return errorf(c.Pos(), "Invalid table alias or column reference '%s': (possible column names are: %s)", name, strings.Join(names, ", "))
}
