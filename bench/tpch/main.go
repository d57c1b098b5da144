// Command tpch benchmarks Waggle against raw DuckDB on TPC-H: the 22 queries in HiveQL (queries/) run
// through Waggle's full path — engine.Session executing the script text: substitution, parsing,
// translation, DuckDB, Hive CLI formatting — and the equivalent hand-written DuckDB SQL (duckdb/) on the
// same files, in the same process, with the same thread count, alternating, several repetitions.
//
//	go run ./bench/tpch -sf 1 [-format parquet|text] [-reps 5] [-data DIR]
//
// The data is generated on demand (tools/tpchgen) into -data. The Waggle side reads external TEXTFILE
// tables over the .tbl files (database tpch_text) or Parquet tables made from them with CTAS STORED AS
// PARQUET (tpch_parquet); the DuckDB side reads the same .tbl files with read_csv, or the Parquet files
// Waggle wrote with read_parquet. The last line printed is `TOTAL waggle/duckdb ratio: <x.xx>` (sum of
// medians); the report is also written to bench/results/tpch-sf<N>-<format>.txt.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/catalog/sqlstore"
	"github.com/waggle-dev/waggle/config"
	"github.com/waggle-dev/waggle/engine"
	"github.com/waggle-dev/waggle/hiveql/types"
	"github.com/waggle-dev/waggle/output"
)

//go:embed queries/*.sql duckdb/*.sql
var queryFS embed.FS

type query struct {
	name        string // q01 ...
	hive, duck  string
	waggle      []time.Duration
	duckdb      []time.Duration
	waggleSQL   []time.Duration // Waggle's generated SQL run directly (diagnostic)
	parse, tran time.Duration   // medians
	sql         string          // Waggle's generated DuckDB SQL
	answer      string          // "ok" or the difference
}

type options struct {
	sf       int
	format   string
	reps     int
	data     string
	threads  int
	only     string
	out      string
	explain  string
	noFixed  bool
	memLimit string
	// loadStart is the 1-minute load average when the run started.
	loadStart string
}

