package hms

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/beltran/gohive"
	hm "github.com/beltran/gohive/hive_metastore"
)

// TestGohiveClientDrivesServer is the acceptance walk-through with gohive's
// own metastore client (NOSASL: TBinaryProtocol over a buffered socket, as
// Spark and Hive connect), on every backend.
func TestGohiveClientDrivesServer(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ts := startServer(t, b, ServerOptions{ManageStorage: true})
		conn, err := gohive.ConnectToMetastore(ts.host, ts.port, "NOSASL", gohive.NewMetastoreConnectConfiguration())
		must(t, err)
		defer conn.Close()
		runClientScenario(t, ts, conn.Client)
	})
}

// TestWireFormatsAreDetected: framed and compact clients are served on the
// same port as buffered binary ones.
func TestWireFormatsAreDetected(t *testing.T) {
	ts := startServer(t, backends()[0], ServerOptions{})
	for _, tc := range []struct {
		name            string
		framed, compact bool
	}{
		{"buffered binary", false, false},
		{"framed binary", true, false},
		{"buffered compact", false, true},
		{"framed compact", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dialRaw(t, ts.addr, tc.framed, tc.compact)
			dbs, err := c.GetAllDatabases(context.Background())
			must(t, err)
			if !slices.Contains(dbs, "default") {
				t.Fatalf("get_all_databases = %v, want default", dbs)
			}
		})
	}
}

