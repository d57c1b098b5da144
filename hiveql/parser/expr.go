package parser

import (
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/scanner"
	"github.com/waggle-dev/waggle/hiveql/token"
	"github.com/waggle-dev/waggle/hiveql/types"
)

func (p *parser) parseExpr() ast.Expr {
	p.enter()
	defer p.leave()
	return p.parseOr()
}

func (p *parser) parseExprList() []ast.Expr {
	list := []ast.Expr{p.parseExpr()}
	for p.got(token.COMMA) {
		list = append(list, p.parseExpr())
	}
	return list
}

func binary(op token.Token, x, y ast.Expr) *ast.BinaryExpr {
	return &ast.BinaryExpr{Span: ast.Span{From: x.Pos(), To: y.End()}, Op: op, X: x, Y: y}
}

func (p *parser) parseOr() ast.Expr {
	x := p.parseAnd()
	for p.tok() == token.KW_OR {
		p.next()
		x = binary(token.KW_OR, x, p.parseAnd())
	}
	return x
}

func (p *parser) parseAnd() ast.Expr {
	x := p.parseNot()
	for p.tok() == token.KW_AND || p.tok() == token.ANDAND {
		p.next()
		x = binary(token.KW_AND, x, p.parseNot())
	}
	return x
}

func (p *parser) parseNot() ast.Expr {
	from := p.pos()
	switch p.tok() {
	case token.KW_NOT:
		if p.peek(1) == token.KW_EXISTS && p.peek(2) == token.LPAREN {
			p.next()
			e := p.parseExists()
			e.Not = true
			e.Span = p.span(from)
			return p.parsePredicates(e)
		}
		fallthrough
	case token.BANG:
		op := p.next().tok
		p.enter()
		x := p.parseNot()
		p.leave()
		return &ast.UnaryExpr{Span: p.span(from), Op: op, X: x}
	}
	return p.parsePredicate()
}

func (p *parser) parsePredicate() ast.Expr {
	return p.parsePredicates(p.parseBitOr())
}

func isComparison(t token.Token) bool {
	switch t {
	case token.EQ, token.NSEQ, token.NEQ, token.LT, token.LE, token.GT, token.GE:
		return true
	}
	return false
}

// parsePredicates parses the comparison-level suffixes that follow x.
func (p *parser) parsePredicates(x ast.Expr) ast.Expr {
	for {
		from := x.Pos()
		t := p.tok()
		switch {
		case isComparison(t):
			p.next()
			x = binary(t, x, p.parseBitOr())
		case t == token.KW_IS:
			p.next()
			not := p.got(token.KW_NOT)
			switch p.tok() {
			case token.KW_NULL, token.KW_TRUE, token.KW_FALSE, token.KW_UNKNOWN:
				what := p.next().tok
				x = &ast.IsExpr{Span: p.span(from), X: x, Not: not, What: what}
			case token.KW_DISTINCT:
				p.next()
				p.expect(token.KW_FROM, "FROM after IS DISTINCT")
				y := p.parseBitOr()
				x = &ast.DistinctFromExpr{Span: p.span(from), X: x, Y: y, Not: not}
			default:
				p.errorExpected("NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS")
			}
		case t == token.KW_NOT && isNegatable(p.peek(1)):
			p.next()
			x = p.parseNegatable(x, true)
		case isNegatable(t):
			x = p.parseNegatable(x, false)
		default:
			return x
		}
	}
}

func isNegatable(t token.Token) bool {
	switch t {
	case token.KW_BETWEEN, token.KW_IN, token.KW_LIKE, token.KW_RLIKE, token.KW_REGEXP:
		return true
	}
	return false
}

func (p *parser) parseNegatable(x ast.Expr, not bool) ast.Expr {
	from := x.Pos()
	switch p.next().tok {
	case token.KW_BETWEEN:
		lo := p.parseBitOr()
		p.expect(token.KW_AND, "AND in BETWEEN ... AND ...")
		hi := p.parseBitOr()
		return &ast.BetweenExpr{Span: p.span(from), X: x, Lo: lo, Hi: hi, Not: not}
	case token.KW_IN:
		open := p.expect(token.LPAREN, "'(' after IN").pos
		e := &ast.InExpr{X: x, Not: not}
		if p.startsQuery() {
			e.Query = p.parseQuery()
		} else if p.tok() != token.RPAREN {
			e.List = p.parseExprList()
		}
		p.expectClose(token.RPAREN, open, "(")
		e.Span = p.span(from)
		return e
	default: // LIKE, RLIKE, REGEXP
		op := p.toks[p.i-1].tok
		e := &ast.LikeExpr{X: x, Not: not, Op: op}
		if op == token.KW_LIKE && (p.tok() == token.KW_ANY || p.tok() == token.KW_ALL) && p.peek(1) == token.LPAREN {
			e.Quantifier = p.next().tok
			open := p.next().pos
			e.Patterns = p.parseExprList()
			p.expectClose(token.RPAREN, open, "(")
		} else {
			e.Pattern = p.parseBitOr()
		}
		if p.got(token.KW_ESCAPE) {
			e.Escape = p.parseBitOr()
		}
		e.Span = p.span(from)
		return e
	}
}

