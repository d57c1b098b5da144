package parser

import (
	"strings"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/scanner"
	"github.com/waggle-dev/waggle/hiveql/token"
)

// parseRaw recognises the CLI commands whose operands are raw text (SET, RESET, ADD/LIST/DELETE resources,
// source, dfs, !cmd): their operands are not tokenized, so values such as -Xmx2g or 'a b' survive as
// written. ok is false for every other statement.
func parseRaw(src string) (st ast.Stmt, ok bool) {
	var s scanner.Scanner
	s.Init(src, nil, 0)
	pos, tok, lit := s.Scan()
	end1 := int(s.TokenEnd())
	_, tok2, lit2 := s.Scan()
	trimmedEnd := token.Pos(len(strings.TrimRight(src, " \t\r\n\f")))
	span := ast.Span{From: pos, To: max(trimmedEnd, token.Pos(end1))}
	rest := strings.TrimSpace(src[end1:])
	word := strings.ToUpper(lit)
	switch {
	case tok == token.KW_SET:
		set := &ast.SetStmt{Span: span}
		switch eq := strings.IndexByte(rest, '='); {
		case rest == "":
			set.Kind = ast.SetAll
		case rest == "-v" || rest == "-V":
			set.Kind = ast.SetVerbose
		case eq >= 0:
			set.Kind = ast.SetAssign
			set.Key = strings.TrimSpace(rest[:eq])
			set.Value = strings.TrimSpace(rest[eq+1:])
		default:
			set.Kind = ast.SetShow
			set.Key = rest
		}
		return set, true
	case tok == token.KW_RESET:
		return &ast.ResetStmt{Span: span, Keys: strings.Fields(rest)}, true
	case (word == "ADD" || word == "LIST" || word == "DELETE") && resourceKind(lit2) != "" &&
		(tok2 == token.IDENT || tok2.IsKeyword()):
		_, after, _ := strings.Cut(rest, lit2)
		return &ast.ResourceStmt{Span: span, Op: word, Kind: resourceKind(lit2), Paths: strings.Fields(after)}, true
	case word == "SOURCE" && tok2 != token.EOF:
		return &ast.SourceStmt{Span: span, Path: rest}, true
	case word == "DFS" && tok == token.IDENT:
		return &ast.CommandStmt{Span: span, Name: "dfs", Text: rest}, true
	case tok == token.BANG || tok == token.NEQ && lit == "!=":
		// A shell command: everything after the '!' (so "!=x" runs "=x").
		return &ast.CommandStmt{Span: span, Name: "!", Text: strings.TrimSpace(src[pos+1:])}, true
	}
	return nil, false
}

func resourceKind(w string) string {
	switch strings.ToUpper(w) {
	case "FILE", "FILES":
		return "FILE"
	case "JAR", "JARS":
		return "JAR"
	case "ARCHIVE", "ARCHIVES":
		return "ARCHIVE"
	}
	return ""
}

