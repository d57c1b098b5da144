package output

import (
	"math"
	"strconv"
)

// FormatDouble formats f exactly as Java's Double.toString does (JDK 19+, shortest representation that
// round-trips): `1.0`, `0.001`, `1.0E7`, `1.234E-5`, `NaN`, `Infinity`, `-0.0`, `4.9E-324`. Hive prints
// DOUBLE values this way on the CLI and writes them this way into text files.
func FormatDouble(f float64) string { return string(AppendDouble(nil, f)) }

// FormatFloat formats f as Java's Float.toString does (`6.8899984`, `1.0E10`, `1.4E-45`).
func FormatFloat(f float32) string { return string(AppendFloat(nil, f)) }

// AppendDouble appends FormatDouble(f) to dst and returns the extended buffer.
func AppendDouble(dst []byte, f float64) []byte { return appendJava(dst, f, 64) }

// AppendFloat appends FormatFloat(f) to dst and returns the extended buffer.
func AppendFloat(dst []byte, f float32) []byte { return appendJava(dst, float64(f), 32) }

func appendJava(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	// Shortest decimal digits that round-trip, in exponent form: d.dddde±XX.
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], f, 'e', -1, bits)
	if s[1] == 'e' {
		// One digit is shortest. Java (JDK 19+) then also considers two-digit decimals and takes the one
		// closest to f: Double.MIN_VALUE is 4.9E-324, not 5.0E-324.
		var buf2 [32]byte
		two := strconv.AppendFloat(buf2[:0], f, 'e', 1, bits)
		if two[2] != '0' {
			if g, err := strconv.ParseFloat(string(two), bits); err == nil && g == f {
				s = append(buf[:0], two...)
			}
		}
	}
	// Split into digits (without the point) and the decimal exponent.
	var digitBuf [24]byte
	digits := digitBuf[:0]
	i := 0
	for ; s[i] != 'e'; i++ {
		if s[i] != '.' {
			digits = append(digits, s[i])
		}
	}
	exp, neg := 0, false
	for _, c := range s[i+1:] {
		switch {
		case c == '-':
			neg = true
		case c >= '0' && c <= '9':
			exp = exp*10 + int(c-'0')
		}
	}
	if neg {
		exp = -exp
	}
	if f >= 1e-3 && f < 1e7 {
		// Plain notation with at least one digit after the point.
		if exp >= 0 {
			intLen := exp + 1
			if len(digits) <= intLen {
				dst = append(dst, digits...)
				for range intLen - len(digits) {
					dst = append(dst, '0')
				}
				return append(dst, ".0"...)
			}
			dst = append(dst, digits[:intLen]...)
			dst = append(dst, '.')
			return append(dst, digits[intLen:]...)
		}
		dst = append(dst, "0."...)
		for range -exp - 1 {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	// Computerized scientific notation: one digit, point, at least one digit, 'E', exponent.
	dst = append(dst, digits[0], '.')
	if len(digits) > 1 {
		dst = append(dst, digits[1:]...)
	} else {
		dst = append(dst, '0')
	}
	dst = append(dst, 'E')
	return strconv.AppendInt(dst, int64(exp), 10)
}