func (p *parser) parseBitOr() ast.Expr {
	x := p.parseBitAnd()
	for p.tok() == token.PIPE {
		p.next()
		x = binary(token.PIPE, x, p.parseBitAnd())
	}
	return x
}

func (p *parser) parseBitAnd() ast.Expr {
	x := p.parseConcat()
	for p.tok() == token.AMPERSAND {
		p.next()
		x = binary(token.AMPERSAND, x, p.parseConcat())
	}
	return x
}

func (p *parser) parseConcat() ast.Expr {
	x := p.parseAdd()
	for p.tok() == token.CONCAT {
		p.next()
		x = binary(token.CONCAT, x, p.parseAdd())
	}
	return x
}

func (p *parser) parseAdd() ast.Expr {
	x := p.parseMul()
	for p.tok() == token.PLUS || p.tok() == token.MINUS {
		op := p.next().tok
		x = binary(op, x, p.parseMul())
	}
	return x
}

func (p *parser) parseMul() ast.Expr {
	x := p.parseXor()
	for {
		switch op := p.tok(); op {
		case token.STAR, token.DIVIDE, token.MOD, token.KW_DIV:
			p.next()
			x = binary(op, x, p.parseXor())
		default:
			return x
		}
	}
}

func (p *parser) parseXor() ast.Expr {
	x := p.parseUnary()
	for p.tok() == token.CARET {
		p.next()
		x = binary(token.CARET, x, p.parseUnary())
	}
	return x
}

func (p *parser) parseUnary() ast.Expr {
	switch p.tok() {
	case token.MINUS, token.PLUS, token.TILDE:
		from := p.pos()
		op := p.next().tok
		p.enter()
		x := p.parseUnary()
		p.leave()
		return &ast.UnaryExpr{Span: p.span(from), Op: op, X: x}
	}
	return p.parsePostfix(p.parsePrimary())
}

func (p *parser) parsePostfix(x ast.Expr) ast.Expr {
	for {
		switch p.tok() {
		case token.LBRACK:
			open := p.next().pos
			idx := p.parseExpr()
			p.expectClose(token.RBRACK, open, "[")
			x = &ast.IndexExpr{Span: p.span(x.Pos()), X: x, Index: idx}
		case token.DOT:
			if !anyIdent(p.peek(1)) {
				return x
			}
			p.next()
			f := p.parseAnyIdent("a field name")
			x = &ast.FieldExpr{Span: p.span(x.Pos()), X: x, Field: f}
		default:
			return x
		}
	}
}

// startsQuery reports whether the current token begins a query (inside parentheses).
func (p *parser) startsQuery() bool {
	switch p.tok() {
	case token.KW_SELECT, token.KW_WITH, token.KW_FROM:
		return true
	case token.KW_VALUES:
		return p.peek(1) == token.LPAREN
	case token.LPAREN:
		// ((SELECT ...) UNION ...): look through the parentheses.
		j := p.i
		for j < len(p.toks) && p.toks[j].tok == token.LPAREN {
			j++
		}
		if j < len(p.toks) {
			switch p.toks[j].tok {
			case token.KW_SELECT, token.KW_WITH, token.KW_FROM:
				return true
			}
		}
	}
	return false
}