func (p *parser) parseStatement() ast.Stmt {
	if p.i == 0 {
		if st, ok := parseRaw(p.src); ok {
			p.i = len(p.toks) - 1 // EOF
			return st
		}
	}
	from := p.pos()
	switch p.tok() {
	case token.KW_SELECT, token.LPAREN, token.KW_VALUES:
		q := p.parseQuery()
		return &ast.QueryStmt{Span: p.span(from), Query: q}
	case token.KW_WITH:
		with := p.parseWith()
		switch p.tok() {
		case token.KW_INSERT:
			st := p.parseInsert()
			st.With = with
			st.Span = p.span(from)
			return st
		case token.KW_FROM:
			return p.parseFromFirst(from, with)
		}
		q := p.parseSetOps()
		var tail ast.Tail
		p.parseTail(&tail)
		q = p.finishQuery(from, with, q, tail)
		return &ast.QueryStmt{Span: p.span(from), Query: q}
	case token.KW_FROM:
		return p.parseFromFirst(from, nil)
	case token.KW_INSERT:
		return p.parseInsert()
	case token.KW_CREATE:
		return p.parseCreate()
	case token.KW_DROP:
		return p.parseDrop()
	case token.KW_ALTER:
		return p.parseAlter()
	case token.KW_USE:
		p.next()
		name := p.parseIdent("a database name after USE")
		return &ast.UseStmt{Span: p.span(from), Name: name}
	case token.KW_LOAD:
		return p.parseLoad()
	case token.KW_TRUNCATE:
		p.next()
		p.got(token.KW_TABLE)
		st := &ast.TruncateStmt{Name: p.parseObjectName("a table name after TRUNCATE TABLE")}
		if p.tok() == token.KW_PARTITION {
			st.Partition = p.parsePartitionSpec()
		}
		st.Span = p.span(from)
		return st
	case token.KW_UPDATE:
		return p.parseUpdate()
	case token.KW_DELETE:
		return p.parseDelete()
	case token.KW_MERGE:
		return p.parseMerge()
	case token.KW_EXPLAIN:
		return p.parseExplain()
	case token.KW_DESCRIBE, token.KW_DESC:
		return p.parseDescribe()
	case token.KW_SHOW:
		return p.parseShow()
	case token.KW_ANALYZE:
		return p.parseAnalyze()
	case token.KW_MSCK:
		p.next()
		st := &ast.MsckStmt{Repair: p.got(token.KW_REPAIR)}
		p.expect(token.KW_TABLE, "TABLE after MSCK [REPAIR]")
		st.Table = p.parseObjectName("a table name")
		if p.tok() == token.KW_ADD || p.tok() == token.KW_DROP || p.tok() == token.KW_SYNC {
			st.Option = strings.ToUpper(p.next().lit)
			p.expect(token.KW_PARTITIONS, "PARTITIONS")
		}
		st.Span = p.span(from)
		return st
	case token.KW_RELOAD:
		p.next()
		if !p.gotWord("function") && !p.gotWord("functions") {
			p.errorExpected("FUNCTION after RELOAD")
		}
		return &ast.ReloadFunctionStmt{Span: p.span(from)}
	case token.EOF:
		p.errorAt(p.pos(), "syntax error: empty statement")
	}
	p.errorAt(p.pos(), "syntax error: unexpected "+describe(p.cur())+", expected a statement (SELECT, INSERT, CREATE, ...)")
	return nil
}

// parseFromFirst parses Hive's `FROM src INSERT ... SELECT ... [INSERT ... SELECT ...]` and `FROM src
// SELECT ...`. A single plain SELECT body becomes a QueryStmt whose Select has FromFirst set.
func (p *parser) parseFromFirst(from token.Pos, with *ast.With) ast.Stmt {
	p.expect(token.KW_FROM, "FROM")
	src := p.parseFromSource()
	var bodies []*ast.InsertBody
	for p.tok() == token.KW_INSERT || p.tok() == token.KW_SELECT {
		bf := p.pos()
		b := &ast.InsertBody{}
		if p.tok() == token.KW_INSERT {
			b.Target = p.parseInsertTarget()
		}
		b.Select = p.parseSelect(nil)
		p.parseTail(&b.Select.Tail)
		b.Select.Span = p.span(b.Select.Pos())
		b.Span = p.span(bf)
		bodies = append(bodies, b)
	}
	if len(bodies) == 0 {
		p.errorExpected("INSERT or SELECT after FROM ...")
	}
	if len(bodies) == 1 && bodies[0].Target == nil {
		s := bodies[0].Select
		if s.From != nil {
			p.errorAt(s.From.Pos(), "syntax error: a SELECT after FROM ... cannot have its own FROM")
		}
		s.From, s.FromFirst, s.With = src, true, with
		s.Span = p.span(from)
		return &ast.QueryStmt{Span: p.span(from), Query: s}
	}
	return &ast.FromInsertStmt{Span: p.span(from), With: with, From: src, Bodies: bodies}
}

func (p *parser) parseInsert() *ast.InsertStmt {
	from := p.pos()
	st := &ast.InsertStmt{Target: p.parseInsertTarget()}
	if !p.startsQuery() && p.tok() != token.LPAREN {
		p.errorExpected("a query (SELECT, VALUES, ...) after the INSERT target")
	}
	st.Query = p.parseQuery()
	st.Span = p.span(from)
	return st
}

