package translate

import (
	"errors"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/parser"
)

// view parses and translates a view's query in its own context (the referencing query's CTEs are not
// visible inside it); its columns take the view's column names.
func (t *translator) view(tbl *Table, ref *ast.TableName) (*qresult, error) {
	if t.views > 32 {
		return nil, errorf(ref.Pos(), "view %s.%s refers to itself", tbl.DB, tbl.Name)
	}
	q, err := parser.ParseQuery(tbl.ViewText)
	if err != nil {
		return nil, errorf(ref.Pos(), "cannot parse the text of view %s.%s: %v", tbl.DB, tbl.Name, err)
	}
	saved := t.ctes
	t.ctes = nil
	t.views++
	defer func() { t.ctes = saved; t.views-- }()
	r, err := t.query(q, nil)
	if err != nil {
		var te *Error
		if errors.As(err, &te) {
			return nil, errorf(ref.Pos(), "in view %s.%s: %s", tbl.DB, tbl.Name, te.Msg)
		}
		return nil, err
	}
	if len(tbl.Columns) == len(r.cols) {
		cols := make([]Column, len(r.cols))
		for i := range r.cols {
			cols[i] = Column{Name: lower(tbl.Columns[i].Name), Type: r.cols[i].Type}
		}
		r.cols = cols
	}
	return r, nil
}
