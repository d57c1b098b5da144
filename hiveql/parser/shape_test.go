package parser_test

import (
	"testing"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/parser"
	"github.com/waggle-dev/waggle/hiveql/token"
)

func mustParse(t *testing.T, src string) ast.Stmt {
	t.Helper()
	st, err := parser.ParseStatement(src)
	if err != nil {
		t.Fatalf("ParseStatement(%q): %v", src, err)
	}
	return st
}

func selectOf(t *testing.T, src string) *ast.Select {
	t.Helper()
	return mustParse(t, src).(*ast.QueryStmt).Query.(*ast.Select)
}

func TestRawCommandsKeepTheirTextVerbatim(t *testing.T) {
	tests := []struct {
		src  string
		want ast.Stmt
	}{
		{"SET hive.exec.dynamic.partition.mode=nonstrict", &ast.SetStmt{Kind: ast.SetAssign, Key: "hive.exec.dynamic.partition.mode", Value: "nonstrict"}},
		{"set mapred.child.java.opts = -Xmx2g ", &ast.SetStmt{Kind: ast.SetAssign, Key: "mapred.child.java.opts", Value: "-Xmx2g"}},
		{"SET hivevar:x='a b'", &ast.SetStmt{Kind: ast.SetAssign, Key: "hivevar:x", Value: "'a b'"}},
		{"SET x=/tmp/x=y", &ast.SetStmt{Kind: ast.SetAssign, Key: "x", Value: "/tmp/x=y"}},
		{"SET x=", &ast.SetStmt{Kind: ast.SetAssign, Key: "x", Value: ""}},
		{"-- why\nSET x=1", &ast.SetStmt{Kind: ast.SetAssign, Key: "x", Value: "1"}},
		{"SET hive.exec.parallel", &ast.SetStmt{Kind: ast.SetShow, Key: "hive.exec.parallel"}},
		{"SET -v", &ast.SetStmt{Kind: ast.SetVerbose}},
		{"SET", &ast.SetStmt{Kind: ast.SetAll}},
		{"RESET a b", &ast.ResetStmt{Keys: []string{"a", "b"}}},
		{"ADD JAR /tmp/my udf.jar", &ast.ResourceStmt{Op: "ADD", Kind: "JAR", Paths: []string{"/tmp/my", "udf.jar"}}},
		{"list files", &ast.ResourceStmt{Op: "LIST", Kind: "FILE"}},
		{"DELETE ARCHIVES a.tgz", &ast.ResourceStmt{Op: "DELETE", Kind: "ARCHIVE", Paths: []string{"a.tgz"}}},
		{"source /x/init.sql", &ast.SourceStmt{Path: "/x/init.sql"}},
		{"dfs -ls /user/hive", &ast.CommandStmt{Name: "dfs", Text: "-ls /user/hive"}},
		{"!echo 'hi'", &ast.CommandStmt{Name: "!", Text: "echo 'hi'"}},
	}
	for _, tc := range tests {
		got := mustParse(t, tc.src)
		if d := diffTrees(got, tc.want); d != "" {
			t.Errorf("%q: %s", tc.src, d)
		}
	}
}

