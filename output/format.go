package output

import (
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/waggle-dev/waggle/hiveql/types"
)

// nullText is how the Hive CLI prints a top-level NULL; nullJSON is NULL inside a complex value.
const (
	nullText = "NULL"
	nullJSON = "null"
)

// FormatValue returns one cell as the Hive CLI prints it: v is a value as duckdb-go scans it into `any`,
// t the Hive type of the column (nil: print by the value's Go type). See the package comment for the rules.
func FormatValue(v any, t *types.Type) string {
	return string(AppendValue(nil, v, t))
}

// AppendValue appends FormatValue(v, t) to dst and returns the extended buffer.
func AppendValue(dst []byte, v any, t *types.Type) []byte {
	if v == nil {
		return append(dst, nullText...)
	}
	if t == nil {
		t = typeOfValue(v)
	}
	switch t.Kind {
	case types.Array, types.Map, types.Struct, types.Union:
		return appendJSON(dst, v, t)
	case types.Decimal:
		if d, ok := decimalOf(v); ok {
			return appendDecimal(dst, d, t.Scale, false)
		}
	case types.Binary:
		switch x := v.(type) {
		case []byte:
			return append(dst, x...)
		case string:
			return append(dst, x...)
		}
	}
	return appendPrimitive(dst, v, t)
}

// appendPrimitive appends a primitive value the way it prints both at top level and inside complex values
// (numbers, booleans, intervals); quoting and DECIMAL/BINARY differences are handled by the callers.
func appendPrimitive(dst []byte, v any, t *types.Type) []byte {
	switch t.Kind {
	case types.Void:
		return append(dst, nullText...)
	case types.Boolean:
		if b, ok := v.(bool); ok {
			return strconv.AppendBool(dst, b)
		}
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt:
		if d, ok := appendInteger(dst, v); ok {
			return d
		}
	case types.Double:
		switch x := v.(type) {
		case float64:
			return AppendDouble(dst, x)
		case float32:
			// Hive widens FLOAT to DOUBLE exactly, then prints the double (6.889999866485596).
			return AppendDouble(dst, float64(x))
		}
	case types.Float:
		switch x := v.(type) {
		case float32:
			return AppendFloat(dst, x)
		case float64:
			return AppendFloat(dst, float32(x))
		}
	case types.Decimal:
		if d, ok := decimalOf(v); ok {
			return appendDecimal(dst, d, t.Scale, false)
		}
	case types.String, types.Varchar:
		switch x := v.(type) {
		case string:
			return append(dst, x...)
		case []byte:
			return append(dst, x...)
		}
	case types.Char:
		switch x := v.(type) {
		case string:
			return appendPadded(dst, x, t.Length)
		case []byte:
			return appendPadded(dst, string(x), t.Length)
		}
	case types.Date:
		switch x := v.(type) {
		case time.Time:
			return appendDate(dst, x)
		case string:
			return append(dst, x...)
		}
	case types.Timestamp:
		switch x := v.(type) {
		case time.Time:
			return appendTimestamp(dst, x)
		case string:
			return append(dst, x...)
		}
	case types.Binary:
		switch x := v.(type) {
		case []byte:
			return append(dst, x...)
		case string:
			return append(dst, x...)
		}
	case types.IntervalYearMonth:
		switch x := v.(type) {
		case duckdb.Interval:
			return appendYearMonth(dst, int64(x.Months))
		case int32:
			return appendYearMonth(dst, int64(x))
		case int64:
			return appendYearMonth(dst, x)
		}
	case types.IntervalDayTime:
		switch x := v.(type) {
		case duckdb.Interval:
			// A month is 30 days and a day 24 hours, as DuckDB normalises intervals.
			days := int64(x.Months)*30 + int64(x.Days)
			sec := days*86400 + x.Micros/1e6
			nanos := (x.Micros % 1e6) * 1000
			return appendDayTime(dst, sec, nanos)
		case time.Duration:
			return appendDayTime(dst, int64(x/time.Second), int64(x%time.Second))
		}
	}
	// The Go value does not fit the Hive type: print it by what it is.
	if k := kindOfValue(v); k != t.Kind && k != types.Invalid {
		return AppendValue(dst, v, typeOfValue(v))
	}
	return fmt.Appendf(dst, "%v", v)
}

