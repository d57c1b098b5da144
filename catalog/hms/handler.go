package hms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	hm "github.com/beltran/gohive/hive_metastore"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/storage"
)

// handler implements the served HMS methods over a catalog. It embeds the
// generated interface only to satisfy it: methods it does not define are
// never reachable, because the server dispatches only servedMethods (every
// other name is answered UNKNOWN_METHOD).
type handler struct {
	hm.ThriftHiveMetastore

	cat    catalog.Catalog
	st     *storage.Storage
	manage bool
	conf   map[string]string
	log    *slog.Logger
}

// servedMethods are the generated methods the server answers (Tier 1 and
// Tier 2 of the HMS reference, plus the Tier 3 functions and stubs).
var servedMethods = []string{
	// connection and configuration
	"getMetaConf", "setMetaConf", "get_config_value", "set_ugi",
	"get_catalogs", "get_catalog", "get_metastore_db_uuid",
	// databases
	"get_database", "get_database_req", "get_databases", "get_all_databases",
	"create_database", "drop_database", "alter_database",
	// tables
	"get_table", "get_table_req", "get_table_objects_by_name", "get_table_objects_by_name_req",
	"get_tables", "get_all_tables", "get_tables_by_type", "get_table_meta", "get_table_names_by_filter",
	"get_fields", "get_fields_with_environment_context", "get_fields_req",
	"get_schema", "get_schema_with_environment_context", "get_schema_req",
	"create_table", "create_table_with_environment_context", "create_table_with_constraints", "create_table_req",
	"drop_table", "drop_table_with_environment_context",
	"alter_table", "alter_table_with_environment_context", "alter_table_with_cascade", "alter_table_req",
	"truncate_table", "truncate_table_req",
	// partitions
	"add_partition", "add_partition_with_environment_context", "add_partitions", "add_partitions_req",
	"get_partition", "get_partition_with_auth", "get_partition_by_name", "get_partition_req",
	"get_partitions", "get_partitions_with_auth", "get_partitions_req", "get_partition_names",
	"get_partitions_ps", "get_partitions_ps_with_auth", "get_partitions_ps_with_auth_req",
	"get_partition_names_ps", "get_partition_names_ps_req",
	"get_partitions_by_filter", "get_partitions_by_names", "get_partitions_by_names_req",
	"drop_partition", "drop_partition_with_environment_context", "drop_partition_by_name",
	"drop_partition_by_name_with_environment_context", "drop_partitions_req",
	"alter_partition", "alter_partition_with_environment_context", "alter_partitions",
	"alter_partitions_with_environment_context", "alter_partitions_req",
	"rename_partition", "rename_partition_req",
	"partition_name_to_vals", "partition_name_to_spec",
	// functions
	"create_function", "drop_function", "alter_function", "get_function", "get_functions", "get_all_functions",
	// Tier 3 stubs: empty answers so clients that probe them keep working
	"get_current_notificationEventId", "get_next_notification", "scheduled_query_poll",
	"get_table_statistics_req", "get_partitions_statistics_req",
	"update_table_column_statistics", "update_partition_column_statistics",
	"delete_table_column_statistics", "delete_partition_column_statistics",
	"get_primary_keys", "get_foreign_keys", "get_unique_constraints", "get_not_null_constraints",
	"get_default_constraints", "get_check_constraints", "get_all_table_constraints",
	"list_roles", "get_role_names", "get_privilege_set", "list_privileges",
}

// clientError is an error caused by the request (a malformed filter or
// name): a MetaException, but not the server's fault.
type clientError struct{ msg string }

func (e *clientError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &clientError{msg: fmt.Sprintf(format, args...)}
}

// fail maps err to the exception the current method declares and records
// it for metrics and logs.
func (h *handler) fail(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	ci := callFrom(ctx)
	ci.err = err
	out := toThrift(ci.method, err)
	var ce *clientError
	var ke *catalog.Error
	switch {
	case out == err:
		ci.internal = true
	case errors.As(err, &ke), errors.As(err, &ce):
	default:
		ci.internal = true
	}
	return out
}

