// Package jobevent is the one protocol by which a running script reports its progress to whoever started
// it: JSON lines, one object per event, written by `waggle run --events PATH` (PATH may be a file or
// /dev/fd/N) and read by every job runner — the local process runner and the Kubernetes runner alike —
// so the job server never links the engine.
//
// Events, in order: one "statement" per executed statement (after it finished), then exactly one "end".
// A reader that sees no "end" knows the process died (crash, OOM kill, cancellation).
//
// It owns the wire shape only; it imports nothing of Waggle's.
package jobevent

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Event types.
const (
	TypeStatement = "statement"
	TypeEnd       = "end"
)

// Statement statuses (as the engine reports them).
const (
	StatusCompleted = "COMPLETED"
	StatusFailed    = "FAILED"
)

// Event is one line of the protocol. Fields that do not apply to a type are omitted.
type Event struct {
	Type string `json:"type"`

	// statement
	Index      int       `json:"index,omitempty"`          // 0-based ordinal in the script
	File       string    `json:"file,omitempty"`           // script file as given
	Line       int       `json:"line,omitempty"`           // 1-based line of the statement's first character
	Col        int       `json:"col,omitempty"`            // 1-based column
	Text       string    `json:"text,omitempty"`           // statement as written (before substitution)
	Kind       string    `json:"kind,omitempty"`           // QUERY, CREATETABLE, LOAD, ...
	Status     string    `json:"status,omitempty"`         // COMPLETED or FAILED
	Start      time.Time `json:"start,omitzero"`           // UTC
	End        time.Time `json:"end,omitzero"`             // UTC
	DurationMs int64     `json:"durationMs,omitempty"`     // End - Start in milliseconds
	Rows       int64     `json:"rows"`                     // rows produced or written; -1 when not applicable
	Bytes      int64     `json:"bytes,omitempty"`          // bytes written to table files
	S3Read     int64     `json:"s3ReadBytes,omitempty"`    // bytes received from object stores
	S3Written  int64     `json:"s3WrittenBytes,omitempty"` // bytes sent to object stores
	Error      string    `json:"error,omitempty"`          // "file:line:col: message" for failures
	ErrorKind  string    `json:"errorKind,omitempty"`      // Parse, Semantic, Execution, Unsupported, Cancelled

	// end
	ExitCode        int `json:"exitCode,omitempty"`
	Statements      int `json:"statements,omitempty"`      // statements executed
	FailedStatement int `json:"failedStatement,omitempty"` // 1-based ordinal of the first failed statement, 0 if none
}

// Writer writes events, one JSON object per line, flushing after each so a reader sees progress live.
type Writer struct {
	w  *bufio.Writer
	en *json.Encoder
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer {
	bw := bufio.NewWriter(w)
	return &Writer{w: bw, en: json.NewEncoder(bw)}
}

// Write writes one event.
func (w *Writer) Write(e Event) error {
	if err := w.en.Encode(e); err != nil {
		return fmt.Errorf("jobevent: %w", err)
	}
	return w.w.Flush()
}

// Reader reads events.
type Reader struct {
	sc *bufio.Scanner
}

// NewReader returns a Reader on r. Lines may be up to 16 MiB (statement texts can be long).
func NewReader(r io.Reader) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	return &Reader{sc: sc}
}

// Next returns the next event; io.EOF at the end of the stream. A malformed line is an error that names
// its content (truncated), and the reader can go on with the next line.
func (r *Reader) Next() (Event, error) {
	for r.sc.Scan() {
		line := r.sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var e Event
		if err := json.Unmarshal(line, &e); err != nil {
			s := string(line)
			if len(s) > 80 {
				s = s[:80] + "..."
			}
			return Event{}, fmt.Errorf("jobevent: malformed event %q: %w", s, err)
		}
		return e, nil
	}
	if err := r.sc.Err(); err != nil {
		return Event{}, err
	}
	return Event{}, io.EOF
}
