package parser

import (
	"strings"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/token"
)

func (p *parser) parseCreate() ast.Stmt {
	from := p.next().pos
	orReplace := false
	if p.tok() == token.KW_OR {
		p.next()
		p.expect(token.KW_REPLACE, "REPLACE after CREATE OR")
		orReplace = true
	}
	temporary := p.got(token.KW_TEMPORARY) || p.gotWord("temp")
	external := p.got(token.KW_EXTERNAL)
	switch p.tok() {
	case token.KW_TABLE:
		if orReplace {
			p.errorAt(from, "syntax error: CREATE OR REPLACE TABLE is not supported; use DROP TABLE and CREATE TABLE")
		}
		return p.parseCreateTable(from, temporary, external)
	case token.KW_VIEW:
		return p.parseCreateView(from, orReplace, temporary)
	case token.KW_DATABASE, token.KW_SCHEMA:
		return p.parseCreateDatabase(from)
	case token.KW_FUNCTION:
		p.next()
		st := &ast.CreateFunctionStmt{Temporary: temporary, OrReplace: orReplace, IfNotExists: p.gotIfNotExists()}
		st.Name = p.parseObjectName("a function name")
		p.expect(token.KW_AS, "AS 'class name'")
		st.Class = p.parseString("a class name string")
		if p.got(token.KW_USING) {
			for {
				rf := p.pos()
				kind := resourceKind(p.cur().lit)
				if kind == "" || !anyIdent(p.tok()) {
					p.errorExpected("JAR, FILE or ARCHIVE")
				}
				p.next()
				uri := p.parseString("a resource path string")
				st.Resources = append(st.Resources, &ast.Resource{Span: p.span(rf), Kind: kind, URI: uri})
				if !p.got(token.COMMA) {
					break
				}
			}
		}
		st.Span = p.span(from)
		return st
	case token.KW_MACRO:
		p.next()
		if !temporary {
			p.errorAt(from, "syntax error: a macro must be TEMPORARY: CREATE TEMPORARY MACRO")
		}
		st := &ast.CreateMacroStmt{Name: p.parseIdent("a macro name")}
		open := p.expect(token.LPAREN, "'(' after the macro name").pos
		if p.tok() != token.RPAREN {
			for {
				st.Params = append(st.Params, p.parseColumnDef(false))
				if !p.got(token.COMMA) {
					break
				}
			}
		}
		p.expectClose(token.RPAREN, open, "(")
		st.Body = p.parseExpr()
		st.Span = p.span(from)
		return st
	}
	p.errorExpected("TABLE, VIEW, DATABASE, FUNCTION or TEMPORARY MACRO after CREATE")
	return nil
}

func (p *parser) parseCreateDatabase(from token.Pos) ast.Stmt {
	st := &ast.CreateDatabaseStmt{Schema: p.next().tok == token.KW_SCHEMA, IfNotExists: p.gotIfNotExists()}
	st.Name = p.parseIdent("a database name")
	for {
		switch {
		case p.got(token.KW_COMMENT):
			st.Comment = p.parseString("a comment string")
		case p.got(token.KW_LOCATION):
			st.Location = p.parseString("a location string")
		case p.got(token.KW_MANAGEDLOCATION):
			st.ManagedLocation = p.parseString("a location string")
		case p.tok() == token.KW_WITH && p.peek(1) == token.KW_DBPROPERTIES:
			p.i += 2
			st.Props = p.parseProperties(false)
		default:
			st.Span = p.span(from)
			return st
		}
	}
}

