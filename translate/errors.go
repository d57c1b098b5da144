package translate

import (
	"fmt"

	"github.com/waggle-dev/waggle/hiveql/token"
)

// Error is a semantic error in a query, worded like Hive's SemanticException texts
// (`Invalid table alias or column reference 'x': (possible column names are: key, value)`). Pos is the
// byte offset, in the statement text, of the construct the error is about.
type Error struct {
	Pos token.Pos
	Msg string
}

func (e *Error) Error() string { return e.Msg }

func errorf(pos token.Pos, format string, args ...any) error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
