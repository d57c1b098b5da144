package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/jobs"
)

func TestMasking(t *testing.T) {
	for k, secret := range map[string]bool{
		"fs.s3a.secret.key": true, "fs.s3a.access.key": true, "javax.jdo.option.ConnectionPassword": true,
		"fs.s3a.session.token": true, "spark.hadoop.fs.s3a.aws.credentials.provider": true, "hive.exec.dynamic.partition": false,
		"spark.driver.memory": false,
	} {
		if got := maskValue(k, "v") == masked; got != secret {
			t.Errorf("maskValue(%q) masked=%v, want %v", k, got, secret)
		}
	}
	in := `--hivevar Key_ID=238 --conf spark.hadoop.fs.s3a.secret.key=abc123 --hiveconf db.password='p w' -d token="x y"`
	got := maskParams(in)
	for _, leak := range []string{"abc123", "p w", "x y"} {
		if strings.Contains(got, leak) {
			t.Errorf("maskParams leaks %q: %s", leak, got)
		}
	}
	if !strings.Contains(got, "Key_ID=238") || !strings.Contains(got, "fs.s3a.secret.key=****") {
		t.Errorf("maskParams = %s", got)
	}
}

func TestSplitError(t *testing.T) {
	pos, msg, line, col := splitError("FAILED: SemanticException set-of-hive-queries.sql:9:17: Database hiveonspark already exists")
	if pos != "set-of-hive-queries.sql:9:17" || line != 9 || col != 17 || msg != "FAILED: SemanticException Database hiveonspark already exists" {
		t.Errorf("got %q %q %d %d", pos, msg, line, col)
	}
	if pos, msg, _, _ := splitError("no position here"); pos != "" || msg != "no position here" {
		t.Errorf("got %q %q", pos, msg)
	}
}

func TestFormat(t *testing.T) {
	for d, want := range map[time.Duration]string{
		850 * time.Millisecond: "850 ms", 1500 * time.Millisecond: "1.50 s", 12300 * time.Millisecond: "12.3 s",
		245 * time.Second: "4 m 05 s", 2*time.Hour + 3*time.Minute: "2 h 03 m",
	} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
	if got := formatInt(1234567); got != "1,234,567" {
		t.Errorf("formatInt = %q", got)
	}
	if got := formatInt(-1); got != "—" {
		t.Errorf("formatInt(-1) = %q", got)
	}
	if got := formatBytes(1536); got != "1.5 KiB" {
		t.Errorf("formatBytes = %q", got)
	}
	for _, c := range []struct {
		read, written int64
		want          string
	}{{0, 0, "—"}, {3 << 30, 0, "3.0 GiB read"}, {0, 512, "512 B written"}, {2048, 1 << 20, "2.0 KiB read, 1.0 MiB written"}} {
		if got := formatS3(c.read, c.written); got != c.want {
			t.Errorf("formatS3(%d, %d) = %q, want %q", c.read, c.written, got, c.want)
		}
	}
	if got := firstLine("-- comment\n  SELECT a,\n b FROM t", 100); got != "SELECT a," {
		t.Errorf("firstLine = %q", got)
	}
}

var barRE = regexp.MustCompile(`<rect class="bar (completed|failed|other)" data-index="(\d+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"`)

func TestTimeline(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var st []jobs.Statement
	at := t0
	for i, ms := range []int64{100, 400, 0, 500} {
		d := time.Duration(ms) * time.Millisecond
		st = append(st, jobs.Statement{Index: i, Line: i + 1, Text: "SELECT <b>" + string(rune('a'+i)), Status: "COMPLETED", Start: at, End: at.Add(d), DurationMs: ms})
		at = at.Add(d)
	}
	st[3].Status = "FAILED"
	svg := string(timelineSVG(st, false, at))
	bars := barRE.FindAllStringSubmatch(svg, -1)
	if len(bars) != 4 {
		t.Fatalf("%d bars, want 4:\n%s", len(bars), svg)
	}
	if strings.Contains(svg, "<b>") {
		t.Error("statement text is not escaped")
	}
	w := func(i int) string { return bars[i][4] }
	if w(0) != "100.00" || w(1) != "400.00" || w(3) != "500.00" || w(2) != "1.50" {
		t.Errorf("widths %s %s %s %s, want proportional to 100/400/0/500 ms of 1000", w(0), w(1), w(2), w(3))
	}
	if bars[3][1] != "failed" || bars[1][3] != "100.00" {
		t.Errorf("bar 4 class %s, bar 2 x %s", bars[3][1], bars[1][3])
	}
	if got := timelineSVG(nil, true, at); got != "" {
		t.Errorf("empty timeline = %q", got)
	}
}

