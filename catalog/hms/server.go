package hms

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	hm "github.com/beltran/gohive/hive_metastore"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/storage"
)

// Defaults of ServerOptions.
const (
	DefaultMaxMessageSize = 64 << 20
	DefaultMaxConnections = 1024
	DefaultIdleTimeout    = 30 * time.Minute
)

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("hms: server closed")

// ServerOptions configure a Server. The zero value is usable.
type ServerOptions struct {
	// Logger receives structured logs (connections at Info, calls at Debug,
	// internal errors at Warn); nil discards them.
	Logger *slog.Logger
	// Metrics receives per-method call counts and latencies and connection
	// events; nil records nothing.
	Metrics Metrics
	// ManageStorage makes the server create, rename and delete directories
	// of managed tables (and of databases) as Hive's HMS does: the database
	// and table directories on create, the table directory when a managed
	// table at its default location is renamed, the data on drop with
	// deleteData. Needs the Storage given to NewServer.
	ManageStorage bool
	// MaxMessageSize caps the bytes of one request (and of any one string
	// or list in it); 0 means DefaultMaxMessageSize. A larger request
	// closes the connection.
	MaxMessageSize int64
	// MaxConnections caps concurrent client connections; connections over
	// the cap are closed at once. 0 means DefaultMaxConnections, < 0 no cap.
	MaxConnections int
	// IdleTimeout closes a connection whose client sends nothing (or reads
	// no reply) for that long. 0 means DefaultIdleTimeout, < 0 never.
	IdleTimeout time.Duration
	// Conf holds metastore configuration values answered by getMetaConf and
	// get_config_value (e.g. hive.metastore.warehouse.dir). Keys not set
	// get the client's default (get_config_value) or "" (getMetaConf), except
	// hive.metastore.try.direct.sql, which is "true".
	Conf map[string]string
}

// Server serves the Hive Metastore Thrift API over a catalog.Catalog.
// Each connection speaks TBinaryProtocol or TCompactProtocol, buffered or
// framed (detected from its first bytes). It is safe for concurrent use.
type Server struct {
	h       *handler
	opts    ServerOptions
	log     *slog.Logger
	metrics Metrics
	funcs   map[string]thrift.TProcessorFunction

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[*serverConn]struct{}
	shutdown  bool
	wg        sync.WaitGroup
}

// NewServer returns a server over cat. st may be nil when
// opts.ManageStorage is false.
func NewServer(cat catalog.Catalog, st *storage.Storage, opts ServerOptions) *Server {
	if opts.MaxMessageSize <= 0 {
		opts.MaxMessageSize = DefaultMaxMessageSize
	}
	if opts.MaxMessageSize > 1<<31-1 {
		opts.MaxMessageSize = 1<<31 - 1
	}
	if opts.MaxConnections == 0 {
		opts.MaxConnections = DefaultMaxConnections
	}
	if opts.IdleTimeout == 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := opts.Metrics
	if m == nil {
		m = nopMetrics{}
	}
	s := &Server{
		opts:      opts,
		log:       log,
		metrics:   m,
		listeners: map[net.Listener]struct{}{},
		conns:     map[*serverConn]struct{}{},
	}
	s.h = &handler{cat: cat, st: st, manage: opts.ManageStorage && st != nil, conf: opts.Conf, log: log}
	s.funcs = servedFunctions(s.h)
	return s
}

// Methods returns the names of the HMS methods the server answers (all
// others get TApplicationException UNKNOWN_METHOD).
func (s *Server) Methods() []string {
	out := make([]string, 0, len(s.funcs))
	for k := range s.funcs {
		out = append(out, k)
	}
	return out
}

// Serve accepts connections on l until Shutdown is called (then it returns
// ErrServerClosed) or ctx ends (then it closes l and every connection,
// cancelling calls in flight, and returns ctx.Err() once they are done).
// Serve closes l.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	s.mu.Lock()
	if s.shutdown {
		s.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	s.listeners[l] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, l)
		s.mu.Unlock()
		l.Close()
	}()

	stop := context.AfterFunc(ctx, func() {
		l.Close()
		s.closeConns(false)
	})
	defer stop()

	s.log.Info("hms: serving", "addr", l.Addr().String())
	var backoff time.Duration
	for {
		nc, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				s.wg.Wait()
				return ctx.Err()
			}
			if s.closing() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, syscall.EMFILE) {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.log.Warn("hms: accept failed; retrying", "err", err, "backoff", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		s.startConn(ctx, nc)
	}
}

