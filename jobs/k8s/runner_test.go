package k8s

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	k8stesting "k8s.io/client-go/testing"

	"github.com/waggle-dev/waggle/jobevent"
	"github.com/waggle-dev/waggle/jobs"
)

// fakeLog is a container log that grows while the test writes it; every Stream replays it from the start
// and, when following, waits for more until the test closes it.
type fakeLog struct {
	mu     sync.Mutex
	cond   *sync.Cond
	data   []byte
	closed bool
}

type fakeLogs struct {
	mu   sync.Mutex
	logs map[string]*fakeLog // namespace/pod/container
}

func (f *fakeLogs) get(ns, pod, container string) *fakeLog {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.logs == nil {
		f.logs = map[string]*fakeLog{}
	}
	k := ns + "/" + pod + "/" + container
	l, ok := f.logs[k]
	if !ok {
		l = &fakeLog{}
		l.cond = sync.NewCond(&l.mu)
		f.logs[k] = l
	}
	return l
}

func (l *fakeLog) write(lines ...string) {
	l.mu.Lock()
	for _, s := range lines {
		l.data = append(l.data, s+"\n"...)
	}
	l.mu.Unlock()
	l.cond.Broadcast()
}

func (l *fakeLog) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.cond.Broadcast()
}

func (f *fakeLogs) Stream(ctx context.Context, ns, pod string, o LogOptions) (io.ReadCloser, error) {
	l := f.get(ns, pod, o.Container)
	pr, pw := io.Pipe()
	stop := context.AfterFunc(ctx, func() { pw.CloseWithError(ctx.Err()); l.cond.Broadcast() })
	go func() {
		defer stop()
		off := 0
		for {
			l.mu.Lock()
			for off == len(l.data) && !l.closed && ctx.Err() == nil && o.Follow {
				l.cond.Wait()
			}
			chunk, closed := l.data[off:], l.closed || !o.Follow
			l.mu.Unlock()
			if ctx.Err() != nil {
				return
			}
			if len(chunk) > 0 {
				if _, err := pw.Write(chunk); err != nil {
					return
				}
				off += len(chunk)
				continue
			}
			if closed {
				pw.Close()
				return
			}
		}
	}()
	return pr, nil
}

type harness struct {
	t      *testing.T
	cs     *fake.Clientset
	logs   *fakeLogs
	r      *Runner
	spec   jobs.AttemptSpec
	states chan string
	mu     sync.Mutex
	events []jobevent.Event
}

func newHarness(t *testing.T, engine string) *harness {
	t.Helper()
	h := &harness{t: t, cs: fake.NewClientset(), logs: &fakeLogs{}, states: make(chan string, 32)}
	h.r = h.runner()
	dir := t.TempDir()
	h.spec = seedSpec(engine)
	h.spec.Script = filepath.Join(dir, "set-of-hive-queries.sql")
	h.spec.Stdout, h.spec.Stderr = filepath.Join(dir, "stdout"), filepath.Join(dir, "stderr")
	h.spec.Notes = []string{"parameters accepted without effect: --jars x.jar"}
	if err := os.WriteFile(h.spec.Script, []byte(seedScript), 0o600); err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *harness) runner() *Runner {
	r := New(h.cs, Config{BuildOptions: goldenOpts, Namespaces: []string{"emr"}, Logs: h.logs,
		LogRetry: 20 * time.Millisecond, LogDrain: 5 * time.Second, CancelWait: 5 * time.Second})
	h.t.Cleanup(r.Close)
	return r
}

type result struct {
	out jobs.Outcome
	err error
}

func (h *harness) start(ctx context.Context, r *Runner) <-chan result {
	done := make(chan result, 1)
	go func() {
		out, err := r.RunWithState(ctx, h.spec, func(e jobevent.Event) {
			h.mu.Lock()
			h.events = append(h.events, e)
			h.mu.Unlock()
		}, func(state, details string) { h.states <- state + " " + details })
		done <- result{out, err}
	}()
	return done
}

func (h *harness) wantState(prefix string) string {
	h.t.Helper()
	select {
	case s := <-h.states:
		if !strings.HasPrefix(s, prefix) {
			h.t.Fatalf("state %q, want %s", s, prefix)
		}
		return s
	case <-time.After(10 * time.Second):
		h.t.Fatalf("no %s state", prefix)
	}
	return ""
}

func (h *harness) wait(done <-chan result) result {
	h.t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(15 * time.Second):
		h.t.Fatal("Run did not return")
	}
	return result{}
}

