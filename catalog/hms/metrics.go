package hms

import (
	"slices"
	"sync"
	"time"
)

// Outcome of one served call, as reported to Metrics.
type Outcome string

// Call outcomes.
const (
	// OutcomeOK is a successful reply.
	OutcomeOK Outcome = "ok"
	// OutcomeException is a reply with a declared HMS exception
	// (NoSuchObjectException, AlreadyExistsException, ...): the client's
	// error, not the server's.
	OutcomeException Outcome = "exception"
	// OutcomeError is an internal error (MetaException from a failing
	// catalog, TApplicationException) or a call the connection broke in.
	OutcomeError Outcome = "error"
	// OutcomeUnknownMethod is a call of a method the server does not serve.
	OutcomeUnknownMethod Outcome = "unknown_method"
)

// Connection events reported to Metrics.
const (
	ConnOpened   = "opened"
	ConnClosed   = "closed"
	ConnRejected = "rejected" // over ServerOptions.MaxConnections
)

// Metrics receives what the server measures. Implementations must be safe
// for concurrent use and fast (they run on every call). A Prometheus
// adapter implements it with a counter and a histogram per method.
type Metrics interface {
	// ObserveCall records one call of an HMS method (the Thrift name, e.g.
	// "get_table_req"), its outcome and how long it took to decode, run
	// and answer.
	ObserveCall(method string, outcome Outcome, d time.Duration)
	// ObserveConn records a connection event (ConnOpened, ConnClosed,
	// ConnRejected).
	ObserveConn(event string)
}

// Stats is an in-memory Metrics: per-method call counts by outcome and
// total latency, and connection event counts. The zero value is ready.
type Stats struct {
	mu    sync.Mutex
	calls map[string]*MethodStats
	conns map[string]int64
}

// MethodStats are the counters of one method.
type MethodStats struct {
	Method   string
	Count    map[Outcome]int64
	Total    time.Duration
	Max      time.Duration
	Requests int64
}

var _ Metrics = (*Stats)(nil)

// ObserveCall implements Metrics.
func (s *Stats) ObserveCall(method string, outcome Outcome, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls == nil {
		s.calls = map[string]*MethodStats{}
	}
	m := s.calls[method]
	if m == nil {
		m = &MethodStats{Method: method, Count: map[Outcome]int64{}}
		s.calls[method] = m
	}
	m.Count[outcome]++
	m.Requests++
	m.Total += d
	m.Max = max(m.Max, d)
}

// ObserveConn implements Metrics.
func (s *Stats) ObserveConn(event string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		s.conns = map[string]int64{}
	}
	s.conns[event]++
}

// Method returns a copy of the counters of one method.
func (s *Stats) Method(method string) MethodStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.calls[method]
	if m == nil {
		return MethodStats{Method: method, Count: map[Outcome]int64{}}
	}
	c := *m
	c.Count = make(map[Outcome]int64, len(m.Count))
	for k, v := range m.Count {
		c.Count[k] = v
	}
	return c
}

// Methods returns the names of the methods called so far, sorted.
func (s *Stats) Methods() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.calls))
	for k := range s.calls {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Conns returns the count of a connection event.
func (s *Stats) Conns(event string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns[event]
}

type nopMetrics struct{}

func (nopMetrics) ObserveCall(string, Outcome, time.Duration) {}
func (nopMetrics) ObserveConn(string)                         {}
