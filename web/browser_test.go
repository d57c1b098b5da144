package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/waggle-dev/waggle/jobs"
)

// browser starts headless Chromium (Debian's) for one test, or skips when it is not installed.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("chromium is not installed (apt-get install -y chromium): skipping the browser tests")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// do runs browser steps with a deadline.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// get runs one browser action with a deadline and returns its value.
func get[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// screenshot saves a full-page PNG at the given viewport size as a test artifact (and under
// $WAGGLE_UI_SCREENSHOTS when set).
// With scrollTo, it is the viewport after scrolling that element into view; else the full page.
func screenshot(t *testing.T, ctx context.Context, name string, width, height int64, scrollTo ...string) {
	t.Helper()
	do(t, ctx, "viewport for "+name, chromedp.EmulateViewport(width, height), chromedp.Sleep(300*time.Millisecond))
	var png []byte
	if len(scrollTo) > 0 {
		get(t, ctx, "scroll", chromedp.Evaluate[bool](`(e => (e.scrollIntoView(), true))(document.querySelector('`+scrollTo[0]+`'))`))
		png = get(t, ctx, "screenshot "+name, chromedp.CaptureScreenshot())
	} else {
		png = get(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100)) // quality 100: PNG
	}
	dirs := []string{t.ArtifactDir()}
	if d := os.Getenv("WAGGLE_UI_SCREENSHOTS"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshot %s (%dx%d): %s", name, width, height, filepath.Join(dirs[len(dirs)-1], name+".png"))
}

type stmtCells struct {
	N        string `json:"n"`
	Line     string `json:"line"`
	Text     string `json:"text"`
	Status   string `json:"status"`
	Duration string `json:"duration"`
	Rows     string `json:"rows"`
	S3       string `json:"s3"`
	Error    string `json:"error"`
	Pos      string `json:"pos"`
}

const readStatements = `Array.from(document.querySelectorAll('#statements tbody tr[id^="stmt-"]')).map(tr => ({
  n: tr.cells[0].textContent.trim(), line: tr.cells[1].textContent.trim(),
  text: tr.querySelector('td.text code').textContent.trim(), status: tr.querySelector('td.status').textContent.trim(),
  duration: tr.querySelector('td.duration').textContent.trim(), rows: tr.querySelector('td.rows').textContent.trim(), s3: tr.querySelector('td.s3').textContent.trim(),
  error: tr.querySelector('td.error').textContent.trim(), pos: (tr.querySelector('td.error code.pos') || {textContent: ''}).textContent.trim()}))`

type barGeom struct {
	Index string  `json:"index"`
	Width float64 `json:"width"`
}

const readBars = `Array.from(document.querySelectorAll('svg.timeline rect.bar[data-index]')).map(r => ({index: r.dataset.index, width: parseFloat(r.getAttribute('width'))}))`

var durationRE = regexp.MustCompile(`^\d+(\.\d+)? (ms|s)$|^\d+ m \d+ s$`)

// TestBrowserSeedJob submits the seed job through the API and checks its page in Chromium: every statement
// COMPLETED with a duration, the SELECTs' row counts, one timeline bar per statement with widths in the
// order of the durations, local times, the catalog it created; screenshots at 1280×800 and 390 wide.
func TestBrowserSeedJob(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	script, params := e.seedScript(t)
	id := e.startJob(t, "seed-hive-queries", script, params, seedConf(e.home))
	j := e.wait(t, id, 3*time.Minute, jobs.StateCompleted, jobs.StateFailed)
	if j.State != jobs.StateCompleted {
		t.Fatalf("seed job %s: %s", j.State, j.StateDetails)
	}

	do(t, ctx, "open the job page", chromedp.Navigate(e.url+"/jobs/"+e.vc+"/"+id), chromedp.WaitVisible(chromedp.CSS("#statements")))
	rows := get(t, ctx, "statements", chromedp.Evaluate[[]stmtCells](readStatements))
	bars := get(t, ctx, "bars", chromedp.Evaluate[[]barGeom](readBars))
	title := get(t, ctx, "title", chromedp.Text(chromedp.CSS("#h-job")))
	state := get(t, ctx, "state", chromedp.Text(chromedp.CSS("#job-state")))
	created := get(t, ctx, "created", chromedp.Evaluate[[]string](`(t => [t.textContent, t.title, t.dataset.local || ''])(document.querySelector('.summary time'))`))
	if title != "seed-hive-queries" || state != "COMPLETED" {
		t.Errorf("header %q %q", title, state)
	}
	// The script shows times in the viewer's zone and keeps UTC on hover.
	if created[2] != "1" || created[0] == "" || !strings.HasSuffix(created[1], " UTC") {
		t.Errorf("created time %q (title %q): not localized by the script", created[0], created[1])
	}
	const statements = 16
	if len(rows) != statements {
		t.Fatalf("%d statement rows, want %d: %+v", len(rows), statements, rows)
	}
	var selectRows []string
	for _, r := range rows {
		if r.Status != "COMPLETED" {
			t.Errorf("statement %s (line %s) is %s: %s", r.N, r.Line, r.Status, r.Error)
		}
		if !durationRE.MatchString(r.Duration) {
			t.Errorf("statement %s duration %q", r.N, r.Duration)
		}
		if r.S3 != "—" { // the seed job's data is local here
			t.Errorf("statement %s S3 traffic %q, want —", r.N, r.S3)
		}
		if strings.HasPrefix(strings.ToUpper(r.Text), "SELECT") {
			selectRows = append(selectRows, r.Rows)
		}
	}
	// The seed's README: 2 rows, 4 after the INSERT, 4 exploded, 4 from the CTAS copy, and one count row.
	if got := strings.Join(selectRows, ","); got != "2,4,4,4,1" {
		t.Errorf("SELECT row counts %s, want 2,4,4,4,1", got)
	}
	if rows[0].Line != "14" || !strings.HasPrefix(rows[0].Text, "CREATE DATABASE hiveonspark") {
		t.Errorf("first statement: line %s %q", rows[0].Line, rows[0].Text)
	}
	if len(bars) != statements {
		t.Fatalf("%d timeline bars, want %d", len(bars), statements)
	}
	stmts, err := e.svc.JobStatements(context.Background(), e.vc, id)
	if err != nil {
		t.Fatal(err)
	}
	for a := range stmts {
		for b := range stmts {
			da, db := stmts[a].DurationMs, stmts[b].DurationMs
			wa, wb := bars[stmts[a].Index].Width, bars[stmts[b].Index].Width
			if da > db && wa < wb {
				t.Errorf("bar %d (%d ms) narrower than bar %d (%d ms): %.2f < %.2f", a+1, da, b+1, db, wa, wb)
			}
		}
	}
	// Keyboard: a timeline bar is a link to its statement's row.
	if href := get(t, ctx, "timeline link", chromedp.Evaluate[string](`document.querySelector('svg.timeline a.bar-link').getAttribute('href')`)); href != "#stmt-1" {
		t.Errorf("first bar links to %q", href)
	}
	secretShown := get(t, ctx, "secrets", chromedp.Evaluate[bool](`document.documentElement.outerHTML.includes('SUPERSECRETVALUE') || document.documentElement.outerHTML.includes('hunter2')`))
	if secretShown {
		t.Error("a secret is shown on the job page")
	}
	screenshot(t, ctx, "job-seed-1280x800", 1280, 800)
	screenshot(t, ctx, "job-seed-390-top", 390, 844, "body")
	screenshot(t, ctx, "job-seed-390-statements", 390, 844, "#h-stmts")

	// Jobs list and catalog.
	do(t, ctx, "jobs list", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(e.url+"/"), chromedp.WaitVisible(chromedp.CSS("table.jobs")))
	listed := get(t, ctx, "jobs rows", chromedp.Evaluate[int](`document.querySelectorAll('table.jobs tbody tr').length`))
	if listed != 1 {
		t.Errorf("jobs list shows %d rows", listed)
	}
	screenshot(t, ctx, "jobs-1280x800", 1280, 800)
	do(t, ctx, "catalog table page", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(e.url+"/catalog/hiveonspark/amazonreview"),
		chromedp.WaitVisible(chromedp.CSS("#columns-table")))
	cols := get(t, ctx, "columns", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#columns-table tbody tr:not(.partkey) td:nth-child(2)')).map(td => td.textContent)`))
	ddl := get(t, ctx, "ddl", chromedp.TextContent(chromedp.CSS("#ddl-text")))
	if len(cols) != 15 || cols[0] != "marketplace" || cols[14] != "year" {
		t.Errorf("amazonreview columns %v", cols)
	}
	if !strings.HasPrefix(ddl, "CREATE EXTERNAL TABLE `hiveonspark.amazonreview`(") || !strings.Contains(ddl, "ParquetHiveSerDe") {
		t.Errorf("DDL:\n%s", ddl)
	}
	screenshot(t, ctx, "table-1280x800", 1280, 800)
}

// TestBrowserFailingJob: the failing statement shows FAILED with its error and position.
func TestBrowserFailingJob(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	script := e.script(t, "broken.sql", "SELECT 1;\n\nSELECT key\nFROM   no_such_table;\nSELECT 2;\n")
	id := e.startJob(t, "broken", script, "", nil)
	j := e.wait(t, id, 2*time.Minute, jobs.StateFailed, jobs.StateCompleted)
	if j.State != jobs.StateFailed {
		t.Fatalf("job %s", j.State)
	}
	do(t, ctx, "open the failed job", chromedp.Navigate(e.url+"/jobs/"+e.vc+"/"+id), chromedp.WaitVisible(chromedp.CSS("#statements")))
	rows := get(t, ctx, "statements", chromedp.Evaluate[[]stmtCells](readStatements))
	failHead := get(t, ctx, "failure heading", chromedp.Text(chromedp.CSS("#h-fail")))
	details := get(t, ctx, "state details", chromedp.Text(chromedp.CSS("#state-details")))
	if len(rows) != 2 || rows[0].Status != "COMPLETED" || rows[1].Status != "FAILED" {
		t.Fatalf("rows %+v", rows)
	}
	f := rows[1]
	if f.Line != "3" || !regexp.MustCompile(`broken\.sql:\d+:\d+$`).MatchString(f.Pos) || !strings.Contains(strings.ToLower(f.Error), "no_such_table") {
		t.Errorf("failed statement: line %s pos %q error %q", f.Line, f.Pos, f.Error)
	}
	if !strings.Contains(failHead, "Statement 2 failed at "+f.Pos) {
		t.Errorf("failure heading %q", failHead)
	}
	if !strings.Contains(details, "Statement 2 failed") {
		t.Errorf("state details %q", details)
	}
	screenshot(t, ctx, "job-failed-1280x800", 1280, 800)
}

// TestBrowserCancelRunningJob: a running job's page updates live (log, statements), and its cancel button,
// after the confirmation dialog, cancels it; the page then shows CANCELLED without a reload.
func TestBrowserCancelRunningJob(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	script := e.script(t, "long.sql", longSQL)
	id := e.startJob(t, "long-job", script, "", nil)
	e.wait(t, id, time.Minute, jobs.StateRunning)

	// Accept the confirm() dialog the cancel button opens.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	confirmed := make(chan string, 1)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
			confirmed <- ev.Message
			return
		}
	}()
	do(t, ctx, "open the running job",
		chromedp.Navigate(e.url+"/jobs/"+e.vc+"/"+id),
		chromedp.WaitVisible(chromedp.CSS("#cancel-job")),
		// The first statement finishes at once; the live view shows it and the running one.
		chromedp.WaitVisible(chromedp.CSS("#stmt-1")),
		chromedp.WaitVisible(chromedp.CSS("tr.running-row")),
	)
	firstStatus := get(t, ctx, "first status", chromedp.Text(chromedp.CSS("#stmt-1 td.status")))
	get(t, ctx, "live log", chromedp.Poll[bool](`document.getElementById('log').textContent.includes('Time taken')`, chromedp.WithPollingTimeout(30*time.Second)))
	if firstStatus != "COMPLETED" {
		t.Errorf("statement 1 is %q", firstStatus)
	}
	screenshot(t, ctx, "job-running-1280x800", 1280, 800)
	do(t, ctx, "cancel", chromedp.EmulateViewport(1280, 800), chromedp.Click(chromedp.CSS("#cancel-job")))
	select {
	case msg := <-confirmed:
		if !strings.Contains(msg, "Cancel job run long-job?") {
			t.Errorf("confirmation %q", msg)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no confirmation dialog")
	}
	do(t, ctx, "cancelled", chromedp.WaitVisible(chromedp.CSS(".flash")))
	get(t, ctx, "state turns CANCELLED live", chromedp.Poll[bool](`document.getElementById('job-state').textContent.trim() === 'CANCELLED'`, chromedp.WithPollingTimeout(45*time.Second)))
	if j := e.wait(t, id, 30*time.Second, jobs.StateCancelled); j.State != jobs.StateCancelled {
		t.Fatalf("job %s", j.State)
	}
	hasButton := get(t, ctx, "no cancel button", chromedp.Evaluate[bool](`!!document.getElementById('cancel-job')`))
	if hasButton {
		t.Error("a cancelled job still offers cancellation")
	}
}

// TestBrowserSignIn: with sign-in required, a browser opening a catalog page lands on the sign-in form,
// is refused with a wrong secret, gets in with the right one (back on the page it asked for) and signs out.
func TestBrowserSignIn(t *testing.T) {
	ctx := browser(t)
	_, base := signInEnv(t, nil)
	do(t, ctx, "open a page anonymously",
		chromedp.Navigate(base+"/catalog"),
		chromedp.WaitVisible(chromedp.CSS("#access_key")),
		chromedp.SendKeys(chromedp.CSS("#access_key"), "AKIDUI"),
		chromedp.SendKeys(chromedp.CSS("#secret_key"), "not-it"),
		chromedp.Click(chromedp.CSS("#signin")),
		chromedp.WaitVisible(chromedp.CSS("#signin-error")),
	)
	screenshot(t, ctx, "signin-refused-1280x800", 1280, 800)
	if v := get(t, ctx, "access key kept", chromedp.Value(chromedp.CSS("#access_key"))); v != "AKIDUI" {
		t.Errorf("access key field %q after a refusal", v)
	}
	do(t, ctx, "sign in",
		chromedp.SendKeys(chromedp.CSS("#secret_key"), "ui-secret"),
		chromedp.Click(chromedp.CSS("#signin")),
		chromedp.WaitVisible(chromedp.CSS(".signout button")),
	)
	if u := get(t, ctx, "location", chromedp.Location()); !strings.HasSuffix(u, "/catalog") {
		t.Errorf("after signing in the browser is at %s, want the catalog page it asked for", u)
	}
	do(t, ctx, "sign out",
		chromedp.Click(chromedp.CSS(".signout button")),
		chromedp.WaitVisible(chromedp.CSS("#access_key")),
		chromedp.Navigate(base+"/jobs"),
		chromedp.WaitVisible(chromedp.CSS("#access_key")),
	)
}
