package functions

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/hiveql/types"
)

func registerCollections(r *Registry) {
	r.scalar("array", func(c *Call) (Result, error) {
		if len(c.Args) == 0 {
			// Hive types array() as array<string>; Waggle types it array<void> so that it unifies with
			// any array type (INSERT ... VALUES (array(1,2)), (array())), and prints the same: [].
			return Result{SQL: "CAST([] AS INTEGER[])", Type: types.ArrayOf(types.Prim(types.Void))}, nil
		}
		t, err := commonOf(c, c.Args)
		if err != nil {
			return Result{}, err
		}
		v, err := convAll(c, c.Args, t)
		if err != nil {
			return Result{}, err
		}
		if t.Kind == types.Void {
			return Result{SQL: "CAST([" + strings.Join(v, ", ") + "] AS VARCHAR[])", Type: types.ArrayOf(tString)}, nil
		}
		return Result{SQL: "[" + strings.Join(v, ", ") + "]", Type: types.ArrayOf(t)}, nil
	})
	r.scalar("map", func(c *Call) (Result, error) {
		if len(c.Args)%2 != 0 {
			return Result{}, fmt.Errorf("map: arguments must be key-value pairs, got %d arguments", len(c.Args))
		}
		if len(c.Args) == 0 {
			return Result{SQL: "CAST(MAP() AS MAP(VARCHAR, VARCHAR))", Type: types.MapOf(tString, tString)}, nil
		}
		var ks, vs []Arg
		for i := 0; i < len(c.Args); i += 2 {
			ks = append(ks, c.Args[i])
			vs = append(vs, c.Args[i+1])
		}
		kt, err := commonOf(c, ks)
		if err != nil {
			return Result{}, err
		}
		vt, err := commonOf(c, vs)
		if err != nil {
			return Result{}, err
		}
		if kt.Kind == types.Void {
			kt = tString
		}
		if vt.Kind == types.Void {
			vt = tString
		}
		k, err := convAll(c, ks, kt)
		if err != nil {
			return Result{}, err
		}
		v, err := convAll(c, vs, vt)
		if err != nil {
			return Result{}, err
		}
		// Hive keeps the last value of a repeated key; DuckDB rejects duplicates, so dedupe keeping the last.
		if len(k) == 1 {
			return Result{SQL: "MAP([" + k[0] + "], [" + v[0] + "])", Type: types.MapOf(kt, vt)}, nil
		}
		return Result{SQL: "map_from_entries(list_filter(list_zip([" + strings.Join(k, ", ") + "], [" + strings.Join(v, ", ") +
			"]), (e, i) -> list_position(list_reverse([" + strings.Join(k, ", ") + "]), e[1]) = " + strconv.Itoa(len(k)+1) + " - i))",
			Type: types.MapOf(kt, vt)}, nil
	})
	structOf := func(c *Call, names []string, vals []Arg) (Result, error) {
		var fs []types.Field
		var parts []string
		for i, a := range vals {
			t := a.Type
			x := a.SQL
			if t.Kind == types.Void {
				t = tString
				x = "CAST(NULL AS VARCHAR)"
			}
			name := strings.ToLower(names[i])
			fs = append(fs, types.Field{Name: name, Type: t})
			parts = append(parts, duckdbsql.Ident(name)+" := "+x)
		}
		return Result{SQL: "struct_pack(" + strings.Join(parts, ", ") + ")", Type: types.StructOf(fs...)}, nil
	}
	r.scalar("struct", func(c *Call) (Result, error) {
		if err := nargs(c, 1, -1); err != nil {
			return Result{}, err
		}
		var names []string
		for i := range c.Args {
			names = append(names, "col"+strconv.Itoa(i+1))
		}
		return structOf(c, names, c.Args)
	})
	r.scalar("named_struct", func(c *Call) (Result, error) {
		if len(c.Args) == 0 || len(c.Args)%2 != 0 {
			return Result{}, fmt.Errorf("named_struct: arguments must be name-value pairs, got %d arguments", len(c.Args))
		}
		var names []string
		var vals []Arg
		for i := 0; i < len(c.Args); i += 2 {
			n, ok := constString(c, i)
			if !ok {
				return Result{}, argErr(c, i, "a constant string")
			}
			names = append(names, n)
			vals = append(vals, c.Args[i+1])
		}
		return structOf(c, names, vals)
	})
	r.scalar("size", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		a := c.Args[0]
		switch a.Type.Kind {
		case types.Array, types.Map:
			f := "len"
			if a.Type.Kind == types.Map {
				f = "cardinality"
			}
			return Result{SQL: "CAST(coalesce(" + f + "(" + a.SQL + "), -1) AS INTEGER)", Type: tInt}, nil
		case types.Void:
			return Result{SQL: "CAST(-1 AS INTEGER)", Type: tInt}, nil
		}
		return Result{}, argErr(c, 0, "an array or a map")
	}, "cardinality")
	r.scalar("array_contains", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		a := c.Args[0]
		if a.Type.Kind != types.Array {
			return Result{}, argErr(c, 0, "an array")
		}
		v, err := conv(c, 1, a.Type.Elem)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "list_contains(" + a.SQL + ", " + v + ")", Type: tBool}, nil
	})
	r.scalar("sort_array", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 2); err != nil {
			return Result{}, err
		}
		a := c.Args[0]
		if a.Type.Kind != types.Array {
			return Result{}, argErr(c, 0, "an array")
		}
		order := "'ASC', 'NULLS FIRST'"
		if len(c.Args) == 2 {
			b, ok := c.Args[1].Const.(bool)
			if !ok {
				return Result{}, argErr(c, 1, "a constant boolean")
			}
			if !b {
				order = "'DESC', 'NULLS LAST'"
			}
		}
		x := a.SQL
		if a.Type.Elem.Kind == types.Map && !hasMap(a.Type.Elem.Key) && !hasMap(a.Type.Elem.Value) {
			// DuckDB cannot order MAP values. Order the maps by their key-sorted entry lists (Hive compares
			// maps entry by entry; for maps with the same keys this is the same order) and pick them by index.
			dir := "'ASC'"
			if strings.HasPrefix(order, "'DESC'") {
				dir = "'DESC'"
			}
			return Result{SQL: "list_transform(list_sort(list_transform(" + x + ", (m, i) -> {'k': list_sort(map_entries(m)), 'i': i}), " + dir +
				"), e -> (" + x + ")[e.i])", Type: a.Type}, nil
		}
		if hasMap(a.Type.Elem) {
			return Result{}, fmt.Errorf("sort_array: arrays of nested maps cannot be sorted")
		}
		return Result{SQL: "list_sort(" + x + ", " + order + ")", Type: a.Type}, nil
	})
	r.scalar("map_keys", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		if c.Args[0].Type.Kind != types.Map {
			return Result{}, argErr(c, 0, "a map")
		}
		return Result{SQL: "map_keys(" + c.Args[0].SQL + ")", Type: types.ArrayOf(c.Args[0].Type.Key)}, nil
	})
	r.scalar("map_values", func(c *Call) (Result, error) {
		if err := nargs(c, 1, 1); err != nil {
			return Result{}, err
		}
		if c.Args[0].Type.Kind != types.Map {
			return Result{}, argErr(c, 0, "a map")
		}
		return Result{SQL: "map_values(" + c.Args[0].SQL + ")", Type: types.ArrayOf(c.Args[0].Type.Value)}, nil
	})
	arr1 := func(name string, ret func(t *types.Type) *types.Type, sql func(x string) string) {
		r.scalar(name, func(c *Call) (Result, error) {
			if err := nargs(c, 1, 1); err != nil {
				return Result{}, err
			}
			if c.Args[0].Type.Kind != types.Array {
				return Result{}, argErr(c, 0, "an array")
			}
			return Result{SQL: sql(c.Args[0].SQL), Type: ret(c.Args[0].Type)}, nil
		})
	}
	same := func(t *types.Type) *types.Type { return t }
	elem := func(t *types.Type) *types.Type { return t.Elem }
	// First occurrences, in order (list_distinct does not keep the order).
	arr1("array_distinct", same, func(x string) string { return "hive_list_distinct(" + x + ")" })
	arr1("array_max", elem, func(x string) string { return "list_max(" + x + ")" })
	arr1("array_min", elem, func(x string) string { return "list_min(" + x + ")" })
	arr1("flatten", elem, func(x string) string { return "flatten(" + x + ")" })
	r.scalar("array_join", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 3); err != nil {
			return Result{}, err
		}
		a := c.Args[0]
		if a.Type.Kind != types.Array {
			return Result{}, argErr(c, 0, "an array")
		}
		l, err := CastSQLConf(a, types.ArrayOf(tString), c.Conf)
		if err != nil {
			return Result{}, err
		}
		sep, err := conv(c, 1, tString)
		if err != nil {
			return Result{}, err
		}
		if len(c.Args) == 3 {
			rep, err := conv(c, 2, tString)
			if err != nil {
				return Result{}, err
			}
			return Result{SQL: "array_to_string(list_transform(" + l + ", x -> coalesce(x, " + rep + ")), " + sep + ")", Type: tString}, nil
		}
		return Result{SQL: "array_to_string(list_filter(" + l + ", x -> x IS NOT NULL), " + sep + ")", Type: tString}, nil
	})
	r.scalar("array_position", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		if c.Args[0].Type.Kind != types.Array {
			return Result{}, argErr(c, 0, "an array")
		}
		v, err := conv(c, 1, c.Args[0].Type.Elem)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: "CAST(coalesce(list_position(" + c.Args[0].SQL + ", " + v + "), 0) AS BIGINT)", Type: tBigInt}, nil
	})
	r.scalar("element_at", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		a := c.Args[0]
		switch a.Type.Kind {
		case types.Array:
			i, err := conv(c, 1, tInt)
			if err != nil {
				return Result{}, err
			}
			return Result{SQL: a.SQL + "[" + i + "]", Type: a.Type.Elem}, nil
		case types.Map:
			k, err := conv(c, 1, a.Type.Key)
			if err != nil {
				return Result{}, err
			}
			return Result{SQL: a.SQL + "[" + k + "]", Type: a.Type.Value}, nil
		}
		return Result{}, argErr(c, 0, "an array or a map")
	})
	r.scalar("slice", func(c *Call) (Result, error) {
		if err := nargs(c, 3, 3); err != nil {
			return Result{}, err
		}
		if c.Args[0].Type.Kind != types.Array {
			return Result{}, argErr(c, 0, "an array")
		}
		a, err := convArgs(c, c.Args[0].Type, tInt, tInt)
		if err != nil {
			return Result{}, err
		}
		start := "CASE WHEN " + a[1] + " < 0 THEN len(" + a[0] + ") + " + a[1] + " + 1 ELSE " + a[1] + " END"
		return Result{SQL: "list_slice(" + a[0] + ", " + start + ", " + start + " + " + a[2] + " - 1)", Type: c.Args[0].Type}, nil
	})
	r.scalar("sequence", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 3); err != nil {
			return Result{}, err
		}
		t, err := commonOf(c, c.Args[:2])
		if err != nil {
			return Result{}, err
		}
		if !t.IsIntegral() {
			return Result{}, argErr(c, 0, "an integer")
		}
		a, err := convAll(c, c.Args, tBigInt)
		if err != nil {
			return Result{}, err
		}
		if len(a) == 2 {
			a = append(a, "CASE WHEN "+a[0]+" <= "+a[1]+" THEN 1 ELSE -1 END")
		}
		return Result{SQL: "CAST(generate_series(" + strings.Join(a, ", ") + ") AS " + duckdbsql.Type(types.ArrayOf(t)) + ")", Type: types.ArrayOf(t)}, nil
	})
	setOp := func(duck string) func(c *Call) (Result, error) {
		return func(c *Call) (Result, error) {
			if err := nargs(c, 2, 2); err != nil {
				return Result{}, err
			}
			t, err := commonOf(c, c.Args)
			if err != nil {
				return Result{}, err
			}
			if t.Kind != types.Array {
				return Result{}, argErr(c, 0, "an array")
			}
			v, err := convAll(c, c.Args, t)
			if err != nil {
				return Result{}, err
			}
			switch duck {
			case "union":
				return Result{SQL: "list_distinct(list_concat(" + v[0] + ", " + v[1] + "))", Type: t}, nil
			case "intersect":
				return Result{SQL: "list_distinct(list_filter(" + v[0] + ", x -> list_contains(" + v[1] + ", x)))", Type: t}, nil
			}
			return Result{SQL: "list_distinct(list_filter(" + v[0] + ", x -> NOT list_contains(" + v[1] + ", x)))", Type: t}, nil
		}
	}
	r.scalar("array_union", setOp("union"))
	r.scalar("array_intersect", setOp("intersect"))
	r.scalar("array_except", setOp("except"))
	r.scalar("map_from_arrays", func(c *Call) (Result, error) {
		if err := nargs(c, 2, 2); err != nil {
			return Result{}, err
		}
		if c.Args[0].Type.Kind != types.Array || c.Args[1].Type.Kind != types.Array {
			return Result{}, argErr(c, 0, "an array")
		}
		return Result{SQL: "MAP(" + c.Args[0].SQL + ", " + c.Args[1].SQL + ")", Type: types.MapOf(c.Args[0].Type.Elem, c.Args[1].Type.Elem)}, nil
	})
}