// appendInteger appends any Go integer (and *big.Int) in decimal. ok is false for other values.
func appendInteger(dst []byte, v any) (_ []byte, ok bool) {
	switch x := v.(type) {
	case int8:
		return strconv.AppendInt(dst, int64(x), 10), true
	case int16:
		return strconv.AppendInt(dst, int64(x), 10), true
	case int32:
		return strconv.AppendInt(dst, int64(x), 10), true
	case int64:
		return strconv.AppendInt(dst, x, 10), true
	case int:
		return strconv.AppendInt(dst, int64(x), 10), true
	case uint8:
		return strconv.AppendUint(dst, uint64(x), 10), true
	case uint16:
		return strconv.AppendUint(dst, uint64(x), 10), true
	case uint32:
		return strconv.AppendUint(dst, uint64(x), 10), true
	case uint64:
		return strconv.AppendUint(dst, x, 10), true
	case uint:
		return strconv.AppendUint(dst, uint64(x), 10), true
	case *big.Int:
		if x == nil {
			return append(dst, nullText...), true
		}
		return x.Append(dst, 10), true
	}
	return dst, false
}

// decimalOf returns v as a decimal (unscaled value and scale): duckdb.Decimal, Go integers, *big.Int.
func decimalOf(v any) (duckdb.Decimal, bool) {
	switch x := v.(type) {
	case duckdb.Decimal:
		if x.Value == nil {
			return duckdb.Decimal{}, false
		}
		return x, true
	case *big.Int:
		if x == nil {
			return duckdb.Decimal{}, false
		}
		return duckdb.Decimal{Value: x}, true
	case int8, int16, int32, int64, int, uint8, uint16, uint32, uint64, uint:
		b, _ := appendInteger(nil, v)
		n, _ := new(big.Int).SetString(string(b), 10)
		return duckdb.Decimal{Value: n}, true
	}
	return duckdb.Decimal{}, false
}

// appendDecimal appends d rescaled to scale (HALF_UP, as Hive rounds) in plain notation. With trim, trailing
// fractional zeros (and a then-empty point) are removed, as HiveDecimal.toString prints inside complex values.
// A negative scale means "keep the value's own scale".
func appendDecimal(dst []byte, d duckdb.Decimal, scale int, trim bool) []byte {
	unscaled := d.Value
	if scale < 0 {
		scale = int(d.Scale)
	}
	if diff := scale - int(d.Scale); diff > 0 {
		unscaled = new(big.Int).Mul(unscaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(diff)), nil))
	} else if diff < 0 {
		div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-diff)), nil)
		q, r := new(big.Int).QuoRem(unscaled, div, new(big.Int))
		// HALF_UP: round away from zero when the dropped part is at least half.
		if r.Sign() != 0 && new(big.Int).Mul(new(big.Int).Abs(r), big.NewInt(2)).Cmp(div) >= 0 {
			q.Add(q, big.NewInt(int64(unscaled.Sign())))
		}
		unscaled = q
	}
	var digitsBuf [48]byte
	digits := unscaled.Append(digitsBuf[:0], 10)
	if len(digits) > 0 && digits[0] == '-' {
		dst = append(dst, '-')
		digits = digits[1:]
	}
	if scale == 0 {
		return append(dst, digits...)
	}
	if len(digits) <= scale {
		// 0.00ddd: pad with leading zeros.
		padded := make([]byte, 0, scale+1)
		for range scale + 1 - len(digits) {
			padded = append(padded, '0')
		}
		digits = append(padded, digits...)
	}
	intPart, frac := digits[:len(digits)-scale], digits[len(digits)-scale:]
	if trim {
		for len(frac) > 0 && frac[len(frac)-1] == '0' {
			frac = frac[:len(frac)-1]
		}
	}
	dst = append(dst, intPart...)
	if len(frac) > 0 {
		dst = append(dst, '.')
		dst = append(dst, frac...)
	}
	return dst
}