// parseInsertTarget parses `INSERT INTO|OVERWRITE [TABLE] t [PARTITION (...)] [IF NOT EXISTS] [(cols)]` or
// `INSERT OVERWRITE [LOCAL] DIRECTORY 'path' [ROW FORMAT ...] [STORED AS ...]`.
func (p *parser) parseInsertTarget() *ast.InsertTarget {
	from := p.expect(token.KW_INSERT, "INSERT").pos
	t := &ast.InsertTarget{}
	switch p.tok() {
	case token.KW_OVERWRITE:
		t.Overwrite = true
	case token.KW_INTO:
	default:
		p.errorExpected("INTO or OVERWRITE after INSERT")
	}
	kw := strings.ToUpper(p.next().lit)
	if p.tok() == token.KW_LOCAL || p.tok() == token.KW_DIRECTORY {
		t.Directory = true
		t.Local = p.got(token.KW_LOCAL)
		p.expect(token.KW_DIRECTORY, "DIRECTORY")
		t.Path = p.parseString("a directory path string")
		if p.tok() == token.KW_ROW {
			t.RowFormat = p.parseRowFormat()
		}
		if p.tok() == token.KW_STORED {
			p.next()
			p.expect(token.KW_AS, "AS after STORED")
			t.StoredAs = p.parseStoredAsBody(p.toks[p.i-2].pos)
		}
		t.Span = p.span(from)
		return t
	}
	t.TableKeyword = p.got(token.KW_TABLE)
	if !canIdent(p.tok()) {
		where := "INSERT " + kw
		if t.TableKeyword {
			where += " TABLE"
		}
		if p.tok() == token.EOF {
			p.errorAt(p.prevEnd(), "missing table name after "+where)
		}
		p.errorAt(p.pos(), "missing table name after "+where+": unexpected "+describe(p.cur()))
	}
	t.Table = p.parseObjectName("a table name")
	if p.tok() == token.KW_PARTITION {
		t.Partition = p.parsePartitionSpec()
	}
	t.IfNotExists = p.gotIfNotExists()
	if p.tok() == token.LPAREN && !p.parenStartsQuery() {
		t.Columns = p.parseParenIdents("a column name")
	}
	t.Span = p.span(from)
	return t
}

// parenStartsQuery reports whether the '(' at the current token opens a query.
func (p *parser) parenStartsQuery() bool {
	save := p.i
	p.i++
	ok := p.startsQuery()
	p.i = save
	return ok
}

// parsePartitionSpec parses PARTITION (k = v, k2, k3 < v).
func (p *parser) parsePartitionSpec() *ast.PartitionSpec {
	from := p.expect(token.KW_PARTITION, "PARTITION").pos
	open := p.expect(token.LPAREN, "'(' after PARTITION").pos
	spec := &ast.PartitionSpec{}
	for {
		itf := p.pos()
		it := &ast.PartitionItem{Name: p.parseAnyIdent("a partition column name")}
		if isComparison(p.tok()) {
			it.Op = p.next().tok
			it.Value = p.parseBitOr()
		}
		it.Span = p.span(itf)
		spec.Items = append(spec.Items, it)
		if !p.got(token.COMMA) {
			break
		}
	}
	p.expectClose(token.RPAREN, open, "(")
	spec.Span = p.span(from)
	return spec
}

func (p *parser) parseLoad() ast.Stmt {
	from := p.next().pos
	p.expect(token.KW_DATA, "DATA after LOAD")
	st := &ast.LoadDataStmt{Local: p.got(token.KW_LOCAL)}
	p.expect(token.KW_INPATH, "INPATH")
	st.Path = p.parseString("a path string after INPATH")
	st.Overwrite = p.got(token.KW_OVERWRITE)
	p.expect(token.KW_INTO, "INTO")
	p.expect(token.KW_TABLE, "TABLE after INTO")
	st.Table = p.parseObjectName("a table name")
	if p.tok() == token.KW_PARTITION {
		st.Partition = p.parsePartitionSpec()
	}
	if p.got(token.KW_INPUTFORMAT) {
		st.InputFormat = p.parseString("an input format class string")
		p.expect(token.KW_SERDE, "SERDE")
		st.Serde = p.parseString("a SerDe class string")
	}
	st.Span = p.span(from)
	return st
}

