package k8s

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	batchlisters "k8s.io/client-go/listers/batch/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"

	"github.com/waggle-dev/waggle/jobevent"
	"github.com/waggle-dev/waggle/jobs"
)

// ErrDetach, as the cause of a Run context's cancellation (context.WithCancelCause), means "the server is
// stopping": Run returns ErrDetach at once and leaves the attempt's Job running for the next server to
// re-adopt. jobs.ErrServerStopping (the job service's cause when it stops) means the same. Any other
// cancellation cancels the attempt (deletes its Job).
var ErrDetach = errors.New("k8s: the server is stopping; the attempt's Job keeps running")

// detaching reports whether ctx ended because the server is stopping.
func detaching(ctx context.Context) bool {
	cause := context.Cause(ctx)
	return errors.Is(cause, ErrDetach) || errors.Is(cause, jobs.ErrServerStopping)
}

// LogOptions selects a container's log.
type LogOptions struct {
	Container  string
	Follow     bool
	Timestamps bool
}

// LogSource streams a container's log. The default reads the pods/log API; tests substitute their own
// (client-go's fake clientset returns a fixed text).
type LogSource interface {
	Stream(ctx context.Context, namespace, pod string, opts LogOptions) (io.ReadCloser, error)
}

type apiLogs struct{ cs kubernetes.Interface }

func (a apiLogs) Stream(ctx context.Context, ns, pod string, o LogOptions) (io.ReadCloser, error) {
	return a.cs.CoreV1().Pods(ns).GetLogs(pod, &corev1.PodLogOptions{Container: o.Container, Follow: o.Follow, Timestamps: o.Timestamps}).Stream(ctx)
}

// Config configures a Runner.
type Config struct {
	BuildOptions
	// Namespaces the runner may run jobs in (and re-adopts from); empty: any namespace (needs cluster-wide
	// RBAC). A virtual cluster whose namespace is not listed fails its jobs with a clear error.
	Namespaces []string
	// DefaultNamespace is used when an attempt names none.
	DefaultNamespace string
	// Target places an attempt; default TargetOf(spec, DefaultNamespace).
	Target func(jobs.AttemptSpec) (Target, error)
	// Propagation of the Job's deletion on cancellation (default Foreground: the Job goes once its pod has).
	Propagation metav1.DeletionPropagation
	// CancelWait bounds the wait for a cancelled Job to go (default 2m).
	CancelWait time.Duration
	// LogDrain bounds the wait for the end of the log once the main container ended (default 30s).
	LogDrain time.Duration
	// LogRetry is the pause before re-reading a broken log stream (default 1s).
	LogRetry time.Duration
	// ImagePullTimeout is how long ErrImagePull/ImagePullBackOff is tolerated (default 5m).
	ImagePullTimeout time.Duration
	// Logs reads container logs (default: the pods/log API of the clientset).
	Logs   LogSource
	Logger *slog.Logger
}

// StateFunc receives an attempt's Kubernetes-side progress: jobs.StateSubmitted when its Job exists,
// jobs.StateRunning when the main container runs, then jobs.StateCompleted, StateFailed or StateCancelled,
// with details (for FAILED: the cause, e.g. "OOMKilled: ..."). It has jobs.AttemptSpec.OnState's shape.
type StateFunc func(state, details string)

// Runner is the Kubernetes runner (a jobs.Runner). Its informers live until Close.
type Runner struct {
	cs   kubernetes.Interface
	cfg  Config
	life context.Context
	stop context.CancelFunc

	mu      sync.Mutex
	watches map[string]*nsWatch
}

var _ jobs.Runner = (*Runner)(nil)

