// Package ast declares the syntax tree of HiveQL: one node type per construct, every node with its source
// span (Pos/End as byte offsets of the statement text the parser was given).
//
// Interfaces separate the roles: Stmt (a whole statement), Query (anything that yields rows: SELECT, set
// operations, VALUES, parenthesised queries), TableRef (an item of a FROM clause), Expr (a scalar
// expression). A function that takes an Expr cannot be handed a statement.
//
// The tree describes what the user wrote; it resolves nothing. Names are kept as written (with their
// quoting), literals keep their raw text next to their value, so the printer can reproduce the input and
// the analyzer can apply Hive's rules. The package imports only hiveql/token and hiveql/types and must
// never learn about the catalog, DuckDB or the engine.
package ast

import (
	"github.com/waggle-dev/waggle/hiveql/token"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// Node is any syntax tree node.
type Node interface {
	Pos() token.Pos // first byte of the node
	End() token.Pos // byte just after the node
}

// Span is embedded in every node: the node's source range.
type Span struct {
	From token.Pos
	To   token.Pos
}

// Pos returns the first byte of the node.
func (s Span) Pos() token.Pos { return s.From }

// End returns the byte just after the node.
func (s Span) End() token.Pos { return s.To }

// Expr is a scalar expression.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement.
type Stmt interface {
	Node
	stmtNode()
}

// Query is a row-producing query expression.
type Query interface {
	Node
	queryNode()
}

// TableRef is an item of a FROM clause.
type TableRef interface {
	Node
	tableRefNode()
}

// AlterAction is the action of an ALTER TABLE / ALTER VIEW statement.
type AlterAction interface {
	Node
	alterActionNode()
}

// ---------------------------------------------------------------------------------------------------------
// Names

// Ident is an identifier. Name is the identifier as written, unquoted (`a“b` has Name "a`b"); Quoted
// records the backquotes. Hive identifiers are case-insensitive: compare with strings.EqualFold.
type Ident struct {
	Span
	Name   string
	Quoted bool
}

// ObjectName is a possibly qualified name: `t`, `db.t`.
type ObjectName struct {
	Span
	Parts []*Ident
}

// ---------------------------------------------------------------------------------------------------------
// Expressions

// ColumnRef is a dotted name in expression position: `c`, `t.c`, `db.t.c` or `s.field` — which part is a
// table, a column or a struct field is the analyzer's decision.
type ColumnRef struct {
	Span
	Parts []*Ident
}

// StarExpr is `*` or `t.*` (in a select list, or `count(*)`).
type StarExpr struct {
	Span
	Qualifier *ObjectName // nil for a bare *
}

// NullLit is NULL.
type NullLit struct{ Span }

// BoolLit is TRUE or FALSE.
type BoolLit struct {
	Span
	Value bool
}

// NumberLit is a numeric literal. Raw is the text as written (`10Y`, `1.5BD`, `1e3`); Digits is Raw
// without the suffix; Suffix is one of "", "Y" (TINYINT), "S" (SMALLINT), "L" (BIGINT), "BD" (DECIMAL),
// "D" (DOUBLE), "F" (FLOAT), upper-cased.
type NumberLit struct {
	Span
	Raw    string
	Digits string
	Suffix string
}

// IsIntegral reports whether the literal has no fraction and no exponent.
func (n *NumberLit) IsIntegral() bool {
	for i := 0; i < len(n.Digits); i++ {
		if c := n.Digits[i]; c == '.' || c == 'e' || c == 'E' {
			return false
		}
	}
	return true
}

// StringLit is a string literal; adjacent literals ('a' 'b') form one StringLit. Raw holds each piece as
// written (with quotes) for printing; Value is the unescaped, concatenated value.
type StringLit struct {
	Span
	Raw   []string
	Value string
}

// BinaryLit is X'0A1B'. Value holds the decoded bytes.
type BinaryLit struct {
	Span
	Raw   string
	Value []byte
}

// TypedLit is DATE '...' or TIMESTAMP '...' (Type is types.Date or types.Timestamp).
type TypedLit struct {
	Span
	Type  types.Kind
	Value *StringLit
}

// IntervalLit is INTERVAL '1' DAY, INTERVAL 1 DAY, INTERVAL '1-2' YEAR TO MONTH, INTERVAL (expr) HOUR.
// Unit and ToUnit are upper-case singular (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND); ToUnit is "" unless a
// range was written.
type IntervalLit struct {
	Span
	Value  Expr // *StringLit, *NumberLit or any expression (parenthesised)
	Unit   string
	ToUnit string
}

// ParenExpr is a parenthesised expression.
type ParenExpr struct {
	Span
	X Expr
}

// TupleExpr is a parenthesised list of two or more expressions: `(a, b) IN ((1, 2))`.
type TupleExpr struct {
	Span
	Elems []Expr
}

// UnaryExpr is a prefix operator applied to X. Op is one of token.MINUS, token.PLUS, token.TILDE,
// token.KW_NOT or token.BANG (`!`) — the scanner's tokens.
type UnaryExpr struct {
	Span
	Op token.Token
	X  Expr
}

// BinaryExpr is X Op Y for arithmetic (+ - * / % DIV), bitwise (& | ^), concatenation (||), comparison
// (= == <=> != <> < <= > >=) and logical (KW_AND, KW_OR; && is KW_AND) operators. Op is the scanner's
// token for the operator as written.
type BinaryExpr struct {
	Span
	Op token.Token
	X  Expr
	Y  Expr
}

// IsExpr is `X IS [NOT] NULL|TRUE|FALSE|UNKNOWN`. What is token.KW_NULL, token.KW_TRUE,
// token.KW_FALSE or token.KW_UNKNOWN.
type IsExpr struct {
	Span
	X    Expr
	Not  bool
	What token.Token
}

// DistinctFromExpr is `X IS [NOT] DISTINCT FROM Y`.
type DistinctFromExpr struct {
	Span
	X, Y Expr
	Not  bool
}

// BetweenExpr is `X [NOT] BETWEEN Lo AND Hi`.
type BetweenExpr struct {
	Span
	X, Lo, Hi Expr
	Not       bool
}

// InExpr is `X [NOT] IN (list)` or `X [NOT] IN (subquery)`: exactly one of List and Query is set.
type InExpr struct {
	Span
	X     Expr
	Not   bool
	List  []Expr
	Query Query
}

// ExistsExpr is `[NOT] EXISTS (subquery)`.
type ExistsExpr struct {
	Span
	Not   bool
	Query Query
}

// SubqueryExpr is a scalar subquery `(SELECT ...)`.
type SubqueryExpr struct {
	Span
	Query Query
}

// LikeExpr is `X [NOT] LIKE|RLIKE|REGEXP Pattern`, or `X [NOT] LIKE ANY|ALL (p1, p2, ...)`. Op is
// token.KW_LIKE, token.KW_RLIKE or token.KW_REGEXP; Quantifier is 0, token.KW_ANY or token.KW_ALL (then Patterns is set
// and Pattern is nil). Escape is the ESCAPE character expression, if written.
type LikeExpr struct {
	Span
	X          Expr
	Not        bool
	Op         token.Token
	Pattern    Expr
	Quantifier token.Token
	Patterns   []Expr
	Escape     Expr
}

// CaseExpr is `CASE [Operand] WHEN ... THEN ... [ELSE ...] END`. Operand is nil for the searched form.
type CaseExpr struct {
	Span
	Operand Expr
	Whens   []*When
	Else    Expr
}

// When is one WHEN Cond THEN Result arm.
type When struct {
	Span
	Cond   Expr
	Result Expr
}

// TypeName is a type as written in the source (CAST targets, column definitions).
type TypeName struct {
	Span
	Type *types.Type
}

// CastExpr is CAST(X AS Type) (TryCast: Spark's TRY_CAST).
type CastExpr struct {
	Span
	X       Expr
	Type    *TypeName
	TryCast bool
}

// IndexExpr is X[Index]: array element (0-based in Hive) or map value.
type IndexExpr struct {
	Span
	X     Expr
	Index Expr
}

// FieldExpr is X.Field on an expression that is not a plain dotted name (`f(x).a`, `arr[0].b`). Dotted
// names are ColumnRefs.
type FieldExpr struct {
	Span
	X     Expr
	Field *Ident
}

// FuncCall is a function call. Name may be qualified (`db.f`). Star is `f(*)`. Distinct is
// `f(DISTINCT ...)`. Over is the window, if any. IgnoreNulls is `f(x) IGNORE NULLS` / `f(x IGNORE NULLS)`.
type FuncCall struct {
	Span
	Name        *ObjectName
	Args        []Expr
	Distinct    bool
	Star        bool
	IgnoreNulls bool
	Filter      Expr // FILTER (WHERE ...)
	Over        *WindowSpec
}

// ExtractExpr is EXTRACT(Field FROM X); Field is upper-case (YEAR, MONTH, DAY, HOUR, ...).
type ExtractExpr struct {
	Span
	Field string
	X     Expr
}

// LambdaExpr is `x -> body` or `(x, y) -> body` (Spark higher-order functions).
type LambdaExpr struct {
	Span
	Params []*Ident
	Body   Expr
}

// WindowSpec is the window of an OVER clause or a WINDOW definition: `OVER w`, `OVER (w2 ORDER BY ...)`,
// `OVER (PARTITION BY ... ORDER BY ... ROWS BETWEEN ... AND ...)`. Name is the referenced window, if any.
type WindowSpec struct {
	Span
	Name        *Ident
	PartitionBy []Expr
	OrderBy     []*OrderItem
	Frame       *Frame
}

// Frame is ROWS|RANGE [BETWEEN] Start [AND End]. End is nil when no BETWEEN was written.
type Frame struct {
	Span
	Unit  token.Token // token.KW_ROWS or token.KW_RANGE
	Start *FrameBound
	End   *FrameBound
}

// FrameBoundKind says which frame bound a FrameBound is.
type FrameBoundKind int

// The frame bounds.
const (
	UnboundedPreceding FrameBoundKind = iota + 1
	Preceding
	CurrentRow
	Following
	UnboundedFollowing
)

// FrameBound is one bound of a window frame; Offset is set for Preceding and Following.
type FrameBound struct {
	Span
	Kind   FrameBoundKind
	Offset Expr
}

// ---------------------------------------------------------------------------------------------------------
// Queries

// With is a WITH clause.
type With struct {
	Span
	CTEs []*CTE
}

// CTE is `name [(cols)] AS (query)`.
type CTE struct {
	Span
	Name    *Ident
	Columns []*Ident
	Query   Query
}

// OrderItem is `Expr [ASC|DESC] [NULLS FIRST|LAST]`. Desc is false for ASC or no direction; Nulls is 0,
// token.KW_FIRST or token.KW_LAST; Explicit records whether ASC/DESC was written.
type OrderItem struct {
	Span
	Expr     Expr
	Desc     bool
	Explicit bool
	Nulls    token.Token
}

// Limit is `LIMIT n`, `LIMIT m, n` or `LIMIT n OFFSET m`. Offset is nil when not written.
type Limit struct {
	Span
	Count  Expr
	Offset Expr
	Comma  bool // written as LIMIT m, n
}

// Tail holds the clauses that may follow a query body: ORDER BY, CLUSTER BY, DISTRIBUTE BY, SORT BY, LIMIT.
type Tail struct {
	OrderBy      []*OrderItem
	ClusterBy    []Expr
	DistributeBy []Expr
	SortBy       []*OrderItem
	Limit        *Limit
}

// SelectItem is one item of a select list: `expr [AS] alias`, `udtf(...) AS (a, b)`, `*`, `t.*`.
type SelectItem struct {
	Span
	Expr    Expr
	Alias   *Ident   // single alias
	Aliases []*Ident // `AS (a, b)` for UDTFs
}

// GroupingKind is the form of a GROUP BY clause.
type GroupingKind int

// The GROUP BY forms.
const (
	GroupPlain        GroupingKind = iota // GROUP BY a, b
	GroupWithRollup                       // GROUP BY a, b WITH ROLLUP
	GroupWithCube                         // GROUP BY a, b WITH CUBE
	GroupRollup                           // GROUP BY ROLLUP(a, b)
	GroupCube                             // GROUP BY CUBE(a, b)
	GroupGroupingSets                     // GROUP BY a, b GROUPING SETS ((a, b), a, ())
)

// GroupBy is a GROUP BY clause. Sets holds the GROUPING SETS (each set a list, `()` an empty one).
type GroupBy struct {
	Span
	Kind  GroupingKind
	Exprs []Expr
	Sets  [][]Expr
}

// WindowDef is `name AS (spec)` of a WINDOW clause.
type WindowDef struct {
	Span
	Name *Ident
	Spec *WindowSpec
}

// Select is a SELECT query block. FromFirst records Hive's `FROM src SELECT ...` order. Hints holds the
// text of `/*+ ... */` hints after SELECT.
type Select struct {
	Span
	With      *With
	Hints     []string
	Distinct  bool
	All       bool
	Items     []*SelectItem
	From      TableRef
	FromFirst bool
	Where     Expr
	GroupBy   *GroupBy
	Having    Expr
	Windows   []*WindowDef
	Qualify   Expr
	Tail
}

// SetOp is Left UNION|INTERSECT|EXCEPT|MINUS [ALL|DISTINCT] Right, with the clauses that apply to the
// whole result. Op is token.KW_UNION, token.KW_INTERSECT, token.KW_EXCEPT or token.KW_MINUS.
type SetOp struct {
	Span
	With     *With
	Op       token.Token
	All      bool
	Distinct bool // DISTINCT written explicitly
	Left     Query
	Right    Query
	Tail
}

// ParenQuery is a parenthesised query, with the clauses written after the parenthesis, if any.
type ParenQuery struct {
	Span
	With  *With
	Query Query
	Tail
}

// Values is `VALUES (a, b), (c, d)` as a query (INSERT ... VALUES, FROM (VALUES ...) t).
type Values struct {
	Span
	Rows [][]Expr
}

// ---------------------------------------------------------------------------------------------------------
// FROM items

// TableName is a table or view reference with an optional alias and TABLESAMPLE.
type TableName struct {
	Span
	Name   *ObjectName
	Alias  *Ident
	Sample *TableSample
}

// TableSample is TABLESAMPLE(BUCKET x OUT OF y [ON expr]) | (n PERCENT) | (n ROWS) | (nM) (byte length).
type TableSample struct {
	Span
	Bucket, OutOf *NumberLit
	On            []Expr
	Percent       *NumberLit
	Rows          Expr
	Bytes         string // e.g. "100M"
}

// SubqueryRef is `(query) [AS] alias [(cols)]`.
type SubqueryRef struct {
	Span
	Query   Query
	Alias   *Ident
	Columns []*Ident
}

// JoinKind is the kind of a join.
type JoinKind int

// The join kinds.
const (
	InnerJoin JoinKind = iota
	LeftJoin
	RightJoin
	FullJoin
	LeftSemiJoin
	LeftAntiJoin
	CrossJoin
	CommaJoin // FROM a, b
)

// Join is Left <kind> JOIN Right [ON cond | USING (cols)]. Outer records the optional OUTER keyword.
type Join struct {
	Span
	Kind  JoinKind
	Outer bool
	Left  TableRef
	Right TableRef
	On    Expr
	Using []*Ident
}

// LateralView is `Source LATERAL VIEW [OUTER] udtf(args) tableAlias [AS col, ...]`.
type LateralView struct {
	Span
	Source     TableRef
	Outer      bool
	Func       *FuncCall
	TableAlias *Ident
	ColAliases []*Ident
}

// TableFunc is a table-valued function in FROM: `explode(arr) t(c)`, `TABLE(f(...))`, `range(10)`.
type TableFunc struct {
	Span
	Func    *FuncCall
	Alias   *Ident
	Columns []*Ident
}

// ---------------------------------------------------------------------------------------------------------
// Shared clauses

// Property is a 'key'='value' pair of TBLPROPERTIES, SERDEPROPERTIES, DBPROPERTIES or OPTIONS. Value is nil
// in UNSET TBLPROPERTIES lists. Spark OPTIONS may use bare keys (path 'x'); KeyIdent records that.
type Property struct {
	Span
	Key      *StringLit
	Value    *StringLit
	KeyIdent bool
}

// PartitionSpec is PARTITION (k = v, k2): Value is nil for a dynamic partition column.
type PartitionSpec struct {
	Span
	Items []*PartitionItem
}

// PartitionItem is one `k [= value]` (or `k op value` in DROP PARTITION, Op is token.EQ otherwise).
type PartitionItem struct {
	Span
	Name  *Ident
	Op    token.Token
	Value Expr
}

// RowFormat is ROW FORMAT DELIMITED ... or ROW FORMAT SERDE '...' [WITH SERDEPROPERTIES (...)].
type RowFormat struct {
	Span
	Serde          *StringLit // set for ROW FORMAT SERDE
	SerdeProps     []*Property
	FieldsTerm     *StringLit
	FieldsEscape   *StringLit
	CollectionTerm *StringLit
	MapKeysTerm    *StringLit
	LinesTerm      *StringLit
	NullDefinedAs  *StringLit
}

// StoredAs is STORED AS <format> or STORED AS INPUTFORMAT '...' OUTPUTFORMAT '...'.
type StoredAs struct {
	Span
	Format       *Ident
	InputFormat  *StringLit
	OutputFormat *StringLit
}

// StoredBy is STORED BY 'handler' [WITH SERDEPROPERTIES (...)].
type StoredBy struct {
	Span
	Handler    *StringLit
	SerdeProps []*Property
}

// ColumnDef is `name type [constraint...] [COMMENT '...']`.
type ColumnDef struct {
	Span
	Name        *Ident
	Type        *TypeName
	Comment     *StringLit
	Constraints []*ColumnConstraint
}

// ColumnConstraint is an inline column constraint, kept as parsed (the engine ignores them, as Hive does
// for non-transactional tables): Kind is "PRIMARY KEY", "UNIQUE", "NOT NULL", "DEFAULT", "CHECK",
// "REFERENCES"; Expr is the DEFAULT/CHECK expression; Options holds trailing words (DISABLE NOVALIDATE RELY).
type ColumnConstraint struct {
	Span
	Name    *Ident
	Kind    string
	Expr    Expr
	Ref     *ObjectName
	RefCols []*Ident
	Options []string
}

// TableConstraint is a table-level constraint: `[CONSTRAINT n] PRIMARY KEY (cols) DISABLE NOVALIDATE`,
// FOREIGN KEY (cols) REFERENCES t(cols), UNIQUE (cols), CHECK (expr).
type TableConstraint struct {
	Span
	Name    *Ident
	Kind    string
	Columns []*Ident
	Ref     *ObjectName
	RefCols []*Ident
	Expr    Expr
	Options []string
}

// Bucketing is CLUSTERED BY (cols) [SORTED BY (col [ASC|DESC], ...)] INTO n BUCKETS.
type Bucketing struct {
	Span
	Columns  []*Ident
	SortedBy []*OrderItem
	Buckets  *NumberLit
}

// Skewed is SKEWED BY (cols) ON ((v1, v2), ...) [STORED AS DIRECTORIES].
type Skewed struct {
	Span
	Columns       []*Ident
	Values        [][]Expr
	AsDirectories bool
}

// ---------------------------------------------------------------------------------------------------------
// Statements: queries and DML

// QueryStmt is a query run for its rows.
type QueryStmt struct {
	Span
	Query Query
}

// InsertTarget is the destination of an INSERT: a table (with optional partition spec, IF NOT EXISTS and
// column list) or, when Directory is set, a directory (INSERT OVERWRITE [LOCAL] DIRECTORY 'path' [ROW
// FORMAT ...] [STORED AS ...]). TableKeyword records whether TABLE was written (INSERT INTO t / INTO TABLE t).
type InsertTarget struct {
	Span
	Overwrite    bool
	TableKeyword bool
	Table        *ObjectName
	Partition    *PartitionSpec
	IfNotExists  bool
	Columns      []*Ident
	Directory    bool
	Local        bool
	Path         *StringLit
	RowFormat    *RowFormat
	StoredAs     *StoredAs
}

// InsertStmt is `[WITH ...] INSERT INTO|OVERWRITE ... query` (including INSERT ... VALUES, where Query is a
// *Values).
type InsertStmt struct {
	Span
	With   *With
	Target *InsertTarget
	Query  Query
}

// FromInsertStmt is Hive's FROM-first form: `[WITH ...] FROM src INSERT ... SELECT ... [INSERT ... SELECT
// ...]...` (multi-insert) and `FROM src SELECT ...`. Each body's Select has no From of its own.
type FromInsertStmt struct {
	Span
	With   *With
	From   TableRef
	Bodies []*InsertBody
}

// InsertBody is one `INSERT ... SELECT ...` (or a plain SELECT: Target nil) of a FromInsertStmt.
type InsertBody struct {
	Span
	Target *InsertTarget
	Select *Select
}

// LoadDataStmt is LOAD DATA [LOCAL] INPATH 'path' [OVERWRITE] INTO TABLE t [PARTITION (...)]
// [INPUTFORMAT '...' SERDE '...'].
type LoadDataStmt struct {
	Span
	Local       bool
	Path        *StringLit
	Overwrite   bool
	Table       *ObjectName
	Partition   *PartitionSpec
	InputFormat *StringLit
	Serde       *StringLit
}

// Assignment is `col = expr` of UPDATE / MERGE.
type Assignment struct {
	Span
	Column *ColumnRef
	Value  Expr
}

// UpdateStmt is UPDATE t SET a = x, ... [WHERE ...].
type UpdateStmt struct {
	Span
	Table *ObjectName
	Alias *Ident
	Set   []*Assignment
	Where Expr
}

// DeleteStmt is DELETE FROM t [WHERE ...].
type DeleteStmt struct {
	Span
	Table *ObjectName
	Alias *Ident
	Where Expr
}

// MergeStmt is MERGE INTO target [AS alias] USING source ON cond WHEN ... .
type MergeStmt struct {
	Span
	Target  *ObjectName
	Alias   *Ident
	Source  TableRef
	On      Expr
	Clauses []*MergeClause
}

// MergeClause is WHEN [NOT] MATCHED [AND cond] THEN UPDATE SET ... | DELETE | INSERT [(cols)] VALUES (...).
type MergeClause struct {
	Span
	Matched bool
	Cond    Expr
	Action  token.Token // token.KW_UPDATE, token.KW_DELETE or token.KW_INSERT
	Set     []*Assignment
	Columns []*Ident
	Values  []Expr
}

// ---------------------------------------------------------------------------------------------------------
// Statements: DDL

// CreateDatabaseStmt is CREATE DATABASE|SCHEMA [IF NOT EXISTS] name [COMMENT ...] [LOCATION ...]
// [MANAGEDLOCATION ...] [WITH DBPROPERTIES (...)].
type CreateDatabaseStmt struct {
	Span
	Schema          bool // SCHEMA keyword written
	IfNotExists     bool
	Name            *Ident
	Comment         *StringLit
	Location        *StringLit
	ManagedLocation *StringLit
	Props           []*Property
}

// DropDatabaseStmt is DROP DATABASE|SCHEMA [IF EXISTS] name [CASCADE|RESTRICT].
type DropDatabaseStmt struct {
	Span
	Schema   bool
	IfExists bool
	Name     *Ident
	Cascade  bool
	Restrict bool
}

// AlterDatabaseStmt is ALTER DATABASE name SET DBPROPERTIES (...) | SET OWNER USER|ROLE x |
// SET LOCATION '...' | SET MANAGEDLOCATION '...'.
type AlterDatabaseStmt struct {
	Span
	Schema          bool
	Name            *Ident
	Props           []*Property
	OwnerType       string // USER, ROLE, GROUP
	Owner           *Ident
	Location        *StringLit
	ManagedLocation *StringLit
}

// UseStmt is USE db.
type UseStmt struct {
	Span
	Name *Ident
}

// CreateTableStmt is CREATE [TEMPORARY] [EXTERNAL] TABLE with all of Hive's and Spark's clauses.
// PartitionedBy holds typed partition columns (Hive); PartitionedByNames holds bare names (Spark's CTAS
// `PARTITIONED BY (a, b)` naming columns of the query).
type CreateTableStmt struct {
	Span
	Temporary          bool
	External           bool
	IfNotExists        bool
	Name               *ObjectName
	Columns            []*ColumnDef
	Constraints        []*TableConstraint
	Comment            *StringLit
	PartitionedBy      []*ColumnDef
	PartitionedByNames []*Ident
	ClusteredBy        *Bucketing
	SkewedBy           *Skewed
	RowFormat          *RowFormat
	StoredAs           *StoredAs
	StoredBy           *StoredBy
	Using              *Ident // Spark USING provider
	Options            []*Property
	Location           *StringLit
	TblProps           []*Property
	Like               *ObjectName
	AsQuery            Query
}

// DropTableStmt is DROP TABLE|VIEW [IF EXISTS] name [PURGE].
type DropTableStmt struct {
	Span
	View     bool
	IfExists bool
	Name     *ObjectName
	Purge    bool
}

// TruncateStmt is TRUNCATE TABLE name [PARTITION (...)].
type TruncateStmt struct {
	Span
	Name      *ObjectName
	Partition *PartitionSpec
}

// AlterTableStmt is ALTER TABLE|VIEW name [PARTITION (...)] action.
type AlterTableStmt struct {
	Span
	View      bool
	Name      *ObjectName
	Partition *PartitionSpec
	Action    AlterAction
}

// RenameTo is RENAME TO newname.
type RenameTo struct {
	Span
	NewName *ObjectName
}

// AddColumns is ADD|REPLACE COLUMNS (cols) [CASCADE|RESTRICT].
type AddColumns struct {
	Span
	Replace  bool
	Columns  []*ColumnDef
	Cascade  bool
	Restrict bool
}

// ChangeColumn is CHANGE [COLUMN] old new type [COMMENT ...] [FIRST|AFTER col] [CASCADE|RESTRICT].
type ChangeColumn struct {
	Span
	Old      *Ident
	New      *ColumnDef
	First    bool
	After    *Ident
	Cascade  bool
	Restrict bool
}

// SetTblProps is SET TBLPROPERTIES (...).
type SetTblProps struct {
	Span
	Props []*Property
}

// UnsetTblProps is UNSET TBLPROPERTIES [IF EXISTS] ('k', ...).
type UnsetTblProps struct {
	Span
	IfExists bool
	Keys     []*StringLit
}

// SetSerde is SET SERDE 'class' [WITH SERDEPROPERTIES (...)], or SET SERDEPROPERTIES (...) when Serde is nil.
type SetSerde struct {
	Span
	Serde *StringLit
	Props []*Property
}

// SetFileFormat is SET FILEFORMAT format.
type SetFileFormat struct {
	Span
	Format *StoredAs
}

// SetLocation is SET LOCATION 'path'.
type SetLocation struct {
	Span
	Location *StringLit
}

// AddPartitions is ADD [IF NOT EXISTS] PARTITION (...) [LOCATION '...'] [PARTITION (...) ...].
type AddPartitions struct {
	Span
	IfNotExists bool
	Partitions  []*PartitionLocation
}

// PartitionLocation is one PARTITION (...) [LOCATION '...'] of ADD PARTITION.
type PartitionLocation struct {
	Span
	Spec     *PartitionSpec
	Location *StringLit
}

// DropPartitions is DROP [IF EXISTS] PARTITION (...), PARTITION (...) [PURGE].
type DropPartitions struct {
	Span
	IfExists   bool
	Partitions []*PartitionSpec
	Purge      bool
}

// RenamePartition is (PARTITION (...) on the statement) RENAME TO PARTITION (...).
type RenamePartition struct {
	Span
	To *PartitionSpec
}

// SimpleAction is an action without operands: RECOVER PARTITIONS, TOUCH, CONCATENATE, ENABLE/DISABLE ...
// Words holds the upper-case keywords as written.
type SimpleAction struct {
	Span
	Words []string
}

// AlterViewAs is ALTER VIEW v AS query.
type AlterViewAs struct {
	Span
	Query Query
}

// SetOwner is SET OWNER USER|ROLE name.
type SetOwner struct {
	Span
	OwnerType string
	Owner     *Ident
}

// MsckStmt is MSCK [REPAIR] TABLE t [ADD|DROP|SYNC PARTITIONS].
type MsckStmt struct {
	Span
	Repair bool
	Table  *ObjectName
	Option string // "", "ADD", "DROP", "SYNC"
}

// ViewColumn is a column of CREATE VIEW v (c COMMENT '...', ...).
type ViewColumn struct {
	Span
	Name    *Ident
	Comment *StringLit
}

// CreateViewStmt is CREATE [OR REPLACE] [TEMPORARY] VIEW [IF NOT EXISTS] name [(cols)] [COMMENT ...]
// [TBLPROPERTIES (...)] AS query. The query's source text is the statement text from Query.Pos() to
// Query.End().
type CreateViewStmt struct {
	Span
	OrReplace   bool
	Temporary   bool
	IfNotExists bool
	Name        *ObjectName
	Columns     []*ViewColumn
	Comment     *StringLit
	TblProps    []*Property
	Query       Query
}

// Resource is USING JAR|FILE|ARCHIVE 'uri'.
type Resource struct {
	Span
	Kind string // JAR, FILE, ARCHIVE
	URI  *StringLit
}

// CreateFunctionStmt is CREATE [TEMPORARY] FUNCTION [IF NOT EXISTS] name AS 'class' [USING JAR '...', ...].
type CreateFunctionStmt struct {
	Span
	Temporary   bool
	OrReplace   bool
	IfNotExists bool
	Name        *ObjectName
	Class       *StringLit
	Resources   []*Resource
}

// DropFunctionStmt is DROP [TEMPORARY] FUNCTION [IF EXISTS] name.
type DropFunctionStmt struct {
	Span
	Temporary bool
	IfExists  bool
	Name      *ObjectName
}

// CreateMacroStmt is CREATE TEMPORARY MACRO name (params) body.
type CreateMacroStmt struct {
	Span
	Name   *Ident
	Params []*ColumnDef
	Body   Expr
}

// DropMacroStmt is DROP TEMPORARY MACRO [IF EXISTS] name.
type DropMacroStmt struct {
	Span
	IfExists bool
	Name     *Ident
}

// ReloadFunctionStmt is RELOAD FUNCTION[S].
type ReloadFunctionStmt struct{ Span }

// ---------------------------------------------------------------------------------------------------------
// Statements: session, tools, metadata

// SetKind is the form of a SET statement.
type SetKind int

// The SET forms.
const (
	SetAll     SetKind = iota // SET            (list changed settings)
	SetVerbose                // SET -v         (list all settings)
	SetShow                   // SET key        (print one)
	SetAssign                 // SET key=value
)

// SetStmt is a SET command. Key is the key as written (`hivevar:x`, `hive.exec.parallel`); Value is the raw
// text after `=`, trimmed of surrounding whitespace, exactly as written (Hive does not unquote it).
type SetStmt struct {
	Span
	Kind  SetKind
	Key   string
	Value string
}

// ResetStmt is RESET [key ...].
type ResetStmt struct {
	Span
	Keys []string
}

// ResourceStmt is ADD|LIST|DELETE FILE[S]|JAR[S]|ARCHIVE[S] [path ...]. Op is "ADD", "LIST" or "DELETE";
// Kind is "FILE", "JAR" or "ARCHIVE"; Paths are raw (unquoted) words.
type ResourceStmt struct {
	Span
	Op    string
	Kind  string
	Paths []string
}

// SourceStmt is `source FILE` (run another script).
type SourceStmt struct {
	Span
	Path string
}

// CommandStmt is a CLI command that is not SQL: `dfs ...`, `!cmd ...`, `crypto ...`. Name is the command
// word ("dfs", "!"), Text the rest, raw.
type CommandStmt struct {
	Span
	Name string
	Text string
}

// ExplainStmt is EXPLAIN [EXTENDED|FORMATTED|DEPENDENCY|AUTHORIZATION|LOGICAL|CBO|AST|VECTORIZATION ...] stmt.
type ExplainStmt struct {
	Span
	Options []string
	Stmt    Stmt
}

// DescribeStmt is DESCRIBE|DESC [FORMATTED|EXTENDED] [DATABASE|SCHEMA|FUNCTION] name [PARTITION (...)] [col[.field]].
type DescribeStmt struct {
	Span
	Formatted bool
	Extended  bool
	Database  bool
	Function  bool
	Name      *ObjectName
	Partition *PartitionSpec
	Column    []*Ident
}

// ShowKind is what a SHOW statement lists.
type ShowKind int

// The SHOW forms.
const (
	ShowDatabases ShowKind = iota
	ShowTables
	ShowViews
	ShowPartitions
	ShowFunctions
	ShowColumns
	ShowCreateTable
	ShowTblProperties
	ShowTableExtended
	ShowCurrentDatabase // Spark: SHOW CURRENT DATABASE / SELECT current_database()
)

// ShowStmt is SHOW DATABASES|SCHEMAS [LIKE 'p'] | TABLES|VIEWS [IN|FROM db] [[LIKE] 'p'] | PARTITIONS t
// [PARTITION (...)] | [USER|SYSTEM|ALL] FUNCTIONS [[LIKE] 'p'] | COLUMNS (FROM|IN) t [(FROM|IN) db] |
// CREATE TABLE t | TBLPROPERTIES t [('key')] | TABLE EXTENDED [IN db] LIKE 'p'.
type ShowStmt struct {
	Span
	Kind      ShowKind
	Table     *ObjectName
	In        *Ident
	Like      *StringLit
	Partition *PartitionSpec
	Key       *StringLit
}

// AnalyzeStmt is ANALYZE TABLE t [PARTITION (...)] COMPUTE STATISTICS [NOSCAN] [FOR COLUMNS [cols]].
type AnalyzeStmt struct {
	Span
	Table      *ObjectName
	Partition  *PartitionSpec
	NoScan     bool
	ForColumns bool
	Columns    []*Ident
}

// ---------------------------------------------------------------------------------------------------------
// Marker methods

func (*ColumnRef) exprNode()        {}
func (*StarExpr) exprNode()         {}
func (*NullLit) exprNode()          {}
func (*BoolLit) exprNode()          {}
func (*NumberLit) exprNode()        {}
func (*StringLit) exprNode()        {}
func (*BinaryLit) exprNode()        {}
func (*TypedLit) exprNode()         {}
func (*IntervalLit) exprNode()      {}
func (*ParenExpr) exprNode()        {}
func (*TupleExpr) exprNode()        {}
func (*UnaryExpr) exprNode()        {}
func (*BinaryExpr) exprNode()       {}
func (*IsExpr) exprNode()           {}
func (*DistinctFromExpr) exprNode() {}
func (*BetweenExpr) exprNode()      {}
func (*InExpr) exprNode()           {}
func (*ExistsExpr) exprNode()       {}
func (*SubqueryExpr) exprNode()     {}
func (*LikeExpr) exprNode()         {}
func (*CaseExpr) exprNode()         {}
func (*CastExpr) exprNode()         {}
func (*IndexExpr) exprNode()        {}
func (*FieldExpr) exprNode()        {}
func (*FuncCall) exprNode()         {}
func (*ExtractExpr) exprNode()      {}
func (*LambdaExpr) exprNode()       {}

func (*Select) queryNode()     {}
func (*SetOp) queryNode()      {}
func (*ParenQuery) queryNode() {}
func (*Values) queryNode()     {}

func (*TableName) tableRefNode()   {}
func (*SubqueryRef) tableRefNode() {}
func (*Join) tableRefNode()        {}
func (*LateralView) tableRefNode() {}
func (*TableFunc) tableRefNode()   {}

func (*RenameTo) alterActionNode()        {}
func (*AddColumns) alterActionNode()      {}
func (*ChangeColumn) alterActionNode()    {}
func (*SetTblProps) alterActionNode()     {}
func (*UnsetTblProps) alterActionNode()   {}
func (*SetSerde) alterActionNode()        {}
func (*SetFileFormat) alterActionNode()   {}
func (*SetLocation) alterActionNode()     {}
func (*AddPartitions) alterActionNode()   {}
func (*DropPartitions) alterActionNode()  {}
func (*RenamePartition) alterActionNode() {}
func (*SimpleAction) alterActionNode()    {}
func (*AlterViewAs) alterActionNode()     {}
func (*SetOwner) alterActionNode()        {}

func (*QueryStmt) stmtNode()          {}
func (*InsertStmt) stmtNode()         {}
func (*FromInsertStmt) stmtNode()     {}
func (*LoadDataStmt) stmtNode()       {}
func (*UpdateStmt) stmtNode()         {}
func (*DeleteStmt) stmtNode()         {}
func (*MergeStmt) stmtNode()          {}
func (*CreateDatabaseStmt) stmtNode() {}
func (*DropDatabaseStmt) stmtNode()   {}
func (*AlterDatabaseStmt) stmtNode()  {}
func (*UseStmt) stmtNode()            {}
func (*CreateTableStmt) stmtNode()    {}
func (*DropTableStmt) stmtNode()      {}
func (*TruncateStmt) stmtNode()       {}
func (*AlterTableStmt) stmtNode()     {}
func (*MsckStmt) stmtNode()           {}
func (*CreateViewStmt) stmtNode()     {}
func (*CreateFunctionStmt) stmtNode() {}
func (*DropFunctionStmt) stmtNode()   {}
func (*CreateMacroStmt) stmtNode()    {}
func (*DropMacroStmt) stmtNode()      {}
func (*ReloadFunctionStmt) stmtNode() {}
func (*SetStmt) stmtNode()            {}
func (*ResetStmt) stmtNode()          {}
func (*ResourceStmt) stmtNode()       {}
func (*SourceStmt) stmtNode()         {}
func (*CommandStmt) stmtNode()        {}
func (*ExplainStmt) stmtNode()        {}
func (*DescribeStmt) stmtNode()       {}
func (*ShowStmt) stmtNode()           {}
func (*AnalyzeStmt) stmtNode()        {}
