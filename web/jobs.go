package web

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/waggle-dev/waggle/jobs"
)

// ---- jobs list ----

type jobRow struct {
	Job      jobs.JobRun
	URL      string
	VCName   string
	Duration string
	Running  bool
}

type jobsPage struct {
	Title    string
	Nav      string
	Jobs     []jobRow
	VCs      []jobs.VirtualCluster
	States   []string
	State    string
	Name     string
	VC       string
	Page     int
	PrevURL  string
	NextURL  string
	Filtered bool
	Error    string
	Live     bool // a listed job is not finished: the page refreshes itself
}

// jobsList lists job runs of every virtual cluster (or one), newest first, with filters and pages.
// The job service pages per virtual cluster, so a page of the merged list reads (page+1)·size+1 runs of each.
func (s *Server) jobsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := jobsPage{Title: "Jobs", Nav: "jobs", States: allStates, State: q.Get("state"), Name: strings.TrimSpace(q.Get("name")), VC: q.Get("vc")}
	p.Page, _ = strconv.Atoi(q.Get("page"))
	p.Page = max(p.Page, 1)
	p.Filtered = p.State != "" || p.Name != "" || p.VC != ""
	ctx := r.Context()
	vcs, err := allVirtualClusters(ctx, s.svc)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	p.VCs = vcs
	names := map[string]string{}
	for _, vc := range vcs {
		names[vc.ID] = vc.Name
	}
	size := s.opts.PageSize
	want := p.Page*size + 1
	var all []jobs.JobRun
	status := http.StatusOK
	for _, vc := range vcs {
		if p.VC != "" && vc.ID != p.VC {
			continue
		}
		in := jobs.ListJobRunsInput{VirtualClusterID: vc.ID, Name: p.Name, MaxResults: want}
		if p.State != "" {
			in.States = []string{p.State}
		}
		runs, _, err := s.svc.ListJobRuns(ctx, in)
		var je *jobs.Error
		if errors.As(err, &je) && je.Kind == jobs.KindValidation {
			p.Error, status = je.Message, http.StatusBadRequest
			break
		}
		if err != nil {
			s.fail(w, r, err, "")
			return
		}
		all = append(all, runs...)
	}
	if p.VC != "" && names[p.VC] == "" && p.Error == "" {
		p.Error, status = "There is no virtual cluster "+p.VC+".", http.StatusNotFound
	}
	slices.SortStableFunc(all, func(a, b jobs.JobRun) int { return b.CreatedAt.Compare(a.CreatedAt) })
	from := (p.Page - 1) * size
	if from < len(all) {
		for _, j := range all[from:min(from+size, len(all))] {
			row := jobRow{Job: j, URL: jobURL(j.VirtualClusterID, j.ID), VCName: names[j.VirtualClusterID], Running: !isTerminal(j.State)}
			end := j.FinishedAt
			if end.IsZero() {
				end = s.opts.Now()
			}
			row.Duration = formatDuration(end.Sub(j.CreatedAt))
			p.Live = p.Live || row.Running
			p.Jobs = append(p.Jobs, row)
		}
	}
	pageURL := func(n int) string {
		v := url.Values{}
		for k, val := range map[string]string{"state": p.State, "name": p.Name, "vc": p.VC} {
			if val != "" {
				v.Set(k, val)
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return "/"
		}
		return "/?" + v.Encode()
	}
	if p.Page > 1 {
		p.PrevURL = pageURL(p.Page - 1)
	}
	if len(all) > p.Page*size {
		p.NextURL = pageURL(p.Page + 1)
	}
	s.render(w, r, status, "jobs", p)
}

func jobURL(vc, id string) string { return "/jobs/" + url.PathEscape(vc) + "/" + url.PathEscape(id) }

// ---- job page ----

type kv struct{ Key, Value string }

type confSection struct {
	Classification string
	Props          []kv
}

type logLink struct {
	Attempt int
	Stream  string
	URL     string // served by this UI (the attempt's local log)
	Object  string // the object under the job's logUri, when it has one
}

type stmtRow struct {
	N         int // 1-based
	Line      int
	File      string
	Kind      string
	FirstLine string
	Text      string
	Multi     bool
	Status    string
	Duration  string
	Rows      string
	Bytes     string
	S3        string // object-store bytes read and written, "—" for none
	Error     string
	ErrPos    string
	ErrMsg    string
	ErrLine   int
	ErrCol    int
}

type attemptRow struct {
	jobs.Attempt
	Duration string
}

// liveView is the part of the job page that changes while the job runs.
type liveView struct {
	Job        *jobs.JobRun
	URL        string
	Terminal   bool
	CanCancel  bool
	Duration   string
	Attempts   []attemptRow
	Attempt    int   // the attempt whose statements are shown
	AttemptNos []int // attempts that have statements
	Statements []stmtRow
	Timeline   template.HTML
	Completed  int
	Failed     int
	Failure    *stmtRow
	Running    bool // a statement is under way now
}

