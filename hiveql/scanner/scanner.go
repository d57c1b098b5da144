package scanner

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/waggle-dev/waggle/hiveql/token"
)

// Mode controls scanner behaviour.
type Mode uint

const (
	// ScanComments makes Scan return comments as token.COMMENT instead of skipping them.
	ScanComments Mode = 1 << iota
)

// An ErrorHandler is called for each lexical error with its position and message.
type ErrorHandler func(pos token.Pos, msg string)

// Scanner holds the state of scanning one source text. Use Init, then call Scan
// until it returns token.EOF. The zero value is an empty, already finished scanner.
type Scanner struct {
	src  string
	errh ErrorHandler
	mode Mode

	off int // offset of the next unread byte
	end int // end offset of the last token returned

	// ErrorCount is the number of errors reported so far.
	ErrorCount int
}

// Init prepares s to scan src. errh (may be nil) receives every lexical error;
// scanning always continues after one.
func (s *Scanner) Init(src string, errh func(pos token.Pos, msg string), mode Mode) {
	s.src = src
	s.errh = errh
	s.mode = mode
	s.off = 0
	s.end = 0
	s.ErrorCount = 0
	if strings.HasPrefix(src, "\uFEFF") {
		s.off = 3 // byte order mark: whitespace
	}
}

// TokenEnd returns the offset just past the last token returned by Scan (for a HINT
// that is after its "*/", for EOF the length of the source).
func (s *Scanner) TokenEnd() token.Pos { return token.Pos(s.end) }

func (s *Scanner) error(off int, msg string) {
	s.ErrorCount++
	if s.errh != nil {
		s.errh(token.Pos(off), msg)
	}
}

// errorf formats the message only when someone will read it.
func (s *Scanner) errorf(off int, format string, args ...any) {
	s.ErrorCount++
	if s.errh != nil {
		s.errh(token.Pos(off), fmt.Sprintf(format, args...))
	}
}

// Scan returns the next token, its position (byte offset of its first byte) and its
// literal: the source text of the token as written, except for a HINT (the text
// between "/*+" and "*/") and EOF (""). For an unterminated string, quoted
// identifier, binary literal or comment, the literal runs to the end of the source.
func (s *Scanner) Scan() (pos token.Pos, tok token.Token, lit string) {
	for {
		s.skipWhitespace()
		start := s.off
		tok, lit = s.scanToken()
		s.end = s.off
		if tok == token.COMMENT && s.mode&ScanComments == 0 {
			continue
		}
		return token.Pos(start), tok, lit
	}
}

func (s *Scanner) skipWhitespace() {
	for s.off < len(s.src) {
		switch s.src[s.off] {
		case ' ', '\t', '\n', '\r', '\f':
			s.off++
		default:
			return
		}
	}
}

// peek returns the byte at offset off+n, or 0 past the end.
func (s *Scanner) peek(n int) byte {
	if i := s.off + n; i < len(s.src) {
		return s.src[i]
	}
	return 0
}

func (s *Scanner) scanToken() (token.Token, string) {
	start := s.off
	if start >= len(s.src) {
		return token.EOF, ""
	}
	c := s.src[start]
	switch {
	case (c == 'X' || c == 'x') && s.peek(1) == '\'':
		return s.scanBinary()
	case isASCIILetter(c) || c == '_' || c >= utf8.RuneSelf && s.identRuneAt(start) > 0:
		s.off = s.identEnd(start)
		lit := s.src[start:s.off]
		return token.Lookup(lit), lit
	case isDigit(c) || c == '.' && isDigit(s.peek(1)):
		return s.scanNumber()
	}
	op := token.ILLEGAL
	n := 1
	switch c {
	case '\'', '"':
		return s.scanString()
	case '`':
		return s.scanQuotedIdent()
	case '-':
		switch s.peek(1) {
		case '-':
			return s.scanLineComment()
		case '>':
			op, n = token.ARROW, 2
		default:
			op = token.MINUS
		}
	case '/':
		if s.peek(1) == '*' {
			return s.scanBlockComment()
		}
		op = token.DIVIDE
	case '+':
		op = token.PLUS
	case '*':
		op = token.STAR
	case '%':
		op = token.MOD
	case '&':
		op = token.AMPERSAND
		if s.peek(1) == '&' {
			op, n = token.ANDAND, 2
		}
	case '|':
		op = token.PIPE
		if s.peek(1) == '|' {
			op, n = token.CONCAT, 2
		}
	case '^':
		op = token.CARET
	case '~':
		op = token.TILDE
	case '!':
		op = token.BANG
		if s.peek(1) == '=' {
			op, n = token.NEQ, 2
		}
	case '=':
		op = token.EQ
		switch s.peek(1) {
		case '=':
			n = 2
		case '>':
			op, n = token.FATARROW, 2
		}
	case '<':
		op = token.LT
		switch s.peek(1) {
		case '=':
			op, n = token.LE, 2
			if s.peek(2) == '>' {
				op, n = token.NSEQ, 3
			}
		case '>':
			op, n = token.NEQ, 2
		}
	case '>':
		op = token.GT
		if s.peek(1) == '=' {
			op, n = token.GE, 2
		}
	case '(':
		op = token.LPAREN
	case ')':
		op = token.RPAREN
	case '[':
		op = token.LBRACK
	case ']':
		op = token.RBRACK
	case '{':
		op = token.LBRACE
	case '}':
		op = token.RBRACE
	case ',':
		op = token.COMMA
	case ';':
		op = token.SEMICOLON
	case '.':
		op = token.DOT
	case ':':
		op = token.COLON
	case '?':
		op = token.QUESTION
	case '@':
		op = token.AT
	default:
		r, size := utf8.DecodeRuneInString(s.src[start:])
		if r == utf8.RuneError && size == 1 {
			s.error(start, "invalid UTF-8 encoding")
		} else {
			s.errorf(start, "unexpected character %#U", r)
		}
		n = size
	}
	s.off += n
	return op, s.src[start:s.off]
}

