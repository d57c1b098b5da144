package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/waggle-dev/waggle/jobevent"
)

// pgDatabase creates a fresh database on the local PostgreSQL for one test and drops it afterwards.
func pgDatabase(t *testing.T) string {
	t.Helper()
	if os.Getenv("WAGGLE_TEST_NO_SERVERS") == "1" {
		t.Skip("WAGGLE_TEST_NO_SERVERS=1")
	}
	ctx := context.Background()
	admin := "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("local PostgreSQL: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "waggle_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		t.Fatal(err)
	}
	conn.Close(ctx)
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	return "postgres://postgres@127.0.0.1:5432/" + name + "?sslmode=disable"
}

// standIn is a runner shared by the test's services: a script containing "block" runs until its context
// ends; any other script reports one statement and completes after a short while. It counts the runs of
// each attempt, across services.
type standIn struct {
	mu   sync.Mutex
	runs map[string]int
}

func (r *standIn) Run(ctx context.Context, spec AttemptSpec, onEvent func(jobevent.Event)) (Outcome, error) {
	r.mu.Lock()
	if r.runs == nil {
		r.runs = map[string]int{}
	}
	r.runs[spec.AttemptID]++
	r.mu.Unlock()
	script, err := os.ReadFile(spec.Script)
	if err != nil {
		return Outcome{}, err
	}
	for _, f := range []string{spec.Stdout, spec.Stderr} {
		os.WriteFile(f, nil, 0o600)
	}
	spec.OnState(StateRunning, "running")
	start := time.Now().UTC()
	if strings.Contains(string(script), "block") {
		<-ctx.Done()
		return Outcome{ExitCode: -1, Signal: "killed", Cancelled: true}, nil
	}
	select {
	case <-ctx.Done():
		return Outcome{ExitCode: -1, Signal: "killed", Cancelled: true}, nil
	case <-time.After(50 * time.Millisecond):
	}
	onEvent(jobevent.Event{Type: jobevent.TypeStatement, Index: 0, Line: 1, Text: strings.TrimSpace(string(script)), Kind: "QUERY",
		Status: "COMPLETED", Start: start, End: time.Now().UTC(), Rows: 1})
	return Outcome{End: &jobevent.Event{Type: "end", Statements: 1}}, nil
}

func (r *standIn) count(attemptID string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runs[attemptID]
}

type pgEnv struct {
	t      *testing.T
	url    string
	runner *standIn
	dir    string
	vc     string
	quick  string // entry points
	block  string
}

func newPGEnv(t *testing.T) *pgEnv {
	e := &pgEnv{t: t, url: pgDatabase(t), runner: &standIn{}, dir: t.TempDir()}
	e.quick = filepath.Join(e.dir, "quick.sql")
	e.block = filepath.Join(e.dir, "block.sql")
	os.WriteFile(e.quick, []byte("SELECT 1;\n"), 0o600)
	os.WriteFile(e.block, []byte("SELECT 'block';\n"), 0o600)
	return e
}

// open opens (and starts) a service — a replica — on the test's database.
func (e *pgEnv) open(name string) *Service {
	e.t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: filepath.Join(e.dir, name), DatabaseURL: e.url, Runner: e.runner, MaxConcurrent: 4,
		HeartbeatInterval: 100 * time.Millisecond, ReplicaTimeout: time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		e.t.Fatalf("open %s: %v", name, err)
	}
	if err := s.Start(ctx); err != nil {
		e.t.Fatalf("start %s: %v", name, err)
	}
	e.t.Cleanup(func() { s.Close(context.Background()) }) // again after a test's own Close: harmless
	if e.vc == "" {
		out, err := s.CreateVirtualCluster(ctx, CreateVirtualClusterInput{Name: "vc", ClientToken: "vc-token",
			ContainerProvider: &ContainerProvider{Type: "EKS", ID: "cluster1"}})
		if err != nil {
			e.t.Fatal(err)
		}
		e.vc = out.ID
	}
	return s
}

