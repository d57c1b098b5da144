package parser

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/scanner"
	"github.com/waggle-dev/waggle/hiveql/token"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// maxDepth bounds the nesting of expressions, queries and types, so that hostile input cannot exhaust the
// stack.
const maxDepth = 500

// Error is one syntax or lexical error. Pos is the byte offset in the statement text; Line and Col (1-based,
// Col in bytes) are the same position resolved against that text.
type Error struct {
	Pos  token.Pos
	Line int
	Col  int
	Msg  string
}

// Error returns "line:col: msg".
func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// ErrorList is the list of errors of one parse, sorted by position, at most one per line.
type ErrorList []*Error

// Error returns the first error, and how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// item is one scanned token.
type item struct {
	pos token.Pos
	end token.Pos
	tok token.Token
	lit string
}

type parser struct {
	src   string
	file  *token.File
	toks  []item
	hints map[int][]string // optimizer hints that precede toks[i]
	i     int
	depth int

	lexErrs ErrorList
	errs    ErrorList
}

// bailout is the panic value that abandons the statement after a syntax error.
type bailout struct{}

func newParser(src string) *parser {
	p := &parser{src: src, file: token.NewFile("", src)}
	p.toks = make([]item, 0, len(src)/4+16) // about one token per four bytes of HiveQL
	var s scanner.Scanner
	s.Init(src, func(pos token.Pos, msg string) {
		p.lexErrs = append(p.lexErrs, p.newError(pos, lexMessage(msg)))
	}, 0)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.HINT {
			if p.hints == nil {
				p.hints = map[int][]string{}
			}
			p.hints[len(p.toks)] = append(p.hints[len(p.toks)], lit)
			continue
		}
		p.toks = append(p.toks, item{pos: pos, end: s.TokenEnd(), tok: tok, lit: lit})
		if tok == token.EOF {
			break
		}
	}
	return p
}

// lexMessage rewords the scanner's messages the way the parser words its own.
func lexMessage(msg string) string {
	switch msg {
	case "string literal not terminated":
		return "unterminated string literal"
	case "quoted identifier not terminated":
		return "unterminated quoted identifier"
	case "comment not terminated":
		return "unterminated comment"
	case "binary literal not terminated":
		return "unterminated binary literal"
	}
	return msg
}

func (p *parser) newError(pos token.Pos, msg string) *Error {
	ps := p.file.Position(pos)
	return &Error{Pos: pos, Line: ps.Line, Col: ps.Column, Msg: msg}
}

// result merges lexical and syntax errors: a syntax error after the first lexical error is dropped.
func (p *parser) result() error {
	all := append(ErrorList(nil), p.lexErrs...)
	for _, e := range p.errs {
		if len(p.lexErrs) > 0 && e.Pos >= p.lexErrs[0].Pos {
			continue
		}
		all = append(all, e)
	}
	if len(all) == 0 {
		return nil
	}
	slices.SortStableFunc(all, func(a, b *Error) int { return cmp.Compare(a.Pos, b.Pos) })
	out := all[:0]
	for i, e := range all {
		if i == 0 || e.Line != out[len(out)-1].Line {
			out = append(out, e)
		}
	}
	return out
}

// run calls f, turning a bailout into a recorded error.
func (p *parser) run(f func()) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
		}
	}()
	f()
}

// ParseStatement parses one statement (without its terminating ';').
func ParseStatement(src string) (ast.Stmt, error) {
	p := newParser(src)
	var st ast.Stmt
	p.run(func() {
		st = p.parseStatement()
		p.expectEOF()
	})
	if err := p.result(); err != nil {
		return nil, err
	}
	return st, nil
}

// ParseQuery parses a query (SELECT, set operations, VALUES, WITH ...): the text of a view, for example.
func ParseQuery(src string) (ast.Query, error) {
	p := newParser(src)
	var q ast.Query
	p.run(func() {
		q = p.parseQuery()
		p.expectEOF()
	})
	if err := p.result(); err != nil {
		return nil, err
	}
	return q, nil
}

// ParseExpr parses a scalar expression.
func ParseExpr(src string) (ast.Expr, error) {
	p := newParser(src)
	var x ast.Expr
	p.run(func() {
		x = p.parseExpr()
		p.expectEOF()
	})
	if err := p.result(); err != nil {
		return nil, err
	}
	return x, nil
}

