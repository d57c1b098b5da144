package functions

import "github.com/waggle-dev/waggle/hiveql/types"

// CommonType returns the type Hive converts a and b to when they meet in a comparison, an arithmetic
// operator, CASE/IF/COALESCE branches, UNION columns or IN lists (FunctionRegistry.getCommonClass and
// getCommonClassForComparison rules): numeric widening tinyint < smallint < int < bigint < decimal <
// float < double; string vs number → double; string group types → string; date vs timestamp →
// timestamp; void (NULL) takes the other type. ok is false when Hive would refuse the combination.
// forComparison selects the comparison variant (string vs date compares as date, etc.).
func CommonType(a, b *types.Type, forComparison bool) (t *types.Type, ok bool) {
	return commonType(a, b, forComparison)
}

// CastSQL returns DuckDB SQL that converts arg to the Hive type `to` with Hive's semantics: a string
// that does not parse as a number/date/boolean becomes NULL (TRY_CAST-like), numbers narrowed to an
// integral type wrap / truncate as Java does, boolean to string is 'true'/'false' ('TRUE' with
// waggle.hive.compat=4), double to string uses Java's Double.toString, decimals round to the target
// scale, CHAR pads, VARCHAR truncates. Returns arg.SQL unchanged when the types are equal.
func CastSQL(arg Arg, to *types.Type) (string, error) {
	return castSQL(arg, to)
}
