package printer

import (
	"fmt"
	"strings"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/token"
)

func (p *printer) str(s *ast.StringLit) {
	if s != nil {
		p.stringLit(s)
	}
}

// kw writes " WORD s" when s is set.
func (p *printer) kwStr(word string, s *ast.StringLit) {
	if s != nil {
		p.w(" ", word, " ")
		p.stringLit(s)
	}
}

func (p *printer) props(list []*ast.Property) {
	p.w("(")
	for i, pr := range list {
		if i > 0 {
			p.w(", ")
		}
		if pr.KeyIdent {
			p.w(pr.Key.Value)
		} else {
			p.stringLit(pr.Key)
		}
		if pr.Value != nil {
			p.w("=")
			p.stringLit(pr.Value)
		}
	}
	p.w(")")
}

func (p *printer) partitionSpec(s *ast.PartitionSpec) {
	p.w("PARTITION (")
	for i, it := range s.Items {
		if i > 0 {
			p.w(", ")
		}
		p.ident(it.Name)
		if it.Value != nil {
			op := it.Op
			if op == 0 {
				op = token.EQ
			}
			p.w(" ", op.String(), " ")
			p.expr(it.Value, 5) // precBitOr
		}
	}
	p.w(")")
}

func (p *printer) optPartition(s *ast.PartitionSpec) {
	if s != nil {
		p.w(" ")
		p.partitionSpec(s)
	}
}

func (p *printer) columnDef(c *ast.ColumnDef) {
	p.ident(c.Name)
	p.w(" ")
	if c.Type != nil {
		p.typ(c.Type.Type)
	}
	for _, cc := range c.Constraints {
		if cc.Name != nil {
			p.w(" CONSTRAINT ")
			p.ident(cc.Name)
		}
		p.w(" ", cc.Kind)
		switch cc.Kind {
		case "DEFAULT":
			p.w(" ")
			p.expr(cc.Expr, 5)
		case "CHECK":
			p.w(" (")
			p.expr(cc.Expr, 0)
			p.w(")")
		case "REFERENCES":
			p.w(" ")
			p.objectName(cc.Ref)
			p.w(" ")
			p.parenIdents(cc.RefCols)
		}
		for _, o := range cc.Options {
			p.w(" ", o)
		}
	}
	p.kwStr("COMMENT", c.Comment)
}

func (p *printer) columnDefs(list []*ast.ColumnDef) {
	for i, c := range list {
		if i > 0 {
			p.w(", ")
		}
		p.columnDef(c)
	}
}

func (p *printer) rowFormat(r *ast.RowFormat) {
	p.w("ROW FORMAT ")
	if r.Serde != nil {
		p.w("SERDE ")
		p.stringLit(r.Serde)
		if r.SerdeProps != nil {
			p.w(" WITH SERDEPROPERTIES ")
			p.props(r.SerdeProps)
		}
		return
	}
	p.w("DELIMITED")
	p.kwStr("FIELDS TERMINATED BY", r.FieldsTerm)
	p.kwStr("ESCAPED BY", r.FieldsEscape)
	p.kwStr("COLLECTION ITEMS TERMINATED BY", r.CollectionTerm)
	p.kwStr("MAP KEYS TERMINATED BY", r.MapKeysTerm)
	p.kwStr("LINES TERMINATED BY", r.LinesTerm)
	p.kwStr("NULL DEFINED AS", r.NullDefinedAs)
}

func (p *printer) storedAsBody(s *ast.StoredAs) {
	if s.Format != nil {
		p.ident(s.Format)
		return
	}
	p.w("INPUTFORMAT ")
	p.str(s.InputFormat)
	p.w(" OUTPUTFORMAT ")
	p.str(s.OutputFormat)
}

func (p *printer) ifNotExists(b bool) {
	if b {
		p.w(" IF NOT EXISTS")
	}
}

func (p *printer) ifExists(b bool) {
	if b {
		p.w(" IF EXISTS")
	}
}

