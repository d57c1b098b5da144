package translate

import (
	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/functions"
	"github.com/waggle-dev/waggle/hiveql/token"
	"github.com/waggle-dev/waggle/hiveql/types"
	"strconv"
)

// Hive's arithmetic (GenericUDFBaseNumeric and its subclasses):
//   - strings take part as DOUBLE; NULL takes the other operand's type;
//   - integral op integral: the wider integral type for + - * %, DOUBLE for /, BIGINT for DIV;
//   - with a DECIMAL and no approximate operand: DECIMAL with Hive's precision/scale rules
//     (integral operands count as decimal(3|5|10|19,0));
//   - with a FLOAT/DOUBLE operand: DOUBLE if either is DOUBLE (or for /), else FLOAT.
//
// SQL semantics: x / 0 and x % 0 are NULL (NULLIF on the divisor — DuckDB gives inf/NaN for doubles);
// integer + - * wrap around like Java: the operation is computed exactly in a wider type (BIGINT for
// tinyint..int, HUGEINT for bigint) and reduced modulo 2^n with a bit mask — three cheap vectorised
// operations per arithmetic operator instead of DuckDB's overflow error.

func decimalFor(t *types.Type) (p, s int) {
	switch t.Kind {
	case types.TinyInt:
		return 3, 0
	case types.SmallInt:
		return 5, 0
	case types.Int:
		return 10, 0
	case types.BigInt:
		return 19, 0
	case types.Decimal:
		return t.Precision, t.Scale
	}
	return 38, 18
}

// adjustDecimal caps a decimal result at 38 digits the way Hive does: the integral digits are kept and
// the scale shrinks, but not below min(scale, 6).
func adjustDecimal(p, s int) *types.Type {
	if p <= types.MaxDecimalPrecision {
		if p < 1 {
			p = 1
		}
		return types.DecimalOf(p, s)
	}
	intDigits := p - s
	minScale := min(s, 6)
	s = max(types.MaxDecimalPrecision-intDigits, minScale)
	return types.DecimalOf(types.MaxDecimalPrecision, s)
}

func isApprox(t *types.Type) bool {
	return t.Kind == types.Float || t.Kind == types.Double || t.IsString()
}

// arithOperand normalises an operand type for arithmetic: strings count as DOUBLE, NULL as the other side.
func arithOperand(t, other *types.Type) *types.Type {
	if t.Kind == types.Void {
		if other.Kind == types.Void {
			return types.Prim(types.Int)
		}
		return arithOperand(other, t)
	}
	if t.IsString() {
		return types.Prim(types.Double)
	}
	return t
}

func arithResult(op token.Token, a, b *types.Type) (*types.Type, bool) {
	a2, b2 := arithOperand(a, b), arithOperand(b, a)
	if !a2.IsNumeric() || !b2.IsNumeric() {
		return nil, false
	}
	if op == token.KW_DIV {
		return types.Prim(types.BigInt), true
	}
	if isApprox(a2) || isApprox(b2) {
		// Hive's numeric order is ... bigint < decimal < float < double.
		if op == token.DIVIDE || a2.Kind == types.Double || b2.Kind == types.Double {
			return types.Prim(types.Double), true
		}
		return types.Prim(types.Float), true
	}
	if a2.Kind == types.Decimal || b2.Kind == types.Decimal {
		p1, s1 := decimalFor(a2)
		p2, s2 := decimalFor(b2)
		switch op {
		case token.PLUS, token.MINUS:
			s := max(s1, s2)
			i := max(p1-s1, p2-s2)
			return adjustDecimal(s+i+1, s), true
		case token.STAR:
			return adjustDecimal(p1+p2+1, s1+s2), true
		case token.DIVIDE:
			s := max(6, s1+p2+1)
			i := p1 - s1 + s2
			return adjustDecimal(i+s, s), true
		case token.MOD:
			s := max(s1, s2)
			return adjustDecimal(min(p1-s1, p2-s2)+s, s), true
		}
		return nil, false
	}
	// Both integral.
	if op == token.DIVIDE {
		return types.Prim(types.Double), true
	}
	if a2.Kind >= b2.Kind {
		return types.Prim(a2.Kind), true
	}
	return types.Prim(b2.Kind), true
}

