package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/waggle-dev/waggle/jobevent"
)

// StartJobRunInput is StartJobRunRequest.
type StartJobRunInput struct {
	VirtualClusterID         string                    `json:"-"`
	Name                     string                    `json:"name,omitempty"`
	ClientToken              string                    `json:"clientToken"`
	ExecutionRoleArn         string                    `json:"executionRoleArn,omitempty"`
	ReleaseLabel             string                    `json:"releaseLabel,omitempty"`
	JobDriver                *JobDriver                `json:"jobDriver,omitempty"`
	ConfigurationOverrides   *ConfigurationOverrides   `json:"configurationOverrides,omitempty"`
	Tags                     map[string]string         `json:"tags,omitempty"`
	JobTemplateID            string                    `json:"jobTemplateId,omitempty"`
	JobTemplateParameters    map[string]string         `json:"jobTemplateParameters,omitempty"`
	RetryPolicyConfiguration *RetryPolicyConfiguration `json:"retryPolicyConfiguration,omitempty"`
}

// StartJobRunOutput is StartJobRunResponse.
type StartJobRunOutput struct {
	ID               string `json:"id"`
	Name             string `json:"name,omitempty"`
	Arn              string `json:"arn"`
	VirtualClusterID string `json:"virtualClusterId"`
}

var templateRefRE = regexp.MustCompile(`\$\{([\.\-_\#A-Za-z0-9]+)\}`)

// applyTemplate fills the request's missing parts from a job template, with ${param} references replaced.
func applyTemplate(in *StartJobRunInput, t *JobTemplate) error {
	d := t.JobTemplateData
	params := map[string]string{}
	for name, pc := range d.ParameterConfiguration {
		if pc.DefaultValue != "" {
			params[name] = pc.DefaultValue
		}
	}
	for k, v := range in.JobTemplateParameters {
		if _, ok := d.ParameterConfiguration[k]; !ok {
			return validationf("job template %s declares no parameter %q", t.ID, k)
		}
		params[k] = v
	}
	for name, pc := range d.ParameterConfiguration {
		if pc.Type == "NUMBER" && params[name] != "" {
			if _, err := fmt.Sscanf(params[name], "%g", new(float64)); err != nil {
				return validationf("job template parameter %s must be a NUMBER, got %q", name, params[name])
			}
		}
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return internal(err)
	}
	var missing []string
	raw = templateRefRE.ReplaceAllFunc(raw, func(m []byte) []byte {
		name := string(m[2 : len(m)-1])
		v, ok := params[name]
		if !ok {
			missing = append(missing, name)
			return m
		}
		q, _ := json.Marshal(v)
		return q[1 : len(q)-1] // inside a JSON string already
	})
	if len(missing) > 0 {
		return validationf("job template %s: no value for parameter(s) %s", t.ID, strings.Join(missing, ", "))
	}
	var filled JobTemplateData
	if err := json.Unmarshal(raw, &filled); err != nil {
		return validationf("job template %s does not produce a valid job: %v", t.ID, err)
	}
	if in.ExecutionRoleArn == "" {
		in.ExecutionRoleArn = filled.ExecutionRoleArn
	}
	if in.ReleaseLabel == "" {
		in.ReleaseLabel = filled.ReleaseLabel
	}
	if in.JobDriver == nil {
		in.JobDriver = filled.JobDriver
	}
	if in.ConfigurationOverrides == nil && len(filled.ConfigurationOverrides) > 0 {
		var co ConfigurationOverrides
		if err := json.Unmarshal(filled.ConfigurationOverrides, &co); err != nil {
			return validationf("job template %s: configurationOverrides: %v", t.ID, err)
		}
		in.ConfigurationOverrides = &co
	}
	if len(filled.JobTags) > 0 {
		tags := maps.Clone(filled.JobTags)
		maps.Copy(tags, in.Tags)
		in.Tags = tags
	}
	return nil
}

