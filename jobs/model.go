// Package jobs is Waggle's job service: the EMR-on-EKS (emr-containers) domain model — virtual clusters,
// job runs, job templates, tags — its store on the server's SQL database, a durable queue (River) with a
// concurrency limit, and the runners that execute one attempt of a job in an isolated child process
// (`waggle run`), collecting per-statement records over the jobevent channel and the attempt's logs.
//
// It never imports the engine or DuckDB (DESIGN.md, structure rules): a job is a process, and its
// progress comes back as jobevent JSON lines. The HTTP surface lives in package api; this package has
// no HTTP types. The types below carry the emr-containers wire field names, so api encodes them as they are.
package jobs

import (
	"encoding/json"
	"fmt"
	"time"
)

// Job run states (JobRunState).
const (
	StatePending       = "PENDING"
	StateSubmitted     = "SUBMITTED"
	StateRunning       = "RUNNING"
	StateFailed        = "FAILED"
	StateCancelled     = "CANCELLED"
	StateCancelPending = "CANCEL_PENDING"
	StateCompleted     = "COMPLETED"
)

// Failure reasons (FailureReason).
const (
	ReasonInternal           = "INTERNAL_ERROR"
	ReasonUser               = "USER_ERROR"
	ReasonValidation         = "VALIDATION_ERROR"
	ReasonClusterUnavailable = "CLUSTER_UNAVAILABLE"
)

// Virtual cluster states.
const (
	VCRunning     = "RUNNING"
	VCTerminating = "TERMINATING"
	VCTerminated  = "TERMINATED"
	VCArrested    = "ARRESTED"
)

// terminal reports whether a job run state is final.
func terminal(state string) bool {
	return state == StateCompleted || state == StateFailed || state == StateCancelled
}

// Kind classifies service errors; package api maps each kind to one wire error.
type Kind int

const (
	KindValidation Kind = iota + 1
	KindNotFound
	KindInternal
)

// Error is a service error: a kind and a message meant for the caller.
type Error struct {
	Kind    Kind
	Message string
}

func (e *Error) Error() string { return e.Message }

func validationf(format string, args ...any) error {
	return &Error{Kind: KindValidation, Message: fmt.Sprintf(format, args...)}
}

func notFoundf(format string, args ...any) error {
	return &Error{Kind: KindNotFound, Message: fmt.Sprintf(format, args...)}
}

// ContainerProvider is where a virtual cluster's jobs run (for the local runner: recorded only).
type ContainerProvider struct {
	Type string         `json:"type"`
	ID   string         `json:"id"`
	Info *ContainerInfo `json:"info,omitempty"`
}

// ContainerInfo is the provider's details.
type ContainerInfo struct {
	EksInfo *EksInfo `json:"eksInfo,omitempty"`
}

// EksInfo names the namespace.
type EksInfo struct {
	Namespace string `json:"namespace,omitempty"`
}

// VirtualCluster is a namespace for job runs.
type VirtualCluster struct {
	ID                      string             `json:"id"`
	Name                    string             `json:"name"`
	Arn                     string             `json:"arn"`
	State                   string             `json:"state"`
	ContainerProvider       *ContainerProvider `json:"containerProvider,omitempty"`
	CreatedAt               time.Time          `json:"createdAt"`
	Tags                    map[string]string  `json:"tags,omitempty"`
	SecurityConfigurationID string             `json:"securityConfigurationId,omitempty"`
}

// Namespace returns the virtual cluster's Kubernetes namespace (containerProvider.info.eksInfo.namespace),
// "" when it names none.
func (vc *VirtualCluster) Namespace() string {
	if vc == nil || vc.ContainerProvider == nil || vc.ContainerProvider.Info == nil || vc.ContainerProvider.Info.EksInfo == nil {
		return ""
	}
	return vc.ContainerProvider.Info.EksInfo.Namespace
}

// JobDriver says what a job runs: exactly one of the two drivers.
type JobDriver struct {
	SparkSubmitJobDriver *SparkSubmitJobDriver `json:"sparkSubmitJobDriver,omitempty"`
	SparkSQLJobDriver    *SparkSQLJobDriver    `json:"sparkSqlJobDriver,omitempty"`
}

// SparkSubmitJobDriver runs an entry point with spark-submit parameters (.sql/.hql entry points only, for now).
type SparkSubmitJobDriver struct {
	EntryPoint            string   `json:"entryPoint"`
	EntryPointArguments   []string `json:"entryPointArguments,omitempty"`
	SparkSubmitParameters string   `json:"sparkSubmitParameters,omitempty"`
}

// SparkSQLJobDriver runs a SQL file with spark-sql parameters.
type SparkSQLJobDriver struct {
	EntryPoint         string `json:"entryPoint,omitempty"`
	SparkSQLParameters string `json:"sparkSqlParameters,omitempty"`
}

// Configuration is one classification of application configuration.
type Configuration struct {
	Classification string            `json:"classification"`
	Properties     map[string]string `json:"properties,omitempty"`
	Configurations []Configuration   `json:"configurations,omitempty"`
}

// S3MonitoringConfiguration names where logs go.
type S3MonitoringConfiguration struct {
	LogURI           string `json:"logUri"`
	EncryptionKeyArn string `json:"encryptionKeyArn,omitempty"`
}