// location helpers

func isManaged(t *catalog.Table) bool {
	return t.TableType == catalog.ManagedTable && !t.IsView()
}

// deletesDataOnDrop reports whether dropping t with deleteData removes its
// data: managed tables, and external ones with external.table.purge=true.
func deletesDataOnDrop(t *catalog.Table) bool {
	if t.IsView() || t.SD == nil || t.SD.Location == "" {
		return false
	}
	return isManaged(t) || strings.EqualFold(t.Parameters["external.table.purge"], "true")
}

func (h *handler) mkdir(ctx context.Context, loc string) (made bool, err error) {
	if !h.manage || loc == "" {
		return false, nil
	}
	ok, err := h.st.Exists(ctx, loc)
	if err != nil {
		return false, fmt.Errorf("check directory %s: %w", loc, err)
	}
	if ok {
		return false, nil
	}
	if err := h.st.MkdirAll(ctx, loc); err != nil {
		return false, fmt.Errorf("create directory %s: %w", loc, err)
	}
	return true, nil
}

// deleteData removes a directory after its metadata is gone. Like Hive, a
// failure is logged, not returned: the metadata change has happened.
func (h *handler) deleteData(ctx context.Context, loc string) {
	if !h.manage || loc == "" {
		return
	}
	if err := h.st.Delete(ctx, loc, true); err != nil {
		h.log.Warn("hms: could not delete data", "location", loc, "err", err)
	}
}

func joinPath(dir, name string) string { return strings.TrimRight(dir, "/") + "/" + name }

// underDir reports whether loc is dir or lies inside it.
func underDir(loc, dir string) bool {
	dir = strings.TrimRight(dir, "/")
	return loc == dir || strings.HasPrefix(loc, dir+"/")
}

// ---- configuration and session ----

// directSQLKey is what Spark 3.0/3.1 probe before filtering partitions.
const directSQLKey = "hive.metastore.try.direct.sql"

func (h *handler) confValue(ctx context.Context, key string) (string, bool) {
	if c := callFrom(ctx).conn; c != nil {
		if v, ok := c.conf[key]; ok {
			return v, true
		}
	}
	if v, ok := h.conf[key]; ok {
		return v, true
	}
	if key == directSQLKey {
		return "true", true
	}
	return "", false
}

func (h *handler) GetMetaConf(ctx context.Context, key string) (string, error) {
	v, _ := h.confValue(ctx, key)
	return v, nil
}

func (h *handler) SetMetaConf(ctx context.Context, key, value string) error {
	c := callFrom(ctx).conn
	if c == nil {
		return nil
	}
	if c.conf == nil {
		c.conf = map[string]string{}
	}
	c.conf[key] = value
	return nil
}

func (h *handler) GetConfigValue(ctx context.Context, name, defaultValue string) (string, error) {
	if v, ok := h.confValue(ctx, name); ok {
		return v, nil
	}
	return defaultValue, nil
}

func (h *handler) SetUgi(ctx context.Context, user string, groups []string) ([]string, error) {
	if c := callFrom(ctx).conn; c != nil {
		c.user = user
	}
	return append(append([]string{}, groups...), user), nil
}

func (h *handler) GetCatalogs(ctx context.Context) (*hm.GetCatalogsResponse, error) {
	return &hm.GetCatalogsResponse{Names: []string{defaultCatalog}}, nil
}

func (h *handler) GetCatalog(ctx context.Context, req *hm.GetCatalogRequest) (*hm.GetCatalogResponse, error) {
	if err := checkCatalog(req.GetName()); err != nil {
		return nil, h.fail(ctx, err)
	}
	loc := ""
	if db, err := h.cat.GetDatabase(ctx, catalog.DefaultDatabaseName); err == nil {
		loc = db.LocationURI
	}
	return &hm.GetCatalogResponse{Catalog: &hm.Catalog{
		Name: defaultCatalog, Description: strPtr("Default catalog for Hive"), LocationUri: loc,
	}}, nil
}