// StartJobRun validates and queues a job run. A repeated client token returns the job it created.
func (s *Service) StartJobRun(ctx context.Context, in StartJobRunInput) (StartJobRunOutput, error) {
	if err := checkID("virtualClusterId", in.VirtualClusterID); err != nil {
		return StartJobRunOutput{}, err
	}
	if err := checkClientToken(in.ClientToken); err != nil {
		return StartJobRunOutput{}, err
	}
	var j JobRun
	err := s.inTx(ctx, func(tx db) error {
		id, err := idByToken(ctx, tx, kindJob, in.VirtualClusterID, in.ClientToken)
		if err != nil {
			return internal(err)
		}
		if id != "" {
			_, _, err := getResource(ctx, tx, kindJob, id, &j)
			return internal(err)
		}
		vc, err := s.getVC(ctx, tx, in.VirtualClusterID)
		if err != nil {
			return err
		}
		if vc.State != VCRunning {
			return validationf("Virtual cluster %s is %s.", vc.ID, vc.State)
		}
		if in.JobTemplateID != "" {
			t, err := s.getTemplate(ctx, tx, in.JobTemplateID)
			if err != nil {
				return err
			}
			if err := applyTemplate(&in, t); err != nil {
				return err
			}
		}
		if err := validateJob(&in); err != nil {
			return err
		}
		id = newJobRunID()
		name := in.Name
		if name == "" {
			if p, _ := parseSQLParams(paramsOf(in.JobDriver)); p.Name != "" {
				name = p.Name
			}
		}
		j = JobRun{ID: id, Name: name, VirtualClusterID: vc.ID, Arn: s.arns.jobRun(vc.ID, id), State: StateSubmitted,
			ClientToken: in.ClientToken, ExecutionRoleArn: in.ExecutionRoleArn, ReleaseLabel: in.ReleaseLabel,
			ConfigurationOverrides: in.ConfigurationOverrides, JobDriver: in.JobDriver, CreatedAt: now().Truncate(time.Second),
			CreatedBy: s.identity(ctx), Tags: in.Tags, RetryPolicyConfiguration: in.RetryPolicyConfiguration}
		if j.Tags == nil {
			j.Tags = map[string]string{}
		}
		if err := putResource(ctx, tx, row{kind: kindJob, id: id, vc: vc.ID, name: j.Name, state: j.State, token: in.ClientToken,
			created: now(), queuedAttempt: 1, doc: j}); err != nil {
			return internal(err)
		}
		return s.enqueue(ctx, tx, id, 1)
	})
	return StartJobRunOutput{ID: j.ID, Name: j.Name, Arn: j.Arn, VirtualClusterID: j.VirtualClusterID}, err
}

func paramsOf(d *JobDriver) string {
	_, p, _ := entryPointOf(d)
	return p
}

// validateJob checks what the model leaves to the server (required members, patterns, a runnable driver).
func validateJob(in *StartJobRunInput) error {
	if err := checkName("name", in.Name, false); err != nil {
		return err
	}
	if in.ExecutionRoleArn == "" || in.ReleaseLabel == "" || in.JobDriver == nil {
		return validationf("executionRoleArn, releaseLabel and jobDriver are required unless jobTemplateId names a template that has them")
	}
	if len(in.ExecutionRoleArn) < 20 || len(in.ExecutionRoleArn) > 2048 || !iamRoleArnRE.MatchString(in.ExecutionRoleArn) {
		return validationf("executionRoleArn %q is not an IAM role ARN", in.ExecutionRoleArn)
	}
	if !releaseLabelRE.MatchString(in.ReleaseLabel) {
		return validationf("releaseLabel %q is invalid", in.ReleaseLabel)
	}
	if err := checkTags(in.Tags); err != nil {
		return err
	}
	if rp := in.RetryPolicyConfiguration; rp != nil && (rp.MaxAttempts < 1 || rp.MaxAttempts > 10) {
		return validationf("retryPolicyConfiguration.maxAttempts must be between 1 and 10")
	}
	if co := in.ConfigurationOverrides; co != nil && co.MonitoringConfiguration != nil {
		if s3 := co.MonitoringConfiguration.S3MonitoringConfiguration; s3 != nil && s3.LogURI == "" {
			return validationf("s3MonitoringConfiguration.logUri is required")
		}
	}
	// Resolve the plan once now, so a bad driver or parameter string fails the call, not the job.
	_, err := plan(&JobRun{JobDriver: in.JobDriver, ConfigurationOverrides: in.ConfigurationOverrides}, nil, nil, "")
	return err
}

// getJob loads a job run of a virtual cluster.
func (s *Service) getJob(ctx context.Context, q db, vc, id string) (*JobRun, int, error) {
	if err := checkID("virtualClusterId", vc); err != nil {
		return nil, 0, err
	}
	if err := checkID("id", id); err != nil {
		return nil, 0, err
	}
	var j JobRun
	qa, ok, err := getResource(ctx, q, kindJob, id, &j)
	if err != nil {
		return nil, 0, internal(err)
	}
	if !ok || j.VirtualClusterID != vc {
		return nil, 0, notFoundf("Job run %s doesn't exist.", id)
	}
	return &j, qa, nil
}

