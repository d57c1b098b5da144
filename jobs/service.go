package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// Config configures a Service.
type Config struct {
	// DataDir holds server.db (unless DB is given), and per job: attempts' work dirs and logs.
	DataDir string
	// DB is the server database; nil opens SQLite at DataDir/server.db (or DatabaseURL when set).
	DB *sql.DB
	// DatabaseURL (postgres://...) puts the service on PostgreSQL, which several servers (replicas) can
	// share: the queue is River's pgx driver, claims lock the job's row, and each replica heartbeats so the
	// others settle the attempts of a replica that died.
	DatabaseURL string
	// InstanceID names this replica in the attempts it runs (default: a random id per Open).
	InstanceID string
	// HeartbeatInterval is how often a PostgreSQL replica records that it lives and looks for attempts
	// of dead replicas (default 5s); ReplicaTimeout is how old a heartbeat may be before the replica
	// counts as dead and its running attempts are settled (default 30s).
	HeartbeatInterval, ReplicaTimeout time.Duration
	// Conf is the configuration every job starts from (the server's loaded configuration: metastore,
	// warehouse, fs.s3a.*, plus --hiveconf/--conf defaults); a job's own settings win over it.
	Conf map[string]string
	// LocalRoots are local directories jobs may use besides their own work dir (and where local entry
	// points may live; when empty, local entry points are not restricted).
	LocalRoots []string
	// MaxConcurrent is how many attempts run at once (default: the number of CPUs).
	MaxConcurrent int
	// Region and Account shape the ARNs (default us-east-1 and 000000000000).
	Region, Account string
	// Runner runs attempts (default: a LocalRunner on this executable).
	Runner Runner
	// RunnerFor, when set, chooses the runner of a virtual cluster's jobs (e.g. Kubernetes for virtual
	// clusters with an eksInfo namespace); nil (or a nil result) means Runner.
	RunnerFor func(vc *VirtualCluster) Runner
	Logger    *slog.Logger
	// Metrics, if set, observes finished attempts and statements (the server's Prometheus metrics).
	Metrics Observer
}

// Observer receives durations of finished job attempts (by final state) and statements (by status).
type Observer interface {
	ObserveJob(state string, d time.Duration)
	ObserveStatement(status string, d time.Duration)
	ObserveS3(read, written int64) // object-store bytes of one statement
}

// Service is the job service: the operations of the emr-containers API plus Waggle's extensions.
type Service struct {
	cfg   Config
	db    db // the server database; db.pg: PostgreSQL
	ownDB bool
	river *river.Client[*sql.Tx] // SQLite
	// PostgreSQL: River's pgx client on pool, which db (database/sql over pgx) shares.
	pgRiver *river.Client[pgx.Tx]
	pool    *pgxpool.Pool
	id      string // this replica (instance id)
	stopBG  context.CancelFunc
	bgDone  sync.WaitGroup
	arns    arns
	log     *slog.Logger

	mu      sync.Mutex
	running map[string]*runningAttempt
}

type runningAttempt struct {
	cancel          context.CancelFunc
	cancelRequested bool
}

// runArgs is the queue's job: run attempt Attempt of job run JobID.
type runArgs struct {
	JobID   string `json:"job_id"`
	Attempt int    `json:"attempt"`
}

func (runArgs) Kind() string { return "waggle_job_attempt" }

type attemptWorker struct {
	river.WorkerDefaults[runArgs]
	s *Service
}

func (w *attemptWorker) Work(ctx context.Context, job *river.Job[runArgs]) error {
	return w.s.runAttempt(ctx, job.Args.JobID, job.Args.Attempt)
}

// OpenSQLite opens (creating) a SQLite database for the server at path.
func OpenSQLite(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(30000)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	// River's SQLite driver and our store share one connection: SQLite has one writer anyway.
	db.SetMaxOpenConns(1)
	return db, nil
}

