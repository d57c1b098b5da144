package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/hiveql/ast"
)

// pad20 pads s to Hive's DESCRIBE column width (20) the way MetaDataFormatUtils does.
func pad20(s string) string {
	if len(s) >= 20 {
		return s
	}
	return s + strings.Repeat(" ", 20-len(s))
}

func (x *stmtExec) println(s string) { fmt.Fprintln(x.s.stdout, s); x.rec.Rows++ }

func (x *stmtExec) show(ctx context.Context, n *ast.ShowStmt) error {
	s := x.s
	x.rec.Rows = 0
	pattern := ""
	if n.Like != nil {
		pattern = n.Like.Value
	}
	switch n.Kind {
	case ast.ShowDatabases:
		names, err := s.cat.ListDatabases(ctx, pattern)
		if err != nil {
			return x.wrap(n, err)
		}
		for _, name := range names {
			x.println(name)
		}
		return nil
	case ast.ShowCurrentDatabase:
		x.println(s.currentDB)
		return nil
	case ast.ShowTables, ast.ShowViews, ast.ShowTableExtended:
		db := s.currentDB
		if n.In != nil {
			db = strings.ToLower(n.In.Name)
		}
		if _, err := s.cat.GetDatabase(ctx, db); err != nil {
			return x.errorf(KindSemantic, n, "Database does not exist: %s", db)
		}
		names, err := s.cat.ListTables(ctx, db, pattern)
		if err != nil {
			return x.wrap(n, err)
		}
		if n.Kind == ast.ShowViews {
			tables, err := s.cat.GetTables(ctx, db, names)
			if err != nil {
				return x.wrap(n, err)
			}
			names = names[:0]
			for _, t := range tables {
				if t.IsView() {
					names = append(names, t.Name)
				}
			}
		}
		if db == s.currentDB {
			for name := range s.tempTables {
				if pattern == "" || catalogMatch(pattern, name) {
					names = append(names, name)
				}
			}
			sort.Strings(names)
		}
		for _, name := range names {
			x.println(name)
		}
		return nil
	case ast.ShowPartitions:
		t, err := x.getTable(ctx, n.Table)
		if err != nil {
			return err
		}
		if len(t.PartitionKeys) == 0 {
			return x.errorf(KindSemantic, n.Table, "Table %s is not a partitioned table", t.Name)
		}
		parts, err := x.matchPartitions(ctx, t, n.Partition)
		if err != nil {
			return err
		}
		for _, p := range parts {
			name, err := catalog.MakePartName(t.PartitionKeys, p.Values)
			if err != nil {
				return x.wrap(n, err)
			}
			x.println(name)
		}
		return nil
	case ast.ShowFunctions:
		names := s.funcs.Names()
		for name := range s.tempFuncs {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if pattern == "" || catalogMatch(pattern, name) {
				x.println(name)
			}
		}
		return nil
	case ast.ShowColumns:
		t, err := x.getTable(ctx, n.Table)
		if err != nil {
			return err
		}
		for _, c := range append(append([]catalog.FieldSchema(nil), t.SD.Cols...), t.PartitionKeys...) {
			x.println(pad20(c.Name))
		}
		return nil
	case ast.ShowTblProperties:
		t, err := x.getTable(ctx, n.Table)
		if err != nil {
			return err
		}
		if n.Key != nil {
			if v, ok := t.Parameters[n.Key.Value]; ok {
				x.println(v)
			} else {
				x.println(fmt.Sprintf("Table %s.%s does not have property: %s", t.DBName, t.Name, n.Key.Value))
			}
			return nil
		}
		for _, k := range sortedKeys(t.Parameters) {
			x.println(k + "\t" + t.Parameters[k])
		}
		return nil
	case ast.ShowCreateTable:
		t, err := x.getTable(ctx, n.Table)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(ShowCreateTable(t), "\n") {
			x.println(line)
		}
		return nil
	}
	return x.errorf(KindUnsupported, n, "this SHOW form is not supported yet")
}

