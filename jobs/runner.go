package jobs

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/waggle-dev/waggle/jobevent"
)

// AttemptSpec is everything one attempt of a job needs, independent of where it runs.
type AttemptSpec struct {
	JobID     string
	AttemptID string // container id in log paths
	Number    int
	Dir       string // the attempt's own directory (work/, tmp/, conf/ live here)
	WorkDir   string // the child's working directory; the entry point is downloaded here
	Script    string // local path of the entry point script
	HiveVars  [][2]string
	Conf      map[string]string // the job's complete configuration
	Memory    int64             // bytes; the OS-level limit of the child (0: none)
	Database  string
	Silent    bool
	Verbose   bool
	Notes     []string // written at the top of stderr
	Stdout    string   // where the child's stdout goes
	Stderr    string   // where the child's stderr goes

	// Placement, set by the service from the job run and its virtual cluster (never from the job's own
	// configuration, so a job cannot pick another namespace or identity).
	VirtualClusterID string
	Namespace        string // the virtual cluster's containerProvider.info.eksInfo.namespace ("" when none)
	ExecutionRoleArn string // the job run's executionRoleArn

	// OnState, when set, receives the runner's progress: StateSubmitted when the attempt was handed to
	// its platform (a Kubernetes Job created or re-adopted), StateRunning when the job's process runs.
	// The service keeps the job run SUBMITTED until StateRunning; terminal states come from Run's Outcome.
	OnState func(state, details string)
}

// ErrServerStopping is the cause (context.Cause) of an attempt's context when the server stops rather
// than the user cancelling: a runner whose attempts outlive the server (Kubernetes) leaves them running
// for the next server to re-adopt; the local runner stops its process either way.
var ErrServerStopping = errors.New("jobs: the server is stopping")

// Adopter is a Runner whose attempts survive a server restart. Active lists the attempts that still exist
// on the runner's platform: job run id → attempt number. At startup the service re-queues such an
// attempt (the same number) instead of failing it; running the same spec again re-attaches to it.
type Adopter interface {
	Active(ctx context.Context) (map[string]int, error)
}

// RunArgs is the `waggle run` command line of the attempt for the given script path: the job's
// variables, database and output flags. Every runner starts the engine with it (adding its own
// --events channel).
func (spec AttemptSpec) RunArgs(script string) []string {
	args := []string{"run", script}
	for _, kv := range spec.HiveVars {
		args = append(args, "--hivevar", kv[0]+"="+kv[1])
	}
	if spec.Database != "" {
		args = append(args, "--database", spec.Database)
	}
	if spec.Silent {
		args = append(args, "-S")
	}
	if spec.Verbose {
		args = append(args, "-v")
	}
	return args
}

// Outcome is how an attempt ended.
type Outcome struct {
	ExitCode  int             // -1 when killed by a signal
	Signal    string          // the signal that killed the process, if any
	End       *jobevent.Event // the "end" event; nil when the process died without writing it
	Cancelled bool            // the context was cancelled and the process was stopped
	// MemoryExceeded: the process went over its memory limit and was killed.
	MemoryExceeded bool
	PeakRSS        int64 // highest resident memory seen (bytes), when a limit is set
	// Reason is the platform's reason for the end, when it gives one: OutcomeOOMKilled, OutcomeDeadlineExceeded.
	Reason string
}

// Outcome reasons (Kubernetes' own words).
const (
	OutcomeOOMKilled        = "OOMKilled"        // the container went over its memory limit
	OutcomeDeadlineExceeded = "DeadlineExceeded" // the attempt ran longer than its deadline
)

// residentBytes returns the resident memory of a process (0 if it is gone).
func residentBytes(pid int) int64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// Runner runs one attempt of a job to its end, reporting each statement event as it arrives. The local
// process runner is one implementation; a Kubernetes runner (a pod per attempt) is another.
type Runner interface {
	Run(ctx context.Context, spec AttemptSpec, onEvent func(jobevent.Event)) (Outcome, error)
}

// LocalRunner runs each attempt as `waggle run` in its own process group, with its own work and temp dirs,
// a minimal environment, a memory limit (DuckDB's, plus a resident-memory watchdog) and the job's
// configuration in a private hive-site.xml (so no secret shows on a command line).
type LocalRunner struct {
	Executable string        // the waggle binary; default os.Executable()
	Grace      time.Duration // SIGTERM → SIGKILL delay on cancellation; default 3s
	Env        []string      // extra environment for the child (k=v); PATH, LANG, TZ pass through
	Logger     *slog.Logger
}

// passEnv are the server environment variables a child inherits.
var passEnv = []string{"PATH", "LANG", "LC_ALL", "TZ", "HOME"}

