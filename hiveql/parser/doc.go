// Package parser turns the text of one HiveQL statement into a syntax tree (hiveql/ast).
//
// It owns the grammar: which token sequences form which statements, queries, expressions and types, and
// the syntax error messages users see. It must not touch statement splitting or ${var} substitution
// (package script does both before calling ParseStatement), lexical rules (hiveql/scanner), the meaning of
// names (the analyzer), or anything outside hiveql/. It holds no package-level mutable state.
//
// The parser is a hand-written recursive-descent parser over the whole token slice of the statement (so
// any lookahead is cheap). Positions are byte offsets into the statement text.
//
// # Expression precedence
//
// Lowest to highest, following Hive 3.1's IdentifiersParser (precedence*Expression rules):
//
//	OR
//	AND (&&)
//	NOT, !
//	comparison = == <=> != <> < <= > >=, IS [NOT] NULL|TRUE|FALSE|UNKNOWN|DISTINCT FROM,
//	  [NOT] BETWEEN, [NOT] IN, [NOT] LIKE|RLIKE|REGEXP, LIKE ANY|ALL (left-associative)
//	|
//	&
//	||            (Hive's precedenceConcatenateOperator sits between & and + -)
//	+ -
//	* / % DIV
//	^
//	unary - + ~
//	postfix a[i], a.b
//
// One deliberate difference from Hive: IS [NOT] NULL binds like a comparison (as in Spark SQL and standard
// SQL), so `a + b IS NULL` is `(a + b) IS NULL`; Hive 3.1 parses it as `a + (b IS NULL)`, which no script
// means.
//
// # Tree conventions
//
//   - Hive's FROM-first form with one plain SELECT (`FROM src SELECT ...`) is a QueryStmt whose Select has
//     FromFirst set; with any INSERT body it is a FromInsertStmt.
//   - WITH, ORDER BY, CLUSTER/DISTRIBUTE/SORT BY and LIMIT attach to the outermost query they follow: the
//     Select, or the SetOp of `a UNION b ORDER BY x`, or the ParenQuery of `(a) LIMIT 1`.
//   - Lateral views bind to the FROM item just before them (Hive's rule), joins are left-deep.
//   - Words such as current_date or current_timestamp written without parentheses are ColumnRefs; the
//     analyzer decides that they name functions.
//   - SET, RESET, ADD/LIST/DELETE FILE|JAR|ARCHIVE, source, dfs and !cmd keep their operands as raw text.
//   - Plain DECIMAL is DECIMAL(10,0) in the tree, as in Hive.
//
// # Errors
//
// Errors are reported as an ErrorList sorted by position, at most one per line. A syntax error stops the
// statement (statements are short; the script layer reports every statement); lexical errors are all
// reported, and a syntax error that follows a lexical error is dropped as its likely consequence.
package parser
