package catalog

import "context"

// Catalog is the metastore as Waggle needs it: everything one implementation
// (SQL store, Thrift client, later Glue) must provide, nothing more.
//
// Conventions shared by all implementations:
//   - Database, table, column, partition-key and function names are stored
//     lower-case; lookups ignore case. Partition values keep their case.
//   - Patterns are HMS name patterns (see CompilePattern); "" matches all.
//   - max <= 0 means no limit.
//   - Errors are *Error values of kind ErrNotFound, ErrAlreadyExists,
//     ErrInvalidOperation or ErrInvalidObject where the HMS would raise the
//     matching exception; anything else is an internal (MetaException) error.
//   - Implementations never touch table data: the caller creates, moves and
//     deletes directories and files.
//   - Inputs are not modified; defaults the metastore fills in (create time,
//     default locations, transient_lastDdlTime) are visible on the next Get.
//   - Temporary tables are not stored; CreateTable rejects them.
type Catalog interface {
	// CreateDatabase creates db. An empty LocationURI defaults to
	// <warehouse>/<name>.db.
	CreateDatabase(ctx context.Context, db *Database) error
	// GetDatabase returns the named database.
	GetDatabase(ctx context.Context, name string) (*Database, error)
	// ListDatabases returns the names of matching databases, sorted.
	ListDatabases(ctx context.Context, pattern string) ([]string, error)
	// AlterDatabase replaces the description, locations, owner and parameters
	// of the named database. Databases cannot be renamed.
	AlterDatabase(ctx context.Context, name string, db *Database) error
	// DropDatabase drops the database. Without cascade it fails with
	// ErrInvalidOperation if the database holds tables or functions; with
	// cascade their metadata is dropped too and the dropped tables are
	// returned so the caller can delete managed data.
	DropDatabase(ctx context.Context, name string, cascade bool) ([]*Table, error)

	// CreateTable creates t. An empty SD location of a non-view defaults to
	// <database location>/<table name>.
	CreateTable(ctx context.Context, t *Table) error
	// GetTable returns the named table.
	GetTable(ctx context.Context, db, name string) (*Table, error)
	// GetTables returns the named tables that exist, in the order given;
	// missing names are skipped (get_table_objects_by_name).
	GetTables(ctx context.Context, db string, names []string) ([]*Table, error)
	// ListTables returns the names of matching tables and views, sorted.
	ListTables(ctx context.Context, db, pattern string) ([]string, error)
	// AlterTable replaces the table db.name with t; a different t.DBName or
	// t.Name renames it. Location moves are the caller's business: what t
	// says is stored. Partition key names cannot change.
	AlterTable(ctx context.Context, db, name string, t *Table) error
	// DropTable drops the table and all its partitions' metadata.
	DropTable(ctx context.Context, db, name string) error

	// AddPartitions adds partitions (of one or more tables) in one
	// transaction. With ifNotExists, existing partitions are skipped;
	// otherwise an existing one fails the whole call with ErrAlreadyExists.
	// An empty SD location defaults to <table location>/<partition name>.
	AddPartitions(ctx context.Context, parts []*Partition, ifNotExists bool) error
	// GetPartition returns the partition with the given values.
	GetPartition(ctx context.Context, db, table string, values []string) (*Partition, error)
	// ListPartitions returns the table's partitions ordered by name.
	ListPartitions(ctx context.Context, db, table string, max int) ([]*Partition, error)
	// ListPartitionNames returns the table's partition names, sorted.
	ListPartitionNames(ctx context.Context, db, table string, max int) ([]string, error)
	// AlterPartition replaces the partition with oldValues by p; different
	// p.Values rename it.
	AlterPartition(ctx context.Context, db, table string, oldValues []string, p *Partition) error
	// AlterPartitions replaces each partition of db.table whose values are
	// p.Values by p, all or nothing: in one transaction (one metastore call
	// for a remote HMS), so a failure or a crash leaves either every
	// partition as it was or every one replaced. Values do not change (use
	// AlterPartition to rename); p.DBName and p.TableName are ignored. An
	// unknown table or partition fails the whole call with ErrNotFound. An
	// empty parts does nothing.
	AlterPartitions(ctx context.Context, db, table string, parts []*Partition) error
	// DropPartition drops the partition's metadata.
	DropPartition(ctx context.Context, db, table string, values []string) error

	// CreateFunction creates a permanent function.
	CreateFunction(ctx context.Context, f *Function) error
	// GetFunction returns the named function.
	GetFunction(ctx context.Context, db, name string) (*Function, error)
	// ListFunctions returns the names of matching functions in db, sorted.
	ListFunctions(ctx context.Context, db, pattern string) ([]string, error)
	// AlterFunction replaces the function db.name with f (rename allowed).
	AlterFunction(ctx context.Context, db, name string, f *Function) error
	// DropFunction drops the function.
	DropFunction(ctx context.Context, db, name string) error

	// Close releases the catalog's resources.
	Close() error
}

// PartitionCommitter is implemented by catalogs that can switch existing partitions and register new
// ones in one transaction (the SQL store). Writers that need both (a dynamic-partition INSERT OVERWRITE)
// use it when the catalog has it, and otherwise make the two calls, AlterPartitions then AddPartitions —
// a remote HMS has no request that does both.
type PartitionCommitter interface {
	// CommitPartitions is AlterPartitions(db, table, alter) and AddPartitions(add, ifNotExists=true)
	// as one transaction: all of it happens or none.
	CommitPartitions(ctx context.Context, db, table string, alter, add []*Partition) error
}
