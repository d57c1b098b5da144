package parser

import (
	"strings"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/token"
)

// parseQuery parses `[WITH ...] body [set operations] [ORDER BY ...] [LIMIT ...]`.
func (p *parser) parseQuery() ast.Query {
	p.enter()
	defer p.leave()
	from := p.pos()
	var with *ast.With
	if p.tok() == token.KW_WITH {
		with = p.parseWith()
	}
	q := p.parseSetOps()
	var tail ast.Tail
	p.parseTail(&tail)
	return p.finishQuery(from, with, q, tail)
}

// finishQuery attaches a WITH clause and trailing clauses to the query they apply to.
func (p *parser) finishQuery(from token.Pos, with *ast.With, q ast.Query, tail ast.Tail) ast.Query {
	hasTail := tail.OrderBy != nil || tail.ClusterBy != nil || tail.DistributeBy != nil || tail.SortBy != nil || tail.Limit != nil
	switch q := q.(type) {
	case *ast.Select:
		if with != nil {
			q.With = with
		}
		if hasTail {
			q.Tail = tail
		}
		q.Span = p.span(from)
	case *ast.SetOp:
		if with != nil {
			q.With = with
		}
		if hasTail {
			q.Tail = tail
		}
		q.Span = p.span(from)
	case *ast.ParenQuery:
		if with != nil {
			q.With = with
		}
		if hasTail {
			q.Tail = tail
		}
		q.Span = p.span(from)
	case *ast.Values:
		if with != nil || hasTail {
			// Keep the clauses: wrap the rows as SELECT * FROM (VALUES ...) is not what was written, so
			// report instead.
			p.errorAt(from, "syntax error: WITH, ORDER BY and LIMIT cannot apply to a bare VALUES list")
		}
	}
	return q
}

func (p *parser) parseWith() *ast.With {
	from := p.next().pos
	w := &ast.With{}
	for {
		cf := p.pos()
		c := &ast.CTE{Name: p.parseIdent("a name for the WITH query")}
		if p.tok() == token.LPAREN {
			c.Columns = p.parseParenIdents("a column name")
		}
		p.expect(token.KW_AS, "AS after the WITH query name")
		open := p.expect(token.LPAREN, "'(' after AS").pos
		c.Query = p.parseQuery()
		p.expectClose(token.RPAREN, open, "(")
		c.Span = p.span(cf)
		w.CTEs = append(w.CTEs, c)
		if !p.got(token.COMMA) {
			break
		}
	}
	w.Span = p.span(from)
	return w
}

func (p *parser) parseSetOps() ast.Query {
	left := p.parseIntersect()
	for {
		switch p.tok() {
		case token.KW_UNION, token.KW_EXCEPT, token.KW_MINUS:
			left = p.parseSetOpRight(left, p.parseIntersect)
		default:
			return left
		}
	}
}

func (p *parser) parseIntersect() ast.Query {
	left := p.parseQueryTerm()
	for p.tok() == token.KW_INTERSECT {
		left = p.parseSetOpRight(left, p.parseQueryTerm)
	}
	return left
}

func (p *parser) parseSetOpRight(left ast.Query, operand func() ast.Query) ast.Query {
	s := &ast.SetOp{Op: p.next().tok, Left: left}
	switch p.tok() {
	case token.KW_ALL:
		p.next()
		s.All = true
	case token.KW_DISTINCT:
		p.next()
		s.Distinct = true
	}
	s.Right = operand()
	s.Span = p.span(left.Pos())
	return s
}

func (p *parser) parseQueryTerm() ast.Query {
	switch p.tok() {
	case token.KW_SELECT:
		return p.parseSelect(nil)
	case token.LPAREN:
		from := p.next().pos
		q := p.parseQuery()
		p.expectClose(token.RPAREN, from, "(")
		return &ast.ParenQuery{Span: p.span(from), Query: q}
	case token.KW_VALUES:
		return p.parseValues()
	case token.KW_FROM:
		from := p.next().pos
		src := p.parseFromSource()
		if p.tok() != token.KW_SELECT {
			p.errorExpected("SELECT after FROM ...")
		}
		s := p.parseSelect(src)
		s.Span = p.span(from)
		return s
	}
	p.errorExpected("a query (SELECT, WITH, VALUES or '(')")
	return nil
}

func (p *parser) parseValues() *ast.Values {
	from := p.expect(token.KW_VALUES, "VALUES").pos
	v := &ast.Values{}
	for {
		if p.tok() == token.LPAREN {
			open := p.next().pos
			row := p.parseExprList()
			p.expectClose(token.RPAREN, open, "(")
			v.Rows = append(v.Rows, row)
		} else {
			v.Rows = append(v.Rows, []ast.Expr{p.parseExpr()})
		}
		if !p.got(token.COMMA) {
			break
		}
	}
	v.Span = p.span(from)
	return v
}

