package translate

import (
	"errors"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/token"
)

// fromNode is a translated FROM item. Table scans are emitted last (emitFrom), once the WHERE clause
// has given their partition filters.
type fromNode struct {
	rel    *relation // leaf
	leaf   string    // leaf SQL (`(...) AS "t1"("a", "b")`); "" for a table scan
	sample string    // table scan: `LIMIT n` / `USING SAMPLE ...` applied to the scan

	left, right *fromNode
	join        string // DuckDB join keyword(s)
	on          string
	lateral     string // right side of a lateral join

	// A generator evaluated as a projection over a single source (see udtfProj): renders as
	// `(SELECT alias.*, items FROM <wrap>) AS alias(wrapCols...)`.
	wrap      *fromNode
	wrapItems string
	wrapCols  []string
}

// outCols returns the DuckDB column names a single-relation node exposes, or nil when the node is a
// join (which cannot be wrapped in a projection).
func (n *fromNode) outCols() []string {
	switch {
	case n.wrap != nil:
		return n.wrapCols
	case n.left == nil && n.rel != nil:
		cols := make([]string, len(n.rel.cols))
		for i, c := range n.rel.cols {
			cols[i] = c.sql
		}
		return cols
	}
	return nil
}

// baseRel is the relation whose alias a wrappable node exposes.
func (n *fromNode) baseRel() *relation {
	for n.wrap != nil {
		n = n.wrap
	}
	return n.rel
}

// lateralNode joins a generator to src: as an order-preserving projection when src is a single
// relation and the generator is a plain SELECT list, else as a LATERAL join. rel (the generator's
// relation) is renamed to live under src's alias in the projection case.
func lateralNode(src *fromNode, rel *relation, sql, items string) *fromNode {
	cols := src.outCols()
	if items == "" || cols == nil {
		return &fromNode{left: src, join: "CROSS JOIN", lateral: "LATERAL " + sql}
	}
	base := src.baseRel()
	taken := map[string]bool{}
	for _, c := range cols {
		taken[strings.ToLower(c)] = true
	}
	all := append([]string(nil), cols...)
	for i := range rel.cols {
		name := rel.cols[i].sql
		for k := 1; taken[strings.ToLower(name)]; k++ {
			name = rel.cols[i].sql + "_" + strconv.Itoa(k)
		}
		taken[strings.ToLower(name)] = true
		rel.cols[i].sql = name
		all = append(all, name)
	}
	rel.sqlAlias = base.sqlAlias
	return &fromNode{wrap: src, wrapItems: items, wrapCols: all}
}

// from translates a FROM item. It returns the node and the relations visible to the rest of the query.
func (t *translator) from(outer *scope, ref ast.TableRef) (*fromNode, []*relation, error) {
	switch r := ref.(type) {
	case *ast.TableName:
		return t.tableName(outer, r)
	case *ast.SubqueryRef:
		q, err := t.query(r.Query, outer)
		if err != nil {
			return nil, nil, err
		}
		alias := ""
		if r.Alias != nil {
			alias = identName(r.Alias)
		}
		rel, leaf, err := t.derivedAt(q, alias, r.Columns)
		if err != nil {
			return nil, nil, err
		}
		return &fromNode{rel: rel, leaf: leaf}, []*relation{rel}, nil
	case *ast.Join:
		return t.join(outer, r)
	case *ast.LateralView:
		src, rels, err := t.from(outer, r.Source)
		if err != nil {
			return nil, nil, err
		}
		sc := &scope{rels: rels, parent: outer, noAgg: "LATERAL VIEW"}
		alias := ""
		if r.TableAlias != nil {
			alias = identName(r.TableAlias)
		}
		rel, sql, items, err := t.udtfProj(sc, r.Func, alias, r.ColAliases, r.Outer)
		if err != nil {
			return nil, nil, err
		}
		n := lateralNode(src, rel, sql, items)
		return n, append(append([]*relation{}, rels...), rel), nil
	case *ast.TableFunc:
		alias := ""
		if r.Alias != nil {
			alias = identName(r.Alias)
		}
		sc := &scope{parent: outer, noAgg: "FROM"}
		rel, sql, err := t.udtf(sc, r.Func, alias, r.Columns, false)
		if err != nil {
			return nil, nil, err
		}
		return &fromNode{rel: rel, leaf: sql}, []*relation{rel}, nil
	}
	return nil, nil, errorf(ref.Pos(), "unsupported FROM item %T", ref)
}