// catalogMatch applies a Hive SHOW pattern (`*` wildcard, `|` alternatives, case-insensitive).
func catalogMatch(pattern, name string) bool {
	return catalog.CompilePattern(pattern).Match(name)
}

func (x *stmtExec) describe(ctx context.Context, n *ast.DescribeStmt) error {
	s := x.s
	x.rec.Rows = 0
	if n.Database {
		name := strings.ToLower(n.Name.Parts[len(n.Name.Parts)-1].Name)
		db, err := s.cat.GetDatabase(ctx, name)
		if err != nil {
			return x.errorf(KindSemantic, n.Name, "Database does not exist: %s", name)
		}
		x.println(strings.Join([]string{db.Name, db.Description, db.LocationURI, db.ManagedLocationURI, db.OwnerName, db.OwnerType, ""}, "\t"))
		return nil
	}
	if n.Function {
		name := n.Name.Parts[len(n.Name.Parts)-1].Name
		if _, ok := s.funcs.Lookup(name); ok {
			x.println(fmt.Sprintf("%s is a built-in Hive function (run by Waggle's engine)", name))
		} else if _, ok := s.tempFuncs[strings.ToLower(name)]; ok {
			x.println(fmt.Sprintf("%s is a temporary function", name))
		} else {
			x.println(fmt.Sprintf("Function '%s' does not exist.", name))
		}
		return nil
	}
	t, err := x.getTable(ctx, n.Name)
	if err != nil {
		return err
	}
	cols := t.SD.Cols
	if len(n.Column) > 0 {
		var found []catalog.FieldSchema
		for _, c := range append(append([]catalog.FieldSchema(nil), cols...), t.PartitionKeys...) {
			if strings.EqualFold(c.Name, n.Column[0].Name) {
				found = append(found, c)
			}
		}
		if len(found) == 0 {
			return x.errorf(KindSemantic, n.Column[0], "Invalid column reference %s", n.Column[0].Name)
		}
		for _, c := range found {
			x.println(pad20(c.Name) + "\t" + pad20(c.Type) + "\t" + pad20(c.Comment))
		}
		return nil
	}
	if n.Formatted {
		x.println(pad20("# col_name") + "\t" + pad20("data_type") + "\t" + pad20("comment"))
	}
	for _, c := range cols {
		x.println(pad20(c.Name) + "\t" + pad20(c.Type) + "\t" + pad20(c.Comment))
	}
	for _, c := range t.PartitionKeys {
		if !n.Formatted {
			x.println(pad20(c.Name) + "\t" + pad20(c.Type) + "\t" + pad20(c.Comment))
		}
	}
	if len(t.PartitionKeys) > 0 {
		x.println("\t \t ")
		x.println("# Partition Information\t \t ")
		x.println(pad20("# col_name") + "\t" + pad20("data_type") + "\t" + pad20("comment"))
		for _, c := range t.PartitionKeys {
			x.println(pad20(c.Name) + "\t" + pad20(c.Type) + "\t" + pad20(c.Comment))
		}
	}
	if n.Extended {
		x.println("\t \t ")
		x.println(fmt.Sprintf("Detailed Table Information\tTable(tableName:%s, dbName:%s, owner:%s, location:%s, tableType:%s, inputFormat:%s, outputFormat:%s, serde:%s)\t ",
			t.Name, t.DBName, t.Owner, t.SD.Location, t.TableType, t.SD.InputFormat, t.SD.OutputFormat, t.SD.SerDe.SerializationLib))
	}
	if n.Formatted {
		x.println("\t \t ")
		x.println("# Detailed Table Information\t \t ")
		x.println("Database:           \t" + t.DBName + "\t ")
		x.println("Owner:              \t" + t.Owner + "\t ")
		x.println("Location:           \t" + t.SD.Location + "\t ")
		x.println("Table Type:         \t" + t.TableType + "\t ")
		if len(t.Parameters) > 0 {
			x.println("Table Parameters:\t \t ")
			for _, k := range sortedKeys(t.Parameters) {
				x.println("\t" + pad20(k) + "\t" + t.Parameters[k])
			}
		}
		x.println("\t \t ")
		x.println("# Storage Information\t \t ")
		x.println("SerDe Library:      \t" + t.SD.SerDe.SerializationLib + "\t ")
		x.println("InputFormat:        \t" + t.SD.InputFormat + "\t ")
		x.println("OutputFormat:       \t" + t.SD.OutputFormat + "\t ")
		if t.IsView() {
			x.println("\t \t ")
			x.println("# View Information\t \t ")
			x.println("Original Query:     \t" + t.ViewOriginalText + "\t ")
			x.println("Expanded Query:     \t" + t.ViewExpandedText + "\t ")
		}
	}
	return nil
}

