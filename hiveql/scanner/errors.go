package scanner

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/waggle-dev/waggle/hiveql/token"
)

// Error is one lexical or syntax error at a resolved position.
type Error struct {
	Pos token.Position
	Msg string
}

// Error returns "line:col: msg" (with the file name first when it has one).
func (e Error) Error() string {
	if e.Pos.IsValid() || e.Pos.Filename != "" {
		return e.Pos.String() + ": " + e.Msg
	}
	return e.Msg
}

// ErrorList collects errors; the scanner's error handler and the parser add to it
// so that one run reports every problem. The zero value is an empty list.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos token.Position, msg string) {
	*l = append(*l, &Error{Pos: pos, Msg: msg})
}

// Sort sorts the list by file name, then offset, then message.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(
			strings.Compare(a.Pos.Filename, b.Pos.Filename),
			cmp.Compare(a.Pos.Offset, b.Pos.Offset),
			strings.Compare(a.Msg, b.Msg))
	})
}

// RemoveMultiples sorts the list and keeps only the first error of each line.
func (l *ErrorList) RemoveMultiples() {
	l.Sort()
	out := (*l)[:0]
	var last token.Position
	for i, e := range *l {
		if i == 0 || e.Pos.Filename != last.Filename || e.Pos.Line != last.Line {
			out = append(out, e)
			last = e.Pos
		}
	}
	clear((*l)[len(out):])
	*l = out
}

// Error summarises the list: the first error, and how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Err returns the list as an error, or nil if it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