func TestTreeShapes(t *testing.T) {
	t.Run("LIMIT m, n is offset m, count n", func(t *testing.T) {
		l := selectOf(t, "SELECT a FROM t LIMIT 5, 10").Limit
		if !l.Comma || l.Offset.(*ast.NumberLit).Raw != "5" || l.Count.(*ast.NumberLit).Raw != "10" {
			t.Errorf("limit = %+v", l)
		}
	})
	t.Run("adjacent strings form one literal", func(t *testing.T) {
		s := selectOf(t, `SELECT 'it' 's' "\t"`).Items[0].Expr.(*ast.StringLit)
		if s.Value != "its\t" || len(s.Raw) != 3 {
			t.Errorf("string = %+v", s)
		}
	})
	t.Run("number suffixes", func(t *testing.T) {
		n := selectOf(t, "SELECT 1.5BD").Items[0].Expr.(*ast.NumberLit)
		if n.Digits != "1.5" || n.Suffix != "BD" {
			t.Errorf("number = %+v", n)
		}
	})
	t.Run("UDTF with AS (a, b)", func(t *testing.T) {
		it := selectOf(t, "SELECT explode(m) AS (k, v) FROM t").Items[0]
		if len(it.Aliases) != 2 || it.Aliases[1].Name != "v" || it.Alias != nil {
			t.Errorf("item = %+v", it)
		}
	})
	t.Run("alias without AS; keyword as column name", func(t *testing.T) {
		s := selectOf(t, "SELECT count(*) cs, date, `key` FROM t")
		if s.Items[0].Alias.Name != "cs" || s.Items[1].Expr.(*ast.ColumnRef).Parts[0].Name != "date" ||
			!s.Items[2].Expr.(*ast.ColumnRef).Parts[0].Quoted {
			t.Errorf("items = %+v", s.Items)
		}
	})
	t.Run("CTAS keeps its query", func(t *testing.T) {
		ct := mustParse(t, "CREATE TABLE t STORED AS PARQUET AS SELECT 1").(*ast.CreateTableStmt)
		if ct.AsQuery == nil || ct.StoredAs.Format.Name != "PARQUET" {
			t.Errorf("ctas = %+v", ct)
		}
	})
	t.Run("Spark PARTITIONED BY names vs Hive typed columns", func(t *testing.T) {
		spark := mustParse(t, "CREATE TABLE t USING hive PARTITIONED BY (a, b) AS SELECT 1 a, 2 b").(*ast.CreateTableStmt)
		hive := mustParse(t, "CREATE TABLE t (x INT) PARTITIONED BY (a STRING)").(*ast.CreateTableStmt)
		if len(spark.PartitionedByNames) != 2 || spark.PartitionedBy != nil || spark.Using.Name != "hive" {
			t.Errorf("spark = %+v", spark)
		}
		if len(hive.PartitionedBy) != 1 || hive.PartitionedBy[0].Type.Type.String() != "string" {
			t.Errorf("hive = %+v", hive)
		}
	})
	t.Run("multi-insert", func(t *testing.T) {
		st := mustParse(t, "FROM src INSERT OVERWRITE TABLE a SELECT k WHERE k < 1 INSERT INTO TABLE b SELECT v").(*ast.FromInsertStmt)
		if len(st.Bodies) != 2 || !st.Bodies[0].Target.Overwrite || st.Bodies[1].Target.Overwrite ||
			st.Bodies[0].Select.Where == nil || st.Bodies[0].Select.From != nil {
			t.Errorf("multi-insert = %+v", st)
		}
	})
	t.Run("FROM-first SELECT is a query", func(t *testing.T) {
		s := selectOf(t, "FROM src s SELECT s.k")
		if !s.FromFirst || s.From.(*ast.TableName).Alias.Name != "s" {
			t.Errorf("select = %+v", s)
		}
	})
	t.Run("dynamic partition spec", func(t *testing.T) {
		tg := mustParse(t, "INSERT OVERWRITE TABLE t PARTITION (ds='1', hr) SELECT 1").(*ast.InsertStmt).Target
		items := tg.Partition.Items
		if items[0].Value.(*ast.StringLit).Value != "1" || items[0].Op != token.EQ || items[1].Value != nil {
			t.Errorf("partition = %+v", items)
		}
	})
	t.Run("set operation owns ORDER BY and LIMIT", func(t *testing.T) {
		s := mustParse(t, "SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1 LIMIT 2").(*ast.QueryStmt).Query.(*ast.SetOp)
		if !s.All || s.Limit == nil || s.OrderBy == nil || s.Right.(*ast.Select).Limit != nil {
			t.Errorf("setop = %+v", s)
		}
	})
	t.Run("INTERSECT binds tighter than UNION", func(t *testing.T) {
		s := mustParse(t, "SELECT 1 UNION SELECT 2 INTERSECT SELECT 3").(*ast.QueryStmt).Query.(*ast.SetOp)
		if s.Op != token.KW_UNION || s.Right.(*ast.SetOp).Op != token.KW_INTERSECT {
			t.Errorf("setop = %+v", s)
		}
	})
	t.Run("lateral views bind to the table before them", func(t *testing.T) {
		s := selectOf(t, "SELECT * FROM a LATERAL VIEW explode(x) t AS c JOIN b ON a.k = b.k")
		j := s.From.(*ast.Join)
		lv := j.Left.(*ast.LateralView)
		if lv.Source.(*ast.TableName).Name.Parts[0].Name != "a" || lv.ColAliases[0].Name != "c" || lv.TableAlias.Name != "t" {
			t.Errorf("from = %+v", j)
		}
	})
	t.Run("hints after SELECT", func(t *testing.T) {
		s := selectOf(t, "SELECT /*+ MAPJOIN(b) */ a FROM t")
		if len(s.Hints) != 1 || s.Hints[0] != " MAPJOIN(b) " {
			t.Errorf("hints = %q", s.Hints)
		}
	})
	t.Run("view query span is its source text", func(t *testing.T) {
		src := "CREATE VIEW v AS SELECT a FROM t -- x"
		v := mustParse(t, src).(*ast.CreateViewStmt)
		if got := src[v.Query.Pos():v.Query.End()]; got != "SELECT a FROM t" {
			t.Errorf("view text = %q", got)
		}
	})
}