// ParseType parses a Hive type as written in DDL (`array<struct<a:int>>`, `DECIMAL(10, 2)`).
func ParseType(src string) (*types.Type, error) {
	p := newParser(src)
	var t *ast.TypeName
	p.run(func() {
		t = p.parseType()
		p.expectEOF()
	})
	if err := p.result(); err != nil {
		return nil, err
	}
	return t.Type, nil
}

// ---------------------------------------------------------------------------------------------------------
// Token access

func (p *parser) cur() item        { return p.toks[p.i] }
func (p *parser) tok() token.Token { return p.toks[p.i].tok }
func (p *parser) pos() token.Pos   { return p.toks[p.i].pos }
func (p *parser) peek(n int) token.Token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n].tok
	}
	return token.EOF
}

func (p *parser) peekItem(n int) item {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

// prevEnd is the end of the last consumed token (the start of the text for none).
func (p *parser) prevEnd() token.Pos {
	if p.i == 0 {
		return 0
	}
	return p.toks[p.i-1].end
}

func (p *parser) span(from token.Pos) ast.Span { return ast.Span{From: from, To: p.prevEnd()} }

func (p *parser) next() item {
	it := p.toks[p.i]
	if it.tok != token.EOF {
		p.i++
	}
	return it
}

func (p *parser) got(t token.Token) bool {
	if p.tok() == t {
		p.next()
		return true
	}
	return false
}

// gotWord consumes the current token if it is the identifier or keyword w (case-insensitive).
func (p *parser) gotWord(w string) bool {
	if p.isWord(w) {
		p.next()
		return true
	}
	return false
}

func (p *parser) isWord(w string) bool { return isWordItem(p.cur(), w) }

func isWordItem(it item, w string) bool {
	return (it.tok == token.IDENT || it.tok.IsKeyword()) && strings.EqualFold(it.lit, w)
}

func (p *parser) expect(t token.Token, what string) item {
	if p.tok() != t {
		p.errorExpected(what)
	}
	return p.next()
}

func (p *parser) expectWord(w string) {
	if !p.gotWord(w) {
		p.errorExpected(w)
	}
}

// expectClose consumes the closing token of a bracket opened at open.
func (p *parser) expectClose(close token.Token, open token.Pos, openText string) token.Pos {
	if p.tok() == close {
		return p.next().end
	}
	where := p.file.Position(open)
	if p.tok() == token.EOF {
		p.errorAt(p.prevEnd(), fmt.Sprintf("missing '%s' to close '%s' at %d:%d", close, openText, where.Line, where.Column))
	}
	p.errorAt(p.pos(), fmt.Sprintf("syntax error: unexpected %s, expected '%s' to close '%s' at %d:%d",
		describe(p.cur()), close, openText, where.Line, where.Column))
	return 0
}

func (p *parser) expectEOF() {
	if p.tok() != token.EOF {
		if p.tok() == token.SEMICOLON {
			p.errorAt(p.pos(), "syntax error: unexpected ';' inside a statement")
		}
		p.errorAt(p.pos(), fmt.Sprintf("syntax error: unexpected %s after the end of the statement", describe(p.cur())))
	}
}

// errorAt records a syntax error and abandons the statement.
func (p *parser) errorAt(pos token.Pos, msg string) {
	p.errs = append(p.errs, p.newError(pos, msg))
	panic(bailout{})
}

func (p *parser) errorExpected(what string) {
	if p.tok() == token.EOF {
		p.errorAt(p.prevEnd(), fmt.Sprintf("syntax error: unexpected end of statement, expected %s", what))
	}
	p.errorAt(p.pos(), fmt.Sprintf("syntax error: unexpected %s, expected %s", describe(p.cur()), what))
}

// describe names a token for an error message.
func describe(it item) string {
	switch it.tok {
	case token.EOF:
		return "end of statement"
	case token.IDENT:
		return "IDENT " + strconv.Quote(it.lit)
	case token.QUOTED_IDENT:
		return "identifier " + it.lit
	case token.STRING:
		return "string " + shorten(it.lit)
	case token.INTEGER, token.NUMBER:
		return "number " + it.lit
	case token.BINARY:
		return "binary literal " + shorten(it.lit)
	case token.ILLEGAL:
		return strconv.Quote(it.lit)
	}
	if it.tok.IsKeyword() {
		return "keyword " + it.tok.String()
	}
	return "'" + it.lit + "'"
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.errorAt(p.pos(), "expression nested too deeply")
	}
}