func (e *pgEnv) submit(s *Service, token, entry string) string {
	e.t.Helper()
	out, err := s.StartJobRun(context.Background(), StartJobRunInput{VirtualClusterID: e.vc, Name: token, ClientToken: token,
		ExecutionRoleArn: "arn:aws:iam::000000000000:role/job", ReleaseLabel: "emr-6.15.0-latest",
		JobDriver: &JobDriver{SparkSQLJobDriver: &SparkSQLJobDriver{EntryPoint: "file://" + entry}}})
	if err != nil {
		e.t.Fatalf("start job run: %v", err)
	}
	return out.ID
}

func (e *pgEnv) wait(s *Service, id string, states ...string) *JobRun {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		j, err := s.DescribeJobRun(context.Background(), e.vc, id)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, st := range states {
			if j.State == st {
				return j
			}
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("job %s: state %s (%s), want %v", id, j.State, j.StateDetails, states)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestPGServiceRunsJobs(t *testing.T) {
	e := newPGEnv(t)
	s := e.open("a")
	ctx := context.Background()

	id := e.submit(s, "t1", e.quick)
	if again := e.submit(s, "t1", e.quick); again != id {
		t.Fatalf("repeated client token: %s, want %s", again, id)
	}
	j := e.wait(s, id, StateCompleted, StateFailed)
	if j.State != StateCompleted {
		t.Fatalf("state %s: %s", j.State, j.StateDetails)
	}
	sts, err := s.JobStatements(ctx, e.vc, id)
	if err != nil || len(sts) != 1 || sts[0].Status != "COMPLETED" || sts[0].Text != "SELECT 1;" {
		t.Fatalf("statements %+v, %v", sts, err)
	}
	as, err := s.JobAttempts(ctx, e.vc, id)
	if err != nil || len(as) != 1 || as[0].Replica != s.id || as[0].State != StateCompleted {
		t.Fatalf("attempts %+v, %v", as, err)
	}
	list, _, err := s.ListJobRuns(ctx, ListJobRunsInput{VirtualClusterID: e.vc, States: []string{StateCompleted}})
	if err != nil || len(list) != 1 || list[0].ID != id {
		t.Fatalf("list %+v, %v", list, err)
	}

	long := e.submit(s, "t2", e.block)
	e.wait(s, long, StateRunning)
	if _, err := s.CancelJobRun(ctx, e.vc, long); err != nil {
		t.Fatal(err)
	}
	e.wait(s, long, StateCancelled)
	if n := e.runner.count(attemptID(id, 1)); n != 1 {
		t.Fatalf("job ran %d times", n)
	}

	// Pages across the store's PostgreSQL SQL (placeholders, ordering, tokens).
	for i := range 5 {
		e.submit(s, fmt.Sprintf("p%d", i), e.quick)
	}
	seen := 0
	tok := ""
	for {
		page, next, err := s.ListJobRuns(ctx, ListJobRunsInput{VirtualClusterID: e.vc, MaxResults: 2, NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		seen += len(page)
		if next == "" {
			break
		}
		tok = next
	}
	if seen != 7 {
		t.Fatalf("paged %d job runs, want 7", seen)
	}
}

func TestPGTwoReplicasRunEachJobOnce(t *testing.T) {
	e := newPGEnv(t)
	a, b := e.open("a"), e.open("b")
	var ids []string
	for i := range 24 {
		s := a
		if i%2 == 1 {
			s = b
		}
		id := e.submit(s, fmt.Sprintf("job-%d", i), e.quick)
		ids = append(ids, id)
		// Duplicate queue jobs for the attempt (as restart recovery makes) through both replicas: the
		// transactional claim lets exactly one of them run it.
		for _, r := range []*Service{a, b, a, b} {
			if err := r.inTx(context.Background(), func(tx db) error { return r.enqueue(context.Background(), tx, id, 1) }); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The same client token through the other replica names the same job.
	if id := e.submit(b, "job-0", e.quick); id != ids[0] {
		t.Fatalf("client token across replicas: %s, want %s", id, ids[0])
	}
	by := map[string]int{}
	for _, id := range ids {
		j := e.wait(a, id, StateCompleted, StateFailed)
		if j.State != StateCompleted {
			t.Fatalf("job %s: %s %s", id, j.State, j.StateDetails)
		}
		if n := e.runner.count(attemptID(id, 1)); n != 1 {
			t.Fatalf("job %s ran %d times", id, n)
		}
		as, err := b.JobAttempts(context.Background(), e.vc, id)
		if err != nil || len(as) != 1 {
			t.Fatalf("attempts of %s: %+v %v", id, as, err)
		}
		by[as[0].Replica]++
	}
	if by[a.id] == 0 || by[b.id] == 0 || len(by) != 2 {
		t.Fatalf("jobs per replica: %v (a=%s b=%s)", by, a.id, b.id)
	}
}

func TestPGRecoveryLeavesLiveReplicas(t *testing.T) {
	e := newPGEnv(t)
	ctx := context.Background()
	a := e.open("a")
	live := e.submit(a, "live", e.block)
	e.wait(a, live, StateRunning)

	// Replica b runs a job, then dies: its attempt stays held, its heartbeat goes stale.
	b := e.open("b")
	var dead string
	for i := 0; ; i++ {
		// River hands the job to either replica; keep submitting until b holds one.
		id := e.submit(b, fmt.Sprintf("dead-%d", i), e.block)
		e.wait(b, id, StateRunning)
		as, _ := b.JobAttempts(ctx, e.vc, id)
		if len(as) == 1 && as[0].Replica == b.id {
			dead = id
			break
		}
		if _, err := b.CancelJobRun(ctx, e.vc, id); err != nil {
			t.Fatal(err)
		}
		if i > 20 {
			t.Fatal("replica b never ran a job")
		}
	}
	bid := b.id
	// Stop b's recovery loop first so that it doesn't race, then "crash" it (workers stopped as on a
	// server stop, attempts left held) and leave a stale heartbeat behind.
	if err := b.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB().ExecContext(ctx, `INSERT INTO waggle_replicas (id, heartbeat_ns) VALUES ($1, $2)`, bid, time.Now().Add(-time.Hour).UnixNano()); err != nil {
		t.Fatal(err)
	}

	// A new replica starts: its recovery (or a's periodic one) settles b's attempt, not a's.
	c := e.open("c")
	j := e.wait(c, dead, StateFailed)
	if j.FailureReason != ReasonInternal || !strings.Contains(j.StateDetails, "server stopped") {
		t.Fatalf("dead replica's job: %s %s %s", j.State, j.FailureReason, j.StateDetails)
	}
	// A few heartbeats and periodic recoveries later, a's attempt still runs, held by a.
	time.Sleep(1500 * time.Millisecond)
	j = e.wait(c, live, StateRunning)
	as, err := c.JobAttempts(ctx, e.vc, live)
	if err != nil || len(as) != 1 || as[0].Replica != a.id || as[0].State != StateRunning {
		t.Fatalf("live replica's attempt: %+v %v", as, err)
	}
	// Cancelled through c, stopped by a.
	if _, err := c.CancelJobRun(ctx, e.vc, live); err != nil {
		t.Fatal(err)
	}
	e.wait(c, live, StateCancelled)
	if n := e.runner.count(attemptID(live, 1)); n != 1 {
		t.Fatalf("live job ran %d times", n)
	}

	// A replica whose heartbeat stops is settled by the others' periodic recovery, without a restart.
	d := e.open("d")
	var orphan string
	for i := 0; ; i++ {
		id := e.submit(d, fmt.Sprintf("orphan-%d", i), e.block)
		e.wait(d, id, StateRunning)
		as, _ := d.JobAttempts(ctx, e.vc, id)
		if len(as) == 1 && as[0].Replica == d.id {
			orphan = id
			break
		}
		if _, err := d.CancelJobRun(ctx, e.vc, id); err != nil {
			t.Fatal(err)
		}
		if i > 20 {
			t.Fatal("replica d never ran a job")
		}
	}
	did := d.id
	if err := d.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB().ExecContext(ctx, `INSERT INTO waggle_replicas (id, heartbeat_ns) VALUES ($1, $2)`, did, time.Now().UnixNano()); err != nil {
		t.Fatal(err)
	}
	j = e.wait(a, orphan, StateFailed)
	if !strings.Contains(j.StateDetails, "server stopped") {
		t.Fatalf("orphaned job: %s %s", j.State, j.StateDetails)
	}
}