// New returns a Runner on a clientset.
func New(cs kubernetes.Interface, cfg Config) *Runner {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Propagation == "" {
		cfg.Propagation = metav1.DeletePropagationForeground
	}
	if cfg.CancelWait <= 0 {
		cfg.CancelWait = 2 * time.Minute
	}
	if cfg.LogDrain <= 0 {
		cfg.LogDrain = 30 * time.Second
	}
	if cfg.LogRetry <= 0 {
		cfg.LogRetry = time.Second
	}
	if cfg.ImagePullTimeout <= 0 {
		cfg.ImagePullTimeout = 5 * time.Minute
	}
	if cfg.Logs == nil {
		cfg.Logs = apiLogs{cs}
	}
	cfg.BuildOptions.defaults()
	life, stop := context.WithCancel(context.Background())
	return &Runner{cs: cs, cfg: cfg, life: life, stop: stop, watches: map[string]*nsWatch{}}
}

// Close stops the informers.
func (r *Runner) Close() { r.stop() }

// nsWatch is the informers of one namespace, on the runner's objects only.
type nsWatch struct {
	jobInf, podInf cache.SharedIndexInformer
	jobs           batchlisters.JobLister
	pods           corelisters.PodLister
}

func (r *Runner) watch(ctx context.Context, ns string) (*nsWatch, error) {
	r.mu.Lock()
	w, ok := r.watches[ns]
	if !ok {
		f := informers.NewSharedInformerFactoryWithOptions(r.cs, 0, informers.WithNamespace(ns),
			informers.WithTweakListOptions(func(o *metav1.ListOptions) { o.LabelSelector = LabelManagedBy + "=" + ManagedByWaggle }))
		w = &nsWatch{jobInf: f.Batch().V1().Jobs().Informer(), podInf: f.Core().V1().Pods().Informer(),
			jobs: f.Batch().V1().Jobs().Lister(), pods: f.Core().V1().Pods().Lister()}
		f.Start(r.life.Done())
		r.watches[ns] = w
	}
	r.mu.Unlock()
	if !cache.WaitForCacheSync(ctx.Done(), w.jobInf.HasSynced, w.podInf.HasSynced) {
		return nil, fmt.Errorf("k8s: informers of namespace %s did not sync: %w", ns, context.Cause(ctx))
	}
	return w, nil
}

