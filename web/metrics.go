package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/waggle-dev/waggle/jobs"
)

// Metric names (the Prometheus contract; operators' dashboards use them).
const (
	MetricJobs              = "waggle_jobs"
	MetricQueueDepth        = "waggle_jobs_queue_depth"
	MetricJobDuration       = "waggle_job_duration_seconds"
	MetricStatementDuration = "waggle_statement_duration_seconds"
	MetricHMSCall           = "waggle_hms_call_duration_seconds"
	MetricS3ReadBytes       = "waggle_s3_read_bytes_total"
	MetricS3WrittenBytes    = "waggle_s3_written_bytes_total"
)

// allStates are the job run states the jobs gauge reports (every one, zeros included).
var allStates = []string{jobs.StatePending, jobs.StateSubmitted, jobs.StateRunning, jobs.StateCancelPending,
	jobs.StateCompleted, jobs.StateFailed, jobs.StateCancelled}

// StateCounter counts job runs by state. The default reads the job service through its list operations;
// a cheaper one (a COUNT query in package jobs) can replace it.
type StateCounter func(ctx context.Context) (map[string]int, error)

// Metrics is Waggle's Prometheus instrumentation, on a registry of its own. Its Observe/Add methods take
// plain types so the job service, the HMS server and the storage layer can call them through small interfaces
// of their own, without importing this package. A nil *Metrics ignores every call.
type Metrics struct {
	reg          *prometheus.Registry
	jobDuration  *prometheus.HistogramVec
	stmtDuration *prometheus.HistogramVec
	hmsCall      *prometheus.HistogramVec
	s3Read       prometheus.Counter
	s3Written    prometheus.Counter
}

// NewMetrics returns the metrics on a new registry (with the Go runtime and process collectors). count, when
// not nil, feeds the jobs-by-state and queue-depth gauges on every scrape.
func NewMetrics(count StateCounter, log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.Default()
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		jobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    MetricJobDuration,
			Help:    "Run time of finished job attempts, by final state.",
			Buckets: []float64{0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 4 * 3600},
		}, []string{"state"}),
		stmtDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    MetricStatementDuration,
			Help:    "Run time of executed script statements, by status.",
			Buckets: []float64{0.001, 0.005, 0.025, 0.1, 0.5, 1, 5, 30, 120, 600, 3600},
		}, []string{"status"}),
		hmsCall: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    MetricHMSCall,
			Help:    "Latency of Hive metastore (Thrift) calls, by method and outcome.",
			Buckets: []float64{0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5},
		}, []string{"method", "outcome"}),
		s3Read: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricS3ReadBytes, Help: "Bytes read from S3.",
		}),
		s3Written: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricS3WrittenBytes, Help: "Bytes written to S3.",
		}),
	}
	m.reg.MustRegister(m.jobDuration, m.stmtDuration, m.hmsCall, m.s3Read, m.s3Written,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if count != nil {
		m.reg.MustRegister(&stateCollector{count: count, log: log,
			jobs:  prometheus.NewDesc(MetricJobs, "Job runs by state.", []string{"state"}, nil),
			queue: prometheus.NewDesc(MetricQueueDepth, "Job runs waiting to run (PENDING or SUBMITTED).", nil, nil),
		})
	}
	return m
}

// Registry returns the registry, for more collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveJob records a finished job attempt: its final state (COMPLETED, FAILED, CANCELLED) and run time.
func (m *Metrics) ObserveJob(state string, d time.Duration) {
	if m != nil {
		m.jobDuration.WithLabelValues(state).Observe(d.Seconds())
	}
}

// ObserveStatement records one executed statement: its status (COMPLETED, FAILED) and run time.
func (m *Metrics) ObserveStatement(status string, d time.Duration) {
	if m != nil {
		m.stmtDuration.WithLabelValues(status).Observe(d.Seconds())
	}
}

// ObserveHMSCall records one metastore call: the Thrift method name (e.g. "get_table_req"), its outcome
// ("ok", "exception", "error", ...) and latency. It matches hms.Metrics.ObserveCall up to the outcome's type.
func (m *Metrics) ObserveHMSCall(method, outcome string, d time.Duration) {
	if m != nil {
		m.hmsCall.WithLabelValues(method, outcome).Observe(d.Seconds())
	}
}

// ObserveS3 counts the bytes one statement received from and sent to object stores (its event's
// s3ReadBytes and s3WrittenBytes).
func (m *Metrics) ObserveS3(read, written int64) {
	if m == nil {
		return
	}
	if read > 0 {
		m.s3Read.Add(float64(read))
	}
	if written > 0 {
		m.s3Written.Add(float64(written))
	}
}

// stateCollector reads the job counts at scrape time.
type stateCollector struct {
	count       StateCounter
	log         *slog.Logger
	jobs, queue *prometheus.Desc
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.jobs
	ch <- c.queue
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.count(ctx)
	if err != nil {
		c.log.Warn("metrics: count jobs", "err", err)
		ch <- prometheus.NewInvalidMetric(c.jobs, err)
		return
	}
	for _, st := range allStates {
		ch <- prometheus.MustNewConstMetric(c.jobs, prometheus.GaugeValue, float64(counts[st]), st)
	}
	ch <- prometheus.MustNewConstMetric(c.queue, prometheus.GaugeValue, float64(counts[jobs.StatePending]+counts[jobs.StateSubmitted]))
}

// ServiceCounter counts job runs by listing every virtual cluster's runs, one state at a time. It reads
// every run of the server; fine for thousands, a COUNT query in package jobs is the better long-term answer.
func ServiceCounter(svc *jobs.Service) StateCounter {
	return func(ctx context.Context) (map[string]int, error) {
		vcs, err := allVirtualClusters(ctx, svc)
		if err != nil {
			return nil, err
		}
		out := map[string]int{}
		for _, vc := range vcs {
			for _, st := range allStates {
				token := ""
				for {
					runs, next, err := svc.ListJobRuns(ctx, jobs.ListJobRunsInput{VirtualClusterID: vc.ID, States: []string{st}, MaxResults: 1000, NextToken: token})
					if err != nil {
						return nil, err
					}
					out[st] += len(runs)
					if next == "" {
						break
					}
					token = next
				}
			}
		}
		return out, nil
	}
}

// allVirtualClusters lists every virtual cluster (terminated ones too).
func allVirtualClusters(ctx context.Context, svc *jobs.Service) ([]jobs.VirtualCluster, error) {
	var out []jobs.VirtualCluster
	token := ""
	for {
		vcs, next, err := svc.ListVirtualClusters(ctx, jobs.ListVirtualClustersInput{MaxResults: 1000, NextToken: token})
		if err != nil {
			return nil, err
		}
		out = append(out, vcs...)
		if next == "" {
			return out, nil
		}
		token = next
	}
}