func (p *printer) insertTarget(t *ast.InsertTarget) {
	p.w("INSERT ")
	if t.Overwrite {
		p.w("OVERWRITE ")
	} else {
		p.w("INTO ")
	}
	if t.Directory {
		if t.Local {
			p.w("LOCAL ")
		}
		p.w("DIRECTORY ")
		p.str(t.Path)
		if t.RowFormat != nil {
			p.w(" ")
			p.rowFormat(t.RowFormat)
		}
		if t.StoredAs != nil {
			p.w(" STORED AS ")
			p.storedAsBody(t.StoredAs)
		}
		return
	}
	if t.TableKeyword {
		p.w("TABLE ")
	}
	p.objectName(t.Table)
	p.optPartition(t.Partition)
	p.ifNotExists(t.IfNotExists)
	if t.Columns != nil {
		p.w(" ")
		p.parenIdents(t.Columns)
	}
}

func (p *printer) assignments(list []*ast.Assignment) {
	for i, a := range list {
		if i > 0 {
			p.w(", ")
		}
		p.expr(a.Column, 0)
		p.w(" = ")
		p.expr(a.Value, 0)
	}
}

func (p *printer) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.QueryStmt:
		p.query(s.Query)
	case *ast.InsertStmt:
		p.with(s.With)
		p.insertTarget(s.Target)
		p.w(" ")
		p.query(s.Query)
	case *ast.FromInsertStmt:
		p.with(s.With)
		p.w("FROM ")
		p.tableRef(s.From)
		for _, b := range s.Bodies {
			p.w(" ")
			if b.Target != nil {
				p.insertTarget(b.Target)
				p.w(" ")
			}
			p.selectBlock(b.Select)
			p.tail(&b.Select.Tail)
		}
	case *ast.LoadDataStmt:
		p.w("LOAD DATA ")
		if s.Local {
			p.w("LOCAL ")
		}
		p.w("INPATH ")
		p.str(s.Path)
		if s.Overwrite {
			p.w(" OVERWRITE")
		}
		p.w(" INTO TABLE ")
		p.objectName(s.Table)
		p.optPartition(s.Partition)
		if s.InputFormat != nil {
			p.kwStr("INPUTFORMAT", s.InputFormat)
			p.kwStr("SERDE", s.Serde)
		}
	case *ast.UpdateStmt:
		p.w("UPDATE ")
		p.objectName(s.Table)
		p.alias(s.Alias, nil)
		p.w(" SET ")
		p.assignments(s.Set)
		if s.Where != nil {
			p.w(" WHERE ")
			p.expr(s.Where, 0)
		}
	case *ast.DeleteStmt:
		p.w("DELETE FROM ")
		p.objectName(s.Table)
		p.alias(s.Alias, nil)
		if s.Where != nil {
			p.w(" WHERE ")
			p.expr(s.Where, 0)
		}
	case *ast.MergeStmt:
		p.w("MERGE INTO ")
		p.objectName(s.Target)
		p.alias(s.Alias, nil)
		p.w(" USING ")
		p.tableRef(s.Source)
		p.w(" ON ")
		p.expr(s.On, 0)
		for _, c := range s.Clauses {
			p.w(" WHEN ")
			if !c.Matched {
				p.w("NOT ")
			}
			p.w("MATCHED")
			if c.Cond != nil {
				p.w(" AND ")
				p.expr(c.Cond, 0)
			}
			p.w(" THEN ")
			switch c.Action {
			case token.KW_UPDATE:
				p.w("UPDATE SET ")
				p.assignments(c.Set)
			case token.KW_DELETE:
				p.w("DELETE")
			case token.KW_INSERT:
				p.w("INSERT")
				if c.Columns != nil {
					p.w(" ")
					p.parenIdents(c.Columns)
				}
				p.w(" VALUES (")
				p.exprs(c.Values)
				p.w(")")
			}
		}
	case *ast.CreateDatabaseStmt:
		p.w("CREATE ", dbWord(s.Schema))
		p.ifNotExists(s.IfNotExists)
		p.w(" ")
		p.ident(s.Name)
		p.kwStr("COMMENT", s.Comment)
		p.kwStr("LOCATION", s.Location)
		p.kwStr("MANAGEDLOCATION", s.ManagedLocation)
		if s.Props != nil {
			p.w(" WITH DBPROPERTIES ")
			p.props(s.Props)
		}
	case *ast.DropDatabaseStmt:
		p.w("DROP ", dbWord(s.Schema))
		p.ifExists(s.IfExists)
		p.w(" ")
		p.ident(s.Name)
		if s.Cascade {
			p.w(" CASCADE")
		} else if s.Restrict {
			p.w(" RESTRICT")
		}
	case *ast.AlterDatabaseStmt:
		p.w("ALTER ", dbWord(s.Schema), " ")
		p.ident(s.Name)
		p.w(" SET ")
		switch {
		case s.Props != nil:
			p.w("DBPROPERTIES ")
			p.props(s.Props)
		case s.Owner != nil:
			p.w("OWNER ", s.OwnerType, " ")
			p.ident(s.Owner)
		case s.Location != nil:
			p.w("LOCATION ")
			p.str(s.Location)
		case s.ManagedLocation != nil:
			p.w("MANAGEDLOCATION ")
			p.str(s.ManagedLocation)
		}
	case *ast.UseStmt:
		p.w("USE ")
		p.ident(s.Name)
	case *ast.CreateTableStmt:
		p.createTable(s)
	case *ast.DropTableStmt:
		if s.View {
			p.w("DROP VIEW")
		} else {
			p.w("DROP TABLE")
		}
		p.ifExists(s.IfExists)
		p.w(" ")
		p.objectName(s.Name)
		if s.Purge {
			p.w(" PURGE")
		}
	case *ast.TruncateStmt:
		p.w("TRUNCATE TABLE ")
		p.objectName(s.Name)
		p.optPartition(s.Partition)
	case *ast.AlterTableStmt:
		if s.View {
			p.w("ALTER VIEW ")
		} else {
			p.w("ALTER TABLE ")
		}
		p.objectName(s.Name)
		p.optPartition(s.Partition)
		p.w(" ")
		p.alterAction(s.Action)
	case *ast.MsckStmt:
		p.w("MSCK ")
		if s.Repair {
			p.w("REPAIR ")
		}
		p.w("TABLE ")
		p.objectName(s.Table)
		if s.Option != "" {
			p.w(" ", s.Option, " PARTITIONS")
		}
	case *ast.CreateViewStmt:
		p.w("CREATE ")
		if s.OrReplace {
			p.w("OR REPLACE ")
		}
		if s.Temporary {
			p.w("TEMPORARY ")
		}
		p.w("VIEW")
		p.ifNotExists(s.IfNotExists)
		p.w(" ")
		p.objectName(s.Name)
		if s.Columns != nil {
			p.w(" (")
			for i, c := range s.Columns {
				if i > 0 {
					p.w(", ")
				}
				p.ident(c.Name)
				p.kwStr("COMMENT", c.Comment)
			}
			p.w(")")
		}
		p.kwStr("COMMENT", s.Comment)
		if s.TblProps != nil {
			p.w(" TBLPROPERTIES ")
			p.props(s.TblProps)
		}
		p.w(" AS ")
		p.query(s.Query)
	case *ast.CreateFunctionStmt:
		p.w("CREATE ")
		if s.OrReplace {
			p.w("OR REPLACE ")
		}
		if s.Temporary {
			p.w("TEMPORARY ")
		}
		p.w("FUNCTION")
		p.ifNotExists(s.IfNotExists)
		p.w(" ")
		p.objectName(s.Name)
		p.w(" AS ")
		p.str(s.Class)
		for i, r := range s.Resources {
			if i == 0 {
				p.w(" USING ")
			} else {
				p.w(", ")
			}
			p.w(r.Kind, " ")
			p.str(r.URI)
		}
	case *ast.DropFunctionStmt:
		p.w("DROP ")
		if s.Temporary {
			p.w("TEMPORARY ")
		}
		p.w("FUNCTION")
		p.ifExists(s.IfExists)
		p.w(" ")
		p.objectName(s.Name)
	case *ast.CreateMacroStmt:
		p.w("CREATE TEMPORARY MACRO ")
		p.ident(s.Name)
		p.w("(")
		p.columnDefs(s.Params)
		p.w(") ")
		p.expr(s.Body, 0)
	case *ast.DropMacroStmt:
		p.w("DROP TEMPORARY MACRO")
		p.ifExists(s.IfExists)
		p.w(" ")
		p.ident(s.Name)
	case *ast.ReloadFunctionStmt:
		p.w("RELOAD FUNCTION")
	case *ast.SetStmt:
		switch s.Kind {
		case ast.SetAll:
			p.w("SET")
		case ast.SetVerbose:
			p.w("SET -v")
		case ast.SetShow:
			p.w("SET ", s.Key)
		case ast.SetAssign:
			p.w("SET ", s.Key, "=", s.Value)
		}
	case *ast.ResetStmt:
		p.w("RESET")
		for _, k := range s.Keys {
			p.w(" ", k)
		}
	case *ast.ResourceStmt:
		p.w(s.Op, " ", s.Kind)
		for _, path := range s.Paths {
			p.w(" ", path)
		}
	case *ast.SourceStmt:
		p.w("source ", s.Path)
	case *ast.CommandStmt:
		if s.Name == "!" {
			p.w("!", s.Text)
		} else {
			p.w(s.Name, " ", s.Text)
		}
	case *ast.ExplainStmt:
		p.w("EXPLAIN ")
		for _, o := range s.Options {
			p.w(o, " ")
		}
		p.stmt(s.Stmt)
	case *ast.DescribeStmt:
		p.w("DESCRIBE ")
		switch {
		case s.Database || s.Function:
			if s.Database {
				p.w("DATABASE ")
			} else {
				p.w("FUNCTION ")
			}
			if s.Extended {
				p.w("EXTENDED ")
			}
		case s.Formatted:
			p.w("FORMATTED ")
		case s.Extended:
			p.w("EXTENDED ")
		}
		p.objectName(s.Name)
		p.optPartition(s.Partition)
		for i, c := range s.Column {
			if i == 0 {
				p.w(" ")
				p.ident(c)
			} else {
				p.dotIdent(c)
			}
		}
	case *ast.ShowStmt:
		p.show(s)
	case *ast.AnalyzeStmt:
		p.w("ANALYZE TABLE ")
		p.objectName(s.Table)
		p.optPartition(s.Partition)
		p.w(" COMPUTE STATISTICS")
		if s.NoScan {
			p.w(" NOSCAN")
		}
		if s.ForColumns {
			p.w(" FOR COLUMNS")
			if s.Columns != nil {
				p.w(" ")
				p.idents(s.Columns)
			}
		}
	default:
		p.w(fmt.Sprintf("/* unprintable %T */", s))
	}
}

