package functions

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/hiveql/types"
)

func registerTables(r *Registry) {
	outer := func(b func(c *Call) (TableResult, error)) func(c *Call) (TableResult, error) {
		return func(c *Call) (TableResult, error) {
			t, err := b(c)
			t.Outer = true
			return t, err
		}
	}
	r.table("explode", explode)
	r.table("explode_outer", outer(explode))
	r.table("posexplode", posexplode)
	r.table("posexplode_outer", outer(posexplode))
	r.table("inline", inline)
	r.table("inline_outer", outer(inline))
	r.table("stack", stack)
	r.table("json_tuple", jsonTuple)
	r.table("parse_url_tuple", parseURLTuple)
}

// explode(array) → one row per element, column `col`; explode(map) → `key`, `value`.
func explode(c *Call) (TableResult, error) {
	if err := nargs(c, 1, 1); err != nil {
		return TableResult{}, err
	}
	a := c.Args[0]
	switch a.Type.Kind {
	case types.Array:
		return TableResult{
			SQL:     "SELECT unnest(" + a.SQL + ") AS col",
			Columns: []Column{{"col", a.Type.Elem}},
		}, nil
	case types.Map:
		return TableResult{
			SQL:     "SELECT unnest(map_keys(" + a.SQL + ")) AS key, unnest(map_values(" + a.SQL + ")) AS value",
			Columns: []Column{{"key", a.Type.Key}, {"value", a.Type.Value}},
		}, nil
	case types.Void:
		return TableResult{SQL: "SELECT NULL AS col WHERE false", Columns: []Column{{"col", tString}}}, nil
	}
	return TableResult{}, argErr(c, 0, "an array or a map")
}

// posexplode(array) → `pos` (0-based int), `val`.
func posexplode(c *Call) (TableResult, error) {
	if err := nargs(c, 1, 1); err != nil {
		return TableResult{}, err
	}
	a := c.Args[0]
	switch a.Type.Kind {
	case types.Array:
		return TableResult{
			SQL:     "SELECT CAST(unnest(range(len(" + a.SQL + "))) AS INTEGER) AS pos, unnest(" + a.SQL + ") AS val",
			Columns: []Column{{"pos", tInt}, {"val", a.Type.Elem}},
		}, nil
	case types.Map:
		// Spark allows maps: pos, key, value.
		return TableResult{
			SQL: "SELECT CAST(unnest(range(cardinality(" + a.SQL + "))) AS INTEGER) AS pos, unnest(map_keys(" + a.SQL +
				")) AS key, unnest(map_values(" + a.SQL + ")) AS value",
			Columns: []Column{{"pos", tInt}, {"key", a.Type.Key}, {"value", a.Type.Value}},
		}, nil
	}
	return TableResult{}, argErr(c, 0, "an array")
}

// inline(array<struct>) → one row per struct, one column per field (named as the fields).
func inline(c *Call) (TableResult, error) {
	if err := nargs(c, 1, 1); err != nil {
		return TableResult{}, err
	}
	a := c.Args[0]
	if a.Type.Kind != types.Array || a.Type.Elem.Kind != types.Struct {
		return TableResult{}, argErr(c, 0, "an array of structs")
	}
	var cols []Column
	var sel []string
	for _, f := range a.Type.Elem.Fields {
		name := strings.ToLower(f.Name)
		cols = append(cols, Column{name, f.Type})
		sel = append(sel, "u.s."+duckdbsql.Ident(name)+" AS "+duckdbsql.Ident(name))
	}
	return TableResult{
		SQL:     "SELECT " + strings.Join(sel, ", ") + " FROM (SELECT unnest(" + a.SQL + ") AS s) AS u",
		Columns: cols,
	}, nil
}

// stack(n, v1, ..., vk) → n rows of ceil(k/n) columns col0, col1, ...; missing trailing values are NULL.
func stack(c *Call) (TableResult, error) {
	if err := nargs(c, 2, -1); err != nil {
		return TableResult{}, err
	}
	n64, ok := constInt(c, 0)
	if !ok || n64 < 1 {
		return TableResult{}, fmt.Errorf("stack: the first argument must be a positive integer constant")
	}
	n := int(n64)
	vals := c.Args[1:]
	k := len(vals)
	ncol := (k + n - 1) / n
	var cols []Column
	var sel []string
	for j := 0; j < ncol; j++ {
		var cell []Arg
		for i := 0; i < n; i++ {
			if idx := i*ncol + j; idx < k {
				cell = append(cell, vals[idx])
			}
		}
		t, err := commonOf(c, cell)
		if err != nil {
			return TableResult{}, fmt.Errorf("stack: column %d: %v", j, err)
		}
		conv, err := convAll(c, cell, t)
		if err != nil {
			return TableResult{}, err
		}
		for len(conv) < n {
			conv = append(conv, nullOf(t))
		}
		name := "col" + strconv.Itoa(j)
		cols = append(cols, Column{name, t})
		sel = append(sel, "unnest(["+strings.Join(conv, ", ")+"]) AS "+name)
	}
	return TableResult{SQL: "SELECT " + strings.Join(sel, ", "), Columns: cols}, nil
}

// json_tuple(json, k1, ..., kn) → one row, columns c0..c(n-1): the top-level fields as strings.
func jsonTuple(c *Call) (TableResult, error) {
	if err := nargs(c, 2, -1); err != nil {
		return TableResult{}, err
	}
	j, err := conv(c, 0, tString)
	if err != nil {
		return TableResult{}, err
	}
	var cols []Column
	var sel []string
	for i := 1; i < len(c.Args); i++ {
		k, err := conv(c, i, tString)
		if err != nil {
			return TableResult{}, err
		}
		name := "c" + strconv.Itoa(i-1)
		cols = append(cols, Column{name, tString})
		sel = append(sel, "hive_json_field("+j+", "+k+") AS "+name)
	}
	return TableResult{SQL: "SELECT " + strings.Join(sel, ", "), Columns: cols}, nil
}

// parse_url_tuple(url, p1, ..., pn) → one row, columns c0..: parse_url(url, p) for each part.
func parseURLTuple(c *Call) (TableResult, error) {
	if err := nargs(c, 2, -1); err != nil {
		return TableResult{}, err
	}
	u, err := conv(c, 0, tString)
	if err != nil {
		return TableResult{}, err
	}
	var cols []Column
	var sel []string
	for i := 1; i < len(c.Args); i++ {
		p, err := conv(c, i, tString)
		if err != nil {
			return TableResult{}, err
		}
		name := "c" + strconv.Itoa(i-1)
		cols = append(cols, Column{name, tString})
		sel = append(sel, "hive_parse_url("+u+", "+p+", NULL) AS "+name)
	}
	return TableResult{SQL: "SELECT " + strings.Join(sel, ", "), Columns: cols}, nil
}
