package parser

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/token"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// parseType parses a type as written in DDL or a CAST: primitive names (with Hive's and Spark's
// synonyms), DECIMAL(p,s), CHAR(n), VARCHAR(n), ARRAY<T>, MAP<K,V>, STRUCT<name:T [COMMENT '...'], ...>,
// UNIONTYPE<T, ...>.
func (p *parser) parseType() *ast.TypeName {
	from := p.pos()
	t := p.parseTypeInner()
	return &ast.TypeName{Span: p.span(from), Type: t}
}

func (p *parser) parseTypeInner() *types.Type {
	p.enter()
	defer p.leave()
	it := p.cur()
	if !anyIdent(it.tok) {
		p.errorExpected("a type")
	}
	k, ok := types.LookupName(it.lit)
	if !ok || it.tok == token.QUOTED_IDENT {
		p.errorAt(it.pos, fmt.Sprintf("unknown type %q", it.lit))
	}
	p.next()
	name := strings.ToUpper(it.lit)
	switch k {
	case types.Double:
		p.gotWord("precision")
		return types.Prim(types.Double)
	case types.Decimal:
		if p.tok() != token.LPAREN {
			return types.Prim(types.Decimal)
		}
		open := p.next().pos
		precTok := p.cur()
		prec := p.typeInt()
		scale := 0
		scaleTok := p.cur()
		if p.got(token.COMMA) {
			scaleTok = p.cur()
			scale = p.typeInt()
		}
		p.expectClose(token.RPAREN, open, "(")
		if prec < 1 || prec > types.MaxDecimalPrecision {
			p.errorAt(precTok.pos, fmt.Sprintf("DECIMAL precision %d is out of range 1..%d", prec, types.MaxDecimalPrecision))
		}
		if scale > prec {
			p.errorAt(scaleTok.pos, fmt.Sprintf("DECIMAL scale %d is greater than precision %d", scale, prec))
		}
		return types.DecimalOf(prec, scale)
	case types.Char, types.Varchar:
		if p.tok() != token.LPAREN {
			p.errorAt(it.pos, fmt.Sprintf("%s needs a length, e.g. %s(10)", name, name))
		}
		open := p.next().pos
		nTok := p.cur()
		n := p.typeInt()
		p.expectClose(token.RPAREN, open, "(")
		max := types.MaxVarcharLength
		if k == types.Char {
			max = types.MaxCharLength
		}
		if n < 1 || n > max {
			p.errorAt(nTok.pos, fmt.Sprintf("%s length %d is out of range 1..%d", name, n, max))
		}
		return &types.Type{Kind: k, Length: n}
	case types.Array:
		open := p.typeOpen(it, "ARRAY<element type>")
		if p.tok() == token.GT {
			p.errorAt(it.pos, "ARRAY<> needs an element type")
		}
		elem := p.parseTypeInner()
		p.typeClose(open)
		return types.ArrayOf(elem)
	case types.Map:
		open := p.typeOpen(it, "MAP<key type, value type>")
		if p.tok() == token.GT {
			p.errorAt(it.pos, "MAP<> needs a key and a value type: MAP<key, value>")
		}
		keyPos := p.pos()
		key := p.parseTypeInner()
		if !key.IsPrimitive() {
			p.errorAt(keyPos, "MAP key type must be a primitive type, not "+key.String())
		}
		if p.tok() == token.GT {
			p.errorAt(it.pos, "MAP needs a key and a value type: MAP<key, value>")
		}
		p.expect(token.COMMA, "',' between the key and value types of MAP")
		val := p.parseTypeInner()
		p.typeClose(open)
		return types.MapOf(key, val)
	case types.Struct:
		open := p.typeOpen(it, "STRUCT<name: type, ...>")
		if p.tok() == token.GT {
			p.errorAt(it.pos, "STRUCT<> needs at least one field")
		}
		var fields []types.Field
		for {
			fname := p.parseAnyIdent("a field name")
			p.got(token.COLON)
			ft := p.parseTypeInner()
			f := types.Field{Name: fname.Name, Type: ft}
			if p.got(token.KW_COMMENT) {
				f.Comment = p.parseString("a comment string").Value
			}
			fields = append(fields, f)
			if !p.got(token.COMMA) {
				break
			}
		}
		p.typeClose(open)
		return types.StructOf(fields...)
	case types.Union:
		open := p.typeOpen(it, "UNIONTYPE<type, ...>")
		if p.tok() == token.GT {
			p.errorAt(it.pos, "UNIONTYPE<> needs at least one type")
		}
		alts := []*types.Type{p.parseTypeInner()}
		for p.got(token.COMMA) {
			alts = append(alts, p.parseTypeInner())
		}
		p.typeClose(open)
		return types.UnionOf(alts...)
	}
	return types.Prim(k)
}

func (p *parser) typeOpen(it item, form string) token.Pos {
	if p.tok() == token.NEQ && p.cur().lit == "<>" {
		// The scanner reads "<>" as not-equal.
		msg := map[types.Kind]string{
			types.Array:  "ARRAY<> needs an element type",
			types.Map:    "MAP<> needs a key and a value type: MAP<key, value>",
			types.Struct: "STRUCT<> needs at least one field",
			types.Union:  "UNIONTYPE<> needs at least one type",
		}
		k, _ := types.LookupName(it.lit)
		p.errorAt(it.pos, msg[k])
	}
	if p.tok() != token.LT {
		p.errorAt(it.pos, fmt.Sprintf("%s needs its type parameters: %s", strings.ToUpper(it.lit), form))
	}
	return p.next().pos
}

func (p *parser) typeClose(open token.Pos) {
	p.expectClose(token.GT, open, "<")
}

func (p *parser) typeInt() int {
	if p.tok() != token.INTEGER {
		p.errorExpected("an integer")
	}
	it := p.next()
	n, err := strconv.Atoi(it.lit)
	if err != nil {
		p.errorAt(it.pos, "number out of range: "+it.lit)
	}
	return n
}