func dbWord(schema bool) string {
	if schema {
		return "SCHEMA"
	}
	return "DATABASE"
}

func (p *printer) createTable(s *ast.CreateTableStmt) {
	p.w("CREATE ")
	if s.Temporary {
		p.w("TEMPORARY ")
	}
	if s.External {
		p.w("EXTERNAL ")
	}
	p.w("TABLE")
	p.ifNotExists(s.IfNotExists)
	p.w(" ")
	p.objectName(s.Name)
	if s.Columns != nil || s.Constraints != nil {
		p.w(" (")
		p.columnDefs(s.Columns)
		for i, c := range s.Constraints {
			if i > 0 || s.Columns != nil {
				p.w(", ")
			}
			p.tableConstraint(c)
		}
		p.w(")")
	}
	if s.Like != nil {
		p.w(" LIKE ")
		p.objectName(s.Like)
	}
	if s.Using != nil {
		p.w(" USING ")
		p.ident(s.Using)
	}
	if s.Options != nil {
		p.w(" OPTIONS ")
		p.props(s.Options)
	}
	p.kwStr("COMMENT", s.Comment)
	if s.PartitionedBy != nil {
		p.w(" PARTITIONED BY (")
		p.columnDefs(s.PartitionedBy)
		p.w(")")
	} else if s.PartitionedByNames != nil {
		p.w(" PARTITIONED BY ")
		p.parenIdents(s.PartitionedByNames)
	}
	if b := s.ClusteredBy; b != nil {
		p.w(" CLUSTERED BY ")
		p.parenIdents(b.Columns)
		if b.SortedBy != nil {
			p.w(" SORTED BY (")
			p.orderItems(b.SortedBy)
			p.w(")")
		}
		p.w(" INTO ", b.Buckets.Raw, " BUCKETS")
	}
	if k := s.SkewedBy; k != nil {
		p.w(" SKEWED BY ")
		p.parenIdents(k.Columns)
		p.w(" ON (")
		for i, row := range k.Values {
			if i > 0 {
				p.w(", ")
			}
			if len(row) == 1 {
				p.expr(row[0], 0)
			} else {
				p.w("(")
				p.exprs(row)
				p.w(")")
			}
		}
		p.w(")")
		if k.AsDirectories {
			p.w(" STORED AS DIRECTORIES")
		}
	}
	if s.RowFormat != nil {
		p.w(" ")
		p.rowFormat(s.RowFormat)
	}
	if s.StoredAs != nil {
		p.w(" STORED AS ")
		p.storedAsBody(s.StoredAs)
	}
	if s.StoredBy != nil {
		p.w(" STORED BY ")
		p.str(s.StoredBy.Handler)
		if s.StoredBy.SerdeProps != nil {
			p.w(" WITH SERDEPROPERTIES ")
			p.props(s.StoredBy.SerdeProps)
		}
	}
	p.kwStr("LOCATION", s.Location)
	if s.TblProps != nil {
		p.w(" TBLPROPERTIES ")
		p.props(s.TblProps)
	}
	if s.AsQuery != nil {
		p.w(" AS ")
		p.query(s.AsQuery)
	}
}

