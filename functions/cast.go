package functions

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// CompatKey is the setting that selects Hive 4 behaviour where it differs from Hive 3.1 (value "4"):
// CAST(boolean AS STRING) prints TRUE/FALSE.
const CompatKey = "waggle.hive.compat"

// CastSQLConf is CastSQL with access to session settings (conf may be nil: all defaults). It honours
// waggle.hive.compat=4 (boolean to string is 'TRUE'/'FALSE').
//
// Conversions, following Hive 3.1's UDFTo* classes:
//   - string to integral: optional sign and digits, surrounding blanks ignored, a fractional part is
//     dropped ('11.7' → 11), anything else or overflow → NULL (LazyInteger/LazyLong).
//   - string to double/float/decimal/date/timestamp: NULL when it does not parse (TRY_CAST); a date
//     takes the part before the first blank ('2011-01-01 10:00' → 2011-01-01).
//   - string to boolean: ” → false, any other string → true (UDFToBoolean); number → boolean: 0 false.
//   - double/float to integral: truncate toward zero; NaN → 0; beyond the int/bigint range saturates
//     and tinyint/smallint then wrap, exactly like Java's (int)/(short)/(byte) casts.
//   - integral to a narrower integral: wraps (Java two's complement narrowing).
//   - decimal to integral: truncates; out of range → NULL.
//   - any number to decimal(p,s): rounds HALF_UP to s digits, NULL when it needs more than p digits.
//   - integral/decimal/double to timestamp: seconds since 1970-01-01 00:00:00 (Hive 3); timestamp to
//     number: seconds since the epoch (fraction kept for double/decimal).
//   - to string: boolean 'true'/'false', double/float as Java's Double/Float.toString, decimal keeps its
//     scale, date 'yyyy-MM-dd', timestamp 'yyyy-MM-dd HH:mm:ss[.fffffffff]' (trailing zeros trimmed).
//   - to CHAR(n): truncated to n and held without trailing blanks (the printer pads; Hive compares CHAR
//     values without trailing blanks); to VARCHAR(n): truncated to n; CHAR to string strips the padding.
func CastSQLConf(arg Arg, to *types.Type, conf func(string) string) (string, error) {
	from, x := arg.Type, arg.SQL
	if to == nil {
		return "", fmt.Errorf("cast to unknown type")
	}
	if from == nil || from.Equal(to) {
		return x, nil
	}
	dt := duckdbsql.Type(to)
	if from.Kind == types.Void {
		// A void expression is NULL, but it is still evaluated (assert_true raises): keep it.
		if arg.IsConst {
			return "CAST(NULL AS " + dt + ")", nil
		}
		return "CAST(" + x + " AS " + dt + ")", nil
	}
	null := "CAST(NULL AS " + dt + ")"
	bad := fmt.Errorf("cannot convert %s to %s", from, to)
	switch to.Kind {
	case types.Boolean:
		switch {
		case from.IsString():
			return "(length(" + x + ") <> 0)", nil
		case from.IsNumeric():
			return "(" + x + " <> 0)", nil
		case from.Kind == types.Timestamp:
			return "(epoch_us(" + x + ") <> 0)", nil
		case from.Kind == types.Date:
			return null, nil
		}
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt:
		switch {
		case from.Kind == types.Boolean:
			return "CAST(" + x + " AS " + dt + ")", nil
		case from.IsIntegral():
			if from.Kind < to.Kind {
				return "CAST(" + x + " AS " + dt + ")", nil
			}
			return wrapIntegral(x, to.Kind), nil
		case from.Kind == types.Float || from.Kind == types.Double:
			switch to.Kind {
			case types.BigInt:
				return "hive_d2l(" + x + ")", nil
			case types.Int:
				return "CAST(hive_d2i(" + x + ") AS INTEGER)", nil
			default:
				return wrapIntegral("hive_d2i("+x+")", to.Kind), nil
			}
		case from.Kind == types.Decimal:
			return "TRY_CAST(trunc(" + x + ") AS " + dt + ")", nil
		case from.IsString():
			return "TRY_CAST(regexp_extract(" + x + ", '^\\s*([+-]?[0-9]+)(\\.[0-9]*)?\\s*$', 1) AS " + dt + ")", nil
		case from.Kind == types.Timestamp:
			return wrapIntegral("CAST(floor(epoch_us("+x+") / 1000000) AS BIGINT)", to.Kind), nil
		case from.Kind == types.Date:
			return null, nil
		}
	case types.Float, types.Double, types.Decimal:
		switch {
		case from.Kind == types.Boolean:
			return "CAST(CAST(" + x + " AS INTEGER) AS " + dt + ")", nil
		case from.IsNumeric():
			if to.Kind == types.Decimal {
				return "TRY_CAST(" + x + " AS " + dt + ")", nil
			}
			return "CAST(" + x + " AS " + dt + ")", nil
		case from.IsString():
			return "TRY_CAST(trim(" + x + ") AS " + dt + ")", nil
		case from.Kind == types.Timestamp:
			return "TRY_CAST(epoch_us(" + x + ") / 1000000.0 AS " + dt + ")", nil
		case from.Kind == types.Date:
			return null, nil
		}
	case types.String, types.Varchar, types.Char:
		s, err := toStringSQL(x, from, conf)
		if err != nil {
			return "", err
		}
		switch to.Kind {
		case types.Varchar:
			if from.Kind == types.Varchar && from.Length <= to.Length {
				return s, nil
			}
			return "left(" + s + ", " + strconv.Itoa(to.Length) + ")", nil
		case types.Char:
			return "rtrim(left(" + s + ", " + strconv.Itoa(to.Length) + "), ' ')", nil
		}
		return s, nil
	case types.Date:
		switch {
		case from.IsString():
			return "TRY_CAST(split_part(trim(" + x + "), ' ', 1) AS DATE)", nil
		case from.Kind == types.Timestamp:
			return "CAST(" + x + " AS DATE)", nil
		case from.IsNumeric(), from.Kind == types.Boolean:
			return null, nil
		}
	case types.Timestamp:
		switch {
		case from.IsString():
			return "TRY_CAST(trim(" + x + ") AS TIMESTAMP)", nil
		case from.Kind == types.Date:
			return "CAST(" + x + " AS TIMESTAMP)", nil
		case from.IsIntegral():
			return "TRY(make_timestamp(CAST(" + x + " AS BIGINT) * 1000000))", nil
		case from.IsNumeric():
			return "TRY(make_timestamp(CAST(round(CAST(" + x + " AS DOUBLE) * 1000000) AS BIGINT)))", nil
		case from.Kind == types.Boolean:
			return null, nil
		}
	case types.Binary:
		if from.IsString() {
			return "encode(" + x + ")", nil
		}
	case types.IntervalYearMonth, types.IntervalDayTime:
		if from.IsString() {
			return "TRY_CAST(" + x + " AS INTERVAL)", nil
		}
		if from.Kind == types.IntervalYearMonth || from.Kind == types.IntervalDayTime {
			return x, nil
		}
	case types.Array, types.Map, types.Struct, types.Union:
		if from.Kind == to.Kind {
			return "CAST(" + x + " AS " + dt + ")", nil
		}
	}
	return "", bad
}

