package printer

import (
	"testing"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/token"
	"github.com/waggle-dev/waggle/hiveql/types"
)

func col(name string) *ast.ColumnRef { return &ast.ColumnRef{Parts: []*ast.Ident{{Name: name}}} }

func num(raw string) *ast.NumberLit { return &ast.NumberLit{Raw: raw, Digits: raw} }

func bin(op token.Token, x, y ast.Expr) *ast.BinaryExpr { return &ast.BinaryExpr{Op: op, X: x, Y: y} }

func TestPrintExpressions(t *testing.T) {
	tests := []struct {
		name string
		x    ast.Expr
		want string
	}{
		{"looser operand gets parentheses", bin(token.STAR, bin(token.PLUS, col("a"), col("b")), col("c")), "(a + b) * c"},
		{"tighter operand does not", bin(token.PLUS, col("a"), bin(token.STAR, col("b"), col("c"))), "a + b * c"},
		{"right operand of equal precedence keeps its grouping", bin(token.MINUS, col("a"), bin(token.MINUS, col("b"), col("c"))), "a - (b - c)"},
		{"OR under AND", bin(token.KW_AND, bin(token.KW_OR, col("a"), col("b")), col("c")), "(a OR b) AND c"},
		{"&& prints as AND", bin(token.ANDAND, col("a"), col("b")), "a AND b"},
		{"double minus is not a comment", &ast.UnaryExpr{Op: token.MINUS, X: &ast.UnaryExpr{Op: token.MINUS, X: num("1")}}, "- -1"},
		{"NOT of a comparison", &ast.UnaryExpr{Op: token.KW_NOT, X: bin(token.EQ, col("a"), col("b"))}, "NOT a = b"},
		{"comparison of a NOT", bin(token.EQ, &ast.UnaryExpr{Op: token.KW_NOT, X: col("a")}, col("b")), "(NOT a) = b"},
		{"field of a number keeps a space", &ast.FieldExpr{X: num("0"), Field: &ast.Ident{Name: "a"}}, "0 .a"},
		{"string without raw text is quoted", &ast.StringLit{Value: "it's\n"}, `'it\'s\n'`},
		{"quoted identifier escapes backquotes", &ast.ColumnRef{Parts: []*ast.Ident{{Name: "a`b", Quoted: true}}}, "`a``b`"},
		{"name that is not a word is quoted", col("a b"), "`a b`"},
		{"cast", &ast.CastExpr{X: col("a"), Type: &ast.TypeName{Type: types.DecimalOf(12, 2)}}, "CAST(a AS DECIMAL(12,2))"},
	}
	for _, tc := range tests {
		if got := Print(tc.x); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestTypeStringKeepsFieldComments(t *testing.T) {
	typ := types.MapOf(types.Prim(types.String), types.StructOf(
		types.Field{Name: "a b", Type: types.ArrayOf(types.Prim(types.Int)), Comment: "the a"},
		types.Field{Name: "c", Type: types.VarcharOf(5)}))
	want := "MAP<STRING,STRUCT<`a b`:ARRAY<INT> COMMENT 'the a',c:VARCHAR(5)>>"
	if got := TypeString(typ); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