func (s *Service) saveJob(ctx context.Context, q db, j *JobRun, queuedAttempt int) error {
	return internal(putResource(ctx, q, row{kind: kindJob, id: j.ID, vc: j.VirtualClusterID, name: j.Name, state: j.State,
		token: j.ClientToken, created: j.CreatedAt, queuedAttempt: queuedAttempt, doc: j}))
}

// DescribeJobRun returns one job run.
func (s *Service) DescribeJobRun(ctx context.Context, vc, id string) (*JobRun, error) {
	j, _, err := s.getJob(ctx, s.db, vc, id)
	return j, err
}

// ListJobRunsInput is ListJobRunsRequest.
type ListJobRunsInput struct {
	VirtualClusterID            string
	CreatedBefore, CreatedAfter time.Time
	Name                        string
	States                      []string
	MaxResults                  int
	NextToken                   string
}

var jobStates = map[string]bool{StatePending: true, StateSubmitted: true, StateRunning: true, StateFailed: true,
	StateCancelled: true, StateCancelPending: true, StateCompleted: true}

// ListJobRuns lists a virtual cluster's job runs, newest first.
func (s *Service) ListJobRuns(ctx context.Context, in ListJobRunsInput) ([]JobRun, string, error) {
	if err := checkID("virtualClusterId", in.VirtualClusterID); err != nil {
		return nil, "", err
	}
	if len(in.States) > 10 {
		return nil, "", validationf("at most 10 states may be given")
	}
	for _, st := range in.States {
		if !jobStates[st] {
			return nil, "", validationf("invalid job run state %q", st)
		}
	}
	if in.MaxResults < 0 {
		return nil, "", validationf("maxResults must be positive")
	}
	docs, next, err := listResources(ctx, s.db, listFilter{kind: kindJob, vc: in.VirtualClusterID, vcSet: true, name: in.Name,
		states: in.States, before: in.CreatedBefore, after: in.CreatedAfter, max: in.MaxResults, token: in.NextToken})
	if err != nil {
		return nil, "", internal(err)
	}
	out := []JobRun{}
	for _, d := range docs {
		var j JobRun
		if err := json.Unmarshal(d, &j); err != nil {
			return nil, "", internal(err)
		}
		out = append(out, j)
	}
	return out, next, nil
}

// CancelJobRun cancels a job run: a queued one at once, one whose attempt a runner holds (starting,
// running, or waiting to be re-adopted) by stopping it (CANCEL_PENDING until it has ended, then CANCELLED).
func (s *Service) CancelJobRun(ctx context.Context, vc, id string) (string, error) {
	running := false
	err := s.inTx(ctx, func(tx db) error {
		j, qa, err := s.getJob(ctx, tx, vc, id)
		if err != nil {
			return err
		}
		switch j.State {
		case StateCompleted, StateFailed, StateCancelled:
			return validationf("Job run %s is already %s.", id, j.State)
		case StateCancelPending:
			return nil
		case StateRunning:
			j.State, running = StateCancelPending, true
		default:
			a, ok, err := getAttempt(ctx, tx, id, qa)
			if err != nil {
				return internal(err)
			}
			if ok && attemptHeld(a.State) {
				j.State, running = StateCancelPending, true
			} else {
				j.State, j.FinishedAt, j.StateDetails = StateCancelled, now().Truncate(time.Second), "JobRun CANCELLED successfully."
			}
		}
		return s.saveJob(ctx, tx, j, qa)
	})
	if err == nil && running {
		s.signalCancel(id)
	}
	return id, err
}

// attemptHeld reports whether an attempt record in this state belongs to a runner: claimed by a worker
// (SUBMITTED: its runner is starting it; RUNNING), or waiting to be re-adopted after a restart (PENDING).
func attemptHeld(state string) bool {
	return state == StatePending || state == StateSubmitted || state == StateRunning
}

// signalCancel stops the attempt running here, if any.
func (s *Service) signalCancel(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ra := s.running[id]; ra != nil {
		ra.cancelRequested = true
		ra.cancel()
	}
}

// JobStatements returns the statement records of a job run (every attempt).
func (s *Service) JobStatements(ctx context.Context, vc, id string) ([]Statement, error) {
	if _, _, err := s.getJob(ctx, s.db, vc, id); err != nil {
		return nil, err
	}
	st, err := listStatements(ctx, s.db, id)
	return st, internal0(err)
}

// JobAttempts returns the attempts of a job run.
func (s *Service) JobAttempts(ctx context.Context, vc, id string) ([]Attempt, error) {
	if _, _, err := s.getJob(ctx, s.db, vc, id); err != nil {
		return nil, err
	}
	a, err := listAttempts(ctx, s.db, id)
	return a, internal0(err)
}

func internal0(err error) error {
	if err == nil {
		return nil
	}
	return internal(err)
}