// Open opens the service's database, migrates it, and settles the jobs a previous server left running.
// Start begins working the queue.
func Open(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = runtime.NumCPU()
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Account == "" {
		cfg.Account = "000000000000"
	}
	if cfg.Runner == nil {
		cfg.Runner = &LocalRunner{Logger: cfg.Logger}
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("jobs: data dir: %w", err)
	}
	if cfg.HeartbeatInterval <= 0 {
		cfg.HeartbeatInterval = 5 * time.Second
	}
	if cfg.ReplicaTimeout <= 0 {
		cfg.ReplicaTimeout = 30 * time.Second
	}
	if cfg.InstanceID == "" {
		cfg.InstanceID = newInstanceID()
	}
	s := &Service{cfg: cfg, db: db{sqlDB: cfg.DB}, arns: arns{cfg.Region, cfg.Account}, log: cfg.Logger, running: map[string]*runningAttempt{}, id: cfg.InstanceID}
	if cfg.DatabaseURL != "" {
		if cfg.DB != nil {
			return nil, errors.New("jobs: set either DB or DatabaseURL, not both")
		}
		return openPG(ctx, s)
	}
	if s.db.sqlDB == nil {
		sqlDB, err := OpenSQLite(filepath.Join(cfg.DataDir, "server.db"))
		if err != nil {
			return nil, fmt.Errorf("jobs: open database: %w", err)
		}
		s.db.sqlDB, s.ownDB = sqlDB, true
	}
	fail := func(err error) (*Service, error) {
		if s.ownDB {
			s.db.sqlDB.Close()
		}
		return nil, err
	}
	if err := migrate(ctx, s.db); err != nil {
		return fail(err)
	}
	driver := riversqlite.New(s.db.sqlDB)
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: quietLogger(cfg.Logger)})
	if err != nil {
		return fail(fmt.Errorf("jobs: queue migrator: %w", err))
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fail(fmt.Errorf("jobs: migrate queue: %w", err))
	}
	s.river, err = river.NewClient(driver, s.riverConfig())
	if err != nil {
		return fail(fmt.Errorf("jobs: queue client: %w", err))
	}
	if err := s.recover(ctx, true); err != nil {
		return fail(err)
	}
	return s, nil
}

// riverConfig is the queue client's configuration (either driver).
func (s *Service) riverConfig() *river.Config {
	workers := river.NewWorkers()
	river.AddWorker(workers, &attemptWorker{s: s})
	return &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: s.cfg.MaxConcurrent}},
		Workers:           workers,
		JobTimeout:        -1, // jobs run as long as they run; cancellation is explicit
		FetchCooldown:     5 * time.Millisecond,
		FetchPollInterval: 50 * time.Millisecond,
		MaxAttempts:       3, // queue-level retries cover internal errors only; job attempts are ours
		Logger:            quietLogger(s.cfg.Logger),
		SoftStopTimeout:   time.Second,
	}
}

// quietLogger passes River's warnings and errors on, not its routine info.
func quietLogger(l *slog.Logger) *slog.Logger {
	return slog.New(levelFilter{l.Handler(), slog.LevelWarn})
}

type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}

// Start starts working the queue; it returns once the workers are running.
func (s *Service) Start(ctx context.Context) error {
	if s.db.pg {
		if err := s.pgRiver.Start(ctx); err != nil {
			return err
		}
		s.startBackground()
		return nil
	}
	return s.river.Start(ctx)
}

