package translate

import (
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/functions"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/token"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// selItem is a select-list entry as ORDER BY / GROUP BY / HAVING see it through its alias.
type selItem struct {
	x       texpr
	sqlName string
	lazy    func() (texpr, error)
}

func (t *translator) query(q ast.Query, outer *scope) (*qresult, error) {
	if err := t.ctx.Err(); err != nil {
		return nil, err
	}
	switch q := q.(type) {
	case *ast.Select:
		return t.selectQ(q, outer)
	case *ast.SetOp:
		return t.setOp(q, outer)
	case *ast.ParenQuery:
		prefix, restore, err := t.with(q.With, outer)
		if err != nil {
			return nil, err
		}
		defer restore()
		r, err := t.query(q.Query, outer)
		if err != nil {
			return nil, err
		}
		if r, err = t.applyTail(r, &q.Tail, outer); err != nil {
			return nil, err
		}
		r.sql = prefix + r.sql
		return r, nil
	case *ast.Values:
		return t.values(q, outer)
	}
	return nil, errorf(q.Pos(), "unsupported query %T", q)
}

// with registers the CTEs of a WITH clause (each visible to the later ones and the body) and returns
// the DuckDB WITH prefix. CTEs get generated names, so they never capture a table a scan reads.
func (t *translator) with(w *ast.With, outer *scope) (string, func(), error) {
	saved := t.ctes
	restore := func() { t.ctes = saved }
	if w == nil || len(w.CTEs) == 0 {
		return "", restore, nil
	}
	var parts []string
	for _, c := range w.CTEs {
		q, err := t.query(c.Query, outer)
		if err != nil {
			restore()
			return "", nil, err
		}
		names := make([]string, len(q.cols))
		for i, col := range q.cols {
			names[i] = col.Name
		}
		if len(c.Columns) > 0 {
			if len(c.Columns) != len(q.cols) {
				restore()
				return "", nil, errorf(c.Pos(), "WITH query %s has %d columns but %d column names were given", c.Name.Name, len(q.cols), len(c.Columns))
			}
			for i, id := range c.Columns {
				names[i] = identName(id)
			}
		}
		sqlNames := uniqueNames(names)
		e := &cte{name: identName(c.Name), sqlName: t.newAlias("cte_" + identName(c.Name) + "_"), parent: t.ctes}
		quoted := make([]string, len(names))
		for i := range names {
			e.cols = append(e.cols, column{name: names[i], t: q.cols[i].Type, sql: sqlNames[i]})
			quoted[i] = duckdbsql.Ident(sqlNames[i])
		}
		t.ctes = e
		parts = append(parts, duckdbsql.Ident(e.sqlName)+"("+strings.Join(quoted, ", ")+") AS ("+q.sql+")")
	}
	return "WITH " + strings.Join(parts, ", ") + " ", restore, nil
}

func (t *translator) selectQ(s *ast.Select, outer *scope) (*qresult, error) {
	prefix, restore, err := t.with(s.With, outer)
	if err != nil {
		return nil, err
	}
	defer restore()

	sc := &scope{parent: outer}
	if len(s.Windows) > 0 {
		sc.windows = map[string]*ast.WindowSpec{}
		for _, w := range s.Windows {
			sc.windows[identName(w.Name)] = w.Spec
		}
	}
	var from *fromNode
	if s.From != nil {
		var rels []*relation
		if from, rels, err = t.from(outer, s.From); err != nil {
			return nil, err
		}
		sc.rels = rels
	}

	// A UDTF in the select list (Spark semantics): a lateral join, one row per generated row.
	udtfItem := -1
	var udtfRel *relation
	for i, it := range s.Items {
		fc, ok := it.Expr.(*ast.FuncCall)
		if !ok || !t.isUDTF(fc) {
			continue
		}
		if udtfItem >= 0 {
			return nil, errorf(fc.Pos(), "Only a single expression in the SELECT clause is supported with UDTF's")
		}
		udtfItem = i
		aliases := it.Aliases
		if it.Alias != nil {
			aliases = []*ast.Ident{it.Alias}
		}
		usc := *sc
		usc.noAgg = "UDTF arguments"
		rel, sql, items, err := t.udtfProj(&usc, fc, "", aliases, false)
		if err != nil {
			return nil, err
		}
		udtfRel = rel
		if from == nil {
			from = &fromNode{rel: rel, leaf: sql}
		} else {
			from = lateralNode(from, rel, sql, items)
		}
		sc.rels = append(sc.rels, rel)
	}

	// WHERE
	var whereSQL string
	if s.Where != nil {
		wsc := *sc
		wsc.noAgg = "WHERE"
		x, err := t.expr(&wsc, s.Where)
		if err != nil {
			return nil, err
		}
		if x.win {
			return nil, errorf(s.Where.Pos(), "Windowing functions are not allowed in WHERE")
		}
		if whereSQL, err = t.toBool(x); err != nil {
			return nil, err
		}
	}

	// Select aliases, translated lazily, for GROUP BY and HAVING fallbacks.
	aliasItems := map[string]*selItem{}
	for i, it := range s.Items {
		if it.Alias == nil || i == udtfItem {
			continue
		}
		e := it.Expr
		name := identName(it.Alias)
		if _, dup := aliasItems[name]; !dup {
			aliasItems[name] = &selItem{lazy: func() (texpr, error) {
				return t.expr(&scope{rels: sc.rels, parent: outer, windows: sc.windows}, e)
			}}
		}
	}

	// GROUP BY
	var groupSQL string
	if s.GroupBy != nil {
		gsc := *sc
		gsc.aliases = aliasItems
		gsc.noAgg = "GROUP BY"
		g := &groupCtx{keys: map[string]bool{}}
		keyOf := func(e ast.Expr) (string, error) {
			if n, ok := e.(*ast.NumberLit); ok && n.IsIntegral() && t.confBool("hive.groupby.position.alias") {
				i, _ := strconv.Atoi(n.Digits)
				if i < 1 || i > len(s.Items) {
					return "", errorf(e.Pos(), "Invalid position alias in Group By: %d", i)
				}
				e = s.Items[i-1].Expr
			}
			x, err := t.expr(&gsc, e)
			if err != nil {
				return "", err
			}
			if x.win {
				return "", errorf(e.Pos(), "Windowing functions are not allowed in GROUP BY")
			}
			g.keys[x.sql] = true
			if x.isConst {
				// A bare integer would be a position for DuckDB.
				return "CAST(" + x.sql + " AS " + duckdbsql.Type(x.t) + ")", nil
			}
			return x.sql, nil
		}
		var keys []string
		for _, e := range s.GroupBy.Exprs {
			k, err := keyOf(e)
			if err != nil {
				return nil, err
			}
			keys = append(keys, k)
		}
		g.keyList = keys
		switch s.GroupBy.Kind {
		case ast.GroupPlain:
			groupSQL = strings.Join(keys, ", ")
		case ast.GroupWithRollup, ast.GroupRollup:
			groupSQL = "ROLLUP (" + strings.Join(keys, ", ") + ")"
		case ast.GroupWithCube, ast.GroupCube:
			groupSQL = "CUBE (" + strings.Join(keys, ", ") + ")"
		case ast.GroupGroupingSets:
			var sets []string
			for _, set := range s.GroupBy.Sets {
				var ks []string
				for _, e := range set {
					k, err := keyOf(e)
					if err != nil {
						return nil, err
					}
					ks = append(ks, k)
				}
				sets = append(sets, "("+strings.Join(ks, ", ")+")")
			}
			groupSQL = "GROUPING SETS (" + strings.Join(sets, ", ") + ")"
		}
		if s.GroupBy.Kind != ast.GroupPlain && len(keys) > 0 {
			// Hive 2.3+/3 GROUPING__ID: bit i (from the right, last key = bit 0) is 1 when key i is
			// aggregated away — the SQL standard GROUPING(k1, ..., kn).
			g.groupingID = "CAST(GROUPING(" + strings.Join(keys, ", ") + ") AS BIGINT)"
		}
		if len(keys) == 0 && s.GroupBy.Kind == ast.GroupPlain {
			groupSQL = "()"
		}
		sc.group = g
	}

	// Select list.
	type outCol struct {
		x    texpr
		name string
	}
	var outs []outCol
	for i, it := range s.Items {
		if i == udtfItem {
			for j := range udtfRel.cols {
				outs = append(outs, outCol{texpr{sql: udtfRel.ref(j), t: udtfRel.cols[j].t}, udtfRel.cols[j].name})
			}
			continue
		}
		if st, ok := it.Expr.(*ast.StarExpr); ok {
			cols, err := t.star(sc, st)
			if err != nil {
				return nil, err
			}
			for _, c := range cols {
				outs = append(outs, outCol{c, c.name})
			}
			continue
		}
		if len(it.Aliases) > 0 {
			return nil, errorf(it.Pos(), "AS (...) is only allowed after a table-generating function (UDTF)")
		}
		x, err := t.expr(sc, it.Expr)
		if err != nil {
			return nil, err
		}
		name := x.name
		if it.Alias != nil {
			name = identName(it.Alias)
		}
		if name == "" {
			name = "_c" + strconv.Itoa(i)
		}
		outs = append(outs, outCol{x, name})
	}
	if len(outs) == 0 {
		return nil, errorf(s.Pos(), "empty select list")
	}

	aggregated := s.GroupBy != nil
	for _, o := range outs {
		aggregated = aggregated || o.x.agg
	}
	var havingX *texpr
	names := make([]string, len(outs))
	for i, o := range outs {
		names[i] = o.name
	}
	sqlNames := uniqueNames(names)
	outAliases := map[string]*selItem{}
	for i, o := range outs {
		if _, dup := outAliases[o.name]; !dup {
			outAliases[o.name] = &selItem{x: o.x, sqlName: sqlNames[i]}
		}
	}
	if s.Having != nil {
		hsc := *sc
		hsc.aliases = outAliases
		x, err := t.expr(&hsc, s.Having)
		if err != nil {
			return nil, err
		}
		aggregated = aggregated || x.agg
		havingX = &x
	}
	if aggregated && sc.group == nil {
		sc.group = &groupCtx{keys: map[string]bool{}}
	}
	checkFree := func(x texpr) error {
		if aggregated && len(x.free) > 0 {
			return errorf(x.free[0].pos, "Expression not in GROUP BY key '%s'", x.free[0].name)
		}
		return nil
	}
	for _, o := range outs {
		if err := checkFree(o.x); err != nil {
			return nil, err
		}
	}
	var havingSQL string
	if havingX != nil {
		if err := checkFree(*havingX); err != nil {
			return nil, err
		}
		if havingSQL, err = t.toBool(*havingX); err != nil {
			return nil, err
		}
	}
	var qualifySQL string
	if s.Qualify != nil {
		qsc := *sc
		qsc.aliases = outAliases
		x, err := t.expr(&qsc, s.Qualify)
		if err != nil {
			return nil, err
		}
		if err := checkFree(x); err != nil {
			return nil, err
		}
		if qualifySQL, err = t.toBool(x); err != nil {
			return nil, err
		}
	}

	// ORDER BY / SORT BY / CLUSTER BY: select aliases first, then the FROM columns (Hive allows sorting
	// by columns that are not selected).
	osc := *sc
	osc.aliases = outAliases
	osc.aliasFirst = true
	orderSQL, err := t.orderBy(&osc, &s.Tail, len(outs), checkFree)
	if err != nil {
		return nil, err
	}
	limitSQL, err := t.limit(s.Tail.Limit)
	if err != nil {
		return nil, err
	}

	// Emit.
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString("SELECT ")
	if s.Distinct {
		b.WriteString("DISTINCT ")
	}
	for i, o := range outs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(o.x.sql)
		b.WriteString(" AS ")
		b.WriteString(duckdbsql.Ident(sqlNames[i]))
	}
	if from != nil {
		filters := t.partitionFilters(from, s.Where)
		fs, err := t.emitFrom(from, filters)
		if err != nil {
			return nil, err
		}
		b.WriteString(" FROM ")
		b.WriteString(fs)
	}
	if whereSQL != "" {
		b.WriteString(" WHERE ")
		b.WriteString(whereSQL)
	}
	if groupSQL != "" {
		b.WriteString(" GROUP BY ")
		b.WriteString(groupSQL)
	}
	if havingSQL != "" {
		b.WriteString(" HAVING ")
		b.WriteString(havingSQL)
	}
	if qualifySQL != "" {
		b.WriteString(" QUALIFY ")
		b.WriteString(qualifySQL)
	}
	b.WriteString(orderSQL)
	b.WriteString(limitSQL)

	cols := make([]Column, len(outs))
	for i, o := range outs {
		typ := o.x.t
		if typ == nil {
			typ = types.Prim(types.Void)
		}
		cols[i] = Column{Name: o.name, Type: typ}
	}
	return &qresult{sql: b.String(), cols: cols, sqlNames: sqlNames}, nil
}

