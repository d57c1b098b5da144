package functions

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// New returns the registry of Hive's built-in functions.
func New() *Registry {
	r := &Registry{byName: map[string]*Func{}, byClass: map[string]*Func{}}
	registerCore(r)
	registerAggregates(r)
	registerWindow(r)
	registerStrings(r)
	registerMath(r)
	registerDates(r)
	registerCollections(r)
	registerTables(r)
	registerMisc(r)
	for _, nc := range hiveClasses {
		if f, ok := r.byName[nc[0]]; ok {
			// lead/lag are registered twice by Hive (UDF and window); both classes map to the one entry.
			f.Classes = append(f.Classes, nc[1])
			r.byClass[nc[1]] = f
		}
	}
	return r
}

// Names returns the names of all functions, sorted (SHOW FUNCTIONS).
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.byName))
	for n := range r.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (r *Registry) add(f *Func, aliases ...string) {
	r.byName[f.Name] = f
	for _, a := range aliases {
		r.byName[a] = f
	}
}

func (r *Registry) scalar(name string, b func(c *Call) (Result, error), aliases ...string) {
	r.add(&Func{Name: name, Kind: Scalar, Build: b}, aliases...)
}

func (r *Registry) aggregate(name string, b func(c *Call) (Result, error), aliases ...string) {
	r.add(&Func{Name: name, Kind: Aggregate, Build: b}, aliases...)
}

func (r *Registry) window(name string, b func(c *Call) (Result, error), aliases ...string) {
	r.add(&Func{Name: name, Kind: Window, Build: b}, aliases...)
}

func (r *Registry) table(name string, b func(c *Call) (TableResult, error), aliases ...string) {
	r.add(&Func{Name: name, Kind: Table, BuildTable: b}, aliases...)
}

// simple registers a function with fixed parameter types (arguments are converted implicitly, Hive
// style) and a fixed result type.
func (r *Registry) simple(name string, ret *types.Type, params []*types.Type, sql func(a []string) string, aliases ...string) {
	r.scalar(name, func(c *Call) (Result, error) {
		if err := nargs(c, len(params), len(params)); err != nil {
			return Result{}, err
		}
		a, err := convArgs(c, params...)
		if err != nil {
			return Result{}, err
		}
		return Result{SQL: sql(a), Type: ret}, nil
	}, aliases...)
}

// Types used throughout.
var (
	tBool      = types.Prim(types.Boolean)
	tTinyInt   = types.Prim(types.TinyInt)
	tSmallInt  = types.Prim(types.SmallInt)
	tInt       = types.Prim(types.Int)
	tBigInt    = types.Prim(types.BigInt)
	tFloat     = types.Prim(types.Float)
	tDouble    = types.Prim(types.Double)
	tString    = types.Prim(types.String)
	tDate      = types.Prim(types.Date)
	tTimestamp = types.Prim(types.Timestamp)
	tBinary    = types.Prim(types.Binary)
	tVoid      = types.Prim(types.Void)
)

func params(ts ...*types.Type) []*types.Type { return ts }

// nargs checks the argument count (hi < 0: no upper bound).
func nargs(c *Call, lo, hi int) error {
	n := len(c.Args)
	if n >= lo && (hi < 0 || n <= hi) {
		return nil
	}
	var want string
	switch {
	case lo == hi:
		want = strconv.Itoa(lo)
	case hi < 0:
		want = "at least " + strconv.Itoa(lo)
	case hi == lo+1:
		want = strconv.Itoa(lo) + " or " + strconv.Itoa(hi)
	default:
		want = strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
	}
	return fmt.Errorf("wrong number of arguments to %s: %d (expected %s)", c.Name, n, want)
}

func argErr(c *Call, i int, want string) error {
	return fmt.Errorf("argument %d of %s must be %s, got %s", i+1, c.Name, want, c.Args[i].Type)
}

func (c *Call) conf(key string) string {
	if c.Conf == nil {
		return ""
	}
	return c.Conf(key)
}

// conv converts argument i to t with Hive's implicit conversion; complex arguments to a primitive
// parameter are an error.
func conv(c *Call, i int, t *types.Type) (string, error) {
	a := c.Args[i]
	if a.Type != nil && a.Type.IsComplex() && !t.IsComplex() {
		return "", argErr(c, i, "a "+kindWord(t))
	}
	if t.Kind == types.Boolean && a.Type != nil && a.Type.Kind != types.Boolean && a.Type.Kind != types.Void {
		return "", argErr(c, i, "boolean")
	}
	s, err := CastSQLConf(a, t, c.Conf)
	if err != nil {
		return "", fmt.Errorf("argument %d of %s: %v", i+1, c.Name, err)
	}
	return s, nil
}

func kindWord(t *types.Type) string {
	switch {
	case t.IsString():
		return "string"
	case t.IsNumeric():
		return "number"
	}
	return t.String()
}

func convArgs(c *Call, ts ...*types.Type) ([]string, error) {
	out := make([]string, len(ts))
	for i, t := range ts {
		s, err := conv(c, i, t)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// commonOf returns the common type of arguments from..len-1 (CASE/COALESCE rules).
func commonOf(c *Call, args []Arg) (*types.Type, error) {
	var t *types.Type = tVoid
	for _, a := range args {
		u, ok := CommonType(t, a.Type, false)
		if !ok {
			return nil, fmt.Errorf("arguments of %s have incompatible types %s and %s", c.Name, t, a.Type)
		}
		t = u
	}
	return t, nil
}

// convAll converts every arg to t.
func convAll(c *Call, args []Arg, t *types.Type) ([]string, error) {
	out := make([]string, len(args))
	for i, a := range args {
		if a.Type != nil && a.Type.Kind == types.Void {
			out[i] = "CAST(NULL AS " + duckdbsql.Type(t) + ")"
			continue
		}
		s, err := CastSQLConf(a, t, c.Conf)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", c.Name, err)
		}
		out[i] = s
	}
	return out, nil
}

// constString returns argument i's value when it is a string literal.
func constString(c *Call, i int) (string, bool) {
	if i >= len(c.Args) || !c.Args[i].IsConst {
		return "", false
	}
	s, ok := c.Args[i].Const.(string)
	return s, ok
}

// constInt returns argument i's value when it is an integer literal.
func constInt(c *Call, i int) (int64, bool) {
	if i >= len(c.Args) || !c.Args[i].IsConst {
		return 0, false
	}
	switch v := c.Args[i].Const.(type) {
	case int64:
		return v, true
	case int:
		return int64(v), true
	case int32:
		return int64(v), true
	}
	return 0, false
}

func fn(name string, args ...string) string { return name + "(" + strings.Join(args, ", ") + ")" }

func nullOf(t *types.Type) string { return "CAST(NULL AS " + duckdbsql.Type(t) + ")" }
