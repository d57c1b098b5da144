package script

import (
	"strings"
	"unicode/utf8"
)

// Statement is one statement of a script: the text between two top-level semicolons.
//
// Text runs from the first character that is neither white space nor part of a comment up to the
// last such character before the terminating ';' (or end of file). Comments inside the statement
// are kept verbatim; comments and white space before the first and after the last significant
// character are not part of Text. Text is always exactly src[Offset:End].
type Statement struct {
	Text   string
	File   string
	Index  int // 0-based ordinal among the statements of the file
	Offset int // byte offset of Text[0] in the file
	End    int // byte offset just after the last byte of Text
	Line   int // 1-based line of Text[0]
	Col    int // 1-based column (runes) of Text[0]
}

// Pos returns the position of the statement's first character.
func (st Statement) Pos() Position {
	return Position{File: st.File, Offset: st.Offset, Line: st.Line, Col: st.Col}
}

// PositionAt returns the file position of the byte offset off within st.Text (clamped to
// [0, len(st.Text)]). It needs no line table: lines and columns are counted from the
// statement's own start position.
func (st Statement) PositionAt(off int) Position {
	off = clamp(off, 0, len(st.Text))
	before := st.Text[:off]
	p := Position{File: st.File, Offset: st.Offset + off, Line: st.Line, Col: st.Col}
	nl := strings.LastIndexByte(before, '\n')
	if nl < 0 {
		p.Col += utf8.RuneCountInString(before)
		return p
	}
	p.Line += strings.Count(before, "\n")
	p.Col = utf8.RuneCountInString(before[nl+1:]) + 1
	return p
}

// Error is a problem found while splitting, at a position in the file.
type Error struct {
	Pos Position
	Msg string
}

// Error returns "file:line:col: msg".
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Split cuts src (the contents of file) into statements at every ';' that is not inside a string
// ('...' or "...", where a backslash escapes the next character), a quoted identifier (`...`,
// where a doubled backquote is an escaped one), a -- comment (to end of line) or a /* */ comment (not
// nested). Statements that contain only white space and comments are skipped. A missing ';'
// after the last statement is fine.
//
// Anything that is not SQL (Hive CLI commands such as `!ls`, `dfs -ls /`, `source x.sql`,
// `set a=b`) splits like any other statement.
//
// The only possible error is an unterminated string, quoted identifier or block comment at end
// of file; it is returned as an *Error positioned where the quote or comment started, and the
// statements found (including the unterminated last one) are returned too. A leading UTF-8 byte
// order mark is treated as white space.
func Split(file, src string) ([]Statement, error) {
	lt := NewSource(file, src)
	var (
		stmts    []Statement
		err      error
		start    = -1 // offset of the first significant byte of the current statement
		lastSig  = -1 // offset just after its last significant byte
		n        = len(src)
		i        = 0
		emitStmt = func() {
			if start < 0 {
				return
			}
			text := strings.TrimRight(src[start:lastSig], spaceChars)
			p := lt.Position(start)
			stmts = append(stmts, Statement{
				Text: text, File: file, Index: len(stmts),
				Offset: start, End: start + len(text), Line: p.Line, Col: p.Col,
			})
			start, lastSig = -1, -1
		}
		fail = func(at int, msg string) {
			if err == nil {
				err = &Error{Pos: lt.Position(at), Msg: msg}
			}
		}
	)
	if strings.HasPrefix(src, "\uFEFF") {
		i = len("\uFEFF")
	}
	for i < n {
		c := src[i]
		switch {
		case c == ';':
			emitStmt()
			i++
		case c == '\'' || c == '"' || c == '`':
			if start < 0 {
				start = i
			}
			end, ok := skipQuoted(src, i)
			if !ok {
				fail(i, unterminatedMsg(c))
			}
			i, lastSig = end, end
		case c == '-' && i+1 < n && src[i+1] == '-':
			i = skipLineComment(src, i)
		case c == '/' && i+1 < n && src[i+1] == '*':
			end, ok := skipBlockComment(src, i)
			if !ok {
				fail(i, "unterminated /* comment")
			}
			i = end
		case isSpace(c):
			i++
		default:
			if start < 0 {
				start = i
			}
			i++
			lastSig = i
		}
	}
	emitStmt()
	return stmts, err
}

const spaceChars = " \t\n\r\f\v"

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func unterminatedMsg(q byte) string {
	switch q {
	case '`':
		return "unterminated quoted identifier (missing closing `)"
	case '"':
		return `unterminated string (missing closing ")`
	}
	return "unterminated string (missing closing ')"
}

// skipQuoted skips the quoted token starting at src[i] (a ', " or `) and returns the offset just
// after it; ok is false when the quote is not closed before end of input (end is then len(src)).
// In strings a backslash escapes the next byte; in quoted identifiers a doubled backquote is an
// escaped one, which for skipping is the same as closing and reopening.
func skipQuoted(src string, i int) (end int, ok bool) {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			if q != '`' {
				j++ // skip the escaped byte
			}
		case q:
			if q == '`' && j+1 < len(src) && src[j+1] == '`' {
				j++
				continue
			}
			return j + 1, true
		}
	}
	return len(src), false
}

// skipLineComment skips a -- comment starting at src[i]; the result is the offset of the
// terminating '\n' (or len(src)).
func skipLineComment(src string, i int) int {
	if k := strings.IndexByte(src[i:], '\n'); k >= 0 {
		return i + k
	}
	return len(src)
}

// skipBlockComment skips a /* */ comment starting at src[i] and returns the offset after "*/".
func skipBlockComment(src string, i int) (end int, ok bool) {
	if k := strings.Index(src[i+2:], "*/"); k >= 0 {
		return i + 2 + k + 2, true
	}
	return len(src), false
}

// commentRanges returns the [start, end) byte ranges of the comments in text, in order, lexing
// with the same rules as Split.
func commentRanges(text string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i, _ = skipQuoted(text, i)
		case c == '-' && i+1 < len(text) && text[i+1] == '-':
			end := skipLineComment(text, i)
			out = append(out, [2]int{i, end})
			i = end
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			end, _ := skipBlockComment(text, i)
			out = append(out, [2]int{i, end})
			i = end
		default:
			i++
		}
	}
	return out
}