// parseSelect parses a SELECT block. fromFirst is the source of Hive's `FROM src SELECT ...` (already
// parsed), or nil.
func (p *parser) parseSelect(fromFirst ast.TableRef) *ast.Select {
	from := p.pos()
	if fromFirst != nil {
		from = fromFirst.Pos()
	}
	p.expect(token.KW_SELECT, "SELECT")
	s := &ast.Select{}
	if h, ok := p.hints[p.i]; ok {
		s.Hints = append([]string(nil), h...)
	}
	switch p.tok() {
	case token.KW_DISTINCT:
		p.next()
		s.Distinct = true
	case token.KW_ALL:
		p.next()
		s.All = true
	}
	if p.isWord("transform") && p.peek(1) == token.LPAREN && p.afterParens(p.i+1) == token.KW_USING {
		p.errorAt(p.pos(), "SELECT TRANSFORM (custom scripts) is not supported")
	}
	s.Items = []*ast.SelectItem{p.parseSelectItem()}
	for p.got(token.COMMA) {
		s.Items = append(s.Items, p.parseSelectItem())
	}
	if fromFirst != nil {
		s.From = fromFirst
		s.FromFirst = true
	} else if p.got(token.KW_FROM) {
		s.From = p.parseFromSource()
	}
	if p.got(token.KW_WHERE) {
		s.Where = p.parseExpr()
	}
	if p.tok() == token.KW_GROUP {
		s.GroupBy = p.parseGroupBy()
	}
	if p.got(token.KW_HAVING) {
		s.Having = p.parseExpr()
	}
	if p.tok() == token.KW_WINDOW {
		p.next()
		for {
			wf := p.pos()
			name := p.parseIdent("a window name")
			p.expect(token.KW_AS, "AS after the window name")
			spec := p.parseWindowSpec()
			s.Windows = append(s.Windows, &ast.WindowDef{Span: p.span(wf), Name: name, Spec: spec})
			if !p.got(token.COMMA) {
				break
			}
		}
	}
	if p.got(token.KW_QUALIFY) {
		s.Qualify = p.parseExpr()
	}
	s.Span = p.span(from)
	return s
}

func (p *parser) parseSelectItem() *ast.SelectItem {
	from := p.pos()
	it := &ast.SelectItem{Expr: p.parseExpr()}
	if p.got(token.KW_AS) {
		if p.tok() == token.LPAREN {
			it.Aliases = p.parseParenIdents("a column alias")
		} else {
			it.Alias = p.parseAnyIdent("an alias after AS")
		}
	} else if p.tok().CanBeAlias() {
		it.Alias = p.makeIdent(p.next())
	}
	it.Span = p.span(from)
	return it
}

func (p *parser) parseGroupBy() *ast.GroupBy {
	from := p.next().pos
	p.expect(token.KW_BY, "BY after GROUP")
	g := &ast.GroupBy{}
	switch {
	case (p.tok() == token.KW_ROLLUP || p.tok() == token.KW_CUBE) && p.peek(1) == token.LPAREN:
		g.Kind = ast.GroupRollup
		if p.tok() == token.KW_CUBE {
			g.Kind = ast.GroupCube
		}
		p.next()
		open := p.next().pos
		g.Exprs = p.parseExprList()
		p.expectClose(token.RPAREN, open, "(")
	case p.tok() == token.KW_GROUPING && p.peek(1) == token.KW_SETS:
		g.Kind = ast.GroupGroupingSets
		g.Sets = p.parseGroupingSets()
	default:
		g.Exprs = p.parseExprList()
		switch {
		case p.tok() == token.KW_WITH && p.peek(1) == token.KW_ROLLUP:
			p.i += 2
			g.Kind = ast.GroupWithRollup
		case p.tok() == token.KW_WITH && p.peek(1) == token.KW_CUBE:
			p.i += 2
			g.Kind = ast.GroupWithCube
		case p.tok() == token.KW_GROUPING && p.peek(1) == token.KW_SETS:
			g.Kind = ast.GroupGroupingSets
			g.Sets = p.parseGroupingSets()
		}
	}
	g.Span = p.span(from)
	return g
}

