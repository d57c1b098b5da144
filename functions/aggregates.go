package functions

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/hiveql/types"
)

func distinct(c *Call) string {
	if c.Distinct {
		return "DISTINCT "
	}
	return ""
}

func registerAggregates(r *Registry) {
	r.aggregate("count", func(c *Call) (Result, error) {
		if c.Star || len(c.Args) == 0 {
			if c.Distinct {
				return Result{}, fmt.Errorf("count(DISTINCT) needs arguments")
			}
			return Result{SQL: "count(*)", Type: tBigInt}, nil
		}
		if len(c.Args) == 1 {
			return Result{SQL: "count(" + distinct(c) + c.Args[0].SQL + ")", Type: tBigInt}, nil
		}
		// Several arguments: a row counts when none of them is NULL.
		var conds, vals []string
		for _, a := range c.Args {
			conds = append(conds, a.SQL+" IS NOT NULL")
			vals = append(vals, a.SQL)
		}
		all := strings.Join(conds, " AND ")
		if c.Distinct {
			return Result{SQL: "count(DISTINCT CASE WHEN " + all + " THEN row(" + strings.Join(vals, ", ") + ") END)", Type: tBigInt}, nil
		}
		return Result{SQL: "count(CASE WHEN " + all + " THEN 1 END)", Type: tBigInt}, nil
	})
	r.aggregate("sum", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		t := c.Args[0].Type
		x := c.Args[0].SQL
		var rt *types.Type
		switch {
		case t.Kind == types.Void:
			rt, x = tDouble, "CAST(NULL AS DOUBLE)"
		case t.IsIntegral():
			// DuckDB sums integers into HUGEINT (prints the same; Hive would wrap at 2^63).
			rt = tBigInt
		case t.Kind == types.Decimal:
			rt = types.DecimalOf(min(types.MaxDecimalPrecision, t.Precision+10), t.Scale)
		case t.Kind == types.Float || t.Kind == types.Double || t.IsString():
			rt = tDouble
			var err error
			if x, err = conv(c, 0, tDouble); err != nil {
				return Result{}, err
			}
		default:
			return Result{}, argErr(c, 0, "numeric")
		}
		return Result{SQL: "sum(" + distinct(c) + x + ")", Type: rt}, nil
	})
	r.aggregate("avg", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		t := c.Args[0].Type
		switch {
		case t.Kind == types.Decimal:
			rt := types.DecimalOf(min(types.MaxDecimalPrecision, t.Precision+4), min(types.MaxDecimalPrecision, t.Scale+4))
			agg := "avg(" + distinct(c) + c.Args[0].SQL + ")"
			wrap := "CAST(%s AS " + duckdbsql.Type(rt) + ")"
			return Result{SQL: strings.Replace(wrap, "%s", agg, 1), Type: rt, Agg: agg, Wrap: wrap}, nil
		case t.IsNumeric() || t.IsString() || t.Kind == types.Void:
			x, err := conv(c, 0, tDouble)
			if err != nil {
				return Result{}, err
			}
			return Result{SQL: "avg(" + distinct(c) + x + ")", Type: tDouble}, nil
		}
		return Result{}, argErr(c, 0, "numeric")
	})
	minmax := func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		return Result{SQL: c.Name + "(" + distinct(c) + c.Args[0].SQL + ")", Type: c.Args[0].Type}, nil
	}
	r.aggregate("min", minmax)
	r.aggregate("max", minmax)
	doubleAgg := func(duck string, n int) func(c *Call) (Result, error) {
		return func(c *Call) (Result, error) {
			if err := nargs(c, n, n); err != nil {
				return Result{}, err
			}
			var xs []string
			for i, a := range c.Args {
				if !a.Type.IsNumeric() && !a.Type.IsString() && a.Type.Kind != types.Void {
					return Result{}, argErr(c, i, "numeric")
				}
				x, err := conv(c, i, tDouble)
				if err != nil {
					return Result{}, err
				}
				xs = append(xs, x)
			}
			return Result{SQL: duck + "(" + distinct(c) + strings.Join(xs, ", ") + ")", Type: tDouble}, nil
		}
	}
	r.aggregate("variance", doubleAgg("var_pop", 1), "var_pop")
	r.aggregate("var_samp", doubleAgg("var_samp", 1))
	r.aggregate("stddev", doubleAgg("stddev_pop", 1), "std", "stddev_pop")
	r.aggregate("stddev_samp", doubleAgg("stddev_samp", 1))
	r.aggregate("corr", doubleAgg("corr", 2))
	r.aggregate("covar_pop", doubleAgg("covar_pop", 2))
	r.aggregate("covar_samp", doubleAgg("covar_samp", 2))
	collect := func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		x := c.Args[0].SQL
		// Hive skips NULLs and gives [] for a group without values; collect_set keeps the first
		// occurrence of each value in input order (a LinkedHashSet).
		agg := "list(" + x + ") FILTER (WHERE " + x + " IS NOT NULL)"
		wrap := "coalesce(%s, [])"
		if c.Name == "collect_set" || c.Distinct {
			wrap = "coalesce(hive_list_distinct(%s), [])"
		}
		return Result{SQL: strings.Replace(wrap, "%s", agg, 1), Type: types.ArrayOf(c.Args[0].Type), Agg: agg, Wrap: wrap}, nil
	}
	r.aggregate("collect_list", collect, "array_agg")
	r.aggregate("collect_set", collect)
	percentile := func(c *Call) (Result, error) {
		if err := nargs(c, 2, 3); err != nil {
			return Result{}, err
		}
		x, err := conv(c, 0, tDouble)
		if err != nil {
			return Result{}, err
		}
		p := c.Args[1]
		if p.Type.Kind == types.Array {
			ps, err := CastSQLConf(p, types.ArrayOf(tDouble), c.Conf)
			if err != nil {
				return Result{}, err
			}
			return Result{SQL: "quantile_cont(" + x + ", " + ps + ")", Type: types.ArrayOf(tDouble)}, nil
		}
		ps, err := conv(c, 1, tDouble)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "quantile_cont(" + x + ", " + ps + ")", Type: tDouble}, nil
	}
	// percentile_approx is computed exactly (a valid approximation).
	r.aggregate("percentile", percentile)
	r.aggregate("percentile_approx", percentile, "approx_percentile")
	r.aggregate("count_if", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		x, err := conv(c, 0, tBool)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "count_if(" + x + ")", Type: tBigInt}, nil
	})
	r.aggregate("approx_count_distinct", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 2); err != nil {
			return Result{}, err
		}
		return Result{SQL: "count(DISTINCT " + c.Args[0].SQL + ")", Type: tBigInt}, nil
	})
	firstLast := func(c *Call) (Result, error) {
		if err := nargs(c, 1, 2); err != nil {
			return Result{}, err
		}
		f := "first"
		if c.Name == "last" || c.Name == "last_value" {
			f = "last"
		}
		x := c.Args[0].SQL
		if len(c.Args) == 2 {
			if b, ok := c.Args[1].Const.(bool); ok && b {
				x += " IGNORE NULLS"
			}
		}
		return Result{SQL: f + "(" + x + ")", Type: c.Args[0].Type}, nil
	}
	r.aggregate("first", firstLast)
	r.aggregate("last", firstLast)
	byAgg := func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		return Result{SQL: c.Name + "(" + c.Args[0].SQL + ", " + c.Args[1].SQL + ")", Type: c.Args[0].Type}, nil
	}
	r.aggregate("max_by", byAgg)
	r.aggregate("min_by", byAgg)
	boolAgg := func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		x, err := conv(c, 0, tBool)
		if err != nil {
			return Result{}, err
		}
		f := "bool_and"
		if c.Name == "bool_or" || c.Name == "some" || c.Name == "any" {
			f = "bool_or"
		}
		return Result{SQL: f + "(" + x + ")", Type: tBool}, nil
	}
	r.aggregate("bool_and", boolAgg, "every")
	r.aggregate("bool_or", boolAgg, "some", "any")
}