// derivedAt wraps a translated query as a FROM relation, renaming its columns (cols) when given.
func (t *translator) derivedAt(q *qresult, alias string, cols []*ast.Ident) (*relation, string, error) {
	names := make([]string, len(q.cols))
	for i, c := range q.cols {
		names[i] = c.Name
	}
	if len(cols) > 0 {
		if len(cols) != len(q.cols) {
			return nil, "", errorf(cols[0].Pos(), "the query has %d columns but %d column aliases were given", len(q.cols), len(cols))
		}
		for i, c := range cols {
			names[i] = identName(c)
		}
	}
	rel := &relation{alias: alias, sqlAlias: t.newAlias("t")}
	sqlNames := uniqueNames(names)
	quoted := make([]string, len(names))
	for i := range names {
		rel.cols = append(rel.cols, column{name: names[i], t: q.cols[i].Type, sql: sqlNames[i]})
		quoted[i] = duckdbsql.Ident(sqlNames[i])
	}
	return rel, "(" + q.sql + ") AS " + duckdbsql.Ident(rel.sqlAlias) + "(" + strings.Join(quoted, ", ") + ")", nil
}

func objectName(n *ast.ObjectName) string {
	parts := make([]string, len(n.Parts))
	for i, p := range n.Parts {
		parts[i] = p.Name
	}
	return strings.Join(parts, ".")
}

func (t *translator) tableName(outer *scope, r *ast.TableName) (*fromNode, []*relation, error) {
	parts := r.Name.Parts
	alias := identName(parts[len(parts)-1])
	if r.Alias != nil {
		alias = identName(r.Alias)
	}
	if len(parts) == 1 {
		if c := t.lookupCTE(identName(parts[0])); c != nil {
			rel := &relation{alias: alias, sqlAlias: t.newAlias("t")}
			quoted := make([]string, len(c.cols))
			for i, col := range c.cols {
				rel.cols = append(rel.cols, column{name: col.name, t: col.t, sql: col.sql})
				quoted[i] = duckdbsql.Ident(col.sql)
			}
			leaf := duckdbsql.Ident(c.sqlName) + " AS " + duckdbsql.Ident(rel.sqlAlias) + "(" + strings.Join(quoted, ", ") + ")"
			if r.Sample != nil {
				leaf = "(SELECT * FROM " + duckdbsql.Ident(c.sqlName) + sampleSQL(r.Sample) + ") AS " + duckdbsql.Ident(rel.sqlAlias) + "(" + strings.Join(quoted, ", ") + ")"
			}
			return &fromNode{rel: rel, leaf: leaf}, []*relation{rel}, nil
		}
	}
	if len(parts) > 2 {
		return nil, nil, errorf(r.Name.Pos(), "Table not found '%s'", objectName(r.Name))
	}
	if t.env == nil || t.env.Tables == nil {
		return nil, nil, errorf(r.Name.Pos(), "Table not found '%s'", objectName(r.Name))
	}
	db, name := "", identName(parts[len(parts)-1])
	if len(parts) == 2 {
		db = identName(parts[0])
	}
	tbl, err := t.env.Tables.ResolveTable(t.ctx, db, name)
	if err != nil {
		if errors.Is(err, catalog.ErrNotFound) {
			return nil, nil, errorf(r.Name.Pos(), "Table not found '%s'", objectName(r.Name))
		}
		return nil, nil, &Error{Pos: r.Name.Pos(), Msg: err.Error()}
	}
	if tbl.ViewText != "" {
		q, err := t.view(tbl, r)
		if err != nil {
			return nil, nil, err
		}
		rel, leaf, err := t.derivedAt(q, alias, nil)
		if err != nil {
			return nil, nil, err
		}
		rel.db = lower(tbl.DB)
		if r.Sample != nil {
			leaf = "(SELECT * FROM " + leaf + sampleSQL(r.Sample) + ") AS " + duckdbsql.Ident(rel.sqlAlias)
		}
		return &fromNode{rel: rel, leaf: leaf}, []*relation{rel}, nil
	}
	rel := &relation{alias: alias, db: lower(tbl.DB), sqlAlias: t.newAlias("t"), table: tbl, nData: len(tbl.Columns)}
	for _, c := range tbl.Columns {
		rel.cols = append(rel.cols, column{name: lower(c.Name), t: c.Type, sql: lower(c.Name)})
	}
	for _, c := range tbl.PartitionColumns {
		rel.cols = append(rel.cols, column{name: lower(c.Name), t: c.Type, sql: lower(c.Name)})
	}
	rel.used, rel.late = make([]bool, len(rel.cols)), &t.lateRef
	n := &fromNode{rel: rel}
	if r.Sample != nil {
		if r.Sample.Bucket != nil {
			return nil, nil, errorf(r.Sample.Pos(), "TABLESAMPLE (BUCKET x OUT OF y) is not supported yet")
		}
		n.sample = sampleSQL(r.Sample)
	}
	return n, []*relation{rel}, nil
}

