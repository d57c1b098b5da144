package printer

import (
	"fmt"
	"io"
	"strings"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/token"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// Print returns the HiveQL text of n (a statement, query, expression, table reference, clause or type
// name).
func Print(n ast.Node) string {
	var p printer
	p.node(n)
	return p.b.String()
}

// Fprint writes the HiveQL text of n to w.
func Fprint(w io.Writer, n ast.Node) error {
	_, err := io.WriteString(w, Print(n))
	return err
}

// TypeString returns the DDL spelling of t (upper-case names, struct field comments kept), which the
// parser reads back to an equal type.
func TypeString(t *types.Type) string {
	var p printer
	p.typ(t)
	return p.b.String()
}

type printer struct {
	b strings.Builder
}

func (p *printer) w(s ...string) {
	for _, x := range s {
		p.b.WriteString(x)
	}
}

func (p *printer) node(n ast.Node) {
	switch n := n.(type) {
	case nil:
	case ast.Stmt:
		p.stmt(n)
	case ast.Query:
		p.query(n)
	case ast.Expr:
		p.expr(n, 0)
	case ast.TableRef:
		p.tableRef(n)
	case ast.AlterAction:
		p.alterAction(n)
	case *ast.Ident:
		p.ident(n)
	case *ast.ObjectName:
		p.objectName(n)
	case *ast.TypeName:
		p.typ(n.Type)
	case *ast.SelectItem:
		p.selectItem(n)
	case *ast.OrderItem:
		p.orderItem(n)
	case *ast.WindowSpec:
		p.windowSpec(n)
	case *ast.PartitionSpec:
		p.partitionSpec(n)
	case *ast.ColumnDef:
		p.columnDef(n)
	case *ast.With:
		p.with(n)
	case *ast.RowFormat:
		p.rowFormat(n)
	default:
		p.w(fmt.Sprintf("/* unprintable %T */", n))
	}
}

// ---------------------------------------------------------------------------------------------------------
// Names and literals

func (p *printer) ident(id *ast.Ident) {
	if id == nil {
		return
	}
	if id.Quoted || !plainName(id.Name) {
		p.w("`", strings.ReplaceAll(id.Name, "`", "``"), "`")
		return
	}
	p.w(id.Name)
}

// plainName reports whether name scans as one identifier-like token (letters, digits, '_'; keywords
// included, since the parser read them in the same position) or is an operator name (DESCRIBE FUNCTION +).
func plainName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127) {
			return strings.Trim(name, "=<>!+-*/%&|^~") == ""
		}
	}
	return true
}

// dotIdent writes ".name"; a space after the dot keeps an unquoted name that starts with a digit from
// being read as part of a number (a. 1a).
func (p *printer) dotIdent(id *ast.Ident) {
	p.w(".")
	if !id.Quoted && id.Name != "" && id.Name[0] >= '0' && id.Name[0] <= '9' {
		p.w(" ")
	}
	p.ident(id)
}

func (p *printer) idents(list []*ast.Ident) {
	for i, id := range list {
		if i > 0 {
			p.w(", ")
		}
		p.ident(id)
	}
}

func (p *printer) parenIdents(list []*ast.Ident) {
	p.w("(")
	p.idents(list)
	p.w(")")
}

func (p *printer) objectName(n *ast.ObjectName) {
	for i, id := range n.Parts {
		if i > 0 {
			p.dotIdent(id)
		} else {
			p.ident(id)
		}
	}
}

func (p *printer) stringLit(s *ast.StringLit) {
	if len(s.Raw) == 0 {
		p.w(Quote(s.Value))
		return
	}
	p.w(strings.Join(s.Raw, " "))
}