func (p *parser) parseCreateTable(from token.Pos, temporary, external bool) ast.Stmt {
	p.next() // TABLE
	st := &ast.CreateTableStmt{Temporary: temporary, External: external, IfNotExists: p.gotIfNotExists()}
	if !canIdent(p.tok()) {
		if p.tok() == token.EOF {
			p.errorAt(p.prevEnd(), "missing table name after CREATE TABLE")
		}
		p.errorAt(p.pos(), "missing table name after CREATE TABLE: unexpected "+describe(p.cur()))
	}
	st.Name = p.parseObjectName("a table name")
	if p.tok() == token.LPAREN && !p.parenStartsQuery() {
		open := p.next().pos
		for {
			if c := p.tryTableConstraint(); c != nil {
				st.Constraints = append(st.Constraints, c)
			} else {
				st.Columns = append(st.Columns, p.parseColumnDef(true))
			}
			if !p.got(token.COMMA) {
				break
			}
		}
		p.expectClose(token.RPAREN, open, "(")
	}
	for {
		switch {
		case p.got(token.KW_LIKE):
			st.Like = p.parseObjectName("a table name after LIKE")
		case p.got(token.KW_COMMENT):
			st.Comment = p.parseString("a comment string")
		case p.tok() == token.KW_PARTITIONED:
			p.next()
			p.expect(token.KW_BY, "BY after PARTITIONED")
			p.parsePartitionedBy(st)
		case p.tok() == token.KW_CLUSTERED:
			st.ClusteredBy = p.parseBucketing()
		case p.tok() == token.KW_SKEWED:
			st.SkewedBy = p.parseSkewed()
		case p.tok() == token.KW_ROW:
			st.RowFormat = p.parseRowFormat()
		case p.tok() == token.KW_STORED:
			sf := p.next().pos
			if p.got(token.KW_BY) {
				sb := &ast.StoredBy{Handler: p.parseString("a storage handler class string")}
				if p.tok() == token.KW_WITH && p.peek(1) == token.KW_SERDEPROPERTIES {
					p.i += 2
					sb.SerdeProps = p.parseProperties(false)
				}
				sb.Span = p.span(sf)
				st.StoredBy = sb
			} else {
				p.expect(token.KW_AS, "AS or BY after STORED")
				st.StoredAs = p.parseStoredAsBody(sf)
			}
		case p.got(token.KW_LOCATION):
			st.Location = p.parseString("a location string")
		case p.got(token.KW_TBLPROPERTIES):
			st.TblProps = p.parseProperties(false)
		case p.got(token.KW_USING):
			st.Using = p.parseAnyIdent("a data source name after USING")
		case p.got(token.KW_OPTIONS):
			st.Options = p.parseProperties(true)
		case p.got(token.KW_AS):
			st.AsQuery = p.parseQuery()
		case p.tok() == token.KW_SELECT || p.tok() == token.KW_WITH:
			// Spark allows CREATE TABLE t SELECT ...? No: require AS, with a helpful message.
			p.errorAt(p.pos(), "syntax error: missing AS before the query of CREATE TABLE ... AS SELECT")
		default:
			st.Span = p.span(from)
			if st.Columns == nil && st.Like == nil && st.AsQuery == nil && st.Using == nil && st.Location == nil && st.StoredBy == nil {
				if p.tok() == token.EOF {
					p.errorAt(p.prevEnd(), "syntax error: CREATE TABLE needs a column list, LIKE or AS query")
				}
				p.errorExpected("a column list, LIKE, AS or a table clause")
			}
			return st
		}
	}
}

func (p *parser) parsePartitionedBy(st *ast.CreateTableStmt) {
	open := p.expect(token.LPAREN, "'(' after PARTITIONED BY").pos
	for {
		if p.peek(1) == token.COMMA || p.peek(1) == token.RPAREN {
			if st.PartitionedBy != nil {
				p.errorAt(p.peekItem(1).pos, "syntax error: partition column "+p.cur().lit+" needs a type, like the others")
			}
			st.PartitionedByNames = append(st.PartitionedByNames, p.parseAnyIdent("a partition column name"))
		} else {
			if st.PartitionedByNames != nil {
				p.errorAt(p.pos(), "syntax error: mix of typed and untyped partition columns")
			}
			st.PartitionedBy = append(st.PartitionedBy, p.parseColumnDef(true))
		}
		if !p.got(token.COMMA) {
			break
		}
	}
	p.expectClose(token.RPAREN, open, "(")
}