func (h *harness) job() *batchv1.Job {
	h.t.Helper()
	j, err := h.cs.BatchV1().Jobs("emr").Get(context.Background(), "spark-00000002ubarp3tg0ne-driver", metav1.GetOptions{})
	if err != nil {
		h.t.Fatal(err)
	}
	return j
}

// pod plays the Job controller: a pod from the Job's template, with the given extra containers.
func (h *harness) pod(sidecars ...string) *corev1.Pod {
	h.t.Helper()
	j := h.job()
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: j.Name + "-x7k2p", Namespace: "emr",
		Labels: j.Spec.Template.Labels, Annotations: j.Spec.Template.Annotations,
		CreationTimestamp: metav1.Now()}, Spec: *j.Spec.Template.Spec.DeepCopy()}
	for _, s := range sidecars {
		p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: s, Image: s})
	}
	p.Spec.NodeName = "ip-10-0-3-17.ec2.internal"
	p.Status.Phase = corev1.PodPending
	for _, c := range p.Spec.Containers {
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{Name: c.Name,
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}})
	}
	p, err := h.cs.CoreV1().Pods("emr").Create(context.Background(), p, metav1.CreateOptions{})
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (h *harness) setContainer(p *corev1.Pod, name string, st corev1.ContainerState, phase corev1.PodPhase) *corev1.Pod {
	h.t.Helper()
	p = p.DeepCopy()
	for i := range p.Status.ContainerStatuses {
		if p.Status.ContainerStatuses[i].Name == name {
			p.Status.ContainerStatuses[i].State = st
		}
	}
	p.Status.Phase = phase
	p, err := h.cs.CoreV1().Pods("emr").UpdateStatus(context.Background(), p, metav1.UpdateOptions{})
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (h *harness) jobCondition(typ batchv1.JobConditionType, reason, msg string) {
	h.t.Helper()
	j := h.job().DeepCopy()
	j.Status.Conditions = append(j.Status.Conditions, batchv1.JobCondition{Type: typ, Status: corev1.ConditionTrue, Reason: reason, Message: msg})
	if _, err := h.cs.BatchV1().Jobs("emr").UpdateStatus(context.Background(), j, metav1.UpdateOptions{}); err != nil {
		h.t.Fatal(err)
	}
}

func running() corev1.ContainerState {
	return corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.Now()}}
}

func terminated(code int32, reason string) corev1.ContainerState {
	return corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code, Reason: reason}}
}

const (
	evStmt1 = `J|{"type":"statement","index":0,"file":"set-of-hive-queries.sql","line":1,"col":1,"text":"CREATE DATABASE IF NOT EXISTS hiveonspark","kind":"CREATEDATABASE","status":"COMPLETED","durationMs":12,"rows":-1}`
	evStmt2 = `J|{"type":"statement","index":1,"file":"set-of-hive-queries.sql","line":2,"col":1,"text":"USE hiveonspark","kind":"USE","status":"COMPLETED","durationMs":1,"rows":-1}`
	evStmt3 = `J|{"type":"statement","index":2,"file":"set-of-hive-queries.sql","line":3,"col":1,"text":"SELECT * FROM testtable WHERE key=${Key_ID}","kind":"QUERY","status":"COMPLETED","durationMs":30,"rows":2}`
	evEnd0  = `J|{"type":"end","statements":3}`
)