// sampleSQL renders TABLESAMPLE (n ROWS) as a LIMIT (Hive reads the first n rows of each split: on one
// node, the first n rows) and (n PERCENT) as a Bernoulli sample.
func sampleSQL(s *ast.TableSample) string {
	switch {
	case s.Rows != nil:
		if n, ok := s.Rows.(*ast.NumberLit); ok {
			return " LIMIT " + n.Digits
		}
	case s.Percent != nil:
		return " USING SAMPLE " + s.Percent.Digits + " PERCENT (bernoulli)"
	}
	return ""
}

func (t *translator) join(outer *scope, j *ast.Join) (*fromNode, []*relation, error) {
	left, lrels, err := t.from(outer, j.Left)
	if err != nil {
		return nil, nil, err
	}
	right, rrels, err := t.from(outer, j.Right)
	if err != nil {
		return nil, nil, err
	}
	n := &fromNode{left: left, right: right}
	switch j.Kind {
	case ast.InnerJoin:
		n.join = "JOIN"
	case ast.LeftJoin:
		n.join = "LEFT JOIN"
	case ast.RightJoin:
		n.join = "RIGHT JOIN"
	case ast.FullJoin:
		n.join = "FULL JOIN"
	case ast.LeftSemiJoin:
		n.join = "SEMI JOIN"
	case ast.LeftAntiJoin:
		n.join = "ANTI JOIN"
	default:
		n.join = "CROSS JOIN"
	}
	all := append(append([]*relation{}, lrels...), rrels...)
	if j.On != nil {
		sc := &scope{rels: all, parent: outer, noAgg: "JOIN ON"}
		x, err := t.expr(sc, j.On)
		if err != nil {
			return nil, nil, err
		}
		if n.on, err = t.toBool(x); err != nil {
			return nil, nil, err
		}
		if n.join == "CROSS JOIN" {
			n.join = "JOIN"
		}
	}
	if len(j.Using) > 0 {
		var conds []string
		for _, u := range j.Using {
			name := identName(u)
			lr, li := findCol(lrels, name)
			rr, ri := findCol(rrels, name)
			if lr == nil || rr == nil {
				return nil, nil, errorf(u.Pos(), "Invalid column reference '%s' in USING", u.Name)
			}
			conds = append(conds, "("+lr.ref(li)+" = "+rr.ref(ri)+")")
			if j.Kind != ast.RightJoin {
				rr.cols[ri].hidden = true
			} else {
				lr.cols[li].hidden = true
			}
		}
		n.on = strings.Join(conds, " AND ")
		if n.join == "CROSS JOIN" {
			n.join = "JOIN"
		}
	}
	if (n.join == "JOIN" || n.join == "SEMI JOIN" || n.join == "ANTI JOIN" || strings.HasSuffix(n.join, "OUTER JOIN") || n.join == "LEFT JOIN" || n.join == "RIGHT JOIN" || n.join == "FULL JOIN") && n.on == "" {
		if n.join == "JOIN" {
			n.join = "CROSS JOIN"
		} else {
			n.on = "TRUE"
		}
	}
	switch j.Kind {
	case ast.LeftJoin:
		markNullable(rrels)
	case ast.RightJoin:
		markNullable(lrels)
	case ast.FullJoin:
		markNullable(lrels)
		markNullable(rrels)
	case ast.LeftSemiJoin, ast.LeftAntiJoin:
		return n, lrels, nil
	}
	return n, all, nil
}

func markNullable(rels []*relation) {
	for _, r := range rels {
		r.nullable = true
	}
}

func findCol(rels []*relation, name string) (*relation, int) {
	for _, r := range rels {
		for i, c := range r.cols {
			if c.name == name && !c.hidden {
				return r, i
			}
		}
	}
	return nil, -1
}