// parseColumnDef parses `name type [constraints] [COMMENT '...']`.
func (p *parser) parseColumnDef(allowConstraints bool) *ast.ColumnDef {
	from := p.pos()
	c := &ast.ColumnDef{Name: p.parseAnyIdent("a column name")}
	if p.tok() == token.COMMA || p.tok() == token.RPAREN || p.tok() == token.EOF {
		p.errorAt(p.pos(), "column "+c.Name.Name+" needs a type, e.g. "+c.Name.Name+" STRING")
	}
	c.Type = p.parseType()
	for {
		if p.got(token.KW_COMMENT) {
			c.Comment = p.parseString("a comment string")
			continue
		}
		if allowConstraints {
			if cc := p.tryColumnConstraint(); cc != nil {
				c.Constraints = append(c.Constraints, cc)
				continue
			}
		}
		break
	}
	c.Span = p.span(from)
	return c
}

// isConstraintOption reports whether w (upper case) may follow a constraint.
func isConstraintOption(w string) bool {
	switch w {
	case "ENABLE", "DISABLE", "VALIDATE", "NOVALIDATE", "RELY", "NORELY", "ENFORCED":
		return true
	}
	return false
}

func (p *parser) parseConstraintOptions() []string {
	var opts []string
	for {
		switch {
		case anyIdent(p.tok()) && isConstraintOption(strings.ToUpper(p.cur().lit)):
			opts = append(opts, strings.ToUpper(p.next().lit))
		case p.tok() == token.KW_NOT && p.peek(1) == token.KW_ENFORCED:
			p.i += 2
			opts = append(opts, "NOT ENFORCED")
		default:
			return opts
		}
	}
}

func (p *parser) tryColumnConstraint() *ast.ColumnConstraint {
	from := p.pos()
	c := &ast.ColumnConstraint{}
	if p.tok() == token.KW_CONSTRAINT {
		p.next()
		c.Name = p.parseIdent("a constraint name")
	}
	switch {
	case p.tok() == token.KW_PRIMARY:
		p.next()
		p.expect(token.KW_KEY, "KEY after PRIMARY")
		c.Kind = "PRIMARY KEY"
	case p.tok() == token.KW_UNIQUE:
		p.next()
		c.Kind = "UNIQUE"
	case p.tok() == token.KW_NOT && p.peek(1) == token.KW_NULL:
		p.i += 2
		c.Kind = "NOT NULL"
	case p.tok() == token.KW_DEFAULT:
		p.next()
		c.Kind = "DEFAULT"
		c.Expr = p.parseBitOr()
	case p.tok() == token.KW_CHECK:
		p.next()
		c.Kind = "CHECK"
		open := p.expect(token.LPAREN, "'(' after CHECK").pos
		c.Expr = p.parseExpr()
		p.expectClose(token.RPAREN, open, "(")
	case p.tok() == token.KW_REFERENCES:
		p.next()
		c.Kind = "REFERENCES"
		c.Ref = p.parseObjectName("a table name")
		c.RefCols = p.parseParenIdents("a column name")
	default:
		if c.Name != nil {
			p.errorExpected("PRIMARY KEY, UNIQUE, NOT NULL, DEFAULT, CHECK or REFERENCES")
		}
		return nil
	}
	c.Options = p.parseConstraintOptions()
	c.Span = p.span(from)
	return c
}