// The whole lifecycle: SUBMITTED (Job created) → RUNNING (pod running) → COMPLETED (main container exit 0),
// statement events and logs from the container log.
func TestLifecycleCompleted(t *testing.T) {
	h := newHarness(t, "")
	done := h.start(context.Background(), h.r)
	h.wantState(jobs.StateSubmitted)

	j := h.job()
	for k, v := range map[string]string{LabelJobID: "00000002ubarp3tg0ne", LabelAttempt: "1", LabelVirtualCluster: "wuenyscuofnz53vy5m39g2n10", LabelManagedBy: "waggle"} {
		if j.Labels[k] != v || j.Spec.Template.Labels[k] != v {
			t.Errorf("label %s=%q on the Job, %q on its pods; want %q", k, j.Labels[k], j.Spec.Template.Labels[k], v)
		}
	}
	sa, err := h.cs.CoreV1().ServiceAccounts("emr").Get(context.Background(), j.Spec.Template.Spec.ServiceAccountName, metav1.GetOptions{})
	if err != nil || sa.Annotations[AnnotationIRSARole] != "arn:aws:iam::123456789012:role/emr-eks-example-job-execution" {
		t.Fatalf("ServiceAccount %v %v", sa, err)
	}
	cm, err := h.cs.CoreV1().ConfigMaps("emr").Get(context.Background(), j.Name+"-conf", metav1.GetOptions{})
	if err != nil || len(cm.OwnerReferences) != 1 || cm.OwnerReferences[0].Name != j.Name || cm.Data["script"] != seedScript {
		t.Fatalf("ConfigMap %+v %v", cm, err)
	}
	if _, err := h.cs.CoreV1().Secrets("emr").Get(context.Background(), j.Name+"-secret", metav1.GetOptions{}); err != nil {
		t.Fatal(err)
	}

	p := h.pod()
	p = h.setContainer(p, ContainerWaggle, running(), corev1.PodRunning)
	h.wantState(jobs.StateRunning)
	log := h.logs.get("emr", p.Name, ContainerWaggle)
	log.write("E|OK", evStmt1, "E|Time taken: 0.012 seconds", evStmt2, "O|238\tval_238", "O|238\tval_238", evStmt3, evEnd0)
	h.setContainer(p, ContainerWaggle, terminated(0, "Completed"), corev1.PodSucceeded)
	h.jobCondition(batchv1.JobComplete, "", "")
	log.close()

	r := h.wait(done)
	if r.err != nil || r.out.ExitCode != 0 || r.out.End == nil || r.out.End.ExitCode != 0 || r.out.Cancelled {
		t.Fatalf("outcome %+v %v", r.out, r.err)
	}
	h.wantState(jobs.StateCompleted)
	if len(h.events) != 3 || h.events[2].Rows != 2 || h.events[2].Text != "SELECT * FROM testtable WHERE key=${Key_ID}" {
		t.Fatalf("events %+v", h.events)
	}
	stdout, _ := os.ReadFile(h.spec.Stdout)
	stderr, _ := os.ReadFile(h.spec.Stderr)
	if string(stdout) != "238\tval_238\n238\tval_238\n" {
		t.Errorf("stdout %q", stdout)
	}
	if !strings.HasPrefix(string(stderr), "waggle: parameters accepted without effect") || !strings.Contains(string(stderr), "OK\nTime taken: 0.012 seconds\n") {
		t.Errorf("stderr %q", stderr)
	}
}

// A pod with a sidecar: the main container failed while the sidecar still runs → FAILED (the sidecar's
// status does not count), and the Job is deleted so the sidecar stops.
func TestSidecarMainContainerFailed(t *testing.T) {
	h := newHarness(t, "")
	done := h.start(context.Background(), h.r)
	h.wantState(jobs.StateSubmitted)
	p := h.pod("istio-proxy")
	p = h.setContainer(p, "istio-proxy", running(), corev1.PodPending)
	p = h.setContainer(p, ContainerWaggle, running(), corev1.PodRunning)
	h.wantState(jobs.StateRunning)
	log := h.logs.get("emr", p.Name, ContainerWaggle)
	log.write(evStmt1, `J|{"type":"statement","index":1,"text":"USE nosuchdb","status":"FAILED","rows":-1,"error":"set-of-hive-queries.sql:2:5: Database does not exist: nosuchdb","errorKind":"Semantic"}`,
		"E|FAILED: SemanticException set-of-hive-queries.sql:2:5: Database does not exist: nosuchdb", `J|{"type":"end","exitCode":1,"statements":2,"failedStatement":2}`)
	h.setContainer(p, ContainerWaggle, terminated(1, "Error"), corev1.PodRunning) // the sidecar keeps the pod running
	log.close()

	r := h.wait(done)
	if r.err != nil || r.out.ExitCode != 1 || r.out.End == nil || r.out.End.FailedStatement != 2 {
		t.Fatalf("outcome %+v %v", r.out, r.err)
	}
	if s := h.wantState(jobs.StateFailed); !strings.Contains(s, "exited with code 1") {
		t.Errorf("final state %q", s)
	}
	if _, err := h.cs.BatchV1().Jobs("emr").Get(context.Background(), "spark-00000002ubarp3tg0ne-driver", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the Job of a pod kept alive by its sidecar was not deleted: %v", err)
	}
}