// Quote returns s as a single-quoted HiveQL string literal.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'':
			b.WriteString(`\'`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case 0:
			b.WriteString(`\0`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('\'')
	return b.String()
}

func (p *printer) typ(t *types.Type) {
	if t == nil {
		p.w("STRING")
		return
	}
	switch t.Kind {
	case types.Decimal:
		p.w(fmt.Sprintf("DECIMAL(%d,%d)", t.Precision, t.Scale))
	case types.Char, types.Varchar:
		p.w(fmt.Sprintf("%s(%d)", strings.ToUpper(t.Kind.String()), t.Length))
	case types.Array:
		p.w("ARRAY<")
		p.typ(t.Elem)
		p.w(">")
	case types.Map:
		p.w("MAP<")
		p.typ(t.Key)
		p.w(",")
		p.typ(t.Value)
		p.w(">")
	case types.Struct:
		p.w("STRUCT<")
		for i, f := range t.Fields {
			if i > 0 {
				p.w(",")
			}
			p.ident(&ast.Ident{Name: f.Name, Quoted: !plainWord(f.Name)})
			p.w(":")
			p.typ(f.Type)
			if f.Comment != "" {
				p.w(" COMMENT ", Quote(f.Comment))
			}
		}
		p.w(">")
	case types.Union:
		p.w("UNIONTYPE<")
		for i, a := range t.Alts {
			if i > 0 {
				p.w(",")
			}
			p.typ(a)
		}
		p.w(">")
	default:
		p.w(strings.ToUpper(t.Kind.String()))
	}
}

func plainWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------------------------------------
// Expressions

// Precedence levels, lowest first (see package parser).
const (
	precLambda = iota
	precOr
	precAnd
	precNot
	precCompare
	precBitOr
	precBitAnd
	precConcat
	precAdd
	precMul
	precXor
	precUnary
	precPrimary
)

func binaryPrec(op token.Token) int {
	switch op {
	case token.KW_OR:
		return precOr
	case token.KW_AND, token.ANDAND:
		return precAnd
	case token.PIPE:
		return precBitOr
	case token.AMPERSAND:
		return precBitAnd
	case token.CONCAT:
		return precConcat
	case token.PLUS, token.MINUS:
		return precAdd
	case token.STAR, token.DIVIDE, token.MOD, token.KW_DIV:
		return precMul
	case token.CARET:
		return precXor
	}
	return precCompare
}

func exprPrec(x ast.Expr) int {
	switch x := x.(type) {
	case *ast.BinaryExpr:
		return binaryPrec(x.Op)
	case *ast.UnaryExpr:
		if x.Op == token.KW_NOT || x.Op == token.BANG {
			return precNot
		}
		return precUnary
	case *ast.IsExpr, *ast.DistinctFromExpr, *ast.BetweenExpr, *ast.InExpr, *ast.LikeExpr:
		return precCompare
	case *ast.ExistsExpr:
		if x.Not {
			return precCompare
		}
	case *ast.LambdaExpr:
		return precLambda
	}
	return precPrimary
}

func opText(op token.Token) string {
	switch op {
	case token.KW_AND, token.ANDAND:
		return "AND"
	case token.KW_OR:
		return "OR"
	case token.KW_NOT:
		return "NOT"
	}
	return op.String()
}

// expr prints x, in parentheses if it binds less tightly than min.
func (p *printer) expr(x ast.Expr, min int) {
	if x == nil {
		return
	}
	if exprPrec(x) < min {
		p.w("(")
		defer p.w(")")
	}
	switch x := x.(type) {
	case *ast.ColumnRef:
		for i, id := range x.Parts {
			if i > 0 {
				p.dotIdent(id)
			} else {
				p.ident(id)
			}
		}
	case *ast.StarExpr:
		if x.Qualifier != nil {
			p.objectName(x.Qualifier)
			p.w(".")
		}
		p.w("*")
	case *ast.NullLit:
		p.w("NULL")
	case *ast.BoolLit:
		if x.Value {
			p.w("TRUE")
		} else {
			p.w("FALSE")
		}
	case *ast.NumberLit:
		p.w(x.Raw)
	case *ast.StringLit:
		p.stringLit(x)
	case *ast.BinaryLit:
		p.w(x.Raw)
	case *ast.TypedLit:
		if x.Type == types.Timestamp {
			p.w("TIMESTAMP ")
		} else {
			p.w("DATE ")
		}
		p.stringLit(x.Value)
	case *ast.IntervalLit:
		p.w("INTERVAL ")
		p.expr(x.Value, precUnary)
		p.w(" ", x.Unit)
		if x.ToUnit != "" {
			p.w(" TO ", x.ToUnit)
		}
	case *ast.ParenExpr:
		p.w("(")
		p.expr(x.X, 0)
		p.w(")")
	case *ast.TupleExpr:
		p.w("(")
		p.exprs(x.Elems)
		p.w(")")
	case *ast.UnaryExpr:
		switch x.Op {
		case token.KW_NOT:
			p.w("NOT ")
			p.expr(x.X, precNot)
		case token.BANG:
			p.w("!")
			p.expr(x.X, precNot)
		default:
			p.w(x.Op.String())
			if u, ok := x.X.(*ast.UnaryExpr); ok && (u.Op == token.MINUS || u.Op == token.PLUS) {
				p.w(" ")
			}
			p.expr(x.X, precUnary)
		}
	case *ast.BinaryExpr:
		prec := binaryPrec(x.Op)
		p.expr(x.X, prec)
		p.w(" ", opText(x.Op), " ")
		p.expr(x.Y, prec+1)
	case *ast.IsExpr:
		p.expr(x.X, precCompare)
		p.w(" IS ")
		if x.Not {
			p.w("NOT ")
		}
		p.w(x.What.String())
	case *ast.DistinctFromExpr:
		p.expr(x.X, precCompare)
		p.w(" IS ")
		if x.Not {
			p.w("NOT ")
		}
		p.w("DISTINCT FROM ")
		p.expr(x.Y, precBitOr)
	case *ast.BetweenExpr:
		p.expr(x.X, precCompare)
		p.not(x.Not)
		p.w(" BETWEEN ")
		p.expr(x.Lo, precBitOr)
		p.w(" AND ")
		p.expr(x.Hi, precBitOr)
	case *ast.InExpr:
		p.expr(x.X, precCompare)
		p.not(x.Not)
		p.w(" IN (")
		if x.Query != nil {
			p.query(x.Query)
		} else {
			p.exprs(x.List)
		}
		p.w(")")
	case *ast.ExistsExpr:
		if x.Not {
			p.w("NOT ")
		}
		p.w("EXISTS (")
		p.query(x.Query)
		p.w(")")
	case *ast.SubqueryExpr:
		p.w("(")
		p.query(x.Query)
		p.w(")")
	case *ast.LikeExpr:
		p.expr(x.X, precCompare)
		p.not(x.Not)
		p.w(" ", x.Op.String(), " ")
		if x.Quantifier != 0 {
			p.w(x.Quantifier.String(), " (")
			p.exprs(x.Patterns)
			p.w(")")
		} else {
			p.expr(x.Pattern, precBitOr)
		}
		if x.Escape != nil {
			p.w(" ESCAPE ")
			p.expr(x.Escape, precBitOr)
		}
	case *ast.CaseExpr:
		p.w("CASE")
		if x.Operand != nil {
			p.w(" ")
			p.expr(x.Operand, 0)
		}
		for _, wh := range x.Whens {
			p.w(" WHEN ")
			p.expr(wh.Cond, 0)
			p.w(" THEN ")
			p.expr(wh.Result, 0)
		}
		if x.Else != nil {
			p.w(" ELSE ")
			p.expr(x.Else, 0)
		}
		p.w(" END")
	case *ast.CastExpr:
		if x.TryCast {
			p.w("TRY_CAST(")
		} else {
			p.w("CAST(")
		}
		p.expr(x.X, 0)
		p.w(" AS ")
		if x.Type != nil {
			p.typ(x.Type.Type)
		}
		p.w(")")
	case *ast.IndexExpr:
		p.expr(x.X, precPrimary)
		p.w("[")
		p.expr(x.Index, 0)
		p.w("]")
	case *ast.FieldExpr:
		p.expr(x.X, precPrimary)
		if _, ok := x.X.(*ast.NumberLit); ok {
			p.w(" ") // 0 .a, not the number 0.
		}
		p.dotIdent(x.Field)
	case *ast.FuncCall:
		p.funcCall(x)
	case *ast.ExtractExpr:
		p.w("EXTRACT(", x.Field, " FROM ")
		p.expr(x.X, 0)
		p.w(")")
	case *ast.LambdaExpr:
		if len(x.Params) == 1 {
			p.ident(x.Params[0])
		} else {
			p.parenIdents(x.Params)
		}
		p.w(" -> ")
		p.expr(x.Body, 0)
	default:
		p.w(fmt.Sprintf("/* unprintable %T */", x))
	}
}

func (p *printer) not(not bool) {
	if not {
		p.w(" NOT")
	}
}

func (p *printer) exprs(list []ast.Expr) {
	for i, x := range list {
		if i > 0 {
			p.w(", ")
		}
		p.expr(x, 0)
	}
}

func (p *printer) funcCall(f *ast.FuncCall) {
	p.objectName(f.Name)
	p.w("(")
	switch {
	case f.Star:
		p.w("*")
	default:
		if f.Distinct {
			p.w("DISTINCT ")
		}
		p.exprs(f.Args)
	}
	p.w(")")
	if f.IgnoreNulls {
		p.w(" IGNORE NULLS")
	}
	if f.Filter != nil {
		p.w(" FILTER (WHERE ")
		p.expr(f.Filter, 0)
		p.w(")")
	}
	if f.Over != nil {
		p.w(" OVER ")
		p.windowSpec(f.Over)
	}
}

func (p *printer) windowSpec(w *ast.WindowSpec) {
	if w.Name != nil && w.PartitionBy == nil && w.OrderBy == nil && w.Frame == nil {
		p.ident(w.Name)
		return
	}
	p.w("(")
	sep := ""
	if w.Name != nil {
		p.ident(w.Name)
		sep = " "
	}
	if w.PartitionBy != nil {
		p.w(sep, "PARTITION BY ")
		p.exprs(w.PartitionBy)
		sep = " "
	}
	if w.OrderBy != nil {
		p.w(sep, "ORDER BY ")
		p.orderItems(w.OrderBy)
		sep = " "
	}
	if f := w.Frame; f != nil {
		p.w(sep, f.Unit.String(), " ")
		if f.End != nil {
			p.w("BETWEEN ")
			p.frameBound(f.Start)
			p.w(" AND ")
			p.frameBound(f.End)
		} else {
			p.frameBound(f.Start)
		}
	}
	p.w(")")
}

func (p *printer) frameBound(b *ast.FrameBound) {
	switch b.Kind {
	case ast.UnboundedPreceding:
		p.w("UNBOUNDED PRECEDING")
	case ast.UnboundedFollowing:
		p.w("UNBOUNDED FOLLOWING")
	case ast.CurrentRow:
		p.w("CURRENT ROW")
	case ast.Preceding:
		p.expr(b.Offset, precBitOr)
		p.w(" PRECEDING")
	case ast.Following:
		p.expr(b.Offset, precBitOr)
		p.w(" FOLLOWING")
	}
}

func (p *printer) orderItems(list []*ast.OrderItem) {
	for i, o := range list {
		if i > 0 {
			p.w(", ")
		}
		p.orderItem(o)
	}
}

func (p *printer) orderItem(o *ast.OrderItem) {
	p.expr(o.Expr, 0)
	if o.Desc {
		p.w(" DESC")
	} else if o.Explicit {
		p.w(" ASC")
	}
	if o.Nulls != 0 {
		p.w(" NULLS ", o.Nulls.String())
	}
}