func main() {
	var o options
	flag.IntVar(&o.sf, "sf", 1, "TPC-H scale factor (whole number)")
	flag.StringVar(&o.format, "format", "parquet", "table format: parquet or text")
	flag.IntVar(&o.reps, "reps", 5, "timed repetitions per query (after one warm-up run that checks the answers)")
	flag.StringVar(&o.data, "data", "", "data cache directory (default /tmp/waggle-tpch/sf<N>)")
	flag.IntVar(&o.threads, "threads", runtime.NumCPU(), "DuckDB threads, both sides")
	flag.StringVar(&o.only, "q", "", "comma-separated query numbers to run (default all 22)")
	flag.StringVar(&o.out, "o", "", "results file (default bench/results/tpch-sf<N>-<format>.txt; - for none)")
	flag.StringVar(&o.explain, "explain", "", "write EXPLAIN ANALYZE of Waggle's SQL and the hand-written SQL per query into this directory")
	flag.BoolVar(&o.noFixed, "no-fixed", false, "skip the `waggle run` fixed-cost measurement")
	flag.StringVar(&o.memLimit, "memory-limit", "", "DuckDB memory_limit for both sides (waggle.memory.limit), e.g. 256MB")
	flag.Parse()
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "tpch:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	o.loadStart = loadAvg()
	if o.format != "parquet" && o.format != "text" {
		return fmt.Errorf("-format must be parquet or text")
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	if o.data == "" {
		o.data = fmt.Sprintf("/tmp/waggle-tpch/sf%d", o.sf)
	}
	if o.data, err = filepath.Abs(o.data); err != nil {
		return err
	}
	if o.out == "" {
		o.out = filepath.Join(root, "bench", "results", fmt.Sprintf("tpch-sf%d-%s.txt", o.sf, o.format))
	}
	queries, err := loadQueries(o.only)
	if err != nil {
		return err
	}
	if err := ensureData(ctx, root, o.data, o.sf); err != nil {
		return err
	}

	// Waggle: a session like `waggle run`'s, on a metastore and warehouse kept in the cache directory.
	home := filepath.Join(o.data, "waggle-home")
	os.Setenv("WAGGLE_HOME", home)
	cli := [][2]string{{config.Threads, fmt.Sprint(o.threads)}}
	if o.memLimit != "" {
		cli = append(cli, [2]string{config.MemoryLimit, o.memLimit})
	}
	conf, err := config.Load(nil, cli)
	if err != nil {
		return err
	}
	uo, err := sqlstore.URLOptionsFromConf(conf, nil)
	if err != nil {
		return err
	}
	uo.Warehouse = conf[config.Warehouse]
	cat, err := sqlstore.OpenURL(ctx, uo)
	if err != nil {
		return err
	}
	defer cat.Close()
	out := &switchWriter{w: io.Discard}
	var errBuf bytes.Buffer
	sess, err := engine.NewSession(ctx, engine.Options{Conf: conf, Catalog: cat, Stdout: out, Stderr: &errBuf, Silent: true})
	if err != nil {
		return err
	}
	defer sess.Close()
	if err := ensureTables(ctx, sess, cat, &errBuf, o.data, o.format == "parquet"); err != nil {
		return err
	}
	db := "tpch_" + o.format
	if err := sess.RunScript(ctx, "use", "USE "+db); err != nil {
		return fmt.Errorf("%v: %s", err, errBuf.String())
	}

	// Raw DuckDB: a separate database with the same thread count; views over the same files.
	duck, err := openDuck(ctx, o, cat, db)
	if err != nil {
		return err
	}
	defer duck.close()
	tr, err := newTranslator(ctx, cat, conf, db, o.threads, o.memLimit)
	if err != nil {
		return err
	}
	defer tr.close()

	// Warm-up run: check answers, capture Waggle's SQL.
	fmt.Fprintf(os.Stderr, "warm-up and answer check (%s, %d threads)\n", db, o.threads)
	for _, q := range queries {
		var wb bytes.Buffer
		out.w = &wb
		errBuf.Reset()
		if err := sess.RunScript(ctx, q.name+".sql", q.hive); err != nil {
			return fmt.Errorf("%s on Waggle: %v\n%s", q.name, err, errBuf.String())
		}
		out.w = io.Discard
		var db bytes.Buffer
		if err := duck.query(ctx, duck.conn, q.duck, &db); err != nil {
			return fmt.Errorf("%s on DuckDB: %v", q.name, err)
		}
		q.answer = compareAnswers(wb.String(), db.String())
		if q.name == "q01" {
			if msg := checkQ1(wb.String(), o.sf); msg != "" {
				q.answer = msg
			}
		}
		if q.sql, err = tr.sql(ctx, q.hive); err != nil {
			return fmt.Errorf("%s: translating: %v", q.name, err)
		}
		if err := duck.query(ctx, tr.conn, q.sql, io.Discard); err != nil {
			return fmt.Errorf("%s: Waggle's SQL on DuckDB: %v", q.name, err)
		}
		fmt.Fprintf(os.Stderr, "  %s answer %s\n", q.name, q.answer)
	}

	for r := 0; r < o.reps; r++ {
		fmt.Fprintf(os.Stderr, "repetition %d/%d\n", r+1, o.reps)
		for _, q := range queries {
			timeWaggle := func() error {
				start := time.Now()
				if err := sess.RunScript(ctx, q.name+".sql", q.hive); err != nil {
					return fmt.Errorf("%s on Waggle: %v\n%s", q.name, err, errBuf.String())
				}
				q.waggle = append(q.waggle, time.Since(start))
				return nil
			}
			timeDuck := func() error {
				start := time.Now()
				if err := duck.query(ctx, duck.conn, q.duck, io.Discard); err != nil {
					return err
				}
				q.duckdb = append(q.duckdb, time.Since(start))
				return nil
			}
			timeWSQL := func() error {
				start := time.Now()
				if err := duck.query(ctx, tr.conn, q.sql, io.Discard); err != nil {
					return err
				}
				q.waggleSQL = append(q.waggleSQL, time.Since(start))
				return nil
			}
			order := []func() error{timeWaggle, timeDuck, timeWSQL}
			if r%2 == 1 {
				order = []func() error{timeDuck, timeWSQL, timeWaggle}
			}
			for _, f := range order {
				if err := f(); err != nil {
					return err
				}
			}
		}
	}
	for _, q := range queries {
		if q.parse, q.tran, err = tr.timeParseTranslate(ctx, q.hive, o.reps); err != nil {
			return err
		}
	}
	if o.explain != "" {
		if err := explainAll(ctx, o.explain, duck, tr, queries); err != nil {
			return err
		}
	}
	var fixed []time.Duration
	if !o.noFixed {
		if fixed, err = fixedCost(ctx, root, 10); err != nil {
			return err
		}
	}
	duckVersion := duck.version(ctx)
	report := formatReport(o, queries, fixed, machine(duckVersion))
	fmt.Print(report)
	if o.out != "-" {
		if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(o.out, []byte(report), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "wrote %s\n", o.out)
	}
	return nil
}

// switchWriter lets the harness capture the session's rows during the answer check and discard them
// while timing.
type switchWriter struct{ w io.Writer }

func (s *switchWriter) Write(p []byte) (int, error) { return s.w.Write(p) }

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(data, []byte("module github.com/waggle-dev/waggle\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("run from inside the Waggle repository (no go.mod of github.com/waggle-dev/waggle above the current directory)")
		}
		dir = parent
	}
}

