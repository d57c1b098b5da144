package functions

import (
	"crypto/sha256"
	"crypto/sha512"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"math"
	"math/big"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/waggle-dev/waggle/hiveql/types"
	"github.com/waggle-dev/waggle/output"
)

func goUDFs() ([]*udf, error) {
	var (
		vc   = typeInfo(duckdb.TYPE_VARCHAR)
		dbl  = typeInfo(duckdb.TYPE_DOUBLE)
		flt  = typeInfo(duckdb.TYPE_FLOAT)
		big  = typeInfo(duckdb.TYPE_BIGINT)
		i32  = typeInfo(duckdb.TYPE_INTEGER)
		ts   = typeInfo(duckdb.TYPE_TIMESTAMP)
		blob = typeInfo(duckdb.TYPE_BLOB)
		anyT = typeInfo(duckdb.TYPE_ANY)
	)
	re := &regexCache{m: map[string]*regexp.Regexp{}}
	mapVV, err := duckdb.NewMapInfo(vc, vc)
	if err != nil {
		return nil, err
	}
	return []*udf{
		{name: "hive_double_str", in: ti(dbl), out: vc, fn: func(a []driver.Value) (any, error) {
			return output.FormatDouble(a[0].(float64)), nil
		}},
		{name: "hive_float_str", in: ti(flt), out: vc, fn: func(a []driver.Value) (any, error) {
			return output.FormatFloat(a[0].(float32)), nil
		}},
		{name: "hive_ts_str", in: ti(ts), out: vc, fn: func(a []driver.Value) (any, error) {
			return output.FormatValue(a[0], tTimestamp), nil
		}},
		{name: "hive_json_field", in: ti(vc, vc), out: vc, fn: func(a []driver.Value) (any, error) {
			return jsonField(a[0].(string), a[1].(string)), nil
		}},
		{name: "hive_get_json_object", in: ti(vc, vc), out: vc, fn: func(a []driver.Value) (any, error) {
			return getJSONObject(a[0].(string), a[1].(string)), nil
		}},
		{name: "hive_parse_url", in: ti(vc, vc, vc), out: vc, nulls: true, fn: func(a []driver.Value) (any, error) {
			u, ok1 := a[0].(string)
			part, ok2 := a[1].(string)
			if !ok1 || !ok2 {
				return nil, nil
			}
			key, hasKey := a[2].(string)
			if !hasKey && strings.HasPrefix(part, "QUERY:") {
				key, hasKey, part = part[len("QUERY:"):], true, "QUERY"
			}
			return parseURL(u, part, key, hasKey), nil
		}},
		{name: "hive_from_unixtime", in: ti(big, vc, vc), out: vc, fn: func(a []driver.Value) (any, error) {
			loc := zone(a[2].(string))
			t := time.Unix(a[0].(int64), 0).In(loc)
			return formatJava(t, a[1].(string)), nil
		}},
		{name: "hive_unix_timestamp", in: ti(vc, vc, vc), out: big, fn: func(a []driver.Value) (any, error) {
			t, ok := parseJava(a[0].(string), a[1].(string), zone(a[2].(string)))
			if !ok {
				return nil, nil
			}
			return t.Unix(), nil
		}},
		{name: "hive_ts_to_unix", in: ti(ts, vc), out: big, fn: func(a []driver.Value) (any, error) {
			t := a[0].(time.Time).UTC()
			loc := zone(a[1].(string))
			wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
			return wall.Unix(), nil
		}},
		{name: "hive_date_format", in: ti(ts, vc, vc), out: vc, fn: func(a []driver.Value) (any, error) {
			t := a[0].(time.Time).UTC()
			loc := zone(a[2].(string))
			wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
			return formatJava(wall, a[1].(string)), nil
		}},
		{name: "hive_hash", in: ti(vc), variadic: anyT, out: i32, nulls: true, fn: func(a []driver.Value) (any, error) {
			ts, _ := a[0].(string)
			parts := strings.Split(ts, ";")
			var h int32
			for i, v := range a[1:] {
				var t *types.Type
				if i < len(parts) {
					t, _ = types.Parse(parts[i])
				}
				h = 31*h + javaHash(v, t)
			}
			return h, nil
		}},
		{name: "hive_crc32", in: ti(blob), out: big, fn: func(a []driver.Value) (any, error) {
			return int64(crc32.ChecksumIEEE(a[0].([]byte))), nil
		}},
		{name: "hive_sha2", in: ti(blob, i32), out: vc, fn: func(a []driver.Value) (any, error) {
			b := a[0].([]byte)
			switch a[1].(int32) {
			case 224:
				s := sha256.Sum224(b)
				return hex.EncodeToString(s[:]), nil
			case 0, 256:
				s := sha256.Sum256(b)
				return hex.EncodeToString(s[:]), nil
			case 384:
				s := sha512.Sum384(b)
				return hex.EncodeToString(s[:]), nil
			case 512:
				s := sha512.Sum512(b)
				return hex.EncodeToString(s[:]), nil
			}
			return nil, nil
		}},
		{name: "hive_split", in: ti(vc, vc), out: listInfo(duckdb.TYPE_VARCHAR), fn: func(a []driver.Value) (any, error) {
			r, err := re.get(a[1].(string))
			if err != nil {
				return nil, err
			}
			return javaSplit(a[0].(string), r, true), nil
		}},
		{name: "hive_regexp_replace", in: ti(vc, vc, vc), out: vc, fn: func(a []driver.Value) (any, error) {
			r, err := re.get(a[1].(string))
			if err != nil {
				return nil, err
			}
			return r.ReplaceAllString(a[0].(string), javaReplacement(a[2].(string))), nil
		}},
		{name: "hive_regexp_extract", in: ti(vc, vc, i32), out: vc, fn: func(a []driver.Value) (any, error) {
			r, err := re.get(a[1].(string))
			if err != nil {
				return nil, err
			}
			m := r.FindStringSubmatch(a[0].(string))
			idx := int(a[2].(int32))
			if idx < 0 || idx > r.NumSubexp() {
				return nil, fmt.Errorf("regexp_extract: group %d out of range", idx)
			}
			if m == nil {
				return "", nil
			}
			return m[idx], nil
		}},
		{name: "hive_conv", in: ti(vc, i32, i32), out: vc, fn: func(a []driver.Value) (any, error) {
			return convBase(a[0].(string), int(a[1].(int32)), int(a[2].(int32))), nil
		}},
		{name: "hive_round_double", in: ti(dbl, i32), out: dbl, fn: func(a []driver.Value) (any, error) {
			return roundHalfUp(a[0].(float64), int(a[1].(int32))), nil
		}},
		{name: "hive_format_number", in: ti(dbl, i32), out: vc, fn: func(a []driver.Value) (any, error) {
			return formatNumber(a[0].(float64), int(a[1].(int32))), nil
		}},
		{name: "hive_initcap", in: ti(vc), out: vc, fn: func(a []driver.Value) (any, error) {
			return initcap(a[0].(string)), nil
		}},
		{name: "hive_str_to_map", in: ti(vc, vc, vc), out: mapVV, fn: func(a []driver.Value) (any, error) {
			r1, err := re.get(a[1].(string))
			if err != nil {
				return nil, err
			}
			r2, err := re.get(a[2].(string))
			if err != nil {
				return nil, err
			}
			// Hive builds a LinkedHashMap from text.split(delim1) (limit 0: trailing empty pairs dropped):
			// entries keep the order of their first appearance, a repeated key takes the later value.
			var keys []string
			vals := map[string]any{}
			for _, kv := range javaSplit(a[0].(string), r1, false) {
				s := kv.(string)
				k, v := s, any(nil)
				if p := r2.FindStringIndex(s); p != nil {
					k, v = s[:p[0]], s[p[1]:]
				}
				if _, seen := vals[k]; !seen {
					keys = append(keys, k)
				}
				vals[k] = v
			}
			var m duckdb.OrderedMap
			for _, k := range keys {
				m.Set(k, vals[k])
			}
			return m, nil
		}},
	}, nil
}