// LogFile returns the local path of an attempt's stdout or stderr (attempt 0: the latest) and the job run.
func (s *Service) LogFile(ctx context.Context, vc, id string, attempt int, stream string) (string, *JobRun, error) {
	j, qa, err := s.getJob(ctx, s.db, vc, id)
	if err != nil {
		return "", nil, err
	}
	if stream != "stdout" && stream != "stderr" {
		return "", nil, validationf("stream must be stdout or stderr")
	}
	if attempt <= 0 {
		attempt = qa
	}
	return filepath.Join(s.jobDir(id), attemptID(id, attempt), stream), j, nil
}

// ---- recovery ----

// recover settles what a previous server left behind, before the queue starts. An attempt that was held
// by a runner when the server stopped:
//   - still exists on its runner's platform (an Adopter, i.e. Kubernetes, lists it as active): it is
//     re-queued with the same number — the job run goes back to SUBMITTED (a CANCEL_PENDING one stays so
//     and the re-adopted attempt is stopped) and the runner re-attaches to it;
//   - was only being started (the job run still SUBMITTED): it is queued again;
//   - was running: it died with the server (local children get SIGKILL when the server dies), so its job
//     fails — or retries when the policy allows — and a CANCEL_PENDING one is CANCELLED.
//
// Queued jobs are queued again (the claim in runAttempt makes duplicates harmless).
//
// On PostgreSQL several replicas share the jobs: an attempt held by a replica whose heartbeat is fresh is
// left alone, and each replica repeats the recovery periodically (startup false) for the attempts held by
// replicas that died, touching nothing else.
func (s *Service) recover(ctx context.Context, startup bool) error {
	ids, err := jobIDsInStates(ctx, s.db, StateRunning, StateCancelPending, StateSubmitted, StatePending)
	if err != nil {
		return fmt.Errorf("jobs: recover: %w", err)
	}
	var actives []adopterActive
	for id := range ids {
		// Ask the runner (outside the transaction: it may call a remote API) whether the attempt lives on.
		active := false
		var j JobRun
		qa, ok, err := getResource(ctx, s.db, kindJob, id, &j)
		if err != nil {
			return fmt.Errorf("jobs: recover %s: %w", id, err)
		}
		if !ok {
			continue
		}
		a, held, err := getAttempt(ctx, s.db, id, qa)
		if err != nil {
			return fmt.Errorf("jobs: recover %s: %w", id, err)
		}
		held = held && attemptHeld(a.State)
		replica := a.Replica
		if held {
			alive, err := s.replicaAlive(ctx, s.db, replica, startup)
			if err != nil {
				return fmt.Errorf("jobs: recover %s: %w", id, err)
			}
			if alive {
				continue
			}
		} else if !startup {
			continue
		}
		if held || j.State == StateRunning || j.State == StateCancelPending {
			if ad, ok := s.runnerFor(ctx, s.db, j.VirtualClusterID).(Adopter); ok {
				m, err := activeOf(ctx, ad, &actives)
				if err != nil {
					// Without an answer the attempt can be neither failed (its pod may run) nor re-run.
					return fmt.Errorf("jobs: recover %s: list the runner's active attempts: %w", id, err)
				}
				active = m[id] == qa
			}
		}
		err = s.inTx(ctx, func(tx db) error {
			var j JobRun
			qa, ok, err := getResource(ctx, tx, kindJob, id, &j)
			if err != nil || !ok {
				return internal0(err)
			}
			a, aok, err := getAttempt(ctx, tx, id, qa)
			if err != nil {
				return internal(err)
			}
			if s.db.pg {
				// Re-check under the job's row lock: another replica may have claimed or settled it since.
				heldNow := aok && attemptHeld(a.State)
				if heldNow != held || (heldNow && a.Replica != replica) {
					return nil
				}
				if heldNow {
					if alive, err := s.replicaAlive(ctx, tx, a.Replica, startup); err != nil || alive {
						return internal0(err)
					}
				}
			}
			if active {
				a.Number, a.ID, a.State = qa, attemptID(id, qa), StatePending
				a.Details = "the server restarted while this attempt ran; re-adopting it"
				if err := putAttempt(ctx, tx, id, a); err != nil {
					return internal(err)
				}
				if j.State == StateRunning {
					j.State = StateSubmitted
				}
				s.log.Info("job attempt still active after server restart; re-adopting it", "job", id, "attempt", qa, "state", j.State)
				if err := s.saveJob(ctx, tx, &j, qa); err != nil {
					return err
				}
				return s.enqueue(ctx, tx, id, qa)
			}
			switch j.State {
			case StateSubmitted, StatePending:
				if aok && attemptHeld(a.State) {
					// Claimed but not yet running (or no longer on its platform): start it afresh.
					if err := deleteAttempt(ctx, tx, id, qa); err != nil {
						return internal(err)
					}
				}
				return s.enqueue(ctx, tx, id, qa)
			}
			a.Number, a.ID = qa, attemptID(id, qa)
			a.State, a.FinishedAt, a.ExitCode = StateFailed, now(), -1
			a.Details = "the server stopped while this attempt was running"
			if err := putAttempt(ctx, tx, id, a); err != nil {
				return internal(err)
			}
			switch {
			case j.State == StateCancelPending:
				j.State, j.StateDetails = StateCancelled, "JobRun CANCELLED successfully."
			case qa < j.maxAttempts():
				j.State = StateSubmitted
				s.log.Info("job attempt lost with the previous server; retrying", "job", id, "attempt", qa)
				if err := s.saveJob(ctx, tx, &j, qa+1); err != nil {
					return err
				}
				return s.enqueue(ctx, tx, id, qa+1)
			default:
				j.State, j.FailureReason = StateFailed, ReasonInternal
				j.StateDetails = fmt.Sprintf("The server stopped while attempt %d was running; the job process was stopped with it.", qa)
			}
			j.FinishedAt = now().Truncate(time.Second)
			s.log.Info("job settled after server restart", "job", id, "state", j.State)
			return s.saveJob(ctx, tx, &j, qa)
		})
		if err != nil {
			return fmt.Errorf("jobs: recover %s: %w", id, err)
		}
	}
	return nil
}