// ---- databases ----

func (h *handler) GetDatabase(ctx context.Context, name string) (*hm.Database, error) {
	db, err := h.getDatabase(ctx, name)
	return db, h.fail(ctx, err)
}

func (h *handler) getDatabase(ctx context.Context, name string) (*hm.Database, error) {
	n, err := parseDb(name)
	if err != nil {
		return nil, err
	}
	db, err := h.cat.GetDatabase(ctx, n)
	if err != nil {
		return nil, err
	}
	return dbToThrift(db), nil
}

func (h *handler) GetDatabaseReq(ctx context.Context, req *hm.GetDatabaseRequest) (*hm.Database, error) {
	if err := checkCatalog(req.GetCatalogName()); err != nil {
		return nil, h.fail(ctx, err)
	}
	db, err := h.getDatabase(ctx, req.GetName())
	return db, h.fail(ctx, err)
}

func (h *handler) GetDatabases(ctx context.Context, pattern string) ([]string, error) {
	d, err := parseDbName(pattern)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	if checkCatalog(d.cat) != nil {
		return []string{}, nil
	}
	names, err := h.cat.ListDatabases(ctx, d.name)
	return nonNil(names), h.fail(ctx, err)
}

func (h *handler) GetAllDatabases(ctx context.Context) ([]string, error) {
	names, err := h.cat.ListDatabases(ctx, "")
	return nonNil(names), h.fail(ctx, err)
}

func (h *handler) CreateDatabase(ctx context.Context, db *hm.Database) error {
	return h.fail(ctx, h.createDatabase(ctx, db))
}

func (h *handler) createDatabase(ctx context.Context, tdb *hm.Database) error {
	if tdb == nil {
		return catalog.Errorf(catalog.ErrInvalidObject, "Database object is null")
	}
	if err := checkCatalog(tdb.GetCatalogName()); err != nil {
		return err
	}
	db := dbFromThrift(tdb)
	db.CatalogName = ""
	if err := h.cat.CreateDatabase(ctx, db); err != nil {
		return err
	}
	if !h.manage {
		return nil
	}
	created, err := h.cat.GetDatabase(ctx, db.Name)
	if err != nil {
		return err
	}
	if _, err := h.mkdir(ctx, created.LocationURI); err != nil {
		if _, derr := h.cat.DropDatabase(ctx, db.Name, false); derr != nil {
			h.log.Warn("hms: could not undo create_database", "db", db.Name, "err", derr)
		}
		return err
	}
	return nil
}

func (h *handler) DropDatabase(ctx context.Context, name string, deleteData, cascade bool) error {
	return h.fail(ctx, h.dropDatabase(ctx, name, deleteData, cascade))
}

func (h *handler) dropDatabase(ctx context.Context, name string, deleteData, cascade bool) error {
	n, err := parseDb(name)
	if err != nil {
		return err
	}
	db, err := h.cat.GetDatabase(ctx, n)
	if err != nil {
		return err
	}
	dropped, err := h.cat.DropDatabase(ctx, n, cascade)
	if err != nil {
		return err
	}
	if deleteData {
		for _, t := range dropped {
			if deletesDataOnDrop(t) && !underDir(t.SD.Location, db.LocationURI) {
				h.deleteData(ctx, t.SD.Location)
			}
		}
		h.deleteData(ctx, db.LocationURI)
	}
	return nil
}

