package engine

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/engine/tableformat"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/types"
	"github.com/waggle-dev/waggle/storage"
	"github.com/waggle-dev/waggle/translate"
)

// Hive's SerDe parameter keys.
const (
	serdeFieldDelim      = "field.delim"
	serdeFormat          = "serialization.format"
	serdeCollectionDelim = "collection.delim"
	serdeMapKeyDelim     = "mapkey.delim"
	serdeLineDelim       = "line.delim"
	serdeEscapeDelim     = "escape.delim"
	serdeNullFormat      = "serialization.null.format"
)

// storageFormat works out the SerDe and input/output formats of a CREATE TABLE (or INSERT DIRECTORY):
// STORED AS / STORED AS INPUTFORMAT..OUTPUTFORMAT / ROW FORMAT SERDE / USING provider, defaulting to
// hive.default.fileformat (TEXTFILE).
func (x *stmtExec) storageFormat(rf *ast.RowFormat, sa *ast.StoredAs, using *ast.Ident, node ast.Node) (*catalog.StorageDescriptor, error) {
	sd := &catalog.StorageDescriptor{NumBuckets: -1, SerDe: catalog.SerDeInfo{Parameters: map[string]string{}}, Parameters: map[string]string{}}
	format := x.s.conf["hive.default.fileformat"]
	if format == "" {
		format = "TEXTFILE"
	}
	switch {
	case sa != nil && sa.Format != nil:
		format = sa.Format.Name
	case using != nil:
		format = using.Name
	}
	if sa != nil && sa.InputFormat != nil {
		sd.InputFormat = sa.InputFormat.Value
		if sa.OutputFormat != nil {
			sd.OutputFormat = sa.OutputFormat.Value
		}
		serde, _, _, _ := tableformat.StorageFor("TEXTFILE")
		sd.SerDe.SerializationLib = serde
	} else {
		serde, in, out, ok := tableformat.StorageFor(format)
		if !ok {
			return nil, x.errorf(KindSemantic, node, "Unrecognized file format in STORED AS clause: '%s'", format)
		}
		sd.SerDe.SerializationLib, sd.InputFormat, sd.OutputFormat = serde, in, out
	}
	if rf != nil {
		if rf.Serde != nil {
			sd.SerDe.SerializationLib = rf.Serde.Value
			for k, v := range props(rf.SerdeProps) {
				sd.SerDe.Parameters[k] = v
			}
		}
		set := func(key string, lit *ast.StringLit) {
			if lit != nil {
				sd.SerDe.Parameters[key] = lit.Value
			}
		}
		set(serdeFieldDelim, rf.FieldsTerm)
		set(serdeFormat, rf.FieldsTerm)
		set(serdeEscapeDelim, rf.FieldsEscape)
		set(serdeCollectionDelim, rf.CollectionTerm)
		set(serdeMapKeyDelim, rf.MapKeysTerm)
		set(serdeLineDelim, rf.LinesTerm)
		set(serdeNullFormat, rf.NullDefinedAs)
	}
	if _, ok := sd.SerDe.Parameters[serdeFormat]; !ok && strings.Contains(sd.SerDe.SerializationLib, "LazySimpleSerDe") {
		sd.SerDe.Parameters[serdeFormat] = "1"
	}
	return sd, nil
}

