package translate

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/functions"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/parser"
	"github.com/waggle-dev/waggle/hiveql/types"
)

const corpusDir = "../../shared/conformance/hive-qtests/results"

// corpusTables are the tables the conformance statements read (standard tables and the ones the tests
// create), as empty DuckDB tables: the corpus test checks that every query translates and that DuckDB
// binds the SQL; rows are the engine's conformance run's business.
var corpusTables = map[string][2]string{
	"src":              {"key string, value string", ""},
	"src1":             {"key string, value string", ""},
	"srcpart":          {"key string, value string", "ds string, hr string"},
	"cbo_t1":           {"key string, value string, c_int int, c_float float, c_boolean boolean", "dt string"},
	"cbo_t2":           {"key string, value string, c_int int, c_float float, c_boolean boolean", "dt string"},
	"cbo_t3":           {"key string, value string, c_int int, c_float float, c_boolean boolean", ""},
	"t1_n158":          {"key string, val string", ""},
	"dest1_n72":        {"c1 int, c2 string, c3 int, c4 string", ""},
	"dest1_n8":         {"c1 string, c2 string, c3 string", ""},
	"src_null_n1":      {"a int, b string", ""},
	"nzhang_part14_n0": {"key string", "value string"},
	"date_3":           {"c1 int, c2 date", ""},
	"s1":               {"key string, value string", ""},
	"s2":               {"key string", ""},
	"array_valued":     {"key string, value array<string>", ""},
	"dest1_n130":       {"tinyints array<tinyint>, smallints array<smallint>, ints array<int>, bigints array<bigint>, booleans array<boolean>, floats array<float>, doubles array<double>, strings array<string>, timestamps array<timestamp>", ""},
}

type corpusStmt struct {
	file, text string
}

func corpusStatements(t *testing.T) []corpusStmt {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.q.out"))
	if len(files) == 0 {
		t.Skip("conformance corpus not found")
	}
	var out []corpusStmt
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for i := 0; i < len(lines); i++ {
			if !strings.HasPrefix(lines[i], "PREHOOK: query: ") {
				continue
			}
			text := []string{strings.TrimPrefix(lines[i], "PREHOOK: query: ")}
			for i++; i < len(lines) && !strings.HasPrefix(lines[i], "PREHOOK: type: "); i++ {
				text = append(text, lines[i])
			}
			if i < len(lines) && lines[i] == "PREHOOK: type: QUERY" || i < len(lines) && strings.Contains(lines[i], "CREATETABLE_AS_SELECT") || i < len(lines) && strings.Contains(lines[i], "CREATEVIEW") {
				s := strings.Join(text, "\n")
				if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "explain") {
					continue
				}
				out = append(out, corpusStmt{filepath.Base(f), s})
			}
		}
	}
	return out
}

// queriesOf returns the queries a statement runs.
func queriesOf(st ast.Stmt) []ast.Query {
	switch s := st.(type) {
	case *ast.QueryStmt:
		return []ast.Query{s.Query}
	case *ast.InsertStmt:
		q := s.Query
		if s.With != nil {
			if sel, ok := q.(*ast.Select); ok && sel.With == nil {
				c := *sel
				c.With = s.With
				q = &c
			}
		}
		return []ast.Query{q}
	case *ast.FromInsertStmt:
		var qs []ast.Query
		for _, b := range s.Bodies {
			qs = append(qs, FromFirst(s.With, s.From, b.Select))
		}
		return qs
	case *ast.CreateTableStmt:
		if s.AsQuery != nil {
			return []ast.Query{s.AsQuery}
		}
	case *ast.CreateViewStmt:
		return []ast.Query{s.Query}
	}
	return nil
}

func TestCorpusQueriesTranslate(t *testing.T) {
	stmts := corpusStatements(t)
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	registerUDFs(t, db)
	res := &testResolver{tables: map[string]*Table{}, filters: map[string]string{}}
	for name, spec := range corpusTables {
		cols, parts := parseCols(t, spec[0]), parseCols(t, spec[1])
		var defs []string
		for _, c := range append(append([]Column{}, cols...), parts...) {
			defs = append(defs, duckdbsql.Ident(c.Name)+" "+duckdbsql.Type(c.Type))
		}
		if _, err := db.Exec("CREATE TABLE " + duckdbsql.Ident(name) + " (" + strings.Join(defs, ", ") + ")"); err != nil {
			t.Fatal(err)
		}
		tn := name
		res.tables[name] = &Table{DB: "default", Name: name, Columns: cols, PartitionColumns: parts,
			Scan: func(ctx context.Context, req ScanRequest) (string, error) {
				filter := req.PartitionFilter
				q := "SELECT * FROM " + duckdbsql.Ident(tn)
				if filter != "" {
					q += " WHERE " + filter
				}
				return q, nil
			}}
	}
	res.tables["v1"] = &Table{DB: "default", Name: "v1", Columns: []Column{{Name: "key", Type: types.Prim(types.String)}},
		ViewText: "with q1 as ( select key from src where key = '5')\nselect * from q1"}
	conf := map[string]string{"hive.default.nulls.last": "true", "waggle.hive.compat": "4"}
	env := &Env{Tables: res, Functions: functions.New(), Conf: func(k string) string { return conf[k] }}
	pass, fail := 0, 0
	for _, st := range stmts {
		name := st.file + ": " + strings.Join(strings.Fields(st.text), " ")
		if len(name) > 150 {
			name = name[:150]
		}
		stmt, err := parser.ParseStatement(st.text)
		if err != nil {
			t.Logf("SKIP (parse) %s: %v", name, err)
			continue
		}
		for _, q := range queriesOf(stmt) {
			r, err := Query(context.Background(), env, q)
			if err == nil {
				var rows *sql.Rows
				if rows, err = db.Query(r.SQL); err == nil {
					rows.Close()
				}
			}
			if err != nil {
				fail++
				t.Logf("FAIL %s\n    %v", name, err)
				if r != nil {
					t.Logf("    SQL: %s", r.SQL)
				}
				continue
			}
			pass++
		}
	}
	t.Logf("corpus queries: %d translate and bind, %d fail", pass, fail)
	if fail > 0 && os.Getenv("WAGGLE_CORPUS_STRICT") != "" {
		t.Errorf("%d corpus queries fail", fail)
	}
}