func (h *handler) AlterDatabase(ctx context.Context, name string, db *hm.Database) error {
	n, err := parseDb(name)
	if err == nil && db == nil {
		err = catalog.Errorf(catalog.ErrInvalidObject, "Database object is null")
	}
	if err == nil {
		d := dbFromThrift(db)
		if d.Name == "" {
			d.Name = n
		}
		err = h.cat.AlterDatabase(ctx, n, d)
	}
	return h.fail(ctx, err)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ---- tables: reads ----

func (h *handler) getTable(ctx context.Context, db, name string) (*catalog.Table, error) {
	n, err := parseDb(db)
	if err != nil {
		return nil, err
	}
	return h.cat.GetTable(ctx, n, name)
}

func (h *handler) GetTable(ctx context.Context, db, name string) (*hm.Table, error) {
	t, err := h.getTable(ctx, db, name)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return tableToThrift(t), nil
}

func (h *handler) GetTableReq(ctx context.Context, req *hm.GetTableRequest) (*hm.GetTableResult_, error) {
	if err := checkCatalog(req.GetCatName()); err != nil {
		return nil, h.fail(ctx, err)
	}
	t, err := h.getTable(ctx, req.DbName, req.TblName)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.GetTableResult_{Table: tableToThrift(t)}, nil
}

func (h *handler) getTables(ctx context.Context, db string, names []string) ([]*hm.Table, error) {
	n, err := parseDb(db)
	if err != nil {
		return nil, err
	}
	if names == nil {
		if names, err = h.cat.ListTables(ctx, n, ""); err != nil {
			return nil, err
		}
	}
	ts, err := h.cat.GetTables(ctx, n, names)
	if err != nil {
		return nil, err
	}
	out := make([]*hm.Table, len(ts))
	for i, t := range ts {
		out[i] = tableToThrift(t)
	}
	return out, nil
}

func (h *handler) GetTableObjectsByName(ctx context.Context, db string, names []string) ([]*hm.Table, error) {
	if names == nil {
		names = []string{}
	}
	ts, err := h.getTables(ctx, db, names)
	return nonNil(ts), h.fail(ctx, err)
}

func (h *handler) GetTableObjectsByNameReq(ctx context.Context, req *hm.GetTablesRequest) (*hm.GetTablesResult_, error) {
	if err := checkCatalog(req.GetCatName()); err != nil {
		return nil, h.fail(ctx, err)
	}
	ts, err := h.getTables(ctx, req.DbName, req.TblNames)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.GetTablesResult_{Tables: nonNil(ts)}, nil
}

// listTables lists table names; a missing database gives an empty list, as
// HMS does for get_tables.
func (h *handler) listTables(ctx context.Context, db, pattern string) ([]string, error) {
	d, err := parseDbName(db)
	if err != nil {
		return nil, err
	}
	if checkCatalog(d.cat) != nil {
		return []string{}, nil
	}
	names, err := h.cat.ListTables(ctx, d.name, pattern)
	if errors.Is(err, catalog.ErrNotFound) {
		return []string{}, nil
	}
	return nonNil(names), err
}

func (h *handler) GetTables(ctx context.Context, db, pattern string) ([]string, error) {
	names, err := h.listTables(ctx, db, pattern)
	return names, h.fail(ctx, err)
}

func (h *handler) GetAllTables(ctx context.Context, db string) ([]string, error) {
	names, err := h.listTables(ctx, db, "")
	return names, h.fail(ctx, err)
}

func (h *handler) GetTablesByType(ctx context.Context, db, pattern, tableType string) ([]string, error) {
	names, err := h.tablesWhere(ctx, db, pattern, func(t *catalog.Table) (bool, error) {
		return tableType == "" || strings.EqualFold(t.TableType, tableType), nil
	})
	return names, h.fail(ctx, err)
}

// tablesWhere returns the names of the tables of db matching pattern and
// keep, in name order.
func (h *handler) tablesWhere(ctx context.Context, db, pattern string, keep func(*catalog.Table) (bool, error)) ([]string, error) {
	names, err := h.listTables(ctx, db, pattern)
	if err != nil || len(names) == 0 {
		return names, err
	}
	n, _ := parseDb(db)
	ts, err := h.cat.GetTables(ctx, n, names)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, t := range ts {
		ok, err := keep(t)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, t.Name)
		}
	}
	return out, nil
}