// toStringSQL converts x of type from to a DuckDB VARCHAR with Hive's text forms.
func toStringSQL(x string, from *types.Type, conf func(string) string) (string, error) {
	switch from.Kind {
	case types.String, types.Varchar:
		return x, nil
	case types.Char:
		return "rtrim(" + x + ", ' ')", nil
	case types.Boolean:
		if conf != nil && conf(CompatKey) == "4" {
			return "CASE " + x + " WHEN true THEN 'TRUE' WHEN false THEN 'FALSE' END", nil
		}
		return "CASE " + x + " WHEN true THEN 'true' WHEN false THEN 'false' END", nil
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt, types.Decimal, types.Date:
		return "CAST(" + x + " AS VARCHAR)", nil
	case types.Double:
		return "hive_double_str(" + x + ")", nil
	case types.Float:
		return "hive_float_str(" + x + ")", nil
	case types.Timestamp:
		return "hive_ts_str(" + x + ")", nil
	case types.Binary:
		return "TRY(decode(" + x + "))", nil
	case types.IntervalYearMonth, types.IntervalDayTime:
		return "CAST(" + x + " AS VARCHAR)", nil
	}
	return "", fmt.Errorf("cannot convert %s to string", from)
}

// wrapIntegral narrows an integral SQL value to kind k with Java's two's complement wrap-around.
func wrapIntegral(x string, k types.Kind) string {
	switch k {
	case types.BigInt:
		return "CAST((((CAST(" + x + " AS HUGEINT) & 18446744073709551615) + 9223372036854775808) & 18446744073709551615) - 9223372036854775808 AS BIGINT)"
	case types.Int:
		return "CAST((((CAST(" + x + " AS BIGINT) & 4294967295) + 2147483648) & 4294967295) - 2147483648 AS INTEGER)"
	case types.SmallInt:
		return "CAST((((CAST(" + x + " AS BIGINT) & 65535) + 32768) & 65535) - 32768 AS SMALLINT)"
	default:
		return "CAST((((CAST(" + x + " AS BIGINT) & 255) + 128) & 255) - 128 AS TINYINT)"
	}
}

