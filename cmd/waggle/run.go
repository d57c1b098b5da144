package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/catalog/hms"
	"github.com/waggle-dev/waggle/catalog/sqlstore"
	"github.com/waggle-dev/waggle/config"
	"github.com/waggle-dev/waggle/engine"
	"github.com/waggle-dev/waggle/jobevent"
	"github.com/waggle-dev/waggle/script"
	"github.com/waggle-dev/waggle/storage"
)

// sessionFlags are the flags `run` and `shell` share (hive / spark-sql command-line compatible).
type sessionFlags struct {
	hivevars []string
	defines  []string
	hiveconf []string
	conf     []string
	inits    []string
	database string
	verbose  bool
	silent   bool
	force    bool
	exec     string
	file     string
	events   string

	// set by openSession when --events is given
	eventW     *jobevent.Writer
	eventClose func() error
	executed   int
	firstFail  int
}

func (f *sessionFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.hivevars, "hivevar", nil, "variable for ${hivevar:k} / ${k} (k=v, repeatable)")
	fl.StringArrayVarP(&f.defines, "define", "d", nil, "same as --hivevar (k=v, repeatable)")
	fl.StringArrayVar(&f.hiveconf, "hiveconf", nil, "Hive setting (k=v, repeatable)")
	fl.StringArrayVar(&f.conf, "conf", nil, "Spark-style setting (spark.sql.warehouse.dir, spark.hadoop.*, spark.hive.*; k=v, repeatable)")
	fl.StringArrayVarP(&f.inits, "init", "i", nil, "initialization script run first (repeatable)")
	fl.StringVar(&f.database, "database", "", "database to use")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "echo each statement before its output")
	fl.BoolVarP(&f.silent, "silent", "S", false, "no progress or timing lines on stderr")
	fl.BoolVar(&f.force, "force", false, "continue after a failed statement")
	fl.StringVarP(&f.exec, "execute", "e", "", "SQL to run instead of a file")
	fl.StringVarP(&f.file, "file", "f", "", "script file to run")
	fl.StringVar(&f.events, "events", "", "write one JSON line per statement (and a final \"end\" line) to this file: the job runners' progress channel (package jobevent)")
}

// pairs splits k=v flag values.
func pairs(vals []string) ([][2]string, error) {
	var out [][2]string
	for _, v := range vals {
		k, val, err := config.SplitPair(v)
		if err != nil {
			return nil, err
		}
		out = append(out, [2]string{k, val})
	}
	return out, nil
}

// loadConf loads the configuration (config.Load) with the --hiveconf and --conf pairs of a command
// line, in that order (later pairs win).
func loadConf(hiveconf, conf []string) (map[string]string, error) {
	var cli [][2]string
	for _, group := range [][]string{hiveconf, conf} {
		p, err := pairs(group)
		if err != nil {
			return nil, err
		}
		cli = append(cli, p...)
	}
	return config.Load(nil, cli)
}

// openSession loads the configuration, opens the metastore and storage and starts an engine session.
func (f *sessionFlags) openSession(ctx context.Context, stdout, stderr io.Writer) (*engine.Session, func(), error) {
	conf, err := loadConf(f.hiveconf, f.conf)
	if err != nil {
		return nil, nil, &exitError{code: 2, err: err}
	}
	vars := map[string]string{}
	for _, group := range [][]string{f.hivevars, f.defines} {
		p, err := pairs(group)
		if err != nil {
			return nil, nil, &exitError{code: 2, err: err}
		}
		for _, kv := range p {
			vars[kv[0]] = kv[1]
		}
	}
	cat, err := openCatalog(ctx, conf)
	if err != nil {
		return nil, nil, &exitError{code: 1, err: err}
	}
	st, err := storage.New(conf)
	if err != nil {
		cat.Close()
		return nil, nil, &exitError{code: 1, err: err}
	}
	var onRecord func(engine.Record)
	if f.events != "" {
		ef, err := os.OpenFile(f.events, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			cat.Close()
			return nil, nil, &exitError{code: 2, err: fmt.Errorf("--events: %w", err)}
		}
		f.eventW, f.eventClose = jobevent.NewWriter(ef), ef.Close
		onRecord = f.recordEvent
	}
	s, err := engine.NewSession(ctx, engine.Options{
		Conf: conf, HiveVars: vars, Catalog: cat, Storage: st,
		Stdout: stdout, Stderr: stderr,
		Verbose: f.verbose, Silent: f.silent, Force: f.force, Database: f.database,
		OnRecord: onRecord,
	})
	if err != nil {
		cat.Close()
		return nil, nil, &exitError{code: 1, err: err}
	}
	cleanup := func() {
		s.Close()
		cat.Close()
	}
	if f.database != "" {
		// --database sets the session's current database (NewSession); check it exists, as USE would,
		// without making it a statement of the script.
		if _, err := cat.GetDatabase(ctx, strings.ToLower(f.database)); err != nil {
			cleanup()
			fmt.Fprintf(stderr, "FAILED: SemanticException --database: Database does not exist: %s\n", f.database)
			return nil, nil, &exitError{code: 1}
		}
	}
	for _, init := range f.inits {
		data, err := readScript(ctx, st, init)
		if err != nil {
			cleanup()
			return nil, nil, &exitError{code: 1, err: err}
		}
		if err := s.RunScript(ctx, init, data); err != nil {
			cleanup()
			return nil, nil, &exitError{code: 1}
		}
	}
	return s, cleanup, nil
}