func ti(ts ...duckdb.TypeInfo) []duckdb.TypeInfo { return ts }

// zone returns the named time zone; "" (unset) is the process's local zone.
func zone(name string) *time.Location {
	if name == "" {
		return time.Local
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}

// javaHash is ObjectInspectorUtils.hashCode: the Java hashCode of the Hive writable for v of Hive type t.
func javaHash(v any, t *types.Type) int32 {
	if v == nil {
		return 0
	}
	switch x := v.(type) {
	case bool:
		if x {
			return 1
		}
		return 0
	case int8:
		return int32(x)
	case int16:
		return int32(x)
	case int32:
		return x
	case int64:
		return int32(x ^ int64(uint64(x)>>32))
	case float32:
		return int32(math.Float32bits(x))
	case float64:
		b := math.Float64bits(x)
		return int32(b ^ b>>32)
	case string:
		return hashBytes([]byte(x))
	case []byte:
		return hashBytes(x)
	case time.Time:
		if t != nil && t.Kind == types.Date {
			return int32(x.UTC().Unix() / 86400)
		}
		u := x.UTC()
		sec := u.Unix()
		s := sec<<30 | int64(u.Nanosecond())
		return int32(int64(uint64(s)>>32) ^ s)
	case duckdb.Decimal:
		// HiveDecimal.hashCode: of the decimal without trailing zeros (approximation: BigDecimal-style).
		r := new(big.Rat).SetFrac(x.Value, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(x.Scale)), nil))
		return hashBytes([]byte(r.RatString()))
	case []any:
		var h int32
		var et *types.Type
		if t != nil && t.Kind == types.Array {
			et = t.Elem
		}
		for _, e := range x {
			h = 31*h + javaHash(e, et)
		}
		return h
	case duckdb.Map:
		var h int32
		var kt, vt *types.Type
		if t != nil && t.Kind == types.Map {
			kt, vt = t.Key, t.Value
		}
		for k, e := range x {
			h += javaHash(k, kt) ^ javaHash(e, vt)
		}
		return h
	case map[string]any:
		var h int32
		if t != nil && t.Kind == types.Struct {
			for _, f := range t.Fields {
				h = 31*h + javaHash(x[strings.ToLower(f.Name)], f.Type)
			}
			return h
		}
		for _, e := range x {
			h = 31*h + javaHash(e, nil)
		}
		return h
	}
	return hashBytes([]byte(fmt.Sprint(v)))
}