func loadQueries(only string) ([]*query, error) {
	var want map[string]bool
	if only != "" {
		want = map[string]bool{}
		for _, n := range strings.Split(only, ",") {
			var i int
			if _, err := fmt.Sscan(strings.TrimPrefix(strings.TrimSpace(n), "q"), &i); err != nil {
				return nil, fmt.Errorf("-q: bad query number %q", n)
			}
			want[fmt.Sprintf("q%02d", i)] = true
		}
	}
	var qs []*query
	for i := 1; i <= 22; i++ {
		name := fmt.Sprintf("q%02d", i)
		if want != nil && !want[name] {
			continue
		}
		h, err := queryFS.ReadFile("queries/" + name + ".sql")
		if err != nil {
			return nil, err
		}
		d, err := queryFS.ReadFile("duckdb/" + name + ".sql")
		if err != nil {
			return nil, err
		}
		qs = append(qs, &query{name: name, hive: string(h), duck: strings.TrimSuffix(strings.TrimSpace(string(d)), ";")})
	}
	return qs, nil
}

// ensureData generates the .tbl files with tools/tpchgen unless dir already holds a complete set.
func ensureData(ctx context.Context, root, dir string, sf int) error {
	marker := filepath.Join(dir, ".tpchgen-complete")
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	fmt.Fprintf(os.Stderr, "generating TPC-H SF%d into %s (tools/tpchgen)\n", sf, dir)
	for _, t := range tables {
		os.RemoveAll(filepath.Join(dir, t.name))
	}
	cmd := exec.CommandContext(ctx, "go", "run", ".", "-sf", fmt.Sprint(sf), "-o", dir)
	cmd.Dir = filepath.Join(root, "tools", "tpchgen")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("tools/tpchgen: %w", err)
	}
	return os.WriteFile(marker, nil, 0o644)
}

// ensureTables creates the Waggle tables unless the metastore in the cache already has them.
func ensureTables(ctx context.Context, sess *engine.Session, cat catalog.Catalog, errBuf *bytes.Buffer, dataDir string, parquet bool) error {
	have := func(db string) bool {
		for _, t := range tables {
			if _, err := cat.GetTable(ctx, db, t.name); err != nil {
				return false
			}
		}
		return true
	}
	if have("tpch_text") && (!parquet || have("tpch_parquet")) {
		return nil
	}
	fmt.Fprintf(os.Stderr, "creating Waggle tables (parquet: %v)\n", parquet)
	start := time.Now()
	if err := sess.RunScript(ctx, "setup.sql", hiveSetup(dataDir, parquet)); err != nil {
		return fmt.Errorf("creating tables: %v\n%s", err, errBuf.String())
	}
	fmt.Fprintf(os.Stderr, "tables ready in %.1fs\n", time.Since(start).Seconds())
	return nil
}