// appendPadded appends s right-padded with spaces to n characters (CHAR(n)).
func appendPadded(dst []byte, s string, n int) []byte {
	dst = append(dst, s...)
	for c := utf8.RuneCountInString(s); c < n; c++ {
		dst = append(dst, ' ')
	}
	return dst
}

// appendYear appends a year as Java's `yyyy` pattern does: year-of-era, at least four digits.
func appendYear(dst []byte, y int) []byte {
	if y <= 0 {
		y = 1 - y
	}
	for p := 1000; p > 1 && y < p; p /= 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, int64(y), 10)
}

func append2(dst []byte, n int) []byte {
	return append(dst, byte('0'+n/10%10), byte('0'+n%10))
}

// appendDate appends t as `yyyy-MM-dd`.
func appendDate(dst []byte, t time.Time) []byte {
	y, m, d := t.Date()
	dst = appendYear(dst, y)
	dst = append(dst, '-')
	dst = append2(dst, int(m))
	dst = append(dst, '-')
	return append2(dst, d)
}

// appendTimestamp appends t as `yyyy-MM-dd HH:mm:ss`, plus `.fffffffff` without trailing zeros when the
// fraction is not zero.
func appendTimestamp(dst []byte, t time.Time) []byte {
	dst = appendDate(dst, t)
	h, mi, s := t.Clock()
	dst = append(dst, ' ')
	dst = append2(dst, h)
	dst = append(dst, ':')
	dst = append2(dst, mi)
	dst = append(dst, ':')
	dst = append2(dst, s)
	if ns := t.Nanosecond(); ns != 0 {
		dst = append(dst, '.')
		dst = appendFraction(dst, ns, true)
	}
	return dst
}

// appendFraction appends nanoseconds as nine digits, optionally without trailing zeros.
func appendFraction(dst []byte, ns int, trim bool) []byte {
	var buf [9]byte
	for i := 8; i >= 0; i-- {
		buf[i] = byte('0' + ns%10)
		ns /= 10
	}
	n := 9
	if trim {
		for n > 1 && buf[n-1] == '0' {
			n--
		}
	}
	return append(dst, buf[:n]...)
}

// appendYearMonth appends a year-month interval as Hive does: `Y-M`, sign in front (`-1-2`).
func appendYearMonth(dst []byte, months int64) []byte {
	if months < 0 {
		dst = append(dst, '-')
		months = -months
	}
	dst = strconv.AppendInt(dst, months/12, 10)
	dst = append(dst, '-')
	return strconv.AppendInt(dst, months%12, 10)
}

// appendDayTime appends a day-time interval of sec seconds plus nanos nanoseconds (either sign each) as
// Hive does: `D HH:MM:SS.fffffffff`, sign in front, all nine fraction digits.
func appendDayTime(dst []byte, sec, nanos int64) []byte {
	// Normalise so both parts have the same sign, as HiveIntervalDayTime does.
	sec += nanos / 1e9
	nanos %= 1e9
	if sec > 0 && nanos < 0 {
		sec--
		nanos += 1e9
	} else if sec < 0 && nanos > 0 {
		sec++
		nanos -= 1e9
	}
	if sec < 0 || nanos < 0 {
		dst = append(dst, '-')
		sec, nanos = -sec, -nanos
	}
	dst = strconv.AppendInt(dst, sec/86400, 10)
	dst = append(dst, ' ')
	dst = append2(dst, int(sec/3600%24))
	dst = append(dst, ':')
	dst = append2(dst, int(sec/60%60))
	dst = append(dst, ':')
	dst = append2(dst, int(sec%60))
	dst = append(dst, '.')
	return appendFraction(dst, int(nanos), false)
}

