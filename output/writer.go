package output

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/waggle-dev/waggle/hiveql/types"
)

// FormatRow returns one result row as the Hive CLI prints it, without the newline: the cells
// FormatValue(vals[i], ts[i]) joined by TAB. A missing type (ts shorter than vals, or nil) prints the value
// by its Go type.
func FormatRow(vals []any, ts []*types.Type) string {
	return string(AppendRow(nil, vals, ts))
}

// AppendRow appends FormatRow(vals, ts) to dst and returns the extended buffer.
func AppendRow(dst []byte, vals []any, ts []*types.Type) []byte {
	for i, v := range vals {
		if i > 0 {
			dst = append(dst, '\t')
		}
		var t *types.Type
		if i < len(ts) {
			t = ts[i]
		}
		dst = AppendValue(dst, v, t)
	}
	return dst
}

// Options configure a Writer.
type Options struct {
	// PrintHeader prints the column names before the rows (hive.cli.print.header=true).
	PrintHeader bool
	// Types are the Hive types of the result columns; SetTypes replaces them for the next result set.
	Types []*types.Type
}

// Writer prints result sets the way the Hive CLI prints them to stdout: an optional header line, then one
// line per row, cells TAB-separated, each line ending in '\n'. It prints nothing else (the `Time taken` line
// goes to stderr; see FormatTimeTaken). Output is buffered: call Flush when a result set is complete. A
// Writer is not safe for concurrent use.
//
// The engine's use, per statement that returns rows:
//
//	w.SetTypes(colTypes)   // starts a result set, Rows() is 0 again
//	w.WriteHeader(names)   // printed only with Options.PrintHeader
//	for rows.Next() { rows.Scan(ptrs...); w.WriteRow(vals) }
//	w.Flush()
//	fmt.Fprintln(stderr, FormatTimeTaken(elapsed, w.Rows()))
type Writer struct {
	bw    *bufio.Writer
	opts  Options
	types []*types.Type
	line  []byte
	rows  int64
}

// NewWriter returns a Writer printing to w.
func NewWriter(w io.Writer, opts Options) *Writer {
	return &Writer{bw: bufio.NewWriterSize(w, 64<<10), opts: opts, types: opts.Types}
}

// SetTypes sets the Hive types of the columns of the next result set and resets Rows to 0.
func (w *Writer) SetTypes(ts []*types.Type) {
	w.types = ts
	w.rows = 0
}

// WriteHeader prints the column names TAB-separated on one line when Options.PrintHeader is set, and does
// nothing otherwise. The names are printed as given (Hive's `tbl.col` form is the engine's choice).
func (w *Writer) WriteHeader(names []string) error {
	if !w.opts.PrintHeader {
		return nil
	}
	line := w.line[:0]
	for i, n := range names {
		if i > 0 {
			line = append(line, '\t')
		}
		line = append(line, n...)
	}
	line = append(line, '\n')
	w.line = line
	_, err := w.bw.Write(line)
	return err
}

// WriteRow prints one row. With types set, vals must have one value per column.
func (w *Writer) WriteRow(vals []any) error {
	if w.types != nil && len(vals) != len(w.types) {
		return fmt.Errorf("output: row has %d values, result set has %d columns", len(vals), len(w.types))
	}
	line := AppendRow(w.line[:0], vals, w.types)
	line = append(line, '\n')
	w.line = line
	if _, err := w.bw.Write(line); err != nil {
		return err
	}
	w.rows++
	return nil
}

// Rows returns the number of rows written since the Writer was made or SetTypes was last called.
func (w *Writer) Rows() int64 { return w.rows }

// Flush writes any buffered output to the underlying io.Writer.
func (w *Writer) Flush() error { return w.bw.Flush() }

// FormatTimeTaken returns the line the Hive CLI prints to stderr after a statement:
// `Time taken: 1.234 seconds, Fetched: 2 row(s)`, or just `Time taken: 0.123 seconds` when rows <= 0 (a
// statement that returns no rows, or a query that returned none — Hive omits the part when its counter is 0).
//
// Hive computes the seconds as elapsed milliseconds / 1000.0 and prints that double with Java's
// Double.toString, so there are at most three decimals and trailing zeros are dropped: `0.5 seconds`,
// `12.0 seconds`, `1.234 seconds`. d is truncated to whole milliseconds first.
func FormatTimeTaken(d time.Duration, rows int64) string {
	secs := FormatDouble(float64(d.Milliseconds()) / 1000)
	if rows <= 0 {
		return "Time taken: " + secs + " seconds"
	}
	return "Time taken: " + secs + " seconds, Fetched: " + strconv.FormatInt(rows, 10) + " row(s)"
}
