// Package printer turns a HiveQL syntax tree (hiveql/ast) back into HiveQL text.
//
// It owns the canonical spelling of every construct: keywords upper case, one space between tokens,
// literals and quoted identifiers exactly as the tree records them. The output re-parses to the same tree
// (ignoring positions): parse(print(parse(x))) == parse(x) is tested over the whole corpus, and the
// DuckDB translator follows the same shape (one function per node type, parenthesisation decided in one
// place, by precedence).
//
// It must not touch parsing (hiveql/parser), DuckDB SQL, or anything outside hiveql/. It holds no
// package-level mutable state.
package printer