// OOMKilled → FAILED with the reason, MemoryExceeded for the job service.
func TestOOMKilled(t *testing.T) {
	h := newHarness(t, "")
	done := h.start(context.Background(), h.r)
	h.wantState(jobs.StateSubmitted)
	p := h.pod()
	p = h.setContainer(p, ContainerWaggle, running(), corev1.PodRunning)
	h.wantState(jobs.StateRunning)
	log := h.logs.get("emr", p.Name, ContainerWaggle)
	log.write(evStmt1)
	h.setContainer(p, ContainerWaggle, terminated(137, "OOMKilled"), corev1.PodFailed)
	h.jobCondition(batchv1.JobFailed, "BackoffLimitExceeded", "Job has reached the specified backoff limit")
	log.close()

	r := h.wait(done)
	if r.err != nil || !r.out.MemoryExceeded || r.out.Signal != "killed" || r.out.End != nil || r.out.ExitCode != -1 {
		t.Fatalf("outcome %+v %v", r.out, r.err)
	}
	if s := h.wantState(jobs.StateFailed); !strings.Contains(s, "OOMKilled") || !strings.Contains(s, "2Gi") {
		t.Errorf("final state %q", s)
	}
	stderr, _ := os.ReadFile(h.spec.Stderr)
	if !strings.Contains(string(stderr), "OOMKilled") {
		t.Errorf("stderr %q", stderr)
	}
}

// Cancellation deletes the Job (with the configured propagation) and reports CANCELLED.
func TestCancelDeletesJob(t *testing.T) {
	h := newHarness(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	done := h.start(ctx, h.r)
	h.wantState(jobs.StateSubmitted)
	p := h.pod()
	p = h.setContainer(p, ContainerWaggle, running(), corev1.PodRunning)
	h.wantState(jobs.StateRunning)
	h.logs.get("emr", p.Name, ContainerWaggle).write(evStmt1)
	cancel()
	r := h.wait(done)
	if r.err != nil || !r.out.Cancelled {
		t.Fatalf("outcome %+v %v", r.out, r.err)
	}
	h.wantState(jobs.StateCancelled)
	var prop metav1.DeletionPropagation
	for _, a := range h.cs.Actions() {
		if d, ok := a.(k8stesting.DeleteActionImpl); ok && d.GetResource().Resource == "jobs" {
			prop = *d.GetDeleteOptions().PropagationPolicy
		}
	}
	if prop != metav1.DeletePropagationForeground {
		t.Errorf("Job deleted with propagation %q", prop)
	}
	if _, err := h.cs.BatchV1().Jobs("emr").Get(context.Background(), "spark-00000002ubarp3tg0ne-driver", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("Job still there: %v", err)
	}
}

// A server restart: the first server stops (ErrDetach) while the pod runs; the Job stays; a new runner finds
// the attempt by label and re-adopts it with the same spec: no second Job, the log re-read from the start.
func TestReadoptionAfterRestart(t *testing.T) {
	h := newHarness(t, "")
	ctx, cancel := context.WithCancelCause(context.Background())
	done := h.start(ctx, h.r)
	h.wantState(jobs.StateSubmitted)
	p := h.pod()
	p = h.setContainer(p, ContainerWaggle, running(), corev1.PodRunning)
	h.wantState(jobs.StateRunning)
	log := h.logs.get("emr", p.Name, ContainerWaggle)
	log.write("E|OK", evStmt1)
	cancel(ErrDetach)
	if r := h.wait(done); !errors.Is(r.err, ErrDetach) {
		t.Fatalf("detach: %+v %v", r.out, r.err)
	}
	h.r.Close()
	h.job() // still there

	// The next server.
	r2 := h.runner()
	refs, err := r2.Attempts(context.Background())
	if err != nil || len(refs) != 1 || refs[0].JobID != h.spec.JobID || refs[0].Attempt != 1 || refs[0].Finished {
		t.Fatalf("attempts %+v %v", refs, err)
	}
	active, err := r2.Active(context.Background())
	if err != nil || active[h.spec.JobID] != 1 {
		t.Fatalf("active %v %v", active, err)
	}
	h.mu.Lock()
	h.events = nil
	h.mu.Unlock()
	done = h.start(context.Background(), r2)
	if s := h.wantState(jobs.StateSubmitted); !strings.Contains(s, "re-adopted") {
		t.Errorf("state %q", s)
	}
	h.wantState(jobs.StateRunning)
	log.write(evStmt2, evStmt3, evEnd0)
	h.setContainer(p, ContainerWaggle, terminated(0, "Completed"), corev1.PodSucceeded)
	log.close()
	r := h.wait(done)
	if r.err != nil || r.out.ExitCode != 0 || r.out.End == nil {
		t.Fatalf("outcome %+v %v", r.out, r.err)
	}
	h.wantState(jobs.StateCompleted)
	if len(h.events) != 3 {
		t.Errorf("re-adoption delivered %d events, want the 3 of the log", len(h.events))
	}
	creates := 0
	for _, a := range h.cs.Actions() {
		if a.GetVerb() == "create" && a.GetResource().Resource == "jobs" {
			creates++
		}
	}
	if creates != 1 {
		t.Errorf("%d Jobs created, want 1", creates)
	}
}

// A pod that cannot start (bad image name) fails the attempt with an error, and its Job goes.
func TestPodCannotStart(t *testing.T) {
	h := newHarness(t, "")
	done := h.start(context.Background(), h.r)
	h.wantState(jobs.StateSubmitted)
	p := h.pod()
	h.setContainer(p, ContainerWaggle, corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "InvalidImageName", Message: "bad ref"}}, corev1.PodPending)
	r := h.wait(done)
	if r.err == nil || !strings.Contains(r.err.Error(), "InvalidImageName") {
		t.Fatalf("outcome %+v %v", r.out, r.err)
	}
}