// adopterActive caches an Adopter's answer during one recovery.
type adopterActive struct {
	ad     Adopter
	active map[string]int
}

// activeOf asks an Adopter for its active attempts once per recovery.
func activeOf(ctx context.Context, ad Adopter, cache *[]adopterActive) (map[string]int, error) {
	comparable := reflect.TypeOf(ad).Comparable()
	if comparable {
		for _, c := range *cache {
			if c.ad == ad {
				return c.active, nil
			}
		}
	}
	m, err := ad.Active(ctx)
	if err != nil {
		return nil, err
	}
	if comparable {
		*cache = append(*cache, adopterActive{ad, m})
	}
	return m, nil
}

// runnerFor returns the runner of a virtual cluster's jobs.
func (s *Service) runnerFor(ctx context.Context, q db, vcID string) Runner {
	if s.cfg.RunnerFor != nil {
		var vc VirtualCluster
		if _, ok, err := getResource(ctx, q, kindVC, vcID, &vc); err == nil && ok {
			if r := s.cfg.RunnerFor(&vc); r != nil {
				return r
			}
		}
	}
	return s.cfg.Runner
}

// ---- running an attempt ----

// errCancelRequested is the cause of an attempt's context when the user cancelled the job run.
var errCancelRequested = errors.New("jobs: the job run was cancelled")

// runAttempt is the queue worker: claim the attempt, run it, record the outcome.
func (s *Service) runAttempt(ctx context.Context, jobID string, n int) error {
	// The attempt's context: a user cancellation and the server stopping end it with different causes, so
	// a runner can tell "stop the attempt" from "leave it running" (ErrServerStopping).
	actx, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	defer cancel(nil)
	stopping := context.AfterFunc(ctx, func() { cancel(ErrServerStopping) })
	defer stopping()
	ra := &runningAttempt{cancel: func() { cancel(errCancelRequested) }}
	s.mu.Lock()
	s.running[jobID] = ra
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.running[jobID] == ra {
			delete(s.running, jobID)
		}
		s.mu.Unlock()
	}()

	// Claim: only the queue job of the attempt the job run is waiting for starts it, once. The job run
	// stays SUBMITTED (the attempt record says a worker holds it) until the runner reports RUNNING.
	var j JobRun
	claimed, readopt := false, false
	started := now()
	err := s.inTx(ctx, func(tx db) error {
		qa, ok, err := getResource(ctx, tx, kindJob, jobID, &j)
		if err != nil || !ok || qa != n {
			return internal0(err)
		}
		a, aok, err := getAttempt(ctx, tx, jobID, n)
		if err != nil {
			return internal(err)
		}
		readopt = aok && a.State == StatePending
		switch {
		case aok && !readopt: // held by a worker already, or over
			return nil
		case j.State == StateSubmitted:
		case j.State == StateCancelPending && readopt: // cancelled while waiting to be re-adopted: adopt it to stop it
		default:
			return nil
		}
		claimed = true
		if readopt && !a.StartedAt.IsZero() {
			started = a.StartedAt
		}
		if j.RetryPolicyConfiguration != nil {
			j.RetryPolicyExecution = &RetryPolicyExecution{CurrentAttemptCount: n}
			if err := s.saveJob(ctx, tx, &j, n); err != nil {
				return err
			}
		}
		return internal0(putAttempt(ctx, tx, jobID, Attempt{Number: n, ID: attemptID(jobID, n), State: StateSubmitted, StartedAt: started, Details: a.Details, Replica: s.replicaOf()}))
	})
	if err != nil || !claimed {
		return err
	}
	s.log.Info("job attempt started", "job", jobID, "attempt", n, "readopted", readopt)
	if j.State == StateCancelPending {
		s.signalCancel(jobID)
	} else {
		// A cancellation from another replica (or one that raced the claim) shows in the store.
		go s.watchCancel(actx, jobID, ra)
	}

	res := s.execute(actx, &j, n, readopt)
	if errors.Is(context.Cause(actx), ErrServerStopping) {
		// The server is stopping: the attempt is left held for the next start to settle (or re-adopt).
		return nil
	}
	return s.finish(context.WithoutCancel(ctx), jobID, n, started, res, s.cancelRequested(ra))
}