func (p *printer) tableConstraint(c *ast.TableConstraint) {
	if c.Name != nil {
		p.w("CONSTRAINT ")
		p.ident(c.Name)
		p.w(" ")
	}
	p.w(c.Kind)
	switch c.Kind {
	case "CHECK":
		p.w(" (")
		p.expr(c.Expr, 0)
		p.w(")")
	default:
		p.w(" ")
		p.parenIdents(c.Columns)
		if c.Kind == "FOREIGN KEY" {
			p.w(" REFERENCES ")
			p.objectName(c.Ref)
			p.w(" ")
			p.parenIdents(c.RefCols)
		}
	}
	for _, o := range c.Options {
		p.w(" ", o)
	}
}

func (p *printer) alterAction(a ast.AlterAction) {
	switch a := a.(type) {
	case *ast.RenameTo:
		p.w("RENAME TO ")
		p.objectName(a.NewName)
	case *ast.AddColumns:
		if a.Replace {
			p.w("REPLACE COLUMNS (")
		} else {
			p.w("ADD COLUMNS (")
		}
		p.columnDefs(a.Columns)
		p.w(")")
		cascadeRestrict(p, a.Cascade, a.Restrict)
	case *ast.ChangeColumn:
		p.w("CHANGE COLUMN ")
		p.ident(a.Old)
		p.w(" ")
		p.columnDef(a.New)
		if a.First {
			p.w(" FIRST")
		} else if a.After != nil {
			p.w(" AFTER ")
			p.ident(a.After)
		}
		cascadeRestrict(p, a.Cascade, a.Restrict)
	case *ast.SetTblProps:
		p.w("SET TBLPROPERTIES ")
		p.props(a.Props)
	case *ast.UnsetTblProps:
		p.w("UNSET TBLPROPERTIES")
		p.ifExists(a.IfExists)
		p.w(" (")
		for i, k := range a.Keys {
			if i > 0 {
				p.w(", ")
			}
			p.str(k)
		}
		p.w(")")
	case *ast.SetSerde:
		if a.Serde != nil {
			p.w("SET SERDE ")
			p.str(a.Serde)
			if a.Props != nil {
				p.w(" WITH SERDEPROPERTIES ")
				p.props(a.Props)
			}
		} else {
			p.w("SET SERDEPROPERTIES ")
			p.props(a.Props)
		}
	case *ast.SetFileFormat:
		p.w("SET FILEFORMAT ")
		p.storedAsBody(a.Format)
	case *ast.SetLocation:
		p.w("SET LOCATION ")
		p.str(a.Location)
	case *ast.AddPartitions:
		p.w("ADD")
		p.ifNotExists(a.IfNotExists)
		for _, pl := range a.Partitions {
			p.w(" ")
			p.partitionSpec(pl.Spec)
			p.kwStr("LOCATION", pl.Location)
		}
	case *ast.DropPartitions:
		p.w("DROP")
		p.ifExists(a.IfExists)
		for i, ps := range a.Partitions {
			if i > 0 {
				p.w(",")
			}
			p.w(" ")
			p.partitionSpec(ps)
		}
		if a.Purge {
			p.w(" PURGE")
		}
	case *ast.RenamePartition:
		p.w("RENAME TO ")
		p.partitionSpec(a.To)
	case *ast.SimpleAction:
		p.w(strings.Join(a.Words, " "))
	case *ast.AlterViewAs:
		p.w("AS ")
		p.query(a.Query)
	case *ast.SetOwner:
		p.w("SET OWNER ", a.OwnerType, " ")
		p.ident(a.Owner)
	default:
		p.w(fmt.Sprintf("/* unprintable %T */", a))
	}
}