// recordEvent writes a statement record as a jobevent line.
func (f *sessionFlags) recordEvent(r engine.Record) {
	f.executed++
	e := jobevent.Event{Type: jobevent.TypeStatement, Index: r.Index, File: r.Pos.File, Line: r.Pos.Line, Col: r.Pos.Col,
		Text: r.Text, Kind: r.Kind, Status: string(r.Status), Start: r.Start.UTC(), End: r.End.UTC(),
		DurationMs: r.Duration.Milliseconds(), Rows: r.Rows, Bytes: r.Bytes, S3Read: r.S3Read, S3Written: r.S3Written}
	if r.Err != nil {
		e.Error = r.Err.Error()
		var ee *engine.Error
		if errors.As(r.Err, &ee) {
			e.ErrorKind = ee.Kind
		}
		if f.firstFail == 0 {
			f.firstFail = f.executed
		}
	}
	_ = f.eventW.Write(e)
}

// endEvents writes the final event and closes the events file.
func (f *sessionFlags) endEvents(code int) {
	if f.eventW == nil {
		return
	}
	_ = f.eventW.Write(jobevent.Event{Type: jobevent.TypeEnd, ExitCode: code, Statements: f.executed, FailedStatement: f.firstFail})
	_ = f.eventClose()
	f.eventW = nil
}

