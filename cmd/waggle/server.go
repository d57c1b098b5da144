package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/waggle-dev/waggle/api"
	"github.com/waggle-dev/waggle/catalog/hms"
	"github.com/waggle-dev/waggle/config"
	"github.com/waggle-dev/waggle/jobs"
	"github.com/waggle-dev/waggle/jobs/k8s"
	"github.com/waggle-dev/waggle/sigv4"
	"github.com/waggle-dev/waggle/storage"
	"github.com/waggle-dev/waggle/web"
)

// Server configuration keys (set with --hiveconf/--conf or hive-site.xml).
const (
	keyServerRegion  = "waggle.server.region"
	keyServerAccount = "waggle.server.account"
	keyJobExecutable = "waggle.jobs.executable"
)

type serverFlags struct {
	port          int
	bind          string
	dataDir       string
	hiveconf      []string
	conf          []string
	maxConcurrent int
	insecure      bool
	users         string
	region        string
	metastorePort int
	databaseURL   string
}

func newServerCmd() *cobra.Command {
	f := &serverFlags{}
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Serve the job API (EMR on EKS emr-containers compatible) and run the jobs",
		Long: `Serve the job API: the emr-containers REST operations (virtual clusters, job runs, job templates, tags)
that the AWS CLI and SDKs call with --endpoint-url, plus a job run's statements, attempts and logs.
Each job attempt runs as ` + "`waggle run`" + ` in its own process (or, with waggle.jobs.runner=kubernetes, as a
Kubernetes Job in the virtual cluster's namespace: docs/kubernetes.md); the queue is durable (River on the server's
SQLite database, <data-dir>/server.db). --hiveconf/--conf set defaults for every job (the metastore,
the warehouse, fs.s3a.*, spark.driver.memory); a job's configurationOverrides and parameters win.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runServer(cmd.Context(), f) },
	}
	fl := cmd.Flags()
	fl.IntVar(&f.port, "port", 8080, "port of the job API")
	fl.StringVar(&f.bind, "bind", "", "address to listen on (default 0.0.0.0; 127.0.0.1 with --insecure-no-auth)")
	fl.StringVar(&f.dataDir, "data-dir", "", "server database, job work dirs and logs (default $WAGGLE_HOME/server)")
	fl.StringArrayVar(&f.hiveconf, "hiveconf", nil, "Hive setting for every job (k=v, repeatable)")
	fl.StringArrayVar(&f.conf, "conf", nil, "Spark-style setting for every job (k=v, repeatable)")
	fl.IntVar(&f.maxConcurrent, "max-concurrent", 0, "job attempts running at once (default: number of CPUs)")
	fl.BoolVar(&f.insecure, "insecure-no-auth", false, "accept unauthenticated requests (loopback only, for development)")
	fl.StringVar(&f.users, "users", "", "API credentials file for SigV4 verification: lines `ACCESS_KEY_ID SECRET [identity]` (also WAGGLE_API_ACCESS_KEY_ID / WAGGLE_API_SECRET_ACCESS_KEY / WAGGLE_API_IDENTITY)")
	fl.StringVar(&f.region, "region", "", "accept only requests signed for this region (default: any)")
	fl.StringVar(&f.databaseURL, "database-url", os.Getenv("WAGGLE_SERVER_DATABASE_URL"), "PostgreSQL URL (postgres://...) of the job database, shared by several server replicas (env WAGGLE_SERVER_DATABASE_URL; default: SQLite in the data dir)")
	fl.IntVar(&f.metastorePort, "metastore-port", 9083, "serve the Hive Metastore Thrift API on this port (0: a free port, -1: off)")
	return cmd
}

// hmsMetrics feeds HMS call latencies into the server's Prometheus metrics.
type hmsMetrics struct{ m *web.Metrics }

func (h hmsMetrics) ObserveCall(method string, outcome hms.Outcome, d time.Duration) {
	h.m.ObserveHMSCall(method, string(outcome), d)
}

func (h hmsMetrics) ObserveConn(event string) {}

func runServer(ctx context.Context, f *serverFlags) error {
	conf, err := loadConf(f.hiveconf, f.conf)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	bind := f.bind
	if bind == "" {
		bind = "0.0.0.0"
		if f.insecure {
			bind = "127.0.0.1"
		}
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var auth api.Authenticator
	var users func(string) (string, string, bool) // the web UI's sign-in: the API's keys
	if f.insecure {
		ip := net.ParseIP(bind)
		if bind != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return &exitError{code: 2, err: fmt.Errorf("--insecure-no-auth needs a loopback --bind address, not %s", bind)}
		}
	} else {
		creds, err := sigv4.CredentialsFromEnv()
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		if f.users != "" {
			fileCreds, warning, err := sigv4.LoadCredentials(f.users)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			if warning != "" {
				log.Warn(warning)
			}
			creds = append(creds, fileCreds...)
		}
		if len(creds) == 0 {
			return &exitError{code: 2, err: errors.New("no API credentials: give --users FILE or WAGGLE_API_ACCESS_KEY_ID/WAGGLE_API_SECRET_ACCESS_KEY (requests are verified with AWS SigV4), or --insecure-no-auth on loopback for development")}
		}
		v := sigv4.NewVerifier(creds, sigv4.Options{Region: f.region})
		auth = v
		users = func(key string) (string, string, bool) {
			c, ok := v.Lookup(key)
			return c.SecretAccessKey, cmp.Or(c.Identity, c.AccessKeyID), ok
		}
	}
	dataDir := f.dataDir
	if dataDir == "" {
		dataDir = filepath.Join(conf[config.WaggleHome], "server")
	}
	if dataDir, err = filepath.Abs(dataDir); err != nil {
		return err
	}
	// Jobs share the server's metastore and warehouse, named explicitly.
	wh := conf[config.Warehouse]
	if !strings.Contains(wh, "://") {
		abs, _ := filepath.Abs(wh)
		conf[config.Warehouse] = "file://" + abs
	}
	var roots []string
	for _, r := range strings.Split(conf[jobs.KeyLocalRoots], ",") {
		if r = strings.TrimSpace(r); r != "" {
			abs, _ := filepath.Abs(r)
			roots = append(roots, abs)
		}
	}
	delete(conf, jobs.KeyLocalRoots)
	exe := conf[keyJobExecutable]
	if exe == "" {
		if exe, err = os.Executable(); err != nil {
			return err
		}
	}
	// The runners: each attempt in its own process, or — with waggle.jobs.runner=kubernetes — a Kubernetes
	// Job per attempt for virtual clusters that name a namespace (containerProvider.info.eksInfo.namespace).
	local := &jobs.LocalRunner{Executable: exe, Logger: log}
	var runnerFor func(*jobs.VirtualCluster) jobs.Runner
	switch kind := conf[k8s.KeyRunner]; kind {
	case "", "local":
	case "kubernetes":
		kr, err := k8s.NewFromConf(conf, log)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		defer kr.Close()
		runnerFor = func(vc *jobs.VirtualCluster) jobs.Runner {
			if vc.Namespace() != "" {
				return kr
			}
			return nil // the local runner
		}
		log.Info("job runner: kubernetes for virtual clusters with a namespace, local otherwise")
	default:
		return &exitError{code: 2, err: fmt.Errorf("%s=%s: want local or kubernetes", k8s.KeyRunner, kind)}
	}
	// Metrics first (the job service reports into them); their jobs-by-state gauge reads the service.
	var svc *jobs.Service
	metrics := web.NewMetrics(func(ctx context.Context) (map[string]int, error) { return web.ServiceCounter(svc)(ctx) }, log)
	svc, err = jobs.Open(ctx, jobs.Config{
		DataDir: dataDir, DatabaseURL: f.databaseURL, Conf: conf, LocalRoots: roots, MaxConcurrent: f.maxConcurrent,
		Region: conf[keyServerRegion], Account: conf[keyServerAccount],
		Runner: local, RunnerFor: runnerFor, Logger: log, Metrics: metrics,
	})
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	if err := svc.Start(ctx); err != nil {
		svc.Close(context.Background())
		return &exitError{code: 1, err: err}
	}
	// The catalog the UI shows and the HMS service serves: the metastore database jobs use too.
	store, err := openSQLStore(ctx, conf)
	if err != nil {
		svc.Close(context.Background())
		return &exitError{code: 1, err: err}
	}
	defer store.Close()
	ui, err := web.New(web.Options{Jobs: svc, Catalog: store, Logger: log, Metrics: metrics, Users: users})
	if err != nil {
		svc.Close(context.Background())
		return &exitError{code: 1, err: err}
	}
	var metastore *hms.Server
	if f.metastorePort >= 0 {
		st, err := storage.New(conf)
		if err != nil {
			svc.Close(context.Background())
			return &exitError{code: 1, err: err}
		}
		ml, err := net.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(f.metastorePort)))
		if err != nil {
			svc.Close(context.Background())
			return &exitError{code: 1, err: fmt.Errorf("metastore port: %w", err)}
		}
		metastore = hms.NewServer(store, st, hms.ServerOptions{Logger: log, ManageStorage: true, Conf: conf, Metrics: hmsMetrics{metrics}})
		go func() { _ = metastore.Serve(ctx, ml) }()
		log.Info("hive metastore listening", "addr", ml.Addr().String())
		fmt.Fprintf(os.Stderr, "waggle metastore: serving thrift://%s\n", ml.Addr())
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(f.port)))
	if err != nil {
		svc.Close(context.Background())
		return &exitError{code: 1, err: err}
	}
	mux := http.NewServeMux()
	ui.Register(mux)
	mux.Handle("/", api.New(svc, auth, log))
	// No WriteTimeout: the UI streams live job updates over long-lived responses.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Info("waggle server listening", "addr", ln.Addr().String(), "data_dir", dataDir, "auth", auth != nil)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	if metastore != nil {
		_ = metastore.Shutdown(sctx)
	}
	if cerr := svc.Close(sctx); cerr != nil {
		log.Warn("stop job service", "err", cerr)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return &exitError{code: 1, err: err}
	}
	return nil
}