// Close stops the workers (running attempts are stopped and left for the next start to settle) and
// closes the database if the service opened it.
func (s *Service) Close(ctx context.Context) error {
	if s.db.pg {
		return s.closePG(ctx)
	}
	err := s.river.StopAndCancel(ctx)
	if s.ownDB {
		if cerr := s.db.sqlDB.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// DB returns the service's database (for tests and tools).
func (s *Service) DB() *sql.DB { return s.db.sqlDB }

// inTx runs f in a transaction. On PostgreSQL it runs on one pinned connection, so that River's pgx
// insert (enqueue) joins it.
func (s *Service) inTx(ctx context.Context, f func(tx db) error) error {
	tx := s.db
	var err error
	if tx.pg {
		if tx.conn, err = tx.sqlDB.Conn(ctx); err != nil {
			return internal(err)
		}
		defer tx.conn.Close()
		tx.sqlTx, err = tx.conn.BeginTx(ctx, nil)
	} else {
		tx.sqlTx, err = tx.sqlDB.BeginTx(ctx, nil)
	}
	if err != nil {
		return internal(err)
	}
	if err := f(tx); err != nil {
		tx.sqlTx.Rollback()
		return err
	}
	if err := tx.sqlTx.Commit(); err != nil {
		return internal(err)
	}
	return nil
}

// internal wraps an unexpected error (kept as is when it already is a service error).
func internal(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Kind: KindInternal, Message: err.Error()}
}

type identityKey struct{}

// WithIdentity returns a context that carries the caller's identity (an IAM/STS ARN), used for createdBy.
func WithIdentity(ctx context.Context, identity string) context.Context {
	return context.WithValue(ctx, identityKey{}, identity)
}

func (s *Service) identity(ctx context.Context) string {
	if id, ok := ctx.Value(identityKey{}).(string); ok && id != "" {
		return id
	}
	return "arn:aws:iam::" + s.cfg.Account + ":root"
}

func now() time.Time { return time.Now().UTC() }

// ---- virtual clusters ----

// CreateVirtualClusterInput is CreateVirtualClusterRequest.
type CreateVirtualClusterInput struct {
	Name                    string             `json:"name"`
	ContainerProvider       *ContainerProvider `json:"containerProvider"`
	ClientToken             string             `json:"clientToken"`
	Tags                    map[string]string  `json:"tags,omitempty"`
	SecurityConfigurationID string             `json:"securityConfigurationId,omitempty"`
}

// CreateVirtualClusterOutput is CreateVirtualClusterResponse.
type CreateVirtualClusterOutput struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Arn  string `json:"arn"`
}

// CreateVirtualCluster creates a virtual cluster (the same one again for a repeated client token).
func (s *Service) CreateVirtualCluster(ctx context.Context, in CreateVirtualClusterInput) (CreateVirtualClusterOutput, error) {
	if err := checkName("name", in.Name, true); err != nil {
		return CreateVirtualClusterOutput{}, err
	}
	if err := checkClientToken(in.ClientToken); err != nil {
		return CreateVirtualClusterOutput{}, err
	}
	cp := in.ContainerProvider
	if cp == nil {
		return CreateVirtualClusterOutput{}, validationf("containerProvider is required")
	}
	if cp.Type != "EKS" {
		return CreateVirtualClusterOutput{}, validationf("containerProvider.type must be EKS, got %q", cp.Type)
	}
	if len(cp.ID) > 100 || !clusterIDRE.MatchString(cp.ID) {
		return CreateVirtualClusterOutput{}, validationf("containerProvider.id %q is not a valid cluster id", cp.ID)
	}
	if cp.Info != nil && cp.Info.EksInfo != nil && cp.Info.EksInfo.Namespace != "" {
		if ns := cp.Info.EksInfo.Namespace; len(ns) > 63 || !namespaceRE.MatchString(ns) {
			return CreateVirtualClusterOutput{}, validationf("namespace %q is not a valid Kubernetes namespace", ns)
		}
	}
	if err := checkTags(in.Tags); err != nil {
		return CreateVirtualClusterOutput{}, err
	}
	var vc VirtualCluster
	err := s.inTx(ctx, func(tx db) error {
		id, err := idByToken(ctx, tx, kindVC, "", in.ClientToken)
		if err != nil {
			return internal(err)
		}
		if id != "" {
			_, _, err := getResource(ctx, tx, kindVC, id, &vc)
			return internal(err)
		}
		id = newVirtualClusterID()
		vc = VirtualCluster{ID: id, Name: in.Name, Arn: s.arns.virtualCluster(id), State: VCRunning, ContainerProvider: cp,
			CreatedAt: now().Truncate(time.Second), Tags: in.Tags, SecurityConfigurationID: in.SecurityConfigurationID}
		return internal(putResource(ctx, tx, row{kind: kindVC, id: id, name: vc.Name, state: vc.State, token: in.ClientToken, created: now(), doc: vc}))
	})
	return CreateVirtualClusterOutput{ID: vc.ID, Name: vc.Name, Arn: vc.Arn}, err
}