func (s *Service) cancelRequested(ra *runningAttempt) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ra.cancelRequested
}

func (s *Service) watchCancel(ctx context.Context, jobID string, ra *runningAttempt) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var st string
		if err := s.db.QueryRowContext(ctx, `SELECT state FROM waggle_resources WHERE kind = ? AND id = ?`, kindJob, jobID).Scan(&st); err == nil && st == StateCancelPending {
			s.signalCancel(jobID)
			return
		}
	}
}

// result is what an attempt came to.
type result struct {
	state, reason, details string
	exitCode               int
	retryable              bool
}

// execute prepares and runs one attempt and classifies how it ended. readopt: the attempt was held by a
// runner when the server restarted and is still active on its platform.
func (s *Service) execute(ctx context.Context, j *JobRun, n int, readopt bool) result {
	dir := filepath.Join(s.jobDir(j.ID), attemptID(j.ID, n))
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o700); err != nil {
		return result{state: StateFailed, reason: ReasonInternal, details: "cannot create the attempt's directory: " + err.Error(), retryable: true}
	}
	p, err := plan(j, s.cfg.Conf, s.cfg.LocalRoots, dir) // the attempt dir holds work/ and tmp/
	if err != nil {
		return result{state: StateFailed, reason: ReasonValidation, details: err.Error()}
	}
	var vc VirtualCluster
	if _, _, err := getResource(context.WithoutCancel(ctx), s.db, kindVC, j.VirtualClusterID, &vc); err != nil {
		return result{state: StateFailed, reason: ReasonInternal, details: "cannot read the virtual cluster: " + err.Error(), exitCode: -1, retryable: true}
	}
	runner := s.cfg.Runner
	if s.cfg.RunnerFor != nil {
		if r := s.cfg.RunnerFor(&vc); r != nil {
			runner = r
		}
	}
	// Placement comes from the job run and its virtual cluster, after (and regardless of) the job's settings.
	spec := AttemptSpec{JobID: j.ID, AttemptID: attemptID(j.ID, n), Number: n, Dir: dir, WorkDir: work,
		Script:   filepath.Join(work, filepath.Base(strings.TrimSuffix(p.Entry, "/"))),
		HiveVars: p.HiveVars, Conf: p.Conf, Memory: p.MemoryBytes, Database: p.Database, Silent: p.Silent, Verbose: p.Verbose,
		Notes: p.Notes, Stdout: filepath.Join(dir, "stdout"), Stderr: filepath.Join(dir, "stderr"),
		VirtualClusterID: j.VirtualClusterID, Namespace: vc.Namespace(), ExecutionRoleArn: j.ExecutionRoleArn}
	var runnerDetails string
	spec.OnState = func(state, details string) {
		if terminal(state) {
			runnerDetails = details
			return
		}
		s.runnerState(context.WithoutCancel(ctx), j.ID, n, state, details)
	}
	_, adopter := runner.(Adopter)
	if errors.Is(context.Cause(ctx), errCancelRequested) {
		// Cancelled before it started. A runner whose attempts outlive the server may hold one from before
		// a restart: it gets the cancelled context to stop it.
		if adopter {
			_, _ = runner.Run(ctx, spec, func(jobevent.Event) {})
		}
		return result{state: StateCancelled, details: "JobRun CANCELLED successfully.", exitCode: -1}
	}
	script, err := s.fetchEntryPoint(ctx, p, work)
	if err != nil {
		if _, serr := os.Stat(spec.Script); !readopt || serr != nil {
			return result{state: StateFailed, reason: ReasonUser, details: err.Error(), exitCode: -1, retryable: true}
		}
		// Re-adopting: the attempt runs already, with the script fetched before the restart.
		s.log.Warn("re-adopted attempt: entry point not fetched again; using the earlier copy", "job", j.ID, "err", err)
		script = spec.Script
	}
	spec.Script = script
	var failed *Statement
	count := 0
	out, rerr := runner.Run(ctx, spec, func(e jobevent.Event) {
		count++
		st := statementOf(n, e)
		if st.Status != "COMPLETED" && failed == nil {
			failed = &st
		}
		if err := putStatement(context.WithoutCancel(ctx), s.db, j.ID, st); err != nil {
			s.log.Warn("store statement", "job", j.ID, "err", err)
		}
		if s.cfg.Metrics != nil && e.Type == jobevent.TypeStatement {
			s.cfg.Metrics.ObserveStatement(e.Status, time.Duration(e.DurationMs)*time.Millisecond)
			s.cfg.Metrics.ObserveS3(e.S3Read, e.S3Written)
		}
	})
	if errors.Is(context.Cause(ctx), ErrServerStopping) {
		return result{} // left for the next server (runAttempt records nothing)
	}
	s.uploadLogs(context.WithoutCancel(ctx), j, spec, p)
	if rerr != nil {
		return result{state: StateFailed, reason: ReasonInternal, details: truncate("cannot run the job process: "+rerr.Error(), 256), exitCode: -1, retryable: true}
	}
	if out.Cancelled {
		return result{state: StateCancelled, details: "JobRun CANCELLED successfully.", exitCode: out.ExitCode}
	}
	if out.Reason == OutcomeDeadlineExceeded {
		d := runnerDetails
		if d == "" {
			d = OutcomeDeadlineExceeded + ": the attempt ran longer than its deadline"
		}
		return result{state: StateFailed, reason: ReasonUser, exitCode: out.ExitCode,
			details: truncate(fmt.Sprintf("%s (stopped after %d statement(s))", d, count), 256)}
	}
	if out.ExitCode == 0 && out.End != nil && out.End.ExitCode == 0 {
		return result{state: StateCompleted, exitCode: 0}
	}
	tail := tailFile(spec.Stderr, 8<<10)
	if out.MemoryExceeded && out.Reason != "" {
		return result{state: StateFailed, reason: ReasonUser, exitCode: out.ExitCode, retryable: true,
			details: truncate(fmt.Sprintf("%s: Job exceeded its memory limit (driver memory %s) and was killed after %d statement(s).", out.Reason, p.Memory, count), 256)}
	}
	if out.MemoryExceeded {
		return result{state: StateFailed, reason: ReasonUser, exitCode: out.ExitCode, retryable: true,
			details: truncate(fmt.Sprintf("Job exceeded its memory limit (driver memory %s): the process used %d MiB and was killed after %d statement(s).", p.Memory, out.PeakRSS>>20, count), 256)}
	}
	if oom := memoryExceeded(tail, out); oom {
		return result{state: StateFailed, reason: ReasonUser, exitCode: out.ExitCode, retryable: true,
			details: truncate(fmt.Sprintf("Job exceeded its memory limit (driver memory %s): %s", p.Memory, lastLine(tail)), 256)}
	}
	if failed != nil {
		d := fmt.Sprintf("Statement %d failed: %s", failed.Index+1, failed.Error)
		if failed.Error == "" {
			d = fmt.Sprintf("Statement %d (line %d) failed", failed.Index+1, failed.Line)
		}
		return result{state: StateFailed, reason: ReasonUser, details: truncate(d, 256), exitCode: out.ExitCode, retryable: true}
	}
	if out.End != nil {
		return result{state: StateFailed, reason: ReasonUser, exitCode: out.ExitCode, retryable: true,
			details: truncate(fmt.Sprintf("Job exited with code %d: %s", out.ExitCode, lastLine(tail)), 256)}
	}
	how := fmt.Sprintf("exit code %d", out.ExitCode)
	if out.Signal != "" {
		how = "signal " + out.Signal
	}
	if out.Reason != "" {
		how += ", " + out.Reason
	}
	return result{state: StateFailed, reason: ReasonInternal, exitCode: out.ExitCode, retryable: true,
		details: truncate(fmt.Sprintf("The job process died (%s) after %d statement(s): %s", how, count, lastLine(tail)), 256)}
}

