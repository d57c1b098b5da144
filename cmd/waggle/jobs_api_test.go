package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers/types"
)

func sdkClient(url string) *emrcontainers.Client {
	return emrcontainers.New(emrcontainers.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Credentials: aws.AnonymousCredentials{}})
}

func writeScript(t *testing.T, name, sql string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(sql), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const testRole = "arn:aws:iam::123456789012:role/waggle-test"

func waitJob(t *testing.T, c *emrcontainers.Client, vc, id string, timeout time.Duration, states ...types.JobRunState) *types.JobRun {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		out, err := c.DescribeJobRun(context.Background(), &emrcontainers.DescribeJobRunInput{VirtualClusterId: aws.String(vc), Id: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range states {
			if out.JobRun.State == s {
				return out.JobRun
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still %s after %s: %s", id, out.JobRun.State, timeout, aws.ToString(out.JobRun.StateDetails))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var terminalStates = []types.JobRunState{types.JobRunStateCompleted, types.JobRunStateFailed, types.JobRunStateCancelled}

// TestEMRContainersSDK calls every operation with aws-sdk-go-v2's emrcontainers client.
func TestEMRContainersSDK(t *testing.T) {
	ctx := context.Background()
	srv := startServer(t, t.TempDir())
	c := sdkClient(srv.URL)

	cvc := &emrcontainers.CreateVirtualClusterInput{Name: aws.String("sdk"), ClientToken: aws.String("vc-token"),
		ContainerProvider: &types.ContainerProvider{Type: types.ContainerProviderTypeEks, Id: aws.String("eks-1"),
			Info: &types.ContainerInfoMemberEksInfo{Value: types.EksInfo{Namespace: aws.String("emr")}}},
		Tags: map[string]string{"team": "data"}}
	vc, err := c.CreateVirtualCluster(ctx, cvc)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.CreateVirtualCluster(ctx, cvc)
	if err != nil || aws.ToString(again.Id) != aws.ToString(vc.Id) {
		t.Fatalf("idempotent create-virtual-cluster: %v %v", err, again)
	}
	vcID := aws.ToString(vc.Id)
	dvc, err := c.DescribeVirtualCluster(ctx, &emrcontainers.DescribeVirtualClusterInput{Id: vc.Id})
	if err != nil || dvc.VirtualCluster.State != types.VirtualClusterStateRunning || dvc.VirtualCluster.Tags["team"] != "data" ||
		dvc.VirtualCluster.CreatedAt == nil || aws.ToString(dvc.VirtualCluster.ContainerProvider.Id) != "eks-1" {
		t.Fatalf("describe-virtual-cluster: %v %+v", err, dvc)
	}
	lvc, err := c.ListVirtualClusters(ctx, &emrcontainers.ListVirtualClustersInput{ContainerProviderId: aws.String("eks-1")})
	if err != nil || len(lvc.VirtualClusters) != 1 || lvc.NextToken != nil {
		t.Fatalf("list-virtual-clusters: %v %+v", err, lvc)
	}

	_, err = c.DescribeJobRun(ctx, &emrcontainers.DescribeJobRunInput{VirtualClusterId: vc.Id, Id: aws.String("0000000300000000000")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("describe of a missing job: %v", err)
	}

	// A template with a parameter; a job from it.
	script := writeScript(t, "hello.sql", "select '${greeting}', ${n};\n")
	tpl, err := c.CreateJobTemplate(ctx, &emrcontainers.CreateJobTemplateInput{Name: aws.String("hello"), ClientToken: aws.String("tpl-token"),
		JobTemplateData: &types.JobTemplateData{ExecutionRoleArn: aws.String(testRole), ReleaseLabel: aws.String("emr-6.8.0-latest"),
			JobDriver: &types.JobDriver{SparkSqlJobDriver: &types.SparkSqlJobDriver{EntryPoint: aws.String("file://" + script),
				SparkSqlParameters: aws.String("-hivevar greeting=${greeting} --hivevar n=${n}")}},
			ParameterConfiguration: map[string]types.TemplateParameterConfiguration{
				"greeting": {Type: types.TemplateParameterDataTypeString, DefaultValue: aws.String("hi")},
				"n":        {Type: types.TemplateParameterDataTypeNumber}},
			JobTags: map[string]string{"from": "template"}}})
	if err != nil {
		t.Fatal(err)
	}
	dt, err := c.DescribeJobTemplate(ctx, &emrcontainers.DescribeJobTemplateInput{Id: tpl.Id})
	if err != nil || aws.ToString(dt.JobTemplate.Name) != "hello" || dt.JobTemplate.JobTemplateData.ParameterConfiguration["n"].Type != types.TemplateParameterDataTypeNumber {
		t.Fatalf("describe-job-template: %v %+v", err, dt)
	}
	lt, err := c.ListJobTemplates(ctx, &emrcontainers.ListJobTemplatesInput{})
	if err != nil || len(lt.Templates) != 1 {
		t.Fatalf("list-job-templates: %v %+v", err, lt)
	}
	_, err = c.StartJobRun(ctx, &emrcontainers.StartJobRunInput{VirtualClusterId: vc.Id, ClientToken: aws.String("no-n"), JobTemplateId: tpl.Id})
	var ve *types.ValidationException
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "n") {
		t.Fatalf("template without a required parameter: %v", err)
	}
	sj, err := c.StartJobRun(ctx, &emrcontainers.StartJobRunInput{VirtualClusterId: vc.Id, Name: aws.String("from-template"),
		ClientToken: aws.String("job-1"), JobTemplateId: tpl.Id, JobTemplateParameters: map[string]string{"n": "42"},
		Tags: map[string]string{"run": "1"}, RetryPolicyConfiguration: &types.RetryPolicyConfiguration{MaxAttempts: aws.Int32(2)}})
	if err != nil {
		t.Fatal(err)
	}
	j := waitJob(t, c, vcID, aws.ToString(sj.Id), time.Minute, terminalStates...)
	if j.State != types.JobRunStateCompleted || j.Tags["from"] != "template" || j.Tags["run"] != "1" || j.FinishedAt == nil ||
		aws.ToInt32(j.RetryPolicyConfiguration.MaxAttempts) != 2 || aws.ToInt32(j.RetryPolicyExecution.CurrentAttemptCount) != 1 ||
		aws.ToString(j.ExecutionRoleArn) != testRole || !strings.HasSuffix(aws.ToString(j.Arn), "/jobruns/"+aws.ToString(sj.Id)) {
		t.Fatalf("job from template: %+v %s", j, aws.ToString(j.StateDetails))
	}
	logs, err := srvLogs(srv.URL, vcID, aws.ToString(sj.Id))
	if err != nil || logs != "hi\t42\n" {
		t.Fatalf("stdout: %q %v", logs, err)
	}
	// Idempotency: the same token is the same job.
	sj2, err := c.StartJobRun(ctx, &emrcontainers.StartJobRunInput{VirtualClusterId: vc.Id, ClientToken: aws.String("job-1"), JobTemplateId: tpl.Id,
		JobTemplateParameters: map[string]string{"n": "42"}})
	if err != nil || aws.ToString(sj2.Id) != aws.ToString(sj.Id) {
		t.Fatalf("repeated clientToken: %v %v", err, sj2)
	}
	// Cancelling a finished job is a ValidationException.
	_, err = c.CancelJobRun(ctx, &emrcontainers.CancelJobRunInput{VirtualClusterId: vc.Id, Id: sj.Id})
	if !errors.As(err, &ve) {
		t.Fatalf("cancel of a completed job: %v", err)
	}
	// Cancel a queued/running job.
	long := writeScript(t, "long.sql", longSQL)
	lj, err := c.StartJobRun(ctx, &emrcontainers.StartJobRunInput{VirtualClusterId: vc.Id, ClientToken: aws.String("long"),
		ExecutionRoleArn: aws.String(testRole), ReleaseLabel: aws.String("emr-6.8.0-latest"),
		JobDriver: &types.JobDriver{SparkSqlJobDriver: &types.SparkSqlJobDriver{EntryPoint: aws.String(long)}}})
	if err != nil {
		t.Fatal(err)
	}
	waitJob(t, c, vcID, aws.ToString(lj.Id), time.Minute, types.JobRunStateRunning)
	t0 := time.Now()
	if _, err := c.CancelJobRun(ctx, &emrcontainers.CancelJobRunInput{VirtualClusterId: vc.Id, Id: lj.Id}); err != nil {
		t.Fatal(err)
	}
	if j := waitJob(t, c, vcID, aws.ToString(lj.Id), 10*time.Second, terminalStates...); j.State != types.JobRunStateCancelled {
		t.Fatalf("cancelled job: %s", j.State)
	}
	t.Logf("cancel → CANCELLED in %s", time.Since(t0).Round(time.Millisecond))

	// Pagination: 5 more jobs, pages of 2, nextToken absent on the last page.
	for i := 0; i < 5; i++ {
		if _, err := c.StartJobRun(ctx, &emrcontainers.StartJobRunInput{VirtualClusterId: vc.Id, Name: aws.String(fmt.Sprintf("p%d", i)),
			ClientToken: aws.String(fmt.Sprintf("page-%d", i)), JobTemplateId: tpl.Id, JobTemplateParameters: map[string]string{"n": "1"}}); err != nil {
			t.Fatal(err)
		}
	}
	p := emrcontainers.NewListJobRunsPaginator(c, &emrcontainers.ListJobRunsInput{VirtualClusterId: vc.Id, MaxResults: aws.Int32(2)})
	seen, pages := map[string]bool{}, 0
	for p.HasMorePages() {
		pg, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, j := range pg.JobRuns {
			seen[aws.ToString(j.Id)] = true
		}
	}
	if len(seen) != 7 || pages != 4 {
		t.Fatalf("pagination: %d jobs in %d pages", len(seen), pages)
	}
	ln, err := c.ListJobRuns(ctx, &emrcontainers.ListJobRunsInput{VirtualClusterId: vc.Id, Name: aws.String("p3"),
		CreatedAfter: aws.Time(time.Now().Add(-time.Hour)), CreatedBefore: aws.Time(time.Now().Add(time.Hour))})
	if err != nil || len(ln.JobRuns) != 1 || ln.NextToken != nil {
		t.Fatalf("list by name: %v %+v", err, ln)
	}

	// Tags on a virtual cluster, a job run and a template.
	for _, arn := range []string{aws.ToString(vc.Arn), aws.ToString(sj.Arn), aws.ToString(tpl.Arn)} {
		if _, err := c.TagResource(ctx, &emrcontainers.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"k": "v", "x": "y"}}); err != nil {
			t.Fatalf("tag %s: %v", arn, err)
		}
		if _, err := c.UntagResource(ctx, &emrcontainers.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"x"}}); err != nil {
			t.Fatalf("untag %s: %v", arn, err)
		}
		lt, err := c.ListTagsForResource(ctx, &emrcontainers.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		if err != nil || lt.Tags["k"] != "v" || lt.Tags["x"] != "" {
			t.Fatalf("list tags %s: %v %v", arn, err, lt)
		}
	}

	if _, err := c.DeleteJobTemplate(ctx, &emrcontainers.DeleteJobTemplateInput{Id: tpl.Id}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DescribeJobTemplate(ctx, &emrcontainers.DescribeJobTemplateInput{Id: tpl.Id}); !errors.As(err, &nf) {
		t.Fatalf("describe of a deleted template: %v", err)
	}
	if _, err := c.DeleteVirtualCluster(ctx, &emrcontainers.DeleteVirtualClusterInput{Id: vc.Id}); err != nil {
		t.Fatal(err)
	}
	dvc, err = c.DescribeVirtualCluster(ctx, &emrcontainers.DescribeVirtualClusterInput{Id: vc.Id})
	if err != nil || dvc.VirtualCluster.State != types.VirtualClusterStateTerminated {
		t.Fatalf("deleted virtual cluster: %v %+v", err, dvc)
	}
	_, err = c.StartJobRun(ctx, &emrcontainers.StartJobRunInput{VirtualClusterId: vc.Id, ClientToken: aws.String("late"), ExecutionRoleArn: aws.String(testRole),
		ReleaseLabel: aws.String("emr-6.8.0-latest"), JobDriver: &types.JobDriver{SparkSqlJobDriver: &types.SparkSqlJobDriver{EntryPoint: aws.String(script)}}})
	if !errors.As(err, &ve) {
		t.Fatalf("start on a terminated virtual cluster: %v", err)
	}
}

// srvLogs reads a job's stdout through the logs extension resource.
func srvLogs(url, vc, id string) (string, error) {
	out, _, code := runWaggleOut("jobs", "logs", id, "--endpoint-url", url, "--virtual-cluster-id", vc)
	if code != 0 {
		return out, fmt.Errorf("exit %d", code)
	}
	return out, nil
}

func runWaggleOut(args ...string) (string, string, int) {
	cmd := execCommand(waggleBin, args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		code = 1
	}
	return out.String(), errb.String(), code
}

type attemptDoc struct {
	Attempt   int
	State     string
	StartedAt time.Time
	Details   string
}

// TestServerCrashRestart kills the server with -9 while 10 jobs are queued or running (one of them over
// its memory limit), restarts it, and checks every job ends in a terminal state exactly once.
func TestServerCrashRestart(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	srv := startServer(t, home, "--max-concurrent", "2")
	c := sdkClient(srv.URL)
	vc, err := c.CreateVirtualCluster(ctx, &emrcontainers.CreateVirtualClusterInput{Name: aws.String("crash"), ClientToken: aws.String("crash"),
		ContainerProvider: &types.ContainerProvider{Type: types.ContainerProviderTypeEks, Id: aws.String("local")}})
	if err != nil {
		t.Fatal(err)
	}
	short := writeScript(t, "short.sql", "select 1;\nselect 2;\n")
	long := writeScript(t, "long.sql", longSQL)
	oom := writeScript(t, "oom.sql", "select count(distinct concat(cast(p as string), repeat('y', 200))) from (select 1 as x) t lateral view posexplode(split(repeat('a ', 3000000), ' ')) e as p, v;\n")
	submit := func(i int, entry, params string) string {
		d := &types.SparkSqlJobDriver{EntryPoint: aws.String(entry)}
		if params != "" {
			d.SparkSqlParameters = aws.String(params)
		}
		out, err := c.StartJobRun(ctx, &emrcontainers.StartJobRunInput{VirtualClusterId: vc.Id, Name: aws.String(fmt.Sprintf("j%d", i)),
			ClientToken: aws.String(fmt.Sprintf("crash-%d", i)), ExecutionRoleArn: aws.String(testRole), ReleaseLabel: aws.String("emr-6.8.0-latest"),
			JobDriver: &types.JobDriver{SparkSqlJobDriver: d}})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.Id)
	}
	var ids []string
	ids = append(ids, submit(0, long, ""), submit(1, long, ""))
	for i := 2; i < 9; i++ {
		ids = append(ids, submit(i, short, ""))
	}
	oomID := submit(9, oom, "--driver-memory 300m --conf waggle.memory.limit=8GB")
	ids = append(ids, oomID)
	waitJob(t, c, aws.ToString(vc.Id), ids[0], time.Minute, types.JobRunStateRunning)
	time.Sleep(300 * time.Millisecond)
	srv.kill9()
	srv.start(t)
	c = sdkClient(srv.URL)

	states := map[string]*types.JobRun{}
	for _, id := range ids {
		states[id] = waitJob(t, c, aws.ToString(vc.Id), id, 3*time.Minute, terminalStates...)
	}
	for _, id := range ids {
		var at struct{ Attempts []attemptDoc }
		getJSON(t, srv.URL+"/virtualclusters/"+aws.ToString(vc.Id)+"/jobruns/"+id+"/attempts", &at)
		if len(at.Attempts) != 1 {
			t.Errorf("job %s ran %d attempts: %+v", id, len(at.Attempts), at.Attempts)
		}
		j := states[id]
		t.Logf("%s %s %s %s", aws.ToString(j.Name), j.State, j.FailureReason, aws.ToString(j.StateDetails))
		switch {
		case id == oomID:
			if j.State != types.JobRunStateFailed || !strings.Contains(aws.ToString(j.StateDetails), "memory limit") {
				t.Errorf("OOM job: %s %s", j.State, aws.ToString(j.StateDetails))
			}
		case id == ids[0] || id == ids[1]:
			// running at the kill: FAILED with the reason (or never started, then run to the end)
			if j.State == types.JobRunStateFailed && !strings.Contains(aws.ToString(j.StateDetails), "server stopped") {
				t.Errorf("long job: %s", aws.ToString(j.StateDetails))
			}
		default:
			if j.State != types.JobRunStateCompleted {
				t.Errorf("short job %s: %s %s", id, j.State, aws.ToString(j.StateDetails))
			}
		}
	}
	if j := states[ids[0]]; j.State != types.JobRunStateFailed || j.FailureReason != types.FailureReasonInternalError {
		t.Errorf("the job running at the kill: %s %s", j.State, j.FailureReason)
	}
	// Cancel the second long job if it is still running after the restart, to end the test promptly.
	_ = states
}

// TestLoadStartJobRun sends 1,000 start-job-run calls from 32 clients, with repeated client tokens, and
// checks exactly one job per token; it reports submit → RUNNING latency.
func TestLoadStartJobRun(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	ctx := context.Background()
	srv := startServer(t, t.TempDir(), "--max-concurrent", "4")
	c := sdkClient(srv.URL)
	vc, err := c.CreateVirtualCluster(ctx, &emrcontainers.CreateVirtualClusterInput{Name: aws.String("load"), ClientToken: aws.String("load"),
		ContainerProvider: &types.ContainerProvider{Type: types.ContainerProviderTypeEks, Id: aws.String("local")}})
	if err != nil {
		t.Fatal(err)
	}
	script := writeScript(t, "trivial.sql", "select 1;\n")
	const calls, clients, tokens = 1000, 32, 600
	var mu sync.Mutex
	idsByToken := map[string]map[string]bool{}
	submitted := map[string]time.Time{}
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	next := make(chan int, calls)
	for i := 0; i < calls; i++ {
		next <- i
	}
	close(next)
	t0 := time.Now()
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				tok := fmt.Sprintf("tok-%d", (i*7919)%tokens)
				ts := time.Now()
				out, err := c.StartJobRun(ctx, &emrcontainers.StartJobRunInput{VirtualClusterId: vc.Id, ClientToken: aws.String(tok),
					ExecutionRoleArn: aws.String(testRole), ReleaseLabel: aws.String("emr-6.8.0-latest"),
					JobDriver: &types.JobDriver{SparkSqlJobDriver: &types.SparkSqlJobDriver{EntryPoint: aws.String(script)}}})
				if err != nil {
					errs <- err
					continue
				}
				mu.Lock()
				id := aws.ToString(out.Id)
				if idsByToken[tok] == nil {
					idsByToken[tok] = map[string]bool{}
				}
				idsByToken[tok][id] = true
				if _, ok := submitted[id]; !ok {
					submitted[id] = ts
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("start-job-run: %v", err)
	}
	t.Logf("%d start-job-run calls from %d clients in %s", calls, clients, time.Since(t0).Round(time.Millisecond))
	if len(idsByToken) != tokens {
		t.Fatalf("%d tokens", len(idsByToken))
	}
	for tok, ids := range idsByToken {
		if len(ids) != 1 {
			t.Fatalf("token %s → %d jobs", tok, len(ids))
		}
	}
	var total int
	p := emrcontainers.NewListJobRunsPaginator(c, &emrcontainers.ListJobRunsInput{VirtualClusterId: vc.Id})
	for p.HasMorePages() {
		pg, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total += len(pg.JobRuns)
	}
	if total != tokens {
		t.Fatalf("%d jobs listed, want %d", total, tokens)
	}
	// Queueing latency under this burst (every job waits for the 4 runners).
	var lat []time.Duration
	for id, ts := range submitted {
		waitJob(t, c, aws.ToString(vc.Id), id, 5*time.Minute, terminalStates...)
		var at struct{ Attempts []attemptDoc }
		getJSON(t, srv.URL+"/virtualclusters/"+aws.ToString(vc.Id)+"/jobruns/"+id+"/attempts", &at)
		if len(at.Attempts) != 1 {
			t.Fatalf("job %s: %d attempts", id, len(at.Attempts))
		}
		lat = append(lat, at.Attempts[0].StartedAt.Sub(ts))
	}
	p50, p99 := percentiles(lat)
	t.Logf("burst: submit → RUNNING p50 %s p99 %s (queued behind %d runners)", p50, p99, 4)

	// Idle-server latency: one job at a time.
	lat = lat[:0]
	for i := 0; i < 30; i++ {
		ts := time.Now()
		out, err := c.StartJobRun(ctx, &emrcontainers.StartJobRunInput{VirtualClusterId: vc.Id, ClientToken: aws.String(fmt.Sprintf("idle-%d", i)),
			ExecutionRoleArn: aws.String(testRole), ReleaseLabel: aws.String("emr-6.8.0-latest"),
			JobDriver: &types.JobDriver{SparkSqlJobDriver: &types.SparkSqlJobDriver{EntryPoint: aws.String(script)}}})
		if err != nil {
			t.Fatal(err)
		}
		waitJob(t, c, aws.ToString(vc.Id), aws.ToString(out.Id), time.Minute, terminalStates...)
		var at struct{ Attempts []attemptDoc }
		getJSON(t, srv.URL+"/virtualclusters/"+aws.ToString(vc.Id)+"/jobruns/"+aws.ToString(out.Id)+"/attempts", &at)
		lat = append(lat, at.Attempts[0].StartedAt.Sub(ts))
	}
	p50, p99 = percentiles(lat)
	t.Logf("idle: submit → RUNNING p50 %s p99 %s (goal p50 < 200ms)", p50, p99)
}

func percentiles(d []time.Duration) (time.Duration, time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2].Round(time.Millisecond), d[len(d)*99/100].Round(time.Millisecond)
}

var execCommand = exec.Command