func isASCIILetter(c byte) bool { return 'a' <= (c|0x20) && (c|0x20) <= 'z' }
func isDigit(c byte) bool       { return '0' <= c && c <= '9' }

// identRuneAt returns the size of the identifier character at offset i, or 0.
func (s *Scanner) identRuneAt(i int) int {
	c := s.src[i]
	if c < utf8.RuneSelf {
		if isASCIILetter(c) || isDigit(c) || c == '_' {
			return 1
		}
		return 0
	}
	r, size := utf8.DecodeRuneInString(s.src[i:])
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return size
	}
	return 0
}

// identEnd returns the end of the run of identifier characters starting at i.
func (s *Scanner) identEnd(i int) int {
	for i < len(s.src) {
		if c := s.src[i]; isASCIILetter(c) || isDigit(c) || c == '_' {
			i++
			continue
		}
		n := s.identRuneAt(i)
		if n == 0 {
			break
		}
		i += n
	}
	return i
}

func (s *Scanner) digitsEnd(i int) int {
	for i < len(s.src) && isDigit(s.src[i]) {
		i++
	}
	return i
}

func (s *Scanner) scanNumber() (token.Token, string) {
	start := s.off
	i := s.digitsEnd(start)
	plain := true // digits only so far
	if i < len(s.src) && s.src[i] == '.' {
		plain = false
		i = s.digitsEnd(i + 1)
	}
	exp := false
	if i < len(s.src) && s.src[i]|0x20 == 'e' {
		j := i + 1
		if j < len(s.src) && (s.src[j] == '+' || s.src[j] == '-') {
			j++
		}
		if j < len(s.src) && isDigit(s.src[j]) {
			i = s.digitsEnd(j)
			exp = true
		}
	}
	tok := token.NUMBER
	if plain && !exp {
		tok = token.INTEGER
	}
	// Type suffix, only if it ends the word.
	if i < len(s.src) {
		n := 0
		switch s.src[i] | 0x20 {
		case 'y', 's', 'l':
			if tok == token.INTEGER {
				n = 1
			}
		case 'd', 'f':
			n, tok = 1, token.NUMBER
		case 'b':
			if i+1 < len(s.src) && s.src[i+1]|0x20 == 'd' {
				n = 2
			}
		}
		if n > 0 && (i+n >= len(s.src) || s.identRuneAt(i+n) == 0) {
			i += n
			if n == 2 {
				tok = token.NUMBER
			}
		} else if n > 0 && tok == token.NUMBER && plain && !exp {
			tok = token.INTEGER // rejected D/F suffix on an integer
		}
	}
	// A digits-first identifier longer than the number wins.
	if plain {
		if e := s.identEnd(start); e > i {
			s.off = e
			return token.IDENT, s.src[start:e]
		}
	}
	s.off = i
	return tok, s.src[start:i]
}

func (s *Scanner) scanString() (token.Token, string) {
	start := s.off
	quote := s.src[start]
	for i := start + 1; i < len(s.src); i++ {
		switch s.src[i] {
		case '\\':
			i++
		case quote:
			s.off = i + 1
			return token.STRING, s.src[start:s.off]
		}
	}
	s.error(start, "string literal not terminated")
	s.off = len(s.src)
	return token.STRING, s.src[start:]
}

func (s *Scanner) scanQuotedIdent() (token.Token, string) {
	start := s.off
	for i := start + 1; i < len(s.src); i++ {
		if s.src[i] == '`' {
			if i+1 < len(s.src) && s.src[i+1] == '`' {
				i++
				continue
			}
			s.off = i + 1
			return token.QUOTED_IDENT, s.src[start:s.off]
		}
	}
	s.error(start, "quoted identifier not terminated")
	s.off = len(s.src)
	return token.QUOTED_IDENT, s.src[start:]
}

func (s *Scanner) scanBinary() (token.Token, string) {
	start := s.off
	for i := start + 2; i < len(s.src); i++ {
		c := s.src[i]
		if c == '\'' {
			s.off = i + 1
			return token.BINARY, s.src[start:s.off]
		}
		if !isHex(c) {
			r, _ := utf8.DecodeRuneInString(s.src[i:])
			s.errorf(i, "invalid character %#U in binary literal", r)
		}
	}
	s.error(start, "binary literal not terminated")
	s.off = len(s.src)
	return token.BINARY, s.src[start:]
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }

func (s *Scanner) scanLineComment() (token.Token, string) {
	start := s.off
	i := strings.IndexAny(s.src[start:], "\r\n")
	if i < 0 {
		s.off = len(s.src)
	} else {
		s.off = start + i
	}
	return token.COMMENT, s.src[start:s.off]
}

func (s *Scanner) scanBlockComment() (token.Token, string) {
	start := s.off
	hint := s.peek(2) == '+'
	body := start + 2
	if hint {
		body++
	}
	i := strings.Index(s.src[body:], "*/")
	if i < 0 {
		s.error(start, "comment not terminated")
		s.off = len(s.src)
		if hint {
			return token.HINT, s.src[body:]
		}
		return token.COMMENT, s.src[start:]
	}
	s.off = body + i + 2
	if hint {
		return token.HINT, s.src[body : body+i]
	}
	return token.COMMENT, s.src[start:s.off]
}