func castSQL(arg Arg, to *types.Type) (string, error) { return CastSQLConf(arg, to, nil) }

// commonType implements CommonType.
func commonType(a, b *types.Type, cmp bool) (*types.Type, bool) {
	if a == nil || b == nil {
		return nil, false
	}
	if a.Equal(b) {
		return a, true
	}
	if a.Kind == types.Void {
		return b, true
	}
	if b.Kind == types.Void {
		return a, true
	}
	if a.IsComplex() || b.IsComplex() {
		return commonComplex(a, b, cmp)
	}
	switch {
	case a.IsString() && b.IsString():
		if a.Kind == b.Kind && a.Kind != types.String {
			n := max(a.Length, b.Length)
			if a.Kind == types.Char {
				return types.CharOf(n), true
			}
			return types.VarcharOf(n), true
		}
		return types.Prim(types.String), true
	case a.IsNumeric() && b.IsNumeric():
		return commonNumeric(a, b), true
	case a.Kind == types.Date && b.Kind == types.Timestamp, a.Kind == types.Timestamp && b.Kind == types.Date:
		return types.Prim(types.Timestamp), true
	}
	if b.IsString() {
		a, b = b, a
	}
	// a is a string type, b is not.
	if a.IsString() {
		switch {
		case b.IsNumeric():
			if cmp {
				return types.Prim(types.Double), true
			}
			return types.Prim(types.String), true
		case b.IsDateTime():
			if cmp {
				return b, true
			}
			return types.Prim(types.String), true
		}
	}
	return nil, false
}

func commonComplex(a, b *types.Type, cmp bool) (*types.Type, bool) {
	if a.Kind != b.Kind {
		return nil, false
	}
	switch a.Kind {
	case types.Array:
		e, ok := sameOrVoid(a.Elem, b.Elem, cmp)
		if !ok {
			return nil, false
		}
		return types.ArrayOf(e), true
	case types.Map:
		k, ok1 := sameOrVoid(a.Key, b.Key, cmp)
		v, ok2 := sameOrVoid(a.Value, b.Value, cmp)
		if !ok1 || !ok2 {
			return nil, false
		}
		return types.MapOf(k, v), true
	case types.Struct:
		if len(a.Fields) != len(b.Fields) {
			return nil, false
		}
		fs := make([]types.Field, len(a.Fields))
		for i := range a.Fields {
			t, ok := sameOrVoid(a.Fields[i].Type, b.Fields[i].Type, cmp)
			if !ok || !strings.EqualFold(a.Fields[i].Name, b.Fields[i].Name) {
				return nil, false
			}
			fs[i] = types.Field{Name: a.Fields[i].Name, Type: t}
		}
		return types.StructOf(fs...), true
	}
	return nil, false
}

// sameOrVoid is the common type of two parts of complex types: Hive requires them to be equal; a void
// part (from array(), map() or NULL elements) takes the other side.
func sameOrVoid(a, b *types.Type, cmp bool) (*types.Type, bool) {
	switch {
	case a.Equal(b):
		return a, true
	case a.Kind == types.Void:
		return b, true
	case b.Kind == types.Void:
		return a, true
	case a.IsComplex() && b.IsComplex():
		return commonComplex(a, b, cmp)
	}
	return nil, false
}

// decimalOfIntegral is the DECIMAL type that holds every value of an integral kind.
func decimalOfIntegral(t *types.Type) *types.Type {
	switch t.Kind {
	case types.TinyInt:
		return types.DecimalOf(3, 0)
	case types.SmallInt:
		return types.DecimalOf(5, 0)
	case types.Int:
		return types.DecimalOf(10, 0)
	case types.BigInt:
		return types.DecimalOf(19, 0)
	}
	return t
}

func commonNumeric(a, b *types.Type) *types.Type {
	if a.Kind == types.Decimal || b.Kind == types.Decimal {
		if a.Kind <= types.Decimal && b.Kind <= types.Decimal {
			da, db := decimalOfIntegral(a), decimalOfIntegral(b)
			s := max(da.Scale, db.Scale)
			p := min(types.MaxDecimalPrecision, max(da.Precision-da.Scale, db.Precision-db.Scale)+s)
			return types.DecimalOf(p, s)
		}
	}
	if a.Kind >= b.Kind {
		return types.Prim(a.Kind)
	}
	return types.Prim(b.Kind)
}
