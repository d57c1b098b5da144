package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/hiveql/types"
	"github.com/waggle-dev/waggle/translate"
)

// run dispatches a parsed statement.
func (x *stmtExec) run(ctx context.Context, stmt ast.Stmt) error {
	switch n := stmt.(type) {
	case *ast.SetStmt:
		x.rec.Kind = "SET"
		return x.set(n)
	case *ast.ResetStmt:
		x.rec.Kind = "RESET"
		return x.reset(n)
	case *ast.UseStmt:
		x.rec.Kind = "SWITCHDATABASE"
		return x.use(ctx, n)
	case *ast.CreateDatabaseStmt:
		x.rec.Kind = "CREATEDATABASE"
		return x.createDatabase(ctx, n)
	case *ast.DropDatabaseStmt:
		x.rec.Kind = "DROPDATABASE"
		return x.dropDatabase(ctx, n)
	case *ast.AlterDatabaseStmt:
		x.rec.Kind = "ALTERDATABASE"
		return x.alterDatabase(ctx, n)
	case *ast.CreateTableStmt:
		x.rec.Kind = "CREATETABLE"
		if n.AsQuery != nil {
			x.rec.Kind = "CREATETABLE_AS_SELECT"
		}
		return x.createTable(ctx, n)
	case *ast.DropTableStmt:
		x.rec.Kind = "DROPTABLE"
		if n.View {
			x.rec.Kind = "DROPVIEW"
		}
		return x.dropTable(ctx, n)
	case *ast.TruncateStmt:
		x.rec.Kind = "TRUNCATETABLE"
		return x.truncate(ctx, n)
	case *ast.AlterTableStmt:
		x.rec.Kind = "ALTERTABLE"
		return x.alterTable(ctx, n)
	case *ast.MsckStmt:
		x.rec.Kind = "MSCK"
		return x.msck(ctx, n)
	case *ast.CreateViewStmt:
		x.rec.Kind = "CREATEVIEW"
		return x.createView(ctx, n)
	case *ast.CreateFunctionStmt:
		x.rec.Kind = "CREATEFUNCTION"
		return x.createFunction(ctx, n)
	case *ast.DropFunctionStmt:
		x.rec.Kind = "DROPFUNCTION"
		return x.dropFunction(ctx, n)
	case *ast.CreateMacroStmt:
		x.rec.Kind = "CREATEMACRO"
		return x.createMacro(n)
	case *ast.DropMacroStmt:
		x.rec.Kind = "DROPMACRO"
		name := strings.ToLower(n.Name.Name)
		if _, ok := x.s.macros[name]; !ok && !n.IfExists {
			return x.errorf(KindSemantic, n.Name, "Invalid macro name '%s'", n.Name.Name)
		}
		delete(x.s.macros, name)
		return nil
	case *ast.ReloadFunctionStmt:
		x.rec.Kind = "RELOADFUNCTION"
		return nil
	case *ast.LoadDataStmt:
		x.rec.Kind = "LOAD"
		return x.loadData(ctx, n)
	case *ast.InsertStmt:
		x.rec.Kind = "QUERY"
		return x.insert(ctx, n)
	case *ast.FromInsertStmt:
		x.rec.Kind = "QUERY"
		return x.fromInsert(ctx, n)
	case *ast.QueryStmt:
		x.rec.Kind = "QUERY"
		return x.query(ctx, n.Query)
	case *ast.ExplainStmt:
		x.rec.Kind = "EXPLAIN"
		return x.explain(ctx, n)
	case *ast.DescribeStmt:
		x.rec.Kind = "DESCTABLE"
		return x.describe(ctx, n)
	case *ast.ShowStmt:
		x.rec.Kind = "SHOW"
		return x.show(ctx, n)
	case *ast.AnalyzeStmt:
		// Statistics are DuckDB's business; ANALYZE is accepted so scripts run unchanged.
		x.rec.Kind = "ANALYZE"
		return nil
	case *ast.ResourceStmt:
		x.rec.Kind = "RESOURCE"
		return x.resource(n)
	case *ast.SourceStmt:
		x.rec.Kind = "SOURCE"
		return x.source(ctx, n)
	case *ast.CommandStmt:
		x.rec.Kind = "DFS"
		if strings.EqualFold(n.Name, "dfs") {
			return x.dfs(ctx, n)
		}
		// `!cmd` runs a shell command in Hive's CLI; Waggle does not run shell commands from scripts (in
		// server mode a job is somebody else's code on a shared host).
		return x.errorf(KindUnsupported, n, "the CLI command %q is not supported by Waggle (run it outside the script)", n.Name)
	case *ast.UpdateStmt, *ast.DeleteStmt, *ast.MergeStmt:
		return x.errorf(KindSemantic, stmt, "Attempt to do update or delete on a table that does not use an AcidOutputFormat: Waggle's tables are not transactional (use INSERT OVERWRITE to rewrite a table or partition)")
	}
	return x.errorf(KindUnsupported, stmt, "statement %T is not supported yet", stmt)
}