func (p *parser) parsePrimary() ast.Expr {
	it := p.cur()
	from := it.pos
	switch it.tok {
	case token.INTEGER, token.NUMBER:
		return p.parseNumber("a number")
	case token.STRING:
		return p.parseStringLit()
	case token.BINARY:
		p.next()
		v, _ := scanner.DecodeBinary(it.lit)
		return &ast.BinaryLit{Span: p.span(from), Raw: it.lit, Value: v}
	case token.KW_NULL:
		p.next()
		return &ast.NullLit{Span: p.span(from)}
	case token.KW_TRUE, token.KW_FALSE:
		p.next()
		return &ast.BoolLit{Span: p.span(from), Value: it.tok == token.KW_TRUE}
	case token.KW_DATE, token.KW_TIMESTAMP:
		if p.peek(1) == token.STRING {
			p.next()
			v := p.parseStringLit()
			k := types.Date
			if it.tok == token.KW_TIMESTAMP {
				k = types.Timestamp
			}
			return &ast.TypedLit{Span: p.span(from), Type: k, Value: v}
		}
	case token.KW_INTERVAL:
		return p.parseInterval()
	case token.KW_CASE:
		return p.parseCase()
	case token.KW_CAST:
		if p.peek(1) == token.LPAREN {
			return p.parseCast(false)
		}
	case token.KW_EXISTS:
		if p.peek(1) == token.LPAREN {
			return p.parseExists()
		}
	case token.KW_EXTRACT:
		if p.peek(1) == token.LPAREN {
			return p.parseExtract()
		}
	case token.LPAREN:
		return p.parseParen()
	case token.STAR:
		p.next()
		return &ast.StarExpr{Span: p.span(from)}
	case token.KW_LEFT, token.KW_RIGHT, token.KW_REGEXP, token.KW_RLIKE:
		// Function names that are also clause keywords: left(s, n), right(s, n), regexp(s, p), rlike(s, p).
		if p.peek(1) == token.LPAREN {
			name := p.makeIdent(p.next())
			return p.parseCall(&ast.ObjectName{Span: name.Span, Parts: []*ast.Ident{name}})
		}
	}
	if canIdent(it.tok) {
		if p.peek(1) == token.ARROW {
			param := p.makeIdent(p.next())
			p.next()
			body := p.parseExpr()
			return &ast.LambdaExpr{Span: p.span(from), Params: []*ast.Ident{param}, Body: body}
		}
		if it.tok == token.IDENT && strings.EqualFold(it.lit, "try_cast") && p.peek(1) == token.LPAREN {
			return p.parseCast(true)
		}
		return p.parseName()
	}
	p.errorExpected("an expression")
	return nil
}

// parseName parses a dotted name: a column reference, `t.*` or a function call.
func (p *parser) parseName() ast.Expr {
	from := p.pos()
	parts := []*ast.Ident{p.makeIdent(p.next())}
	for p.tok() == token.DOT {
		if p.peek(1) == token.STAR {
			p.i += 2
			q := &ast.ObjectName{Span: ast.Span{From: from, To: parts[len(parts)-1].End()}, Parts: parts}
			return &ast.StarExpr{Span: p.span(from), Qualifier: q}
		}
		if !anyIdent(p.peek(1)) {
			break
		}
		p.next()
		parts = append(parts, p.makeIdent(p.next()))
	}
	if p.tok() == token.LPAREN {
		return p.parseCall(&ast.ObjectName{Span: p.span(from), Parts: parts})
	}
	return &ast.ColumnRef{Span: p.span(from), Parts: parts}
}

// parseCall parses the argument list and what may follow it (IGNORE NULLS, FILTER, OVER).
func (p *parser) parseCall(name *ast.ObjectName) ast.Expr {
	f := &ast.FuncCall{Name: name}
	open := p.expect(token.LPAREN, "'('").pos
	switch {
	case p.tok() == token.STAR && p.peek(1) == token.RPAREN:
		p.next()
		f.Star = true
	case p.tok() == token.RPAREN:
	default:
		if p.tok() == token.KW_DISTINCT {
			p.next()
			f.Distinct = true
		} else if p.tok() == token.KW_ALL && p.peek(1) != token.RPAREN && p.peek(1) != token.COMMA {
			p.next()
		}
		f.Args = p.parseExprList()
		if p.tok() == token.KW_IGNORE && p.peek(1) == token.KW_NULLS {
			p.i += 2
			f.IgnoreNulls = true
		}
	}
	p.expectClose(token.RPAREN, open, "(")
	if p.tok() == token.KW_IGNORE && p.peek(1) == token.KW_NULLS {
		p.i += 2
		f.IgnoreNulls = true
	}
	if p.tok() == token.KW_FILTER && p.peek(1) == token.LPAREN {
		p.next()
		open := p.next().pos
		p.expect(token.KW_WHERE, "WHERE in FILTER (WHERE ...)")
		f.Filter = p.parseExpr()
		p.expectClose(token.RPAREN, open, "(")
	}
	if p.tok() == token.KW_OVER {
		p.next()
		f.Over = p.parseOver()
	}
	f.Span = p.span(name.Pos())
	return f
}

// parseOver parses what follows OVER: a window name or a parenthesised spec.
func (p *parser) parseOver() *ast.WindowSpec {
	from := p.pos()
	if p.tok() != token.LPAREN {
		name := p.parseIdent("a window name or '(' after OVER")
		return &ast.WindowSpec{Span: p.span(from), Name: name}
	}
	return p.parseWindowSpec()
}