func (h *handler) GetTableNamesByFilter(ctx context.Context, db, filter string, maxTables int16) ([]string, error) {
	names, err := h.tableNamesByFilter(ctx, db, filter, maxTables)
	return names, h.fail(ctx, err)
}

func (h *handler) tableNamesByFilter(ctx context.Context, db, filter string, maxTables int16) ([]string, error) {
	n, err := parseDb(db)
	if err != nil {
		return nil, err
	}
	if _, err := h.cat.GetDatabase(ctx, n); err != nil {
		return nil, err
	}
	var e filterExpr
	if strings.TrimSpace(filter) != "" {
		if e, err = parseFilter(filter); err != nil {
			return nil, badRequest("%v", err)
		}
	}
	names, err := h.tablesWhere(ctx, db, "", func(t *catalog.Table) (bool, error) {
		if e == nil {
			return true, nil
		}
		ok, err := evalFilter(e, tableLookup(t))
		if err != nil {
			return false, badRequest("%v", err)
		}
		return ok, nil
	})
	if err != nil {
		return nil, err
	}
	return limit(names, maxTables), nil
}

func limit[T any](s []T, max int16) []T {
	if max >= 0 && int(max) < len(s) {
		return s[:max]
	}
	return s
}

func (h *handler) GetTableMeta(ctx context.Context, dbPatterns, tblPatterns string, tblTypes []string) ([]*hm.TableMeta, error) {
	out, err := h.tableMeta(ctx, dbPatterns, tblPatterns, tblTypes)
	return out, h.fail(ctx, err)
}

func (h *handler) tableMeta(ctx context.Context, dbPatterns, tblPatterns string, tblTypes []string) ([]*hm.TableMeta, error) {
	d, err := parseDbName(dbPatterns)
	if err != nil {
		return nil, err
	}
	out := []*hm.TableMeta{}
	if checkCatalog(d.cat) != nil {
		return out, nil
	}
	dbs, err := h.cat.ListDatabases(ctx, d.name)
	if err != nil {
		return nil, err
	}
	for _, db := range dbs {
		names, err := h.cat.ListTables(ctx, db, tblPatterns)
		if errors.Is(err, catalog.ErrNotFound) {
			continue // dropped meanwhile
		}
		if err != nil {
			return nil, err
		}
		ts, err := h.cat.GetTables(ctx, db, names)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if len(tblTypes) > 0 && !containsFold(tblTypes, t.TableType) {
				continue
			}
			m := &hm.TableMeta{DbName: t.DBName, TableName: t.Name, TableType: t.TableType, CatName: strPtr(defaultCatalog)}
			if c, ok := t.Parameters["comment"]; ok {
				m.Comments = strPtr(c)
			}
			out = append(out, m)
		}
	}
	return out, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func (h *handler) fields(ctx context.Context, db, name string, withKeys bool) ([]*hm.FieldSchema, error) {
	t, err := h.getTable(ctx, db, name)
	if err != nil {
		return nil, err
	}
	var cols []catalog.FieldSchema
	if t.SD != nil {
		cols = append(cols, t.SD.Cols...)
	}
	if withKeys {
		cols = append(cols, t.PartitionKeys...)
	}
	return fieldsToThrift(cols), nil
}

func (h *handler) GetFields(ctx context.Context, db, name string) ([]*hm.FieldSchema, error) {
	f, err := h.fields(ctx, db, name, false)
	return f, h.fail(ctx, err)
}

func (h *handler) GetFieldsWithEnvironmentContext(ctx context.Context, db, name string, _ *hm.EnvironmentContext) ([]*hm.FieldSchema, error) {
	return h.GetFields(ctx, db, name)
}