func (p *parser) parseGroupingSets() [][]ast.Expr {
	p.i += 2 // GROUPING SETS
	open := p.expect(token.LPAREN, "'(' after GROUPING SETS").pos
	var sets [][]ast.Expr
	for {
		if p.tok() == token.LPAREN {
			o := p.next().pos
			set := []ast.Expr{}
			if p.tok() != token.RPAREN {
				set = p.parseExprList()
			}
			p.expectClose(token.RPAREN, o, "(")
			sets = append(sets, set)
		} else {
			sets = append(sets, []ast.Expr{p.parseExpr()})
		}
		if !p.got(token.COMMA) {
			break
		}
	}
	p.expectClose(token.RPAREN, open, "(")
	return sets
}

// parseTail parses ORDER BY, CLUSTER BY, DISTRIBUTE BY, SORT BY and LIMIT/OFFSET.
func (p *parser) parseTail(t *ast.Tail) {
	for {
		switch {
		case p.tok() == token.KW_ORDER && p.peek(1) == token.KW_BY:
			p.i += 2
			t.OrderBy = p.parseOrderItems()
		case p.tok() == token.KW_SORT && p.peek(1) == token.KW_BY:
			p.i += 2
			t.SortBy = p.parseOrderItems()
		case p.tok() == token.KW_CLUSTER && p.peek(1) == token.KW_BY:
			p.i += 2
			t.ClusterBy = p.parseExprList()
		case p.tok() == token.KW_DISTRIBUTE && p.peek(1) == token.KW_BY:
			p.i += 2
			t.DistributeBy = p.parseExprList()
		case (p.tok() == token.KW_ORDER || p.tok() == token.KW_SORT || p.tok() == token.KW_CLUSTER || p.tok() == token.KW_DISTRIBUTE) && p.peek(1) != token.KW_BY:
			p.next()
			p.errorExpected("BY after " + p.toks[p.i-1].tok.String())
		case p.tok() == token.KW_LIMIT:
			from := p.next().pos
			l := &ast.Limit{Count: p.parseExpr()}
			if p.got(token.COMMA) {
				l.Offset, l.Count, l.Comma = l.Count, p.parseExpr(), true
			} else if p.got(token.KW_OFFSET) {
				l.Offset = p.parseExpr()
			}
			l.Span = p.span(from)
			t.Limit = l
		default:
			return
		}
	}
}

// ---------------------------------------------------------------------------------------------------------
// FROM

// parseFromSource parses the items of a FROM clause: table sources joined by JOIN or ','.
func (p *parser) parseFromSource() ast.TableRef {
	p.enter()
	defer p.leave()
	left := p.parseTableSource()
	for {
		from := left.Pos()
		j := &ast.Join{Left: left}
		switch p.tok() {
		case token.COMMA:
			p.next()
			j.Kind = ast.CommaJoin
		case token.KW_JOIN:
			p.next()
		case token.KW_INNER:
			p.next()
			p.expect(token.KW_JOIN, "JOIN after INNER")
		case token.KW_CROSS:
			p.next()
			p.expect(token.KW_JOIN, "JOIN after CROSS")
			j.Kind = ast.CrossJoin
		case token.KW_LEFT, token.KW_RIGHT, token.KW_FULL:
			k := p.next().tok
			switch {
			case k == token.KW_LEFT && p.tok() == token.KW_SEMI:
				p.next()
				j.Kind = ast.LeftSemiJoin
			case k == token.KW_LEFT && p.tok() == token.KW_ANTI:
				p.next()
				j.Kind = ast.LeftAntiJoin
			default:
				j.Kind = map[token.Token]ast.JoinKind{token.KW_LEFT: ast.LeftJoin, token.KW_RIGHT: ast.RightJoin, token.KW_FULL: ast.FullJoin}[k]
				j.Outer = p.got(token.KW_OUTER)
			}
			p.expect(token.KW_JOIN, "JOIN")
		case token.KW_LATERAL:
			left = p.parseLateralView(left)
			continue
		default:
			return left
		}
		j.Right = p.parseTableSource()
		if j.Kind != ast.CommaJoin {
			if p.got(token.KW_ON) {
				j.On = p.parseExpr()
			} else if p.tok() == token.KW_USING {
				p.next()
				j.Using = p.parseParenIdents("a column name")
			}
		}
		j.Span = p.span(from)
		left = j
	}
}

// parseTableSource parses one FROM item with the LATERAL VIEWs that follow it.
func (p *parser) parseTableSource() ast.TableRef {
	t := p.parseTablePrimary()
	for p.tok() == token.KW_LATERAL && p.peek(1) == token.KW_VIEW {
		t = p.parseLateralView(t)
	}
	return t
}