func (p *parser) parseAssignments() []*ast.Assignment {
	var list []*ast.Assignment
	for {
		from := p.pos()
		if !canIdent(p.tok()) {
			p.errorExpected("a column name")
		}
		col, ok := p.parseName().(*ast.ColumnRef)
		if !ok {
			p.errorAt(from, "syntax error: expected a column name to assign")
		}
		p.expect(token.EQ, "'='")
		v := p.parseExpr()
		list = append(list, &ast.Assignment{Span: p.span(from), Column: col, Value: v})
		if !p.got(token.COMMA) {
			return list
		}
	}
}

func (p *parser) parseDMLAlias() *ast.Ident {
	if p.got(token.KW_AS) {
		return p.parseAnyIdent("an alias")
	}
	if p.tok().CanBeAlias() && p.tok() != token.KW_SET && p.tok() != token.KW_USING {
		return p.makeIdent(p.next())
	}
	return nil
}

func (p *parser) parseUpdate() ast.Stmt {
	from := p.next().pos
	st := &ast.UpdateStmt{Table: p.parseObjectName("a table name after UPDATE")}
	st.Alias = p.parseDMLAlias()
	p.expect(token.KW_SET, "SET")
	st.Set = p.parseAssignments()
	if p.got(token.KW_WHERE) {
		st.Where = p.parseExpr()
	}
	st.Span = p.span(from)
	return st
}

func (p *parser) parseDelete() ast.Stmt {
	from := p.next().pos
	p.expect(token.KW_FROM, "FROM after DELETE")
	st := &ast.DeleteStmt{Table: p.parseObjectName("a table name after DELETE FROM")}
	st.Alias = p.parseDMLAlias()
	if p.got(token.KW_WHERE) {
		st.Where = p.parseExpr()
	}
	st.Span = p.span(from)
	return st
}

func (p *parser) parseMerge() ast.Stmt {
	from := p.next().pos
	p.expect(token.KW_INTO, "INTO after MERGE")
	st := &ast.MergeStmt{Target: p.parseObjectName("a table name after MERGE INTO")}
	st.Alias = p.parseDMLAlias()
	p.expect(token.KW_USING, "USING")
	st.Source = p.parseTableSource()
	p.expect(token.KW_ON, "ON")
	st.On = p.parseExpr()
	for p.tok() == token.KW_WHEN {
		cf := p.next().pos
		c := &ast.MergeClause{Matched: !p.got(token.KW_NOT)}
		p.expect(token.KW_MATCHED, "MATCHED")
		if p.got(token.KW_AND) {
			c.Cond = p.parseExpr()
		}
		p.expect(token.KW_THEN, "THEN")
		switch p.tok() {
		case token.KW_UPDATE:
			c.Action = p.next().tok
			p.expect(token.KW_SET, "SET")
			c.Set = p.parseAssignments()
		case token.KW_DELETE:
			c.Action = p.next().tok
		case token.KW_INSERT:
			c.Action = p.next().tok
			if p.tok() == token.LPAREN {
				c.Columns = p.parseParenIdents("a column name")
			}
			p.expect(token.KW_VALUES, "VALUES")
			open := p.expect(token.LPAREN, "'('").pos
			c.Values = p.parseExprList()
			p.expectClose(token.RPAREN, open, "(")
		default:
			p.errorExpected("UPDATE, DELETE or INSERT")
		}
		c.Span = p.span(cf)
		st.Clauses = append(st.Clauses, c)
	}
	if len(st.Clauses) == 0 {
		p.errorExpected("WHEN [NOT] MATCHED")
	}
	st.Span = p.span(from)
	return st
}

