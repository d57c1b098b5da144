package printer

import (
	"fmt"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/token"
)

func (p *printer) with(w *ast.With) {
	if w == nil {
		return
	}
	p.w("WITH ")
	for i, c := range w.CTEs {
		if i > 0 {
			p.w(", ")
		}
		p.ident(c.Name)
		if c.Columns != nil {
			p.w(" ")
			p.parenIdents(c.Columns)
		}
		p.w(" AS (")
		p.query(c.Query)
		p.w(")")
	}
	p.w(" ")
}

func hasTail(t *ast.Tail) bool {
	return t.OrderBy != nil || t.ClusterBy != nil || t.DistributeBy != nil || t.SortBy != nil || t.Limit != nil
}

func (p *printer) tail(t *ast.Tail) {
	if t.ClusterBy != nil {
		p.w(" CLUSTER BY ")
		p.exprs(t.ClusterBy)
	}
	if t.DistributeBy != nil {
		p.w(" DISTRIBUTE BY ")
		p.exprs(t.DistributeBy)
	}
	if t.SortBy != nil {
		p.w(" SORT BY ")
		p.orderItems(t.SortBy)
	}
	if t.OrderBy != nil {
		p.w(" ORDER BY ")
		p.orderItems(t.OrderBy)
	}
	if l := t.Limit; l != nil {
		p.w(" LIMIT ")
		switch {
		case l.Comma:
			p.expr(l.Offset, 0)
			p.w(", ")
			p.expr(l.Count, 0)
		case l.Offset != nil:
			p.expr(l.Count, 0)
			p.w(" OFFSET ")
			p.expr(l.Offset, 0)
		default:
			p.expr(l.Count, 0)
		}
	}
}

func (p *printer) query(q ast.Query) {
	switch q := q.(type) {
	case *ast.Select:
		p.with(q.With)
		p.selectBlock(q)
		p.tail(&q.Tail)
	case *ast.SetOp:
		p.with(q.With)
		p.setOperand(q.Left, q, false)
		p.w(" ", q.Op.String())
		if q.All {
			p.w(" ALL")
		} else if q.Distinct {
			p.w(" DISTINCT")
		}
		p.w(" ")
		p.setOperand(q.Right, q, true)
		p.tail(&q.Tail)
	case *ast.ParenQuery:
		p.with(q.With)
		p.w("(")
		p.query(q.Query)
		p.w(")")
		p.tail(&q.Tail)
	case *ast.Values:
		p.w("VALUES ")
		for i, row := range q.Rows {
			if i > 0 {
				p.w(", ")
			}
			p.w("(")
			p.exprs(row)
			p.w(")")
		}
	default:
		p.w(fmt.Sprintf("/* unprintable %T */", q))
	}
}

// setOperand prints an operand of a set operation, parenthesised when it would otherwise regroup.
func (p *printer) setOperand(q ast.Query, parent *ast.SetOp, right bool) {
	paren := false
	switch q := q.(type) {
	case *ast.Select:
		paren = q.With != nil || hasTail(&q.Tail)
	case *ast.SetOp:
		paren = q.With != nil || hasTail(&q.Tail)
		if right {
			paren = paren || !(q.Op == token.KW_INTERSECT && parent.Op != token.KW_INTERSECT)
		} else {
			paren = paren || (parent.Op == token.KW_INTERSECT && q.Op != token.KW_INTERSECT)
		}
	}
	if paren {
		p.w("(")
		p.query(q)
		p.w(")")
		return
	}
	p.query(q)
}