// appendJSON appends v as Hive's SerDeUtils.getJSONString prints a value inside (or as) a complex value.
func appendJSON(dst []byte, v any, t *types.Type) []byte {
	if v == nil {
		return append(dst, nullJSON...)
	}
	if t == nil {
		t = typeOfValue(v)
	}
	switch t.Kind {
	case types.Array:
		if xs, ok := v.([]any); ok {
			dst = append(dst, '[')
			for i, x := range xs {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendJSON(dst, x, t.Elem)
			}
			return append(dst, ']')
		}
	case types.Map:
		if keys, vals, ok := mapEntries(v); ok {
			dst = append(dst, '{')
			for i := range keys {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendJSON(dst, keys[i], t.Key)
				dst = append(dst, ':')
				dst = appendJSON(dst, vals[i], t.Value)
			}
			return append(dst, '}')
		}
	case types.Struct:
		switch x := v.(type) {
		case map[string]any:
			return appendStruct(dst, x, t)
		case []any:
			dst = append(dst, '{')
			for i, f := range t.Fields {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendFieldName(dst, f.Name)
				var fv any
				if i < len(x) {
					fv = x[i]
				}
				dst = appendJSON(dst, fv, f.Type)
			}
			return append(dst, '}')
		}
	case types.Union:
		if u, ok := v.(duckdb.Union); ok {
			tag, alt := unionTag(u.Tag, t)
			dst = append(dst, '{')
			dst = append(dst, tag...)
			dst = append(dst, ':')
			dst = appendJSON(dst, u.Value, alt)
			return append(dst, '}')
		}
	case types.String, types.Varchar:
		switch x := v.(type) {
		case string:
			return appendQuoted(dst, x)
		case []byte:
			return appendQuoted(dst, string(x))
		}
	case types.Char:
		switch x := v.(type) {
		case string:
			return appendQuoted(dst, string(appendPadded(nil, x, t.Length)))
		case []byte:
			return appendQuoted(dst, string(appendPadded(nil, string(x), t.Length)))
		}
	case types.Date, types.Timestamp:
		if x, ok := v.(time.Time); ok {
			dst = append(dst, '"')
			if t.Kind == types.Date {
				dst = appendDate(dst, x)
			} else {
				dst = appendTimestamp(dst, x)
			}
			return append(dst, '"')
		}
		if s, ok := v.(string); ok {
			return appendQuoted(dst, s)
		}
	case types.Decimal:
		if d, ok := decimalOf(v); ok {
			return appendDecimal(dst, d, t.Scale, true)
		}
	case types.Binary:
		switch x := v.(type) {
		case []byte:
			return append(dst, x...)
		case string:
			return append(dst, x...)
		}
	case types.Void:
		return append(dst, nullJSON...)
	default:
		if t.IsPrimitive() {
			k := kindOfValue(v)
			if k == t.Kind || k == types.Invalid || t.IsNumeric() && k >= types.TinyInt && k <= types.Double {
				return appendPrimitive(dst, v, t)
			}
		}
	}
	// The Go value does not fit the Hive type: print it by what it is.
	if k := kindOfValue(v); k != types.Invalid && k != t.Kind {
		return appendJSON(dst, v, typeOfValue(v))
	}
	return appendQuoted(dst, fmt.Sprint(v))
}

// appendStruct appends a STRUCT value in the field order of t; with no fields in t, in key order.
func appendStruct(dst []byte, m map[string]any, t *types.Type) []byte {
	dst = append(dst, '{')
	if len(t.Fields) == 0 {
		for i, k := range slices.Sorted(maps.Keys(m)) {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendFieldName(dst, k)
			dst = appendJSON(dst, m[k], nil)
		}
		return append(dst, '}')
	}
	for i, f := range t.Fields {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendFieldName(dst, f.Name)
		fv, ok := m[f.Name]
		if !ok {
			for k, x := range m {
				if strings.EqualFold(k, f.Name) {
					fv = x
					break
				}
			}
		}
		dst = appendJSON(dst, fv, f.Type)
	}
	return append(dst, '}')
}

// appendFieldName appends `"name":` with the name lower-cased and not escaped, as Hive prints it.
func appendFieldName(dst []byte, name string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(name); i++ {
		if c := name[i]; c >= utf8.RuneSelf {
			dst = append(dst, strings.ToLower(name[i:])...)
			break
		} else if 'A' <= c && c <= 'Z' {
			dst = append(dst, c+'a'-'A')
		} else {
			dst = append(dst, c)
		}
	}
	return append(dst, '"', ':')
}

