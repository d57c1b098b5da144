package functions

// Placeholders so that other packages compile while the registry is written; the functions engineer
// replaces this file.

import (
	"fmt"

	"github.com/waggle-dev/waggle/hiveql/types"
)

func commonType(a, b *types.Type, forComparison bool) (*types.Type, bool) {
	if a.Kind == types.Void {
		return b, true
	}
	return a, true
}

func castSQL(arg Arg, to *types.Type) (string, error) {
	if arg.Type.Equal(to) {
		return arg.SQL, nil
	}
	return fmt.Sprintf("TRY_CAST(%s AS %s)", arg.SQL, to), nil
}

// New returns the registry of Hive's built-in functions.
func New() *Registry {
	return &Registry{byName: map[string]*Func{}, byClass: map[string]*Func{}}
}