func runClientScenario(t *testing.T, ts *testServer, c *hm.ThriftHiveMetastoreClient) {
	ctx := context.Background()

	groups, err := c.SetUgi(ctx, "alice", []string{"analysts"})
	must(t, err)
	if !slices.Contains(groups, "alice") {
		t.Errorf("set_ugi = %v, want it to contain the user", groups)
	}

	// databases, with Hive 3's catalog prefix
	must(t, c.CreateDatabase(ctx, &hm.Database{Name: "sales", Description: "sales data", Parameters: map[string]string{"k": "v"}}))
	wantExc[*hm.AlreadyExistsException](t, c.CreateDatabase(ctx, &hm.Database{Name: "sales"}), "already exists")
	for _, pattern := range []string{"@hive#", "*", ".*", "@hive#s*", "sales|nothing"} {
		dbs, err := c.GetDatabases(ctx, pattern)
		must(t, err)
		if !slices.Contains(dbs, "sales") {
			t.Errorf("get_databases(%q) = %v, want sales", pattern, dbs)
		}
	}
	if dbs, err := c.GetDatabases(ctx, "@hive#x*"); err != nil || len(dbs) != 0 {
		t.Errorf("get_databases(@hive#x*) = %v, %v; want none", dbs, err)
	}
	if _, err := c.GetDatabases(ctx, "@hive"); err == nil {
		t.Errorf("get_databases(@hive) with a malformed prefix succeeded")
	} else {
		wantExc[*hm.MetaException](t, err, "")
	}
	db, err := c.GetDatabase(ctx, "@hive#sales")
	must(t, err)
	if db.Description != "sales data" || db.Parameters["k"] != "v" || db.GetCatalogName() != "hive" {
		t.Errorf("get_database = %+v", db)
	}
	if _, err := os.Stat(filepath.Join(ts.whDir, "sales.db")); err != nil {
		t.Errorf("database directory not created: %v", err)
	}
	_, err = c.GetDatabase(ctx, "nosuch")
	wantExc[*hm.NoSuchObjectException](t, err, "nosuch")
	_, err = c.GetDatabaseReq(ctx, &hm.GetDatabaseRequest{Name: strPtr("sales"), CatalogName: strPtr("hive")})
	must(t, err)

	// tables with partition keys
	must(t, c.CreateTableWithEnvironmentContext(ctx, tableSpec("sales", "orders", "ds string", "hr int"), &hm.EnvironmentContext{}))
	err = c.CreateTable(ctx, tableSpec("sales", "orders", "ds string"))
	wantExc[*hm.AlreadyExistsException](t, err, "")
	err = c.CreateTable(ctx, tableSpec("nosuch", "t"))
	wantExc[*hm.NoSuchObjectException](t, err, "")
	tbl, err := c.GetTable(ctx, "sales", "orders")
	must(t, err)
	if len(tbl.PartitionKeys) != 2 || tbl.Sd.SkewedInfo == nil || tbl.Sd.Location == "" {
		t.Errorf("get_table = %+v", tbl)
	}
	if _, err := os.Stat(filepath.Join(ts.whDir, "sales.db", "orders")); err != nil {
		t.Errorf("table directory not created: %v", err)
	}
	_, err = c.GetTable(ctx, "sales", "nosuch")
	wantExc[*hm.NoSuchObjectException](t, err, "")
	res, err := c.GetTableReq(ctx, &hm.GetTableRequest{DbName: "@hive#sales", TblName: "ORDERS"})
	must(t, err)
	if res.Table.TableName != "orders" {
		t.Errorf("get_table_req = %+v", res.Table)
	}
	names, err := c.GetTables(ctx, "@hive#sales", "*")
	must(t, err)
	if !slices.Equal(names, []string{"orders"}) {
		t.Errorf("get_tables = %v", names)
	}
	names, err = c.GetTablesByType(ctx, "sales", "*", "VIRTUAL_VIEW")
	must(t, err)
	if len(names) != 0 {
		t.Errorf("get_tables_by_type(VIRTUAL_VIEW) = %v", names)
	}
	tr, err := c.GetTableObjectsByNameReq(ctx, &hm.GetTablesRequest{DbName: "sales", TblNames: []string{"orders", "missing"}})
	must(t, err)
	if len(tr.Tables) != 1 {
		t.Errorf("get_table_objects_by_name_req = %d tables", len(tr.Tables))
	}
	schema, err := c.GetSchema(ctx, "sales", "orders")
	must(t, err)
	if len(schema) != 4 {
		t.Errorf("get_schema = %d fields, want 4", len(schema))
	}

	// partitions
	var parts []*hm.Partition
	for _, v := range [][]string{{"2024-01-01", "1"}, {"2024-01-01", "2"}, {"2024-01-02", "1"}, {"2024-01-02", "10"}, {"2024-01-03", "5"}} {
		parts = append(parts, partSpec("sales", "orders", v...))
	}
	ar, err := c.AddPartitionsReq(ctx, &hm.AddPartitionsRequest{DbName: "sales", TblName: "orders", Parts: parts, NeedResult_: true})
	must(t, err)
	if len(ar.Partitions) != 5 || ar.Partitions[0].Sd.Location == "" {
		t.Fatalf("add_partitions_req = %+v", ar.Partitions)
	}
	if _, err := os.Stat(filepath.Join(ts.whDir, "sales.db", "orders", "ds=2024-01-01", "hr=1")); err != nil {
		t.Errorf("partition directory not created: %v", err)
	}
	_, err = c.AddPartitionsReq(ctx, &hm.AddPartitionsRequest{DbName: "sales", TblName: "orders", Parts: parts[:1]})
	wantExc[*hm.AlreadyExistsException](t, err, "")
	_, err = c.AddPartitionsReq(ctx, &hm.AddPartitionsRequest{DbName: "sales", TblName: "orders", Parts: parts[:1], IfNotExists: true})
	must(t, err)

	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{`ds = "2024-01-01"`, []string{"2024-01-01/1", "2024-01-01/2"}},
		{`ds = '2024-01-02' and hr > 5`, []string{"2024-01-02/10"}},
		{`hr > 2`, []string{"2024-01-02/10", "2024-01-03/5"}}, // typed: 10 > 2 although "10" < "2"
		{`hr >= 2 and hr <= 5`, []string{"2024-01-01/2", "2024-01-03/5"}},
		{`(ds < "2024-01-02" or hr = 10) and not hr = 2`, []string{"2024-01-01/1", "2024-01-02/10"}},
		{`ds like "2024-01-0[23]" AND hr <> 1`, []string{"2024-01-02/10", "2024-01-03/5"}},
		{`hr between 2 and 9`, []string{"2024-01-01/2", "2024-01-03/5"}},
		{`hr in (1, 5)`, []string{"2024-01-01/1", "2024-01-02/1", "2024-01-03/5"}},
	} {
		ps, err := c.GetPartitionsByFilter(ctx, "sales", "orders", tc.filter, -1)
		must(t, err)
		if got := partValues(ps); !slices.Equal(got, tc.want) {
			t.Errorf("get_partitions_by_filter(%s) = %v, want %v", tc.filter, got, tc.want)
		}
	}
	_, err = c.GetPartitionsByFilter(ctx, "sales", "orders", "ds = ", -1)
	wantExc[*hm.MetaException](t, err, "Error parsing partition filter")
	_, err = c.GetPartitionsByFilter(ctx, "sales", "orders", "nokey = 1", -1)
	wantExc[*hm.MetaException](t, err, "not a partitioning column")

	ps, err := c.GetPartitionsPs(ctx, "sales", "orders", []string{"", "1"}, -1)
	must(t, err)
	if got := partValues(ps); !slices.Equal(got, []string{"2024-01-01/1", "2024-01-02/1"}) {
		t.Errorf("get_partitions_ps(['', 1]) = %v", got)
	}
	ps, err = c.GetPartitionsPs(ctx, "sales", "orders", []string{"2024-01-02"}, -1)
	must(t, err)
	if len(ps) != 2 {
		t.Errorf("get_partitions_ps([2024-01-02]) = %v", partValues(ps))
	}
	pn, err := c.GetPartitionNamesPs(ctx, "sales", "orders", []string{"2024-01-03", ""}, -1)
	must(t, err)
	if !slices.Equal(pn, []string{"ds=2024-01-03/hr=5"}) {
		t.Errorf("get_partition_names_ps = %v", pn)
	}
	ps, err = c.GetPartitionsByNames(ctx, "sales", "orders", []string{"ds=2024-01-01/hr=2", "ds=2024-01-09/hr=1", "hr=5/ds=2024-01-03"})
	must(t, err)
	if got := partValues(ps); !slices.Equal(got, []string{"2024-01-01/2", "2024-01-03/5"}) {
		t.Errorf("get_partitions_by_names = %v", got)
	}
	pnames, err := c.GetPartitionNames(ctx, "sales", "orders", -1)
	must(t, err)
	if len(pnames) != 5 || pnames[0] != "ds=2024-01-01/hr=1" {
		t.Errorf("get_partition_names = %v", pnames)
	}
	_, err = c.GetPartition(ctx, "sales", "orders", []string{"2024-01-09", "1"})
	wantExc[*hm.NoSuchObjectException](t, err, "")

	ok, err := c.DropPartition(ctx, "sales", "orders", []string{"2024-01-03", "5"}, true)
	must(t, err)
	if !ok {
		t.Errorf("drop_partition = false")
	}
	if _, err := os.Stat(filepath.Join(ts.whDir, "sales.db", "orders", "ds=2024-01-03", "hr=5")); !os.IsNotExist(err) {
		t.Errorf("partition data not deleted: %v", err)
	}
	_, err = c.DropPartition(ctx, "sales", "orders", []string{"2024-01-03", "5"}, true)
	wantExc[*hm.NoSuchObjectException](t, err, "")

	// alter_table_with_environment_context: a new column and a parameter
	tbl.Sd.Cols = append(tbl.Sd.Cols, &hm.FieldSchema{Name: "amount", Type: "decimal(10,2)"})
	tbl.Parameters["owner_team"] = "data"
	must(t, c.AlterTableWithEnvironmentContext(ctx, "sales", "orders", tbl, &hm.EnvironmentContext{Properties: map[string]string{"CASCADE": "true"}}))
	got, err := c.GetTable(ctx, "sales", "orders")
	must(t, err)
	if len(got.Sd.Cols) != 3 || got.Parameters["owner_team"] != "data" {
		t.Errorf("after alter: cols %d params %v", len(got.Sd.Cols), got.Parameters)
	}
	p, err := c.GetPartition(ctx, "sales", "orders", []string{"2024-01-01", "1"})
	must(t, err)
	if len(p.Sd.Cols) != 3 {
		t.Errorf("CASCADE did not reach partitions: %d cols", len(p.Sd.Cols))
	}
	err = c.AlterTableWithEnvironmentContext(ctx, "sales", "nosuch", tbl, nil)
	wantExc[*hm.InvalidOperationException](t, err, "")

	// an unimplemented method answers UNKNOWN_METHOD and the connection lives on
	_, err = c.GetPartitionsByExpr(ctx, &hm.PartitionsByExprRequest{DbName: "sales", TblName: "orders"})
	var ae thrift.TApplicationException
	if !errorsAs(err, &ae) || ae.TypeId() != thrift.UNKNOWN_METHOD {
		t.Fatalf("get_partitions_by_expr: err = %v, want UNKNOWN_METHOD", err)
	}
	_, err = c.OpenTxns(ctx, &hm.OpenTxnRequest{NumTxns: 1, User: "a", Hostname: "h"})
	if !errorsAs(err, &ae) || ae.TypeId() != thrift.UNKNOWN_METHOD {
		t.Fatalf("open_txns: err = %v, want UNKNOWN_METHOD", err)
	}
	if _, err := c.GetAllDatabases(ctx); err != nil {
		t.Fatalf("connection unusable after UNKNOWN_METHOD: %v", err)
	}

	// rename a managed table: its directory moves
	got.TableName = "orders2"
	must(t, c.AlterTable(ctx, "sales", "orders", got))
	if _, err := os.Stat(filepath.Join(ts.whDir, "sales.db", "orders2", "ds=2024-01-01", "hr=1")); err != nil {
		t.Errorf("table directory not moved: %v", err)
	}
	p, err = c.GetPartition(ctx, "sales", "orders2", []string{"2024-01-01", "1"})
	must(t, err)
	if want := "file://" + filepath.Join(ts.whDir, "sales.db", "orders2", "ds=2024-01-01", "hr=1"); p.Sd.Location != want {
		t.Errorf("partition location after rename = %s, want %s", p.Sd.Location, want)
	}

	// functions
	must(t, c.CreateFunction(ctx, &hm.Function{FunctionName: "myudf", DbName: "sales", ClassName: "com.example.MyUDF",
		OwnerName: "alice", OwnerType: hm.PrincipalType_USER, FunctionType: hm.FunctionType_JAVA,
		ResourceUris: []*hm.ResourceUri{{ResourceType: hm.ResourceType_JAR, URI: "s3://b/udf.jar"}}}))
	fns, err := c.GetFunctions(ctx, "@hive#sales", "my*")
	must(t, err)
	if !slices.Equal(fns, []string{"myudf"}) {
		t.Errorf("get_functions = %v", fns)
	}
	all, err := c.GetAllFunctions(ctx)
	must(t, err)
	if len(all.Functions) != 1 || all.Functions[0].ClassName != "com.example.MyUDF" {
		t.Errorf("get_all_functions = %+v", all.Functions)
	}
	_, err = c.GetFunction(ctx, "sales", "nosuch")
	wantExc[*hm.NoSuchObjectException](t, err, "does not exist")

	// drops: non-empty database without cascade is an InvalidOperation
	err = c.DropDatabase(ctx, "sales", true, false)
	wantExc[*hm.InvalidOperationException](t, err, "")
	must(t, c.DropTable(ctx, "sales", "orders2", true))
	if _, err := os.Stat(filepath.Join(ts.whDir, "sales.db", "orders2")); !os.IsNotExist(err) {
		t.Errorf("table data not deleted: %v", err)
	}
	wantExc[*hm.NoSuchObjectException](t, c.DropTable(ctx, "sales", "orders2", true), "")
	must(t, c.DropDatabase(ctx, "sales", true, true))
	wantExc[*hm.NoSuchObjectException](t, c.DropDatabase(ctx, "sales", true, true), "")
	if _, err := os.Stat(filepath.Join(ts.whDir, "sales.db")); !os.IsNotExist(err) {
		t.Errorf("database directory not deleted: %v", err)
	}

	// Tier 3 stubs answer
	id, err := c.GetCurrentNotificationEventId(ctx)
	must(t, err)
	if id.EventId != 0 {
		t.Errorf("notification id = %d", id.EventId)
	}
	v, err := c.GetConfigValue(ctx, "hive.metastore.try.direct.sql", "false")
	must(t, err)
	if v != "true" {
		t.Errorf("get_config_value(try.direct.sql) = %q", v)
	}
	if s := ts.stats.Method("get_database"); s.Count[OutcomeOK] == 0 || s.Count[OutcomeException] == 0 {
		t.Errorf("metrics for get_database = %+v", s.Count)
	}
	if s := ts.stats.Method("get_partitions_by_expr"); s.Count[OutcomeUnknownMethod] != 1 {
		t.Errorf("metrics for get_partitions_by_expr = %+v", s.Count)
	}
}

