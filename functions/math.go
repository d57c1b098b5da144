package functions

import (
	"strconv"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// numArg returns argument i as a number: strings become DOUBLE (Hive's implicit conversion).
func numArg(c *Call, i int) (Arg, error) {
	a := c.Args[i]
	switch {
	case a.Type.IsNumeric():
		return a, nil
	case a.Type.IsString():
		s, err := conv(c, i, tDouble)
		return Arg{SQL: s, Type: tDouble}, err
	case a.Type.Kind == types.Void:
		return Arg{SQL: "CAST(NULL AS DOUBLE)", Type: tDouble}, nil
	}
	return Arg{}, argErr(c, i, "numeric")
}

func registerMath(r *Registry) {
	d1 := params(tDouble)
	dbl := func(name, body string, aliases ...string) {
		r.simple(name, tDouble, d1, func(a []string) string { return replaceX(body, a[0]) }, aliases...)
	}
	dbl("exp", "exp(X)")
	dbl("ln", "CASE WHEN X > 0 THEN ln(X) END")
	dbl("log10", "CASE WHEN X > 0 THEN log10(X) END")
	dbl("log2", "CASE WHEN X > 0 THEN log2(X) END")
	dbl("sqrt", "CASE WHEN X >= 0 THEN sqrt(X) END")
	dbl("cbrt", "cbrt(X)")
	dbl("sin", "sin(X)")
	dbl("cos", "cos(X)")
	dbl("tan", "tan(X)")
	dbl("asin", "CASE WHEN abs(X) <= 1 THEN asin(X) ELSE 'NaN'::DOUBLE END")
	dbl("acos", "CASE WHEN abs(X) <= 1 THEN acos(X) ELSE 'NaN'::DOUBLE END")
	dbl("atan", "atan(X)")
	dbl("degrees", "degrees(X)")
	dbl("radians", "radians(X)")
	r.simple("log", tDouble, params(tDouble, tDouble), func(a []string) string {
		return "CASE WHEN " + a[0] + " > 0 AND " + a[1] + " > 0 THEN ln(" + a[1] + ") / ln(" + a[0] + ") END"
	})
	r.simple("pow", tDouble, params(tDouble, tDouble), func(a []string) string { return fn("pow", a...) }, "power")
	r.simple("e", tDouble, nil, func([]string) string { return "exp(1)" })
	r.simple("pi", tDouble, nil, func([]string) string { return "pi()" })
	r.simple("factorial", tBigInt, params(tInt), func(a []string) string {
		return "CASE WHEN " + a[0] + " BETWEEN 0 AND 20 THEN CAST(factorial(" + a[0] + ") AS BIGINT) END"
	})
	r.scalar("rand", func(c *Call) (Result, error) {
		if err := nargs(c, 0, 1); err != nil {
			return Result{}, err
		}
		// A seed cannot make DuckDB's random() repeat Java's sequence; it is accepted and ignored.
		return Result{SQL: "random()", Type: tDouble}, nil
	})
	sameNum := func(name string, body string) {
		r.scalar(name, func(c *Call) (Result, error) {
			if err := nargs(c, 1, 1); err != nil {
				return Result{}, err
			}
			a, err := numArg(c, 0)
			if err != nil {
				return Result{}, err
			}
			return Result{SQL: replaceX(body, a.SQL), Type: a.Type}, nil
		})
	}
	sameNum("abs", "abs(X)")
	sameNum("positive", "X")
	sameNum("negative", "(-X)")
	r.scalar("sign", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		a, err := numArg(c, 0)
		if err != nil {
			return Result{}, err
		}
		if a.Type.Kind == types.Decimal {
			return Result{SQL: "CAST(sign(" + a.SQL + ") AS INTEGER)", Type: tInt}, nil
		}
		return Result{SQL: "CAST(sign(" + a.SQL + ") AS DOUBLE)", Type: tDouble}, nil
	}, "signum")
	floorCeil := func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		a, err := numArg(c, 0)
		if err != nil {
			return Result{}, err
		}
		f := "floor"
		if c.Name != "floor" {
			f = "ceil"
		}
		switch {
		case a.Type.Kind == types.Decimal:
			t := types.DecimalOf(min(types.MaxDecimalPrecision, a.Type.Precision-a.Type.Scale+1), 0)
			return Result{SQL: "CAST(" + f + "(" + a.SQL + ") AS " + duckdbsql.Type(t) + ")", Type: t}, nil
		case a.Type.IsIntegral():
			return Result{SQL: "CAST(" + a.SQL + " AS BIGINT)", Type: tBigInt}, nil
		}
		return Result{SQL: "hive_d2l(" + f + "(" + a.SQL + "))", Type: tBigInt}, nil
	}
	r.scalar("floor", floorCeil)
	r.scalar("ceil", floorCeil, "ceiling")
	round := func(c *Call) (Result, error) {
		if err := nargs(c, 1, 2); err != nil {
			return Result{}, err
		}
		a, err := numArg(c, 0)
		if err != nil {
			return Result{}, err
		}
		d := int64(0)
		if len(c.Args) == 2 {
			v, ok := constInt(c, 1)
			if !ok {
				return Result{}, argErr(c, 1, "an integer constant")
			}
			d = v
		}
		ds := strconv.FormatInt(d, 10)
		even := c.Name == "bround"
		switch {
		case a.Type.Kind == types.Decimal:
			p, s := a.Type.Precision, a.Type.Scale
			ns := max(0, min(int(d), s))
			t := types.DecimalOf(min(types.MaxDecimalPrecision, p-s+ns+1), ns)
			f := "round"
			if even {
				f = "round_even"
			}
			return Result{SQL: "CAST(" + f + "(" + a.SQL + ", " + ds + ") AS " + duckdbsql.Type(t) + ")", Type: t}, nil
		case a.Type.IsIntegral():
			if d >= 0 {
				return Result{SQL: a.SQL, Type: a.Type}, nil
			}
			f := "round"
			if even {
				f = "round_even"
			}
			return Result{SQL: "CAST(" + f + "(CAST(" + a.SQL + " AS DECIMAL(38,0)), " + ds + ") AS " + duckdbsql.Type(a.Type) + ")", Type: a.Type}, nil
		}
		x, err := CastSQLConf(a, tDouble, c.Conf)
		if err != nil {
			return Result{}, err
		}
		if even {
			return Result{SQL: "round_even(" + x + ", " + ds + ")", Type: tDouble}, nil
		}
		return Result{SQL: "hive_round_double(" + x + ", " + ds + ")", Type: tDouble}, nil
	}
	r.scalar("round", round)
	r.scalar("bround", round)
	r.scalar("pmod", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		a, err := numArg(c, 0)
		if err != nil {
			return Result{}, err
		}
		b, err := numArg(c, 1)
		if err != nil {
			return Result{}, err
		}
		t, _ := CommonType(a.Type, b.Type, false)
		x, err := CastSQLConf(a, t, c.Conf)
		if err != nil {
			return Result{}, err
		}
		y, err := CastSQLConf(b, t, c.Conf)
		if err != nil {
			return Result{}, err
		}
		if t.IsIntegral() {
			// Compute in BIGINT so (a % b) + b cannot overflow, then narrow back.
			return Result{SQL: "CAST(hive_pmod(CAST(" + x + " AS BIGINT), CAST(" + y + " AS BIGINT)) AS " + duckdbsql.Type(t) + ")", Type: t}, nil
		}
		return Result{SQL: "hive_pmod(" + x + ", " + y + ")", Type: t}, nil
	})
	shift := func(op string) func(c *Call) (Result, error) {
		return func(c *Call) (Result, error) {
			if err := nargs(c, 2, 2); err != nil {
				return Result{}, err
			}
			a := c.Args[0]
			if !a.Type.IsIntegral() {
				return Result{}, argErr(c, 0, "an integer")
			}
			n, err := conv(c, 1, tInt)
			if err != nil {
				return Result{}, err
			}
			bits := "32"
			t := tInt
			if a.Type.Kind == types.BigInt {
				bits, t = "64", tBigInt
			}
			x := "CAST(" + a.SQL + " AS " + duckdbsql.Type(t) + ")"
			// Java masks the shift distance to the type width.
			sh := "(" + n + " & (" + bits + " - 1))"
			switch op {
			case "<<":
				return Result{SQL: wrapIntegral("(CAST("+x+" AS HUGEINT) << "+sh+") & "+mask(bits), t.Kind), Type: t}, nil
			case ">>":
				return Result{SQL: "(" + x + " >> " + sh + ")", Type: t}, nil
			}
			// >>> : unsigned shift.
			return Result{SQL: wrapIntegral("(CAST("+x+" AS HUGEINT) & "+mask(bits)+") >> "+sh, t.Kind), Type: t}, nil
		}
	}
	r.scalar("shiftleft", shift("<<"))
	r.scalar("shiftright", shift(">>"))
	r.scalar("shiftrightunsigned", shift(">>>"))
}

func mask(bits string) string {
	if bits == "64" {
		return "18446744073709551615"
	}
	return "4294967295"
}

func replaceX(body, x string) string {
	out := make([]byte, 0, len(body)+len(x)*3)
	for i := 0; i < len(body); i++ {
		if body[i] == 'X' {
			out = append(out, x...)
			continue
		}
		out = append(out, body[i])
	}
	return string(out)
}