// ---------------------------------------------------------------------------------------------------
// Session commands

func (x *stmtExec) set(n *ast.SetStmt) error {
	s := x.s
	switch n.Kind {
	case ast.SetAll, ast.SetVerbose:
		for _, k := range sortedKeys(s.conf) {
			fmt.Fprintf(s.stdout, "%s=%s\n", k, s.conf[k])
		}
		for _, k := range sortedKeys(s.hivevars) {
			fmt.Fprintf(s.stdout, "hivevar:%s=%s\n", k, s.hivevars[k])
		}
		return nil
	case ast.SetShow:
		ns, key := splitNamespace(n.Key)
		var v string
		var ok bool
		switch ns {
		case "hivevar":
			v, ok = s.hivevars[key]
		case "system":
			v, ok = s.system[key]
		case "env":
			v, ok = os.LookupEnv(key)
		default:
			v, ok = s.conf[key]
		}
		if ok {
			fmt.Fprintf(s.stdout, "%s=%s\n", n.Key, v)
		} else {
			fmt.Fprintf(s.stdout, "%s is undefined\n", n.Key)
		}
		return nil
	}
	ns, key := splitNamespace(n.Key)
	switch ns {
	case "hivevar":
		s.hivevars[key] = n.Value
	case "system":
		s.system[key] = n.Value
	case "env":
		return x.errorf(KindSemantic, n, "env:* variables can not be set")
	default:
		s.conf[key] = n.Value
	}
	return nil
}

// splitNamespace splits `hivevar:x` into ("hivevar", "x"); keys without a known namespace are hiveconf.
func splitNamespace(key string) (ns, name string) {
	if i := strings.IndexByte(key, ':'); i > 0 {
		switch p := strings.ToLower(key[:i]); p {
		case "hivevar", "hiveconf", "system", "env":
			return p, key[i+1:]
		}
	}
	return "hiveconf", key
}

func (x *stmtExec) reset(n *ast.ResetStmt) error {
	s := x.s
	if len(n.Keys) == 0 {
		s.conf = map[string]string{}
		for k, v := range s.opts.Conf {
			s.conf[k] = v
		}
		return nil
	}
	for _, k := range n.Keys {
		if v, ok := s.opts.Conf[k]; ok {
			s.conf[k] = v
		} else {
			delete(s.conf, k)
		}
	}
	return nil
}

func (x *stmtExec) resource(n *ast.ResourceStmt) error {
	switch n.Op {
	case "LIST":
		for _, p := range x.s.resources[n.Kind] {
			fmt.Fprintln(x.s.stdout, p)
		}
	case "ADD":
		x.s.resources[n.Kind] = append(x.s.resources[n.Kind], n.Paths...)
	case "DELETE":
		keep := x.s.resources[n.Kind][:0]
	outer:
		for _, p := range x.s.resources[n.Kind] {
			for _, d := range n.Paths {
				if d == p {
					continue outer
				}
			}
			keep = append(keep, p)
		}
		x.s.resources[n.Kind] = keep
	}
	return nil
}

func (x *stmtExec) source(ctx context.Context, n *ast.SourceStmt) error {
	x.s.depth++
	defer func() { x.s.depth-- }()
	if x.s.depth > 16 {
		return x.errorf(KindSemantic, n, "source nested too deeply (a script sources itself?)")
	}
	// A local file read directly: check it against waggle.jobs.local.roots first.
	local, err := x.s.st.CheckLocal(n.Path)
	if err != nil {
		return x.wrap(n, err)
	}
	data, err := os.ReadFile(local)
	if err != nil {
		return x.errorf(KindExecution, n, "cannot read %s: %v", n.Path, err)
	}
	if err := x.s.RunScript(ctx, n.Path, string(data)); err != nil {
		return x.wrap(n, err)
	}
	return nil
}

// ---------------------------------------------------------------------------------------------------
// Databases

func (x *stmtExec) use(ctx context.Context, n *ast.UseStmt) error {
	name := strings.ToLower(n.Name.Name)
	if _, err := x.s.cat.GetDatabase(ctx, name); err != nil {
		if errors.Is(err, catalog.ErrNotFound) {
			return x.errorf(KindSemantic, n.Name, "Database does not exist: %s", n.Name.Name)
		}
		return x.wrap(n, err)
	}
	x.s.currentDB = name
	return nil
}