// runnerState records a runner's progress report: the attempt's details, and RUNNING — the job run goes
// from SUBMITTED to RUNNING when its process runs (a CANCEL_PENDING one stays so).
func (s *Service) runnerState(ctx context.Context, jobID string, n int, state, details string) {
	if state != StateSubmitted && state != StateRunning {
		return
	}
	err := s.inTx(ctx, func(tx db) error {
		var j JobRun
		qa, ok, err := getResource(ctx, tx, kindJob, jobID, &j)
		if err != nil || !ok || qa != n {
			return internal0(err)
		}
		a, ok, err := getAttempt(ctx, tx, jobID, n)
		if err != nil || !ok || !attemptHeld(a.State) {
			return internal0(err)
		}
		a.Details = truncate(details, 256)
		if state == StateRunning {
			a.State = StateRunning
		}
		if err := putAttempt(ctx, tx, jobID, a); err != nil {
			return internal(err)
		}
		if state == StateRunning && j.State == StateSubmitted {
			j.State = StateRunning
			return s.saveJob(ctx, tx, &j, qa)
		}
		return nil
	})
	if err != nil {
		s.log.Warn("record the runner's state", "job", jobID, "attempt", n, "state", state, "err", err)
	}
}

// memoryExceeded recognises a child that ran out of memory: DuckDB's or Go's out-of-memory errors, or an
// external SIGKILL (the kernel's OOM killer).
func memoryExceeded(tail string, out Outcome) bool {
	l := strings.ToLower(tail)
	return strings.Contains(l, "out of memory") || strings.Contains(l, "cannot allocate memory") ||
		(out.Signal == "killed" && !out.Cancelled)
}

