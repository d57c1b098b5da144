package parser_test

import (
	"strings"
	"testing"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/parser"
	"github.com/waggle-dev/waggle/hiveql/printer"
)

// grouped prints an expression with every operator application in parentheses, so tests can state how
// an expression groups.
func grouped(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.BinaryExpr:
		op := x.Op.String()
		return "(" + grouped(x.X) + " " + op + " " + grouped(x.Y) + ")"
	case *ast.UnaryExpr:
		return "(" + x.Op.String() + " " + grouped(x.X) + ")"
	case *ast.IsExpr:
		not := ""
		if x.Not {
			not = "NOT "
		}
		return "(" + grouped(x.X) + " IS " + not + x.What.String() + ")"
	case *ast.BetweenExpr:
		return "(" + grouped(x.X) + " BETWEEN " + grouped(x.Lo) + " AND " + grouped(x.Hi) + ")"
	case *ast.LikeExpr:
		return "(" + grouped(x.X) + " " + x.Op.String() + " " + grouped(x.Pattern) + ")"
	case *ast.InExpr:
		var parts []string
		for _, e := range x.List {
			parts = append(parts, grouped(e))
		}
		return "(" + grouped(x.X) + " IN [" + strings.Join(parts, ", ") + "])"
	case *ast.IndexExpr:
		return "(" + grouped(x.X) + "[" + grouped(x.Index) + "])"
	case *ast.FieldExpr:
		return "(" + grouped(x.X) + " . " + x.Field.Name + ")"
	case *ast.ParenExpr:
		return grouped(x.X)
	case *ast.LambdaExpr:
		return "(" + printer.Print(x.Params[0]) + " -> " + grouped(x.Body) + ")"
	}
	return printer.Print(x)
}

func TestOperatorPrecedenceFollowsHive(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"AND binds tighter than OR", "a OR b AND c", "(a OR (b AND c))"},
		{"&& is AND", "a && b OR c", "((a AND b) OR c)"},
		{"NOT binds looser than comparison", "NOT a = b", "(NOT (a = b))"},
		{"! is NOT", "!a AND b", "((! a) AND b)"},
		{"comparison binds looser than |", "a = b | c", "(a = (b | c))"},
		{"| binds looser than &", "a | b & c", "(a | (b & c))"},
		{"& binds looser than ||", "a & b || c", "(a & (b || c))"},
		{"|| binds looser than +", "a || b + c", "(a || (b + c))"},
		{"+ binds looser than *", "a + b * c", "(a + (b * c))"},
		{"DIV and % are multiplicative", "a DIV b % c * d", "(((a DIV b) % c) * d)"},
		{"* binds looser than ^", "a * b ^ c", "(a * (b ^ c))"},
		{"unary minus binds tighter than ^", "-a ^ b", "((- a) ^ b)"},
		{"subtraction is left-associative", "a - b - c", "((a - b) - c)"},
		{"~ is unary", "~a & b", "((~ a) & b)"},
		{"IS NULL applies to the whole sum (Spark, not Hive 3)", "a + b IS NULL", "((a + b) IS NULL)"},
		{"IS NOT NULL under AND", "a IS NOT NULL AND b", "((a IS NOT NULL) AND b)"},
		{"BETWEEN's AND is not logical AND", "a BETWEEN 1 AND 2 AND c", "((a BETWEEN 1 AND 2) AND c)"},
		{"BETWEEN bounds are arithmetic", "a BETWEEN b + 1 AND c * 2", "(a BETWEEN (b + 1) AND (c * 2))"},
		{"LIKE under OR", "a LIKE 'x%' OR b", "((a LIKE 'x%') OR b)"},
		{"IN list", "a + 1 IN (1, 2)", "((a + 1) IN [1, 2])"},
		{"parentheses override", "(a OR b) AND c", "((a OR b) AND c)"},
		{"index then field", "a.b[0].c", "((a.b[0]) . c)"},
		{"map lookup chain", "m['a']['b']", "((m['a'])['b'])"},
		{"lambda body extends right", "x -> x + 1", "(x -> (x + 1))"},
		{"comparison chain is left-associative", "a = b = c", "((a = b) = c)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, err := parser.ParseExpr(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := grouped(x); got != tc.want {
				t.Errorf("%s groups as %s, want %s", tc.src, got, tc.want)
			}
		})
	}
}

func TestParseTypeBuildsHiveTypes(t *testing.T) {
	tests := []struct{ src, want string }{
		{"int", "int"},
		{"INTEGER", "int"},
		{"decimal", "decimal(10,0)"},
		{"DECIMAL(12, 2)", "decimal(12,2)"},
		{"array<struct<a:int,`b c`:string>>", "array<struct<a:int,`b c`:string>>"},
		{"map<string, array<map<int,double>>>", "map<string,array<map<int,double>>>"},
		{"uniontype<int, string>", "uniontype<int,string>"},
		{"double precision", "double"},
		{"long", "bigint"},
		{"struct<end:int, date:date>", "struct<end:int,date:date>"},
	}
	for _, tc := range tests {
		typ, err := parser.ParseType(tc.src)
		if err != nil {
			t.Errorf("ParseType(%q): %v", tc.src, err)
			continue
		}
		if typ.String() != tc.want {
			t.Errorf("ParseType(%q) = %s, want %s", tc.src, typ, tc.want)
		}
	}
}
