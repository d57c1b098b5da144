package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/waggle-dev/waggle/examples/seed/toydata"
	"github.com/waggle-dev/waggle/storage"
)

// testServer is a `waggle server` child process on loopback.
type testServer struct {
	URL  string
	cmd  *exec.Cmd
	log  *bytes.Buffer
	home string
	args []string
	port int
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startServer runs `waggle server --insecure-no-auth` with WAGGLE_HOME=home and waits until it answers.
func startServer(t *testing.T, home string, args ...string) *testServer {
	t.Helper()
	s := &testServer{home: home, args: args, port: freePort(t)}
	s.start(t)
	t.Cleanup(func() { s.stop() })
	return s
}

func (s *testServer) start(t *testing.T) {
	t.Helper()
	s.URL = fmt.Sprintf("http://127.0.0.1:%d", s.port)
	s.log = &bytes.Buffer{}
	s.cmd = exec.Command(waggleBin, append([]string{"server", "--insecure-no-auth", "--port", fmt.Sprint(s.port), "--metastore-port", "0"}, s.args...)...)
	s.cmd.Env = append(os.Environ(), "WAGGLE_HOME="+s.home)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		resp, err := http.Get(s.URL + "/virtualclusters")
		if err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not start:\n%s", s.log)
}

func (s *testServer) stop() {
	if s.cmd != nil && s.cmd.ProcessState == nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		s.cmd.Wait()
	}
}

// kill9 kills the server the hard way.
func (s *testServer) kill9() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// getJSON GETs an API path into v.
func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v: %s", url, err, body)
	}
}

// awsCLI runs the real AWS CLI (Debian's awscli at /usr/bin/aws) with throwaway credentials.
type awsCLI struct {
	bin string
	env []string
}