func (x *stmtExec) createDatabase(ctx context.Context, n *ast.CreateDatabaseStmt) error {
	name := strings.ToLower(n.Name.Name)
	db := &catalog.Database{Name: name, Parameters: props(n.Props), OwnerName: x.s.system["user.name"], OwnerType: catalog.PrincipalUser}
	if n.Comment != nil {
		db.Description = n.Comment.Value
	}
	if n.Location != nil {
		loc, err := x.s.st.Qualify(n.Location.Value)
		if err != nil {
			return x.wrap(n.Location, err)
		}
		db.LocationURI = loc
	}
	if n.ManagedLocation != nil {
		loc, err := x.s.st.Qualify(n.ManagedLocation.Value)
		if err != nil {
			return x.wrap(n.ManagedLocation, err)
		}
		db.ManagedLocationURI = loc
	}
	if err := x.s.cat.CreateDatabase(ctx, db); err != nil {
		if errors.Is(err, catalog.ErrAlreadyExists) {
			if n.IfNotExists {
				return nil
			}
			return x.errorf(KindSemantic, n.Name, "Database %s already exists", name)
		}
		return x.wrap(n, err)
	}
	created, err := x.s.cat.GetDatabase(ctx, name)
	if err != nil {
		return x.wrap(n, err)
	}
	if err := x.s.st.MkdirAll(ctx, created.LocationURI); err != nil {
		return x.wrap(n, fmt.Errorf("create database directory: %w", err))
	}
	return nil
}

func (x *stmtExec) dropDatabase(ctx context.Context, n *ast.DropDatabaseStmt) error {
	name := strings.ToLower(n.Name.Name)
	if name == catalog.DefaultDatabaseName {
		return x.errorf(KindSemantic, n.Name, "Can not drop default database")
	}
	db, err := x.s.cat.GetDatabase(ctx, name)
	if err != nil {
		if errors.Is(err, catalog.ErrNotFound) {
			if n.IfExists {
				return nil
			}
			return x.errorf(KindSemantic, n.Name, "Database does not exist: %s", n.Name.Name)
		}
		return x.wrap(n, err)
	}
	dropped, err := x.s.cat.DropDatabase(ctx, name, n.Cascade)
	if err != nil {
		if errors.Is(err, catalog.ErrInvalidOperation) {
			return x.errorf(KindSemantic, n.Name, "Database %s is not empty. One or more tables exist.", name)
		}
		return x.wrap(n, err)
	}
	for _, t := range dropped {
		if t.TableType == catalog.ManagedTable && t.SD != nil && t.SD.Location != "" {
			if err := x.s.st.Delete(ctx, dataRoot(t.SD.Location), true); err != nil {
				return x.wrap(n, fmt.Errorf("delete data of %s.%s: %w", t.DBName, t.Name, err))
			}
		}
	}
	if db.LocationURI != "" {
		// Hive deletes the database directory (it is managed).
		if err := x.s.st.Delete(ctx, db.LocationURI, true); err != nil {
			return x.wrap(n, fmt.Errorf("delete database directory: %w", err))
		}
	}
	if x.s.currentDB == name {
		x.s.currentDB = catalog.DefaultDatabaseName
	}
	return nil
}

func (x *stmtExec) alterDatabase(ctx context.Context, n *ast.AlterDatabaseStmt) error {
	name := strings.ToLower(n.Name.Name)
	db, err := x.s.cat.GetDatabase(ctx, name)
	if err != nil {
		return x.wrap(n.Name, err)
	}
	if db.Parameters == nil {
		db.Parameters = map[string]string{}
	}
	for k, v := range props(n.Props) {
		db.Parameters[k] = v
	}
	if n.Owner != nil {
		db.OwnerName, db.OwnerType = n.Owner.Name, n.OwnerType
	}
	if n.Location != nil {
		if db.LocationURI, err = x.s.st.Qualify(n.Location.Value); err != nil {
			return x.wrap(n.Location, err)
		}
	}
	if n.ManagedLocation != nil {
		if db.ManagedLocationURI, err = x.s.st.Qualify(n.ManagedLocation.Value); err != nil {
			return x.wrap(n.ManagedLocation, err)
		}
	}
	return x.wrap(n, x.s.cat.AlterDatabase(ctx, name, db))
}

// props turns a property list into a map.
func props(ps []*ast.Property) map[string]string {
	m := map[string]string{}
	for _, p := range ps {
		v := ""
		if p.Value != nil {
			v = p.Value.Value
		}
		m[p.Key.Value] = v
	}
	return m
}

// ---------------------------------------------------------------------------------------------------
// Functions and macros