func tailFile(path string, n int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return ""
	}
	off := max(fi.Size()-n, 0)
	buf := make([]byte, fi.Size()-off)
	_, _ = f.ReadAt(buf, off)
	return string(buf)
}

// lastLine returns the most telling line of a stderr tail: the first FAILED/fatal line, else the last.
func lastLine(tail string) string {
	lines := strings.Split(strings.TrimSpace(tail), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "FAILED") || strings.HasPrefix(l, "fatal error") || strings.HasPrefix(l, "waggle:") && !strings.Contains(l, "without effect") {
			return strings.TrimSpace(l)
		}
	}
	return strings.TrimSpace(lines[len(lines)-1])
}

// finish records an attempt's outcome: terminal state, or the next attempt queued when the policy allows.
func (s *Service) finish(ctx context.Context, jobID string, n int, started time.Time, r result, cancelled bool) error {
	if s.cfg.Metrics != nil {
		state := r.state
		if cancelled {
			state = StateCancelled
		}
		s.cfg.Metrics.ObserveJob(state, time.Since(started))
	}
	return s.inTx(ctx, func(tx db) error {
		var j JobRun
		qa, ok, err := getResource(ctx, tx, kindJob, jobID, &j)
		if err != nil || !ok {
			return internal0(err)
		}
		if s.db.pg {
			// Another replica settled this attempt (it took this one for dead): its outcome stands.
			if cur, ok, err := getAttempt(ctx, tx, jobID, n); err != nil || (ok && (!attemptHeld(cur.State) || cur.Replica != s.id)) {
				if err == nil {
					s.log.Warn("job attempt was settled by another replica meanwhile; dropping this outcome", "job", jobID, "attempt", n)
				}
				return internal0(err)
			}
		}
		a := Attempt{Number: n, ID: attemptID(jobID, n), State: r.state, StartedAt: started, FinishedAt: now(), ExitCode: r.exitCode, Details: r.details, Replica: s.replicaOf()}
		if err := putAttempt(ctx, tx, jobID, a); err != nil {
			return internal(err)
		}
		if j.State == StateCancelPending || cancelled {
			r = result{state: StateCancelled, details: "JobRun CANCELLED successfully."}
		}
		if r.state == StateFailed && r.retryable && n < j.maxAttempts() {
			j.State = StateSubmitted
			j.StateDetails = truncate(fmt.Sprintf("Attempt %d failed: %s", n, r.details), 256)
			if err := s.saveJob(ctx, tx, &j, n+1); err != nil {
				return err
			}
			return s.enqueue(ctx, tx, jobID, n+1)
		}
		j.State, j.FailureReason, j.StateDetails = r.state, r.reason, r.details
		j.FinishedAt = now().Truncate(time.Second)
		if r.state == StateCompleted {
			j.StateDetails = fmt.Sprintf("JobRun completed successfully. It ran for %d Seconds", int(time.Since(started).Round(time.Second).Seconds()))
		}
		s.log.Info("job finished", "job", jobID, "attempt", n, "state", j.State, "details", j.StateDetails)
		return s.saveJob(ctx, tx, &j, qa)
	})
}