// star expands `*` (every visible relation's columns: data then partition columns) or `t.*`.
func (t *translator) star(sc *scope, st *ast.StarExpr) ([]texpr, error) {
	var out []texpr
	add := func(r *relation) {
		for i, c := range r.cols {
			if c.hidden {
				continue
			}
			out = append(out, texpr{sql: r.ref(i), t: c.t, name: c.name, free: []freeRef{{st.Pos(), c.name}}})
		}
	}
	if st.Qualifier == nil {
		for _, r := range sc.rels {
			add(r)
		}
		if len(sc.rels) == 0 {
			return nil, errorf(st.Pos(), "SELECT * without a FROM clause")
		}
		return out, nil
	}
	parts := st.Qualifier.Parts
	name := identName(parts[len(parts)-1])
	for _, r := range sc.rels {
		if r.alias == name && (len(parts) == 1 || r.db == identName(parts[0])) {
			for i, c := range r.cols {
				out = append(out, texpr{sql: r.ref(i), t: c.t, name: c.name, free: []freeRef{{st.Pos(), c.name}}})
			}
			return out, nil
		}
	}
	return nil, errorf(st.Pos(), "Invalid table alias '%s'", objectName(st.Qualifier))
}

// orderBy renders ORDER BY (with SORT BY and CLUSTER BY, which sort the single-node output the same way;
// DISTRIBUTE BY only routes rows and is dropped).
func (t *translator) orderBy(sc *scope, tail *ast.Tail, nOut int, check func(texpr) error) (string, error) {
	items := append(append([]*ast.OrderItem{}, tail.OrderBy...), tail.SortBy...)
	for _, e := range tail.ClusterBy {
		items = append(items, &ast.OrderItem{Span: ast.Span{From: e.Pos(), To: e.End()}, Expr: e})
	}
	if len(items) == 0 {
		return "", nil
	}
	positional := strings.TrimSpace(t.conf("hive.orderby.position.alias")) != "false"
	parts := make([]string, len(items))
	for i, o := range items {
		e := o.Expr
		for {
			p, ok := e.(*ast.ParenExpr)
			if !ok {
				break
			}
			e = p.X
		}
		if c, ok := e.(*ast.ColumnRef); ok && len(c.Parts) == 1 {
			if it, ok := sc.aliases[identName(c.Parts[0])]; ok && it.sqlName != "" {
				parts[i] = t.orderSQL(duckdbsql.Ident(it.sqlName), o)
				continue
			}
		}
		if n, ok := e.(*ast.NumberLit); ok && n.IsIntegral() && n.Suffix == "" {
			if positional {
				k, _ := strconv.Atoi(n.Digits)
				if k < 1 || k > nOut {
					return "", errorf(n.Pos(), "Invalid position alias in Order By: %d", k)
				}
				parts[i] = t.orderSQL(n.Digits, o)
			} else {
				parts[i] = t.orderSQL("CAST("+n.Digits+" AS INTEGER)", o)
			}
			continue
		}
		x, err := t.expr(sc, e)
		if err != nil {
			return "", err
		}
		if err := check(x); err != nil {
			return "", err
		}
		parts[i] = t.orderSQL(x.sql, o)
	}
	return " ORDER BY " + strings.Join(parts, ", "), nil
}

