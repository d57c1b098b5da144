package k8s

// The job service with the Kubernetes runner on client-go's fake clientset: the runner chosen per virtual
// cluster, a job's lifecycle driven through the service's API methods while the test plays the kubelet,
// re-adoption by a second Service on the same database, and shutdown (the Job stays) versus user
// cancellation (the Job goes).

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/waggle-dev/waggle/jobevent"
	"github.com/waggle-dev/waggle/jobs"
)

const testRole = "arn:aws:iam::123456789012:role/emr-eks-example-job-execution"

// localStandIn is the runner of virtual clusters without a namespace: it records the specs it gets.
type localStandIn struct {
	mu    sync.Mutex
	specs []jobs.AttemptSpec
}

func (l *localStandIn) Run(ctx context.Context, spec jobs.AttemptSpec, onEvent func(jobevent.Event)) (jobs.Outcome, error) {
	l.mu.Lock()
	l.specs = append(l.specs, spec)
	l.mu.Unlock()
	if spec.OnState != nil {
		spec.OnState(jobs.StateRunning, "")
	}
	return jobs.Outcome{End: &jobevent.Event{Type: jobevent.TypeEnd}}, nil
}

// svcEnv is a service test: one fake cluster and data dir, services and runners started on them.
type svcEnv struct {
	t     *testing.T
	cs    *fake.Clientset
	logs  *fakeLogs
	dir   string
	local *localStandIn
	vcK8s string // a virtual cluster with namespace emr
	vcLoc string // one without a namespace
	entry string
	log   *testLog
}