// readScript reads a script from a local path or any storage URI (s3://bucket/job.sql, file://...).
func readScript(ctx context.Context, st *storage.Storage, path string) (string, error) {
	if !strings.Contains(path, "://") {
		data, err := os.ReadFile(path)
		return string(data), err
	}
	r, err := st.Open(ctx, path)
	if err != nil {
		return "", err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	return string(data), err
}

// openCatalog opens the metastore named by javax.jdo.option.ConnectionURL.
// With hive.metastore.uris (or spark.hive.metastore.uris) set, the catalog is that remote Hive Metastore
// (Waggle's own `waggle metastore` or a Java HMS) over Thrift; otherwise the SQL store is opened directly.
func openCatalog(ctx context.Context, conf map[string]string) (catalog.Catalog, error) {
	if uris := strings.TrimSpace(conf[config.MetastoreURIs]); uris != "" {
		return hms.Dial(ctx, uris, hms.ClientOptions{
			Framed:  config.Bool(conf, "hive.metastore.thrift.framed.transport.enabled", false),
			Compact: config.Bool(conf, "hive.metastore.thrift.compact.protocol.enabled", false),
		})
	}
	return openSQLStore(ctx, conf)
}

// openSQLStore opens the metastore database named by javax.jdo.option.ConnectionURL.
func openSQLStore(ctx context.Context, conf map[string]string) (*sqlstore.Store, error) {
	wh := conf[config.Warehouse]
	if !strings.Contains(wh, "://") {
		abs, err := filepath.Abs(wh)
		if err != nil {
			return nil, err
		}
		wh = "file://" + abs
	}
	opts, err := sqlstore.URLOptionsFromConf(conf, nil)
	if err != nil {
		return nil, err
	}
	opts.Warehouse = wh
	return sqlstore.OpenURL(ctx, opts)
}

func newRunCmd() *cobra.Command {
	f := &sessionFlags{}
	cmd := &cobra.Command{
		Use:   "run [FILE]",
		Short: "Run a Hive script like `hive -f` / `spark-sql -f`",
		Long: `Run a Hive script statement by statement. Result rows go to stdout (TAB-separated, Hive CLI style);
progress, timing and errors go to stderr. The script stops at the first failing statement (exit code 1)
unless --force is given.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := f.file
			if len(args) == 1 {
				file = args[0]
			}
			if file == "" && f.exec == "" {
				return &exitError{code: 2, err: errors.New("run needs a script FILE, -f FILE or -e SQL")}
			}
			return runNonInteractive(cmd.Context(), f, file, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f.register(cmd)
	return cmd
}

func runNonInteractive(ctx context.Context, f *sessionFlags, file string, stdout, stderr io.Writer) error {
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	s, cleanup, err := f.openSession(ctx, out, stderr)
	if err != nil {
		code := 1
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
		}
		f.endEvents(code)
		return err
	}
	defer cleanup()
	var src, name string
	if f.exec != "" {
		src, name = f.exec, "-e"
	} else {
		data, err := readScript(ctx, s.Storage(), file)
		if err != nil {
			fmt.Fprintf(stderr, "FAILED: cannot read script: %v\n", err)
			f.endEvents(1)
			return &exitError{code: 1, err: fmt.Errorf("cannot read script: %w", err)}
		}
		src, name = data, file
	}
	if err := s.RunScript(ctx, name, src); err != nil {
		out.Flush()
		if errors.Is(err, context.Canceled) {
			f.endEvents(130)
			return &exitError{code: 130, err: errors.New("interrupted")}
		}
		f.endEvents(1)
		return &exitError{code: 1}
	}
	f.endEvents(0)
	return nil
}

func newShellCmd() *cobra.Command {
	f := &sessionFlags{}
	cmd := &cobra.Command{
		Use:   "shell",
		Short: "Interactive hive> prompt (or -e SQL / -f FILE non-interactively)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.exec != "" || f.file != "" {
				return runNonInteractive(cmd.Context(), f, f.file, cmd.OutOrStdout(), cmd.ErrOrStderr())
			}
			return repl(cmd.Context(), f, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f.register(cmd)
	return cmd
}

// repl reads statements at a `hive>` prompt until EOF or `quit;`/`exit;`. A statement ends at a `;`
// outside quotes and comments; lines are appended to ~/.waggle/history.
func repl(ctx context.Context, f *sessionFlags, in io.Reader, stdout, stderr io.Writer) error {
	s, cleanup, err := f.openSession(ctx, stdout, stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	var hist io.Writer = io.Discard
	if home := s.Conf(config.WaggleHome); home != "" {
		if h, err := os.OpenFile(filepath.Join(home, "history"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600); err == nil {
			defer h.Close()
			hist = h
		}
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var buf strings.Builder
	prompt := func() {
		if buf.Len() == 0 {
			fmt.Fprint(stderr, "hive> ")
		} else {
			fmt.Fprint(stderr, "    > ")
		}
	}
	prompt()
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(hist, line)
		buf.WriteString(line)
		buf.WriteByte('\n')
		text := buf.String()
		if !statementComplete(text) {
			prompt()
			continue
		}
		buf.Reset()
		stmts, _ := script.Split("<stdin>", text)
		for _, st := range stmts {
			lower := strings.ToLower(strings.TrimSpace(st.Text))
			if lower == "quit" || lower == "exit" {
				return nil
			}
			s.Execute(ctx, st)
		}
		if ctx.Err() != nil {
			return nil
		}
		prompt()
	}
	fmt.Fprintln(stderr)
	return sc.Err()
}

// statementComplete reports whether text ends with a `;` that is outside quotes and comments.
func statementComplete(text string) bool {
	trimmed := strings.TrimSpace(text)
	if !strings.HasSuffix(trimmed, ";") {
		return false
	}
	stmts, err := script.Split("", trimmed+"\nSELECT 1")
	if err != nil {
		return false
	}
	// The sentinel statement is separate only if the final ';' really ended a statement.
	return len(stmts) > 0 && stmts[len(stmts)-1].Text == "SELECT 1"
}
