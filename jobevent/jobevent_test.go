package jobevent

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	start := time.Date(2026, 11, 26, 1, 2, 3, 0, time.UTC)
	in := []Event{
		{Type: TypeStatement, Index: 0, File: "a.sql", Line: 3, Col: 1, Text: "SELECT 1", Kind: "QUERY", Status: StatusCompleted, Start: start, End: start.Add(5 * time.Millisecond), DurationMs: 5, Rows: 1},
		{Type: TypeStatement, Index: 1, Line: 4, Col: 1, Text: "SELEC", Status: StatusFailed, Rows: -1, Error: "a.sql:4:1: syntax error", ErrorKind: "Parse"},
		{Type: TypeEnd, ExitCode: 1, Statements: 2, FailedStatement: 2},
	}
	for _, e := range in {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(buf.String(), "\n"); n != 3 {
		t.Fatalf("want one line per event, got %d lines", n)
	}
	r := NewReader(&buf)
	for i, want := range in {
		got, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if got.Type != want.Type || got.Text != want.Text || got.Rows != want.Rows || !got.Start.Equal(want.Start) || got.FailedStatement != want.FailedStatement {
			t.Fatalf("event %d: got %+v want %+v", i, got, want)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("want EOF, got %v", err)
	}
}

func TestMalformedLineIsAnErrorAndReadingGoesOn(t *testing.T) {
	r := NewReader(strings.NewReader("{\"type\":\"statement\",\"rows\":1}\nnot json\n{\"type\":\"end\"}\n"))
	if e, err := r.Next(); err != nil || e.Type != TypeStatement {
		t.Fatalf("first: %v %v", e, err)
	}
	if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "not json") {
		t.Fatalf("want malformed error, got %v", err)
	}
	if e, err := r.Next(); err != nil || e.Type != TypeEnd {
		t.Fatalf("third: %v %v", e, err)
	}
}