func (t *translator) limit(l *ast.Limit) (string, error) {
	if l == nil {
		return "", nil
	}
	num := func(e ast.Expr) (string, error) {
		x, err := t.expr(&scope{}, e)
		if err != nil {
			return "", err
		}
		v, ok := x.val.(int64)
		if !x.isConst || !ok || v < 0 {
			return "", errorf(e.Pos(), "LIMIT and OFFSET need a non-negative integer constant")
		}
		return strconv.FormatInt(v, 10), nil
	}
	n, err := num(l.Count)
	if err != nil {
		return "", err
	}
	s := " LIMIT " + n
	if l.Offset != nil {
		o, err := num(l.Offset)
		if err != nil {
			return "", err
		}
		s += " OFFSET " + o
	}
	return s, nil
}

// applyTail applies ORDER BY / SORT BY / CLUSTER BY / LIMIT to a query result, by name.
func (t *translator) applyTail(r *qresult, tail *ast.Tail, outer *scope) (*qresult, error) {
	if len(tail.OrderBy) == 0 && len(tail.SortBy) == 0 && len(tail.ClusterBy) == 0 && tail.Limit == nil {
		return r, nil
	}
	rel, leaf, err := t.derivedAt(r, "", nil)
	if err != nil {
		return nil, err
	}
	sc := &scope{rels: []*relation{rel}, parent: outer}
	order, err := t.orderBy(sc, tail, len(r.cols), func(texpr) error { return nil })
	if err != nil {
		return nil, err
	}
	lim, err := t.limit(tail.Limit)
	if err != nil {
		return nil, err
	}
	return &qresult{sql: "SELECT * FROM " + leaf + order + lim, cols: r.cols, sqlNames: r.sqlNames}, nil
}