// emitFrom renders a FROM tree; filters holds each table's partition filter.
func (t *translator) emitFrom(n *fromNode, filters map[*relation]string) (string, error) {
	if n.wrap != nil {
		inner, err := t.emitFrom(n.wrap, filters)
		if err != nil {
			return "", err
		}
		alias := duckdbsql.Ident(n.baseRel().sqlAlias)
		quoted := make([]string, len(n.wrapCols))
		for i, c := range n.wrapCols {
			quoted[i] = duckdbsql.Ident(c)
		}
		return "(SELECT " + alias + ".*, " + n.wrapItems + " FROM " + inner + ") AS " + alias + "(" + strings.Join(quoted, ", ") + ")", nil
	}
	if n.left == nil {
		if n.leaf != "" {
			return n.leaf, nil
		}
		rel := n.rel
		if rel.table.Scan == nil {
			return "", errorf(0, "table %s.%s cannot be read", rel.table.DB, rel.table.Name)
		}
		req := ScanRequest{PartitionFilter: filters[rel]}
		if !t.allColumns && rel.used != nil {
			req.Columns = []string{}
			for i := 0; i < rel.nData; i++ {
				if rel.used[i] {
					req.Columns = append(req.Columns, rel.cols[i].name)
				}
			}
		}
		rel.scanned = true
		scan, err := rel.table.Scan(t.ctx, req)
		if err != nil {
			return "", err
		}
		if n.sample != "" {
			scan = "SELECT * FROM (" + scan + ")" + n.sample
		}
		quoted := make([]string, len(rel.cols))
		for i, c := range rel.cols {
			quoted[i] = duckdbsql.Ident(c.sql)
		}
		return "(" + scan + ") AS " + duckdbsql.Ident(rel.sqlAlias) + "(" + strings.Join(quoted, ", ") + ")", nil
	}
	l, err := t.emitFrom(n.left, filters)
	if err != nil {
		return "", err
	}
	if n.lateral != "" {
		return l + " " + n.join + " " + n.lateral, nil
	}
	r, err := t.emitFrom(n.right, filters)
	if err != nil {
		return "", err
	}
	if n.right.left != nil {
		r = "(" + r + ")"
	}
	s := l + " " + n.join + " " + r
	if n.on != "" {
		s += " ON " + n.on
	}
	return s, nil
}

// tables lists the table-scan leaves of a FROM tree.
func (n *fromNode) tables(out []*relation) []*relation {
	if n == nil {
		return out
	}
	if n.wrap != nil {
		return n.wrap.tables(out)
	}
	if n.left == nil {
		if n.leaf == "" && n.rel != nil && n.rel.table != nil {
			out = append(out, n.rel)
		}
		return out
	}
	out = n.left.tables(out)
	return n.right.tables(out)
}

// partitionFilters builds, for every partitioned table read on a non-null-supplying side, the AND of
// the WHERE conjuncts that mention only its partition columns and constants.
func (t *translator) partitionFilters(from *fromNode, where ast.Expr) map[*relation]string {
	if where == nil || from == nil {
		return nil
	}
	var conj []ast.Expr
	splitAnd(where, &conj)
	out := map[*relation]string{}
	for _, rel := range from.tables(nil) {
		if rel.nullable || len(rel.cols) == rel.nData {
			continue
		}
		var parts []string
		for _, c := range conj {
			if s, ok := t.partitionConjunct(rel, c); ok {
				parts = append(parts, s)
			}
		}
		if len(parts) > 0 {
			out[rel] = strings.Join(parts, " AND ")
		}
	}
	return out
}

func (t *translator) partitionConjunct(rel *relation, e ast.Expr) (string, bool) {
	var used []usedCol
	rel.bare = true
	defer func() { rel.bare = false }()
	sc := &scope{rels: []*relation{rel}, used: &used, noAgg: "partition filter"}
	x, err := t.expr(sc, e)
	if err != nil || x.sub || x.win || x.agg || len(used) == 0 {
		return "", false
	}
	for _, u := range used {
		if u.col < rel.nData {
			return "", false
		}
	}
	b, err := t.toBool(x)
	if err != nil {
		return "", false
	}
	return b, true
}

func splitAnd(e ast.Expr, out *[]ast.Expr) {
	switch x := e.(type) {
	case *ast.ParenExpr:
		splitAnd(x.X, out)
		return
	case *ast.BinaryExpr:
		if x.Op == token.KW_AND || x.Op == token.ANDAND {
			splitAnd(x.X, out)
			splitAnd(x.Y, out)
			return
		}
	}
	*out = append(*out, e)
}