// subscribe pokes ch (non-blocking) on every change of a Job or Pod that match accepts.
func (w *nsWatch) subscribe(match func(metav1.Object) bool, ch chan<- struct{}) (func(), error) {
	poke := func(obj any) {
		if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = d.Obj
		}
		if m, ok := obj.(metav1.Object); ok && match(m) {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
	h := cache.ResourceEventHandlerFuncs{AddFunc: poke, UpdateFunc: func(_, o any) { poke(o) }, DeleteFunc: poke}
	rj, err := w.jobInf.AddEventHandler(h)
	if err != nil {
		return nil, err
	}
	rp, err := w.podInf.AddEventHandler(h)
	if err != nil {
		_ = w.jobInf.RemoveEventHandler(rj)
		return nil, err
	}
	return func() { _ = w.jobInf.RemoveEventHandler(rj); _ = w.podInf.RemoveEventHandler(rp) }, nil
}

// Run implements jobs.Runner; progress goes to spec.OnState.
func (r *Runner) Run(ctx context.Context, spec jobs.AttemptSpec, onEvent func(jobevent.Event)) (jobs.Outcome, error) {
	return r.RunWithState(ctx, spec, onEvent, spec.OnState)
}

// RunWithState runs an attempt as a Kubernetes Job — or adopts the attempt's Job when it exists already
// (a server restarted while it ran): the same call re-attaches, re-reads the log from its start (statement
// events the log repeats are skipped only within one call; the job service stores them idempotently by
// index) and collects the outcome. onState nil means spec.OnState. A context cancelled before the Job is
// followed (not by ErrDetach) deletes the attempt's Job if there is one: a cancellation of an attempt that
// was held when the server restarted reaches it that way.
func (r *Runner) RunWithState(ctx context.Context, spec jobs.AttemptSpec, onEvent func(jobevent.Event), onState StateFunc) (jobs.Outcome, error) {
	if onState == nil {
		onState = spec.OnState
	}
	if onState == nil {
		onState = func(string, string) {}
	}
	if onEvent == nil {
		onEvent = func(jobevent.Event) {}
	}
	t := TargetOf(spec, r.cfg.DefaultNamespace)
	if r.cfg.Target != nil {
		var err error
		if t, err = r.cfg.Target(spec); err != nil {
			return jobs.Outcome{}, err
		}
	}
	if len(r.cfg.Namespaces) > 0 && !slices.Contains(r.cfg.Namespaces, t.Namespace) {
		return jobs.Outcome{}, fmt.Errorf("namespace %q is not one of the runner's namespaces (%v)", t.Namespace, r.cfg.Namespaces)
	}
	if ctx.Err() != nil {
		return r.cancelUnfollowed(ctx, spec, t, onState)
	}
	script, err := os.ReadFile(spec.Script)
	if err != nil {
		return jobs.Outcome{}, fmt.Errorf("read the script: %w", err)
	}
	objs, err := Build(spec, script, t, r.cfg.BuildOptions)
	if err != nil {
		return jobs.Outcome{}, err
	}
	w, err := r.watch(ctx, t.Namespace)
	if err != nil {
		if ctx.Err() != nil {
			return r.cancelUnfollowed(ctx, spec, t, onState)
		}
		return jobs.Outcome{}, err
	}
	a := &attempt{r: r, spec: spec, t: t, objs: objs, w: w, name: objs.Job.Name, onEvent: onEvent, onState: onState}
	if a.engine, err = EngineOf(spec); err != nil {
		return jobs.Outcome{}, err
	}
	if a.engine == EngineSpark {
		a.parser = &SparkSQLParser{File: scriptBase(spec.Script), Script: string(script)}
	}
	pokes := make(chan struct{}, 1)
	unsubscribe, err := w.subscribe(func(m metav1.Object) bool {
		l := m.GetLabels()
		return l[LabelJobID] == spec.JobID && l[LabelAttempt] == strconv.Itoa(spec.Number)
	}, pokes)
	if err != nil {
		return jobs.Outcome{}, err
	}
	defer unsubscribe()
	adopted, err := a.submit(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return r.cancelUnfollowed(ctx, spec, t, onState)
		}
		return jobs.Outcome{}, err
	}
	if adopted {
		onState(jobs.StateSubmitted, fmt.Sprintf("re-adopted Job %s/%s", t.Namespace, a.name))
	} else {
		onState(jobs.StateSubmitted, fmt.Sprintf("Job %s/%s created", t.Namespace, a.name))
	}
	return a.loop(ctx, pokes)
}

// cancelUnfollowed handles a context that ended before the attempt's Job was followed: detach, or delete
// the Job (if the attempt has one — it may, from before a server restart, or from a submit cut short).
func (r *Runner) cancelUnfollowed(ctx context.Context, spec jobs.AttemptSpec, t Target, onState StateFunc) (jobs.Outcome, error) {
	if detaching(ctx) {
		return jobs.Outcome{}, ErrDetach
	}
	a := &attempt{r: r, spec: spec, t: t, name: JobName(spec)}
	a.delete(ctx, r.cfg.Propagation)
	a.note(fmt.Sprintf("cancelled before the Job was followed: Job %s/%s deleted if it existed", t.Namespace, a.name))
	onState(jobs.StateCancelled, "JobRun CANCELLED successfully.")
	return jobs.Outcome{Cancelled: true, ExitCode: -1}, nil
}

func scriptBase(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}

// attempt is one Run's state.
type attempt struct {
	r       *Runner
	spec    jobs.AttemptSpec
	t       Target
	objs    *Objects
	w       *nsWatch
	name    string
	engine  string
	onEvent func(jobevent.Event)
	onState StateFunc
	parser  *SparkSQLParser

	sawJob, running       bool
	term                  *corev1.ContainerStateTerminated
	podName, podPhaseNote string
	podFailure, jobFailed string
	jobFailedReason       string
	fatal                 string
	podRunning            bool // the pod still runs (a sidecar) after the main container ended

	streaming, eof, logsComplete bool
	delivered                    int
	end                          *jobevent.Event
	drainExpired, pullExpired    bool
}