// Shutdown stops accepting connections, closes idle ones, lets calls in
// flight finish and closes their connections after the reply, and waits
// for all connections to end. If ctx ends first, it closes the remaining
// connections (cancelling their calls) and returns ctx.Err().
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shutdown = true
	for l := range s.listeners {
		l.Close()
	}
	s.mu.Unlock()
	s.closeConns(true)

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.closeConns(false)
		<-done
		return ctx.Err()
	}
}

func (s *Server) closing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shutdown
}

// closeConns closes idle connections (onlyIdle) or all of them.
func (s *Server) closeConns(onlyIdle bool) {
	s.mu.Lock()
	conns := make([]*serverConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.closeIf(onlyIdle)
	}
}

func (s *Server) startConn(ctx context.Context, nc net.Conn) {
	remote := nc.RemoteAddr().String()
	s.mu.Lock()
	if s.shutdown || s.opts.MaxConnections > 0 && len(s.conns) >= s.opts.MaxConnections {
		n := len(s.conns)
		s.mu.Unlock()
		nc.Close()
		s.metrics.ObserveConn(ConnRejected)
		s.log.Warn("hms: connection rejected", "remote", remote, "open", n, "max", s.opts.MaxConnections)
		return
	}
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c := &serverConn{s: s, nc: nc, remote: remote, ctx: cctx, cancel: cancel, idle: true}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	s.metrics.ObserveConn(ConnOpened)
	go c.serve()
}

// serverConn is one client connection.
type serverConn struct {
	s      *Server
	nc     net.Conn
	remote string
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	idle   bool // waiting for the next request
	closed bool

	// Session state, used by the serving goroutine only.
	user string
	conf map[string]string // setMetaConf overrides
}

// closeIf closes the connection if it is idle, or unconditionally.
func (c *serverConn) closeIf(onlyIdle bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || onlyIdle && !c.idle {
		return
	}
	c.closed = true
	c.nc.Close()
	if !onlyIdle {
		c.cancel()
	}
}

// setIdle marks the connection as waiting for a request; false means the
// server is shutting down and the connection must end.
func (c *serverConn) setIdle() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.idle = true
	return !c.closed && !c.s.closing()
}

func (c *serverConn) setBusy() {
	c.mu.Lock()
	c.idle = false
	c.mu.Unlock()
}

func (c *serverConn) serve() {
	s := c.s
	start := time.Now()
	calls := 0
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("hms: connection handler panicked", "remote", c.remote, "panic", r)
		}
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		c.nc.Close()
		c.cancel()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.metrics.ObserveConn(ConnClosed)
		s.log.Debug("hms: connection closed", "remote", c.remote, "user", c.user, "calls", calls, "duration", time.Since(start))
		s.wg.Done()
	}()
	idle := s.opts.IdleTimeout
	if idle < 0 {
		idle = 0
	}
	tr := newConnTransport(c.nc, idle, s.opts.MaxMessageSize)
	wf, err := tr.detect()
	if err != nil {
		c.logReadErr(err)
		return
	}
	cfg := &thrift.TConfiguration{
		MaxMessageSize: int32(s.opts.MaxMessageSize),
		MaxFrameSize:   int32(s.opts.MaxMessageSize),
	}
	var trans thrift.TTransport = tr
	if wf.framed {
		trans = thrift.NewTFramedTransportConf(tr, cfg)
	}
	var proto thrift.TProtocol
	if wf.compact {
		proto = thrift.NewTCompactProtocolConf(trans, cfg)
	} else {
		proto = thrift.NewTBinaryProtocolConf(trans, cfg)
	}
	s.log.Debug("hms: connection opened", "remote", c.remote, "framed", wf.framed, "compact", wf.compact)

	for {
		if !c.setIdle() {
			return
		}
		tr.resetBudget()
		name, typ, seq, err := proto.ReadMessageBegin(c.ctx)
		if err != nil {
			c.logReadErr(err)
			return
		}
		c.setBusy()
		calls++
		if !c.call(proto, name, typ, seq) {
			return
		}
	}
}