// writeHiveSite writes conf as a hive-site.xml (mode 0600).
func writeHiveSite(path string, conf map[string]string) error {
	type prop struct {
		Name  string `xml:"name"`
		Value string `xml:"value"`
	}
	site := struct {
		XMLName xml.Name `xml:"configuration"`
		Props   []prop   `xml:"property"`
	}{}
	keys := make([]string, 0, len(conf))
	for k := range conf {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		site.Props = append(site.Props, prop{k, conf[k]})
	}
	data, err := xml.MarshalIndent(site, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), data...), 0o600)
}

// Run implements Runner.
func (r *LocalRunner) Run(ctx context.Context, spec AttemptSpec, onEvent func(jobevent.Event)) (Outcome, error) {
	exe := r.Executable
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return Outcome{}, err
		}
	}
	grace := r.Grace
	if grace <= 0 {
		grace = 3 * time.Second
	}
	confDir, tmpDir := filepath.Join(spec.Dir, "conf"), filepath.Join(spec.Dir, "tmp")
	for _, d := range []string{confDir, tmpDir, spec.WorkDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return Outcome{}, err
		}
	}
	if err := writeHiveSite(filepath.Join(confDir, "hive-site.xml"), spec.Conf); err != nil {
		return Outcome{}, err
	}
	stdout, err := os.OpenFile(spec.Stdout, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return Outcome{}, err
	}
	defer stdout.Close()
	stderr, err := os.OpenFile(spec.Stderr, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return Outcome{}, err
	}
	defer stderr.Close()
	for _, n := range spec.Notes {
		fmt.Fprintln(stderr, "waggle:", n)
	}

	script := spec.Script
	if rel, err := filepath.Rel(spec.WorkDir, script); err == nil && !strings.HasPrefix(rel, "..") {
		script = rel // errors then name the script as the user wrote it: a.sql:3:1
	}
	args := append(spec.RunArgs(script), "--events", "/dev/fd/3")
	pr, pw, err := os.Pipe()
	if err != nil {
		return Outcome{}, err
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = spec.WorkDir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.ExtraFiles = []*os.File{pw}
	env := []string{"WAGGLE_CONF_DIR=" + confDir, "TMPDIR=" + tmpDir}
	for _, k := range passEnv {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	if home := spec.Conf["waggle.home"]; home != "" {
		env = append(env, "WAGGLE_HOME="+home)
	}
	cmd.Env = append(env, r.Env...)
	// Own process group (so cancellation reaches every descendant); killed if the server dies.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return Outcome{}, fmt.Errorf("start job process: %w", err)
	}
	pw.Close()
	pgid := cmd.Process.Pid
	if spec.OnState != nil {
		spec.OnState(StateRunning, fmt.Sprintf("process %d started", pgid))
	}

	var out Outcome
	events := make(chan struct{})
	go func() {
		defer close(events)
		rd := jobevent.NewReader(pr)
		for {
			e, err := rd.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if r.Logger != nil {
					r.Logger.Warn("job event", "job", spec.JobID, "err", err)
				}
				if !strings.Contains(err.Error(), "malformed") {
					return
				}
				continue
			}
			if e.Type == jobevent.TypeEnd {
				end := e
				out.End = &end
				continue
			}
			onEvent(e)
		}
	}()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()

	// The memory watchdog: like YARN's container monitor, it samples the child's resident memory and
	// kills the attempt over its limit (virtual-memory rlimits do not work for DuckDB, which reserves far
	// more address space than it touches).
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var werr error
wait:
	for {
		select {
		case werr = <-waited:
			break wait
		case <-tick.C:
			if spec.Memory <= 0 {
				continue
			}
			rss := residentBytes(pgid)
			out.PeakRSS = max(out.PeakRSS, rss)
			if rss > spec.Memory {
				out.MemoryExceeded = true
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
				werr = <-waited
				break wait
			}
		case <-ctx.Done():
			out.Cancelled = true
			_ = syscall.Kill(-pgid, syscall.SIGTERM)
			select {
			case werr = <-waited:
			case <-time.After(grace):
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
				werr = <-waited
			}
			break wait
		}
	}
	// Nothing of the attempt outlives it.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	select {
	case <-events:
	case <-time.After(5 * time.Second):
		pr.Close()
		<-events
	}
	pr.Close()
	out.ExitCode = 0
	if werr != nil {
		var ee *exec.ExitError
		if !errors.As(werr, &ee) {
			return out, werr
		}
		out.ExitCode = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			out.Signal = ws.Signal().String()
		}
	}
	return out, nil
}