func newAWSCLI(t *testing.T) *awsCLI {
	t.Helper()
	bin := "/usr/bin/aws"
	if _, err := os.Stat(bin); err != nil {
		t.Skip("the AWS CLI is not installed at /usr/bin/aws (Debian package awscli; CI installs it)")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	if err := os.WriteFile(cfg, []byte("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "HOME="+dir, "AWS_CONFIG_FILE="+cfg, "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"),
		"AWS_ACCESS_KEY_ID=AKIDWAGGLETEST", "AWS_SECRET_ACCESS_KEY=waggle-test-secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_REGION=us-east-1", "AWS_PAGER=")
	return &awsCLI{bin: bin, env: env}
}

// run runs aws with args and returns stdout; a failure fails the test.
func (a *awsCLI) run(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := a.try(args...)
	if err != nil {
		t.Fatalf("aws %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

func (a *awsCLI) try(args ...string) (string, string, error) {
	cmd := exec.Command(a.bin, args...)
	cmd.Env = a.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// s3Endpoint returns the fs.s3a.endpoint of a startS3 configuration.
func s3Endpoint(conf []string) string {
	for _, kv := range conf {
		if v, ok := strings.CutPrefix(kv, "fs.s3a.endpoint="); ok {
			return v
		}
	}
	return ""
}

type jobRunDoc struct {
	ID, Name, State, StateDetails, FailureReason, VirtualClusterID, Arn string
}

// waitState polls describe-job-run until the job reaches one of the states.
func (a *awsCLI) waitState(t *testing.T, ep, vc, id string, timeout time.Duration, states ...string) jobRunDoc {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var d struct{ JobRun jobRunDoc }
		out := a.run(t, "emr-containers", "describe-job-run", "--endpoint-url", ep, "--virtual-cluster-id", vc, "--id", id)
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatalf("describe-job-run: %v: %s", err, out)
		}
		for _, s := range states {
			if d.JobRun.State == s {
				return d.JobRun
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still %s after %s (%s)", id, d.JobRun.State, timeout, d.JobRun.StateDetails)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestAWSCLISeedJob runs the seed's submission with the real AWS CLI against `waggle server`: the seed
// script and toy data uploaded with `aws s3 cp` to an S3 server on loopback, start-job-run verbatim apart
// from --endpoint-url, then the job's state, list filters, statements, and stdout.gz under logUri; then a
// cancelled long job and a failing one.
func TestAWSCLISeedJob(t *testing.T) {
	placeSeedKV1(t)
	aws := newAWSCLI(t)
	ctx := context.Background()
	s3conf := startS3(t, "seed-bucket")
	s3ep := s3Endpoint(s3conf)

	// Upload the seed script (unchanged) and the toy data with the AWS CLI.
	aws.run(t, "s3", "cp", "--endpoint-url", s3ep, "../../../shared/seed/set-of-hive-queries.sql", "s3://seed-bucket/app_code/job/set-of-hive-queries.sql")
	toy := t.TempDir()
	rows, err := toydata.Write(ctx, toy, 3, 50)
	if err != nil {
		t.Fatal(err)
	}
	aws.run(t, "s3", "cp", "--endpoint-url", s3ep, "--recursive", toy, "s3://seed-bucket/app_code/data/toy/")

	args := []string{"--conf", "waggle.jobs.local.roots=" + filepath.Dir(seedKV1)}
	for _, kv := range s3conf {
		args = append(args, "--conf", "spark.hadoop."+kv)
	}
	srv := startServer(t, t.TempDir(), args...)
	ep := srv.URL

	var vc struct{ ID, Name, Arn string }
	out := aws.run(t, "emr-containers", "create-virtual-cluster", "--endpoint-url", ep, "--name", "hive-emr-on-eks",
		"--container-provider", `{"id": "eks-cluster", "type": "EKS", "info": {"eksInfo": {"namespace": "emr"}}}`)
	if err := json.Unmarshal([]byte(out), &vc); err != nil || len(vc.ID) != 25 || !strings.HasSuffix(vc.Arn, "/virtualclusters/"+vc.ID) {
		t.Fatalf("create-virtual-cluster: %v %s", err, out)
	}

	// The seed's submit command, verbatim apart from --endpoint-url.
	S3BUCKET, VIRTUAL_CLUSTER_ID, EMR_ROLE_ARN := "seed-bucket", vc.ID, "arn:aws:iam::123456789012:role/EMRContainers-JobExecutionRole"
	out = aws.run(t, "emr-containers", "start-job-run", "--endpoint-url", ep,
		"--virtual-cluster-id", VIRTUAL_CLUSTER_ID, "--name", "sparksql-test",
		"--execution-role-arn", EMR_ROLE_ARN, "--release-label", "emr-6.8.0-latest",
		"--job-driver", `{"sparkSqlJobDriver": {
      "entryPoint": "s3://`+S3BUCKET+`/app_code/job/set-of-hive-queries.sql",
      "sparkSqlParameters": "-hivevar S3Bucket=`+S3BUCKET+` -hivevar Key_ID=238"}}`,
		"--configuration-overrides", `{
    "applicationConfiguration": [{"classification": "spark-defaults",
      "properties": {"spark.sql.warehouse.dir": "s3://`+S3BUCKET+`/warehouse/",
                     "spark.hive.metastore.uris": "thrift://hive-metastore:9083"}}],
    "monitoringConfiguration": {"s3MonitoringConfiguration":
      {"logUri": "s3://`+S3BUCKET+`/elasticmapreduce/emr-containers"}}}`)
	var started jobRunDoc
	if err := json.Unmarshal([]byte(out), &started); err != nil || len(started.ID) != 19 || started.VirtualClusterID != vc.ID || started.Name != "sparksql-test" {
		t.Fatalf("start-job-run: %v %s", err, out)
	}
	job := aws.waitState(t, ep, vc.ID, started.ID, 2*time.Minute, "COMPLETED", "FAILED", "CANCELLED")
	if job.State != "COMPLETED" {
		t.Fatalf("seed job %s: %s\nserver log:\n%s", job.State, job.StateDetails, srv.log)
	}
	if !strings.HasPrefix(job.StateDetails, "JobRun completed successfully") {
		t.Errorf("stateDetails = %q", job.StateDetails)
	}

	out = aws.run(t, "emr-containers", "list-job-runs", "--endpoint-url", ep, "--virtual-cluster-id", vc.ID, "--states", "COMPLETED")
	var list struct{ JobRuns []jobRunDoc }
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.JobRuns) != 1 || list.JobRuns[0].ID != started.ID {
		t.Fatalf("list-job-runs --states COMPLETED: %v %s", err, out)
	}
	out = aws.run(t, "emr-containers", "list-job-runs", "--endpoint-url", ep, "--virtual-cluster-id", vc.ID, "--states", "FAILED", "RUNNING")
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.JobRuns) != 0 {
		t.Fatalf("list-job-runs --states FAILED RUNNING: %v %s", err, out)
	}

	// The statements resource: every statement of the script, completed, with rows for the queries.
	var st struct {
		Statements []struct {
			Index, Line int
			Text        string
			Status      string
			Rows        int64
			DurationMs  int64
		}
	}
	getJSON(t, ep+"/virtualclusters/"+vc.ID+"/jobruns/"+started.ID+"/statements", &st)
	if len(st.Statements) < 10 {
		t.Fatalf("statements: %+v", st)
	}
	last := st.Statements[len(st.Statements)-1]
	for _, s := range st.Statements {
		if s.Status != "COMPLETED" {
			t.Errorf("statement %d (line %d) %s", s.Index, s.Line, s.Status)
		}
	}
	if last.Rows != 1 || !strings.Contains(strings.ToLower(last.Text), "count") {
		t.Errorf("last statement: %+v", last)
	}

	// stdout.gz under logUri has the seed's rows.
	cfg := map[string]string{}
	for _, kv := range s3conf {
		k, v, _ := strings.Cut(kv, "=")
		cfg[k] = v
	}
	sto, err := storage.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	logPath := "s3://seed-bucket/elasticmapreduce/emr-containers/" + vc.ID + "/jobs/" + started.ID + "/containers/spark-" + started.ID + "-driver/stdout.gz"
	rc, err := sto.Open(ctx, logPath)
	if err != nil {
		t.Fatalf("open %s: %v", logPath, err)
	}
	zr, err := gzip.NewReader(rc)
	if err != nil {
		t.Fatal(err)
	}
	stdout, _ := io.ReadAll(zr)
	rc.Close()
	want := strings.Join([]string{
		"238\tval_238", "238\tval_238",
		"238\tval_238\tNULL", "238\tval_238\tNULL", "238\tval_238\t[1,3]", "238\tval_238\t[2,3]",
		"238\tval_238\t1", "238\tval_238\t3", "238\tval_238\t2", "238\tval_238\t3",
		"238\tval_238\tNULL", "238\tval_238\tNULL", "238\tval_238\t[1,3]", "238\tval_238\t[2,3]",
		fmt.Sprint(rows),
	}, "\n") + "\n"
	if string(stdout) != want {
		t.Fatalf("stdout.gz:\n%s\nwant:\n%s", stdout, want)
	}
	if _, err := sto.Stat(ctx, strings.TrimSuffix(logPath, "stdout.gz")+"stderr.gz"); err != nil {
		t.Errorf("stderr.gz: %v", err)
	}

	// A long job, cancelled while it runs: CANCELLED within seconds.
	long := filepath.Join(t.TempDir(), "long.sql")
	os.WriteFile(long, []byte(longSQL), 0o644)
	aws.run(t, "s3", "cp", "--endpoint-url", s3ep, long, "s3://seed-bucket/app_code/job/long.sql")
	out = aws.run(t, "emr-containers", "start-job-run", "--endpoint-url", ep, "--virtual-cluster-id", vc.ID, "--name", "long",
		"--execution-role-arn", EMR_ROLE_ARN, "--release-label", "emr-6.8.0-latest",
		"--job-driver", `{"sparkSqlJobDriver": {"entryPoint": "s3://seed-bucket/app_code/job/long.sql"}}`)
	var longJob jobRunDoc
	json.Unmarshal([]byte(out), &longJob)
	aws.waitState(t, ep, vc.ID, longJob.ID, time.Minute, "RUNNING")
	time.Sleep(500 * time.Millisecond)
	t0 := time.Now()
	out = aws.run(t, "emr-containers", "cancel-job-run", "--endpoint-url", ep, "--virtual-cluster-id", vc.ID, "--id", longJob.ID)
	if !strings.Contains(out, longJob.ID) {
		t.Fatalf("cancel-job-run: %s", out)
	}
	cj := aws.waitState(t, ep, vc.ID, longJob.ID, 15*time.Second, "CANCELLED", "COMPLETED", "FAILED")
	if cj.State != "CANCELLED" {
		t.Fatalf("cancelled job ended %s: %s", cj.State, cj.StateDetails)
	}
	t.Logf("cancel → CANCELLED in %s", time.Since(t0).Round(time.Millisecond))

	// A failing script: FAILED, USER_ERROR, the failing statement in stateDetails.
	bad := filepath.Join(t.TempDir(), "bad.sql")
	os.WriteFile(bad, []byte("-- a bad job\nselect 1;\nselect * from no_such_table;\nselect 2;\n"), 0o644)
	aws.run(t, "s3", "cp", "--endpoint-url", s3ep, bad, "s3://seed-bucket/app_code/job/bad.sql")
	out = aws.run(t, "emr-containers", "start-job-run", "--endpoint-url", ep, "--virtual-cluster-id", vc.ID, "--name", "bad",
		"--execution-role-arn", EMR_ROLE_ARN, "--release-label", "emr-6.8.0-latest",
		"--job-driver", `{"sparkSqlJobDriver": {"entryPoint": "s3://seed-bucket/app_code/job/bad.sql"}}`)
	var badJob jobRunDoc
	json.Unmarshal([]byte(out), &badJob)
	bj := aws.waitState(t, ep, vc.ID, badJob.ID, time.Minute, "COMPLETED", "FAILED", "CANCELLED")
	if bj.State != "FAILED" || bj.FailureReason != "USER_ERROR" || !strings.Contains(bj.StateDetails, "Statement 2") ||
		!strings.Contains(bj.StateDetails, "bad.sql:3") || !strings.Contains(bj.StateDetails, "no_such_table") {
		t.Fatalf("failing job: %+v", bj)
	}

	// Errors as the CLI reports them.
	_, errOut, err := aws.try("emr-containers", "describe-job-run", "--endpoint-url", ep, "--virtual-cluster-id", vc.ID, "--id", "0000000300000000000")
	if err == nil || !strings.Contains(errOut, "ResourceNotFoundException") {
		t.Fatalf("describe of a missing job: %v %s", err, errOut)
	}
	_, errOut, err = aws.try("emr-containers", "start-job-run", "--endpoint-url", ep, "--virtual-cluster-id", vc.ID, "--name", "jar",
		"--execution-role-arn", EMR_ROLE_ARN, "--release-label", "emr-6.8.0-latest",
		"--job-driver", `{"sparkSubmitJobDriver": {"entryPoint": "s3://seed-bucket/app.jar"}}`)
	if err == nil || !strings.Contains(errOut, "ValidationException") || !strings.Contains(errOut, "not a SQL script") {
		t.Fatalf("jar entry point: %v %s", err, errOut)
	}
}

// longSQL runs for about a minute (a 4·10^8-row cross join).
const longSQL = `select sum(a.p * b.q)
from (select p from (select 1 as x) t lateral view posexplode(split(repeat('a ', 20000), ' ')) e as p, v) a
cross join (select p as q from (select 1 as x) t lateral view posexplode(split(repeat('a ', 20000), ' ')) e as p, v) b;
`