func (p *parser) leave() { p.depth-- }

// ---------------------------------------------------------------------------------------------------------
// Names and literals

func (p *parser) makeIdent(it item) *ast.Ident {
	id := &ast.Ident{Span: ast.Span{From: it.pos, To: it.end}, Name: it.lit}
	if it.tok == token.QUOTED_IDENT {
		id.Quoted = true
		if name, err := scanner.UnquoteIdent(it.lit); err == nil {
			id.Name = name
		} else {
			id.Name = strings.Trim(it.lit, "`")
		}
	}
	return id
}

// canIdent reports whether t can be a name where one is expected.
func canIdent(t token.Token) bool { return t.CanBeIdentifier() }

// anyIdent reports whether t is an identifier or any keyword (for lenient positions).
func anyIdent(t token.Token) bool {
	return t == token.IDENT || t == token.QUOTED_IDENT || t.IsKeyword()
}

// parseIdent parses a name (an identifier or a non-clause keyword).
func (p *parser) parseIdent(what string) *ast.Ident {
	if !canIdent(p.tok()) {
		p.errorExpected(what)
	}
	return p.makeIdent(p.next())
}

// parseAnyIdent parses a name where even reserved words are unambiguous (after '.', after AS, in column
// definitions).
func (p *parser) parseAnyIdent(what string) *ast.Ident {
	if !anyIdent(p.tok()) {
		p.errorExpected(what)
	}
	return p.makeIdent(p.next())
}

// parseObjectName parses `a` or `a.b` (or more parts).
func (p *parser) parseObjectName(what string) *ast.ObjectName {
	from := p.pos()
	parts := []*ast.Ident{p.parseIdent(what)}
	for p.tok() == token.DOT && anyIdent(p.peek(1)) {
		p.next()
		parts = append(parts, p.parseAnyIdent("a name after '.'"))
	}
	return &ast.ObjectName{Span: p.span(from), Parts: parts}
}

func (p *parser) parseIdentList(what string) []*ast.Ident {
	list := []*ast.Ident{p.parseAnyIdent(what)}
	for p.got(token.COMMA) {
		list = append(list, p.parseAnyIdent(what))
	}
	return list
}

// parseParenIdents parses `(a, b, c)`.
func (p *parser) parseParenIdents(what string) []*ast.Ident {
	open := p.expect(token.LPAREN, "'('").pos
	list := p.parseIdentList(what)
	p.expectClose(token.RPAREN, open, "(")
	return list
}

func (p *parser) parseString(what string) *ast.StringLit {
	if p.tok() != token.STRING {
		p.errorExpected(what)
	}
	return p.parseStringLit()
}

// parseStringLit parses one or more adjacent STRING tokens as one literal.
func (p *parser) parseStringLit() *ast.StringLit {
	from := p.pos()
	lit := &ast.StringLit{}
	var b strings.Builder
	for p.tok() == token.STRING {
		it := p.next()
		lit.Raw = append(lit.Raw, it.lit)
		v, err := scanner.Unquote(it.lit)
		if err != nil && len(p.lexErrs) == 0 {
			p.errorAt(it.pos, "invalid string literal: "+err.Error())
		}
		b.WriteString(v)
	}
	lit.Value = b.String()
	lit.Span = p.span(from)
	return lit
}

func (p *parser) parseNumber(what string) *ast.NumberLit {
	if p.tok() != token.INTEGER && p.tok() != token.NUMBER {
		p.errorExpected(what)
	}
	it := p.next()
	digits, suffix := token.NumberSuffix(it.lit)
	return &ast.NumberLit{Span: ast.Span{From: it.pos, To: it.end}, Raw: it.lit, Digits: digits, Suffix: suffix}
}

// gotIfNotExists consumes IF NOT EXISTS.
func (p *parser) gotIfNotExists() bool {
	if p.tok() == token.KW_IF && p.peek(1) == token.KW_NOT && p.peek(2) == token.KW_EXISTS {
		p.i += 3
		return true
	}
	return false
}

// gotIfExists consumes IF EXISTS.
func (p *parser) gotIfExists() bool {
	if p.tok() == token.KW_IF && p.peek(1) == token.KW_EXISTS {
		p.i += 2
		return true
	}
	return false
}
