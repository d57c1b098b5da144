// Package translate turns HiveQL queries (AST from hiveql/parser) into DuckDB SQL with Hive semantics. It
// is typed: it resolves every name against the tables the engine describes (TableResolver), infers the
// Hive type of every expression, applies Hive's implicit coercions (functions.CommonType / CastSQL) and
// builds function calls through the one registry (package functions). It never substitutes text.
//
// For now name resolution and typing ("analyze" in DESIGN.md) live here, in the same pass as SQL
// generation: each translated expression carries its Hive type.
//
// It owns query semantics only: it does not execute SQL, touch storage, or change the catalog — the
// engine does that and gives the translator what it needs through Env.
package translate

import (
	"context"

	"github.com/waggle-dev/waggle/functions"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// Column is a named, typed column.
type Column struct {
	Name string // lower case, as Hive reports it
	Type *types.Type
}

// Table describes a table or view the query reads.
type Table struct {
	DB, Name         string
	Columns          []Column // data columns, in table order
	PartitionColumns []Column // partition columns (come after the data columns in SELECT *)
	// ViewText is set for views: the expanded query text, which the translator parses and translates in
	// place of the view (view columns then take the names in Columns).
	ViewText string
	// Scan returns a DuckDB SQL query (without surrounding parentheses) yielding the table's data columns
	// followed by its partition columns, with DuckDB types for the Hive types, for the scan described by
	// req.
	Scan func(ctx context.Context, req ScanRequest) (string, error)
}

// ScanRequest says what a query needs from one scan of a table.
type ScanRequest struct {
	// PartitionFilter is a DuckDB boolean expression over the partition columns (referenced by plain
	// quoted names, values of the columns' types) built from the query's WHERE conjuncts that mention
	// only partition columns and constants — "" for no pruning. Only the partitions it accepts are read.
	PartitionFilter string
	// Columns lists (lower case) the data columns the query reads from this scan; nil means all. The
	// scan SQL must still yield every column, but the others may be read from files fetched in part
	// (their values are never looked at). Empty (not nil): no data column is read (count(*)).
	Columns []string
}

// TableResolver resolves table names. db is "" when the query did not qualify the name (the resolver uses
// the session's current database). It returns an error wrapping catalog.ErrNotFound for unknown tables.
// Temporary tables and CTE names are the translator's business (CTEs) or the resolver's (temp tables).
type TableResolver interface {
	ResolveTable(ctx context.Context, db, name string) (*Table, error)
}

// Macro is a temporary macro: CREATE TEMPORARY MACRO name(params) body.
type Macro struct {
	Params []Column
	Body   ast.Expr
}

// Env is what the translator needs from the session.
type Env struct {
	Tables    TableResolver
	Functions *functions.Registry
	// TempFunctions maps a temporary function name (lower case) to the registry entry it is bound to
	// (CREATE TEMPORARY FUNCTION f AS '<Hive built-in class>').
	TempFunctions map[string]*functions.Func
	Macros        map[string]*Macro
	// Conf returns a session setting ("" when unset): hive.default.nulls.last, waggle.hive.compat,
	// hive.support.quoted.identifiers, hive.groupby.orderby.position.alias, ...
	Conf func(key string) string
}

// Result is a translated query.
type Result struct {
	SQL     string   // one DuckDB SELECT statement (no trailing semicolon)
	Columns []Column // output columns: names as Hive reports them (`_c0`, `_c1` for unnamed expressions)
	// SQLNames are the DuckDB names of the output columns, in order: Columns' names made unique (Hive
	// allows `select key, key`; the second is named `key_1` in the SQL).
	SQLNames []string
}