type jobPage struct {
	Title      string
	Nav        string
	Live       liveView
	EventsURL  string
	LiveURL    string
	Driver     string
	EntryPoint string
	Params     string
	Args       []string
	Config     []confSection
	LogURI     string
	Logs       []logLink
	Tags       []kv
	LogTail    string
	LogOffset  int64
	LogCut     bool
	LogAttempt int
	Flash      string
}

// tailBytes is how much of the log the job page shows at first.
const tailBytes = 64 << 10

func (s *Server) jobPage(w http.ResponseWriter, r *http.Request) {
	vc, id := r.PathValue("vc"), r.PathValue("id")
	live, err := s.loadLive(r.Context(), vc, id, r.URL.Query().Get("attempt"))
	if err != nil {
		s.fail(w, r, err, "/")
		return
	}
	j := live.Job
	p := jobPage{Title: cmp.Or(j.Name, j.ID) + " · job", Nav: "jobs", Live: *live, EventsURL: live.URL + "/events", LiveURL: live.URL + "/live"}
	if r.URL.Query().Get("cancelled") != "" {
		p.Flash = "Cancellation requested."
	}
	if d := j.JobDriver; d != nil {
		switch {
		case d.SparkSQLJobDriver != nil:
			p.Driver, p.EntryPoint, p.Params = "sparkSqlJobDriver", d.SparkSQLJobDriver.EntryPoint, maskParams(d.SparkSQLJobDriver.SparkSQLParameters)
		case d.SparkSubmitJobDriver != nil:
			p.Driver, p.EntryPoint, p.Params = "sparkSubmitJobDriver", d.SparkSubmitJobDriver.EntryPoint, maskParams(d.SparkSubmitJobDriver.SparkSubmitParameters)
			for _, a := range d.SparkSubmitJobDriver.EntryPointArguments {
				p.Args = append(p.Args, maskParams(a))
			}
		}
	}
	if co := j.ConfigurationOverrides; co != nil {
		var walk func(prefix string, cs []jobs.Configuration)
		walk = func(prefix string, cs []jobs.Configuration) {
			for _, c := range cs {
				sec := confSection{Classification: prefix + c.Classification}
				for _, k := range sortedKeys(c.Properties) {
					sec.Props = append(sec.Props, kv{k, maskValue(k, c.Properties[k])})
				}
				p.Config = append(p.Config, sec)
				walk(sec.Classification+" › ", c.Configurations)
			}
		}
		walk("", co.ApplicationConfiguration)
		if mc := co.MonitoringConfiguration; mc != nil && mc.S3MonitoringConfiguration != nil {
			p.LogURI = mc.S3MonitoringConfiguration.LogURI
		}
	}
	for _, k := range sortedKeys(j.Tags) {
		p.Tags = append(p.Tags, kv{k, j.Tags[k]})
	}
	for _, a := range live.Attempts {
		for _, stream := range []string{"stderr", "stdout"} {
			l := logLink{Attempt: a.Number, Stream: stream, URL: fmt.Sprintf("%s/logs/%s?attempt=%d", live.URL, stream, a.Number)}
			if p.LogURI != "" {
				l.Object = fmt.Sprintf("%s/%s/jobs/%s/containers/%s/%s.gz", strings.TrimSuffix(p.LogURI, "/"), j.VirtualClusterID, j.ID, a.ID, stream)
			}
			p.Logs = append(p.Logs, l)
		}
	}
	if len(live.Attempts) > 0 {
		p.LogAttempt = live.Attempts[len(live.Attempts)-1].Number
		if path, _, err := s.svc.LogFile(r.Context(), vc, id, p.LogAttempt, "stderr"); err == nil {
			p.LogTail, p.LogOffset, p.LogCut = readTail(path, tailBytes)
		}
	}
	s.render(w, r, http.StatusOK, "job", p)
}

// jobLive serves the live part of the job page alone (the script swaps it in when the job changes).
func (s *Server) jobLive(w http.ResponseWriter, r *http.Request) {
	live, err := s.loadLive(r.Context(), r.PathValue("vc"), r.PathValue("id"), r.URL.Query().Get("attempt"))
	if err != nil {
		s.fail(w, r, err, "/")
		return
	}
	s.renderTemplate(w, r, http.StatusOK, "job", "live", live)
}

