package tableformat

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/waggle-dev/waggle/output"
)

// RegisterFunctions registers on conn the DuckDB scalar functions the SQL of WriteSQL uses:
//
//	hive_double_text(DOUBLE) VARCHAR  — Java's Double.toString, as Hive writes DOUBLE into text files
//	hive_float_text(FLOAT) VARCHAR    — Java's Float.toString, for FLOAT
//
// Call it once per connection before running text-format COPY statements.
func RegisterFunctions(ctx context.Context, conn *sql.Conn) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	dbl, err := duckdb.NewTypeInfo(duckdb.TYPE_DOUBLE)
	if err != nil {
		return err
	}
	flt, err := duckdb.NewTypeInfo(duckdb.TYPE_FLOAT)
	if err != nil {
		return err
	}
	str, err := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	if err != nil {
		return err
	}
	fns := []struct {
		name string
		f    *javaNumberFunc
	}{
		{"hive_double_text", &javaNumberFunc{in: dbl, out: str, format: func(v driver.Value) (string, error) {
			d, ok := v.(float64)
			if !ok {
				return "", fmt.Errorf("hive_double_text: unexpected %T", v)
			}
			return output.FormatDouble(d), nil
		}}},
		{"hive_float_text", &javaNumberFunc{in: flt, out: str, format: func(v driver.Value) (string, error) {
			f, ok := v.(float32)
			if !ok {
				return "", fmt.Errorf("hive_float_text: unexpected %T", v)
			}
			return output.FormatFloat(f), nil
		}}},
	}
	for _, fn := range fns {
		if err := duckdb.RegisterScalarUDF(conn, fn.name, fn.f); err != nil {
			return fmt.Errorf("registering %s: %w", fn.name, err)
		}
	}
	return nil
}

// javaNumberFunc is a one-argument scalar UDF formatting a number as text.
type javaNumberFunc struct {
	in, out duckdb.TypeInfo
	format  func(driver.Value) (string, error)
}

func (f *javaNumberFunc) Config() duckdb.ScalarFuncConfig {
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{f.in}, ResultTypeInfo: f.out}
}

func (f *javaNumberFunc) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		return f.format(values[0])
	}}
}
