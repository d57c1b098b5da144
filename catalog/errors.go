package catalog

import (
	"errors"
	"fmt"
)

// Error kinds. Test with errors.Is; each maps to the HMS exception of the same
// meaning.
var (
	// ErrNotFound is NoSuchObjectException.
	ErrNotFound = errors.New("no such object")
	// ErrAlreadyExists is AlreadyExistsException.
	ErrAlreadyExists = errors.New("already exists")
	// ErrInvalidOperation is InvalidOperationException (e.g. dropping a
	// non-empty database without CASCADE).
	ErrInvalidOperation = errors.New("invalid operation")
	// ErrInvalidObject is InvalidObjectException (a malformed object).
	ErrInvalidObject = errors.New("invalid object")
)

// Error is a catalog error of one kind with Hive's message text. Error()
// returns only the message, so surfaces print what Hive prints.
type Error struct {
	Kind error // one of the Err* kinds above
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns the kind, so errors.Is(err, ErrNotFound) works.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf returns an *Error of the given kind with a formatted message.
func Errorf(kind error, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Messages used by every implementation, worded like Hive's.

// DatabaseNotFound is the error for a missing database.
func DatabaseNotFound(name string) error {
	return Errorf(ErrNotFound, "Database does not exist: %s", name)
}

// DatabaseExists is the error for creating a database that exists.
func DatabaseExists(name string) error {
	return Errorf(ErrAlreadyExists, "Database %s already exists", name)
}

// TableNotFound is the error for a missing table.
func TableNotFound(db, name string) error {
	return Errorf(ErrNotFound, "Table not found: %s.%s", db, name)
}

// TableExists is the error for creating a table that exists.
func TableExists(db, name string) error {
	return Errorf(ErrAlreadyExists, "Table %s.%s already exists", db, name)
}

// PartitionNotFound is the error for a missing partition.
func PartitionNotFound(db, table, partName string) error {
	return Errorf(ErrNotFound, "Partition not found: %s.%s/%s", db, table, partName)
}

// PartitionExists is the error for adding a partition that exists.
func PartitionExists(db, table, partName string) error {
	return Errorf(ErrAlreadyExists, "Partition already exists: %s.%s/%s", db, table, partName)
}

// FunctionNotFound is the error for a missing function; the text contains
// "<name> does not exist", which Spark looks for.
func FunctionNotFound(db, name string) error {
	return Errorf(ErrNotFound, "Function %s.%s does not exist", db, name)
}

// FunctionExists is the error for creating a function that exists.
func FunctionExists(db, name string) error {
	return Errorf(ErrAlreadyExists, "Function %s.%s already exists", db, name)
}