// submit creates the attempt's objects, or adopts its existing Job.
func (a *attempt) submit(ctx context.Context) (adopted bool, err error) {
	cs, ns := a.r.cs, a.t.Namespace
	if _, err := cs.BatchV1().Jobs(ns).Get(ctx, a.name, metav1.GetOptions{}); err == nil {
		return true, nil
	} else if !apierrors.IsNotFound(err) {
		return false, fmt.Errorf("k8s: get Job %s/%s: %w", ns, a.name, err)
	}
	if sa := a.objs.ServiceAccount; sa != nil {
		cur, err := cs.CoreV1().ServiceAccounts(ns).Get(ctx, sa.Name, metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			if _, err := cs.CoreV1().ServiceAccounts(ns).Create(ctx, sa, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
				return false, fmt.Errorf("k8s: create ServiceAccount %s/%s: %w", ns, sa.Name, err)
			}
		case err != nil:
			return false, fmt.Errorf("k8s: get ServiceAccount %s/%s: %w", ns, sa.Name, err)
		case cur.Annotations[AnnotationIRSARole] != sa.Annotations[AnnotationIRSARole]:
			cur = cur.DeepCopy()
			if cur.Annotations == nil {
				cur.Annotations = map[string]string{}
			}
			cur.Annotations[AnnotationIRSARole] = sa.Annotations[AnnotationIRSARole]
			if _, err := cs.CoreV1().ServiceAccounts(ns).Update(ctx, cur, metav1.UpdateOptions{}); err != nil {
				return false, fmt.Errorf("k8s: update ServiceAccount %s/%s: %w", ns, sa.Name, err)
			}
		}
	}
	cm, err := cs.CoreV1().ConfigMaps(ns).Create(ctx, a.objs.ConfigMap, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		cm, err = cs.CoreV1().ConfigMaps(ns).Update(ctx, a.objs.ConfigMap, metav1.UpdateOptions{})
	}
	if err != nil {
		return false, fmt.Errorf("k8s: ConfigMap %s/%s: %w", ns, a.objs.ConfigMap.Name, err)
	}
	var sec *corev1.Secret
	if a.objs.Secret != nil {
		sec, err = cs.CoreV1().Secrets(ns).Create(ctx, a.objs.Secret, metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			sec, err = cs.CoreV1().Secrets(ns).Update(ctx, a.objs.Secret, metav1.UpdateOptions{})
		}
		if err != nil {
			return false, fmt.Errorf("k8s: Secret %s/%s: %w", ns, a.objs.Secret.Name, err)
		}
	}
	job, err := cs.BatchV1().Jobs(ns).Create(ctx, a.objs.Job, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("k8s: create Job %s/%s: %w", ns, a.name, err)
	}
	// The ConfigMap and Secret go with the Job (garbage collection after its TTL, or on cancellation).
	owner := metav1.OwnerReference{APIVersion: "batch/v1", Kind: "Job", Name: job.Name, UID: job.UID}
	cm.OwnerReferences = []metav1.OwnerReference{owner}
	if _, err := cs.CoreV1().ConfigMaps(ns).Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
		a.r.cfg.Logger.Warn("k8s: set the ConfigMap's owner", "job", a.spec.JobID, "err", err)
	}
	if sec != nil {
		sec.OwnerReferences = []metav1.OwnerReference{owner}
		if _, err := cs.CoreV1().Secrets(ns).Update(ctx, sec, metav1.UpdateOptions{}); err != nil {
			a.r.cfg.Logger.Warn("k8s: set the Secret's owner", "job", a.spec.JobID, "err", err)
		}
	}
	return false, nil
}

