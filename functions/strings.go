package functions

import (
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/hiveql/types"
)

func registerStrings(r *Registry) {
	s1 := params(tString)
	r.simple("upper", tString, s1, func(a []string) string { return fn("upper", a...) }, "ucase")
	r.simple("lower", tString, s1, func(a []string) string { return fn("lower", a...) }, "lcase")
	r.simple("trim", tString, s1, func(a []string) string { return "trim(" + a[0] + ", ' ')" })
	r.simple("ltrim", tString, s1, func(a []string) string { return "ltrim(" + a[0] + ", ' ')" })
	r.simple("rtrim", tString, s1, func(a []string) string { return "rtrim(" + a[0] + ", ' ')" })
	r.simple("reverse", tString, s1, func(a []string) string { return fn("reverse", a...) })
	r.simple("initcap", tString, s1, func(a []string) string { return fn("hive_initcap", a...) })
	r.simple("space", tString, params(tInt), func(a []string) string { return "repeat(' ', " + a[0] + ")" })
	r.simple("repeat", tString, params(tString, tInt), func(a []string) string { return fn("repeat", a...) })
	r.simple("ascii", tInt, s1, func(a []string) string {
		// The first byte of the UTF-8 encoding, as a signed Java byte.
		return "CASE WHEN " + a[0] + " = '' THEN 0 ELSE CAST(((('0x' || left(hex(" + a[0] + "), 2))::INTEGER + 128) % 256) - 128 AS INTEGER) END"
	})
	r.simple("instr", tInt, params(tString, tString), func(a []string) string { return "CAST(strpos(" + a[0] + ", " + a[1] + ") AS INTEGER)" })
	r.simple("levenshtein", tInt, params(tString, tString), func(a []string) string { return "CAST(levenshtein(" + a[0] + ", " + a[1] + ") AS INTEGER)" })
	r.simple("translate", tString, params(tString, tString, tString), func(a []string) string { return fn("translate", a...) })
	r.simple("find_in_set", tInt, params(tString, tString), func(a []string) string {
		return "CASE WHEN contains(" + a[0] + ", ',') THEN 0 ELSE CAST(coalesce(list_position(string_split(" + a[1] + ", ','), " + a[0] + "), 0) AS INTEGER) END"
	})
	r.simple("left", tString, params(tString, tInt), func(a []string) string { return fn("left", a...) })
	r.simple("right", tString, params(tString, tInt), func(a []string) string { return fn("right", a...) })
	r.simple("substring_index", tString, params(tString, tString, tInt), func(a []string) string {
		s, d, n := a[0], a[1], a[2]
		return "CASE WHEN " + n + " = 0 OR " + d + " = '' THEN '' WHEN " + n + " > 0 THEN array_to_string(string_split(" + s + ", " + d + ")[1:" + n +
			"], " + d + ") ELSE array_to_string(string_split(" + s + ", " + d + ")[" + n + ":], " + d + ") END"
	})
	r.simple("split", types.ArrayOf(tString), params(tString, tString), func(a []string) string { return fn("hive_split", a...) })
	r.simple("regexp_replace", tString, params(tString, tString, tString), func(a []string) string { return fn("hive_regexp_replace", a...) })
	r.simple("rlike", tBool, params(tString, tString), func(a []string) string { return fn("regexp_matches", a...) }, "regexp")
	r.simple("get_json_object", tString, params(tString, tString), func(a []string) string { return fn("hive_get_json_object", a...) })
	r.scalar("str_to_map", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 3); err != nil {
			return Result{}, err
		}
		a, err := convArgs(c, []*types.Type{tString, tString, tString}[:len(c.Args)]...)
		if err != nil {
			return Result{}, err
		}
		defaults := []string{"','", "':'"}
		for len(a) < 3 {
			a = append(a, defaults[len(a)-1])
		}
		return Result{SQL: fn("hive_str_to_map", a...), Type: types.MapOf(tString, tString)}, nil
	})
	r.scalar("regexp_extract", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 3); err != nil {
			return Result{}, err
		}
		ps := []*types.Type{tString, tString, tInt}
		a, err := convArgs(c, ps[:len(c.Args)]...)
		if err != nil {
			return Result{}, err
		}
		if len(a) == 2 {
			a = append(a, "1")
		}
		return Result{SQL: fn("hive_regexp_extract", a...), Type: tString}, nil
	})
	r.scalar("length", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		if c.Args[0].Type.Kind == types.Binary {
			return Result{SQL: "CAST(octet_length(" + c.Args[0].SQL + ") AS INTEGER)", Type: tInt}, nil
		}
		s, err := conv(c, 0, tString)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "CAST(length(" + s + ") AS INTEGER)", Type: tInt}, nil
	}, "char_length", "character_length")
	r.scalar("octet_length", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		if c.Args[0].Type.Kind == types.Binary {
			return Result{SQL: "CAST(octet_length(" + c.Args[0].SQL + ") AS INTEGER)", Type: tInt}, nil
		}
		s, err := conv(c, 0, tString)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "CAST(strlen(" + s + ") AS INTEGER)", Type: tInt}, nil
	})
	pad := func(c *Call) (Result, error) {
		if err := nargs(c, 2, 3); err != nil {
			return Result{}, err
		}
		ps := []*types.Type{tString, tInt, tString}
		a, err := convArgs(c, ps[:len(c.Args)]...)
		if err != nil {
			return Result{}, err
		}
		if len(a) == 2 {
			a = append(a, "' '")
		}
		// Hive: an empty pad string with a longer target gives NULL; a shorter target truncates.
		return Result{SQL: "CASE WHEN " + a[2] + " = '' AND " + a[1] + " > length(" + a[0] + ") THEN NULL WHEN " + a[1] + " < 0 THEN NULL ELSE " +
			fn(c.Name, a...) + " END", Type: tString}, nil
	}
	r.scalar("lpad", pad)
	r.scalar("rpad", pad)
	r.scalar("locate", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 3); err != nil {
			return Result{}, err
		}
		ps := []*types.Type{tString, tString, tInt}
		a, err := convArgs(c, ps[:len(c.Args)]...)
		if err != nil {
			return Result{}, err
		}
		if len(a) == 2 {
			return Result{SQL: "CAST(strpos(" + a[1] + ", " + a[0] + ") AS INTEGER)", Type: tInt}, nil
		}
		return Result{SQL: "CAST(hive_locate(" + a[0] + ", " + a[1] + ", " + a[2] + ") AS INTEGER)", Type: tInt}, nil
	}, "position")
	r.scalar("concat", func(c *Call) (Result, error) {
		if err := nargs(c, 1, -1); err != nil {
			return Result{}, err
		}
		allBin := true
		for _, a := range c.Args {
			if a.Type.Kind != types.Binary {
				allBin = false
			}
		}
		t := tString
		if allBin {
			t = tBinary
		}
		var parts []string
		for i := range c.Args {
			s, err := conv(c, i, t)
			if err != nil {
				return Result{}, err
			}
			parts = append(parts, s)
		}
		// Hive: NULL if any argument is NULL (|| propagates NULL).
		return Result{SQL: "(" + strings.Join(parts, " || ") + ")", Type: t}, nil
	})
	r.scalar("concat_ws", func(c *Call) (Result, error) {
		if err := nargs(c, 2, -1); err != nil {
			return Result{}, err
		}
		sep, err := conv(c, 0, tString)
		if err != nil {
			return Result{}, err
		}
		var lists []string
		for i := 1; i < len(c.Args); i++ {
			a := c.Args[i]
			switch {
			case a.Type.Kind == types.Array:
				if !a.Type.Elem.IsString() && a.Type.Elem.Kind != types.Void {
					return Result{}, argErr(c, i, "a string or an array of strings")
				}
				l, err := CastSQLConf(a, types.ArrayOf(tString), c.Conf)
				if err != nil {
					return Result{}, err
				}
				lists = append(lists, "coalesce("+l+", [])")
			case a.Type.IsString() || a.Type.Kind == types.Void:
				s, err := conv(c, i, tString)
				if err != nil {
					return Result{}, err
				}
				lists = append(lists, "["+s+"]")
			default:
				return Result{}, argErr(c, i, "a string or an array of strings")
			}
		}
		all := "list_filter(flatten([" + strings.Join(lists, ", ") + "]), x -> x IS NOT NULL)"
		if c.Args[0].IsConst {
			return Result{SQL: "CASE WHEN " + sep + " IS NOT NULL THEN array_to_string(" + all + ", " + sep + ") END", Type: tString}, nil
		}
		// DuckDB's array_to_string needs a constant separator; a column separator joins with a reduce.
		return Result{SQL: "CASE WHEN (" + sep + ") IS NULL THEN NULL WHEN len(" + all + ") = 0 THEN '' ELSE list_reduce(" + all +
			", (a, b) -> a || (" + sep + ") || b) END", Type: tString}, nil
	})
	substr := func(c *Call) (Result, error) {
		if err := nargs(c, 2, 3); err != nil {
			return Result{}, err
		}
		pos, err := conv(c, 1, tInt)
		if err != nil {
			return Result{}, err
		}
		ln := "2147483647"
		if len(c.Args) == 3 {
			if ln, err = conv(c, 2, tInt); err != nil {
				return Result{}, err
			}
		}
		if c.Args[0].Type.Kind == types.Binary {
			return Result{SQL: fn("hive_substr_bin", c.Args[0].SQL, pos, ln), Type: tBinary}, nil
		}
		s, err := conv(c, 0, tString)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: fn("hive_substr", s, pos, ln), Type: tString}, nil
	}
	r.scalar("substr", substr, "substring")
	r.scalar("base64", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		b, err := conv(c, 0, tBinary)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "to_base64(" + b + ")", Type: tString}, nil
	})
	r.simple("unbase64", tBinary, s1, func(a []string) string { return "TRY(from_base64(" + a[0] + "))" })
	r.simple("encode", tBinary, params(tString, tString), func(a []string) string { return "encode(" + a[0] + ")" })
	r.simple("decode", tString, params(tBinary, tString), func(a []string) string { return "TRY(decode(" + a[0] + "))" })
	hashFn := func(duck string) func(c *Call) (Result, error) {
		return func(c *Call) (Result, error) {
			if err := nargs(c, 1, 1); err != nil {
				return Result{}, err
			}
			b, err := conv(c, 0, tBinary)
			if err != nil {
				return Result{}, err
			}
			return Result{SQL: duck + "(" + b + ")", Type: tString}, nil
		}
	}
	r.scalar("md5", hashFn("md5"))
	r.scalar("sha1", hashFn("sha1"), "sha")
	r.scalar("crc32", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		b, err := conv(c, 0, tBinary)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "hive_crc32(" + b + ")", Type: tBigInt}, nil
	})
	r.scalar("sha2", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		b, err := conv(c, 0, tBinary)
		if err != nil {
			return Result{}, err
		}
		n, err := conv(c, 1, tInt)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "hive_sha2(" + b + ", " + n + ")", Type: tString}, nil
	})
	r.scalar("hex", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		a := c.Args[0]
		switch {
		case a.Type.IsIntegral():
			return Result{SQL: "hex(CAST(" + a.SQL + " AS BIGINT))", Type: tString}, nil
		case a.Type.Kind == types.Binary:
			return Result{SQL: "hex(" + a.SQL + ")", Type: tString}, nil
		case a.Type.IsString() || a.Type.Kind == types.Void:
			s, err := conv(c, 0, tString)
			if err != nil {
				return Result{}, err
			}
			return Result{SQL: "hex(" + s + ")", Type: tString}, nil
		case a.Type.IsNumeric():
			s, err := conv(c, 0, tBigInt)
			if err != nil {
				return Result{}, err
			}
			return Result{SQL: "hex(" + s + ")", Type: tString}, nil
		}
		return Result{}, argErr(c, 0, "a number, string or binary")
	})
	r.simple("unhex", tBinary, s1, func(a []string) string {
		return "CASE WHEN regexp_full_match(" + a[0] + ", '[0-9a-fA-F]*') THEN unhex(CASE WHEN length(" + a[0] + ") % 2 = 1 THEN '0' || " + a[0] + " ELSE " + a[0] + " END) END"
	})
	r.simple("bin", tString, params(tBigInt), func(a []string) string {
		return "ltrim(bin(" + a[0] + "), '0') || CASE WHEN " + a[0] + " = 0 THEN '0' ELSE '' END"
	})
	r.simple("conv", tString, params(tString, tInt, tInt), func(a []string) string { return fn("hive_conv", a...) })
	r.scalar("format_number", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		a, err := convArgs(c, tDouble, tInt)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: fn("hive_format_number", a...), Type: tString}, nil
	})
	r.scalar("printf", func(c *Call) (Result, error) {
		if err := nargs(c, 1, -1); err != nil {
			return Result{}, err
		}
		var a []string
		for i, x := range c.Args {
			if i == 0 || x.Type.Kind == types.Boolean {
				s, err := conv(c, i, tString)
				if err != nil {
					return Result{}, err
				}
				a = append(a, s)
				continue
			}
			a = append(a, x.SQL)
		}
		return Result{SQL: fn("printf", a...), Type: tString}, nil
	}, "format_string")
	r.scalar("elt", func(c *Call) (Result, error) {
		if err := nargs(c, 2, -1); err != nil {
			return Result{}, err
		}
		n, err := conv(c, 0, tInt)
		if err != nil {
			return Result{}, err
		}
		var ss []string
		for i := 1; i < len(c.Args); i++ {
			s, err := conv(c, i, tString)
			if err != nil {
				return Result{}, err
			}
			ss = append(ss, s)
		}
		return Result{SQL: "[" + strings.Join(ss, ", ") + "][" + n + "]", Type: tString}, nil
	})
	r.scalar("field", func(c *Call) (Result, error) {
		if err := nargs(c, 2, -1); err != nil {
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
		return Result{SQL: "CAST(coalesce(list_position([" + strings.Join(v[1:], ", ") + "], " + v[0] + "), 0) AS INTEGER)", Type: tInt}, nil
	})
	r.scalar("hash", func(c *Call) (Result, error) {
		if err := nargs(c, 1, -1); err != nil {
			return Result{}, err
		}
		var ts, vs []string
		for _, a := range c.Args {
			ts = append(ts, a.Type.String())
			vs = append(vs, a.SQL)
		}
		return Result{SQL: "hive_hash(" + duckdbsql.String(strings.Join(ts, ";")) + ", " + strings.Join(vs, ", ") + ")", Type: tInt}, nil
	})
	r.scalar("parse_url", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 3); err != nil {
			return Result{}, err
		}
		a, err := convArgs(c, []*types.Type{tString, tString, tString}[:len(c.Args)]...)
		if err != nil {
			return Result{}, err
		}
		if len(a) == 2 {
			a = append(a, "NULL")
		}
		return Result{SQL: fn("hive_parse_url", a...), Type: tString}, nil
	})
	r.scalar("uuid", func(c *Call) (Result, error) {
		if err := nargs(c, 0, 0); err != nil {
			return Result{}, err
		}
		return Result{SQL: "CAST(uuid() AS VARCHAR)", Type: tString}, nil
	})
}