// tryTableConstraint parses a table constraint in a column list, or returns nil if the next item is a
// column.
func (p *parser) tryTableConstraint() *ast.TableConstraint {
	from := p.pos()
	switch {
	case p.tok() == token.KW_CONSTRAINT:
	case p.tok() == token.KW_PRIMARY && p.peek(1) == token.KW_KEY:
	case p.tok() == token.KW_FOREIGN && p.peek(1) == token.KW_KEY:
	case (p.tok() == token.KW_UNIQUE || p.tok() == token.KW_CHECK) && p.peek(1) == token.LPAREN:
	default:
		return nil
	}
	c := &ast.TableConstraint{}
	if p.got(token.KW_CONSTRAINT) {
		c.Name = p.parseIdent("a constraint name")
	}
	switch p.tok() {
	case token.KW_PRIMARY:
		p.next()
		p.expect(token.KW_KEY, "KEY after PRIMARY")
		c.Kind = "PRIMARY KEY"
		c.Columns = p.parseParenIdents("a column name")
	case token.KW_FOREIGN:
		p.next()
		p.expect(token.KW_KEY, "KEY after FOREIGN")
		c.Kind = "FOREIGN KEY"
		c.Columns = p.parseParenIdents("a column name")
		p.expect(token.KW_REFERENCES, "REFERENCES")
		c.Ref = p.parseObjectName("a table name")
		c.RefCols = p.parseParenIdents("a column name")
	case token.KW_UNIQUE:
		p.next()
		c.Kind = "UNIQUE"
		c.Columns = p.parseParenIdents("a column name")
	case token.KW_CHECK:
		p.next()
		c.Kind = "CHECK"
		open := p.expect(token.LPAREN, "'(' after CHECK").pos
		c.Expr = p.parseExpr()
		p.expectClose(token.RPAREN, open, "(")
	default:
		p.errorExpected("PRIMARY KEY, FOREIGN KEY, UNIQUE or CHECK")
	}
	c.Options = p.parseConstraintOptions()
	c.Span = p.span(from)
	return c
}

func (p *parser) parseBucketing() *ast.Bucketing {
	from := p.next().pos // CLUSTERED
	p.expect(token.KW_BY, "BY after CLUSTERED")
	b := &ast.Bucketing{Columns: p.parseParenIdents("a column name")}
	if p.got(token.KW_SORTED) {
		p.expect(token.KW_BY, "BY after SORTED")
		open := p.expect(token.LPAREN, "'('").pos
		b.SortedBy = p.parseOrderItems()
		p.expectClose(token.RPAREN, open, "(")
	}
	p.expect(token.KW_INTO, "INTO n BUCKETS")
	b.Buckets = p.parseNumber("a number of buckets")
	p.expect(token.KW_BUCKETS, "BUCKETS")
	b.Span = p.span(from)
	return b
}

func (p *parser) parseSkewed() *ast.Skewed {
	from := p.next().pos // SKEWED
	p.expect(token.KW_BY, "BY after SKEWED")
	s := &ast.Skewed{Columns: p.parseParenIdents("a column name")}
	p.expect(token.KW_ON, "ON")
	open := p.expect(token.LPAREN, "'('").pos
	for {
		if p.tok() == token.LPAREN {
			o := p.next().pos
			s.Values = append(s.Values, p.parseExprList())
			p.expectClose(token.RPAREN, o, "(")
		} else {
			s.Values = append(s.Values, []ast.Expr{p.parseExpr()})
		}
		if !p.got(token.COMMA) {
			break
		}
	}
	p.expectClose(token.RPAREN, open, "(")
	if p.tok() == token.KW_STORED && p.peek(1) == token.KW_AS && p.peek(2) == token.KW_DIRECTORIES {
		p.i += 3
		s.AsDirectories = true
	}
	s.Span = p.span(from)
	return s
}