// arithSQL emits x op y for operands already typed; res is the Hive result type.
//
// fastMul (waggle.decimal.multiply, default "fast"; "exact" turns it off): a product of two decimals of
// precision ≤ 18 is left to DuckDB's 64-bit decimal multiply instead of being computed at Hive's widened
// result precision (decimal(p1+p2+1, s1+s2)). The scale — and so every printed value — is the same; the
// difference is that a product beyond 18 digits raises DuckDB's "Overflow in multiplication" error where
// Hive would return the value. It makes decimal-heavy queries (TPC-H Q1) 2–3× faster.
//
// phys is the DuckDB precision of the result when it is narrower than res's (0: res's own).
func arithSQL(op token.Token, x, y texpr, res *types.Type, fastMul bool) (sql string, phys int, err error) {
	operand := res
	switch {
	case op == token.DIVIDE && res.Kind == types.Double:
		operand = types.Prim(types.Double)
	case op == token.KW_DIV:
		xt, yt := arithOperand(x.t, y.t), arithOperand(y.t, x.t)
		if xt.IsIntegral() && yt.IsIntegral() {
			operand = types.Prim(types.BigInt)
		} else {
			operand = types.Prim(types.Double)
		}
	case res.Kind == types.Decimal:
		// Operands keep their own decimal types (exact); the result is cast to Hive's result type.
		operand = nil
	}
	cx, err := castOperand(x, y, operand)
	if err != nil {
		return "", 0, err
	}
	cy, err := castOperand(y, x, operand)
	if err != nil {
		return "", 0, err
	}
	switch op {
	case token.DIVIDE:
		s := "(" + cx + " / NULLIF(" + cy + ", 0))"
		if res.Kind == types.Decimal {
			s = "CAST(" + s + " AS " + duckdbsql.Type(res) + ")"
		}
		return s, 0, nil
	case token.MOD:
		s := "(" + cx + " % NULLIF(" + cy + ", 0))"
		if res.Kind == types.Decimal {
			s = "CAST(" + s + " AS " + duckdbsql.Type(res) + ")"
		}
		return s, 0, nil
	case token.KW_DIV:
		if operand.Kind == types.BigInt {
			return "(" + cx + " // NULLIF(" + cy + ", 0))", 0, nil
		}
		return "CAST(trunc(" + cx + " / NULLIF(" + cy + ", 0)) AS BIGINT)", 0, nil
	}
	sym := map[token.Token]string{token.PLUS: "+", token.MINUS: "-", token.STAR: "*"}[op]
	if res.IsIntegral() {
		return wrapInt(cx, sym, cy, res), 0, nil
	}
	s := "(" + cx + " " + sym + " " + cy + ")"
	if res.Kind == types.Decimal {
		px, py := physPrecision(x), physPrecision(y)
		if op == token.STAR && fastMul && px <= 18 && py <= 18 {
			// DuckDB types the product DECIMAL(min(18, p1+p2), s1+s2), checking for overflow.
			return s, min(18, px+py), nil
		}
		if op == token.STAR && px+py > 18 {
			// Exact: DuckDB would multiply two ≤18-digit decimals in 64 bits and fail on overflow; one
			// operand widened to 38 digits makes it multiply in 128 bits, as Hive's wider result needs.
			_, sx := decimalFor(arithOperand(x.t, y.t))
			s = "(CAST(" + cx + " AS DECIMAL(38," + strconv.Itoa(sx) + ")) * " + cy + ")"
		}
		s = "CAST(" + s + " AS " + duckdbsql.Type(res) + ")"
	}
	return s, 0, nil
}

// physPrecision is the decimal precision of x's DuckDB value (integral types count as the decimal that
// holds them; anything else as wider than DuckDB's 64-bit decimals).
func physPrecision(x texpr) int {
	switch {
	case x.phys > 0:
		return x.phys
	case x.t.Kind == types.Decimal:
		return x.t.Precision
	case x.t.IsIntegral():
		p, _ := decimalFor(x.t)
		return p
	}
	return 99
}

// castOperand converts an arithmetic operand to `to` (nil: to its own numeric form — strings to DOUBLE,
// NULL to the other side's type, integral types to DECIMAL for decimal arithmetic).
func castOperand(x, other texpr, to *types.Type) (string, error) {
	if to == nil {
		to = arithOperand(x.t, other.t)
		if to.IsIntegral() {
			p, s := decimalFor(to)
			to = types.DecimalOf(p, s)
		}
	}
	if x.t.Kind == types.Void {
		return "CAST(NULL AS " + duckdbsql.Type(to) + ")", nil
	}
	return functions.CastSQLConf(x.arg(), to, nil)
}

// wrapInt computes a op b exactly in a wider type and wraps the result to res's width (Java overflow).
func wrapInt(a, op, b string, res *types.Type) string {
	switch res.Kind {
	case types.BigInt:
		return "CAST((((CAST(" + a + " AS HUGEINT) " + op + " CAST(" + b + " AS HUGEINT)) + 9223372036854775808) & 18446744073709551615) - 9223372036854775808 AS BIGINT)"
	case types.Int:
		return "CAST((((CAST(" + a + " AS BIGINT) " + op + " CAST(" + b + " AS BIGINT)) + 2147483648) & 4294967295) - 2147483648 AS INTEGER)"
	case types.SmallInt:
		return "CAST((((CAST(" + a + " AS INTEGER) " + op + " CAST(" + b + " AS INTEGER)) + 32768) & 65535) - 32768 AS SMALLINT)"
	default:
		return "CAST((((CAST(" + a + " AS INTEGER) " + op + " CAST(" + b + " AS INTEGER)) + 128) & 255) - 128 AS TINYINT)"
	}
}