// loop follows the attempt to its end: every informer event re-reads the Job and Pod from the listers.
func (a *attempt) loop(ctx context.Context, pokes <-chan struct{}) (jobs.Outcome, error) {
	streamCtx, stopStream := context.WithCancel(context.WithoutCancel(ctx))
	logDone := make(chan error, 1)
	// quiesce stops a running log stream and waits for it, so the attempt's fields are the loop's alone.
	quiesce := func() {
		stopStream()
		if a.streaming {
			<-logDone
			a.streaming = false
		}
	}
	defer quiesce()
	var retry, drain, pull <-chan time.Time
	wake := make(chan struct{}, 1)
	wake <- struct{}{}
	for {
		select {
		case <-ctx.Done():
			quiesce()
			return a.cancel(ctx, pokes)
		case <-pokes:
		case <-wake:
		case err := <-logDone:
			a.streaming = false
			a.eof = err == nil
			if err != nil {
				a.r.cfg.Logger.Warn("k8s: job log stream", "job", a.spec.JobID, "err", err)
				retry = time.After(a.r.cfg.LogRetry)
			}
		case <-retry:
			retry = nil
		case <-drain:
			a.drainExpired = true
		case <-pull:
			a.pullExpired = true
		}
		ended, pulling := a.observe()
		if pulling && pull == nil {
			pull = time.After(a.r.cfg.ImagePullTimeout)
		}
		if a.fatal != "" {
			quiesce()
			return a.abort(ctx)
		}
		if ended && a.eof {
			a.logsComplete = true
		}
		if a.eof && !ended && retry == nil {
			// The stream ended but the container runs (a broken connection): read it again.
			a.eof = false
			retry = time.After(a.r.cfg.LogRetry)
		}
		if a.running && !a.streaming && !a.logsComplete && retry == nil && !a.eof && a.podName != "" {
			a.streaming = true
			go func(pod string) { logDone <- a.stream(streamCtx, pod) }(a.podName)
		}
		if ended {
			if !a.running || a.logsComplete || a.drainExpired {
				quiesce()
				return a.finish(ctx)
			}
			if drain == nil {
				drain = time.After(a.r.cfg.LogDrain)
			}
		}
	}
}

// fatalWaiting are waiting reasons that never resolve by themselves.
var fatalWaiting = map[string]bool{"InvalidImageName": true, "CreateContainerConfigError": true, "CreateContainerError": true, "ErrImageNeverPull": true}

// observe reads the Job and the attempt's pod from the listers; it reports whether the attempt ended and
// whether its image is failing to pull.
func (a *attempt) observe() (ended, pulling bool) {
	ns := a.t.Namespace
	job, err := a.w.jobs.Jobs(ns).Get(a.name)
	gone := false
	switch {
	case err == nil:
		a.sawJob = true
		for _, c := range job.Status.Conditions {
			if c.Type == batchv1.JobFailed && c.Status == corev1.ConditionTrue {
				a.jobFailedReason, a.jobFailed = c.Reason, fmt.Sprintf("%s: %s", c.Reason, c.Message)
			}
		}
	case apierrors.IsNotFound(err):
		gone = a.sawJob // the informer may not have seen a Job it was just given
	}
	pod := a.pod()
	podDone := pod == nil
	if pod != nil {
		a.podName = pod.Name
		podDone = pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
		a.podRunning = !podDone
		if st := containerStatus(pod, a.objs.MainContainer); st != nil {
			if (st.State.Running != nil || st.State.Terminated != nil) && !a.running {
				a.running = true
				a.onState(jobs.StateRunning, fmt.Sprintf("pod %s/%s running on %s", ns, pod.Name, pod.Spec.NodeName))
			}
			if st.State.Terminated != nil && a.term == nil {
				a.term = st.State.Terminated.DeepCopy()
			}
			if wt := st.State.Waiting; wt != nil {
				switch {
				case fatalWaiting[wt.Reason]:
					a.fatal = wt.Reason + ": " + wt.Message
				case wt.Reason == "ErrImagePull" || wt.Reason == "ImagePullBackOff":
					pulling = true
					if a.pullExpired {
						a.fatal = wt.Reason + ": " + wt.Message
					}
				}
			}
		}
		if pod.Status.Phase == corev1.PodFailed && a.term == nil {
			a.podFailure = fmt.Sprintf("pod %s failed: %s %s", pod.Name, pod.Status.Reason, pod.Status.Message)
		}
	}
	ended = a.term != nil || a.podFailure != "" || (a.jobFailed != "" && podDone) || gone
	if gone && a.term == nil && a.jobFailed == "" && a.podFailure == "" {
		a.podFailure = fmt.Sprintf("the Kubernetes Job %s/%s was deleted", ns, a.name)
	}
	return ended, pulling
}