func (p *parser) parseLateralView(src ast.TableRef) ast.TableRef {
	p.next()
	p.expect(token.KW_VIEW, "VIEW after LATERAL")
	lv := &ast.LateralView{Source: src}
	lv.Outer = p.got(token.KW_OUTER)
	fpos := p.pos()
	f, ok := p.parsePostfix(p.parsePrimary()).(*ast.FuncCall)
	if !ok {
		p.errorAt(fpos, "syntax error: LATERAL VIEW needs a table-generating function call, e.g. explode(col)")
	}
	lv.Func = f
	if canIdent(p.tok()) && p.tok() != token.KW_AS {
		lv.TableAlias = p.parseIdent("a table alias")
	}
	if p.got(token.KW_AS) {
		lv.ColAliases = p.parseIdentList("a column alias")
	}
	lv.Span = p.span(src.Pos())
	return lv
}

func (p *parser) parseTablePrimary() ast.TableRef {
	from := p.pos()
	if p.tok() == token.LPAREN {
		open := p.next().pos
		if p.startsQuery() {
			q := p.parseQuery()
			p.expectClose(token.RPAREN, open, "(")
			sq := &ast.SubqueryRef{Query: q}
			sq.Alias, sq.Columns = p.parseTableAlias()
			sq.Span = p.span(from)
			return sq
		}
		inner := p.parseFromSource()
		p.expectClose(token.RPAREN, open, "(")
		return inner
	}
	if !canIdent(p.tok()) {
		p.errorExpected("a table name or '('")
	}
	name := p.parseObjectName("a table name")
	if p.tok() == token.LPAREN {
		f := p.parseCall(name).(*ast.FuncCall)
		tf := &ast.TableFunc{Func: f}
		tf.Alias, tf.Columns = p.parseTableAlias()
		tf.Span = p.span(from)
		return tf
	}
	t := &ast.TableName{Name: name}
	if p.tok() == token.KW_TABLESAMPLE {
		t.Sample = p.parseTableSample()
	}
	t.Alias, _ = p.parseTableAliasNoCols()
	if t.Sample == nil && p.tok() == token.KW_TABLESAMPLE {
		t.Sample = p.parseTableSample()
	}
	t.Span = p.span(from)
	return t
}

func (p *parser) parseTableAliasNoCols() (*ast.Ident, bool) {
	if p.got(token.KW_AS) {
		return p.parseAnyIdent("an alias after AS"), true
	}
	if p.tok().CanBeAlias() && !(p.tok() == token.KW_LATERAL) {
		return p.makeIdent(p.next()), true
	}
	return nil, false
}

// parseTableAlias parses `[AS] alias [(col, ...)]`.
func (p *parser) parseTableAlias() (*ast.Ident, []*ast.Ident) {
	a, ok := p.parseTableAliasNoCols()
	if ok && p.tok() == token.LPAREN {
		return a, p.parseParenIdents("a column alias")
	}
	return a, nil
}

func (p *parser) parseTableSample() *ast.TableSample {
	from := p.next().pos
	open := p.expect(token.LPAREN, "'(' after TABLESAMPLE").pos
	s := &ast.TableSample{}
	switch {
	case p.isWord("bucket"):
		p.next()
		s.Bucket = p.parseNumber("a bucket number")
		p.expectWord("OUT")
		p.expectWord("OF")
		s.OutOf = p.parseNumber("a bucket count")
		if p.got(token.KW_ON) {
			s.On = p.parseExprList()
		}
	case p.tok() == token.IDENT && len(p.cur().lit) > 1 && isByteLength(p.cur().lit):
		s.Bytes = p.next().lit
	case (p.tok() == token.INTEGER || p.tok() == token.NUMBER) && p.peek(1) == token.KW_PERCENT:
		s.Percent = p.parseNumber("a percentage")
		p.next()
	default:
		s.Rows = p.parseExpr()
		p.expect(token.KW_ROWS, "ROWS, PERCENT or BUCKET in TABLESAMPLE")
	}
	p.expectClose(token.RPAREN, open, "(")
	s.Span = p.span(from)
	return s
}

// isByteLength reports whether s is a TABLESAMPLE byte length such as 100M or 1g.
func isByteLength(s string) bool {
	last := strings.ToLower(s[len(s)-1:])
	if last != "b" && last != "k" && last != "m" && last != "g" {
		return false
	}
	for i := 0; i < len(s)-1; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// afterParens returns the token after the parenthesised group that opens at toks[i].
func (p *parser) afterParens(i int) token.Token {
	depth := 0
	for ; i < len(p.toks); i++ {
		switch p.toks[i].tok {
		case token.LPAREN:
			depth++
		case token.RPAREN:
			depth--
			if depth == 0 {
				if i+1 < len(p.toks) {
					return p.toks[i+1].tok
				}
				return token.EOF
			}
		case token.EOF:
			return token.EOF
		}
	}
	return token.EOF
}
