package hms

import (
	"context"
	"errors"
	"strings"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/beltran/gohive/hive_metastore"

	"github.com/waggle-dev/waggle/catalog"
)

// exc is a set of HMS exception types.
type exc uint16

const (
	excMeta exc = 1 << iota
	excNoSuchObject
	excAlreadyExists
	excInvalidObject
	excInvalidOperation
	excUnknownDB
	excUnknownTable
	excInvalidInput
)

// toThrift turns a catalog error into the HMS exception that method may
// throw. This is the one mapping table from catalog error kinds to the wire:
//
//	ErrNotFound         NoSuchObjectException, else UnknownDBException/UnknownTableException,
//	                    else InvalidOperationException (alter_table/alter_partition, as Hive)
//	ErrAlreadyExists    AlreadyExistsException, else InvalidOperationException
//	ErrInvalidObject    InvalidObjectException, else InvalidOperationException
//	ErrInvalidOperation InvalidOperationException, else InvalidObjectException
//	anything else       MetaException
//
// and MetaException whenever the preferred type is not declared by the
// method. Methods that declare no exception at all get the error back
// unchanged; the generated processor answers it with an INTERNAL_ERROR
// TApplicationException.
func toThrift(method string, err error) error {
	if err == nil {
		return nil
	}
	var (
		declared = declaredExceptions[method]
		msg      = err.Error()
		try      []exc
	)
	if method == methodPartsByFilterReq {
		declared = excMeta | excNoSuchObject
	}
	switch {
	case errors.Is(err, catalog.ErrNotFound):
		try = []exc{excNoSuchObject, excUnknownDB, excUnknownTable, excInvalidOperation}
		if strings.HasPrefix(msg, "Table not found") {
			try = []exc{excNoSuchObject, excUnknownTable, excUnknownDB, excInvalidOperation}
		}
	case errors.Is(err, catalog.ErrAlreadyExists):
		try = []exc{excAlreadyExists, excInvalidOperation}
	case errors.Is(err, catalog.ErrInvalidObject):
		try = []exc{excInvalidObject, excInvalidOperation, excInvalidInput}
	case errors.Is(err, catalog.ErrInvalidOperation):
		try = []exc{excInvalidOperation, excInvalidObject}
	}
	for _, e := range append(try, excMeta) {
		if declared&e == 0 {
			continue
		}
		switch e {
		case excMeta:
			return &hive_metastore.MetaException{Message: msg}
		case excNoSuchObject:
			return &hive_metastore.NoSuchObjectException{Message: msg}
		case excAlreadyExists:
			return &hive_metastore.AlreadyExistsException{Message: msg}
		case excInvalidObject:
			return &hive_metastore.InvalidObjectException{Message: msg}
		case excInvalidOperation:
			return &hive_metastore.InvalidOperationException{Message: msg}
		case excUnknownDB:
			return &hive_metastore.UnknownDBException{Message: msg}
		case excUnknownTable:
			return &hive_metastore.UnknownTableException{Message: msg}
		case excInvalidInput:
			return &hive_metastore.InvalidInputException{Message: msg}
		}
	}
	return err
}

// metaErr returns a MetaException-kind error (an internal error in catalog
// terms) with msg.
func metaErr(msg string) error { return errors.New(msg) }

// fromThrift turns an error of a client call into a catalog error: each HMS
// exception maps back to its kind (the reverse of toThrift). Because a
// method may only throw what its IDL declares, a Java or Waggle HMS reports
// some "not found" and "already exists" cases as InvalidOperationException
// or MetaException; the catalog's own message texts ("... does not exist",
// "Table not found: ...", "... already exists") recover the kind then.
func fromThrift(err error) error {
	if err == nil {
		return nil
	}
	var (
		kind error
		msg  string
	)
	switch e := err.(type) {
	case *hive_metastore.NoSuchObjectException:
		kind, msg = catalog.ErrNotFound, e.Message
	case *hive_metastore.UnknownDBException:
		kind, msg = catalog.ErrNotFound, e.Message
	case *hive_metastore.UnknownTableException:
		kind, msg = catalog.ErrNotFound, e.Message
	case *hive_metastore.UnknownPartitionException:
		kind, msg = catalog.ErrNotFound, e.Message
	case *hive_metastore.AlreadyExistsException:
		kind, msg = catalog.ErrAlreadyExists, e.Message
	case *hive_metastore.InvalidObjectException:
		kind, msg = catalog.ErrInvalidObject, e.Message
	case *hive_metastore.InvalidInputException:
		kind, msg = catalog.ErrInvalidObject, e.Message
	case *hive_metastore.InvalidOperationException:
		kind, msg = catalog.ErrInvalidOperation, e.Message
		if k := kindFromMessage(msg); k != nil {
			kind = k
		}
	case *hive_metastore.MetaException:
		msg = e.Message
		if k := kindFromMessage(msg); k != nil {
			return &catalog.Error{Kind: k, Msg: msg}
		}
		return &remoteError{msg: msg}
	default:
		return err
	}
	return &catalog.Error{Kind: kind, Msg: msg}
}

// kindFromMessage recognises the catalog's (and Hive's) not-found and
// already-exists message texts.
func kindFromMessage(msg string) error {
	switch {
	case strings.HasPrefix(msg, "Database does not exist"), strings.HasPrefix(msg, "Table not found"),
		strings.HasPrefix(msg, "Partition not found"), strings.HasSuffix(msg, " does not exist"),
		strings.Contains(msg, "doesn't exist"):
		return catalog.ErrNotFound
	case strings.HasSuffix(msg, " already exists"), strings.HasPrefix(msg, "Partition already exists"):
		return catalog.ErrAlreadyExists
	}
	return nil
}

// remoteError is a MetaException (an error without a catalog kind) from a
// remote metastore.
type remoteError struct{ msg string }

func (e *remoteError) Error() string { return "MetaException: " + e.msg }

// isUnknownMethod reports whether err is the UNKNOWN_METHOD answer of a
// server that does not implement the called method.
func isUnknownMethod(err error) bool {
	var ae thrift.TApplicationException
	return errors.As(err, &ae) && ae.TypeId() == thrift.UNKNOWN_METHOD
}

// isBrokenConnection reports whether err means the connection is no longer
// usable (a transport failure or a protocol desynchronisation), so the call
// may be retried on a new connection.
func isBrokenConnection(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var te thrift.TTransportException
	if errors.As(err, &te) {
		return true
	}
	var pe thrift.TProtocolException
	return errors.As(err, &pe)
}