func (x *stmtExec) createFunction(ctx context.Context, n *ast.CreateFunctionStmt) error {
	class := n.Class.Value
	f, ok := x.s.funcs.LookupClass(class)
	if !ok {
		return x.errorf(KindUnsupported, n.Class,
			"class %s is not a Hive built-in: the embedded engine cannot run JVM UDFs; run this job with --conf waggle.engine=spark (Spark on Kubernetes), which loads custom UDF jars", class)
	}
	name := strings.ToLower(n.Name.Parts[len(n.Name.Parts)-1].Name)
	if n.Temporary {
		x.s.tempFuncs[name] = f
		return nil
	}
	db := x.s.currentDB
	if len(n.Name.Parts) > 1 {
		db = strings.ToLower(n.Name.Parts[0].Name)
	}
	fn := &catalog.Function{DBName: db, Name: name, ClassName: class, OwnerName: x.s.system["user.name"],
		OwnerType: catalog.PrincipalUser, FunctionType: catalog.FunctionJava, CreateTime: time.Now().Unix()}
	for _, r := range n.Resources {
		rt := catalog.ResourceJar
		switch r.Kind {
		case "FILE":
			rt = catalog.ResourceFile
		case "ARCHIVE":
			rt = catalog.ResourceArchive
		}
		fn.Resources = append(fn.Resources, catalog.ResourceURI{Type: rt, URI: r.URI.Value})
	}
	if err := x.s.cat.CreateFunction(ctx, fn); err != nil {
		if errors.Is(err, catalog.ErrAlreadyExists) && n.IfNotExists {
			return nil
		}
		return x.wrap(n, err)
	}
	return nil
}

func (x *stmtExec) dropFunction(ctx context.Context, n *ast.DropFunctionStmt) error {
	name := strings.ToLower(n.Name.Parts[len(n.Name.Parts)-1].Name)
	if n.Temporary {
		if _, ok := x.s.tempFuncs[name]; !ok && !n.IfExists {
			return x.errorf(KindSemantic, n.Name, "Invalid function %s", name)
		}
		delete(x.s.tempFuncs, name)
		return nil
	}
	db := x.s.currentDB
	if len(n.Name.Parts) > 1 {
		db = strings.ToLower(n.Name.Parts[0].Name)
	}
	if err := x.s.cat.DropFunction(ctx, db, name); err != nil {
		if errors.Is(err, catalog.ErrNotFound) && n.IfExists {
			return nil
		}
		return x.wrap(n, err)
	}
	return nil
}

func (x *stmtExec) createMacro(n *ast.CreateMacroStmt) error {
	m := &translate.Macro{Body: n.Body}
	for _, p := range n.Params {
		m.Params = append(m.Params, translate.Column{Name: strings.ToLower(p.Name.Name), Type: p.Type.Type})
	}
	x.s.macros[strings.ToLower(n.Name.Name)] = m
	return nil
}

// ---------------------------------------------------------------------------------------------------
// Helpers shared by the statement handlers

// tableName resolves a possibly qualified table name against the current database.
func (x *stmtExec) tableName(n *ast.ObjectName) (db, name string) {
	parts := n.Parts
	if len(parts) >= 2 {
		return strings.ToLower(parts[len(parts)-2].Name), strings.ToLower(parts[len(parts)-1].Name)
	}
	return x.s.currentDB, strings.ToLower(parts[0].Name)
}

// getTable loads a table (temporary tables first), mapping not-found to Hive's message.
func (x *stmtExec) getTable(ctx context.Context, n *ast.ObjectName) (*catalog.Table, error) {
	db, name := x.tableName(n)
	if len(n.Parts) == 1 {
		if t, ok := x.s.tempTables[name]; ok {
			return t, nil
		}
	}
	t, err := x.s.cat.GetTable(ctx, db, name)
	if err != nil {
		if errors.Is(err, catalog.ErrNotFound) {
			return nil, x.errorf(KindSemantic, n, "Table not found '%s.%s'", db, name)
		}
		return nil, x.wrap(n, err)
	}
	return t, nil
}

// columnsOf returns the Hive types of a table's data and partition columns.
func columnsOf(t *catalog.Table) (data, part []translate.Column, err error) {
	conv := func(fs []catalog.FieldSchema) ([]translate.Column, error) {
		out := make([]translate.Column, 0, len(fs))
		for _, f := range fs {
			typ, err := types.Parse(f.Type)
			if err != nil {
				return nil, fmt.Errorf("table %s.%s column %s has type %q that Waggle cannot read: %w", t.DBName, t.Name, f.Name, f.Type, err)
			}
			out = append(out, translate.Column{Name: strings.ToLower(f.Name), Type: typ})
		}
		return out, nil
	}
	if t.SD != nil {
		if data, err = conv(t.SD.Cols); err != nil {
			return nil, nil, err
		}
	}
	if part, err = conv(t.PartitionKeys); err != nil {
		return nil, nil, err
	}
	return data, part, nil
}