// pod returns the attempt's pod (not a Spark executor): the one whose main container ended, else the newest.
func (a *attempt) pod() *corev1.Pod {
	sel := labels.SelectorFromSet(labels.Set{LabelJobID: a.spec.JobID, LabelAttempt: strconv.Itoa(a.spec.Number)})
	pods, err := a.w.pods.Pods(a.t.Namespace).List(sel)
	if err != nil {
		return nil
	}
	var best *corev1.Pod
	for _, p := range pods {
		if p.Annotations[AnnotationMainContainer] != a.objs.MainContainer {
			continue
		}
		if st := containerStatus(p, a.objs.MainContainer); st != nil && st.State.Terminated != nil {
			return p
		}
		if best == nil || p.CreationTimestamp.After(best.CreationTimestamp.Time) {
			best = p
		}
	}
	return best
}

func containerStatus(p *corev1.Pod, name string) *corev1.ContainerStatus {
	for i := range p.Status.ContainerStatuses {
		if p.Status.ContainerStatuses[i].Name == name {
			return &p.Status.ContainerStatuses[i]
		}
	}
	return nil
}

// stream reads the main container's log from its start into the attempt's stdout/stderr files and events.
func (a *attempt) stream(ctx context.Context, pod string) error {
	rc, err := a.r.cfg.Logs.Stream(ctx, a.t.Namespace, pod, LogOptions{Container: a.objs.MainContainer, Follow: true, Timestamps: a.engine == EngineSpark})
	if err != nil {
		return err
	}
	defer rc.Close()
	stdout, err := openLog(a.spec.Stdout, false)
	if err != nil {
		return err
	}
	defer stdout.Close()
	stderr, err := openLog(a.spec.Stderr, false)
	if err != nil {
		return err
	}
	defer stderr.Close()
	for _, n := range a.spec.Notes {
		fmt.Fprintln(stderr, "waggle:", n)
	}
	s := &Sink{Stdout: stdout, Stderr: stderr, OnEvent: a.onEvent, Skip: a.delivered,
		Warn: func(m string) { a.r.cfg.Logger.Warn("k8s: "+m, "job", a.spec.JobID) }}
	if a.engine == EngineSpark {
		p := &SparkSQLParser{File: a.parser.File, Script: a.parser.Script}
		err = s.SparkDemux(rc, p, true)
		if err == nil {
			a.parser = p
		}
	} else {
		err = s.Demux(rc)
	}
	a.delivered = max(a.delivered, s.Delivered())
	if err == nil {
		a.end = s.End
	}
	return err
}