func (s *Service) getVC(ctx context.Context, q db, id string) (*VirtualCluster, error) {
	if err := checkID("virtualClusterId", id); err != nil {
		return nil, err
	}
	var vc VirtualCluster
	_, ok, err := getResource(ctx, q, kindVC, id, &vc)
	if err != nil {
		return nil, internal(err)
	}
	if !ok {
		return nil, notFoundf("Virtual cluster %s doesn't exist.", id)
	}
	return &vc, nil
}

// DescribeVirtualCluster returns one virtual cluster.
func (s *Service) DescribeVirtualCluster(ctx context.Context, id string) (*VirtualCluster, error) {
	return s.getVC(ctx, s.db, id)
}

// ListVirtualClustersInput is ListVirtualClustersRequest.
type ListVirtualClustersInput struct {
	ContainerProviderID, ContainerProviderType string
	CreatedAfter, CreatedBefore                time.Time
	States                                     []string
	MaxResults                                 int
	NextToken                                  string
}

// ListVirtualClusters lists virtual clusters, newest first.
func (s *Service) ListVirtualClusters(ctx context.Context, in ListVirtualClustersInput) ([]VirtualCluster, string, error) {
	f := listFilter{kind: kindVC, states: in.States, before: in.CreatedBefore, after: in.CreatedAfter, max: in.MaxResults, token: in.NextToken}
	if in.ContainerProviderID != "" || in.ContainerProviderType != "" {
		// Few virtual clusters exist: filter by provider in Go over every page.
		f.max = 1 << 30
	}
	docs, next, err := listResources(ctx, s.db, f)
	if err != nil {
		return nil, "", internal(err)
	}
	out := []VirtualCluster{}
	for _, d := range docs {
		var vc VirtualCluster
		if err := json.Unmarshal(d, &vc); err != nil {
			return nil, "", internal(err)
		}
		if cp := vc.ContainerProvider; (in.ContainerProviderID != "" && (cp == nil || cp.ID != in.ContainerProviderID)) ||
			(in.ContainerProviderType != "" && (cp == nil || cp.Type != in.ContainerProviderType)) {
			continue
		}
		out = append(out, vc)
	}
	if f.max == 1<<30 && in.MaxResults > 0 && len(out) > in.MaxResults {
		out = out[:in.MaxResults] // no token: provider filters return one page
	}
	return out, next, nil
}

// DeleteVirtualCluster terminates a virtual cluster (it stays listed as TERMINATED).
func (s *Service) DeleteVirtualCluster(ctx context.Context, id string) (string, error) {
	err := s.inTx(ctx, func(tx db) error {
		vc, err := s.getVC(ctx, tx, id)
		if err != nil {
			return err
		}
		vc.State = VCTerminated
		return internal(putResource(ctx, tx, row{kind: kindVC, id: id, name: vc.Name, state: vc.State, created: vc.CreatedAt, doc: vc}))
	})
	return id, err
}

// ---- job templates ----

// CreateJobTemplateInput is CreateJobTemplateRequest.
type CreateJobTemplateInput struct {
	Name            string            `json:"name"`
	ClientToken     string            `json:"clientToken"`
	JobTemplateData *JobTemplateData  `json:"jobTemplateData"`
	Tags            map[string]string `json:"tags,omitempty"`
	KmsKeyArn       string            `json:"kmsKeyArn,omitempty"`
}