// loadLive reads a job run, its attempts and statements.
func (s *Server) loadLive(ctx context.Context, vc, id, attemptParam string) (*liveView, error) {
	j, err := s.svc.DescribeJobRun(ctx, vc, id)
	if err != nil {
		return nil, err
	}
	attempts, err := s.svc.JobAttempts(ctx, vc, id)
	if err != nil {
		return nil, err
	}
	stmts, err := s.svc.JobStatements(ctx, vc, id)
	if err != nil {
		return nil, err
	}
	now := s.opts.Now()
	v := &liveView{Job: j, URL: jobURL(vc, id), Terminal: isTerminal(j.State)}
	v.CanCancel = !v.Terminal && j.State != jobs.StateCancelPending
	end := j.FinishedAt
	if end.IsZero() {
		end = now
	}
	v.Duration = formatDuration(end.Sub(j.CreatedAt))
	slices.SortFunc(attempts, func(a, b jobs.Attempt) int { return a.Number - b.Number })
	for _, a := range attempts {
		row := attemptRow{Attempt: a, Duration: "—"}
		if !a.StartedAt.IsZero() {
			e := a.FinishedAt
			if e.IsZero() {
				e = now
			}
			row.Duration = formatDuration(e.Sub(a.StartedAt))
		}
		v.Attempts = append(v.Attempts, row)
	}
	// Statements of one attempt: the one asked for, else the latest that has any.
	for _, st := range stmts {
		if !slices.Contains(v.AttemptNos, st.Attempt) {
			v.AttemptNos = append(v.AttemptNos, st.Attempt)
		}
	}
	slices.Sort(v.AttemptNos)
	if n, err := strconv.Atoi(attemptParam); err == nil && slices.Contains(v.AttemptNos, n) {
		v.Attempt = n
	} else if len(v.AttemptNos) > 0 {
		v.Attempt = v.AttemptNos[len(v.AttemptNos)-1]
	}
	var shown []jobs.Statement
	for _, st := range stmts {
		if st.Attempt == v.Attempt {
			shown = append(shown, st)
		}
	}
	slices.SortFunc(shown, func(a, b jobs.Statement) int { return a.Index - b.Index })
	latest := 0
	if len(attempts) > 0 {
		latest = attempts[len(attempts)-1].Number
	}
	v.Running = j.State == jobs.StateRunning && (v.Attempt == latest || len(shown) == 0)
	for _, st := range shown {
		row := stmtRow{N: st.Index + 1, Line: st.Line, File: st.File, Kind: st.Kind, Text: strings.TrimSpace(st.Text),
			FirstLine: firstLine(st.Text, 100), Status: st.Status, Duration: formatDuration(time.Duration(st.DurationMs) * time.Millisecond),
			Rows: formatInt(st.Rows), Bytes: formatBytes(st.Bytes), S3: formatS3(st.S3Read, st.S3Written), Error: st.Error}
		row.Multi = strings.Contains(row.Text, "\n") || len([]rune(row.Text)) > 100
		if st.Error != "" {
			row.ErrPos, row.ErrMsg, row.ErrLine, row.ErrCol = splitError(st.Error)
		}
		switch st.Status {
		case "COMPLETED":
			v.Completed++
		default:
			v.Failed++
			if v.Failure == nil {
				f := row
				v.Failure = &f
			}
		}
		v.Statements = append(v.Statements, row)
	}
	v.Timeline = timelineSVG(shown, v.Running, now.UTC())
	return v, nil
}

// readTail returns the last n bytes of a file (from a line start when cut), and the file's size.
func readTail(path string, n int64) (string, int64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", 0, false
	}
	size := fi.Size()
	off := max(size-n, 0)
	buf := make([]byte, size-off)
	k, _ := f.ReadAt(buf, off)
	buf = buf[:k]
	cut := off > 0
	if cut {
		if i := strings.IndexByte(string(buf), '\n'); i >= 0 {
			buf = buf[i+1:]
		}
	}
	return string(buf), off + int64(k), cut
}