// mapEntries returns the entries of a MAP value in print order.
func mapEntries(v any) (keys, vals []any, ok bool) {
	switch x := v.(type) {
	case duckdb.OrderedMap:
		return x.Keys(), x.Values(), true
	case *duckdb.OrderedMap:
		if x == nil {
			return nil, nil, true
		}
		return x.Keys(), x.Values(), true
	case []any:
		// map_entries(m): [{key: k, value: v}, ...]
		keys = make([]any, 0, len(x))
		vals = make([]any, 0, len(x))
		for _, e := range x {
			kv, isEntry := e.(map[string]any)
			if !isEntry {
				return nil, nil, false
			}
			keys = append(keys, kv["key"])
			vals = append(vals, kv["value"])
		}
		return keys, vals, true
	case duckdb.Map:
		return sortedEntries(x)
	case map[any]any:
		return sortedEntries(x)
	case map[string]any:
		m := make(map[any]any, len(x))
		for k, e := range x {
			m[k] = e
		}
		return sortedEntries(m)
	}
	return nil, nil, false
}

// sortedEntries returns the entries of an unordered Go map sorted by the key's text.
func sortedEntries(m map[any]any) (keys, vals []any, ok bool) {
	type entry struct {
		text     string
		key, val any
	}
	es := make([]entry, 0, len(m))
	for k, v := range m {
		es = append(es, entry{FormatValue(k, nil), k, v})
	}
	slices.SortFunc(es, func(a, b entry) int { return strings.Compare(a.text, b.text) })
	for _, e := range es {
		keys = append(keys, e.key)
		vals = append(vals, e.val)
	}
	return keys, vals, true
}

// unionTag returns the Hive tag of a DuckDB union member name — the number it ends with — and the type of
// that alternative (nil when t does not have it). A name without a number is returned as is.
func unionTag(name string, t *types.Type) (string, *types.Type) {
	i := len(name)
	for i > 0 && name[i-1] >= '0' && name[i-1] <= '9' {
		i--
	}
	tag, err := strconv.Atoi(name[i:])
	if err != nil {
		return name, nil
	}
	var alt *types.Type
	if tag < len(t.Alts) {
		alt = t.Alts[tag]
	}
	return strconv.Itoa(tag), alt
}

// appendQuoted appends s double-quoted with Hive's SerDeUtils.escapeString escaping.
func appendQuoted(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// kindOfValue returns the Hive kind a Go value prints as when nothing better is known (Invalid: unknown).
func kindOfValue(v any) types.Kind {
	switch x := v.(type) {
	case bool:
		return types.Boolean
	case int8, int16, int32, int64, int, uint8, uint16, uint32, uint64, uint, *big.Int:
		return types.BigInt
	case float32:
		return types.Float
	case float64:
		return types.Double
	case duckdb.Decimal:
		return types.Decimal
	case string:
		return types.String
	case []byte:
		return types.Binary
	case time.Time:
		return types.Timestamp
	case duckdb.Interval:
		if x.Days == 0 && x.Micros == 0 && x.Months != 0 {
			return types.IntervalYearMonth
		}
		return types.IntervalDayTime
	case time.Duration:
		return types.IntervalDayTime
	case []any:
		return types.Array
	case duckdb.OrderedMap, *duckdb.OrderedMap, duckdb.Map, map[any]any:
		return types.Map
	case map[string]any:
		return types.Struct
	case duckdb.Union:
		return types.Union
	}
	return types.Invalid
}

// typeOfValue returns the Hive type a Go value prints as when nothing better is known: complex types have
// no element types (each element is then printed by its own Go type), a DECIMAL keeps the value's scale.
func typeOfValue(v any) *types.Type {
	switch k := kindOfValue(v); k {
	case types.Decimal:
		d := v.(duckdb.Decimal)
		return types.DecimalOf(int(d.Width), int(d.Scale))
	default:
		return &types.Type{Kind: k}
	}
}