func (h *handler) GetFieldsReq(ctx context.Context, req *hm.GetFieldsRequest) (*hm.GetFieldsResponse, error) {
	f, err := h.fields(ctx, req.DbName, req.TblName, false)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.GetFieldsResponse{Fields: f}, nil
}

func (h *handler) GetSchema(ctx context.Context, db, name string) ([]*hm.FieldSchema, error) {
	f, err := h.fields(ctx, db, name, true)
	return f, h.fail(ctx, err)
}

func (h *handler) GetSchemaWithEnvironmentContext(ctx context.Context, db, name string, _ *hm.EnvironmentContext) ([]*hm.FieldSchema, error) {
	return h.GetSchema(ctx, db, name)
}

func (h *handler) GetSchemaReq(ctx context.Context, req *hm.GetSchemaRequest) (*hm.GetSchemaResponse, error) {
	f, err := h.fields(ctx, req.DbName, req.TblName, true)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.GetSchemaResponse{Fields: f}, nil
}

// ---- tables: DDL ----

func (h *handler) CreateTable(ctx context.Context, tbl *hm.Table) error {
	return h.fail(ctx, h.createTable(ctx, tbl))
}

func (h *handler) CreateTableWithEnvironmentContext(ctx context.Context, tbl *hm.Table, _ *hm.EnvironmentContext) error {
	return h.CreateTable(ctx, tbl)
}

// CreateTableWithConstraints creates the table; constraints are not stored.
func (h *handler) CreateTableWithConstraints(ctx context.Context, tbl *hm.Table, _ []*hm.SQLPrimaryKey, _ []*hm.SQLForeignKey,
	_ []*hm.SQLUniqueConstraint, _ []*hm.SQLNotNullConstraint, _ []*hm.SQLDefaultConstraint, _ []*hm.SQLCheckConstraint) error {
	return h.CreateTable(ctx, tbl)
}

func (h *handler) CreateTableReq(ctx context.Context, req *hm.CreateTableRequest) error {
	return h.CreateTable(ctx, req.Table)
}

func (h *handler) createTable(ctx context.Context, tt *hm.Table) error {
	if tt == nil {
		return catalog.Errorf(catalog.ErrInvalidObject, "Table object is null")
	}
	if err := checkCatalog(tt.GetCatName()); err != nil {
		return err
	}
	t := tableFromThrift(tt)
	if t.TableType == "" {
		t.TableType = catalog.ManagedTable
		if strings.EqualFold(t.Parameters["EXTERNAL"], "true") {
			t.TableType = catalog.ExternalTable
		}
	}
	made := false
	if h.manage && !t.IsView() {
		if _, err := h.cat.GetTable(ctx, t.DBName, t.Name); err == nil {
			return catalog.TableExists(strings.ToLower(t.DBName), strings.ToLower(t.Name))
		}
		if t.SD.Location == "" {
			db, err := h.cat.GetDatabase(ctx, t.DBName)
			if err != nil {
				return err
			}
			t.SD.Location = joinPath(db.LocationURI, strings.ToLower(t.Name))
		}
		var err error
		if made, err = h.mkdir(ctx, t.SD.Location); err != nil {
			return err
		}
	}
	if err := h.cat.CreateTable(ctx, t); err != nil {
		if made {
			h.deleteData(ctx, t.SD.Location)
		}
		return err
	}
	return nil
}

func (h *handler) DropTable(ctx context.Context, db, name string, deleteData bool) error {
	return h.fail(ctx, h.dropTable(ctx, db, name, deleteData))
}

func (h *handler) DropTableWithEnvironmentContext(ctx context.Context, db, name string, deleteData bool, _ *hm.EnvironmentContext) error {
	return h.DropTable(ctx, db, name, deleteData)
}