// isExplainOption reports whether w (upper case) is a word EXPLAIN accepts before the statement.
func isExplainOption(w string) bool {
	switch w {
	case "EXTENDED", "FORMATTED", "DEPENDENCY", "AUTHORIZATION", "LOGICAL", "CBO", "AST", "VECTORIZATION",
		"ONLY", "SUMMARY", "OPERATOR", "EXPRESSION", "DETAIL", "ANALYZE", "LOCKS", "REOPTIMIZATION", "COST",
		"JOINCOST", "CODEGEN", "DDL":
		return true
	}
	return false
}

func (p *parser) parseExplain() ast.Stmt {
	from := p.next().pos
	st := &ast.ExplainStmt{}
	for anyIdent(p.tok()) && p.tok() != token.QUOTED_IDENT && isExplainOption(strings.ToUpper(p.cur().lit)) &&
		// ANALYZE TABLE is a statement, not an option.
		!(p.tok() == token.KW_ANALYZE && p.peek(1) == token.KW_TABLE) {
		st.Options = append(st.Options, strings.ToUpper(p.next().lit))
	}
	if p.tok() == token.EOF {
		p.errorExpected("a statement after EXPLAIN")
	}
	if p.tok() == token.KW_EXPLAIN {
		p.errorAt(p.pos(), "syntax error: EXPLAIN cannot explain an EXPLAIN")
	}
	st.Stmt = p.parseStatement()
	st.Span = p.span(from)
	return st
}

func (p *parser) parseDescribe() ast.Stmt {
	from := p.next().pos
	st := &ast.DescribeStmt{}
	switch p.tok() {
	case token.KW_DATABASE, token.KW_SCHEMA:
		p.next()
		st.Database = true
		st.Extended = p.got(token.KW_EXTENDED)
		st.Name = p.parseObjectName("a database name")
		st.Span = p.span(from)
		return st
	case token.KW_FUNCTION:
		p.next()
		st.Function = true
		st.Extended = p.got(token.KW_EXTENDED)
		st.Name = p.parseFunctionNameForDescribe()
		st.Span = p.span(from)
		return st
	case token.KW_FORMATTED:
		p.next()
		st.Formatted = true
	case token.KW_EXTENDED:
		p.next()
		st.Extended = true
	}
	st.Name = p.parseObjectName("a table name")
	if p.tok() == token.KW_PARTITION {
		st.Partition = p.parsePartitionSpec()
	}
	if canIdent(p.tok()) {
		st.Column = []*ast.Ident{p.parseIdent("a column name")}
		for p.got(token.DOT) {
			st.Column = append(st.Column, p.parseAnyIdent("a field name"))
		}
	}
	st.Span = p.span(from)
	return st
}

// parseFunctionNameForDescribe accepts a function name, a keyword that names a built-in (case, if, and) or
// an operator (+, =, <=>; then the Ident's Name is the operator).
func (p *parser) parseFunctionNameForDescribe() *ast.ObjectName {
	it := p.cur()
	switch it.tok {
	case token.EQ, token.NSEQ, token.NEQ, token.LT, token.LE, token.GT, token.GE, token.PLUS, token.MINUS,
		token.STAR, token.DIVIDE, token.MOD, token.AMPERSAND, token.PIPE, token.CARET, token.TILDE, token.BANG,
		token.CONCAT, token.ANDAND:
		p.next()
		id := &ast.Ident{Span: ast.Span{From: it.pos, To: it.end}, Name: it.lit}
		return &ast.ObjectName{Span: id.Span, Parts: []*ast.Ident{id}}
	}
	if !anyIdent(it.tok) {
		p.errorExpected("a function name")
	}
	parts := []*ast.Ident{p.makeIdent(p.next())}
	for p.tok() == token.DOT && anyIdent(p.peek(1)) {
		p.next()
		parts = append(parts, p.makeIdent(p.next()))
	}
	return &ast.ObjectName{Span: p.span(it.pos), Parts: parts}
}