func registerWindow(r *Registry) {
	noArgs := func(duck string, t *types.Type) func(c *Call) (Result, error) {
		return func(c *Call) (Result, error) {
			if err := nargs(c, 0, 0); err != nil {
				return Result{}, err
			}
			return Result{SQL: duck + "()", Type: t}, nil
		}
	}
	r.window("row_number", noArgs("row_number", tInt))
	r.window("rank", noArgs("rank", tInt))
	r.window("dense_rank", noArgs("dense_rank", tInt))
	r.window("percent_rank", noArgs("percent_rank", tDouble))
	r.window("cume_dist", noArgs("cume_dist", tDouble))
	r.window("ntile", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		n, err := conv(c, 0, tBigInt)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "ntile(" + n + ")", Type: tInt}, nil
	})
	leadLag := func(c *Call) (Result, error) {
		if err := nargs(c, 1, 3); err != nil {
			return Result{}, err
		}
		t := c.Args[0].Type
		args := []string{c.Args[0].SQL}
		if len(c.Args) >= 2 {
			n, ok := constInt(c, 1)
			if !ok {
				return Result{}, fmt.Errorf("%s: the offset must be an integer constant", c.Name)
			}
			args = append(args, strconv.FormatInt(n, 10))
		}
		if len(c.Args) == 3 {
			u, ok := CommonType(t, c.Args[2].Type, false)
			if !ok {
				return Result{}, fmt.Errorf("%s: default of type %s does not match %s", c.Name, c.Args[2].Type, t)
			}
			vs, err := convAll(c, []Arg{c.Args[0], c.Args[2]}, u)
			if err != nil {
				return Result{}, err
			}
			t = u
			args[0] = vs[0]
			args = append(args, vs[1])
		}
		return Result{SQL: c.Name + "(" + strings.Join(args, ", ") + ")", Type: t}, nil
	}
	r.window("lead", leadLag)
	r.window("lag", leadLag)
	fv := func(c *Call) (Result, error) {
		if err := nargs(c, 1, 2); err != nil {
			return Result{}, err
		}
		x := c.Args[0].SQL
		if len(c.Args) == 2 {
			if b, ok := c.Args[1].Const.(bool); ok && b {
				x += " IGNORE NULLS"
			}
		}
		return Result{SQL: c.Name + "(" + x + ")", Type: c.Args[0].Type}, nil
	}
	r.window("first_value", fv)
	r.window("last_value", fv)
}