func (t *translator) setOp(q *ast.SetOp, outer *scope) (*qresult, error) {
	prefix, restore, err := t.with(q.With, outer)
	if err != nil {
		return nil, err
	}
	defer restore()
	l, err := t.query(q.Left, outer)
	if err != nil {
		return nil, err
	}
	r, err := t.query(q.Right, outer)
	if err != nil {
		return nil, err
	}
	if len(l.cols) != len(r.cols) {
		return nil, errorf(q.Pos(), "Schema of both sides of union should match: the left side has %d columns and the right side has %d", len(l.cols), len(r.cols))
	}
	cols := make([]Column, len(l.cols))
	for i := range l.cols {
		lt, rt := l.cols[i].Type, r.cols[i].Type
		ct := lt
		if !lt.Equal(rt) {
			c, ok := commonTypeOf(lt, rt)
			if !ok {
				return nil, errorf(q.Pos(), "Schema of both sides of union should match: Column %s is of type %s on first table and type %s on second table", l.cols[i].Name, lt, rt)
			}
			ct = c
		}
		cols[i] = Column{Name: l.cols[i].Name, Type: ct}
	}
	side := func(s *qresult) (string, error) {
		var b strings.Builder
		b.WriteString("SELECT ")
		for i, c := range s.cols {
			if i > 0 {
				b.WriteString(", ")
			}
			x := texpr{sql: "s." + duckdbsql.Ident(s.sqlNames[i]), t: c.Type}
			cs, err := t.castTo(q.Pos(), x, cols[i].Type)
			if err != nil {
				return "", err
			}
			b.WriteString(cs + " AS " + duckdbsql.Ident(l.sqlNames[i]))
		}
		b.WriteString(" FROM (" + s.sql + ") AS s")
		return b.String(), nil
	}
	ls, err := side(l)
	if err != nil {
		return nil, err
	}
	rs, err := side(r)
	if err != nil {
		return nil, err
	}
	var op string
	switch q.Op {
	case token.KW_UNION:
		op = "UNION"
	case token.KW_INTERSECT:
		op = "INTERSECT"
	default:
		op = "EXCEPT"
	}
	if q.All {
		op += " ALL"
	}
	res := &qresult{sql: ls + " " + op + " " + rs, cols: cols, sqlNames: l.sqlNames}
	if res, err = t.applyTail(res, &q.Tail, outer); err != nil {
		return nil, err
	}
	res.sql = prefix + res.sql
	return res, nil
}

