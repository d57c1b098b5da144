package translate

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// numberLit types a numeric literal as Hive does: an integer without suffix is INT when it fits, else
// BIGINT, else DECIMAL; Y/S/L force TINYINT/SMALLINT/BIGINT; a literal with a fraction and no exponent is
// DECIMAL with the precision/scale of its value after trailing fractional zeros are dropped (Hive 3's
// HiveDecimal literal, so `2.333` is decimal(4,3) and `1.0` is decimal(1,0)); BD forces DECIMAL; an
// exponent or the D suffix gives DOUBLE, F gives FLOAT. neg applies a leading unary minus.
func numberLit(n *ast.NumberLit, neg bool) (texpr, error) {
	digits := n.Digits
	sign := ""
	if neg {
		sign = "-"
	}
	switch n.Suffix {
	case "Y", "S", "L", "":
		if n.IsIntegral() {
			v, err := strconv.ParseInt(sign+digits, 10, 64)
			kind := types.Int
			switch n.Suffix {
			case "Y":
				kind = types.TinyInt
			case "S":
				kind = types.SmallInt
			case "L":
				kind = types.BigInt
			}
			if err != nil {
				if n.Suffix != "" {
					return texpr{}, errorf(n.Pos(), "Numeric literal '%s' is out of range for %s", n.Raw, kind)
				}
				return decimalLit(n, sign)
			}
			lo, hi := intRange(kind)
			if v < lo || v > hi {
				if n.Suffix != "" {
					return texpr{}, errorf(n.Pos(), "Numeric literal '%s' is out of range for %s", n.Raw, kind)
				}
				kind = types.BigInt
			}
			s := strconv.FormatInt(v, 10)
			if kind != types.Int {
				s = "CAST(" + s + " AS " + duckdbsql.Type(types.Prim(kind)) + ")"
			} else if v < 0 {
				s = "(" + s + ")"
			}
			return texpr{sql: s, t: types.Prim(kind), isConst: true, val: v}, nil
		}
		if n.Suffix == "" && !strings.ContainsAny(digits, "eE") {
			return decimalLit(n, sign)
		}
		if n.Suffix != "" {
			return texpr{}, errorf(n.Pos(), "Invalid numeric literal '%s'", n.Raw)
		}
		return floatLit(n, sign, types.Double)
	case "BD":
		return decimalLit(n, sign)
	case "D":
		return floatLit(n, sign, types.Double)
	case "F":
		return floatLit(n, sign, types.Float)
	}
	return texpr{}, errorf(n.Pos(), "Invalid numeric literal '%s'", n.Raw)
}