func (x *stmtExec) createTable(ctx context.Context, n *ast.CreateTableStmt) error {
	s := x.s
	db, name := x.tableName(n.Name)
	if n.Temporary {
		if _, ok := s.tempTables[name]; ok {
			if n.IfNotExists {
				return nil
			}
			return x.errorf(KindSemantic, n.Name, "Table %s already exists", name)
		}
	} else {
		if _, err := s.cat.GetDatabase(ctx, db); err != nil {
			if errors.Is(err, catalog.ErrNotFound) {
				return x.errorf(KindSemantic, n.Name, "Database does not exist: %s", db)
			}
			return x.wrap(n, err)
		}
		if _, err := s.cat.GetTable(ctx, db, name); err == nil {
			if n.IfNotExists {
				return nil
			}
			return x.errorf(KindSemantic, n.Name, "Table %s.%s already exists", db, name)
		} else if !errors.Is(err, catalog.ErrNotFound) {
			return x.wrap(n, err)
		}
	}

	var t *catalog.Table
	if n.Like != nil {
		src, err := x.getTable(ctx, n.Like)
		if err != nil {
			return err
		}
		t = cloneTable(src)
		t.TableType = catalog.ManagedTable
		delete(t.Parameters, "EXTERNAL")
		t.SD.Location = ""
		if src.IsView() {
			// CREATE TABLE LIKE view: a text table with the view's columns.
			sd, err := x.storageFormat(nil, nil, nil, n)
			if err != nil {
				return err
			}
			sd.Cols = src.SD.Cols
			t.SD = sd
			t.ViewOriginalText, t.ViewExpandedText = "", ""
		}
	} else {
		sd, err := x.storageFormat(n.RowFormat, n.StoredAs, n.Using, n)
		if err != nil {
			return err
		}
		if n.StoredBy != nil {
			return x.errorf(KindUnsupported, n.StoredBy, "STORED BY storage handlers (%s) are not supported by the embedded engine", n.StoredBy.Handler.Value)
		}
		for _, c := range n.Columns {
			f := catalog.FieldSchema{Name: strings.ToLower(c.Name.Name), Type: c.Type.Type.String()}
			if c.Comment != nil {
				f.Comment = c.Comment.Value
			}
			sd.Cols = append(sd.Cols, f)
		}
		t = &catalog.Table{SD: sd, Parameters: props(n.TblProps), TableType: catalog.ManagedTable}
		for _, c := range n.PartitionedBy {
			f := catalog.FieldSchema{Name: strings.ToLower(c.Name.Name), Type: c.Type.Type.String()}
			if c.Comment != nil {
				f.Comment = c.Comment.Value
			}
			t.PartitionKeys = append(t.PartitionKeys, f)
		}
		if n.ClusteredBy != nil {
			for _, c := range n.ClusteredBy.Columns {
				sd.BucketCols = append(sd.BucketCols, strings.ToLower(c.Name))
			}
			for _, o := range n.ClusteredBy.SortedBy {
				order := catalog.OrderAsc
				if o.Desc {
					order = catalog.OrderDesc
				}
				sd.SortCols = append(sd.SortCols, catalog.Order{Col: strings.ToLower(exprName(o.Expr)), Order: order})
			}
			fmt.Sscan(n.ClusteredBy.Buckets.Digits, &sd.NumBuckets)
		}
		for k, v := range props(n.Options) {
			if strings.EqualFold(k, "path") && n.Location == nil {
				sd.Location = v
				continue
			}
			sd.SerDe.Parameters[k] = v
		}
	}
	t.DBName, t.Name = db, name
	t.Owner, t.OwnerType = s.system["user.name"], catalog.PrincipalUser
	t.CreateTime = time.Now().Unix()
	if t.Parameters == nil {
		t.Parameters = map[string]string{}
	}
	if n.Comment != nil {
		t.Parameters["comment"] = n.Comment.Value
	}
	if n.External {
		t.TableType = catalog.ExternalTable
		t.Parameters["EXTERNAL"] = "TRUE"
	}
	if n.Location != nil {
		loc, err := s.st.Qualify(n.Location.Value)
		if err != nil {
			return x.wrap(n.Location, err)
		}
		t.SD.Location = loc
	} else if t.SD.Location != "" {
		loc, err := s.st.Qualify(t.SD.Location)
		if err != nil {
			return x.wrap(n, err)
		}
		t.SD.Location = loc
	}

	var query *translate.Result
	if n.AsQuery != nil {
		if n.External && n.Location == nil {
			return x.errorf(KindSemantic, n, "CREATE EXTERNAL TABLE ... AS SELECT needs a LOCATION")
		}
		res, err := x.translateQuery(ctx, n.AsQuery)
		if err != nil {
			return err
		}
		query = res
		if len(n.Columns) > 0 {
			return x.errorf(KindSemantic, n.Columns[0], "CREATE TABLE AS SELECT cannot specify the list of columns for the target table")
		}
		partNames := map[string]bool{}
		for _, p := range n.PartitionedByNames {
			partNames[strings.ToLower(p.Name)] = true
		}
		var dataCols, partCols []catalog.FieldSchema
		for _, c := range res.Columns {
			f := catalog.FieldSchema{Name: c.Name, Type: c.Type.String()}
			if c.Type.Kind == types.Void { // a bare NULL column: Hive 3 stores it as string? use string
				f.Type = "string"
			}
			if partNames[c.Name] {
				partCols = append(partCols, f)
			} else {
				dataCols = append(dataCols, f)
			}
		}
		if len(partCols) < len(n.PartitionedByNames) {
			for _, p := range n.PartitionedByNames {
				found := false
				for _, c := range partCols {
					found = found || c.Name == strings.ToLower(p.Name)
				}
				if !found {
					return x.errorf(KindSemantic, p, "partition column %s is not a column of the query", p.Name)
				}
			}
		}
		if len(partCols) > 0 {
			// Spark's CTAS ... PARTITIONED BY (names): partition columns go last, in PARTITIONED BY order,
			// and are written as dynamic partitions (no strict-mode requirement, as in Spark).
			sqlNames := res.SQLNames
			if len(sqlNames) != len(res.Columns) {
				sqlNames = nil
				for _, c := range res.Columns {
					sqlNames = append(sqlNames, c.Name)
				}
			}
			var sel []string
			var cols []translate.Column
			for i, c := range res.Columns {
				if !partNames[c.Name] {
					sel, cols = append(sel, duckdbsql.Ident(sqlNames[i])), append(cols, c)
				}
			}
			partCols = partCols[:0]
			for _, p := range n.PartitionedByNames {
				for i, c := range res.Columns {
					if c.Name == strings.ToLower(p.Name) {
						sel, cols = append(sel, duckdbsql.Ident(sqlNames[i])), append(cols, c)
						partCols = append(partCols, catalog.FieldSchema{Name: c.Name, Type: c.Type.String()})
					}
				}
			}
			query = &translate.Result{SQL: "SELECT " + strings.Join(sel, ", ") + " FROM (" + res.SQL + ")", Columns: cols}
			x.dynamicWithoutStatic = true
		}
		t.SD.Cols = dataCols
		t.PartitionKeys = partCols
	}

	if n.Temporary {
		t.Temporary = true
		if t.SD.Location == "" {
			t.SD.Location = "file://" + path.Join(s.tmp, "temptables", name)
		}
		if err := s.st.MkdirAll(ctx, t.SD.Location); err != nil {
			return x.wrap(n, err)
		}
		s.tempTables[name] = t
	} else {
		if err := s.cat.CreateTable(ctx, t); err != nil {
			return x.wrap(n, err)
		}
		created, err := s.cat.GetTable(ctx, db, name)
		if err != nil {
			return x.wrap(n, err)
		}
		t = created
		if err := s.st.MkdirAll(ctx, t.SD.Location); err != nil {
			_ = s.cat.DropTable(ctx, db, name)
			return x.wrap(n, fmt.Errorf("create table directory: %w", err))
		}
	}
	if query != nil {
		if err := x.writeQuery(ctx, t, query, nil, false, n); err != nil {
			// CTAS is all or nothing: remove the table again.
			if t.Temporary {
				delete(s.tempTables, name)
			} else {
				_ = s.cat.DropTable(ctx, db, name)
			}
			if n.Location == nil {
				_ = s.st.Delete(ctx, t.SD.Location, true)
			}
			return err
		}
	}
	return nil
}