func newSvcEnv(t *testing.T) *svcEnv {
	e := &svcEnv{t: t, cs: fake.NewClientset(), logs: &fakeLogs{}, dir: t.TempDir(), local: &localStandIn{}, log: &testLog{t: t}}
	t.Cleanup(func() { e.log.mu.Lock(); e.log.done = true; e.log.mu.Unlock() }) // runs last
	e.entry = filepath.Join(t.TempDir(), "set-of-hive-queries.sql")
	if err := os.WriteFile(e.entry, []byte(seedScript), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

// open opens a Service (and a runner) on the environment's database and cluster; start also starts its queue.
func (e *svcEnv) open(start bool) (*jobs.Service, *Runner) {
	e.t.Helper()
	kr := New(e.cs, Config{BuildOptions: goldenOpts, Namespaces: []string{"emr"}, Logs: e.logs,
		LogRetry: 20 * time.Millisecond, LogDrain: 5 * time.Second, CancelWait: 5 * time.Second,
		Logger: slog.New(slog.NewTextHandler(e.log, nil))})
	e.t.Cleanup(kr.Close)
	svc, err := jobs.Open(context.Background(), jobs.Config{DataDir: e.dir, Runner: e.local, MaxConcurrent: 4,
		RunnerFor: func(vc *jobs.VirtualCluster) jobs.Runner {
			if vc.Namespace() != "" {
				return kr
			}
			return nil
		},
		Logger: slog.New(slog.NewTextHandler(e.log, nil))})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { svc.Close(context.Background()) })
	if start {
		e.start(svc)
	}
	return svc, kr
}

func (e *svcEnv) start(svc *jobs.Service) {
	e.t.Helper()
	if err := svc.Start(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

func (e *svcEnv) virtualClusters(svc *jobs.Service) {
	e.t.Helper()
	ctx := context.Background()
	k, err := svc.CreateVirtualCluster(ctx, jobs.CreateVirtualClusterInput{Name: "eks", ClientToken: "eks",
		ContainerProvider: &jobs.ContainerProvider{Type: "EKS", ID: "my-eks", Info: &jobs.ContainerInfo{EksInfo: &jobs.EksInfo{Namespace: "emr"}}}})
	if err != nil {
		e.t.Fatal(err)
	}
	l, err := svc.CreateVirtualCluster(ctx, jobs.CreateVirtualClusterInput{Name: "local", ClientToken: "local",
		ContainerProvider: &jobs.ContainerProvider{Type: "EKS", ID: "local"}})
	if err != nil {
		e.t.Fatal(err)
	}
	e.vcK8s, e.vcLoc = k.ID, l.ID
}

func (e *svcEnv) submit(svc *jobs.Service, vc, token, params string) string {
	e.t.Helper()
	out, err := svc.StartJobRun(context.Background(), jobs.StartJobRunInput{VirtualClusterID: vc, Name: "sparksql-test", ClientToken: token,
		ExecutionRoleArn: testRole, ReleaseLabel: "emr-6.8.0-latest",
		JobDriver: &jobs.JobDriver{SparkSQLJobDriver: &jobs.SparkSQLJobDriver{EntryPoint: e.entry, SparkSQLParameters: params}}})
	if err != nil {
		e.t.Fatal(err)
	}
	return out.ID
}

// waitJob waits until the job run is in one of the states.
func (e *svcEnv) waitJob(svc *jobs.Service, vc, id string, states ...string) *jobs.JobRun {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		j, err := svc.DescribeJobRun(context.Background(), vc, id)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, s := range states {
			if j.State == s {
				return j
			}
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("job %s is %s (%s), want %v", id, j.State, j.StateDetails, states)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitK8sJob waits for the attempt's Kubernetes Job.
func (e *svcEnv) waitK8sJob(name string) *batchv1.Job {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		j, err := e.cs.BatchV1().Jobs("emr").Get(context.Background(), name, metav1.GetOptions{})
		if err == nil {
			return j
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("no Job %s: %v", name, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (e *svcEnv) jobGone(name string) bool {
	_, err := e.cs.BatchV1().Jobs("emr").Get(context.Background(), name, metav1.GetOptions{})
	return apierrors.IsNotFound(err)
}

// pod plays the Job controller and the kubelet: the Job's pod, its main container running.
func (e *svcEnv) runPod(j *batchv1.Job) *corev1.Pod {
	e.t.Helper()
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: j.Name + "-x7k2p", Namespace: "emr",
		Labels: j.Spec.Template.Labels, Annotations: j.Spec.Template.Annotations, CreationTimestamp: metav1.Now()},
		Spec: *j.Spec.Template.Spec.DeepCopy()}
	p.Spec.NodeName = "ip-10-0-3-17.ec2.internal"
	p.Status.Phase = corev1.PodPending
	for _, c := range p.Spec.Containers {
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{Name: c.Name,
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}})
	}
	p, err := e.cs.CoreV1().Pods("emr").Create(context.Background(), p, metav1.CreateOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return e.setMain(p, running(), corev1.PodRunning)
}

func (e *svcEnv) setMain(p *corev1.Pod, st corev1.ContainerState, phase corev1.PodPhase) *corev1.Pod {
	e.t.Helper()
	p = p.DeepCopy()
	for i := range p.Status.ContainerStatuses {
		if p.Status.ContainerStatuses[i].Name == ContainerWaggle {
			p.Status.ContainerStatuses[i].State = st
		}
	}
	p.Status.Phase = phase
	p, err := e.cs.CoreV1().Pods("emr").UpdateStatus(context.Background(), p, metav1.UpdateOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *svcEnv) jobCreates() int {
	n := 0
	for _, a := range e.cs.Actions() {
		if a.GetVerb() == "create" && a.GetResource().Resource == "jobs" {
			n++
		}
	}
	return n
}

func driverName(jobID string) string { return "spark-" + jobID + "-driver" }

// The runner is chosen per virtual cluster; a job on the Kubernetes one goes SUBMITTED (Job created, the
// job run stays SUBMITTED while the pod is pending) → RUNNING (main container runs) → COMPLETED, with its
// statements, placed in the virtual cluster's namespace under the job's execution role whatever the job's
// own settings say, and with spark-submit's resource options applied.
func TestServiceKubernetesLifecycle(t *testing.T) {
	e := newSvcEnv(t)
	svc, _ := e.open(true)
	e.virtualClusters(svc)
	ctx := context.Background()

	// A virtual cluster without a namespace: the local runner.
	lid := e.submit(svc, e.vcLoc, "l1", "")
	e.waitJob(svc, e.vcLoc, lid, jobs.StateCompleted)
	if len(e.local.specs) != 1 || e.local.specs[0].Namespace != "" || e.local.specs[0].VirtualClusterID != e.vcLoc ||
		e.local.specs[0].ExecutionRoleArn != testRole {
		t.Fatalf("local runner specs %+v", e.local.specs)
	}

	id := e.submit(svc, e.vcK8s, "k1", "-hivevar Key_ID=238 --driver-cores 2 --executor-memory 4g --num-executors 3 "+
		"--conf waggle.kubernetes.namespace=kube-system --conf waggle.kubernetes.executionrole=arn:aws:iam::1:role/admin")
	j := e.waitK8sJob(driverName(id))
	if got := e.waitJob(svc, e.vcK8s, id, jobs.StateSubmitted, jobs.StateRunning); got.State != jobs.StateSubmitted {
		t.Fatalf("job run %s before its pod runs, want SUBMITTED", got.State)
	}
	if j.Labels[LabelVirtualCluster] != e.vcK8s || j.Labels[LabelJobID] != id || j.Annotations[AnnotationExecutionRole] != testRole {
		t.Errorf("Job labels %v annotations %v", j.Labels, j.Annotations)
	}
	pod := j.Spec.Template.Spec
	if pod.ServiceAccountName != ServiceAccountName(testRole) {
		t.Errorf("ServiceAccount %s", pod.ServiceAccountName)
	}
	if cpu := pod.Containers[0].Resources.Requests[corev1.ResourceCPU]; cpu.String() != "2" {
		t.Errorf("CPU request %s, want 2 (--driver-cores)", cpu.String())
	}
	cm, err := e.cs.CoreV1().ConfigMaps("emr").Get(ctx, j.Name+"-conf", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	site := cm.Data["hive-site.xml"]
	for _, want := range []string{"<name>spark.executor.memory</name>\n    <value>4g</value>", "<name>spark.executor.instances</name>\n    <value>3</value>", "<name>spark.driver.cores</name>\n    <value>2</value>"} {
		if !strings.Contains(site, want) {
			t.Errorf("hive-site.xml lacks %q:\n%s", want, site)
		}
	}
	if strings.Contains(site, "kube-system") || strings.Contains(site, "role/admin") {
		t.Errorf("the job's placement settings reached the pod:\n%s", site)
	}
	if l, _ := e.cs.BatchV1().Jobs("kube-system").List(ctx, metav1.ListOptions{}); len(l.Items) != 0 {
		t.Errorf("a job placed itself in kube-system")
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		a, _ := svc.JobAttempts(ctx, e.vcK8s, id)
		if len(a) == 1 && a[0].State == jobs.StateSubmitted && strings.Contains(a[0].Details, "Job emr/"+j.Name+" created") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("attempts while pending: %+v", a)
		}
	}
	if got, _ := svc.DescribeJobRun(ctx, e.vcK8s, id); got.State != jobs.StateSubmitted {
		t.Fatalf("job run %s while its pod is pending, want SUBMITTED", got.State)
	}

	p := e.runPod(j)
	e.waitJob(svc, e.vcK8s, id, jobs.StateRunning)
	log := e.logs.get("emr", p.Name, ContainerWaggle)
	log.write("E|OK", evStmt1, evStmt2, "O|238\tval_238", evStmt3, evEnd0)
	e.setMain(p, terminated(0, "Completed"), corev1.PodSucceeded)
	log.close()
	done := e.waitJob(svc, e.vcK8s, id, jobs.StateCompleted, jobs.StateFailed)
	if done.State != jobs.StateCompleted {
		t.Fatalf("job %s %s %s", done.State, done.FailureReason, done.StateDetails)
	}
	st, _ := svc.JobStatements(ctx, e.vcK8s, id)
	if len(st) != 3 || st[2].Rows != 2 {
		t.Errorf("statements %+v", st)
	}
	if a, _ := svc.JobAttempts(ctx, e.vcK8s, id); len(a) != 1 || a[0].State != jobs.StateCompleted {
		t.Errorf("attempts %+v", a)
	}
	path, _, _ := svc.LogFile(ctx, e.vcK8s, id, 0, "stdout")
	if out, _ := os.ReadFile(path); string(out) != "238\tval_238\n" {
		t.Errorf("stdout %q", out)
	}
	if len(e.local.specs) != 1 {
		t.Errorf("the local runner ran the Kubernetes job")
	}
}

// A server restart while the pod runs: shutdown leaves the Job; a second Service on the same database
// re-adopts the attempt (job run back to SUBMITTED, the same attempt, no second Job) and completes it.
func TestServiceReadoptsAfterRestart(t *testing.T) {
	e := newSvcEnv(t)
	svc, kr := e.open(true)
	e.virtualClusters(svc)
	ctx := context.Background()
	id := e.submit(svc, e.vcK8s, "k1", "-hivevar Key_ID=238")
	p := e.runPod(e.waitK8sJob(driverName(id)))
	e.waitJob(svc, e.vcK8s, id, jobs.StateRunning)
	log := e.logs.get("emr", p.Name, ContainerWaggle)
	log.write("E|OK", evStmt1)

	if err := svc.Close(ctx); err != nil {
		t.Fatal(err)
	}
	kr.Close()
	if e.jobGone(driverName(id)) {
		t.Fatal("server shutdown deleted the attempt's Job")
	}

	svc2, _ := e.open(false)
	if j := e.waitJob(svc2, e.vcK8s, id, jobs.StateSubmitted, jobs.StateRunning, jobs.StateFailed); j.State != jobs.StateSubmitted {
		t.Fatalf("after recovery the job is %s (%s), want SUBMITTED", j.State, j.StateDetails)
	}
	if a, _ := svc2.JobAttempts(ctx, e.vcK8s, id); len(a) != 1 || a[0].State != jobs.StatePending || !strings.Contains(a[0].Details, "re-adopting") {
		t.Fatalf("attempts after recovery %+v", a)
	}
	e.start(svc2)
	e.waitJob(svc2, e.vcK8s, id, jobs.StateRunning)
	log.write(evStmt2, evStmt3, evEnd0)
	e.setMain(p, terminated(0, "Completed"), corev1.PodSucceeded)
	log.close()
	if j := e.waitJob(svc2, e.vcK8s, id, jobs.StateCompleted, jobs.StateFailed); j.State != jobs.StateCompleted {
		t.Fatalf("job %s %s", j.State, j.StateDetails)
	}
	a, _ := svc2.JobAttempts(ctx, e.vcK8s, id)
	if len(a) != 1 || a[0].State != jobs.StateCompleted {
		t.Errorf("attempts %+v", a)
	}
	if st, _ := svc2.JobStatements(ctx, e.vcK8s, id); len(st) != 3 {
		t.Errorf("statements %+v", st)
	}
	if n := e.jobCreates(); n != 1 {
		t.Errorf("%d Jobs created, want 1", n)
	}
}

// A user's cancellation deletes the Job: CANCEL_PENDING → CANCELLED.
func TestServiceCancelDeletesJob(t *testing.T) {
	e := newSvcEnv(t)
	svc, _ := e.open(true)
	e.virtualClusters(svc)
	ctx := context.Background()
	id := e.submit(svc, e.vcK8s, "k1", "")
	p := e.runPod(e.waitK8sJob(driverName(id)))
	e.waitJob(svc, e.vcK8s, id, jobs.StateRunning)
	e.logs.get("emr", p.Name, ContainerWaggle).write(evStmt1)
	if _, err := svc.CancelJobRun(ctx, e.vcK8s, id); err != nil {
		t.Fatal(err)
	}
	if j := e.waitJob(svc, e.vcK8s, id, jobs.StateCancelled); j.StateDetails != "JobRun CANCELLED successfully." {
		t.Errorf("details %q", j.StateDetails)
	}
	if !e.jobGone(driverName(id)) {
		t.Error("a cancelled job's Kubernetes Job is still there")
	}
}

// Cancelled while its Job is pending (the job run still SUBMITTED): the Job goes too.
func TestServiceCancelSubmitted(t *testing.T) {
	e := newSvcEnv(t)
	svc, _ := e.open(true)
	e.virtualClusters(svc)
	id := e.submit(svc, e.vcK8s, "k1", "")
	e.waitK8sJob(driverName(id))
	e.waitJob(svc, e.vcK8s, id, jobs.StateSubmitted)
	if _, err := svc.CancelJobRun(context.Background(), e.vcK8s, id); err != nil {
		t.Fatal(err)
	}
	e.waitJob(svc, e.vcK8s, id, jobs.StateCancelled)
	if !e.jobGone(driverName(id)) {
		t.Error("the pending Job of a cancelled job run is still there")
	}
}

// A job cancelled while its attempt waits to be re-adopted (between a restart's recovery and the queue
// picking it up) stays CANCEL_PENDING until the re-adopted Job is deleted.
func TestServiceCancelWhileReadopting(t *testing.T) {
	e := newSvcEnv(t)
	svc, kr := e.open(true)
	e.virtualClusters(svc)
	ctx := context.Background()
	id := e.submit(svc, e.vcK8s, "k1", "")
	e.runPod(e.waitK8sJob(driverName(id)))
	e.waitJob(svc, e.vcK8s, id, jobs.StateRunning)
	svc.Close(ctx)
	kr.Close()

	svc2, _ := e.open(false)
	if _, err := svc2.CancelJobRun(ctx, e.vcK8s, id); err != nil {
		t.Fatal(err)
	}
	if j, _ := svc2.DescribeJobRun(ctx, e.vcK8s, id); j.State != jobs.StateCancelPending {
		t.Fatalf("cancelled while awaiting re-adoption: %s, want CANCEL_PENDING", j.State)
	}
	e.start(svc2)
	e.waitJob(svc2, e.vcK8s, id, jobs.StateCancelled)
	if !e.jobGone(driverName(id)) {
		t.Error("the re-adopted Job of a cancelled job run is still there")
	}
}

// OOMKilled: FAILED, USER_ERROR, the reason in stateDetails.
func TestServiceOOMKilled(t *testing.T) {
	e := newSvcEnv(t)
	svc, _ := e.open(true)
	e.virtualClusters(svc)
	id := e.submit(svc, e.vcK8s, "k1", "--driver-memory 2g")
	p := e.runPod(e.waitK8sJob(driverName(id)))
	e.waitJob(svc, e.vcK8s, id, jobs.StateRunning)
	log := e.logs.get("emr", p.Name, ContainerWaggle)
	log.write(evStmt1)
	e.setMain(p, terminated(137, "OOMKilled"), corev1.PodFailed)
	log.close()
	j := e.waitJob(svc, e.vcK8s, id, jobs.StateFailed, jobs.StateCompleted)
	if j.State != jobs.StateFailed || j.FailureReason != jobs.ReasonUser || !strings.HasPrefix(j.StateDetails, "OOMKilled: ") ||
		!strings.Contains(j.StateDetails, "driver memory 2g") {
		t.Fatalf("job %s %s %q", j.State, j.FailureReason, j.StateDetails)
	}
}

// testLog is the services' log in the test's output (shown on failure); it goes quiet once the test's
// cleanups (closing the services) have run.
type testLog struct {
	mu   sync.Mutex
	t    *testing.T
	done bool
}

func (w *testLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSpace(string(p)))
	}
	return len(p), nil
}
