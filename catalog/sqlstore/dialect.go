package sqlstore

import (
	"fmt"
	"strconv"
	"strings"
)

// colType is a portable column type; each dialect renders it.
type colType int

const (
	tBigint colType = iota
	tInt
	tVarchar // size in colDef.size
	tText    // long text (MySQL mediumtext, PostgreSQL/SQLite text)
	tBool
)

type colDef struct {
	name    string
	typ     colType
	size    int
	notNull bool
	def     string // SQL default literal, "" for none
}

type fkDef struct {
	name    string
	cols    []string
	refTab  string
	refCols []string
}

type uniqueDef struct {
	name string
	cols []string
}

type tableDef struct {
	name    string
	cols    []colDef
	pk      []string
	uniques []uniqueDef
	fks     []fkDef
	indexes []uniqueDef // non-unique indexes
}

// dialect holds everything that differs between database systems.
type dialect struct {
	name string
	// types renders a column type.
	types func(t colType, size int) string
	// quoteChar is the identifier quote the database expects; queries are
	// written with '"' and rewritten when it differs (MySQL: '`').
	quoteChar byte
	// dollarParams rewrites '?' to $1, $2, ... (PostgreSQL).
	dollarParams bool
	// forUpdate is appended to SELECTs that read a row to update it (locking
	// SEQUENCE_TABLE rows); "" where the transaction already holds the write
	// lock (SQLite BEGIN IMMEDIATE).
	forUpdate string
	// tableExists is a query with one placeholder (the table name) that
	// returns a row iff the table exists.
	tableExists string
	// boolArg converts a Go bool to the value the driver stores.
	boolArg func(b bool) any
	// tableSuffix ends CREATE TABLE (e.g. MySQL engine/charset).
	tableSuffix string
	// falseLit is the DDL default literal for a false boolean column.
	falseLit string
}

func sqliteDialect() dialect {
	return dialect{
		name: "sqlite",
		types: func(t colType, size int) string {
			switch t {
			case tBigint:
				return "BIGINT"
			case tInt:
				return "INTEGER"
			case tVarchar:
				return fmt.Sprintf("VARCHAR(%d)", size)
			case tText:
				return "TEXT"
			case tBool:
				return "BOOLEAN"
			}
			panic("unknown column type")
		},
		quoteChar:   '"',
		falseLit:    "0",
		tableExists: `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`,
		boolArg: func(b bool) any {
			if b {
				return 1
			}
			return 0
		},
	}
}

// rebind rewrites a query written with '"' identifiers and '?' placeholders
// into the dialect's form. Queries must not contain '?' or '"' inside string
// literals.
func (d dialect) rebind(q string) string {
	if d.quoteChar == '"' && !d.dollarParams {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '"' && d.quoteChar != '"':
			b.WriteByte(d.quoteChar)
		case c == '?' && d.dollarParams:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// quote quotes an identifier in the standard form used by all queries.
func quote(ident string) string { return `"` + ident + `"` }

func quoteList(idents []string) string {
	q := make([]string, len(idents))
	for i, id := range idents {
		q[i] = quote(id)
	}
	return strings.Join(q, ", ")
}

// createTable renders CREATE TABLE (and CREATE INDEX) statements.
func (d dialect) createTable(t tableDef) []string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (\n", quote(t.name))
	for i, c := range t.cols {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "  %s %s", quote(c.name), d.types(c.typ, c.size))
		if c.notNull {
			b.WriteString(" NOT NULL")
		}
		if c.typ == tBool && c.def == "false" {
			b.WriteString(" DEFAULT " + d.falseLit)
		} else if c.def != "" {
			b.WriteString(" DEFAULT " + c.def)
		}
	}
	if len(t.pk) > 0 {
		fmt.Fprintf(&b, ",\n  PRIMARY KEY (%s)", quoteList(t.pk))
	}
	for _, u := range t.uniques {
		fmt.Fprintf(&b, ",\n  CONSTRAINT %s UNIQUE (%s)", quote(u.name), quoteList(u.cols))
	}
	for _, f := range t.fks {
		fmt.Fprintf(&b, ",\n  CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s)",
			quote(f.name), quoteList(f.cols), quote(f.refTab), quoteList(f.refCols))
	}
	b.WriteString("\n)" + d.tableSuffix)
	stmts := []string{d.rebind(b.String())}
	for _, ix := range t.indexes {
		stmts = append(stmts, d.rebind(fmt.Sprintf("CREATE INDEX %s ON %s (%s)", quote(ix.name), quote(t.name), quoteList(ix.cols))))
	}
	return stmts
}

// addColumn renders ALTER TABLE ... ADD COLUMN.
func (d dialect) addColumn(table string, c colDef) string {
	s := fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", quote(table), quote(c.name), d.types(c.typ, c.size))
	if c.notNull {
		s += " NOT NULL"
	}
	if c.def != "" {
		s += " DEFAULT " + c.def
	}
	return d.rebind(s)
}