// openLog opens an attempt's log file ("" discards).
func openLog(path string, appendTo bool) (io.WriteCloser, error) {
	if path == "" {
		return nopCloser{io.Discard}, nil
	}
	flag := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if appendTo {
		flag = os.O_CREATE | os.O_WRONLY | os.O_APPEND
	}
	return os.OpenFile(path, flag, 0o600)
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// note appends a line to the attempt's stderr log (what the job service shows in stateDetails).
func (a *attempt) note(msg string) {
	if f, err := openLog(a.spec.Stderr, true); err == nil {
		fmt.Fprintln(f, "waggle:", msg)
		f.Close()
	}
}

// finish builds the outcome from the main container's exit status (never a sidecar's).
func (a *attempt) finish(ctx context.Context) (jobs.Outcome, error) {
	out := jobs.Outcome{ExitCode: -1, End: a.end}
	var details string
	if !a.logsComplete && a.running {
		a.note(fmt.Sprintf("the log of pod %s was not read to its end", a.podName))
	}
	if a.engine == EngineSpark {
		out.End = nil
		if e := a.parser.Close(time.Time{}); e != nil && a.parser.Statements() > a.delivered {
			a.onEvent(*e)
		}
	}
	switch t := a.term; {
	case t != nil && t.Reason == jobs.OutcomeOOMKilled:
		out.MemoryExceeded, out.Signal, out.Reason = true, syscall.SIGKILL.String(), jobs.OutcomeOOMKilled
		details = fmt.Sprintf("OOMKilled: container %s exceeded its memory limit (%s)", a.objs.MainContainer, a.memoryLimit())
		a.note(details + " and was killed out of memory")
	case t != nil && a.jobFailedReason == jobs.OutcomeDeadlineExceeded:
		out.Reason = jobs.OutcomeDeadlineExceeded
		details = a.jobFailed // "DeadlineExceeded: <the Job controller's message>"
		a.note(fmt.Sprintf("the attempt ran longer than activeDeadlineSeconds (%ds) and was stopped", *a.objs.Job.Spec.ActiveDeadlineSeconds))
	case t != nil && t.ExitCode > 128 && t.ExitCode < 160 && t.Signal == 0:
		out.Signal = syscall.Signal(t.ExitCode - 128).String()
		details = fmt.Sprintf("container %s was killed by signal %s", a.objs.MainContainer, out.Signal)
	case t != nil:
		out.ExitCode = int(t.ExitCode)
		details = fmt.Sprintf("container %s exited with code %d", a.objs.MainContainer, t.ExitCode)
		if a.engine == EngineSpark {
			out.End = &jobevent.Event{Type: jobevent.TypeEnd, ExitCode: int(t.ExitCode), Statements: a.parser.Statements(), FailedStatement: a.parser.FailedStatement()}
			a.note(sparkOutcomeNote(a.parser, t.ExitCode))
		}
	default:
		details = a.podFailure
		if details == "" {
			details = a.jobFailed
		}
		a.note(details)
		if a.jobFailedReason == jobs.OutcomeDeadlineExceeded {
			out.Reason = jobs.OutcomeDeadlineExceeded
		}
	}
	state := jobs.StateFailed
	if out.ExitCode == 0 && out.End != nil && out.End.ExitCode == 0 {
		state = jobs.StateCompleted
	}
	if a.term != nil && a.podRunning {
		// A sidecar keeps the pod (and the Job) alive: the attempt is over, so is the Job.
		a.note("the main container ended while other containers still ran; deleting the Job")
		a.delete(ctx, metav1.DeletePropagationBackground)
	}
	a.onState(state, details)
	return out, nil
}

func (a *attempt) memoryLimit() string {
	for _, c := range a.objs.Job.Spec.Template.Spec.Containers {
		if c.Name == a.objs.MainContainer {
			if q, ok := c.Resources.Limits[corev1.ResourceMemory]; ok {
				return q.String()
			}
		}
	}
	return "none"
}

func (a *attempt) delete(ctx context.Context, prop metav1.DeletionPropagation) {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	err := a.r.cs.BatchV1().Jobs(a.t.Namespace).Delete(dctx, a.name, metav1.DeleteOptions{PropagationPolicy: &prop})
	if err != nil && !apierrors.IsNotFound(err) {
		a.r.cfg.Logger.Warn("k8s: delete Job", "job", a.spec.JobID, "name", a.name, "err", err)
	}
}

// abort ends an attempt whose pod cannot start (bad image, missing config): the Job is deleted and Run
// returns an error (the job service records INTERNAL_ERROR and retries when the policy allows).
func (a *attempt) abort(ctx context.Context) (jobs.Outcome, error) {
	a.delete(ctx, metav1.DeletePropagationBackground)
	a.note("the pod cannot start: " + a.fatal)
	a.onState(jobs.StateFailed, a.fatal)
	return jobs.Outcome{ExitCode: -1}, fmt.Errorf("pod of Job %s/%s cannot start: %s", a.t.Namespace, a.name, a.fatal)
}

// cancel handles the end of Run's context: detach (server stopping) or cancel the attempt (delete its Job
// and wait, up to CancelWait, until it is gone).
func (a *attempt) cancel(ctx context.Context, pokes <-chan struct{}) (jobs.Outcome, error) {
	if detaching(ctx) {
		return jobs.Outcome{}, ErrDetach
	}
	a.delete(ctx, a.r.cfg.Propagation)
	timeout := time.After(a.r.cfg.CancelWait)
wait:
	for {
		if _, err := a.w.jobs.Jobs(a.t.Namespace).Get(a.name); apierrors.IsNotFound(err) {
			break
		}
		select {
		case <-pokes:
		case <-timeout:
			a.r.cfg.Logger.Warn("k8s: cancelled Job still exists", "job", a.spec.JobID, "name", a.name)
			break wait
		}
	}
	a.observe()
	out := jobs.Outcome{Cancelled: true, ExitCode: -1, End: a.end}
	if a.term != nil {
		out.ExitCode = int(a.term.ExitCode)
	}
	a.note(fmt.Sprintf("cancelled: Job %s/%s deleted (propagation %s)", a.t.Namespace, a.name, a.r.cfg.Propagation))
	a.onState(jobs.StateCancelled, "JobRun CANCELLED successfully.")
	return out, nil
}

// AttemptRef names an attempt's Job found in the cluster.
type AttemptRef struct {
	JobID     string
	Attempt   int
	Namespace string
	Name      string
	Finished  bool // the Job has a Complete or Failed condition
}

// Attempts lists the attempts whose Jobs exist in the runner's namespaces, by label. A server calls it at
// startup (once, not a polling loop) to re-adopt them: running them again with the same spec re-attaches.
func (r *Runner) Attempts(ctx context.Context) ([]AttemptRef, error) {
	nss := r.cfg.Namespaces
	if len(nss) == 0 {
		nss = []string{metav1.NamespaceAll}
	}
	var out []AttemptRef
	for _, ns := range nss {
		list, err := r.cs.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{LabelSelector: LabelManagedBy + "=" + ManagedByWaggle})
		if err != nil {
			return nil, fmt.Errorf("k8s: list Jobs in %q: %w", ns, err)
		}
		for _, j := range list.Items {
			n, err := strconv.Atoi(j.Labels[LabelAttempt])
			if err != nil || j.Labels[LabelJobID] == "" {
				continue
			}
			ref := AttemptRef{JobID: j.Labels[LabelJobID], Attempt: n, Namespace: j.Namespace, Name: j.Name}
			for _, c := range j.Status.Conditions {
				if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
					ref.Finished = true
				}
			}
			out = append(out, ref)
		}
	}
	slices.SortFunc(out, func(x, y AttemptRef) int {
		if x.JobID != y.JobID {
			if x.JobID < y.JobID {
				return -1
			}
			return 1
		}
		return x.Attempt - y.Attempt
	})
	return out, nil
}

// Active is Attempts as the job service's recovery wants it: job id → the highest attempt with a Job.
func (r *Runner) Active(ctx context.Context) (map[string]int, error) {
	refs, err := r.Attempts(ctx)
	if err != nil {
		return nil, err
	}
	m := map[string]int{}
	for _, ref := range refs {
		m[ref.JobID] = max(m[ref.JobID], ref.Attempt)
	}
	return m, nil
}