// CreateJobTemplateOutput is CreateJobTemplateResponse.
type CreateJobTemplateOutput struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Arn       string    `json:"arn"`
	CreatedAt time.Time `json:"createdAt"`
}

// CreateJobTemplate stores a job template.
func (s *Service) CreateJobTemplate(ctx context.Context, in CreateJobTemplateInput) (CreateJobTemplateOutput, error) {
	if err := checkName("name", in.Name, true); err != nil {
		return CreateJobTemplateOutput{}, err
	}
	if err := checkClientToken(in.ClientToken); err != nil {
		return CreateJobTemplateOutput{}, err
	}
	d := in.JobTemplateData
	if d == nil {
		return CreateJobTemplateOutput{}, validationf("jobTemplateData is required")
	}
	if d.ExecutionRoleArn == "" || d.ReleaseLabel == "" || d.JobDriver == nil {
		return CreateJobTemplateOutput{}, validationf("jobTemplateData needs executionRoleArn, releaseLabel and jobDriver")
	}
	for name, pc := range d.ParameterConfiguration {
		if !templateParamRE.MatchString(name) {
			return CreateJobTemplateOutput{}, validationf("template parameter name %q is invalid", name)
		}
		if pc.Type != "" && pc.Type != "STRING" && pc.Type != "NUMBER" {
			return CreateJobTemplateOutput{}, validationf("template parameter %s: type must be STRING or NUMBER", name)
		}
	}
	if err := checkTags(in.Tags); err != nil {
		return CreateJobTemplateOutput{}, err
	}
	var t JobTemplate
	err := s.inTx(ctx, func(tx db) error {
		id, err := idByToken(ctx, tx, kindTemplate, "", in.ClientToken)
		if err != nil {
			return internal(err)
		}
		if id != "" {
			_, _, err := getResource(ctx, tx, kindTemplate, id, &t)
			return internal(err)
		}
		id = newTemplateID()
		t = JobTemplate{Name: in.Name, ID: id, Arn: s.arns.jobTemplate(id), CreatedAt: now().Truncate(time.Second),
			CreatedBy: s.identity(ctx), Tags: in.Tags, JobTemplateData: d, KmsKeyArn: in.KmsKeyArn}
		return internal(putResource(ctx, tx, row{kind: kindTemplate, id: id, name: t.Name, token: in.ClientToken, created: now(), doc: t}))
	})
	return CreateJobTemplateOutput{ID: t.ID, Name: t.Name, Arn: t.Arn, CreatedAt: t.CreatedAt}, err
}

func (s *Service) getTemplate(ctx context.Context, q db, id string) (*JobTemplate, error) {
	if err := checkID("templateId", id); err != nil {
		return nil, err
	}
	var t JobTemplate
	_, ok, err := getResource(ctx, q, kindTemplate, id, &t)
	if err != nil {
		return nil, internal(err)
	}
	if !ok {
		return nil, notFoundf("Job template %s doesn't exist.", id)
	}
	return &t, nil
}

// DescribeJobTemplate returns one job template.
func (s *Service) DescribeJobTemplate(ctx context.Context, id string) (*JobTemplate, error) {
	return s.getTemplate(ctx, s.db, id)
}

// ListJobTemplatesInput is ListJobTemplatesRequest.
type ListJobTemplatesInput struct {
	CreatedAfter, CreatedBefore time.Time
	MaxResults                  int
	NextToken                   string
}