// hashBytes is Hadoop's WritableComparator.hashBytes (Text/BytesWritable hashCode).
func hashBytes(b []byte) int32 {
	h := int32(1)
	for _, c := range b {
		h = 31*h + int32(int8(c))
	}
	return h
}

// javaSplit is Java's String.split(regex, limit): with keepTrailing it is split(regex, -1), which Hive's
// and Spark's split() call — trailing empty strings are kept (split('a,b,,', ',') is ["a","b","",""]);
// without it, split(regex) — trailing empty strings dropped (str_to_map). A zero-width match at the
// start produces no leading empty string.
func javaSplit(s string, re interface {
	FindAllStringIndex(string, int) [][]int
}, keepTrailing bool) []any {
	if s == "" {
		return []any{""}
	}
	var parts []any
	start := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		if m[1] == 0 {
			continue // zero-width match at the beginning
		}
		if m[0] == m[1] && m[0] >= len(s) {
			break
		}
		parts = append(parts, s[start:m[0]])
		start = m[1]
	}
	parts = append(parts, s[start:])
	if !keepTrailing {
		for len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
		if parts == nil {
			parts = []any{}
		}
	}
	return parts
}

// javaReplacement converts a Java Matcher replacement ($1, \$) to Go's regexp template (${1}, $$).
func javaReplacement(r string) string {
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c == '\\' && i+1 < len(r):
			i++
			if r[i] == '$' {
				b.WriteString("$$")
			} else {
				b.WriteByte(r[i])
			}
		case c == '$':
			j := i + 1
			for j < len(r) && r[j] >= '0' && r[j] <= '9' {
				j++
			}
			if j == i+1 {
				b.WriteString("$$")
				continue
			}
			b.WriteString("${" + r[i+1:j] + "}")
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// parseURL is Hive's parse_url: HOST, PATH, QUERY [key], REF, PROTOCOL, AUTHORITY, FILE, USERINFO.
func parseURL(s, part, key string, hasKey bool) any {
	u, err := url.Parse(s)
	if err != nil {
		return nil
	}
	str := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	switch part {
	case "HOST":
		return str(u.Hostname())
	case "PATH":
		return u.EscapedPath()
	case "QUERY":
		if !hasKey {
			return str(u.RawQuery)
		}
		for _, kv := range strings.Split(u.RawQuery, "&") {
			k, v, ok := strings.Cut(kv, "=")
			if ok && k == key {
				return v
			}
		}
		return nil
	case "REF":
		return str(u.EscapedFragment())
	case "PROTOCOL":
		return str(u.Scheme)
	case "AUTHORITY":
		a := u.Host
		if u.User != nil {
			a = u.User.String() + "@" + a
		}
		return str(a)
	case "FILE":
		f := u.EscapedPath()
		if u.RawQuery != "" {
			f += "?" + u.RawQuery
		}
		return f
	case "USERINFO":
		if u.User == nil {
			return nil
		}
		return u.User.String()
	}
	return nil
}

// convBase is Hive's conv(num, from, to): parse num (as unsigned 64-bit when positive, sign honoured)
// in base |from|, print in base |to| (negative to: signed), upper case; invalid leading digits stop
// parsing; NULL for bad bases.
func convBase(s string, from, to int) any {
	if from < 2 || from > 36 || to < -36 || to > 36 || (to > -2 && to < 2) {
		return nil
	}
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var v uint64
	n := 0
	for _, c := range strings.ToLower(s) {
		d := strings.IndexRune("0123456789abcdefghijklmnopqrstuvwxyz", c)
		if d < 0 || d >= from {
			break
		}
		hi, lo := bitsMul(v, uint64(from))
		if hi != 0 {
			v = math.MaxUint64
		} else {
			v = lo + uint64(d)
			if v < lo {
				v = math.MaxUint64
			}
		}
		n++
	}
	if n == 0 {
		return nil
	}
	if neg {
		v = -v
	}
	var out string
	if to < 0 {
		out = strconv.FormatInt(int64(v), -to)
	} else {
		out = strconv.FormatUint(v, to)
	}
	return strings.ToUpper(out)
}

func bitsMul(a, b uint64) (hi, lo uint64) {
	r := new(big.Int).Mul(new(big.Int).SetUint64(a), new(big.Int).SetUint64(b))
	if r.BitLen() > 64 {
		return 1, 0
	}
	return 0, r.Uint64()
}

// roundHalfUp is Hive's round(double, d): BigDecimal.valueOf(x).setScale(d, HALF_UP).doubleValue().
func roundHalfUp(x float64, d int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
	if !ok {
		return x
	}
	f := roundRat(r, d)
	v, _ := f.Float64()
	return v
}

// roundRat rounds r to d decimal places, ties away from zero.
func roundRat(r *big.Rat, d int) *big.Rat {
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(d))), nil))
	x := new(big.Rat).Set(r)
	if d >= 0 {
		x.Mul(x, scale)
	} else {
		x.Quo(x, scale)
	}
	neg := x.Sign() < 0
	x.Abs(x)
	x.Add(x, big.NewRat(1, 2))
	q := new(big.Int).Quo(x.Num(), x.Denom())
	if neg {
		q.Neg(q)
	}
	out := new(big.Rat).SetInt(q)
	if d >= 0 {
		out.Quo(out, scale)
	} else {
		out.Mul(out, scale)
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// formatNumber is Hive's format_number(x, d): '#,###,###.##' with d decimals, HALF_EVEN like
// DecimalFormat.
func formatNumber(x float64, d int) any {
	if d < 0 {
		return nil
	}
	if math.IsNaN(x) {
		return "\uFFFD"
	}
	if math.IsInf(x, 0) {
		if x < 0 {
			return "-\u221E"
		}
		return "\u221E"
	}
	s := strconv.FormatFloat(x, 'f', d, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	ip, fp, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range ip {
		if i > 0 && (len(ip)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if d > 0 {
		out += "." + fp
	}
	if neg && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}

// initcap upper-cases the first letter of each whitespace-separated word and lower-cases the rest.
func initcap(s string) string {
	var b strings.Builder
	start := true
	for _, r := range s {
		if unicode.IsSpace(r) {
			start = true
			b.WriteRune(r)
			continue
		}
		if start {
			b.WriteRune(unicode.ToTitle(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		start = false
	}
	return b.String()
}