// parseRowFormat parses ROW FORMAT DELIMITED ... | ROW FORMAT SERDE '...' [WITH SERDEPROPERTIES (...)].
func (p *parser) parseRowFormat() *ast.RowFormat {
	from := p.next().pos // ROW
	p.expect(token.KW_FORMAT, "FORMAT after ROW")
	rf := &ast.RowFormat{}
	switch p.tok() {
	case token.KW_SERDE:
		p.next()
		rf.Serde = p.parseString("a SerDe class string")
		if p.tok() == token.KW_WITH && p.peek(1) == token.KW_SERDEPROPERTIES {
			p.i += 2
			rf.SerdeProps = p.parseProperties(false)
		}
	case token.KW_DELIMITED:
		p.next()
		for {
			switch {
			case p.got(token.KW_FIELDS):
				p.expect(token.KW_TERMINATED, "TERMINATED BY")
				p.expect(token.KW_BY, "BY")
				rf.FieldsTerm = p.parseString("a separator string")
				if p.got(token.KW_ESCAPED) {
					p.expect(token.KW_BY, "BY")
					rf.FieldsEscape = p.parseString("an escape character string")
				}
			case p.got(token.KW_COLLECTION):
				p.expect(token.KW_ITEMS, "ITEMS")
				p.expect(token.KW_TERMINATED, "TERMINATED BY")
				p.expect(token.KW_BY, "BY")
				rf.CollectionTerm = p.parseString("a separator string")
			case p.tok() == token.KW_MAP && p.peek(1) == token.KW_KEYS:
				p.i += 2
				p.expect(token.KW_TERMINATED, "TERMINATED BY")
				p.expect(token.KW_BY, "BY")
				rf.MapKeysTerm = p.parseString("a separator string")
			case p.got(token.KW_LINES):
				p.expect(token.KW_TERMINATED, "TERMINATED BY")
				p.expect(token.KW_BY, "BY")
				rf.LinesTerm = p.parseString("a separator string")
			case p.tok() == token.KW_NULL && p.peek(1) == token.KW_DEFINED:
				p.i += 2
				p.expect(token.KW_AS, "AS")
				rf.NullDefinedAs = p.parseString("a string")
			default:
				rf.Span = p.span(from)
				return rf
			}
		}
	default:
		p.errorExpected("DELIMITED or SERDE after ROW FORMAT")
	}
	rf.Span = p.span(from)
	return rf
}

// parseStoredAsBody parses what follows STORED AS (or SET FILEFORMAT): a format name or INPUTFORMAT '...'
// OUTPUTFORMAT '...'.
func (p *parser) parseStoredAsBody(from token.Pos) *ast.StoredAs {
	s := &ast.StoredAs{}
	if p.got(token.KW_INPUTFORMAT) {
		s.InputFormat = p.parseString("an input format class string")
		p.expect(token.KW_OUTPUTFORMAT, "OUTPUTFORMAT")
		s.OutputFormat = p.parseString("an output format class string")
	} else {
		s.Format = p.parseAnyIdent("a file format (TEXTFILE, PARQUET, ORC, ...)")
	}
	s.Span = p.span(from)
	return s
}

// parseProperties parses ('k'='v', ...). Spark's OPTIONS (bare = true) also accepts bare dotted keys and
// a missing '='.
func (p *parser) parseProperties(bare bool) []*ast.Property {
	open := p.expect(token.LPAREN, "'('").pos
	var props []*ast.Property
	for p.tok() != token.RPAREN {
		from := p.pos()
		pr := &ast.Property{}
		switch {
		case p.tok() == token.STRING:
			pr.Key = p.parseStringLit()
		case bare && anyIdent(p.tok()):
			kf := p.pos()
			var b strings.Builder
			b.WriteString(p.makeIdent(p.next()).Name)
			for p.tok() == token.DOT && anyIdent(p.peek(1)) {
				p.next()
				b.WriteByte('.')
				b.WriteString(p.makeIdent(p.next()).Name)
			}
			pr.Key = &ast.StringLit{Span: p.span(kf), Value: b.String()}
			pr.KeyIdent = true
		default:
			p.errorExpected("a property key string")
		}
		if p.got(token.EQ) || bare && p.tok() != token.COMMA && p.tok() != token.RPAREN {
			pr.Value = p.parsePropertyValue()
		} else {
			p.errorExpected("'=' after the property key")
		}
		pr.Span = p.span(from)
		props = append(props, pr)
		if !p.got(token.COMMA) {
			break
		}
	}
	p.expectClose(token.RPAREN, open, "(")
	return props
}

// parsePropertyValue parses a property value: a string, or (Spark) a number, boolean or word, kept as
// written.
func (p *parser) parsePropertyValue() *ast.StringLit {
	switch t := p.tok(); {
	case t == token.STRING:
		return p.parseStringLit()
	case t == token.INTEGER || t == token.NUMBER || t == token.KW_TRUE || t == token.KW_FALSE || t == token.IDENT:
		it := p.next()
		return &ast.StringLit{Span: ast.Span{From: it.pos, To: it.end}, Raw: []string{it.lit}, Value: it.lit}
	}
	p.errorExpected("a property value string")
	return nil
}