// MonitoringConfiguration holds the monitoring settings; the ones Waggle does not act on are kept verbatim.
type MonitoringConfiguration struct {
	PersistentAppUI                   string                     `json:"persistentAppUI,omitempty"`
	CloudWatchMonitoringConfiguration json.RawMessage            `json:"cloudWatchMonitoringConfiguration,omitempty"`
	S3MonitoringConfiguration         *S3MonitoringConfiguration `json:"s3MonitoringConfiguration,omitempty"`
	ContainerLogRotationConfiguration json.RawMessage            `json:"containerLogRotationConfiguration,omitempty"`
	ManagedLogs                       json.RawMessage            `json:"managedLogs,omitempty"`
}

// ConfigurationOverrides is a job's configuration.
type ConfigurationOverrides struct {
	ApplicationConfiguration []Configuration          `json:"applicationConfiguration,omitempty"`
	MonitoringConfiguration  *MonitoringConfiguration `json:"monitoringConfiguration,omitempty"`
}

// RetryPolicyConfiguration bounds a job's attempts.
type RetryPolicyConfiguration struct {
	MaxAttempts int `json:"maxAttempts"`
}

// RetryPolicyExecution reports a job's attempts.
type RetryPolicyExecution struct {
	CurrentAttemptCount int `json:"currentAttemptCount"`
}

// JobRun is one submitted job.
type JobRun struct {
	ID                       string                    `json:"id"`
	Name                     string                    `json:"name,omitempty"`
	VirtualClusterID         string                    `json:"virtualClusterId"`
	Arn                      string                    `json:"arn"`
	State                    string                    `json:"state"`
	ClientToken              string                    `json:"clientToken"`
	ExecutionRoleArn         string                    `json:"executionRoleArn,omitempty"`
	ReleaseLabel             string                    `json:"releaseLabel,omitempty"`
	ConfigurationOverrides   *ConfigurationOverrides   `json:"configurationOverrides,omitempty"`
	JobDriver                *JobDriver                `json:"jobDriver,omitempty"`
	CreatedAt                time.Time                 `json:"createdAt"`
	CreatedBy                string                    `json:"createdBy,omitempty"`
	FinishedAt               time.Time                 `json:"finishedAt,omitzero"`
	StateDetails             string                    `json:"stateDetails,omitempty"`
	FailureReason            string                    `json:"failureReason,omitempty"`
	Tags                     map[string]string         `json:"tags,omitempty"`
	RetryPolicyConfiguration *RetryPolicyConfiguration `json:"retryPolicyConfiguration,omitempty"`
	RetryPolicyExecution     *RetryPolicyExecution     `json:"retryPolicyExecution,omitempty"`
}

// maxAttempts is the number of attempts the job's retry policy allows (1 without a policy).
func (j *JobRun) maxAttempts() int {
	if j.RetryPolicyConfiguration == nil || j.RetryPolicyConfiguration.MaxAttempts < 1 {
		return 1
	}
	return j.RetryPolicyConfiguration.MaxAttempts
}

// TemplateParameterConfiguration declares one template parameter.
type TemplateParameterConfiguration struct {
	Type         string `json:"type,omitempty"`
	DefaultValue string `json:"defaultValue,omitempty"`
}

// JobTemplateData is a job template's content. Strings may hold ${param} references.
type JobTemplateData struct {
	ExecutionRoleArn       string                                    `json:"executionRoleArn"`
	ReleaseLabel           string                                    `json:"releaseLabel"`
	ConfigurationOverrides json.RawMessage                           `json:"configurationOverrides,omitempty"`
	JobDriver              *JobDriver                                `json:"jobDriver"`
	ParameterConfiguration map[string]TemplateParameterConfiguration `json:"parameterConfiguration,omitempty"`
	JobTags                map[string]string                         `json:"jobTags,omitempty"`
}

// JobTemplate is a stored job template.
type JobTemplate struct {
	Name            string            `json:"name,omitempty"`
	ID              string            `json:"id"`
	Arn             string            `json:"arn"`
	CreatedAt       time.Time         `json:"createdAt"`
	CreatedBy       string            `json:"createdBy,omitempty"`
	Tags            map[string]string `json:"tags,omitempty"`
	JobTemplateData *JobTemplateData  `json:"jobTemplateData"`
	KmsKeyArn       string            `json:"kmsKeyArn,omitempty"`
}

// Statement is one executed statement of a job attempt (the statements extension resource).
type Statement struct {
	Attempt    int       `json:"attempt"`
	Index      int       `json:"index"`
	Text       string    `json:"text"`
	File       string    `json:"file,omitempty"`
	Line       int       `json:"line"`
	Kind       string    `json:"kind,omitempty"`
	Status     string    `json:"status"`
	Start      time.Time `json:"start,omitzero"`
	End        time.Time `json:"end,omitzero"`
	DurationMs int64     `json:"durationMs"`
	Rows       int64     `json:"rows"`
	Bytes      int64     `json:"bytes"`
	S3Read     int64     `json:"s3ReadBytes,omitempty"`    // bytes received from object stores
	S3Written  int64     `json:"s3WrittenBytes,omitempty"` // bytes sent to object stores
	Error      string    `json:"error,omitempty"`
}

// Attempt is one execution of a job run (the attempts extension resource).
type Attempt struct {
	Number     int       `json:"attempt"`
	ID         string    `json:"id"` // the container/attempt id used in log paths
	State      string    `json:"state"`
	StartedAt  time.Time `json:"startedAt,omitzero"`
	FinishedAt time.Time `json:"finishedAt,omitzero"`
	ExitCode   int       `json:"exitCode"`
	Details    string    `json:"details,omitempty"`
	// Replica is the server instance that holds (or held) the attempt, when servers share a PostgreSQL
	// database; its heartbeat tells the others whether it still runs the attempt.
	Replica string `json:"replica,omitempty"`
}