// parseWindowSpec parses `( [name] [PARTITION BY ...] [ORDER BY ...] [frame] )`.
func (p *parser) parseWindowSpec() *ast.WindowSpec {
	from := p.pos()
	open := p.expect(token.LPAREN, "'('").pos
	w := &ast.WindowSpec{}
	if canIdent(p.tok()) && p.tok() != token.KW_ROWS && p.tok() != token.KW_RANGE && !p.isWord("distribute") && !p.isWord("sort") {
		w.Name = p.parseIdent("a window name")
	}
	if p.tok() == token.KW_PARTITION || p.tok() == token.KW_DISTRIBUTE {
		p.next()
		p.expect(token.KW_BY, "BY")
		w.PartitionBy = p.parseExprList()
	}
	if p.tok() == token.KW_ORDER || p.tok() == token.KW_SORT {
		p.next()
		p.expect(token.KW_BY, "BY")
		w.OrderBy = p.parseOrderItems()
	}
	if p.tok() == token.KW_ROWS || p.tok() == token.KW_RANGE {
		w.Frame = p.parseFrame()
	}
	p.expectClose(token.RPAREN, open, "(")
	w.Span = p.span(from)
	return w
}

func (p *parser) parseFrame() *ast.Frame {
	from := p.pos()
	f := &ast.Frame{Unit: p.next().tok}
	if p.got(token.KW_BETWEEN) {
		f.Start = p.parseFrameBound()
		p.expect(token.KW_AND, "AND in BETWEEN ... AND ...")
		f.End = p.parseFrameBound()
	} else {
		f.Start = p.parseFrameBound()
	}
	f.Span = p.span(from)
	return f
}

func (p *parser) parseFrameBound() *ast.FrameBound {
	from := p.pos()
	b := &ast.FrameBound{}
	switch {
	case p.tok() == token.KW_UNBOUNDED:
		p.next()
		switch p.tok() {
		case token.KW_PRECEDING:
			b.Kind = ast.UnboundedPreceding
		case token.KW_FOLLOWING:
			b.Kind = ast.UnboundedFollowing
		default:
			p.errorExpected("PRECEDING or FOLLOWING")
		}
		p.next()
	case p.tok() == token.KW_CURRENT:
		p.next()
		p.expect(token.KW_ROW, "ROW after CURRENT")
		b.Kind = ast.CurrentRow
	default:
		b.Offset = p.parseBitOr()
		switch p.tok() {
		case token.KW_PRECEDING:
			b.Kind = ast.Preceding
		case token.KW_FOLLOWING:
			b.Kind = ast.Following
		default:
			p.errorExpected("PRECEDING or FOLLOWING")
		}
		p.next()
	}
	b.Span = p.span(from)
	return b
}

func (p *parser) parseOrderItems() []*ast.OrderItem {
	list := []*ast.OrderItem{p.parseOrderItem()}
	for p.got(token.COMMA) {
		list = append(list, p.parseOrderItem())
	}
	return list
}

func (p *parser) parseOrderItem() *ast.OrderItem {
	from := p.pos()
	o := &ast.OrderItem{Expr: p.parseExpr()}
	switch p.tok() {
	case token.KW_ASC:
		p.next()
		o.Explicit = true
	case token.KW_DESC:
		p.next()
		o.Explicit, o.Desc = true, true
	}
	if p.got(token.KW_NULLS) {
		switch p.tok() {
		case token.KW_FIRST, token.KW_LAST:
			o.Nulls = p.next().tok
		default:
			p.errorExpected("FIRST or LAST after NULLS")
		}
	}
	o.Span = p.span(from)
	return o
}

func (p *parser) parseExists() *ast.ExistsExpr {
	from := p.pos()
	p.expect(token.KW_EXISTS, "EXISTS")
	open := p.expect(token.LPAREN, "'(' after EXISTS").pos
	if !p.startsQuery() {
		p.errorExpected("a subquery after EXISTS (")
	}
	q := p.parseQuery()
	p.expectClose(token.RPAREN, open, "(")
	return &ast.ExistsExpr{Span: p.span(from), Query: q}
}