// The deadline: the Job controller fails the Job and kills the pod — FAILED, not mistaken for OOM.
func TestActiveDeadlineExceeded(t *testing.T) {
	h := newHarness(t, "")
	done := h.start(context.Background(), h.r)
	h.wantState(jobs.StateSubmitted)
	p := h.pod()
	p = h.setContainer(p, ContainerWaggle, running(), corev1.PodRunning)
	h.wantState(jobs.StateRunning)
	h.jobCondition(batchv1.JobFailed, "DeadlineExceeded", "Job was active longer than specified deadline")
	h.setContainer(p, ContainerWaggle, terminated(137, "Error"), corev1.PodFailed)
	h.logs.get("emr", p.Name, ContainerWaggle).close()
	r := h.wait(done)
	if r.err != nil || r.out.MemoryExceeded || r.out.Signal != "" || r.out.ExitCode != -1 {
		t.Fatalf("outcome %+v %v", r.out, r.err)
	}
	if s := h.wantState(jobs.StateFailed); !strings.Contains(s, "DeadlineExceeded") {
		t.Errorf("state %q", s)
	}
}

// The Spark engine: statement records parsed from the driver's output, the outcome from the driver container.
func TestSparkLifecycle(t *testing.T) {
	h := newHarness(t, "spark")
	done := h.start(context.Background(), h.r)
	h.wantState(jobs.StateSubmitted)
	p := h.pod()
	p = h.setContainer(p, ContainerSpark, running(), corev1.PodRunning)
	h.wantState(jobs.StateRunning)
	log := h.logs.get("emr", p.Name, ContainerSpark)
	ts := time.Date(2024, 11, 26, 10, 15, 0, 0, time.UTC)
	for i, l := range []string{
		"24/11/26 10:15:02 WARN NativeCodeLoader: Unable to load native-hadoop library",
		"CREATE DATABASE IF NOT EXISTS hiveonspark", "Time taken: 1.874 seconds",
		"USE hiveonspark", "Time taken: 0.061 seconds",
		"SELECT * FROM testtable WHERE key=${Key_ID}", "238\tval_238", "238\tval_238", "Time taken: 2.617 seconds, Fetched 2 row(s)",
	} {
		log.write(ts.Add(time.Duration(i)*time.Second).Format(time.RFC3339Nano) + " " + l)
	}
	h.setContainer(p, ContainerSpark, terminated(0, "Completed"), corev1.PodSucceeded)
	log.close()
	r := h.wait(done)
	if r.err != nil || r.out.ExitCode != 0 || r.out.End == nil || r.out.End.Statements != 3 {
		t.Fatalf("outcome %+v %v", r.out, r.err)
	}
	if len(h.events) != 3 || h.events[2].Rows != 2 || h.events[2].Line != 3 || h.events[2].DurationMs != 2617 ||
		!h.events[2].End.Equal(ts.Add(8*time.Second)) {
		t.Fatalf("events %+v", h.events)
	}
	stdout, _ := os.ReadFile(h.spec.Stdout)
	if !strings.Contains(string(stdout), "238\tval_238\n") || strings.Contains(string(stdout), "NativeCodeLoader") {
		t.Errorf("stdout %q", stdout)
	}
}

func TestNamespaceNotAllowed(t *testing.T) {
	h := newHarness(t, "")
	h.spec.Namespace = "kube-system"
	_, err := h.r.Run(context.Background(), h.spec, nil)
	if err == nil || !strings.Contains(err.Error(), "kube-system") {
		t.Fatalf("err %v", err)
	}
}

func ExampleServiceAccountName() {
	fmt.Println(ServiceAccountName("arn:aws:iam::123456789012:role/emr-eks-example-job-execution"))
	// Output: waggle-emr-eks-example-job-execution-20ae4b26
}
