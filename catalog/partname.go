package catalog

import (
	"fmt"
	"strings"
)

// DefaultPartitionName is the value Hive uses for a NULL or empty partition
// value (hive.exec.default.partition.name).
const DefaultPartitionName = "__HIVE_DEFAULT_PARTITION__"

// needsEscape reports whether Hive's FileUtils.escapePathName escapes c:
// control characters 0x01–0x1F, 0x7F and "#%'*/:=?\{[]^.
func needsEscape(c byte) bool {
	if c >= 0x01 && c < 0x20 || c == 0x7f {
		return true
	}
	return strings.IndexByte("\"#%'*/:=?\\{[]^", c) >= 0
}

// EscapePathName escapes s as Hive does for a path component: the special
// characters become %XX (upper-case hex). An empty s becomes
// DefaultPartitionName. Bytes >= 0x80 (UTF-8) and spaces are kept.
func EscapePathName(s string) string {
	if s == "" {
		return DefaultPartitionName
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if needsEscape(c) {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// UnescapePathName reverses EscapePathName: every %XX with two hex digits
// becomes that byte; any other % is kept literally (as Hive does).
func UnescapePathName(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			if hi, ok := unhex(s[i+1]); ok {
				if lo, ok := unhex(s[i+2]); ok {
					b.WriteByte(hi<<4 | lo)
					i += 2
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// MakePartName builds Hive's partition name "k1=v1/k2=v2" from the partition
// keys and values, lower-casing key names and escaping keys and values with
// EscapePathName (an empty value becomes DefaultPartitionName).
func MakePartName(keys []FieldSchema, vals []string) (string, error) {
	if len(keys) != len(vals) {
		return "", Errorf(ErrInvalidObject, "Invalid partition key & values; keys %v, values %v", keyNames(keys), vals)
	}
	if len(keys) == 0 {
		return "", Errorf(ErrInvalidObject, "Invalid partition key & values; table has no partition keys")
	}
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(EscapePathName(strings.ToLower(k.Name)))
		b.WriteByte('=')
		b.WriteString(EscapePathName(vals[i]))
	}
	return b.String(), nil
}

// ParsePartName splits a partition name "k1=v1/k2=v2" into unescaped keys and
// values, in order.
func ParsePartName(name string) (keys, vals []string, err error) {
	if name == "" {
		return nil, nil, Errorf(ErrInvalidObject, "Invalid partition name: empty")
	}
	for _, part := range strings.Split(name, "/") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "" || v == "" {
			return nil, nil, Errorf(ErrInvalidObject, "Invalid partition name: %s", name)
		}
		keys = append(keys, UnescapePathName(k))
		vals = append(vals, UnescapePathName(v))
	}
	return keys, vals, nil
}

func keyNames(keys []FieldSchema) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Name
	}
	return out
}
