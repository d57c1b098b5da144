package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/config"
	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/engine/tableformat"
	"github.com/waggle-dev/waggle/functions"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/parser"
	"github.com/waggle-dev/waggle/script"
	"github.com/waggle-dev/waggle/storage"
	"github.com/waggle-dev/waggle/translate"
)

// Options configure a Session.
type Options struct {
	// Conf holds the session's settings (Hive key space, see package config). SET changes a copy.
	Conf map[string]string
	// HiveVars are the --hivevar / -d definitions.
	HiveVars map[string]string
	Catalog  catalog.Catalog
	Storage  *storage.Storage
	// Stdout receives result rows; Stderr progress, timing and errors. nil discards.
	Stdout, Stderr io.Writer
	Verbose        bool   // -v: echo each statement before its output
	Silent         bool   // -S: no progress or timing lines
	Force          bool   // keep going after a failed statement (hive.cli.errors.ignore)
	Database       string // initial current database (default "default")
	// OnRecord, if set, is called after every statement with its record.
	OnRecord func(Record)
	// TempDir is the scratch directory for staging and the object-store cache; default a new directory
	// under os.TempDir(), removed by Close.
	TempDir string
}

// Status of a statement.
type Status string

// The statement statuses.
const (
	StatusCompleted Status = "COMPLETED"
	StatusFailed    Status = "FAILED"
	StatusSkipped   Status = "SKIPPED"
)

// Record is what happened to one statement.
type Record struct {
	Index  int             // 0-based ordinal in the script
	Text   string          // the statement as written (before substitution)
	Pos    script.Position // where it starts in the file
	Status Status
	Start  time.Time
	End    time.Time
	Rows   int64 // rows produced (queries) or written (DML); -1 when not applicable
	Bytes  int64 // bytes written to table files
	// S3Read and S3Written count the bytes of the statement's object-store requests: response bodies
	// received (downloads, listings) and request bodies sent (uploads, copies through Waggle).
	S3Read, S3Written int64
	Err               error
	Kind              string   // statement kind, e.g. QUERY, INSERT, CREATETABLE
	Columns           []string // result column names (queries)
	Duration          time.Duration
}

// Session executes statements in order. It is not safe for concurrent use.
type Session struct {
	opts      Options
	conf      map[string]string
	hivevars  map[string]string
	cat       catalog.Catalog
	st        *storage.Storage
	db        *sql.DB
	conn      *sql.Conn
	funcs     *functions.Registry
	currentDB string
	tempFuncs map[string]*functions.Func
	macros    map[string]*translate.Macro
	tmp       string
	// progressEvery is how often a slow object-store fetch reports on stderr (fetchProgress).
	progressEvery time.Duration
	ownTmp        bool
	stdout        io.Writer
	stderr        io.Writer
	seq           int
	system        map[string]string
	// resources are ADD FILE/JAR/ARCHIVE paths by kind.
	resources map[string][]string
	// tempTables are the session's TEMPORARY tables (never in the catalog), by lower-case name.
	tempTables map[string]*catalog.Table
	// depth counts nested `source` commands.
	depth int
	// facts remembers text files' scan results (tableformat) for the session.
	facts *tableformat.FactCache

	// fetched maps the local copies of the object-store files the statement reads to their paths
	// (s3://...), so that errors name what the user knows.
	fetchedMu sync.Mutex
	fetched   map[string]string
}

