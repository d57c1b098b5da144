package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/engine/tableformat"
	"github.com/waggle-dev/waggle/functions"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/parser"
	"github.com/waggle-dev/waggle/hiveql/types"
	"github.com/waggle-dev/waggle/translate"
)

// translator reproduces the engine's parse → translate step outside the session, to time it and to get
// the DuckDB SQL Waggle generates (engine.Session does not expose either). Its table resolver follows the
// engine's (engine/scan.go) for unpartitioned local tables: metastore lookup, file listing and
// tableformat.ReadSQL (which probes Parquet schemas / scans text files). Its DuckDB connection is set up
// like a session's (settings, UDFs) so that the generated SQL runs on it as Waggle would run it.
type translator struct {
	cat    catalog.Catalog
	conf   map[string]string
	dbName string
	db     *sql.DB
	conn   *sql.Conn
	funcs  *functions.Registry
}

func newTranslator(ctx context.Context, cat catalog.Catalog, conf map[string]string, dbName string, threads int, memLimit string) (*translator, error) {
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, err
	}
	t := &translator{cat: cat, conf: conf, dbName: dbName, db: sql.OpenDB(connector), funcs: functions.New()}
	if t.conn, err = t.db.Conn(ctx); err != nil {
		t.db.Close()
		return nil, err
	}
	settings := []string{
		"SET default_null_order = 'nulls_first_on_asc_last_on_desc'",
		"SET preserve_insertion_order = true",
		"SET TimeZone = 'UTC'",
		fmt.Sprintf("SET threads = %d", threads),
	}
	if memLimit != "" {
		settings = append(settings, fmt.Sprintf("SET memory_limit = '%s'", memLimit))
	}
	for _, s := range settings {
		if _, err := t.conn.ExecContext(ctx, s); err != nil {
			t.close()
			return nil, err
		}
	}
	if err := functions.RegisterUDFs(ctx, t.conn); err != nil {
		t.close()
		return nil, err
	}
	if err := tableformat.RegisterFunctions(ctx, t.conn); err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}

func (t *translator) close() {
	if t.conn != nil {
		t.conn.Close()
	}
	t.db.Close()
}

func (t *translator) env() *translate.Env {
	return &translate.Env{
		Tables:        t,
		Functions:     t.funcs,
		TempFunctions: map[string]*functions.Func{},
		Macros:        map[string]*translate.Macro{},
		Conf:          func(k string) string { return t.conf[k] },
	}
}

// ResolveTable implements translate.TableResolver.
func (t *translator) ResolveTable(ctx context.Context, db, name string) (*translate.Table, error) {
	if db == "" {
		db = t.dbName
	}
	tbl, err := t.cat.GetTable(ctx, strings.ToLower(db), strings.ToLower(name))
	if err != nil {
		return nil, err
	}
	var data []translate.Column
	var specCols []tableformat.Column
	for _, f := range tbl.SD.Cols {
		typ, err := types.Parse(f.Type)
		if err != nil {
			return nil, err
		}
		data = append(data, translate.Column{Name: strings.ToLower(f.Name), Type: typ})
		specCols = append(specCols, tableformat.Column{Name: strings.ToLower(f.Name), Type: typ})
	}
	if len(tbl.PartitionKeys) > 0 {
		return nil, fmt.Errorf("%s: partitioned tables are not part of TPC-H", name)
	}
	return &translate.Table{DB: tbl.DBName, Name: tbl.Name, Columns: data,
		Scan: func(ctx context.Context, _ translate.ScanRequest) (string, error) {
			spec, err := tableformat.SpecFrom(tbl.SD.SerDe.SerializationLib, tbl.SD.InputFormat, tbl.SD.SerDe.Parameters, tbl.Parameters, specCols)
			if err != nil {
				return "", err
			}
			files, err := dataFiles(strings.TrimPrefix(tbl.SD.Location, "file://"))
			if err != nil && !os.IsNotExist(err) {
				return "", err
			}
			return tableformat.ReadSQL(ctx, t.conn, spec, files)
		}}, nil
}

// parseQuery parses a one-query script (a trailing ';' and leading comments allowed).
func parseQuery(text string) (ast.Query, error) {
	text = strings.TrimSpace(text)
	text = strings.TrimSuffix(text, ";")
	stmt, err := parser.ParseStatement(text)
	if err != nil {
		return nil, err
	}
	qs, ok := stmt.(*ast.QueryStmt)
	if !ok {
		return nil, fmt.Errorf("not a query: %T", stmt)
	}
	return qs.Query, nil
}

func (t *translator) sql(ctx context.Context, text string) (string, error) {
	q, err := parseQuery(text)
	if err != nil {
		return "", err
	}
	res, err := translate.Query(ctx, t.env(), q)
	if err != nil {
		return "", err
	}
	return res.SQL, nil
}

// timeParseTranslate returns the median parse time and the median translate time (table resolution
// and scan SQL included) over n runs.
func (t *translator) timeParseTranslate(ctx context.Context, text string, n int) (parse, tran time.Duration, err error) {
	var ps, ts []time.Duration
	for i := 0; i < n; i++ {
		start := time.Now()
		q, err := parseQuery(text)
		if err != nil {
			return 0, 0, err
		}
		mid := time.Now()
		if _, err := translate.Query(ctx, t.env(), q); err != nil {
			return 0, 0, err
		}
		ps = append(ps, mid.Sub(start))
		ts = append(ts, time.Since(mid))
	}
	return median(ps), median(ts), nil
}

// explainAll writes EXPLAIN ANALYZE of Waggle's SQL and of the hand-written SQL for every query.
func explainAll(ctx context.Context, dir string, d *duckSide, t *translator, qs []*query) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, q := range qs {
		for _, side := range []struct {
			suffix, sql string
			conn        *sql.Conn
		}{{"waggle", q.sql, t.conn}, {"duckdb", q.duck, d.conn}} {
			var b strings.Builder
			fmt.Fprintf(&b, "-- %s\n%s\n\n", side.suffix, side.sql)
			rows, err := side.conn.QueryContext(ctx, "EXPLAIN ANALYZE "+side.sql)
			if err != nil {
				return fmt.Errorf("%s %s: %w", q.name, side.suffix, err)
			}
			for rows.Next() {
				var k, v string
				if err := rows.Scan(&k, &v); err != nil {
					rows.Close()
					return err
				}
				b.WriteString(v)
				b.WriteString("\n")
			}
			rows.Close()
			if err := os.WriteFile(filepath.Join(dir, q.name+"-"+side.suffix+".txt"), []byte(b.String()), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