func cascadeRestrict(p *printer, cascade, restrict bool) {
	if cascade {
		p.w(" CASCADE")
	} else if restrict {
		p.w(" RESTRICT")
	}
}

func (p *printer) show(s *ast.ShowStmt) {
	in := func() {
		if s.In != nil {
			p.w(" IN ")
			p.ident(s.In)
		}
	}
	like := func() {
		p.kwStr("LIKE", s.Like)
	}
	switch s.Kind {
	case ast.ShowDatabases:
		p.w("SHOW DATABASES")
		like()
	case ast.ShowTables:
		p.w("SHOW TABLES")
		in()
		like()
	case ast.ShowViews:
		p.w("SHOW VIEWS")
		in()
		like()
	case ast.ShowPartitions:
		p.w("SHOW PARTITIONS ")
		p.objectName(s.Table)
		p.optPartition(s.Partition)
	case ast.ShowFunctions:
		p.w("SHOW FUNCTIONS")
		like()
	case ast.ShowColumns:
		p.w("SHOW COLUMNS IN ")
		p.objectName(s.Table)
		in()
	case ast.ShowCreateTable:
		p.w("SHOW CREATE TABLE ")
		p.objectName(s.Table)
	case ast.ShowTblProperties:
		p.w("SHOW TBLPROPERTIES ")
		p.objectName(s.Table)
		if s.Key != nil {
			p.w("(")
			p.str(s.Key)
			p.w(")")
		}
	case ast.ShowTableExtended:
		p.w("SHOW TABLE EXTENDED")
		in()
		like()
		p.optPartition(s.Partition)
	case ast.ShowCurrentDatabase:
		p.w("SHOW CURRENT DATABASE")
	}
}