func (h *handler) dropTable(ctx context.Context, db, name string, deleteData bool) error {
	t, err := h.getTable(ctx, db, name)
	if err != nil {
		return err
	}
	var partLocs []string
	if deleteData && h.manage && deletesDataOnDrop(t) && len(t.PartitionKeys) > 0 {
		parts, err := h.cat.ListPartitions(ctx, t.DBName, t.Name, 0)
		if err != nil {
			return err
		}
		for _, p := range parts {
			if p.SD != nil && p.SD.Location != "" && !underDir(p.SD.Location, t.SD.Location) {
				partLocs = append(partLocs, p.SD.Location)
			}
		}
	}
	if err := h.cat.DropTable(ctx, t.DBName, t.Name); err != nil {
		return err
	}
	if deleteData && deletesDataOnDrop(t) {
		for _, l := range partLocs {
			h.deleteData(ctx, l)
		}
		h.deleteData(ctx, t.SD.Location)
	}
	return nil
}

// Environment context keys of alter_table (Hive's StatsSetupConst.CASCADE
// and the Hive 4 compare-and-swap keys Iceberg commits use).
const (
	envCascade       = "CASCADE"
	envExpectedKey   = "expected_parameter_key"
	envExpectedValue = "expected_parameter_value"
)

func (h *handler) AlterTable(ctx context.Context, db, name string, t *hm.Table) error {
	return h.fail(ctx, h.alterTable(ctx, db, name, t, nil))
}

func (h *handler) AlterTableWithEnvironmentContext(ctx context.Context, db, name string, t *hm.Table, env *hm.EnvironmentContext) error {
	return h.fail(ctx, h.alterTable(ctx, db, name, t, env.GetProperties()))
}

func (h *handler) AlterTableWithCascade(ctx context.Context, db, name string, t *hm.Table, cascade bool) error {
	var env map[string]string
	if cascade {
		env = map[string]string{envCascade: "true"}
	}
	return h.fail(ctx, h.alterTable(ctx, db, name, t, env))
}

func (h *handler) AlterTableReq(ctx context.Context, req *hm.AlterTableRequest) (*hm.AlterTableResponse, error) {
	if err := checkCatalog(req.GetCatName()); err != nil {
		return nil, h.fail(ctx, err)
	}
	if err := h.alterTable(ctx, req.DbName, req.TableName, req.Table, req.EnvironmentContext.GetProperties()); err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.AlterTableResponse{}, nil
}