// NewSession opens a session: an in-memory DuckDB with Hive-compatible settings, the function registry
// and its UDFs.
func NewSession(ctx context.Context, opts Options) (*Session, error) {
	s := &Session{
		opts:       opts,
		conf:       map[string]string{},
		hivevars:   map[string]string{},
		cat:        opts.Catalog,
		st:         opts.Storage,
		funcs:      functions.New(),
		currentDB:  "default",
		tempFuncs:  map[string]*functions.Func{},
		macros:     map[string]*translate.Macro{},
		stdout:     opts.Stdout,
		stderr:     opts.Stderr,
		tmp:        opts.TempDir,
		resources:  map[string][]string{},
		facts:      tableformat.NewFactCache(),
		tempTables: map[string]*catalog.Table{},

		progressEvery: 3 * time.Second,
	}
	for k, v := range opts.Conf {
		s.conf[k] = v
	}
	for k, v := range opts.HiveVars {
		s.hivevars[k] = v
	}
	if opts.Database != "" {
		s.currentDB = strings.ToLower(opts.Database)
	}
	if s.stdout == nil {
		s.stdout = io.Discard
	}
	if s.stderr == nil {
		s.stderr = io.Discard
	}
	if s.cat == nil {
		return nil, errors.New("engine: no catalog")
	}
	if s.st == nil {
		st, err := storage.New(s.conf)
		if err != nil {
			return nil, err
		}
		s.st = st
	}
	if s.tmp == "" {
		d, err := os.MkdirTemp("", "waggle-session-")
		if err != nil {
			return nil, fmt.Errorf("engine: scratch directory: %w", err)
		}
		s.tmp, s.ownTmp = d, true
	}
	s.system = systemProperties()

	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, fmt.Errorf("engine: open DuckDB: %w", err)
	}
	s.db = sql.OpenDB(connector)
	s.conn, err = s.db.Conn(ctx)
	if err != nil {
		s.db.Close()
		return nil, fmt.Errorf("engine: open DuckDB: %w", err)
	}
	settings := []string{
		"SET default_null_order = 'nulls_first_on_asc_last_on_desc'",
		"SET preserve_insertion_order = true",
		"SET TimeZone = 'UTC'",
		"SET temp_directory = " + duckdbsql.String(filepath.Join(s.tmp, "duckdb-spill")),
	}
	if v := s.conf[config.MemoryLimit]; v != "" {
		settings = append(settings, "SET memory_limit = "+duckdbsql.String(v))
	}
	if v := s.conf[config.Threads]; v != "" {
		if _, err := strconv.Atoi(v); err == nil {
			settings = append(settings, "SET threads = "+v)
		}
	}
	if roots := s.conf[storage.KeyLocalRoots]; roots != "" {
		// Defence in depth for confined jobs: DuckDB itself may only touch the allowed roots and the
		// session's scratch directory (storage enforces the same roots for every path Waggle resolves).
		dirs := []string{duckdbsql.String(s.tmp)}
		for _, r := range strings.Split(roots, ",") {
			if r = strings.TrimSpace(r); r != "" {
				if real, err := filepath.EvalSymlinks(r); err == nil {
					r = real
				}
				dirs = append(dirs, duckdbsql.String(r))
			}
		}
		if real, err := filepath.EvalSymlinks(s.tmp); err == nil && real != s.tmp {
			dirs = append(dirs, duckdbsql.String(real))
		}
		settings = append(settings, "SET allowed_directories = ["+strings.Join(dirs, ", ")+"]", "SET enable_external_access = false")
	}
	for _, q := range settings {
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			s.Close()
			return nil, fmt.Errorf("engine: configure DuckDB (%s): %w", q, err)
		}
	}
	if err := functions.RegisterUDFs(ctx, s.conn); err != nil {
		s.Close()
		return nil, fmt.Errorf("engine: register functions: %w", err)
	}
	if err := tableformat.RegisterFunctions(ctx, s.conn); err != nil {
		s.Close()
		return nil, fmt.Errorf("engine: register table format functions: %w", err)
	}
	return s, nil
}

// Close releases the DuckDB connection and the scratch directory.
func (s *Session) Close() error {
	var errs []error
	if s.conn != nil {
		errs = append(errs, s.conn.Close())
	}
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	if s.st != nil {
		_ = s.st.ReleasePartials(s.partialDir())
	}
	if s.ownTmp {
		errs = append(errs, os.RemoveAll(s.tmp))
	}
	return errors.Join(errs...)
}

// cacheLinks is the directory of the session's links to shared object-cache entries, released after
// every statement.
func (s *Session) cacheLinks() string { return filepath.Join(s.tmp, "cache") }

// partialDir holds the object-store files the session fetched in part (Storage.LocalizeListed),
// kept for later statements and released when the session closes.
func (s *Session) partialDir() string { return filepath.Join(s.tmp, "partial") }

// Storage returns the session's storage (for callers that read scripts from object stores).
func (s *Session) Storage() *storage.Storage { return s.st }

// CurrentDatabase returns the session's current database.
func (s *Session) CurrentDatabase() string { return s.currentDB }

// Conf returns a setting ("" when unset).
func (s *Session) Conf(key string) string { return s.conf[key] }

func systemProperties() map[string]string {
	m := map[string]string{"file.separator": "/", "line.separator": "\n", "path.separator": ":"}
	if u, err := user.Current(); err == nil {
		m["user.name"] = u.Username
		m["user.home"] = u.HomeDir
	}
	if wd, err := os.Getwd(); err == nil {
		m["user.dir"] = wd
	}
	m["java.io.tmpdir"] = os.TempDir()
	return m
}

// ErrScriptFailed is returned by RunScript when a statement failed (the failure itself has been printed
// and recorded).
var ErrScriptFailed = errors.New("script failed")

