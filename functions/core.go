package functions

import (
	"fmt"
	"strings"
)

func registerCore(r *Registry) {
	r.scalar("if", func(c *Call) (Result, error) {
		if err := nargs(c, 3, 3); err != nil {
			return Result{}, err
		}
		cond, err := conv(c, 0, tBool)
		if err != nil {
			return Result{}, err
		}
		t, err := commonOf(c, c.Args[1:])
		if err != nil {
			return Result{}, err
		}
		v, err := convAll(c, c.Args[1:], t)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "CASE WHEN " + cond + " THEN " + v[0] + " ELSE " + v[1] + " END", Type: t}, nil
	})
	coalesce := func(c *Call) (Result, error) {
		lo, hi := 1, -1
		if c.Name == "nvl" {
			lo, hi = 2, 2
		}
		if err := nargs(c, lo, hi); err != nil {
			return Result{}, err
		}
		t, err := commonOf(c, c.Args)
		if err != nil {
			return Result{}, err
		}
		v, err := convAll(c, c.Args, t)
		if err != nil {
			return Result{}, err
		}
		if len(v) == 1 {
			return Result{SQL: v[0], Type: t}, nil
		}
		return Result{SQL: fn("coalesce", v...), Type: t}, nil
	}
	r.scalar("coalesce", coalesce)
	r.scalar("nvl", coalesce, "ifnull")
	r.scalar("nullif", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		t, err := commonOf(c, c.Args)
		if err != nil {
			return Result{}, err
		}
		v, err := convAll(c, c.Args, t)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: fn("nullif", v...), Type: t}, nil
	})
	r.scalar("nvl2", func(c *Call) (Result, error) {
		if err := nargs(c, 3, 3); err != nil {
			return Result{}, err
		}
		t, err := commonOf(c, c.Args[1:])
		if err != nil {
			return Result{}, err
		}
		v, err := convAll(c, c.Args[1:], t)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "CASE WHEN " + c.Args[0].SQL + " IS NOT NULL THEN " + v[0] + " ELSE " + v[1] + " END", Type: t}, nil
	})
	r.scalar("isnull", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		return Result{SQL: "(" + c.Args[0].SQL + " IS NULL)", Type: tBool}, nil
	})
	r.scalar("isnotnull", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		return Result{SQL: "(" + c.Args[0].SQL + " IS NOT NULL)", Type: tBool}, nil
	})
	// when(c1, v1, c2, v2, ..., [else]) is GenericUDFWhen: CASE WHEN c1 THEN v1 ... END.
	r.scalar("when", func(c *Call) (Result, error) {
		if err := nargs(c, 2, -1); err != nil {
			return Result{}, err
		}
		var vals []Arg
		for i := 1; i < len(c.Args); i += 2 {
			vals = append(vals, c.Args[i])
		}
		if len(c.Args)%2 == 1 {
			vals = append(vals, c.Args[len(c.Args)-1])
		}
		t, err := commonOf(c, vals)
		if err != nil {
			return Result{}, err
		}
		var b strings.Builder
		b.WriteString("CASE")
		for i := 0; i+1 < len(c.Args); i += 2 {
			cond, err := conv(c, i, tBool)
			if err != nil {
				return Result{}, err
			}
			v, err := convAll(c, c.Args[i+1:i+2], t)
			if err != nil {
				return Result{}, err
			}
			b.WriteString(" WHEN " + cond + " THEN " + v[0])
		}
		if len(c.Args)%2 == 1 {
			v, err := convAll(c, c.Args[len(c.Args)-1:], t)
			if err != nil {
				return Result{}, err
			}
			b.WriteString(" ELSE " + v[0])
		}
		b.WriteString(" END")
		return Result{SQL: b.String(), Type: t}, nil
	})
	// case(x, w1, v1, w2, v2, ..., [else]) is GenericUDFCase: CASE x WHEN w1 THEN v1 ... END.
	r.scalar("case", func(c *Call) (Result, error) {
		if err := nargs(c, 3, -1); err != nil {
			return Result{}, err
		}
		keys := []Arg{c.Args[0]}
		var vals []Arg
		for i := 1; i+1 < len(c.Args); i += 2 {
			keys = append(keys, c.Args[i])
			vals = append(vals, c.Args[i+1])
		}
		hasElse := len(c.Args)%2 == 0
		if hasElse {
			vals = append(vals, c.Args[len(c.Args)-1])
		}
		kt := tVoid
		for _, k := range keys {
			u, ok := CommonType(kt, k.Type, true)
			if !ok {
				return Result{}, fmt.Errorf("case: cannot compare %s with %s", kt, k.Type)
			}
			kt = u
		}
		t, err := commonOf(c, vals)
		if err != nil {
			return Result{}, err
		}
		ks, err := convAll(c, keys, kt)
		if err != nil {
			return Result{}, err
		}
		vs, err := convAll(c, vals, t)
		if err != nil {
			return Result{}, err
		}
		var b strings.Builder
		b.WriteString("CASE " + ks[0])
		for i := 1; i < len(ks); i++ {
			b.WriteString(" WHEN " + ks[i] + " THEN " + vs[i-1])
		}
		if hasElse {
			b.WriteString(" ELSE " + vs[len(vs)-1])
		}
		b.WriteString(" END")
		return Result{SQL: b.String(), Type: t}, nil
	})
	r.scalar("assert_true", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		v, err := conv(c, 0, tBool)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "CASE WHEN " + v + " IS NOT TRUE THEN error('ASSERT_TRUE(): assertion failed.') END", Type: tVoid}, nil
	})
	greatest := func(c *Call) (Result, error) {
		if err := nargs(c, 2, -1); err != nil {
			return Result{}, err
		}
		// Hive's GenericUDFBaseNwayCompare uses the common class (not the comparison one): greatest(10L,
		// 'a', date '2001-01-28') compares as strings.
		t, err := commonOf(c, c.Args)
		if err != nil {
			return Result{}, err
		}
		if t.IsComplex() {
			return Result{}, fmt.Errorf("%s: arguments of type %s cannot be compared", c.Name, t)
		}
		v, err := convAll(c, c.Args, t)
		if err != nil {
			return Result{}, err
		}
		// Hive 3.1: NULL if any argument is NULL; DuckDB's greatest/least skip NULLs.
		var nulls []string
		for _, s := range v {
			nulls = append(nulls, s+" IS NULL")
		}
		f := "greatest"
		if c.Name == "least" {
			f = "least"
		}
		return Result{SQL: "CASE WHEN " + strings.Join(nulls, " OR ") + " THEN NULL ELSE " + fn(f, v...) + " END", Type: t}, nil
	}
	r.scalar("greatest", greatest)
	r.scalar("least", greatest)
}