func (p *parser) parseCreateView(from token.Pos, orReplace, temporary bool) ast.Stmt {
	p.next() // VIEW
	st := &ast.CreateViewStmt{OrReplace: orReplace, Temporary: temporary, IfNotExists: p.gotIfNotExists()}
	st.Name = p.parseObjectName("a view name")
	if p.tok() == token.LPAREN {
		open := p.next().pos
		for {
			cf := p.pos()
			c := &ast.ViewColumn{Name: p.parseAnyIdent("a column name")}
			if p.got(token.KW_COMMENT) {
				c.Comment = p.parseString("a comment string")
			}
			c.Span = p.span(cf)
			st.Columns = append(st.Columns, c)
			if !p.got(token.COMMA) {
				break
			}
		}
		p.expectClose(token.RPAREN, open, "(")
	}
	for {
		switch {
		case p.got(token.KW_COMMENT):
			st.Comment = p.parseString("a comment string")
		case p.got(token.KW_TBLPROPERTIES):
			st.TblProps = p.parseProperties(false)
		default:
			p.expect(token.KW_AS, "AS query")
			st.Query = p.parseQuery()
			st.Span = p.span(from)
			return st
		}
	}
}

func (p *parser) parseDrop() ast.Stmt {
	from := p.next().pos
	temporary := p.got(token.KW_TEMPORARY)
	switch p.tok() {
	case token.KW_DATABASE, token.KW_SCHEMA:
		st := &ast.DropDatabaseStmt{Schema: p.next().tok == token.KW_SCHEMA, IfExists: p.gotIfExists()}
		st.Name = p.parseIdent("a database name")
		st.Cascade = p.got(token.KW_CASCADE)
		if !st.Cascade {
			st.Restrict = p.got(token.KW_RESTRICT)
		}
		st.Span = p.span(from)
		return st
	case token.KW_TABLE, token.KW_VIEW:
		st := &ast.DropTableStmt{View: p.next().tok == token.KW_VIEW, IfExists: p.gotIfExists()}
		if !canIdent(p.tok()) {
			what := "DROP TABLE"
			if st.View {
				what = "DROP VIEW"
			}
			if p.tok() == token.EOF {
				p.errorAt(p.prevEnd(), "missing name after "+what)
			}
			p.errorAt(p.pos(), "missing name after "+what+": unexpected "+describe(p.cur()))
		}
		st.Name = p.parseObjectName("a table name")
		st.Purge = p.got(token.KW_PURGE)
		st.Span = p.span(from)
		return st
	case token.KW_FUNCTION:
		p.next()
		st := &ast.DropFunctionStmt{Temporary: temporary, IfExists: p.gotIfExists()}
		st.Name = p.parseObjectName("a function name")
		st.Span = p.span(from)
		return st
	case token.KW_MACRO:
		p.next()
		st := &ast.DropMacroStmt{IfExists: p.gotIfExists()}
		st.Name = p.parseIdent("a macro name")
		st.Span = p.span(from)
		return st
	}
	p.errorExpected("TABLE, VIEW, DATABASE, FUNCTION or TEMPORARY MACRO after DROP")
	return nil
}