func exprName(e ast.Expr) string {
	if c, ok := e.(*ast.ColumnRef); ok {
		return c.Parts[len(c.Parts)-1].Name
	}
	return ""
}

func cloneTable(t *catalog.Table) *catalog.Table {
	c := *t
	c.Parameters = map[string]string{}
	for k, v := range t.Parameters {
		c.Parameters[k] = v
	}
	if t.SD != nil {
		sd := *t.SD
		sd.Cols = append([]catalog.FieldSchema(nil), t.SD.Cols...)
		sd.SerDe.Parameters = map[string]string{}
		for k, v := range t.SD.SerDe.Parameters {
			sd.SerDe.Parameters[k] = v
		}
		sd.Parameters = map[string]string{}
		for k, v := range t.SD.Parameters {
			sd.Parameters[k] = v
		}
		c.SD = &sd
	}
	c.PartitionKeys = append([]catalog.FieldSchema(nil), t.PartitionKeys...)
	return &c
}

func (x *stmtExec) dropTable(ctx context.Context, n *ast.DropTableStmt) error {
	s := x.s
	db, name := x.tableName(n.Name)
	if len(n.Name.Parts) == 1 {
		if t, ok := s.tempTables[name]; ok {
			delete(s.tempTables, name)
			return x.wrap(n, s.st.Delete(ctx, t.SD.Location, true))
		}
	}
	t, err := s.cat.GetTable(ctx, db, name)
	if err != nil {
		if errors.Is(err, catalog.ErrNotFound) {
			// hive.exec.drop.ignorenonexistent (default true): dropping a missing table is not an error.
			if n.IfExists || s.conf["hive.exec.drop.ignorenonexistent"] != "false" {
				return nil
			}
			return x.errorf(KindSemantic, n.Name, "Table not found '%s.%s'", db, name)
		}
		return x.wrap(n, err)
	}
	if n.View && !t.IsView() {
		return x.errorf(KindSemantic, n.Name, "Cannot drop a base table with DROP VIEW")
	}
	if !n.View && t.IsView() {
		return x.errorf(KindSemantic, n.Name, "Cannot drop a view with DROP TABLE")
	}
	var partLocs []string
	if t.TableType == catalog.ManagedTable && len(t.PartitionKeys) > 0 {
		parts, err := s.cat.ListPartitions(ctx, db, name, -1)
		if err != nil {
			return x.wrap(n, err)
		}
		for _, p := range parts {
			if p.SD != nil && p.SD.Location != "" {
				partLocs = append(partLocs, dataRoot(p.SD.Location))
			}
		}
	}
	if err := s.cat.DropTable(ctx, db, name); err != nil {
		return x.wrap(n, err)
	}
	// Managed tables own their data; EXTERNAL tables only lose their metadata. PURGE (skip the trash)
	// is what Waggle always does: there is no trash.
	if t.TableType == catalog.ManagedTable && t.SD != nil && t.SD.Location != "" {
		for _, loc := range partLocs {
			if err := s.st.Delete(ctx, loc, true); err != nil {
				return x.wrap(n, fmt.Errorf("delete partition data: %w", err))
			}
		}
		if err := s.st.Delete(ctx, dataRoot(t.SD.Location), true); err != nil {
			return x.wrap(n, fmt.Errorf("delete table data: %w", err))
		}
	}
	return nil
}

