package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/waggle-dev/waggle/api"
	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/catalog/sqlstore"
	"github.com/waggle-dev/waggle/config"
	"github.com/waggle-dev/waggle/jobs"
)

// waggleBin is the waggle binary built once for the tests: job attempts run it as a process.
var waggleBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "waggle-web-bin-")
	if err != nil {
		panic(err)
	}
	waggleBin = filepath.Join(dir, "waggle")
	build := exec.Command("go", "build", "-o", waggleBin, "../cmd/waggle")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		panic("build waggle: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is a job service, a metastore, and the UI plus the job API on one loopback server.
type env struct {
	svc  *jobs.Service
	cat  catalog.Catalog
	web  *Server
	srv  *httptest.Server
	url  string
	vc   string
	home string
}

func quietLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	ctx := context.Background()
	home := tb.TempDir()
	conf := map[string]string{
		config.WaggleHome:    home,
		config.ConnectionURL: "jdbc:sqlite:" + filepath.Join(home, "metastore.db"),
		config.Warehouse:     "file://" + filepath.Join(home, "warehouse"),
	}
	log := quietLog()
	seedDir, _ := filepath.Abs("../examples/seed")
	svc, err := jobs.Open(ctx, jobs.Config{DataDir: filepath.Join(home, "server"), Conf: conf, MaxConcurrent: 3, LocalRoots: []string{home, seedDir},
		Runner: &jobs.LocalRunner{Executable: waggleBin, Grace: time.Second, Logger: log}, Logger: log})
	if err != nil {
		tb.Fatal(err)
	}
	if err := svc.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { svc.Close(context.Background()) })
	cat, err := sqlstore.OpenURL(ctx, sqlstore.URLOptions{URL: conf[config.ConnectionURL], Warehouse: conf[config.Warehouse], AutoUpgrade: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cat.Close() })
	w, err := New(Options{Jobs: svc, Catalog: cat, Logger: log, PollInterval: 200 * time.Millisecond})
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Register(mux)
	mux.Handle("/", api.New(svc, nil, log)) // the job API takes everything else, as in `waggle server`
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	e := &env{svc: svc, cat: cat, web: w, srv: srv, url: srv.URL, home: home}
	out, err := svc.CreateVirtualCluster(ctx, jobs.CreateVirtualClusterInput{Name: "dev", ClientToken: token(),
		ContainerProvider: &jobs.ContainerProvider{Type: "EKS", ID: "local"}})
	if err != nil {
		tb.Fatal(err)
	}
	e.vc = out.ID
	return e
}

func token() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// script writes a script file under the env's home and returns its path.
func (e *env) script(tb testing.TB, name, text string) string {
	tb.Helper()
	p := filepath.Join(e.home, "scripts", name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// startJob submits a job through the job API (StartJobRun over HTTP) and returns its id.
func (e *env) startJob(tb testing.TB, name, entry, params string, co *jobs.ConfigurationOverrides) string {
	tb.Helper()
	in := jobs.StartJobRunInput{Name: name, ClientToken: token(), ExecutionRoleArn: "arn:aws:iam::000000000000:role/waggle-test",
		ReleaseLabel: "emr-6.15.0-latest", ConfigurationOverrides: co,
		JobDriver: &jobs.JobDriver{SparkSQLJobDriver: &jobs.SparkSQLJobDriver{EntryPoint: entry, SparkSQLParameters: params}}}
	body, _ := json.Marshal(in)
	resp, err := http.Post(e.url+"/virtualclusters/"+e.vc+"/jobruns", "application/json", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("StartJobRun: %s: %s", resp.Status, data)
	}
	var out jobs.StartJobRunOutput
	if err := json.Unmarshal(data, &out); err != nil {
		tb.Fatal(err)
	}
	return out.ID
}

// wait polls a job until its state is one of states.
func (e *env) wait(tb testing.TB, id string, timeout time.Duration, states ...string) *jobs.JobRun {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		j, err := e.svc.DescribeJobRun(context.Background(), e.vc, id)
		if err != nil {
			tb.Fatal(err)
		}
		for _, s := range states {
			if j.State == s {
				return j
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("job %s is %s after %s, want %v (%s)", id, j.State, timeout, states, j.StateDetails)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// get fetches a path of the server and returns the status and body.
func (e *env) get(tb testing.TB, path string) (int, string) {
	tb.Helper()
	resp, err := http.Get(e.url + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// seedScript is the repository's local copy of the seed job with its kv1.txt path made absolute (a job runs
// in its own work directory). It returns the script path and its parameters.
func (e *env) seedScript(tb testing.TB) (string, string) {
	tb.Helper()
	src, err := os.ReadFile("../examples/seed/set-of-hive-queries.sql")
	if err != nil {
		tb.Fatal(err)
	}
	kv1, _ := filepath.Abs("../examples/seed/kv1.txt")
	data, _ := filepath.Abs("../examples/seed/data")
	text := strings.Replace(string(src), "'examples/seed/kv1.txt'", "'"+kv1+"'", 1)
	if text == string(src) {
		tb.Fatal("seed script: the kv1.txt path was not found")
	}
	return e.script(tb, "set-of-hive-queries.sql", text), "--hivevar Key_ID=238 --hivevar DataRoot=" + data
}

// seedConf is the seed job's configuration overrides: a secret, a plain setting, and a log URI.
func seedConf(home string) *jobs.ConfigurationOverrides {
	return &jobs.ConfigurationOverrides{
		ApplicationConfiguration: []jobs.Configuration{{Classification: "hive-site", Properties: map[string]string{
			"example.service.secret":              "SUPERSECRETVALUE",
			"javax.jdo.option.ConnectionPassword": "hunter2",
			"hive.exec.dynamic.partition":         "true",
		}}},
		MonitoringConfiguration: &jobs.MonitoringConfiguration{S3MonitoringConfiguration: &jobs.S3MonitoringConfiguration{LogURI: "file://" + filepath.Join(home, "joblogs")}},
	}
}