func intRange(k types.Kind) (int64, int64) {
	switch k {
	case types.TinyInt:
		return math.MinInt8, math.MaxInt8
	case types.SmallInt:
		return math.MinInt16, math.MaxInt16
	case types.Int:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

func floatLit(n *ast.NumberLit, sign string, k types.Kind) (texpr, error) {
	v, err := strconv.ParseFloat(sign+n.Digits, 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		return texpr{}, errorf(n.Pos(), "Invalid numeric literal '%s'", n.Raw)
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if math.IsInf(v, 0) {
		s = "'" + s + "'"
	}
	t := types.Prim(k)
	return texpr{sql: "CAST(" + s + " AS " + duckdbsql.Type(t) + ")", t: t, isConst: true, val: v}, nil
}

// decimalLit types a literal as DECIMAL(p,s) from its normalised value (trailing fractional zeros
// dropped). More than 38 digits: DOUBLE.
func decimalLit(n *ast.NumberLit, sign string) (texpr, error) {
	r, ok := new(big.Rat).SetString(n.Digits)
	if !ok {
		return texpr{}, errorf(n.Pos(), "Invalid numeric literal '%s'", n.Raw)
	}
	intPart, frac := n.Digits, ""
	if i := strings.IndexByte(n.Digits, '.'); i >= 0 {
		intPart, frac = n.Digits[:i], n.Digits[i+1:]
	}
	if strings.ContainsAny(n.Digits, "eE") {
		return floatLit(n, sign, types.Double)
	}
	frac = strings.TrimRight(frac, "0")
	intPart = strings.TrimLeft(intPart, "0")
	scale := len(frac)
	prec := len(intPart) + scale
	if prec == 0 {
		prec = 1
	}
	f, _ := r.Float64()
	if sign == "-" {
		f = -f
	}
	if prec > types.MaxDecimalPrecision {
		t := types.Prim(types.Double)
		return texpr{sql: "CAST(" + sign + n.Digits + " AS DOUBLE)", t: t, isConst: true, val: f}, nil
	}
	lit := intPart
	if lit == "" {
		lit = "0"
	}
	if scale > 0 {
		lit += "." + frac
	}
	t := types.DecimalOf(prec, scale)
	return texpr{sql: "CAST(" + sign + lit + " AS " + duckdbsql.Type(t) + ")", t: t, isConst: true, val: f}, nil
}

// intervalLit translates INTERVAL literals. Year-month intervals become DuckDB month intervals, day-time
// intervals a microsecond count (DuckDB's resolution; Hive keeps nanoseconds).
func (t *translator) intervalLit(sc *scope, e *ast.IntervalLit) (texpr, error) {
	unit, to := e.Unit, e.ToUnit
	ym := unit == "YEAR" || unit == "MONTH"
	typ := types.Prim(types.IntervalDayTime)
	if ym {
		typ = types.Prim(types.IntervalYearMonth)
	}
	var text string
	switch v := e.Value.(type) {
	case *ast.StringLit:
		text = v.Value
	case *ast.NumberLit:
		text = v.Digits
	case *ast.UnaryExpr:
		if n, ok := v.X.(*ast.NumberLit); ok && v.Op.String() == "-" {
			text = "-" + n.Digits
		}
	}
	if text == "" {
		// A computed amount: INTERVAL (expr) DAY.
		x, err := t.expr(sc, e.Value)
		if err != nil {
			return x, err
		}
		var s string
		switch unit {
		case "YEAR":
			s = "to_months(CAST(" + x.sql + " AS INTEGER) * 12)"
		case "MONTH":
			s = "to_months(CAST(" + x.sql + " AS INTEGER))"
		case "DAY":
			s = "to_days(CAST(" + x.sql + " AS INTEGER))"
		case "HOUR":
			s = "to_hours(CAST(" + x.sql + " AS BIGINT))"
		case "MINUTE":
			s = "to_minutes(CAST(" + x.sql + " AS BIGINT))"
		default:
			s = "to_microseconds(CAST(round(CAST(" + x.sql + " AS DOUBLE) * 1000000) AS BIGINT))"
		}
		return texpr{sql: s, t: typ, free: x.free, agg: x.agg, win: x.win}, nil
	}
	text = strings.TrimSpace(text)
	if ym {
		months, err := parseYearMonth(text, unit, to)
		if err != nil {
			return texpr{}, errorf(e.Pos(), "Bad interval literal '%s': %v", text, err)
		}
		return texpr{sql: fmt.Sprintf("to_months(CAST(%d AS INTEGER))", months), t: typ}, nil
	}
	us, err := parseDayTime(text, unit, to)
	if err != nil {
		return texpr{}, errorf(e.Pos(), "Bad interval literal '%s': %v", text, err)
	}
	return texpr{sql: fmt.Sprintf("to_microseconds(CAST(%d AS BIGINT))", us), t: typ}, nil
}

func parseYearMonth(s, unit, to string) (int64, error) {
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	var months int64
	if to == "MONTH" {
		y, m, ok := strings.Cut(s, "-")
		if !ok {
			return 0, fmt.Errorf("expected Y-M")
		}
		yv, err1 := strconv.ParseInt(strings.TrimSpace(y), 10, 64)
		mv, err2 := strconv.ParseInt(strings.TrimSpace(m), 10, 64)
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("expected Y-M")
		}
		months = yv*12 + mv
	} else {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("expected an integer")
		}
		months = v
		if unit == "YEAR" {
			months *= 12
		}
	}
	if neg {
		months = -months
	}
	return months, nil
}

// parseDayTime parses a day-time interval string for the unit range unit..to into microseconds.
func parseDayTime(s, unit, to string) (int64, error) {
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	order := []string{"DAY", "HOUR", "MINUTE", "SECOND"}
	mult := []float64{86400e6, 3600e6, 60e6, 1e6}
	start := -1
	end := -1
	for i, u := range order {
		if u == unit {
			start = i
		}
		if u == to {
			end = i
		}
	}
	if start < 0 {
		return 0, fmt.Errorf("unknown unit %s", unit)
	}
	if end < 0 {
		end = start
	}
	// Split into fields: the day is separated by a space, the rest by ':'.
	var fields []string
	rest := s
	if start == 0 && end > 0 {
		d, r, ok := strings.Cut(strings.TrimSpace(rest), " ")
		if !ok {
			return 0, fmt.Errorf("expected 'D H:M:S'")
		}
		fields = append(fields, d)
		rest = strings.TrimSpace(r)
		fields = append(fields, strings.Split(rest, ":")...)
	} else {
		fields = strings.Split(rest, ":")
	}
	if len(fields) != end-start+1 {
		return 0, fmt.Errorf("wrong number of fields")
	}
	var total float64
	var totalInt int64
	for i, f := range fields {
		u := start + i
		if u == 3 {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil {
				return 0, fmt.Errorf("bad seconds %q", f)
			}
			// Keep microseconds exact: integer part and fraction separately.
			whole, frac, _ := strings.Cut(strings.TrimSpace(f), ".")
			w, err := strconv.ParseInt(whole, 10, 64)
			if err != nil {
				total += v * mult[u]
				continue
			}
			totalInt += w * 1e6
			if frac != "" {
				frac = (frac + "000000")[:6]
				fv, _ := strconv.ParseInt(frac, 10, 64)
				totalInt += fv
			}
			continue
		}
		v, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("bad field %q", f)
		}
		totalInt += v * int64(mult[u])
	}
	us := totalInt + int64(total)
	if neg {
		us = -us
	}
	return us, nil
}