func hasMap(t *types.Type) bool {
	switch t.Kind {
	case types.Map:
		return true
	case types.Array:
		return hasMap(t.Elem)
	case types.Struct:
		for _, f := range t.Fields {
			if hasMap(f.Type) {
				return true
			}
		}
	}
	return false
}

func registerMisc(r *Registry) {
	// Cast functions: int(x), string(x), date(x), ... (Hive registers the type names as UDFs).
	for _, k := range []types.Kind{types.Boolean, types.TinyInt, types.SmallInt, types.Int, types.BigInt, types.Float,
		types.Double, types.String, types.Date, types.Timestamp, types.Binary, types.Decimal} {
		t := types.Prim(k)
		r.scalar(k.String(), func(c *Call) (Result, error) {
			if err := nargs(c, 1, 1); err != nil {
				return Result{}, err
			}
			s, err := CastSQLConf(c.Args[0], t, c.Conf)
			if err != nil {
				return Result{}, fmt.Errorf("%s: %v", c.Name, err)
			}
			return Result{SQL: s, Type: t}, nil
		})
	}
	r.scalar("varchar", func(c *Call) (Result, error) {
		return Result{}, fmt.Errorf("varchar(x) needs a length: use CAST(x AS VARCHAR(n))")
	})
	r.scalar("char", func(c *Call) (Result, error) {
		return Result{}, fmt.Errorf("char(x) needs a length: use CAST(x AS CHAR(n))")
	})
	// reflect/java_method call into the JVM, which the embedded engine does not have. The call type-checks
	// as a string and yields NULL (documented gap).
	reflect := func(c *Call) (Result, error) {
		if err := nargs(c, 2, -1); err != nil {
			return Result{}, err
		}
		return Result{SQL: "CAST(NULL AS VARCHAR)", Type: tString}, nil
	}
	r.scalar("reflect", reflect, "java_method")
	r.scalar("reflect2", reflect)
	r.scalar("current_user", func(c *Call) (Result, error) {
		if err := nargs(c, 0, 0); err != nil {
			return Result{}, err
		}
		u := c.conf("user.name")
		if u == "" {
			u = c.conf("waggle.user")
		}
		return Result{SQL: duckdbsql.String(u), Type: tString}, nil
	})
	r.scalar("current_database", func(c *Call) (Result, error) {
		if err := nargs(c, 0, 0); err != nil {
			return Result{}, err
		}
		db := c.conf("hive.current.database")
		if db == "" {
			db = "default"
		}
		return Result{SQL: duckdbsql.String(db), Type: tString}, nil
	})
}
