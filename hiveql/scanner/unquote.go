package scanner

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Unquote returns the value of a STRING literal ('...' or "...", raw as scanned),
// applying Hive's unescaping (BaseSemanticAnalyzer.unescapeSQLString):
//
//	\ooo   octal byte, first digit 0 or 1 (so \001 .. \177), e.g. \001 is U+0001
//	\0     NUL (when not the start of an octal triple)
//	\uXXXX UTF-16 code unit (four hex digits; a surrogate pair forms one character,
//	       a lone surrogate becomes U+FFFD)
//	\b \n \r \t      backspace, newline, carriage return, tab
//	\Z               U+001A (ctrl-Z)
//	\\ \' \"         the character itself
//	\% \_            kept with the backslash ("\%"), so LIKE patterns see an escape
//	\x (other x)     x (so "\u" not followed by four hex digits is "u")
//
// It reports an error if lit is not a single, terminated quoted literal.
func Unquote(lit string) (string, error) {
	if len(lit) < 2 || (lit[0] != '\'' && lit[0] != '"') {
		return "", errors.New("string literal not quoted")
	}
	quote := lit[0]
	body := lit[1:]
	// Fast path: no escapes.
	if i := strings.IndexByte(body, '\\'); i < 0 {
		if strings.IndexByte(body, quote) != len(body)-1 {
			return "", errors.New("string literal not terminated")
		}
		return body[:len(body)-1], nil
	}
	var b strings.Builder
	b.Grow(len(body))
	var pending []uint16 // \u code units awaiting a possible surrogate partner
	flush := func() {
		for _, r := range utf16.Decode(pending) {
			b.WriteRune(r)
		}
		pending = pending[:0]
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == quote {
			if i != len(body)-1 {
				return "", errors.New("unescaped quote inside string literal")
			}
			flush()
			return b.String(), nil
		}
		if c != '\\' {
			flush()
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(body) {
			break // backslash escapes the end: not terminated
		}
		n := body[i+1]
		if n == 'u' && i+5 < len(body) {
			if u, ok := hex4(body[i+2 : i+6]); ok {
				pending = append(pending, u)
				i += 5
				continue
			}
		}
		flush()
		if n <= '1' && n >= '0' && i+3 < len(body) && isOctal(body[i+2]) && isOctal(body[i+3]) {
			b.WriteByte((n-'0')<<6 | (body[i+2]-'0')<<3 | (body[i+3] - '0'))
			i += 3
			continue
		}
		i++
		switch n {
		case '0':
			b.WriteByte(0)
		case 'b':
			b.WriteByte('\b')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'Z':
			b.WriteByte(0x1A)
		case '%', '_':
			b.WriteByte('\\')
			b.WriteByte(n)
		default:
			// Any other escaped character stands for itself (a multi-byte
			// character is copied whole by the following iterations).
			b.WriteByte(n)
		}
	}
	return "", errors.New("string literal not terminated")
}

func isOctal(c byte) bool { return '0' <= c && c <= '7' }

func hex4(s string) (uint16, bool) {
	var v uint16
	for i := 0; i < 4; i++ {
		c := s[i]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c|0x20 && c|0x20 <= 'f':
			d = (c | 0x20) - 'a' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint16(d)
	}
	return v, true
}

// UnquoteIdent returns the name in a QUOTED_IDENT literal; two backquotes inside
// stand for one:
//
//	`a``b`  →  a`b
func UnquoteIdent(lit string) (string, error) {
	if len(lit) < 2 || lit[0] != '`' || lit[len(lit)-1] != '`' {
		return "", errors.New("quoted identifier not terminated")
	}
	body := lit[1 : len(lit)-1]
	if !strings.Contains(body, "`") {
		return body, nil
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		if body[i] == '`' {
			if i+1 >= len(body) || body[i+1] != '`' {
				return "", errors.New("unescaped backquote inside quoted identifier")
			}
			i++
		}
		b.WriteByte(body[i])
	}
	return b.String(), nil
}

// DecodeBinary returns the bytes of a BINARY literal X'0A1B'. An odd number of hex
// digits is read as if preceded by a 0 (as Spark does): X'123' is 0x01 0x23.
func DecodeBinary(lit string) ([]byte, error) {
	if len(lit) < 3 || lit[0]|0x20 != 'x' || lit[1] != '\'' || lit[len(lit)-1] != '\'' {
		return nil, errors.New("binary literal not terminated")
	}
	digits := lit[2 : len(lit)-1]
	out := make([]byte, (len(digits)+1)/2)
	shift := len(digits) % 2 // odd length: the first byte has one digit
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c|0x20 && c|0x20 <= 'f':
			d = (c | 0x20) - 'a' + 10
		default:
			r, _ := utf8.DecodeRuneInString(digits[i:])
			return nil, fmt.Errorf("invalid character %#U in binary literal", r)
		}
		k := (i + shift) / 2
		out[k] = out[k]<<4 | d
	}
	return out, nil
}
