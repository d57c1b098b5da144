package hms

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"net"
	"sync/atomic"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
)

// connTransport is the server's transport over one accepted connection:
// buffered in both directions, with an idle deadline on every socket read
// and write, and a byte budget per message so that no request, however its
// fields are sized, makes the server read more than MaxMessageSize bytes.
type connTransport struct {
	dc     *deadlineConn
	r      *bufio.Reader
	w      *bufio.Writer
	budget int64
	limit  int64
	closed atomic.Bool
}

var _ thrift.TTransport = (*connTransport)(nil)

// deadlineConn pushes the read/write deadline forward before each socket
// operation, so a peer silent for longer than timeout is dropped.
type deadlineConn struct {
	net.Conn
	timeout time.Duration
}

func (c *deadlineConn) Read(p []byte) (int, error) {
	if c.timeout > 0 {
		c.Conn.SetReadDeadline(time.Now().Add(c.timeout))
	}
	return c.Conn.Read(p)
}

func (c *deadlineConn) Write(p []byte) (int, error) {
	if c.timeout > 0 {
		c.Conn.SetWriteDeadline(time.Now().Add(c.timeout))
	}
	return c.Conn.Write(p)
}

const transportBufferSize = 64 << 10

func newConnTransport(nc net.Conn, idle time.Duration, limit int64) *connTransport {
	dc := &deadlineConn{Conn: nc, timeout: idle}
	return &connTransport{
		dc:     dc,
		r:      bufio.NewReaderSize(dc, transportBufferSize),
		w:      bufio.NewWriterSize(dc, transportBufferSize),
		limit:  limit,
		budget: limit,
	}
}

// resetBudget starts the byte budget of a new message.
func (t *connTransport) resetBudget() { t.budget = t.limit }

var errMessageTooLarge = thrift.NewTProtocolExceptionWithType(thrift.SIZE_LIMIT, errors.New("message exceeds the maximum message size"))

func (t *connTransport) Read(p []byte) (int, error) {
	if t.budget <= 0 {
		return 0, errMessageTooLarge
	}
	if int64(len(p)) > t.budget {
		p = p[:t.budget]
	}
	n, err := t.r.Read(p)
	t.budget -= int64(n)
	if err != nil {
		return n, thrift.NewTTransportExceptionFromError(err)
	}
	return n, nil
}

func (t *connTransport) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	if err != nil {
		return n, thrift.NewTTransportExceptionFromError(err)
	}
	return n, nil
}

func (t *connTransport) Flush(context.Context) error {
	return thrift.NewTTransportExceptionFromError(t.w.Flush())
}

func (t *connTransport) Open() error {
	return thrift.NewTTransportException(thrift.ALREADY_OPEN, "connection already open")
}

func (t *connTransport) IsOpen() bool { return !t.closed.Load() }

func (t *connTransport) Close() error {
	t.closed.Store(true)
	return t.dc.Conn.Close()
}

func (t *connTransport) RemainingBytes() uint64 { return ^uint64(0) }

// wireFormat is what a connection speaks, detected from its first bytes.
type wireFormat struct {
	framed  bool
	compact bool
}

// Protocol ids on the wire: TBinaryProtocol strict messages start with
// 0x80 0x01, TCompactProtocol ones with 0x82.
const (
	binaryProtocolID  = 0x80
	compactProtocolID = 0x82
)

// detect peeks at the first bytes of a connection: a strict binary or a
// compact message, optionally inside a 4-byte frame. Anything else is read
// as (possibly non-strict) binary and fails there if it is garbage.
func (t *connTransport) detect() (wireFormat, error) {
	b, err := t.r.Peek(1)
	if err != nil {
		return wireFormat{}, thrift.NewTTransportExceptionFromError(err)
	}
	switch b[0] {
	case binaryProtocolID:
		return wireFormat{}, nil
	case compactProtocolID:
		return wireFormat{compact: true}, nil
	}
	b, err = t.r.Peek(5)
	if err != nil {
		return wireFormat{}, thrift.NewTTransportExceptionFromError(err)
	}
	size := int64(binary.BigEndian.Uint32(b))
	if size > 0 && size <= t.limit {
		switch b[4] {
		case binaryProtocolID:
			return wireFormat{framed: true}, nil
		case compactProtocolID:
			return wireFormat{framed: true, compact: true}, nil
		}
	}
	return wireFormat{}, nil
}