func (p *parser) parseShow() ast.Stmt {
	from := p.next().pos
	st := &ast.ShowStmt{}
	parseLike := func(optionalKeyword bool) {
		if p.got(token.KW_LIKE) {
			st.Like = p.parseString("a pattern string after LIKE")
		} else if optionalKeyword && p.tok() == token.STRING {
			st.Like = p.parseStringLit()
		}
	}
	parseIn := func() {
		if p.tok() == token.KW_IN || p.tok() == token.KW_FROM {
			p.next()
			st.In = p.parseIdent("a database name")
		}
	}
	switch {
	case p.tok() == token.KW_DATABASES || p.tok() == token.KW_SCHEMAS:
		p.next()
		st.Kind = ast.ShowDatabases
		parseLike(true)
	case p.tok() == token.KW_TABLES:
		p.next()
		st.Kind = ast.ShowTables
		parseIn()
		parseLike(true)
	case p.tok() == token.KW_VIEWS:
		p.next()
		st.Kind = ast.ShowViews
		parseIn()
		parseLike(true)
	case p.tok() == token.KW_PARTITIONS:
		p.next()
		st.Kind = ast.ShowPartitions
		st.Table = p.parseObjectName("a table name")
		if p.tok() == token.KW_PARTITION {
			st.Partition = p.parsePartitionSpec()
		}
	case p.tok() == token.KW_FUNCTIONS || p.tok() == token.KW_USER || p.tok() == token.KW_ALL || p.isWord("system"):
		if p.tok() != token.KW_FUNCTIONS {
			p.next()
		}
		p.expect(token.KW_FUNCTIONS, "FUNCTIONS")
		st.Kind = ast.ShowFunctions
		parseLike(true)
	case p.tok() == token.KW_COLUMNS:
		p.next()
		st.Kind = ast.ShowColumns
		if p.tok() != token.KW_IN && p.tok() != token.KW_FROM {
			p.errorExpected("FROM or IN after SHOW COLUMNS")
		}
		p.next()
		st.Table = p.parseObjectName("a table name")
		parseIn()
	case p.tok() == token.KW_CREATE:
		p.next()
		p.expect(token.KW_TABLE, "TABLE after SHOW CREATE")
		st.Kind = ast.ShowCreateTable
		st.Table = p.parseObjectName("a table name")
	case p.tok() == token.KW_TBLPROPERTIES:
		p.next()
		st.Kind = ast.ShowTblProperties
		st.Table = p.parseObjectName("a table name")
		if p.tok() == token.LPAREN {
			open := p.next().pos
			st.Key = p.parseString("a property key string")
			p.expectClose(token.RPAREN, open, "(")
		}
	case p.tok() == token.KW_TABLE && p.peek(1) == token.KW_EXTENDED:
		p.i += 2
		st.Kind = ast.ShowTableExtended
		parseIn()
		parseLike(true)
		if p.tok() == token.KW_PARTITION {
			st.Partition = p.parsePartitionSpec()
		}
	case p.tok() == token.KW_CURRENT && p.peek(1) == token.KW_DATABASE:
		p.i += 2
		st.Kind = ast.ShowCurrentDatabase
	default:
		p.errorExpected("DATABASES, TABLES, VIEWS, PARTITIONS, FUNCTIONS, COLUMNS, CREATE TABLE or TBLPROPERTIES after SHOW")
	}
	st.Span = p.span(from)
	return st
}

func (p *parser) parseAnalyze() ast.Stmt {
	from := p.next().pos
	p.expect(token.KW_TABLE, "TABLE after ANALYZE")
	st := &ast.AnalyzeStmt{Table: p.parseObjectName("a table name")}
	if p.tok() == token.KW_PARTITION {
		st.Partition = p.parsePartitionSpec()
	}
	p.expect(token.KW_COMPUTE, "COMPUTE STATISTICS")
	p.expect(token.KW_STATISTICS, "STATISTICS after COMPUTE")
	if p.tok() == token.KW_NOSCAN || p.tok() == token.KW_PARTIALSCAN {
		p.next()
		st.NoScan = true
	}
	if p.tok() == token.KW_FOR && p.peek(1) == token.KW_COLUMNS {
		p.i += 2
		st.ForColumns = true
		if canIdent(p.tok()) {
			st.Columns = p.parseIdentList("a column name")
		}
	}
	st.Span = p.span(from)
	return st
}