// jobLog serves an attempt's stdout or stderr as text.
func (s *Server) jobLog(w http.ResponseWriter, r *http.Request) {
	attempt, _ := strconv.Atoi(r.URL.Query().Get("attempt"))
	path, _, err := s.svc.LogFile(r.Context(), r.PathValue("vc"), r.PathValue("id"), attempt, r.PathValue("stream"))
	if err != nil {
		s.fail(w, r, err, jobURL(r.PathValue("vc"), r.PathValue("id")))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	f, err := os.Open(path)
	if err != nil {
		return // no output (yet)
	}
	defer f.Close()
	_, _ = io.Copy(w, f)
}

// jobEvents streams a job's news as server-sent events until it ends: "log" (new stderr text, a JSON
// string), "logreset" (a new attempt's log starts), "update" (state, attempts or statements changed: fetch
// the live fragment again) and "done". The job service has no subscription, so this polls it.
func (s *Server) jobEvents(w http.ResponseWriter, r *http.Request) {
	vc, id := r.PathValue("vc"), r.PathValue("id")
	ctx := r.Context()
	if _, err := s.svc.DescribeJobRun(ctx, vc, id); err != nil {
		s.fail(w, r, err, "/")
		return
	}
	offset, _ := strconv.ParseInt(r.URL.Query().Get("offset"), 10, 64)
	logAttempt, _ := strconv.Atoi(r.URL.Query().Get("attempt"))
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	rc := http.NewResponseController(w)
	send := func(event string, data any) bool {
		b, _ := json.Marshal(data)
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	fmt.Fprint(w, "retry: 2000\n\n")
	var last string
	tick := time.NewTicker(s.opts.PollInterval)
	defer tick.Stop()
	for first := true; ; first = false {
		if !first {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
		j, err := s.svc.DescribeJobRun(ctx, vc, id)
		if err != nil {
			return
		}
		attempts, err := s.svc.JobAttempts(ctx, vc, id)
		if err != nil {
			return
		}
		stmts, err := s.svc.JobStatements(ctx, vc, id)
		if err != nil {
			return
		}
		// Log text of the latest attempt.
		if n := len(attempts); n > 0 {
			latest := attempts[0].Number
			for _, a := range attempts {
				latest = max(latest, a.Number)
			}
			if latest != logAttempt {
				if logAttempt != 0 && !send("logreset", latest) {
					return
				}
				logAttempt, offset = latest, 0
			}
			if path, _, err := s.svc.LogFile(ctx, vc, id, latest, "stderr"); err == nil {
				text, next := readFrom(path, offset, 256<<10)
				if text != "" && !send("log", text) {
					return
				}
				offset = next
			}
		}
		fp := fmt.Sprintf("%s|%s|%d|%d", j.State, j.StateDetails, len(attempts), len(stmts))
		for _, a := range attempts {
			fp += "|" + a.State
		}
		// The first round always reports: the job may have moved between the page's render and now.
		if fp != last && !send("update", j.State) {
			return
		}
		last = fp
		if isTerminal(j.State) {
			send("done", j.State)
			return
		}
		if !send("ping", j.State) {
			return
		}
	}
}

// readFrom reads a file from offset, at most n bytes; it returns the text and the next offset.
func readFrom(path string, offset, n int64) (string, int64) {
	f, err := os.Open(path)
	if err != nil {
		return "", offset
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", offset
	}
	if offset > fi.Size() || offset < 0 {
		offset = 0
	}
	if fi.Size()-offset > n {
		offset = fi.Size() - n
	}
	buf := make([]byte, fi.Size()-offset)
	k, _ := f.ReadAt(buf, offset)
	return string(buf[:k]), offset + int64(k)
}

// ---- cancel ----

type cancelPage struct {
	Title string
	Nav   string
	Job   *jobs.JobRun
	URL   string
	Error string
}

// cancelConfirm asks before cancelling (the no-JS path; with JS the job page asks in a dialog).
func (s *Server) cancelConfirm(w http.ResponseWriter, r *http.Request) {
	vc, id := r.PathValue("vc"), r.PathValue("id")
	j, err := s.svc.DescribeJobRun(r.Context(), vc, id)
	if err != nil {
		s.fail(w, r, err, "/")
		return
	}
	s.render(w, r, http.StatusOK, "cancel", cancelPage{Title: "Cancel " + cmp.Or(j.Name, j.ID), Nav: "jobs", Job: j, URL: jobURL(vc, id)})
}

// cancelJob cancels the job run when the form carries the confirmation, then shows its page again.
func (s *Server) cancelJob(w http.ResponseWriter, r *http.Request) {
	vc, id := r.PathValue("vc"), r.PathValue("id")
	if r.PostFormValue("confirm") != "yes" {
		http.Redirect(w, r, jobURL(vc, id)+"/cancel", http.StatusSeeOther)
		return
	}
	if _, err := s.svc.CancelJobRun(r.Context(), vc, id); err != nil {
		j, derr := s.svc.DescribeJobRun(r.Context(), vc, id)
		var je *jobs.Error
		if derr == nil && errors.As(err, &je) && je.Kind == jobs.KindValidation {
			s.render(w, r, http.StatusConflict, "cancel", cancelPage{Title: "Cancel " + cmp.Or(j.Name, j.ID), Nav: "jobs", Job: j, URL: jobURL(vc, id), Error: je.Message})
			return
		}
		s.fail(w, r, err, jobURL(vc, id))
		return
	}
	who, _ := s.session(r) // "" when the pages are open
	s.log.Info("job run cancelled from the web UI", "job", id, "virtual_cluster", vc, "by", who)
	http.Redirect(w, r, jobURL(vc, id)+"?cancelled=1", http.StatusSeeOther)
}