func (p *parser) parseAlter() ast.Stmt {
	from := p.next().pos
	switch p.tok() {
	case token.KW_DATABASE, token.KW_SCHEMA:
		st := &ast.AlterDatabaseStmt{Schema: p.next().tok == token.KW_SCHEMA}
		st.Name = p.parseIdent("a database name")
		p.expect(token.KW_SET, "SET")
		switch {
		case p.got(token.KW_DBPROPERTIES):
			st.Props = p.parseProperties(false)
		case p.got(token.KW_OWNER):
			st.OwnerType, st.Owner = p.parseOwner()
		case p.got(token.KW_LOCATION):
			st.Location = p.parseString("a location string")
		case p.got(token.KW_MANAGEDLOCATION):
			st.ManagedLocation = p.parseString("a location string")
		default:
			p.errorExpected("DBPROPERTIES, OWNER, LOCATION or MANAGEDLOCATION after SET")
		}
		st.Span = p.span(from)
		return st
	case token.KW_TABLE, token.KW_VIEW:
	default:
		p.errorExpected("TABLE, VIEW or DATABASE after ALTER")
	}
	st := &ast.AlterTableStmt{View: p.next().tok == token.KW_VIEW}
	st.Name = p.parseObjectName("a table name")
	if p.tok() == token.KW_PARTITION {
		st.Partition = p.parsePartitionSpec()
	}
	st.Action = p.parseAlterAction(st)
	st.Span = p.span(from)
	return st
}

func (p *parser) parseOwner() (string, *ast.Ident) {
	if !(p.tok() == token.KW_USER || p.tok() == token.KW_ROLE || p.isWord("group")) {
		p.errorExpected("USER, ROLE or GROUP")
	}
	kind := strings.ToUpper(p.next().lit)
	return kind, p.parseIdent("an owner name")
}