// ShowCreateTable renders a table's DDL the way Hive's SHOW CREATE TABLE does.
func ShowCreateTable(t *catalog.Table) string {
	var b strings.Builder
	if t.IsView() {
		fmt.Fprintf(&b, "CREATE VIEW `%s`.`%s` AS %s", t.DBName, t.Name, t.ViewExpandedText)
		return b.String()
	}
	b.WriteString("CREATE ")
	if t.TableType == catalog.ExternalTable {
		b.WriteString("EXTERNAL ")
	}
	fmt.Fprintf(&b, "TABLE `%s.%s`(\n", t.DBName, t.Name)
	for i, c := range t.SD.Cols {
		fmt.Fprintf(&b, "  `%s` %s", c.Name, c.Type)
		if c.Comment != "" {
			fmt.Fprintf(&b, " COMMENT '%s'", strings.ReplaceAll(c.Comment, "'", "\\'"))
		}
		if i < len(t.SD.Cols)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString(")")
	if c, ok := t.Parameters["comment"]; ok {
		fmt.Fprintf(&b, "\nCOMMENT '%s'", strings.ReplaceAll(c, "'", "\\'"))
	}
	if len(t.PartitionKeys) > 0 {
		b.WriteString("\nPARTITIONED BY ( \n")
		for i, c := range t.PartitionKeys {
			fmt.Fprintf(&b, "  `%s` %s", c.Name, c.Type)
			if i < len(t.PartitionKeys)-1 {
				b.WriteString(",")
			}
			b.WriteString(")")
		}
	}
	fmt.Fprintf(&b, "\nROW FORMAT SERDE \n  '%s' ", t.SD.SerDe.SerializationLib)
	if len(t.SD.SerDe.Parameters) > 0 {
		b.WriteString("\nWITH SERDEPROPERTIES ( \n")
		keys := sortedKeys(t.SD.SerDe.Parameters)
		for i, k := range keys {
			fmt.Fprintf(&b, "  '%s'='%s'", k, escapeDDL(t.SD.SerDe.Parameters[k]))
			if i < len(keys)-1 {
				b.WriteString(", ")
			}
			b.WriteString("\n")
		}
		b.WriteString(") ")
	}
	fmt.Fprintf(&b, "\nSTORED AS INPUTFORMAT \n  '%s' \nOUTPUTFORMAT \n  '%s'", t.SD.InputFormat, t.SD.OutputFormat)
	fmt.Fprintf(&b, "\nLOCATION\n  '%s'", t.SD.Location)
	var keys []string
	for _, k := range sortedKeys(t.Parameters) {
		if k != "comment" && k != "EXTERNAL" {
			keys = append(keys, k)
		}
	}
	if len(keys) > 0 {
		b.WriteString("\nTBLPROPERTIES (")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "\n  '%s'='%s'", k, escapeDDL(t.Parameters[k]))
		}
		b.WriteString(")")
	}
	return b.String()
}

// escapeDDL writes control characters of SerDe parameters as Hive's SHOW CREATE TABLE does (\u0001).
func escapeDDL(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\'':
			b.WriteString(`\'`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