func (x *stmtExec) truncate(ctx context.Context, n *ast.TruncateStmt) error {
	t, err := x.getTable(ctx, n.Name)
	if err != nil {
		return err
	}
	if t.TableType != catalog.ManagedTable && !t.Temporary {
		return x.errorf(KindSemantic, n.Name, "Cannot truncate non-managed table %s.", t.Name)
	}
	var dirs []string
	if len(t.PartitionKeys) == 0 {
		dirs = []string{t.SD.Location}
	} else {
		parts, err := x.matchPartitions(ctx, t, n.Partition)
		if err != nil {
			return err
		}
		for _, p := range parts {
			dirs = append(dirs, p.SD.Location)
		}
	}
	for _, d := range dirs {
		files, err := x.s.st.ListFiles(ctx, d, false)
		if err != nil {
			return x.wrap(n, err)
		}
		for _, f := range files {
			if !f.IsDir {
				if err := x.s.st.Delete(ctx, f.Path, false); err != nil {
					return x.wrap(n, err)
				}
			}
		}
	}
	return nil
}

func (x *stmtExec) createView(ctx context.Context, n *ast.CreateViewStmt) error {
	s := x.s
	db, name := x.tableName(n.Name)
	res, err := x.translateQuery(ctx, n.Query)
	if err != nil {
		return err
	}
	if len(n.Columns) > 0 && len(n.Columns) != len(res.Columns) {
		return x.errorf(KindSemantic, n.Name, "The number of columns produced by the SELECT clause (%d) does not match the number of column names specified by CREATE VIEW (%d)", len(res.Columns), len(n.Columns))
	}
	text := x.sub.Text[n.Query.Pos():n.Query.End()]
	t := &catalog.Table{DBName: db, Name: name, TableType: catalog.VirtualView, Owner: s.system["user.name"], OwnerType: catalog.PrincipalUser,
		CreateTime: time.Now().Unix(), Parameters: props(n.TblProps), ViewOriginalText: text, ViewExpandedText: text,
		SD: &catalog.StorageDescriptor{NumBuckets: -1, SerDe: catalog.SerDeInfo{Parameters: map[string]string{}}, Parameters: map[string]string{}}}
	if n.Comment != nil {
		t.Parameters["comment"] = n.Comment.Value
	}
	for i, c := range res.Columns {
		f := catalog.FieldSchema{Name: c.Name, Type: c.Type.String()}
		if len(n.Columns) > 0 {
			f.Name = strings.ToLower(n.Columns[i].Name.Name)
			if n.Columns[i].Comment != nil {
				f.Comment = n.Columns[i].Comment.Value
			}
		}
		t.SD.Cols = append(t.SD.Cols, f)
	}
	if n.Temporary {
		t.Temporary = true
		s.tempTables[name] = t
		return nil
	}
	if old, err := s.cat.GetTable(ctx, db, name); err == nil {
		switch {
		case n.IfNotExists:
			return nil
		case n.OrReplace && old.IsView():
			return x.wrap(n, s.cat.AlterTable(ctx, db, name, t))
		case n.OrReplace:
			return x.errorf(KindSemantic, n.Name, "Existing table is not a view: %s.%s", db, name)
		default:
			return x.errorf(KindSemantic, n.Name, "Table already exists: %s.%s", db, name)
		}
	}
	return x.wrap(n, s.cat.CreateTable(ctx, t))
}

