package functions

import (
	"fmt"
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// TimeZoneKey is the session setting with the time zone from_unixtime/unix_timestamp use (unset: the
// process's local zone).
const TimeZoneKey = "hive.local.time.zone"

func tzOf(c *Call) string { return duckdbsql.String(c.conf(TimeZoneKey)) }

// tsArg converts argument i (string, date or timestamp) to a TIMESTAMP.
func tsArg(c *Call, i int) (string, error) {
	a := c.Args[i]
	if !a.Type.IsString() && !a.Type.IsDateTime() && a.Type.Kind != types.Void {
		return "", argErr(c, i, "a string, date or timestamp")
	}
	return conv(c, i, tTimestamp)
}

// dateArg converts argument i (string, date or timestamp) to a DATE.
func dateArg(c *Call, i int) (string, error) {
	a := c.Args[i]
	if !a.Type.IsString() && !a.Type.IsDateTime() && a.Type.Kind != types.Void {
		return "", argErr(c, i, "a string, date or timestamp")
	}
	return conv(c, i, tDate)
}

func registerDates(r *Registry) {
	part := func(name, expr string, useDate bool) {
		r.scalar(name, func(c *Call) (Result, error) {
			if err := nargs(c, 1, 1); err != nil {
				return Result{}, err
			}
			var x string
			var err error
			if useDate {
				x, err = dateArg(c, 0)
			} else {
				x, err = tsArg(c, 0)
			}
			if err != nil {
				return Result{}, err
			}
			return Result{SQL: "CAST(" + replaceX(expr, x) + " AS INTEGER)", Type: tInt}, nil
		})
	}
	part("year", "year(X)", false)
	part("quarter", "quarter(X)", false)
	part("month", "month(X)", false)
	part("day", "day(X)", false)
	r.byName["dayofmonth"] = r.byName["day"]
	part("hour", "hour(X)", false)
	part("minute", "minute(X)", false)
	part("second", "second(X)", false)
	part("weekofyear", "week(X)", false)
	part("dayofweek", "dayofweek(X) + 1", false)
	r.scalar("to_date", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		x, err := dateArg(c, 0)
		return Result{SQL: x, Type: tDate}, err
	})
	r.scalar("datediff", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		a, err := dateArg(c, 0)
		if err != nil {
			return Result{}, err
		}
		b, err := dateArg(c, 1)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "CAST(" + a + " - " + b + " AS INTEGER)", Type: tInt}, nil
	})
	addDays := func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		d, err := dateArg(c, 0)
		if err != nil {
			return Result{}, err
		}
		if !c.Args[1].Type.IsIntegral() && c.Args[1].Type.Kind != types.Void {
			return Result{}, argErr(c, 1, "an integer")
		}
		n, err := conv(c, 1, tInt)
		if err != nil {
			return Result{}, err
		}
		op := " + "
		if c.Name == "date_sub" {
			op = " - "
		}
		return Result{SQL: "CAST(" + d + op + n + " AS DATE)", Type: tDate}, nil
	}
	r.scalar("date_add", addDays)
	r.scalar("date_sub", addDays)
	r.scalar("add_months", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		d, err := dateArg(c, 0)
		if err != nil {
			return Result{}, err
		}
		n, err := conv(c, 1, tInt)
		if err != nil {
			return Result{}, err
		}
		// The last day of a month maps to the last day of the target month (Hive 3.1).
		return Result{SQL: "CAST(CASE WHEN " + d + " = last_day(" + d + ") THEN last_day(" + d + " + to_months(" + n + ")) ELSE CAST(" + d +
			" + to_months(" + n + ") AS DATE) END AS VARCHAR)", Type: tString}, nil
	})
	r.scalar("last_day", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		d, err := dateArg(c, 0)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "CAST(last_day(" + d + ") AS VARCHAR)", Type: tString}, nil
	})
	r.scalar("next_day", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		d, err := dateArg(c, 0)
		if err != nil {
			return Result{}, err
		}
		w, err := conv(c, 1, tString)
		if err != nil {
			return Result{}, err
		}
		// Day index 0 = Sunday, from the first two letters of the English name.
		idx := "(list_position(['su','mo','tu','we','th','fr','sa'], lower(left(trim(" + w + "), 2))) - 1)"
		return Result{SQL: "CAST(CAST(" + d + " + CAST((((" + idx + " - dayofweek(" + d + ") + 6) % 7) + 1) AS INTEGER) AS DATE) AS VARCHAR)", Type: tString}, nil
	})
	r.scalar("trunc", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		d, err := dateArg(c, 0)
		if err != nil {
			return Result{}, err
		}
		f, ok := constString(c, 1)
		if !ok {
			return Result{}, argErr(c, 1, "a constant string")
		}
		var unit string
		switch strings.ToUpper(f) {
		case "YEAR", "YYYY", "YY":
			unit = "year"
		case "QUARTER", "Q":
			unit = "quarter"
		case "MONTH", "MON", "MM":
			unit = "month"
		default:
			return Result{SQL: "CAST(NULL AS VARCHAR)", Type: tString}, nil
		}
		return Result{SQL: "CAST(CAST(date_trunc('" + unit + "', " + d + ") AS DATE) AS VARCHAR)", Type: tString}, nil
	})
	r.scalar("months_between", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 3); err != nil {
			return Result{}, err
		}
		a, err := tsArg(c, 0)
		if err != nil {
			return Result{}, err
		}
		b, err := tsArg(c, 1)
		if err != nil {
			return Result{}, err
		}
		months := "((year(" + a + ") - year(" + b + ")) * 12 + month(" + a + ") - month(" + b + "))"
		same := "(day(" + a + ") = day(" + b + ") OR (CAST(" + a + " AS DATE) = last_day(" + a + ") AND CAST(" + b + " AS DATE) = last_day(" + b + ")))"
		secs := "((day(" + a + ") - day(" + b + ")) * 86400 + (epoch(" + a + ") - epoch(date_trunc('day', " + a + "))) - (epoch(" + b + ") - epoch(date_trunc('day', " + b + "))))"
		return Result{SQL: "CASE WHEN " + same + " THEN CAST(" + months + " AS DOUBLE) ELSE round(" + months + " + " + secs + " / 2678400.0, 8) END", Type: tDouble}, nil
	})
	r.scalar("current_date", func(c *Call) (Result, error) {
		if err := nargs(c, 0, 0); err != nil {
			return Result{}, err
		}
		return Result{SQL: "CAST(current_localtimestamp() AS DATE)", Type: tDate}, nil
	})
	r.scalar("current_timestamp", func(c *Call) (Result, error) {
		if err := nargs(c, 0, 0); err != nil {
			return Result{}, err
		}
		return Result{SQL: "CAST(current_localtimestamp() AS TIMESTAMP)", Type: tTimestamp}, nil
	}, "now")
	r.scalar("from_unixtime", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 2); err != nil {
			return Result{}, err
		}
		if !c.Args[0].Type.IsNumeric() && c.Args[0].Type.Kind != types.Void {
			return Result{}, argErr(c, 0, "a number")
		}
		n, err := conv(c, 0, tBigInt)
		if err != nil {
			return Result{}, err
		}
		f := "'yyyy-MM-dd HH:mm:ss'"
		if len(c.Args) == 2 {
			if f, err = conv(c, 1, tString); err != nil {
				return Result{}, err
			}
		}
		return Result{SQL: fn("hive_from_unixtime", n, f, tzOf(c)), Type: tString}, nil
	})
	unixTS := func(c *Call) (Result, error) {
		if err := nargs(c, 0, 2); err != nil {
			return Result{}, err
		}
		if len(c.Args) == 0 {
			return Result{SQL: "CAST(floor(epoch(current_timestamp)) AS BIGINT)", Type: tBigInt}, nil
		}
		a := c.Args[0]
		switch {
		case a.Type.IsDateTime():
			x, err := conv(c, 0, tTimestamp)
			if err != nil {
				return Result{}, err
			}
			return Result{SQL: fn("hive_ts_to_unix", x, tzOf(c)), Type: tBigInt}, nil
		case a.Type.IsString() || a.Type.Kind == types.Void:
			s, err := conv(c, 0, tString)
			if err != nil {
				return Result{}, err
			}
			f := "'yyyy-MM-dd HH:mm:ss'"
			if len(c.Args) == 2 {
				if f, err = conv(c, 1, tString); err != nil {
					return Result{}, err
				}
			}
			return Result{SQL: fn("hive_unix_timestamp", s, f, tzOf(c)), Type: tBigInt}, nil
		}
		return Result{}, argErr(c, 0, "a string, date or timestamp")
	}
	r.scalar("unix_timestamp", unixTS)
	r.scalar("to_unix_timestamp", unixTS)
	r.scalar("date_format", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		x, err := tsArg(c, 0)
		if err != nil {
			return Result{}, err
		}
		f, err := conv(c, 1, tString)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: fn("hive_date_format", x, f, tzOf(c)), Type: tString}, nil
	})
	utc := func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		var x string
		var err error
		if c.Args[0].Type.IsNumeric() {
			// Hive reads a number here as milliseconds since the epoch.
			var n string
			if n, err = conv(c, 0, tDouble); err != nil {
				return Result{}, err
			}
			x = "make_timestamp(CAST(" + n + " * 1000 AS BIGINT))"
		} else if x, err = tsArg(c, 0); err != nil {
			return Result{}, err
		}
		z, err := conv(c, 1, tString)
		if err != nil {
			return Result{}, err
		}
		if c.Name == "from_utc_timestamp" {
			return Result{SQL: "timezone(" + z + ", timezone('UTC', " + x + "))", Type: tTimestamp}, nil
		}
		return Result{SQL: "timezone('UTC', timezone(" + z + ", " + x + "))", Type: tTimestamp}, nil
	}
	r.scalar("from_utc_timestamp", utc)
	r.scalar("to_utc_timestamp", utc)
	r.scalar("to_timestamp", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 2); err != nil {
			return Result{}, err
		}
		if len(c.Args) == 1 {
			x, err := tsArg(c, 0)
			return Result{SQL: x, Type: tTimestamp}, err
		}
		a, err := convArgs(c, tString, tString)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "make_timestamp(hive_unix_timestamp(" + a[0] + ", " + a[1] + ", 'UTC') * 1000000)", Type: tTimestamp}, nil
	})
	interval := func(t *types.Type) func(c *Call) (Result, error) {
		return func(c *Call) (Result, error) {
			if err := nargs(c, 1, 1); err != nil {
				return Result{}, err
			}
			a := c.Args[0]
			if a.Type.Kind == t.Kind {
				return Result{SQL: a.SQL, Type: t}, nil
			}
			s, err := conv(c, 0, tString)
			if err != nil {
				return Result{}, err
			}
			if t.Kind == types.IntervalYearMonth {
				// 'y-m' with an optional sign.
				re := "'^\\s*([+-])?(\\d+)-(\\d+)\\s*$'"
				return Result{SQL: fmt.Sprintf("CASE WHEN regexp_matches(%[1]s, %[2]s) THEN to_months((CASE WHEN regexp_extract(%[1]s, %[2]s, 1) = '-' THEN -1 ELSE 1 END) * "+
					"(CAST(regexp_extract(%[1]s, %[2]s, 2) AS INTEGER) * 12 + CAST(regexp_extract(%[1]s, %[2]s, 3) AS INTEGER))) END", s, re), Type: t}, nil
			}
			// 'd hh:mm:ss[.f]' with an optional sign.
			re := "'^\\s*([+-])?(\\d+) (\\d+):(\\d+):(\\d+(\\.\\d*)?)\\s*$'"
			return Result{SQL: fmt.Sprintf("CASE WHEN regexp_matches(%[1]s, %[2]s) THEN (CASE WHEN regexp_extract(%[1]s, %[2]s, 1) = '-' THEN -1 ELSE 1 END) * "+
				"(to_days(CAST(regexp_extract(%[1]s, %[2]s, 2) AS INTEGER)) + to_hours(CAST(regexp_extract(%[1]s, %[2]s, 3) AS BIGINT)) + "+
				"to_minutes(CAST(regexp_extract(%[1]s, %[2]s, 4) AS BIGINT)) + to_microseconds(CAST(round(CAST(regexp_extract(%[1]s, %[2]s, 5) AS DOUBLE) * 1000000) AS BIGINT))) END", s, re), Type: t}, nil
		}
	}
	r.scalar("interval_year_month", interval(types.Prim(types.IntervalYearMonth)))
	r.scalar("interval_day_time", interval(types.Prim(types.IntervalDayTime)))
}
