package parser_test

import (
	"fmt"
	"testing"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/parser"
)

// checkSpans verifies that every node of the tree has a span inside the source and inside its parent's.
func checkSpans(src string, n ast.Node) error {
	if n.Pos() < 0 || n.End() < n.Pos() || int(n.End()) > len(src) {
		return fmt.Errorf("%T has span [%d,%d) outside the source (len %d)", n, n.Pos(), n.End(), len(src))
	}
	var err error
	ast.Inspect(n, func(c ast.Node) bool {
		if err != nil {
			return false
		}
		if c == n {
			return true
		}
		if c.Pos() < n.Pos() || c.End() > n.End() {
			err = fmt.Errorf("%T [%d,%d) is not inside its parent %T %q", c, c.Pos(), c.End(), n, src[n.Pos():n.End()])
			return false
		}
		err = checkSpans(src, c)
		return false
	})
	return err
}

func TestNodeSpansNestInsideTheirParents(t *testing.T) {
	srcs := append([]string(nil), statementForms...)
	for _, c := range loadCorpus(t) {
		srcs = append(srcs, c.text)
	}
	for _, src := range srcs {
		st, err := parser.ParseStatement(src)
		if err != nil {
			continue
		}
		if err := checkSpans(src, st); err != nil {
			t.Errorf("%s\n  %v", src, err)
		}
	}
}

func TestSpansCoverWhatWasWritten(t *testing.T) {
	src := "SELECT a.b + f(x) AS y FROM db.t  -- c"
	st, err := parser.ParseStatement(src)
	if err != nil {
		t.Fatal(err)
	}
	sel := st.(*ast.QueryStmt).Query.(*ast.Select)
	for _, tc := range []struct {
		n    ast.Node
		want string
	}{
		{st, "SELECT a.b + f(x) AS y FROM db.t"},
		{sel.Items[0], "a.b + f(x) AS y"},
		{sel.Items[0].Expr, "a.b + f(x)"},
		{sel.Items[0].Expr.(*ast.BinaryExpr).Y, "f(x)"},
		{sel.From, "db.t"},
	} {
		if got := src[tc.n.Pos():tc.n.End()]; got != tc.want {
			t.Errorf("%T spans %q, want %q", tc.n, got, tc.want)
		}
	}
}