// ListJobTemplates lists job templates, newest first.
func (s *Service) ListJobTemplates(ctx context.Context, in ListJobTemplatesInput) ([]JobTemplate, string, error) {
	docs, next, err := listResources(ctx, s.db, listFilter{kind: kindTemplate, before: in.CreatedBefore, after: in.CreatedAfter, max: in.MaxResults, token: in.NextToken})
	if err != nil {
		return nil, "", internal(err)
	}
	out := []JobTemplate{}
	for _, d := range docs {
		var t JobTemplate
		if err := json.Unmarshal(d, &t); err != nil {
			return nil, "", internal(err)
		}
		out = append(out, t)
	}
	return out, next, nil
}

// DeleteJobTemplate deletes a job template.
func (s *Service) DeleteJobTemplate(ctx context.Context, id string) (string, error) {
	err := s.inTx(ctx, func(tx db) error {
		if _, err := s.getTemplate(ctx, tx, id); err != nil {
			return err
		}
		return internal(deleteResource(ctx, tx, kindTemplate, id))
	})
	return id, err
}

// ---- tags ----

// taggable loads the resource an ARN names, applies f to its tags and stores it.
func (s *Service) withTags(ctx context.Context, arn string, write bool, f func(tags map[string]string) map[string]string) (map[string]string, error) {
	ref, err := parseARN(arn)
	if err != nil {
		return nil, err
	}
	var out map[string]string
	err = s.inTx(ctx, func(tx db) error {
		switch ref.kind {
		case "virtualcluster":
			vc, err := s.getVC(ctx, tx, ref.id)
			if err != nil {
				return err
			}
			vc.Tags = f(maps.Clone(vc.Tags))
			out = vc.Tags
			if write {
				return internal(putResource(ctx, tx, row{kind: kindVC, id: vc.ID, name: vc.Name, state: vc.State, doc: vc}))
			}
		case "jobrun":
			j, qa, err := s.getJob(ctx, tx, ref.vc, ref.id)
			if err != nil {
				return err
			}
			j.Tags = f(maps.Clone(j.Tags))
			out = j.Tags
			if write {
				return s.saveJob(ctx, tx, j, qa)
			}
		case "jobtemplate":
			t, err := s.getTemplate(ctx, tx, ref.id)
			if err != nil {
				return err
			}
			t.Tags = f(maps.Clone(t.Tags))
			out = t.Tags
			if write {
				return internal(putResource(ctx, tx, row{kind: kindTemplate, id: t.ID, name: t.Name, doc: t}))
			}
		}
		return nil
	})
	if out == nil {
		out = map[string]string{}
	}
	return out, err
}

// TagResource adds or replaces tags.
func (s *Service) TagResource(ctx context.Context, arn string, tags map[string]string) error {
	if len(tags) == 0 {
		return validationf("tags must not be empty")
	}
	var terr error
	_, err := s.withTags(ctx, arn, true, func(cur map[string]string) map[string]string {
		if cur == nil {
			cur = map[string]string{}
		}
		maps.Copy(cur, tags)
		terr = checkTags(cur)
		return cur
	})
	if err == nil {
		err = terr
	}
	return err
}

// UntagResource removes tags.
func (s *Service) UntagResource(ctx context.Context, arn string, keys []string) error {
	_, err := s.withTags(ctx, arn, true, func(cur map[string]string) map[string]string {
		for _, k := range keys {
			delete(cur, k)
		}
		return cur
	})
	return err
}

// ListTagsForResource returns a resource's tags.
func (s *Service) ListTagsForResource(ctx context.Context, arn string) (map[string]string, error) {
	return s.withTags(ctx, arn, false, func(cur map[string]string) map[string]string { return cur })
}

// jobDir is where a job's attempts live.
func (s *Service) jobDir(id string) string { return filepath.Join(s.cfg.DataDir, "jobs", id) }

// attemptID is the container id of an attempt, as in log paths (EMR's driver pod name for the first).
func attemptID(jobID string, n int) string {
	if n == 1 {
		return "spark-" + jobID + "-driver"
	}
	return fmt.Sprintf("spark-%s-driver-%d", jobID, n)
}

// truncate cuts s to n runes (stateDetails is String256).
func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}
