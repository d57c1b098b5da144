package engine

import (
	"errors"
	"fmt"

	"github.com/waggle-dev/waggle/hiveql/parser"
	"github.com/waggle-dev/waggle/script"
)

// Error kinds, printed as Hive prints them: `FAILED: <Kind>Exception <position>: <message>`.
const (
	KindParse       = "Parse"       // the statement does not parse
	KindSemantic    = "Semantic"    // names, types, unsupported constructs, catalog conflicts
	KindExecution   = "Execution"   // failures while running (I/O, DuckDB errors)
	KindUnsupported = "Unsupported" // valid HiveQL the embedded engine does not run (with a pointer to what does)
	KindCancelled   = "Cancelled"
)

// Error is a statement failure with the position in the user's file.
type Error struct {
	Kind string
	Pos  script.Position
	Msg  string
	Err  error // the underlying error, if any
}

func (e *Error) Error() string {
	if e.Pos.IsValid() {
		return e.Pos.String() + ": " + e.Msg
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// describeError renders err for a FAILED: line.
func describeError(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return fmt.Sprintf("%sException %s", e.Kind, e.Error())
	}
	return "ExecutionException " + err.Error()
}

// parseError maps parser errors (offsets into the substituted text) to the user's file; several
// errors are joined one per line.
func parseError(sub *script.Substituted, err error) error {
	var list parser.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		first := list[0]
		msg := first.Msg
		for _, e := range list[1:] {
			msg += "\n" + sub.Position(int(e.Pos)).String() + ": " + e.Msg
		}
		return &Error{Kind: KindParse, Pos: sub.Position(int(first.Pos)), Msg: msg, Err: err}
	}
	var one *parser.Error
	if errors.As(err, &one) {
		return &Error{Kind: KindParse, Pos: sub.Position(int(one.Pos)), Msg: one.Msg, Err: err}
	}
	return &Error{Kind: KindParse, Pos: sub.Stmt.Pos(), Msg: err.Error(), Err: err}
}