// RunScript splits src (the contents of file) into statements and executes them in order. It stops at
// the first failing statement unless Force is set (or hive.cli.errors.ignore=true), and returns
// ErrScriptFailed (wrapped) when any statement failed.
func (s *Session) RunScript(ctx context.Context, file, src string) error {
	stmts, err := script.Split(file, src)
	if err != nil {
		fmt.Fprintf(s.stderr, "FAILED: ParseException %v\n", err)
		return fmt.Errorf("%w: %v", ErrScriptFailed, err)
	}
	failed := 0
	for _, st := range stmts {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := s.Execute(ctx, st)
		if rec.Status == StatusFailed {
			failed++
			if !s.opts.Force && !config.Bool(s.conf, "hive.cli.errors.ignore", false) {
				return fmt.Errorf("%w: %v", ErrScriptFailed, rec.Err)
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%w: %d statement(s) failed", ErrScriptFailed, failed)
	}
	return nil
}

// Execute runs one statement: substitution, parsing, execution, printing. The returned record is also
// passed to Options.OnRecord.
func (s *Session) Execute(ctx context.Context, st script.Statement) Record {
	rec := Record{Index: st.Index, Text: st.Text, Pos: st.Pos(), Start: time.Now(), Rows: -1}
	tr := s.st.Traffic()
	read, written := tr.Received(), tr.Sent()
	err := s.execute(ctx, st, &rec)
	rec.End = time.Now()
	rec.S3Read, rec.S3Written = tr.Received()-read, tr.Sent()-written
	rec.Duration = rec.End.Sub(rec.Start)
	if err != nil {
		rec.Status = StatusFailed
		rec.Err = err
		fmt.Fprintf(s.stderr, "FAILED: %s\n", describeError(err))
	} else {
		rec.Status = StatusCompleted
		if !s.opts.Silent {
			if rec.Columns != nil {
				fmt.Fprintf(s.stderr, "Time taken: %.3f seconds, Fetched: %d row(s)\n", rec.Duration.Seconds(), max(rec.Rows, 0))
			} else {
				fmt.Fprintf(s.stderr, "OK\nTime taken: %.3f seconds\n", rec.Duration.Seconds())
			}
		}
	}
	// Cached object-store files are pinned (hard-linked) only while a statement reads them.
	_ = s.st.ReleaseLinks(s.cacheLinks())
	s.fetchedMu.Lock()
	s.fetched = nil
	s.fetchedMu.Unlock()
	// Rows reach the terminal (or pipe) statement by statement, as with the Hive CLI.
	if f, ok := s.stdout.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
	if s.opts.OnRecord != nil {
		s.opts.OnRecord(rec)
	}
	return rec
}

func (s *Session) vars() script.Vars {
	return script.Vars{HiveVar: s.hivevars, HiveConf: s.conf, System: s.system}
}

func (s *Session) execute(ctx context.Context, st script.Statement, rec *Record) error {
	sub, err := script.Substitute(st, s.vars())
	if err != nil {
		var ue *script.UnboundError
		if errors.As(err, &ue) {
			return &Error{Kind: KindSemantic, Pos: ue.Pos, Msg: ue.Error()}
		}
		return &Error{Kind: KindSemantic, Pos: st.Pos(), Msg: err.Error()}
	}
	if s.opts.Verbose {
		fmt.Fprintln(s.stdout, sub.Text)
	}
	stmt, err := parser.ParseStatement(sub.Text)
	if err != nil {
		return parseError(sub, err)
	}
	x := &stmtExec{s: s, sub: sub, rec: rec}
	return x.run(ctx, stmt)
}

// stmtExec carries one statement's execution state.
type stmtExec struct {
	s   *Session
	sub *script.Substituted
	rec *Record
	// dynamicWithoutStatic lets a write use only dynamic partition columns regardless of
	// hive.exec.dynamic.partition.mode (Spark's CTAS ... PARTITIONED BY).
	dynamicWithoutStatic bool
}

// pos maps a node's position to the file position the user wrote.
func (x *stmtExec) pos(n ast.Node) script.Position {
	if n == nil {
		return x.sub.Stmt.Pos()
	}
	return x.sub.Position(int(n.Pos()))
}

// errorf makes a positioned error of the given kind.
func (x *stmtExec) errorf(kind string, n ast.Node, format string, args ...any) error {
	return &Error{Kind: kind, Pos: x.pos(n), Msg: fmt.Sprintf(format, args...)}
}

// wrap positions an error from a lower layer (translate errors carry their own positions).
func (x *stmtExec) wrap(n ast.Node, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	var te *translate.Error
	if errors.As(err, &te) {
		return &Error{Kind: KindSemantic, Pos: x.sub.Position(int(te.Pos)), Msg: te.Msg}
	}
	kind := KindExecution
	if errors.Is(err, catalog.ErrNotFound) || errors.Is(err, catalog.ErrAlreadyExists) || errors.Is(err, catalog.ErrInvalidOperation) {
		kind = KindSemantic
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		kind = KindCancelled
	}
	return &Error{Kind: kind, Pos: x.pos(n), Msg: x.s.userMessage(err.Error()), Err: err}
}

// userMessage rewrites an error message of a lower layer for the user: local copies of object-store
// files are named by their object-store paths, and DuckDB's "LINE n:" excerpt of the SQL it was given
// (Waggle's translation, not the user's text; the error's position points into the user's) is dropped.
func (s *Session) userMessage(msg string) string {
	if i := strings.Index(msg, "\n\nLINE "); i >= 0 {
		msg = strings.TrimRight(msg[:i], "\n ")
	}
	s.fetchedMu.Lock()
	defer s.fetchedMu.Unlock()
	for local, remote := range s.fetched {
		msg = strings.ReplaceAll(msg, local, remote)
	}
	return msg
}

// noteFetched records that local holds the content of remote, for userMessage.
func (s *Session) noteFetched(remote []storage.FileInfo, local []string) {
	s.fetchedMu.Lock()
	defer s.fetchedMu.Unlock()
	if s.fetched == nil {
		s.fetched = map[string]string{}
	}
	for i, l := range local {
		if l != "" && l != remote[i].Path {
			s.fetched[l] = remote[i].Path
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