func commonTypeOf(a, b *types.Type) (*types.Type, bool) {
	if a.Kind == types.Void {
		return b, true
	}
	if b.Kind == types.Void {
		return a, true
	}
	return functions.CommonType(a, b, false)
}

// values translates VALUES rows: columns col1, col2, ... of the common type of each column.
func (t *translator) values(v *ast.Values, outer *scope) (*qresult, error) {
	if len(v.Rows) == 0 {
		return nil, errorf(v.Pos(), "VALUES needs at least one row")
	}
	n := len(v.Rows[0])
	rows := make([][]texpr, len(v.Rows))
	for i, row := range v.Rows {
		if len(row) != n {
			return nil, errorf(v.Pos(), "VALUES rows have different numbers of columns: %d and %d", n, len(row))
		}
		xs, err := t.exprs(&scope{parent: outer, noAgg: "VALUES"}, row)
		if err != nil {
			return nil, err
		}
		rows[i] = xs
	}
	cols := make([]Column, n)
	for j := 0; j < n; j++ {
		col := make([]texpr, len(rows))
		for i := range rows {
			col[i] = rows[i][j]
		}
		ct, err := commonType(v.Pos(), col, false)
		if err != nil {
			return nil, err
		}
		cols[j] = Column{Name: "col" + strconv.Itoa(j+1), Type: ct}
	}
	var b strings.Builder
	b.WriteString("SELECT * FROM (VALUES ")
	for i, row := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for j, x := range row {
			if j > 0 {
				b.WriteString(", ")
			}
			s, err := t.castTo(v.Rows[i][j].Pos(), x, cols[j].Type)
			if err != nil {
				return nil, err
			}
			if x.t.Kind == types.Void && cols[j].Type.Kind == types.Void {
				s = "NULL"
			}
			b.WriteString(s)
		}
		b.WriteString(")")
	}
	names := make([]string, n)
	quoted := make([]string, n)
	for j := range cols {
		names[j] = cols[j].Name
		quoted[j] = duckdbsql.Ident(names[j])
	}
	b.WriteString(") AS " + duckdbsql.Ident(t.newAlias("v")) + "(" + strings.Join(quoted, ", ") + ")")
	return &qresult{sql: b.String(), cols: cols, sqlNames: names}, nil
}
