package hms

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/waggle-dev/waggle/catalog"
)

// callMessage encodes one strict-binary CALL of method whose argument 1 is
// a string of n bytes (get_database(name) shape).
func callMessage(method string, n int) []byte {
	var b bytes.Buffer
	w32 := func(v uint32) { binary.Write(&b, binary.BigEndian, v) }
	w32(0x80010001) // version 1, CALL
	w32(uint32(len(method)))
	b.WriteString(method)
	w32(1)          // seq
	b.WriteByte(11) // STRING
	binary.Write(&b, binary.BigEndian, int16(1))
	w32(uint32(n))
	return b.Bytes() // the caller sends the n bytes and the STOP
}

// TestHostileClientsDoNotHurtServer: garbage, truncated frames, oversized
// strings and clients vanishing mid-call neither crash the server nor leak
// goroutines, and the server keeps answering.
func TestHostileClientsDoNotHurtServer(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ts := startServer(t, b, ServerOptions{MaxMessageSize: 64 << 20})
		healthy := func() {
			t.Helper()
			c := dialRaw(t, ts.addr, false, false)
			if _, err := c.GetDatabase(context.Background(), "default"); err != nil {
				t.Fatalf("server unhealthy: %v", err)
			}
			c.trans.Close()
		}
		healthy()
		base := runtime.NumGoroutine()

		cases := []struct {
			name string
			send func(t *testing.T, conn net.Conn)
		}{
			{"garbage bytes", func(t *testing.T, conn net.Conn) {
				conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n\x00\x01\x02garbage\xff\xfe"))
			}},
			{"random binary after a valid header", func(t *testing.T, conn net.Conn) {
				msg := callMessage("get_database", 3)
				conn.Write(append(msg, 0xff, 0xff, 0xff, 0x7f, 0x0c, 0x0d))
			}},
			{"truncated frame", func(t *testing.T, conn net.Conn) {
				msg := callMessage("get_database", 7)
				var b bytes.Buffer
				binary.Write(&b, binary.BigEndian, uint32(len(msg)+100))
				b.Write(msg)
				conn.Write(b.Bytes()) // frame promises 100 more bytes; then EOF
			}},
			{"frame larger than the message limit", func(t *testing.T, conn net.Conn) {
				var b bytes.Buffer
				binary.Write(&b, binary.BigEndian, uint32(1<<31-1))
				b.Write([]byte{0x80, 0x01, 0x00, 0x01})
				conn.Write(b.Bytes())
			}},
			{"100 MB string field", func(t *testing.T, conn net.Conn) {
				conn.Write(callMessage("get_database", 100<<20))
				chunk := bytes.Repeat([]byte("x"), 1<<20)
				for i := 0; i < 100; i++ {
					if _, err := conn.Write(chunk); err != nil {
						return // the server closed the connection: what we want
					}
				}
			}},
			{"two 40 MB strings exceed the message budget", func(t *testing.T, conn net.Conn) {
				var b bytes.Buffer
				w32 := func(v uint32) { binary.Write(&b, binary.BigEndian, v) }
				w32(0x80010001)
				w32(uint32(len("get_table")))
				b.WriteString("get_table")
				w32(1)
				conn.Write(b.Bytes())
				chunk := bytes.Repeat([]byte("y"), 1<<20)
				for f := int16(1); f <= 2; f++ {
					var h bytes.Buffer
					h.WriteByte(11)
					binary.Write(&h, binary.BigEndian, f)
					binary.Write(&h, binary.BigEndian, uint32(40<<20))
					if _, err := conn.Write(h.Bytes()); err != nil {
						return
					}
					for i := 0; i < 40; i++ {
						if _, err := conn.Write(chunk); err != nil {
							return
						}
					}
				}
			}},
			{"disconnect mid-call", func(t *testing.T, conn net.Conn) {
				msg := callMessage("get_database", 7)
				conn.Write(append(msg, "def"...)) // half of "default", then gone
			}},
			{"disconnect before reading the reply", func(t *testing.T, conn net.Conn) {
				msg := callMessage("get_all_databases", 0)
				conn.Write(msg[:len(msg)-7]) // header only
				conn.Write([]byte{0})        // STOP: a complete call
			}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				conn, err := net.Dial("tcp", ts.addr)
				must(t, err)
				tc.send(t, conn)
				conn.(*net.TCPConn).CloseWrite()
				conn.SetReadDeadline(time.Now().Add(10 * time.Second))
				io.Copy(io.Discard, conn) // until the server closes
				conn.Close()
				healthy()
				waitGoroutines(t, base)
			})
		}
		deadline := time.Now().Add(5 * time.Second)
		for ts.stats.Conns(ConnOpened) != ts.stats.Conns(ConnClosed) {
			if time.Now().After(deadline) {
				t.Fatalf("open connections after the hostile clients: %d", ts.stats.Conns(ConnOpened)-ts.stats.Conns(ConnClosed))
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// TestConnectionLimit: connections over MaxConnections are closed at once,
// and a slot frees when a client leaves.
func TestConnectionLimit(t *testing.T) {
	ts := startServer(t, backends()[0], ServerOptions{MaxConnections: 2})
	ctx := context.Background()
	a, b := dialRaw(t, ts.addr, false, false), dialRaw(t, ts.addr, false, false)
	for _, c := range []*rawClient{a, b} {
		if _, err := c.GetAllDatabases(ctx); err != nil {
			t.Fatal(err)
		}
	}
	c := dialRaw(t, ts.addr, false, false)
	if _, err := c.GetAllDatabases(ctx); err == nil {
		t.Fatal("third connection served, want it rejected")
	}
	if n := ts.stats.Conns(ConnRejected); n != 1 {
		t.Errorf("rejected = %d, want 1", n)
	}
	a.trans.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		d := dialRaw(t, ts.addr, false, false)
		if _, err := d.GetAllDatabases(ctx); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no slot after a client left")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestIdleConnectionsAreClosed: a silent client is disconnected after
// IdleTimeout.
func TestIdleConnectionsAreClosed(t *testing.T) {
	ts := startServer(t, backends()[0], ServerOptions{IdleTimeout: 200 * time.Millisecond})
	conn, err := net.Dial("tcp", ts.addr)
	must(t, err)
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err = conn.Read(make([]byte, 1))
	if !errors.Is(err, io.EOF) {
		t.Fatalf("read = %v, want EOF from the server closing", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("closed after %v, before the idle timeout", d)
	}
}

// blockingCatalog blocks GetDatabase("slow") until released.
type blockingCatalog struct {
	catalog.Catalog
	entered chan struct{}
	release chan struct{}
}

func (c *blockingCatalog) GetDatabase(ctx context.Context, name string) (*catalog.Database, error) {
	if name == "slow" {
		close(c.entered)
		select {
		case <-c.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		name = catalog.DefaultDatabaseName
	}
	return c.Catalog.GetDatabase(ctx, name)
}

// TestShutdownFinishesCallsInFlight: Shutdown closes idle connections at
// once, lets a running call answer, then closes its connection.
func TestShutdownFinishesCallsInFlight(t *testing.T) {
	wh := t.TempDir()
	bc := &blockingCatalog{Catalog: openSQLite(t, "file://"+wh), entered: make(chan struct{}), release: make(chan struct{})}
	ts := startServerOn(t, bc, wh, ServerOptions{})
	ctx := context.Background()
	idle := dialRaw(t, ts.addr, false, false)
	_, err := idle.GetAllDatabases(ctx)
	must(t, err)
	busy := dialRaw(t, ts.addr, false, false)
	var (
		wg      sync.WaitGroup
		callErr error
		dbName  string
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		db, err := busy.GetDatabase(ctx, "slow")
		callErr = err
		if db != nil {
			dbName = db.Name
		}
	}()
	<-bc.entered
	shut := make(chan error, 1)
	go func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		shut <- ts.srv.Shutdown(sctx)
	}()
	// The idle connection is closed while the call is still running.
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := idle.GetAllDatabases(ctx); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("idle connection still served during shutdown")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v before the call in flight finished", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(bc.release)
	wg.Wait()
	if callErr != nil || dbName != "default" {
		t.Fatalf("call in flight: %q, %v; want it answered", dbName, callErr)
	}
	if err := <-shut; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := <-ts.stopped; !errors.Is(err, ErrServerClosed) {
		t.Errorf("Serve returned %v, want ErrServerClosed", err)
	}
	if _, err := net.DialTimeout("tcp", ts.addr, time.Second); err == nil {
		t.Errorf("still accepting after Shutdown")
	}
}

// TestShutdownDeadlineCancelsCalls: when Shutdown's context ends first, the
// remaining connections are closed and their calls cancelled.
func TestShutdownDeadlineCancelsCalls(t *testing.T) {
	wh := t.TempDir()
	bc := &blockingCatalog{Catalog: openSQLite(t, "file://"+wh), entered: make(chan struct{}), release: make(chan struct{})}
	ts := startServerOn(t, bc, wh, ServerOptions{})
	busy := dialRaw(t, ts.addr, false, false)
	done := make(chan error, 1)
	go func() {
		_, err := busy.GetDatabase(context.Background(), "slow")
		done <- err
	}()
	<-bc.entered
	sctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := ts.srv.Shutdown(sctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want DeadlineExceeded", err)
	}
	if err := <-done; err == nil {
		t.Fatal("call survived a forced shutdown")
	}
}

// TestUnknownMethodKeepsConnection: names the server does not serve, and
// fb303 ones, get UNKNOWN_METHOD with Hive's message.
func TestUnknownMethodKeepsConnection(t *testing.T) {
	ts := startServer(t, backends()[0], ServerOptions{})
	c := dialRaw(t, ts.addr, false, false)
	ctx := context.Background()
	for _, call := range []func() error{
		func() error { _, err := c.GetName(ctx); return err },
		func() error { _, err := c.Lock(ctx, nil); return err },
		func() error { _, err := c.GetPartitionsByExpr(ctx, nil); return err },
	} {
		err := call()
		var ae thrift.TApplicationException
		if !errors.As(err, &ae) || ae.TypeId() != thrift.UNKNOWN_METHOD || !strings.Contains(ae.Error(), "Invalid method name") {
			t.Errorf("err = %v, want UNKNOWN_METHOD", err)
		}
		if _, err := c.GetAllDatabases(ctx); err != nil {
			t.Fatalf("connection broken after UNKNOWN_METHOD: %v", err)
		}
	}
}
