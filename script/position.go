package script

import (
	"sort"
	"strconv"
	"unicode/utf8"
)

// Position is a place in a script file. Offset is a byte offset; Line and Col are 1-based, Col
// counting runes (see the package documentation). The zero Position is invalid.
type Position struct {
	File   string
	Offset int
	Line   int
	Col    int
}

// IsValid reports whether p has a line number.
func (p Position) IsValid() bool { return p.Line > 0 }

// String returns "file:line:col", or "line:col" when File is empty, or "-" for an invalid
// position.
func (p Position) String() string {
	if !p.IsValid() {
		if p.File != "" {
			return p.File
		}
		return "-"
	}
	s := strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
	if p.File != "" {
		s = p.File + ":" + s
	}
	return s
}

// Source is a script file with its line table; it turns any byte offset into a Position.
// It is immutable and safe for concurrent use.
type Source struct {
	name  string
	text  string
	lines []int // byte offset of the first byte of each line; lines[0] == 0
}

// NewSource builds the line table of text. name is the file name used in positions (may be
// empty).
func NewSource(name, text string) *Source {
	lines := make([]int, 1, 64)
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			lines = append(lines, i+1)
		}
	}
	return &Source{name: name, text: text, lines: lines}
}

// Name returns the file name given to NewSource.
func (s *Source) Name() string { return s.name }

// Text returns the file contents.
func (s *Source) Text() string { return s.text }

// LineCount returns the number of lines ('\n' count + 1).
func (s *Source) LineCount() int { return len(s.lines) }

// Position returns the position of the byte offset off. Offsets outside [0, len(text)] are
// clamped to it. Bytes that are not valid UTF-8 count as one character each.
func (s *Source) Position(off int) Position {
	off = clamp(off, 0, len(s.text))
	// index of the last line starting at or before off
	i := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	return Position{
		File:   s.name,
		Offset: off,
		Line:   i + 1,
		Col:    utf8.RuneCountInString(s.text[s.lines[i]:off]) + 1,
	}
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