func TestTableDDL(t *testing.T) {
	tb := &catalog.Table{DBName: "db", Name: "sales", TableType: catalog.ExternalTable,
		SD: &catalog.StorageDescriptor{Cols: []catalog.FieldSchema{{Name: "id", Type: "int"}, {Name: "note", Type: "string", Comment: "it's"}},
			Location: "s3://b/sales", InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
			OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
			SerDe:        catalog.SerDeInfo{SerializationLib: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"}},
		PartitionKeys: []catalog.FieldSchema{{Name: "dt", Type: "string"}},
		Parameters:    map[string]string{"EXTERNAL": "TRUE", "comment": "daily", "transient_lastDdlTime": "1"}}
	got := tableDDL(tb)
	want := "CREATE EXTERNAL TABLE `db.sales`(\n  `id` int,\n  `note` string COMMENT 'it\\'s')\nCOMMENT 'daily'\nPARTITIONED BY (\n  `dt` string)\n" +
		"ROW FORMAT SERDE\n  'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'\nSTORED AS INPUTFORMAT\n  'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'\n" +
		"OUTPUTFORMAT\n  'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'\nLOCATION\n  's3://b/sales'\nTBLPROPERTIES (\n  'transient_lastDdlTime'='1')"
	if got != want {
		t.Errorf("DDL:\n%s\nwant:\n%s", got, want)
	}
	if f := storageFormat(tb.SD); f != "PARQUET" {
		t.Errorf("format %s", f)
	}
}

// TestPagesHTTP drives the UI without a browser: empty states, health, metrics, a finished job's page,
// the no-JS cancel path, the catalog pages.
func TestPagesHTTP(t *testing.T) {
	e := newEnv(t)

	code, body := e.get(t, "/")
	if code != 200 || !strings.Contains(body, "No jobs yet — submit one with <code>waggle jobs submit FILE</code>") {
		t.Fatalf("empty jobs list: %d\n%s", code, body)
	}
	if code, body := e.get(t, "/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Fatalf("/healthz: %d %q", code, body)
	}
	if code, body := e.get(t, "/readyz"); code != 200 {
		t.Fatalf("/readyz: %d %q", code, body)
	}
	code, body = e.get(t, "/metrics")
	if code != 200 || !strings.Contains(body, `waggle_jobs{state="COMPLETED"} 0`) || !strings.Contains(body, "waggle_jobs_queue_depth 0") {
		t.Fatalf("/metrics before jobs: %d\n%s", code, body)
	}
	// The API still answers next to the UI.
	if code, body := e.get(t, "/virtualclusters/"+e.vc); code != 200 || !strings.Contains(body, `"virtualCluster"`) {
		t.Fatalf("API through the shared mux: %d %s", code, body)
	}
	if code, _ := e.get(t, "/jobs/"+e.vc+"/0000000000000000000"); code != 404 {
		t.Errorf("missing job: %d, want 404", code)
	}

	// A small job that completes, with a secret in its configuration.
	script := e.script(t, "small.sql", "CREATE TABLE t (a INT, b STRING) PARTITIONED BY (dt STRING);\n"+
		"INSERT INTO t PARTITION (dt='2026-01-01') VALUES (1, 'x'), (2, 'y');\n"+
		"SELECT * FROM t;\n")
	id := e.startJob(t, "small", script, "--hiveconf my.db.password=AKIDLEAK --hivevar x=1", seedConf(e.home))
	j := e.wait(t, id, 2*time.Minute, jobs.StateCompleted, jobs.StateFailed)
	if j.State != jobs.StateCompleted {
		t.Fatalf("job %s: %s", j.State, j.StateDetails)
	}
	code, body = e.get(t, "/jobs/"+e.vc+"/"+id)
	if code != 200 {
		t.Fatalf("job page %d", code)
	}
	for _, leak := range []string{"SUPERSECRETVALUE", "hunter2", "AKIDLEAK"} {
		if strings.Contains(body, leak) {
			t.Errorf("job page leaks %q", leak)
		}
	}
	for _, want := range []string{"my.db.password=****", "hive.exec.dynamic.partition", `id="stmt-3"`, "containers/spark-" + id + "-driver/stderr.gz",
		`<time datetime="`} {
		if !strings.Contains(body, want) {
			t.Errorf("job page lacks %q", want)
		}
	}
	if strings.Contains(body, `id="cancel-job"`) {
		t.Error("a finished job offers cancellation")
	}
	if code, body := e.get(t, "/jobs/"+e.vc+"/"+id+"/logs/stdout?attempt=1"); code != 200 || !strings.Contains(body, "2\ty\t2026-01-01") {
		t.Errorf("stdout log: %d %q", code, body)
	}
	code, body = e.get(t, "/?state=COMPLETED&vc="+e.vc)
	if code != 200 || !strings.Contains(body, `href="/jobs/`+e.vc+"/"+id+`"`) {
		t.Errorf("filtered list lacks the job: %d", code)
	}
	if _, body := e.get(t, "/?state=FAILED"); !strings.Contains(body, "No job runs match these filters") {
		t.Error("filtered empty state missing")
	}
	if code, _ := e.get(t, "/?state=BOGUS"); code != 400 {
		t.Errorf("bad state filter: %d, want 400", code)
	}
	code, body = e.get(t, "/metrics")
	if !strings.Contains(body, `waggle_jobs{state="COMPLETED"} 1`) {
		t.Errorf("/metrics after a job: %d\n%s", code, body)
	}

	// Catalog.
	if _, body := e.get(t, "/catalog"); !strings.Contains(body, `href="/catalog/default"`) {
		t.Errorf("catalog home lacks default:\n%s", body)
	}
	code, body = e.get(t, "/catalog/default/t")
	for _, want := range []string{"<code>a</code>", "<code>int</code>", "dt=2026-01-01", "CREATE TABLE `default.t`(", "PARTITIONED BY", "LazySimpleSerDe"} {
		if !strings.Contains(body, want) {
			t.Errorf("table page (%d) lacks %q", code, want)
		}
	}
	if code, _ := e.get(t, "/catalog/default/nope"); code != 404 {
		t.Errorf("missing table: %d", code)
	}

	// Cancel without JS: a confirmation page, then a POST with confirm=yes; a cross-site POST is refused.
	long := e.script(t, "long.sql", longSQL)
	lid := e.startJob(t, "long", long, "", nil)
	e.wait(t, lid, time.Minute, jobs.StateRunning)
	code, body = e.get(t, "/jobs/"+e.vc+"/"+lid+"/cancel")
	if code != 200 || !strings.Contains(body, `name="confirm" value="yes"`) {
		t.Fatalf("cancel confirmation page: %d", code)
	}
	req, _ := http.NewRequest("POST", e.url+"/jobs/"+e.vc+"/"+lid+"/cancel", strings.NewReader("confirm=yes"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site cancel: %d, want 403", resp.StatusCode)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.PostForm(e.url+"/jobs/"+e.vc+"/"+lid+"/cancel", url.Values{"confirm": {"yes"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "?cancelled=1") {
		t.Errorf("cancel POST: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	e.wait(t, lid, time.Minute, jobs.StateCancelled)

	// Pages of the jobs list, one job run per page: newest first.
	paged, err := New(Options{Jobs: e.svc, Logger: quietLog(), PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	h := paged.Handler()
	for n, want := range map[string][]string{
		"/":        {`href="/jobs/` + e.vc + "/" + lid + `"`, `href="/?page=2" rel="next"`},
		"/?page=2": {`href="/jobs/` + e.vc + "/" + id + `"`, `href="/" rel="prev"`},
		"/?page=3": {"No job runs on page 3."},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", n, nil))
		body := rec.Body.String()
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %s", n, w)
			}
		}
		if c := strings.Count(body, `<tr>`) - 1; n != "/?page=3" && c != 1 { // less the header row
			t.Errorf("%s shows %d rows", n, c)
		}
	}
}

// longSQL runs for minutes: a first quick statement, then a big cross join.
const longSQL = "SELECT 1;\n" +
	"SELECT count(*) FROM (SELECT explode(sequence(1, 100000)) AS a) x\n" +
	"CROSS JOIN (SELECT explode(sequence(1, 100000)) AS b) y WHERE (a * b) % 7 = 3;\n"

func TestMetricsMethods(t *testing.T) {
	m := NewMetrics(func(context.Context) (map[string]int, error) {
		return map[string]int{jobs.StateSubmitted: 2, jobs.StatePending: 1, jobs.StateRunning: 4}, nil
	}, quietLog())
	m.ObserveJob("COMPLETED", 3*time.Second)
	m.ObserveStatement("COMPLETED", 20*time.Millisecond)
	m.ObserveStatement("FAILED", time.Second)
	m.ObserveHMSCall("get_table_req", "ok", 2*time.Millisecond)
	m.ObserveS3(1000, 42)
	var nilM *Metrics
	nilM.ObserveJob("COMPLETED", time.Second) // a nil Metrics ignores calls
	rec := newRecorder()
	m.Handler().ServeHTTP(rec, mustRequest(t, "/metrics"))
	body := rec.Body.String()
	for _, want := range []string{
		`waggle_jobs{state="RUNNING"} 4`, `waggle_jobs_queue_depth 3`,
		`waggle_job_duration_seconds_count{state="COMPLETED"} 1`,
		`waggle_statement_duration_seconds_count{status="FAILED"} 1`,
		`waggle_hms_call_duration_seconds_bucket{method="get_table_req",outcome="ok",le="0.005"} 1`,
		`waggle_s3_read_bytes_total 1000`, `waggle_s3_written_bytes_total 42`, "go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func mustRequest(t *testing.T, path string) *http.Request {
	t.Helper()
	return httptest.NewRequest("GET", path, nil)
}