func (p *parser) parseAlterAction(st *ast.AlterTableStmt) ast.AlterAction {
	from := p.pos()
	switch {
	case p.tok() == token.KW_AS && st.View:
		p.next()
		return &ast.AlterViewAs{Query: p.parseQuery(), Span: p.span(from)}
	case p.tok() == token.KW_RENAME:
		p.next()
		p.expect(token.KW_TO, "TO after RENAME")
		if p.tok() == token.KW_PARTITION {
			to := p.parsePartitionSpec()
			return &ast.RenamePartition{Span: p.span(from), To: to}
		}
		return &ast.RenameTo{NewName: p.parseObjectName("a new table name"), Span: p.span(from)}
	case (p.tok() == token.KW_ADD || p.tok() == token.KW_REPLACE) && (p.peek(1) == token.KW_COLUMNS || p.peek(1) == token.KW_COLUMN):
		a := &ast.AddColumns{Replace: p.next().tok == token.KW_REPLACE}
		p.next()
		open := p.expect(token.LPAREN, "'(' after COLUMNS").pos
		for {
			a.Columns = append(a.Columns, p.parseColumnDef(true))
			if !p.got(token.COMMA) {
				break
			}
		}
		p.expectClose(token.RPAREN, open, "(")
		a.Cascade = p.got(token.KW_CASCADE)
		if !a.Cascade {
			a.Restrict = p.got(token.KW_RESTRICT)
		}
		a.Span = p.span(from)
		return a
	case p.tok() == token.KW_CHANGE:
		p.next()
		p.got(token.KW_COLUMN)
		c := &ast.ChangeColumn{Old: p.parseAnyIdent("a column name")}
		c.New = p.parseColumnDef(true)
		if p.got(token.KW_FIRST) {
			c.First = true
		} else if p.got(token.KW_AFTER) {
			c.After = p.parseAnyIdent("a column name after AFTER")
		}
		c.Cascade = p.got(token.KW_CASCADE)
		if !c.Cascade {
			c.Restrict = p.got(token.KW_RESTRICT)
		}
		c.Span = p.span(from)
		return c
	case p.tok() == token.KW_SET:
		p.next()
		switch {
		case p.got(token.KW_TBLPROPERTIES):
			return &ast.SetTblProps{Props: p.parseProperties(false), Span: p.span(from)}
		case p.got(token.KW_SERDE):
			s := &ast.SetSerde{Serde: p.parseString("a SerDe class string")}
			if p.tok() == token.KW_WITH && p.peek(1) == token.KW_SERDEPROPERTIES {
				p.i += 2
				s.Props = p.parseProperties(false)
			}
			s.Span = p.span(from)
			return s
		case p.got(token.KW_SERDEPROPERTIES):
			return &ast.SetSerde{Props: p.parseProperties(false), Span: p.span(from)}
		case p.tok() == token.KW_FILEFORMAT:
			ff := p.next().pos
			f := p.parseStoredAsBody(ff)
			return &ast.SetFileFormat{Format: f, Span: p.span(from)}
		case p.got(token.KW_LOCATION):
			return &ast.SetLocation{Location: p.parseString("a location string"), Span: p.span(from)}
		case p.got(token.KW_OWNER):
			kind, owner := p.parseOwner()
			return &ast.SetOwner{OwnerType: kind, Owner: owner, Span: p.span(from)}
		}
		p.errorAt(p.pos(), "unknown ALTER TABLE action: SET "+strings.ToUpper(p.cur().lit)+
			" (expected SET TBLPROPERTIES, SERDE, SERDEPROPERTIES, FILEFORMAT, LOCATION or OWNER)")
	case p.tok() == token.KW_UNSET && p.peek(1) == token.KW_TBLPROPERTIES:
		p.i += 2
		u := &ast.UnsetTblProps{IfExists: p.gotIfExists()}
		open := p.expect(token.LPAREN, "'('").pos
		for {
			u.Keys = append(u.Keys, p.parseString("a property key string"))
			if !p.got(token.COMMA) {
				break
			}
		}
		p.expectClose(token.RPAREN, open, "(")
		u.Span = p.span(from)
		return u
	case p.tok() == token.KW_ADD:
		p.next()
		a := &ast.AddPartitions{IfNotExists: p.gotIfNotExists()}
		if p.tok() != token.KW_PARTITION {
			p.errorExpected("PARTITION or COLUMNS after ADD")
		}
		for p.tok() == token.KW_PARTITION {
			pf := p.pos()
			pl := &ast.PartitionLocation{Spec: p.parsePartitionSpec()}
			if p.got(token.KW_LOCATION) {
				pl.Location = p.parseString("a location string")
			}
			pl.Span = p.span(pf)
			a.Partitions = append(a.Partitions, pl)
			p.got(token.COMMA)
		}
		a.Span = p.span(from)
		return a
	case p.tok() == token.KW_DROP:
		p.next()
		d := &ast.DropPartitions{IfExists: p.gotIfExists()}
		for {
			d.Partitions = append(d.Partitions, p.parsePartitionSpec())
			if !p.got(token.COMMA) {
				break
			}
		}
		d.Purge = p.got(token.KW_PURGE)
		d.Span = p.span(from)
		return d
	case p.tok() == token.KW_RECOVER:
		p.next()
		p.expect(token.KW_PARTITIONS, "PARTITIONS after RECOVER")
		return &ast.SimpleAction{Words: []string{"RECOVER", "PARTITIONS"}, Span: p.span(from)}
	case p.tok() == token.KW_TOUCH || p.tok() == token.KW_CONCATENATE:
		w := strings.ToUpper(p.next().lit)
		if w == "TOUCH" && p.tok() == token.KW_PARTITION && st.Partition == nil {
			st.Partition = p.parsePartitionSpec()
		}
		return &ast.SimpleAction{Words: []string{w}, Span: p.span(from)}
	case p.tok() == token.KW_ENABLE || p.tok() == token.KW_DISABLE:
		w := strings.ToUpper(p.next().lit)
		if !anyIdent(p.tok()) {
			p.errorExpected("NO_DROP or OFFLINE")
		}
		return &ast.SimpleAction{Words: []string{w, strings.ToUpper(p.next().lit)}, Span: p.span(from)}
	case p.tok() == token.EOF:
		p.errorAt(p.prevEnd(), "missing ALTER TABLE action (RENAME TO, ADD COLUMNS, SET TBLPROPERTIES, ...)")
	}
	p.errorAt(p.pos(), "unknown ALTER TABLE action "+describe(p.cur())+
		" (expected RENAME TO, ADD|REPLACE COLUMNS, CHANGE, SET, UNSET, ADD|DROP PARTITION, RECOVER PARTITIONS, TOUCH or CONCATENATE)")
	return nil
}