// parseParen parses `(expr)`, `(a, b)`, `(subquery)` or a lambda `(x, y) -> body`.
func (p *parser) parseParen() ast.Expr {
	from := p.pos()
	if p.isLambdaParams() {
		p.next()
		var params []*ast.Ident
		for p.tok() != token.RPAREN {
			params = append(params, p.makeIdent(p.next()))
			p.got(token.COMMA)
		}
		p.next()
		p.expect(token.ARROW, "'->'")
		body := p.parseExpr()
		return &ast.LambdaExpr{Span: p.span(from), Params: params, Body: body}
	}
	open := p.next().pos
	if p.startsQuery() {
		q := p.parseQuery()
		p.expectClose(token.RPAREN, open, "(")
		return &ast.SubqueryExpr{Span: p.span(from), Query: q}
	}
	if p.tok() == token.RPAREN {
		p.errorExpected("an expression")
	}
	list := p.parseExprList()
	p.expectClose(token.RPAREN, open, "(")
	if len(list) == 1 {
		return &ast.ParenExpr{Span: p.span(from), X: list[0]}
	}
	return &ast.TupleExpr{Span: p.span(from), Elems: list}
}

// isLambdaParams reports whether the tokens at ( form `(a, b) ->`.
func (p *parser) isLambdaParams() bool {
	j := p.i + 1
	for {
		if j >= len(p.toks) || !canIdent(p.toks[j].tok) {
			return false
		}
		j++
		if j < len(p.toks) && p.toks[j].tok == token.COMMA {
			j++
			continue
		}
		break
	}
	return j+1 < len(p.toks) && p.toks[j].tok == token.RPAREN && p.toks[j+1].tok == token.ARROW
}

func (p *parser) parseCase() ast.Expr {
	from := p.next().pos
	c := &ast.CaseExpr{}
	if p.tok() != token.KW_WHEN {
		c.Operand = p.parseExpr()
	}
	for p.tok() == token.KW_WHEN {
		wf := p.next().pos
		cond := p.parseExpr()
		p.expect(token.KW_THEN, "THEN")
		res := p.parseExpr()
		c.Whens = append(c.Whens, &ast.When{Span: p.span(wf), Cond: cond, Result: res})
	}
	if len(c.Whens) == 0 {
		p.errorExpected("WHEN")
	}
	if p.got(token.KW_ELSE) {
		c.Else = p.parseExpr()
	}
	if p.tok() != token.KW_END {
		where := p.file.Position(from)
		if p.tok() == token.EOF {
			p.errorAt(p.prevEnd(), "missing END to close CASE at "+strconv.Itoa(where.Line)+":"+strconv.Itoa(where.Column))
		}
		p.errorExpected("WHEN, ELSE or END")
	}
	p.next()
	c.Span = p.span(from)
	return c
}

func (p *parser) parseCast(try bool) ast.Expr {
	from := p.next().pos
	open := p.expect(token.LPAREN, "'('").pos
	x := p.parseExpr()
	p.expect(token.KW_AS, "AS in CAST(expr AS type)")
	t := p.parseType()
	p.expectClose(token.RPAREN, open, "(")
	return &ast.CastExpr{Span: p.span(from), X: x, Type: t, TryCast: try}
}

func (p *parser) parseExtract() ast.Expr {
	from := p.next().pos
	open := p.expect(token.LPAREN, "'('").pos
	if !anyIdent(p.tok()) {
		p.errorExpected("a field name (YEAR, MONTH, DAY, ...)")
	}
	field := strings.ToUpper(p.next().lit)
	p.expect(token.KW_FROM, "FROM in EXTRACT(field FROM expr)")
	x := p.parseExpr()
	p.expectClose(token.RPAREN, open, "(")
	return &ast.ExtractExpr{Span: p.span(from), Field: field, X: x}
}

// intervalUnit returns the singular upper-case unit named by the current token, or "".
func (p *parser) intervalUnit() string {
	if !anyIdent(p.tok()) {
		return ""
	}
	u := strings.ToUpper(p.cur().lit)
	switch u {
	case "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "WEEK", "MILLISECOND", "MICROSECOND":
		return u
	case "YEARS", "MONTHS", "DAYS", "HOURS", "MINUTES", "SECONDS", "WEEKS", "MILLISECONDS", "MICROSECONDS":
		return u[:len(u)-1]
	}
	return ""
}

func (p *parser) parseInterval() ast.Expr {
	from := p.next().pos
	e := &ast.IntervalLit{}
	switch p.tok() {
	case token.STRING:
		e.Value = p.parseStringLit()
	case token.LPAREN:
		e.Value = p.parseParen()
	default:
		e.Value = p.parseUnary()
	}
	if e.Unit = p.intervalUnit(); e.Unit == "" {
		p.errorExpected("an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)")
	}
	p.next()
	if p.tok() == token.KW_TO {
		p.next()
		if e.ToUnit = p.intervalUnit(); e.ToUnit == "" {
			p.errorExpected("an interval unit after TO")
		}
		p.next()
	}
	e.Span = p.span(from)
	return e
}
