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
	// narrowKey marks a VARCHAR in an index too wide for MySQL's 3072-byte key
	// limit in utf8mb4 (767 characters plus a bigint): MySQL stores it in
	// utf8mb3 (3 bytes per character, the whole Basic Multilingual Plane).
	// Hive's own MySQL script uses latin1 there.
	narrowKey bool
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
	// indexExists is a query with two placeholders (table, index) that
	// returns a row iff the index exists.
	indexExists string
	// columnExists is a query with two placeholders (table, column) that
	// returns a row iff the column exists.
	columnExists string
	// narrowKeyType renders a narrowKey VARCHAR; nil means types().
	narrowKeyType func(size int) string
	// transactionalDDL reports whether DDL runs inside a transaction (SQLite,
	// PostgreSQL) rather than committing implicitly (MySQL).
	transactionalDDL bool
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
		quoteChar:        '"',
		falseLit:         "0",
		tableExists:      `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`,
		indexExists:      `SELECT 1 FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?`,
		columnExists:     `SELECT 1 FROM pragma_table_info(?) WHERE name = ?`,
		transactionalDDL: true,
		boolArg: func(b bool) any {
			if b {
				return 1
			}
			return 0
		},
	}
}

// mysqlDialect is MySQL 8 / MariaDB 10.5+ with InnoDB. Tables default to
// utf8mb4 with the binary collation, so names compare case-sensitively and
// sort by code point as in Hive's latin1_bin columns; booleans are BIT(1)
// and long texts MEDIUMTEXT as in Hive's MySQL scripts.
func mysqlDialect() dialect {
	return dialect{
		name: "mysql",
		types: func(t colType, size int) string {
			switch t {
			case tBigint:
				return "BIGINT"
			case tInt:
				return "INT"
			case tVarchar:
				return fmt.Sprintf("VARCHAR(%d)", size)
			case tText:
				return "MEDIUMTEXT"
			case tBool:
				return "BIT(1)"
			}
			panic("unknown column type")
		},
		narrowKeyType: func(size int) string {
			return fmt.Sprintf("VARCHAR(%d) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin", size)
		},
		quoteChar:    '`',
		forUpdate:    " FOR UPDATE",
		falseLit:     "0",
		tableSuffix:  " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
		tableExists:  `SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`,
		indexExists:  `SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ? LIMIT 1`,
		columnExists: `SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?`,
		boolArg: func(b bool) any {
			if b {
				return 1
			}
			return 0
		},
	}
}

// postgresDialect is PostgreSQL 12+ with Hive's quoted upper-case
// identifiers ("DBS"."NAME"), so `select "NAME" from "DBS"` works as on a
// Java HMS database.
func postgresDialect() dialect {
	return dialect{
		name: "postgres",
		types: func(t colType, size int) string {
			switch t {
			case tBigint:
				return "BIGINT"
			case tInt:
				return "INTEGER"
			case tVarchar:
				return fmt.Sprintf("CHARACTER VARYING(%d)", size)
			case tText:
				return "TEXT"
			case tBool:
				return "BOOLEAN"
			}
			panic("unknown column type")
		},
		quoteChar:        '"',
		dollarParams:     true,
		forUpdate:        " FOR UPDATE",
		falseLit:         "false",
		tableExists:      `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`,
		indexExists:      `SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname = $2`,
		columnExists:     `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`,
		transactionalDDL: true,
		boolArg:          func(b bool) any { return b },
	}
}

// colType renders a column's type.
func (d dialect) colType(c colDef) string {
	if c.narrowKey && d.narrowKeyType != nil && c.typ == tVarchar {
		return d.narrowKeyType(c.size)
	}
	return d.types(c.typ, c.size)
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
	return append([]string{d.createTableOnly(t)}, d.createIndexes(t)...)
}

// createTableOnly renders the CREATE TABLE statement.
func (d dialect) createTableOnly(t tableDef) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (\n", quote(t.name))
	for i, c := range t.cols {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "  %s %s", quote(c.name), d.colType(c))
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
	return d.rebind(b.String())
}

// createIndexes renders the CREATE INDEX statements of a table.
func (d dialect) createIndexes(t tableDef) []string {
	var stmts []string
	for _, ix := range t.indexes {
		stmts = append(stmts, d.createIndex(t.name, ix))
	}
	return stmts
}

func (d dialect) createIndex(table string, ix uniqueDef) string {
	return d.rebind(fmt.Sprintf("CREATE INDEX %s ON %s (%s)", quote(ix.name), quote(table), quoteList(ix.cols)))
}

// addColumn renders ALTER TABLE ... ADD COLUMN.
func (d dialect) addColumn(table string, c colDef) string {
	s := fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", quote(table), quote(c.name), d.colType(c))
	if c.notNull {
		s += " NOT NULL"
	}
	if c.def != "" {
		s += " DEFAULT " + c.def
	}
	return d.rebind(s)
}