// call answers one request whose message header has been read; false means
// the connection must be closed.
func (c *serverConn) call(proto thrift.TProtocol, name string, typ thrift.TMessageType, seq int32) bool {
	s := c.s
	start := time.Now()
	fn, ok := s.funcs[name]
	if !ok || typ != thrift.CALL && typ != thrift.ONEWAY {
		err := proto.Skip(c.ctx, thrift.STRUCT)
		if err == nil {
			err = proto.ReadMessageEnd(c.ctx)
		}
		if err != nil {
			c.logReadErr(err)
			return false
		}
		x := thrift.NewTApplicationException(thrift.UNKNOWN_METHOD, "Invalid method name: '"+name+"'")
		proto.WriteMessageBegin(c.ctx, name, thrift.EXCEPTION, seq)
		x.Write(c.ctx, proto)
		proto.WriteMessageEnd(c.ctx)
		err = proto.Flush(c.ctx)
		s.metrics.ObserveCall(name, OutcomeUnknownMethod, time.Since(start))
		s.log.Debug("hms: unknown method", "method", name, "remote", c.remote)
		return err == nil
	}
	ci := &callInfo{method: name, conn: c}
	ok, err := fn.Process(withCall(c.ctx, ci), seq, proto, proto)
	d := time.Since(start)
	outcome := OutcomeOK
	switch {
	case !ok || ci.internal:
		outcome = OutcomeError
	case ci.err != nil:
		outcome = OutcomeException
	}
	s.metrics.ObserveCall(name, outcome, d)
	switch {
	case outcome == OutcomeError:
		var e error = err
		if e == nil {
			e = ci.err
		}
		s.log.Warn("hms: call failed", "method", name, "remote", c.remote, "user", c.user, "duration", d, "err", e)
	case ci.err != nil:
		s.log.Debug("hms: call", "method", name, "remote", c.remote, "user", c.user, "duration", d, "exception", ci.err.Error())
	default:
		s.log.Debug("hms: call", "method", name, "remote", c.remote, "user", c.user, "duration", d)
	}
	return ok
}

func (c *serverConn) logReadErr(err error) {
	var te thrift.TTransportException
	if errors.Is(err, io.EOF) || errors.As(err, &te) && te.TypeId() == thrift.END_OF_FILE || c.isClosed() {
		return
	}
	if errors.As(err, &te) && te.TypeId() == thrift.TIMED_OUT {
		c.s.log.Info("hms: closing idle connection", "remote", c.remote, "user", c.user)
		return
	}
	c.s.log.Warn("hms: bad request; closing connection", "remote", c.remote, "err", err)
}

func (c *serverConn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// callInfo travels in the context of one call: the method name (for the
// exception mapping) and what the handler reported.
type callInfo struct {
	method   string
	conn     *serverConn
	err      error // the handler's error, before mapping
	internal bool  // err is not a declared exception of the method
}

type callKey struct{}

func withCall(ctx context.Context, ci *callInfo) context.Context {
	return context.WithValue(ctx, callKey{}, ci)
}

func callFrom(ctx context.Context) *callInfo {
	ci, _ := ctx.Value(callKey{}).(*callInfo)
	if ci == nil {
		return &callInfo{}
	}
	return ci
}

// servedFunctions returns the processor functions of the methods h serves:
// the generated ones for the names in served, plus the hand-written ones
// for methods gohive's IDL lacks.
func servedFunctions(h *handler) map[string]thrift.TProcessorFunction {
	all := hm.NewThriftHiveMetastoreProcessor(h).ProcessorMap()
	out := make(map[string]thrift.TProcessorFunction, len(servedMethods)+1)
	for _, name := range servedMethods {
		fn, ok := all[name]
		if !ok {
			panic("hms: generated processor lacks " + name)
		}
		out[name] = fn
	}
	out["get_partitions_by_filter_req"] = &getPartitionsByFilterReqProcessor{h: h}
	return out
}
