package token

import (
	"sort"
	"strconv"
	"strings"
)

// Pos is a byte offset into a source text, starting at 0. Syntax nodes store Pos
// values; a File turns them into line:column on demand.
type Pos int

// NoPos is the zero-information position: no node or token has it.
const NoPos Pos = -1

// IsValid reports whether p is a position (not NoPos or another negative value).
func (p Pos) IsValid() bool { return p >= 0 }

// Position is a Pos resolved against a File.
//
// Line and Column are 1-based. Column counts bytes, not characters: the first byte
// of a line is column 1, and a character after "é" (two bytes in UTF-8) is one
// column further than it looks. Lines end at '\n' only; a '\r' before it is the
// last byte of the line.
type Position struct {
	Filename string // may be empty
	Offset   int    // byte offset, starting at 0
	Line     int    // 1-based
	Column   int    // 1-based, in bytes
}

// IsValid reports whether the position is valid.
func (p Position) IsValid() bool { return p.Line > 0 }

// String returns "file:line:col", "line:col" without a file name, or "-" if the
// position is invalid.
func (p Position) String() string {
	if !p.IsValid() {
		if p.Filename != "" {
			return p.Filename
		}
		return "-"
	}
	s := strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
	if p.Filename != "" {
		s = p.Filename + ":" + s
	}
	return s
}

// File is the line table of one source text: it maps a Pos to line and column.
// It is immutable after NewFile and safe for concurrent use.
type File struct {
	name  string
	size  int
	lines []int // lines[i] is the offset of the first byte of line i+1
}

// NewFile returns the line table of src under the given name (used in Position,
// may be empty).
func NewFile(name, src string) *File {
	lines := make([]int, 1, 1+strings.Count(src, "\n"))
	for off := 0; ; {
		i := strings.IndexByte(src[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		lines = append(lines, off)
	}
	return &File{name: name, size: len(src), lines: lines}
}

// Name returns the file name given to NewFile.
func (f *File) Name() string { return f.name }

// Size returns the length of the source text in bytes.
func (f *File) Size() int { return f.size }

// LineCount returns the number of lines (a text ending in '\n' has an empty last line).
func (f *File) LineCount() int { return len(f.lines) }

// LineStart returns the position of the first byte of the 1-based line, or NoPos
// if there is no such line.
func (f *File) LineStart(line int) Pos {
	if line < 1 || line > len(f.lines) {
		return NoPos
	}
	return Pos(f.lines[line-1])
}

// Position resolves p. The end-of-text position Pos(Size()) is valid (it is where
// EOF is reported); NoPos and positions past the end give an invalid Position.
func (f *File) Position(p Pos) Position {
	if !p.IsValid() || int(p) > f.size {
		return Position{Filename: f.name}
	}
	off := int(p)
	// The line is the last one starting at or before off.
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
	return Position{Filename: f.name, Offset: off, Line: i + 1, Column: off - f.lines[i] + 1}
}