func (x *stmtExec) msck(ctx context.Context, n *ast.MsckStmt) error {
	t, err := x.getTable(ctx, n.Table)
	if err != nil {
		return err
	}
	added, err := x.recoverPartitions(ctx, t)
	if err != nil {
		return x.wrap(n, err)
	}
	for _, p := range added {
		fmt.Fprintf(x.s.stderr, "Repair: Added partition to metastore %s:%s\n", t.Name, p)
	}
	return nil
}

// recoverPartitions registers partition directories found under the table location that the catalog
// does not know (MSCK REPAIR TABLE / ALTER TABLE RECOVER PARTITIONS).
func (x *stmtExec) recoverPartitions(ctx context.Context, t *catalog.Table) ([]string, error) {
	if len(t.PartitionKeys) == 0 {
		return nil, nil
	}
	known, err := x.s.cat.ListPartitionNames(ctx, t.DBName, t.Name, -1)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, k := range known {
		have[k] = true
	}
	var found []string
	var walk func(dir string, depth int, prefix string) error
	walk = func(dir string, depth int, prefix string) error {
		entries, err := x.s.st.List(ctx, dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if !e.IsDir || storage.IsHidden(e.Name) {
				continue
			}
			key, _, ok := strings.Cut(e.Name, "=")
			if !ok || !strings.EqualFold(key, t.PartitionKeys[depth].Name) {
				continue
			}
			name := prefix + e.Name
			if depth == len(t.PartitionKeys)-1 {
				found = append(found, name)
			} else if err := walk(e.Path, depth+1, name+"/"); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(t.SD.Location, 0, ""); err != nil {
		return nil, err
	}
	var parts []*catalog.Partition
	var added []string
	for _, name := range found {
		if have[name] {
			continue
		}
		_, vals, err := catalog.ParsePartName(name)
		if err != nil {
			continue
		}
		sd := *t.SD
		sd.Location = strings.TrimSuffix(t.SD.Location, "/") + "/" + name
		parts = append(parts, &catalog.Partition{DBName: t.DBName, TableName: t.Name, Values: vals, SD: &sd, CreateTime: time.Now().Unix()})
		added = append(added, name)
	}
	if len(parts) > 0 {
		if err := x.s.cat.AddPartitions(ctx, parts, true); err != nil {
			return nil, err
		}
	}
	return added, nil
}