func (h *handler) alterTable(ctx context.Context, db, name string, tt *hm.Table, env map[string]string) error {
	if tt == nil {
		return catalog.Errorf(catalog.ErrInvalidObject, "New table is null")
	}
	old, err := h.getTable(ctx, db, name)
	if err != nil {
		return err
	}
	if key := env[envExpectedKey]; key != "" {
		// Checked, not atomic: the catalog interface has no conditional update.
		if got := old.Parameters[key]; got != env[envExpectedValue] {
			return catalog.Errorf(catalog.ErrInvalidOperation,
				"The table has been modified. The parameter value for key '%s' is '%s'. The expected was value was '%s'",
				key, got, env[envExpectedValue])
		}
	}
	t := tableFromThrift(tt)
	if t.DBName == "" {
		t.DBName = old.DBName
	}
	if t.Name == "" {
		t.Name = old.Name
	}
	renamed := !strings.EqualFold(t.DBName, old.DBName) || !strings.EqualFold(t.Name, old.Name)
	oldLoc, newLoc := old.SD.Location, ""
	if renamed && h.manage && isManaged(old) && oldLoc != "" && (t.SD.Location == oldLoc || t.SD.Location == "") {
		// Hive moves a managed table's directory with its name when the
		// client left the location alone.
		if _, err := h.cat.GetTable(ctx, t.DBName, t.Name); err == nil {
			return catalog.Errorf(catalog.ErrInvalidOperation, "new table %s.%s already exists", t.DBName, t.Name)
		}
		ndb, err := h.cat.GetDatabase(ctx, t.DBName)
		if err != nil {
			return err
		}
		newLoc = joinPath(ndb.LocationURI, strings.ToLower(t.Name))
		if newLoc == oldLoc {
			newLoc = ""
		}
	}
	moved := false
	if newLoc != "" {
		ok, err := h.st.Exists(ctx, oldLoc)
		if err != nil {
			return err
		}
		if ok {
			if err := h.st.Rename(ctx, oldLoc, newLoc); err != nil {
				return fmt.Errorf("Unable to rename table directory %s to %s: %w", oldLoc, newLoc, err)
			}
			moved = true
		}
		t.SD.Location = newLoc
	}
	if err := h.cat.AlterTable(ctx, old.DBName, old.Name, t); err != nil {
		if moved {
			if rerr := h.st.Rename(ctx, newLoc, oldLoc); rerr != nil {
				h.log.Warn("hms: could not move table directory back", "from", newLoc, "to", oldLoc, "err", rerr)
			}
		}
		return err
	}
	cascade := strings.EqualFold(env[envCascade], "true")
	if newLoc == "" && !cascade || len(t.PartitionKeys) == 0 {
		return nil
	}
	// Partitions follow: their locations under the moved directory, and
	// their columns with CASCADE.
	parts, err := h.cat.ListPartitions(ctx, t.DBName, t.Name, 0)
	if err != nil {
		return err
	}
	var changed []*catalog.Partition
	for _, p := range parts {
		c := false
		if newLoc != "" && p.SD != nil && underDir(p.SD.Location, oldLoc) {
			p.SD.Location = newLoc + strings.TrimPrefix(p.SD.Location, strings.TrimRight(oldLoc, "/"))
			c = true
		}
		if cascade && p.SD != nil {
			p.SD.Cols = t.SD.Cols
			c = true
		}
		if c {
			changed = append(changed, p)
		}
	}
	return h.cat.AlterPartitions(ctx, t.DBName, t.Name, changed) // one transaction
}

func (h *handler) TruncateTable(ctx context.Context, db, name string, partNames []string) error {
	return h.fail(ctx, h.truncateTable(ctx, db, name, partNames))
}

func (h *handler) TruncateTableReq(ctx context.Context, req *hm.TruncateTableRequest) (*hm.TruncateTableResponse, error) {
	if err := h.truncateTable(ctx, req.DbName, req.TableName, req.PartNames); err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.TruncateTableResponse{}, nil
}

// truncateTable empties the directories of the table or of the named
// partitions (when the server manages storage); metadata is unchanged.
func (h *handler) truncateTable(ctx context.Context, db, name string, partNames []string) error {
	t, err := h.getTable(ctx, db, name)
	if err != nil {
		return err
	}
	if !isManaged(t) {
		return catalog.Errorf(catalog.ErrInvalidOperation, "Cannot truncate non-managed table %s.%s.", t.DBName, t.Name)
	}
	if !h.manage {
		return nil
	}
	var locs []string
	switch {
	case len(partNames) > 0:
		for _, pn := range partNames {
			p, err := h.partitionByName(ctx, t, pn)
			if err != nil {
				return err
			}
			locs = append(locs, p.SD.Location)
		}
	case len(t.PartitionKeys) > 0:
		parts, err := h.cat.ListPartitions(ctx, t.DBName, t.Name, 0)
		if err != nil {
			return err
		}
		for _, p := range parts {
			locs = append(locs, p.SD.Location)
		}
	default:
		locs = []string{t.SD.Location}
	}
	for _, l := range locs {
		if l == "" {
			continue
		}
		if err := h.st.Delete(ctx, l, true); err != nil {
			return fmt.Errorf("truncate %s: %w", l, err)
		}
		if err := h.st.MkdirAll(ctx, l); err != nil {
			return fmt.Errorf("truncate %s: %w", l, err)
		}
	}
	return nil
}