// duckSide is the raw DuckDB connection with views over the same files.
type duckSide struct {
	db   *sql.DB
	conn *sql.Conn
}

func openDuck(ctx context.Context, o options, cat catalog.Catalog, db string) (*duckSide, error) {
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, err
	}
	d := &duckSide{db: sql.OpenDB(connector)}
	if d.conn, err = d.db.Conn(ctx); err != nil {
		d.db.Close()
		return nil, err
	}
	stmts := []string{fmt.Sprintf("SET threads = %d", o.threads)}
	if o.memLimit != "" {
		stmts = append(stmts, fmt.Sprintf("SET memory_limit = '%s'", o.memLimit))
	}
	for _, t := range tables {
		var src string
		if o.format == "text" {
			src = duckCSV(t, filepath.Join(o.data, t.name, t.name+".tbl"))
		} else {
			tbl, err := cat.GetTable(ctx, db, t.name)
			if err != nil {
				d.close()
				return nil, err
			}
			files, err := dataFiles(strings.TrimPrefix(tbl.SD.Location, "file://"))
			if err != nil {
				d.close()
				return nil, err
			}
			src = fmt.Sprintf("SELECT * FROM read_parquet(['%s'])", strings.Join(files, "', '"))
		}
		stmts = append(stmts, fmt.Sprintf("CREATE VIEW %s AS %s", t.name, src))
	}
	for _, s := range stmts {
		if _, err := d.conn.ExecContext(ctx, s); err != nil {
			d.close()
			return nil, fmt.Errorf("%s: %w", s, err)
		}
	}
	return d, nil
}

// dataFiles lists the files of a table directory as Hive does (names starting with _ or . are hidden).
func dataFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range ents {
		if e.IsDir() || strings.HasPrefix(e.Name(), "_") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		files = append(files, filepath.Join(dir, e.Name()))
	}
	return files, nil
}

func (d *duckSide) close() {
	if d.conn != nil {
		d.conn.Close()
	}
	d.db.Close()
}

// query runs q on conn and formats every row the way Waggle prints them (output.AppendRow by the
// values' Go types, TAB-separated lines) into w.
func (d *duckSide) query(ctx context.Context, conn *sql.Conn, q string, w io.Writer) error {
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	cts, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	// Values print by their Go type, except DATE columns (a time.Time would print as a timestamp).
	ts := make([]*types.Type, len(cols))
	for i, ct := range cts {
		if ct.DatabaseTypeName() == "DATE" {
			ts[i] = dateType
		}
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	ow := output.NewWriter(w, output.Options{Types: ts})
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := ow.WriteRow(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return ow.Flush()
}

var dateType, _ = types.Parse("date")

func (d *duckSide) version(ctx context.Context) string {
	var v string
	if err := d.conn.QueryRowContext(ctx, "SELECT version()").Scan(&v); err != nil {
		return "unknown"
	}
	return v
}

// fixedCost builds cmd/waggle and measures the wall time of `waggle run` on a one-statement script.
func fixedCost(ctx context.Context, root string, n int) ([]time.Duration, error) {
	tmp, err := os.MkdirTemp("", "waggle-fixed-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "waggle")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/waggle")
	build.Dir = root
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("building cmd/waggle: %w", err)
	}
	scriptFile := filepath.Join(tmp, "one.sql")
	if err := os.WriteFile(scriptFile, []byte("SELECT 1;\n"), 0o644); err != nil {
		return nil, err
	}
	var ds []time.Duration
	for i := 0; i < n+1; i++ { // the first run creates the metastore and is not counted
		cmd := exec.CommandContext(ctx, bin, "run", scriptFile)
		cmd.Env = append(os.Environ(), "WAGGLE_HOME="+filepath.Join(tmp, "home"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		outb, err := cmd.Output()
		el := time.Since(start)
		if err != nil || strings.TrimSpace(string(outb)) != "1" {
			return nil, fmt.Errorf("waggle run one.sql: %v: %s%s", err, outb, stderr.String())
		}
		if i > 0 {
			ds = append(ds, el)
		}
	}
	return ds, nil
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