// TestPartitionsByFilterReq: the Hive 4 request form, not in gohive's IDL,
// answers with the same semantics as get_partitions_by_filter.
func TestPartitionsByFilterReq(t *testing.T) {
	ts := startServer(t, backends()[0], ServerOptions{})
	c := dialRaw(t, ts.addr, false, false)
	ctx := context.Background()
	must(t, c.CreateTable(ctx, tableSpec("default", "t", "n int")))
	_, err := c.AddPartitions(ctx, []*hm.Partition{partSpec("default", "t", "3"), partSpec("default", "t", "20")})
	must(t, err)
	client := thrift.NewTStandardClient(c.proto, c.proto)
	call := func(filter, db string) (*hm.ThriftHiveMetastoreGetPartitionsByFilterResult, error) {
		var res hm.ThriftHiveMetastoreGetPartitionsByFilterResult
		_, err := client.Call(ctx, methodPartsByFilterReq, &getPartitionsByFilterReqArgs{Req: &getPartitionsByFilterRequest{
			CatName: "hive", DbName: db, TblName: "t", Filter: filter, MaxParts: -1}}, &res)
		return &res, err
	}
	res, err := call("n > 4", "default")
	must(t, err)
	if got := partValues(res.Success); !slices.Equal(got, []string{"20"}) || res.O1 != nil {
		t.Errorf("get_partitions_by_filter_req = %v %v", got, res.O1)
	}
	res, err = call("n > 4", "nosuch")
	must(t, err)
	if res.O2 == nil {
		t.Errorf("missing table: want NoSuchObjectException, got %+v", res)
	}
}

// TestStorageIsUntouchedWithoutManageStorage: with ManageStorage off the
// server creates and deletes no directories.
func TestStorageIsUntouchedWithoutManageStorage(t *testing.T) {
	ts := startServer(t, backends()[0], ServerOptions{})
	c := dialRaw(t, ts.addr, false, false)
	ctx := context.Background()
	must(t, c.CreateDatabase(ctx, &hm.Database{Name: "d"}))
	must(t, c.CreateTable(ctx, tableSpec("d", "t")))
	entries, err := os.ReadDir(ts.whDir)
	must(t, err)
	if len(entries) != 0 {
		t.Errorf("warehouse has %d entries, want none", len(entries))
	}
}