func (p *printer) selectBlock(s *ast.Select) {
	if s.FromFirst && s.From != nil {
		p.w("FROM ")
		p.tableRef(s.From)
		p.w(" ")
	}
	p.w("SELECT")
	for _, h := range s.Hints {
		p.w(" /*+", h, "*/")
	}
	if s.Distinct {
		p.w(" DISTINCT")
	} else if s.All {
		p.w(" ALL")
	}
	for i, it := range s.Items {
		if i > 0 {
			p.w(",")
		}
		p.w(" ")
		p.selectItem(it)
	}
	if s.From != nil && !s.FromFirst {
		p.w(" FROM ")
		p.tableRef(s.From)
	}
	if s.Where != nil {
		p.w(" WHERE ")
		p.expr(s.Where, 0)
	}
	if g := s.GroupBy; g != nil {
		p.w(" GROUP BY ")
		switch g.Kind {
		case ast.GroupRollup:
			p.w("ROLLUP(")
			p.exprs(g.Exprs)
			p.w(")")
		case ast.GroupCube:
			p.w("CUBE(")
			p.exprs(g.Exprs)
			p.w(")")
		default:
			p.exprs(g.Exprs)
		}
		switch g.Kind {
		case ast.GroupWithRollup:
			p.w(" WITH ROLLUP")
		case ast.GroupWithCube:
			p.w(" WITH CUBE")
		case ast.GroupGroupingSets:
			if g.Exprs != nil {
				p.w(" ")
			}
			p.w("GROUPING SETS (")
			for i, set := range g.Sets {
				if i > 0 {
					p.w(", ")
				}
				p.w("(")
				p.exprs(set)
				p.w(")")
			}
			p.w(")")
		}
	}
	if s.Having != nil {
		p.w(" HAVING ")
		p.expr(s.Having, 0)
	}
	for i, wd := range s.Windows {
		if i == 0 {
			p.w(" WINDOW ")
		} else {
			p.w(", ")
		}
		p.ident(wd.Name)
		p.w(" AS ")
		spec := *wd.Spec
		if spec.PartitionBy == nil && spec.OrderBy == nil && spec.Frame == nil {
			p.w("(")
			p.ident(spec.Name)
			p.w(")")
		} else {
			p.windowSpec(&spec)
		}
	}
	if s.Qualify != nil {
		p.w(" QUALIFY ")
		p.expr(s.Qualify, 0)
	}
}

func (p *printer) selectItem(it *ast.SelectItem) {
	p.expr(it.Expr, 0)
	switch {
	case it.Aliases != nil:
		p.w(" AS ")
		p.parenIdents(it.Aliases)
	case it.Alias != nil:
		p.w(" AS ")
		p.ident(it.Alias)
	}
}

func (p *printer) tableRef(t ast.TableRef) {
	switch t := t.(type) {
	case *ast.TableName:
		p.objectName(t.Name)
		if t.Sample != nil {
			p.w(" ")
			p.tableSample(t.Sample)
		}
		p.alias(t.Alias, nil)
	case *ast.SubqueryRef:
		p.w("(")
		p.query(t.Query)
		p.w(")")
		p.alias(t.Alias, t.Columns)
	case *ast.TableFunc:
		p.funcCall(t.Func)
		p.alias(t.Alias, t.Columns)
	case *ast.Join:
		p.tableRef(t.Left)
		switch t.Kind {
		case ast.CommaJoin:
			p.w(", ")
		case ast.InnerJoin:
			p.w(" JOIN ")
		case ast.LeftJoin, ast.RightJoin, ast.FullJoin:
			p.w(map[ast.JoinKind]string{ast.LeftJoin: " LEFT", ast.RightJoin: " RIGHT", ast.FullJoin: " FULL"}[t.Kind])
			if t.Outer {
				p.w(" OUTER")
			}
			p.w(" JOIN ")
		case ast.LeftSemiJoin:
			p.w(" LEFT SEMI JOIN ")
		case ast.LeftAntiJoin:
			p.w(" LEFT ANTI JOIN ")
		case ast.CrossJoin:
			p.w(" CROSS JOIN ")
		}
		if _, ok := t.Right.(*ast.Join); ok {
			p.w("(")
			p.tableRef(t.Right)
			p.w(")")
		} else {
			p.tableRef(t.Right)
		}
		if t.On != nil {
			p.w(" ON ")
			p.expr(t.On, 0)
		} else if t.Using != nil {
			p.w(" USING ")
			p.parenIdents(t.Using)
		}
	case *ast.LateralView:
		p.tableRef(t.Source)
		p.w(" LATERAL VIEW ")
		if t.Outer {
			p.w("OUTER ")
		}
		p.funcCall(t.Func)
		if t.TableAlias != nil {
			p.w(" ")
			p.ident(t.TableAlias)
		}
		if t.ColAliases != nil {
			p.w(" AS ")
			p.idents(t.ColAliases)
		}
	default:
		p.w(fmt.Sprintf("/* unprintable %T */", t))
	}
}

func (p *printer) alias(a *ast.Ident, cols []*ast.Ident) {
	if a == nil {
		return
	}
	p.w(" AS ")
	p.ident(a)
	if cols != nil {
		p.parenIdents(cols)
	}
}

func (p *printer) tableSample(s *ast.TableSample) {
	p.w("TABLESAMPLE(")
	switch {
	case s.Bucket != nil:
		p.w("BUCKET ", s.Bucket.Raw, " OUT OF ", s.OutOf.Raw)
		if s.On != nil {
			p.w(" ON ")
			p.exprs(s.On)
		}
	case s.Percent != nil:
		p.w(s.Percent.Raw, " PERCENT")
	case s.Rows != nil:
		p.expr(s.Rows, 0)
		p.w(" ROWS")
	default:
		p.w(s.Bytes)
	}
	p.w(")")
}
