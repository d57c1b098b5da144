// Package web is Waggle's monitoring UI and observability endpoints, served by `waggle server` next to the
// job API: the jobs list, one page per job run (configuration with secrets masked, attempts, a server-drawn
// SVG timeline and a table of the script's statements with status, duration, rows, bytes and error, a live
// log tail, cancellation), a catalog browser (databases, tables, columns, partitions, storage, DDL), and
// Prometheus /metrics, /healthz and /readyz. With Options.Users the pages need signing in with an API key
// (signin.go); the observability endpoints and the static assets stay open.
//
// Pages are html/template with embedded assets and a little vanilla JS (live updates over server-sent
// events, local times); everything static works without JS. It reads the job service and the catalog
// only through their exported methods and never imports the engine or DuckDB (DESIGN.md, structure rules).
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/jobs"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configures a Server.
type Options struct {
	// Jobs is the job service the pages read (required).
	Jobs *jobs.Service
	// Catalog is the metastore the catalog pages browse; nil hides them.
	Catalog catalog.Catalog
	Logger  *slog.Logger
	// Metrics is served at /metrics; nil creates one whose job gauges read Jobs.
	Metrics *Metrics
	// Ready is an extra readiness check for /readyz (e.g. the HMS listener is up); nil: none.
	Ready func(ctx context.Context) error
	// PageSize is the number of job runs per page of the jobs list (default 25).
	PageSize int
	// PollInterval is how often a live job page checks the job for news (default 500ms).
	PollInterval time.Duration
	// Now returns the current time (tests); default time.Now.
	Now func() time.Time
	// Users, when set, requires signing in (see signin.go): it returns the secret access key and the
	// identity of an access key id, false for an unknown one. nil: the pages are open (a server without
	// API credentials, --insecure-no-auth on loopback).
	Users func(accessKeyID string) (secret, identity string, ok bool)
}

// Server serves the UI and the observability endpoints.
type Server struct {
	opts    Options
	svc     *jobs.Service
	cat     catalog.Catalog
	log     *slog.Logger
	metrics *Metrics
	pages   map[string]*template.Template
	static  fs.FS
	csrf    *http.CrossOriginProtection
}

// New returns the server.
func New(opts Options) (*Server, error) {
	if opts.Jobs == nil {
		return nil, errors.New("web: Options.Jobs is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 25
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 500 * time.Millisecond
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Metrics == nil {
		opts.Metrics = NewMetrics(ServiceCounter(opts.Jobs), opts.Logger)
	}
	pages, err := parseTemplates(opts.Users != nil)
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	return &Server{opts: opts, svc: opts.Jobs, cat: opts.Catalog, log: opts.Logger, metrics: opts.Metrics,
		pages: pages, static: static, csrf: http.NewCrossOriginProtection()}, nil
}

// Metrics returns the server's metrics, for the job service, the HMS server and storage to update.
func (s *Server) Metrics() *Metrics { return s.metrics }

// Register mounts the UI and the observability endpoints on mux. The UI takes the exact root "/" and the
// /jobs/, /catalog/ and /ui/ trees, so a catch-all "/" (the job API's) can live on the same mux.
func (s *Server) Register(mux *http.ServeMux) {
	page := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, s.signedIn(h)) }
	page("GET /{$}", s.jobsList)
	page("GET /jobs", s.jobsList)
	page("GET /jobs/{vc}/{id}", s.jobPage)
	page("GET /jobs/{vc}/{id}/live", s.jobLive)
	page("GET /jobs/{vc}/{id}/events", s.jobEvents)
	page("GET /jobs/{vc}/{id}/logs/{stream}", s.jobLog)
	page("GET /jobs/{vc}/{id}/cancel", s.cancelConfirm)
	mux.Handle("POST /jobs/{vc}/{id}/cancel", s.csrf.Handler(s.signedIn(http.HandlerFunc(s.cancelJob))))
	page("GET /catalog", s.catalogHome)
	page("GET /catalog/{db}", s.databasePage)
	page("GET /catalog/{db}/{table}", s.tablePage)
	mux.HandleFunc("GET /login", s.loginForm)
	mux.Handle("POST /login", s.csrf.Handler(http.HandlerFunc(s.login)))
	mux.Handle("POST /logout", s.csrf.Handler(http.HandlerFunc(s.logout)))
	mux.Handle("GET /ui/", http.StripPrefix("/ui/", http.FileServerFS(s.static)))
	mux.Handle("GET /metrics", s.metrics.Handler())
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
}

// Handler returns a handler serving only the UI (a mux with Register applied).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Register(mux)
	return mux
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// readyz checks that the job store answers, the catalog answers, and the extra check passes.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	var problems []string
	if _, _, err := s.svc.ListVirtualClusters(ctx, jobs.ListVirtualClustersInput{MaxResults: 1}); err != nil {
		problems = append(problems, "jobs: "+err.Error())
	}
	if s.cat != nil {
		if _, err := s.cat.ListDatabases(ctx, catalog.DefaultDatabaseName); err != nil {
			problems = append(problems, "catalog: "+err.Error())
		}
	}
	if s.opts.Ready != nil {
		if err := s.opts.Ready(ctx); err != nil {
			problems = append(problems, err.Error())
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if len(problems) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		for _, p := range problems {
			fmt.Fprintln(w, p)
		}
		return
	}
	fmt.Fprintln(w, "ready")
}

// render executes a page into a buffer first, so a template error becomes a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	s.renderTemplate(w, r, status, page, "layout", data)
}

func (s *Server) renderTemplate(w http.ResponseWriter, r *http.Request, status int, page, name string, data any) {
	t := s.pages[page]
	var buf bytes.Buffer
	if t == nil {
		s.log.Error("web: no such page", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("web: render", "page", page, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage is the data of the error page.
type errorPage struct {
	Title   string
	Nav     string
	Status  int
	Message string
	Back    string
}

// fail renders a service or catalog error: not found → 404, validation → 400, anything else → 500.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error, back string) {
	status := http.StatusInternalServerError
	msg := "Something went wrong on the server; the details are in its log."
	var je *jobs.Error
	switch {
	case errors.As(err, &je) && je.Kind == jobs.KindNotFound:
		status, msg = http.StatusNotFound, je.Message
	case errors.As(err, &je) && je.Kind == jobs.KindValidation:
		status, msg = http.StatusBadRequest, je.Message
	case errors.Is(err, catalog.ErrNotFound):
		status, msg = http.StatusNotFound, err.Error()
	case errors.Is(err, errNotFound):
		status, msg = http.StatusNotFound, "There is nothing at "+r.URL.Path+"."
	default:
		s.log.Error("web: request failed", "path", r.URL.Path, "err", err)
	}
	s.render(w, r, status, "error", errorPage{Title: http.StatusText(status), Status: status, Message: msg, Back: back})
}

var errNotFound = errors.New("not found")
