package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/waggle-dev/waggle/catalog/sqlstore"
	"github.com/waggle-dev/waggle/engine"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/parser"
	"github.com/waggle-dev/waggle/script"
	"github.com/waggle-dev/waggle/storage"
)

// Test is one entry of tests.json.
type Test struct {
	Name             string   `json:"name"`
	Settings         []string `json:"settings"`
	Datasets         []string `json:"datasets"`
	SortQueryResults bool     `json:"sort_query_results"`
	ResultStatements int      `json:"result_statements"`
	Tables           string   `json:"tables"`
}

// datasets returns the standard tables a test needs: its declared datasets plus the standard tables
// named in its "tables" field (some tests declare fewer datasets than they read). Names that are not
// standard tables (a test's own tables, or ones the suite does not ship, like alltypesorc) are skipped.
func (t Test) datasets() []string {
	seen := map[string]bool{}
	var out []string
	words := strings.FieldsFunc(t.Tables, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	for _, d := range append(append([]string(nil), t.Datasets...), words...) {
		d = strings.ToLower(strings.TrimSpace(d))
		if _, ok := standardTables[d]; ok && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// Suite is the conformance directory.
type Suite struct {
	Dir   string // ../shared/conformance/hive-qtests
	Tests []Test
}

// Load reads tests.json.
func Load(dir string) (*Suite, error) {
	data, err := os.ReadFile(filepath.Join(dir, "tests.json"))
	if err != nil {
		return nil, err
	}
	var f struct {
		Tests []Test `json:"tests"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("tests.json: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	return &Suite{Dir: abs, Tests: f.Tests}, nil
}

// Outcome of one statement.
type Outcome string

// The outcomes.
const (
	Pass      Outcome = "PASS"
	Fail      Outcome = "FAIL"
	Skip      Outcome = "SKIP"
	FailFmt   Outcome = "FAIL-FORMAT" // same values, formatted differently (1 vs 1.0, decimal scale)
	FailError Outcome = "FAIL-ERROR"  // the statement failed to run
)

// Result is what happened to one statement.
type Result struct {
	Test     string
	Block    Block
	Outcome  Outcome
	IsResult bool // a result-bearing statement (counted in the totals)
	Got      []string
	Err      string
	Reason   string
}

// ID names the statement in reports and the ratchet file: test#index.
func (r *Result) ID() string { return fmt.Sprintf("%s#%d", r.Test, r.Block.Index) }

// standardTables are the DDL and loads of the README's standard tables; %s is the data directory.
var standardTables = map[string][]string{
	"src": {"CREATE TABLE src (key STRING, value STRING) STORED AS TEXTFILE",
		"LOAD DATA LOCAL INPATH '%s/kv1.txt' INTO TABLE src"},
	"src1": {"CREATE TABLE src1 (key STRING, value STRING) STORED AS TEXTFILE",
		"LOAD DATA LOCAL INPATH '%s/kv3.txt' INTO TABLE src1"},
	"src_cbo": {"CREATE TABLE src_cbo (key STRING, value STRING) STORED AS TEXTFILE",
		"LOAD DATA LOCAL INPATH '%s/kv1.txt' INTO TABLE src_cbo"},
	"srcpart": {"CREATE TABLE srcpart (key STRING, value STRING) PARTITIONED BY (ds STRING, hr STRING) STORED AS TEXTFILE",
		"LOAD DATA LOCAL INPATH '%s/kv1.txt' INTO TABLE srcpart PARTITION (ds='2008-04-08', hr='11')",
		"LOAD DATA LOCAL INPATH '%s/kv1.txt' INTO TABLE srcpart PARTITION (ds='2008-04-08', hr='12')",
		"LOAD DATA LOCAL INPATH '%s/kv1.txt' INTO TABLE srcpart PARTITION (ds='2008-04-09', hr='11')",
		"LOAD DATA LOCAL INPATH '%s/kv1.txt' INTO TABLE srcpart PARTITION (ds='2008-04-09', hr='12')"},
	"cbo_t1": {"CREATE TABLE cbo_t1 (key STRING, value STRING, c_int INT, c_float FLOAT, c_boolean BOOLEAN) PARTITIONED BY (dt STRING) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' STORED AS TEXTFILE",
		"LOAD DATA LOCAL INPATH '%s/cbo_t1.txt' INTO TABLE cbo_t1 PARTITION (dt='2014')"},
	"cbo_t2": {"CREATE TABLE cbo_t2 (key STRING, value STRING, c_int INT, c_float FLOAT, c_boolean BOOLEAN) PARTITIONED BY (dt STRING) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' STORED AS TEXTFILE",
		"LOAD DATA LOCAL INPATH '%s/cbo_t2.txt' INTO TABLE cbo_t2 PARTITION (dt='2014')"},
	"cbo_t3": {"CREATE TABLE cbo_t3 (key STRING, value STRING, c_int INT, c_float FLOAT, c_boolean BOOLEAN) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' STORED AS TEXTFILE",
		"LOAD DATA LOCAL INPATH '%s/cbo_t3.txt' INTO TABLE cbo_t3"},
	"src_json": {"CREATE TABLE src_json (json STRING) STORED AS TEXTFILE",
		"LOAD DATA LOCAL INPATH '%s/json.txt' INTO TABLE src_json"},
}

// skipData lists statements that need data files the suite does not ship (README caveat): any
// statement mentioning one of these is skipped.
var skipData = []string{"primitive_type_arrays.txt", "dest1_n130"}

// RunTest runs one test in a fresh catalog under workDir and returns a result per statement.
func (s *Suite) RunTest(ctx context.Context, t Test, workDir string) ([]Result, error) {
	data, err := os.ReadFile(filepath.Join(s.Dir, "results", t.Name+".q.out"))
	if err != nil {
		return nil, err
	}
	blocks := ParseQOut(string(data))
	home := filepath.Join(workDir, t.Name)
	if err := os.MkdirAll(home, 0o755); err != nil {
		return nil, err
	}
	wh := "file://" + filepath.Join(home, "warehouse")
	cat, err := sqlstore.Open(ctx, sqlstore.Options{Driver: "sqlite", DSN: filepath.Join(home, "metastore.db"), Warehouse: wh})
	if err != nil {
		return nil, err
	}
	defer cat.Close()
	conf := map[string]string{
		"hive.metastore.warehouse.dir": wh,
		"fs.defaultFS":                 "file:///",
		// The expected outputs are Hive 4's (README): NULLs last, TRUE for cast(true as string).
		"hive.default.nulls.last": "true",
		"waggle.hive.compat":      "4",
	}
	for _, kv := range t.Settings {
		k, v, _ := strings.Cut(kv, "=")
		conf[k] = v
	}
	st, err := storage.New(conf)
	if err != nil {
		return nil, err
	}
	var out, errOut bytes.Buffer
	var lastCols []string
	sess, err := engine.NewSession(ctx, engine.Options{Conf: conf, Catalog: cat, Storage: st, Stdout: &out, Stderr: &errOut, Silent: true,
		TempDir: filepath.Join(home, "tmp"), OnRecord: func(r engine.Record) { lastCols = r.Columns }})
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	dataDir := filepath.Join(s.Dir, "data")
	for _, ds := range t.datasets() {
		stmts := standardTables[ds]
		for _, q := range stmts {
			if strings.Contains(q, "%s") {
				q = fmt.Sprintf(q, dataDir)
			}
			if err := sess.RunScript(ctx, "setup:"+ds, q); err != nil {
				return nil, fmt.Errorf("dataset %s: %v: %s", ds, err, errOut.String())
			}
		}
	}
	var results []Result
	for _, b := range blocks {
		r := Result{Test: t.Name, Block: b, IsResult: b.IsResult()}
		if skip := skipReason(b); skip != "" {
			r.Outcome, r.Reason = Skip, skip
			results = append(results, r)
			continue
		}
		text := strings.ReplaceAll(b.Query, "../../data/files", dataDir)
		out.Reset()
		errOut.Reset()
		stmts, _ := script.Split(fmt.Sprintf("%s.q.out:%d", t.Name, b.Line), text)
		var runErr error
		for _, stmt := range stmts {
			rec := sess.Execute(ctx, stmt)
			if rec.Err != nil {
				runErr = rec.Err
				break
			}
		}
		r.Got = splitLines(out.String())
		switch {
		case runErr != nil:
			r.Outcome, r.Err = FailError, runErr.Error()
		case !r.IsResult && b.Type != "DESCTABLE" && b.Type != "SHOWPARTITIONS":
			r.Outcome = Pass // DDL/DML: ran without error; their effect is checked by later queries
		default:
			r.Outcome, r.Reason = compare(b, r.Got, t.SortQueryResults, lastCols)
		}
		results = append(results, r)
	}
	return results, nil
}

func skipReason(b Block) string {
	q := strings.ToLower(strings.TrimSpace(b.Query))
	switch {
	case b.Type == "EXPLAIN" || strings.HasPrefix(q, "explain"):
		return "EXPLAIN plans are Tez/LLAP specific"
	case b.Type == "DESCFUNCTION":
		return "DESCRIBE FUNCTION text is Hive-specific"
	}
	for _, s := range skipData {
		if strings.Contains(q, s) {
			return "needs a data file the suite does not ship"
		}
	}
	return ""
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// compare applies the README's rules: in order when the outermost query has ORDER BY (and the test
// does not sort results), otherwise as multisets; DESCRIBE output ignores the masked detail line.
func compare(b Block, got []string, sortResults bool, cols []string) (Outcome, string) {
	want := b.Expected
	if b.Type == "DESCTABLE" {
		want = trimDetail(want)
		got = trimDetail(got)
	}
	keys, ordered := orderKeys(b.Query, cols)
	ordered = ordered && !sortResults
	if ordered {
		if equalLines(want, got) || (keys != nil && equalUpToTies(want, got, keys)) {
			return Pass, ""
		}
	} else if equalLines(sorted(want), sorted(got)) {
		return Pass, ""
	}
	if equalLines(sorted(want), sorted(got)) {
		return Fail, "same rows in a different order"
	}
	if numericallyEqual(sorted(want), sorted(got)) {
		return FailFmt, "same values, formatted differently"
	}
	return Fail, fmt.Sprintf("expected %d row(s), got %d", len(want), len(got))
}

// trimDetail drops DESCRIBE EXTENDED's detail line (masked in .q.out files) and what follows.
func trimDetail(lines []string) []string {
	for i, l := range lines {
		if strings.HasPrefix(l, "Detailed Table Information") || strings.HasPrefix(l, "#### A masked") {
			lines = lines[:i]
			break
		}
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// orderKeys reports whether the outermost query has ORDER BY and, when every ORDER BY item is a column
// of the result (by name), the indexes of those columns — rows with equal keys may come in any order.
func orderKeys(q string, cols []string) ([]int, bool) {
	stmt, err := parser.ParseStatement(q)
	if err != nil {
		return nil, false
	}
	qs, ok := stmt.(*ast.QueryStmt)
	if !ok {
		return nil, false
	}
	var items []*ast.OrderItem
	switch v := qs.Query.(type) {
	case *ast.Select:
		items = v.OrderBy
	case *ast.SetOp:
		items = v.OrderBy
	case *ast.ParenQuery:
		items = v.OrderBy
	}
	if len(items) == 0 {
		return nil, false
	}
	var keys []int
	for _, it := range items {
		ref, ok := it.Expr.(*ast.ColumnRef)
		if !ok {
			return nil, true
		}
		name := strings.ToLower(ref.Parts[len(ref.Parts)-1].Name)
		idx := -1
		for i, c := range cols {
			if strings.ToLower(c) == name {
				if idx >= 0 {
					return nil, true // ambiguous
				}
				idx = i
			}
		}
		if idx < 0 {
			return nil, true
		}
		keys = append(keys, idx)
	}
	return keys, true
}

// equalUpToTies compares ordered results allowing any order among rows whose key columns are equal.
func equalUpToTies(want, got []string, keys []int) bool {
	if len(want) != len(got) {
		return false
	}
	key := func(line string) string {
		cells := strings.Split(line, "\t")
		var b strings.Builder
		for _, k := range keys {
			if k < len(cells) {
				b.WriteString(cells[k])
			}
			b.WriteByte(0)
		}
		return b.String()
	}
	for i := 0; i < len(want); {
		j := i
		for j < len(want) && key(want[j]) == key(want[i]) {
			j++
		}
		if !equalLines(sorted(want[i:j]), sorted(got[i:j])) {
			return false
		}
		i = j
	}
	return true
}

func sorted(l []string) []string {
	c := append([]string(nil), l...)
	sort.Strings(c)
	return c
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// numericallyEqual reports whether two row sets differ only in number formatting.
func numericallyEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		ca, cb := strings.Split(a[i], "\t"), strings.Split(b[i], "\t")
		if len(ca) != len(cb) {
			return false
		}
		for j := range ca {
			if ca[j] == cb[j] {
				continue
			}
			var fa, fb float64
			if _, err := fmt.Sscan(ca[j], &fa); err != nil {
				return false
			}
			if _, err := fmt.Sscan(cb[j], &fb); err != nil || fa != fb {
				return false
			}
		}
	}
	return true
}

// Report writes per-statement lines and the totals line `N passed, M failed` (result statements only;
// skipped ones are counted separately).
func Report(w io.Writer, results []Result, verbose bool) (passed, failed, skipped int) {
	for _, r := range results {
		if !r.IsResult {
			if r.Outcome == FailError && verbose {
				fmt.Fprintf(w, "  setup-error %s: %s\n", r.ID(), firstLine(r.Err))
			}
			continue
		}
		switch r.Outcome {
		case Pass:
			passed++
		case Skip:
			skipped++
		default:
			failed++
		}
		if verbose || r.Outcome != Pass {
			fmt.Fprintf(w, "%-11s %s  %s\n", r.Outcome, r.ID(), firstLine(r.Block.Query))
			if r.Outcome != Pass && r.Outcome != Skip {
				if r.Err != "" {
					fmt.Fprintf(w, "    error: %s\n", firstLine(r.Err))
				} else {
					fmt.Fprintf(w, "    %s\n", r.Reason)
					diffLines(w, r.Block.Expected, r.Got)
				}
			}
		}
	}
	fmt.Fprintf(w, "conformance: %d passed, %d failed, %d skipped\n", passed, failed, skipped)
	return
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	if len(s) > 160 {
		return s[:160] + "..."
	}
	return s
}

// diffLines prints up to 5 expected/got line pairs that differ.
func diffLines(w io.Writer, want, got []string) {
	n := 0
	for i := 0; i < len(want) || i < len(got); i++ {
		var a, b string
		if i < len(want) {
			a = want[i]
		}
		if i < len(got) {
			b = got[i]
		}
		if a != b {
			fmt.Fprintf(w, "      want %q\n      got  %q\n", a, b)
			n++
			if n == 5 {
				return
			}
		}
	}
}
