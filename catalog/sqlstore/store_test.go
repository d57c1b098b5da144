package sqlstore

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/waggle-dev/waggle/catalog"
)

const testWarehouse = "file:///tmp/wh"

var fixedNow = time.Unix(1700000000, 0)

func openAt(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{Driver: "sqlite", DSN: path, Warehouse: testWarehouse,
		Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "metastore.db")
	s := openAt(t, path)
	t.Cleanup(func() { s.Close() })
	return s, path
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantKind(t *testing.T, err, kind error, msg string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("err = %v, want kind %v", err, kind)
	}
	if msg != "" && err.Error() != msg {
		t.Fatalf("err message = %q, want %q", err.Error(), msg)
	}
}

func fullTable() *catalog.Table {
	return &catalog.Table{
		DBName: "Sales", Name: "Orders", Owner: "alice", OwnerType: catalog.PrincipalUser,
		CreateTime: 1600000000, LastAccessTime: 1600000001, Retention: 3,
		TableType: catalog.ExternalTable,
		SD: &catalog.StorageDescriptor{
			Cols: []catalog.FieldSchema{
				{Name: "id", Type: "bigint", Comment: "order id"},
				{Name: "Items", Type: "ARRAY<STRUCT<sku:STRING,qty:INT>>"},
				{Name: "amount", Type: "decimal(10,2)"},
			},
			Location:     "s3a://bucket/orders",
			InputFormat:  "org.apache.hadoop.mapred.TextInputFormat",
			OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
			Compressed:   true,
			NumBuckets:   4,
			SerDe: catalog.SerDeInfo{Name: "sd", SerializationLib: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
				Parameters: map[string]string{"field.delim": ",", "serialization.format": ","}},
			BucketCols:             []string{"id"},
			SortCols:               []catalog.Order{{Col: "id", Order: catalog.OrderAsc}, {Col: "amount", Order: catalog.OrderDesc}},
			Parameters:             map[string]string{"sdkey": "sdval"},
			StoredAsSubDirectories: true,
		},
		PartitionKeys: []catalog.FieldSchema{{Name: "ds", Type: "string", Comment: "day"}, {Name: "hr", Type: "int"}},
		Parameters:    map[string]string{"EXTERNAL": "TRUE", "skip.header.line.count": "1", catalog.DDLTimeParam: "1600000002"},
	}
}

func createSalesDB(t *testing.T, s *Store) {
	t.Helper()
	must(t, s.CreateDatabase(context.Background(), &catalog.Database{Name: "sales"}))
}

func TestDatabaseRoundTripKeepsAllFields(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	in := &catalog.Database{Name: "HiveOnSpark", Description: "a db", LocationURI: "s3a://b/hos.db",
		ManagedLocationURI: "s3a://b/managed/hos.db", Parameters: map[string]string{"k": "v", "owner.team": "data"},
		OwnerName: "bob", OwnerType: catalog.PrincipalRole, CreateTime: 1234}
	must(t, s.CreateDatabase(ctx, in))
	got, err := s.GetDatabase(ctx, "hiveonSPARK")
	must(t, err)
	want := *in
	want.Name, want.CatalogName = "hiveonspark", "hive"
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("got %+v\nwant %+v", got, &want)
	}
	wantKind(t, s.CreateDatabase(ctx, &catalog.Database{Name: "hiveonspark"}), catalog.ErrAlreadyExists,
		"Database hiveonspark already exists")

	alt := want
	alt.Description, alt.Parameters, alt.OwnerName = "changed", map[string]string{"x": "y"}, "carol"
	must(t, s.AlterDatabase(ctx, "HIVEONSPARK", &alt))
	got, err = s.GetDatabase(ctx, "hiveonspark")
	must(t, err)
	if !reflect.DeepEqual(got, &alt) {
		t.Fatalf("after alter got %+v\nwant %+v", got, &alt)
	}
}

func TestDefaultDatabaseIsCreatedOnFirstOpen(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	db, err := s.GetDatabase(ctx, "default")
	must(t, err)
	if db.LocationURI != testWarehouse || db.Description != "Default Hive database" {
		t.Fatalf("default db = %+v", db)
	}
	must(t, s.CreateDatabase(ctx, &catalog.Database{Name: "x"}))
	x, err := s.GetDatabase(ctx, "x")
	must(t, err)
	if x.LocationURI != testWarehouse+"/x.db" || x.CreateTime != fixedNow.Unix() {
		t.Fatalf("new db defaults: %+v", x)
	}
	_, err = s.DropDatabase(ctx, "default", true)
	wantKind(t, err, catalog.ErrInvalidOperation, "")
}

func TestTableRoundTripKeepsAllFields(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	createSalesDB(t, s)
	in := fullTable()
	must(t, s.CreateTable(ctx, in))
	got, err := s.GetTable(ctx, "SALES", "orders")
	must(t, err)
	want := fullTable()
	want.DBName, want.Name = "sales", "orders"
	want.SD.Cols[1] = catalog.FieldSchema{Name: "items", Type: "array<struct<sku:string,qty:int>>"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v\nSD got  %+v\nSD want %+v", got, want, got.SD, want.SD)
	}
	if !reflect.DeepEqual(in, fullTable()) {
		t.Fatal("CreateTable modified its input")
	}
	wantKind(t, s.CreateTable(ctx, fullTable()), catalog.ErrAlreadyExists, "Table sales.orders already exists")
}

func TestViewRoundTrip(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	v := &catalog.Table{DBName: "default", Name: "v1", TableType: catalog.VirtualView,
		ViewOriginalText: "select * from t", ViewExpandedText: "select `t`.`a` from `default`.`t`",
		SD:         &catalog.StorageDescriptor{Cols: []catalog.FieldSchema{{Name: "a", Type: "int"}}, NumBuckets: -1},
		Parameters: map[string]string{catalog.DDLTimeParam: "5"}, CreateTime: 7}
	must(t, s.CreateTable(ctx, v))
	got, err := s.GetTable(ctx, "default", "V1")
	must(t, err)
	v.SD.SerDe.Parameters, v.SD.Parameters = map[string]string{}, map[string]string{}
	if !reflect.DeepEqual(got, v) {
		t.Fatalf("got %+v\nwant %+v", got, v)
	}
	if got.SD.Location != "" {
		t.Fatal("a view gets no default location")
	}
}

func TestCreateTableDefaults(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	createSalesDB(t, s)
	for _, tc := range []struct{ db, table, loc string }{
		{"default", "t1", testWarehouse + "/t1"},
		{"sales", "T2", testWarehouse + "/sales.db/t2"},
	} {
		must(t, s.CreateTable(ctx, &catalog.Table{DBName: tc.db, Name: tc.table,
			SD: &catalog.StorageDescriptor{Cols: []catalog.FieldSchema{{Name: "a", Type: "int"}}}}))
		got, err := s.GetTable(ctx, tc.db, tc.table)
		must(t, err)
		if got.SD.Location != tc.loc || got.TableType != catalog.ManagedTable || got.CreateTime != fixedNow.Unix() ||
			got.Parameters[catalog.DDLTimeParam] != "1700000000" {
			t.Fatalf("defaults of %s.%s: %+v %+v", tc.db, tc.table, got, got.SD)
		}
	}
}

func TestTemporaryTablesAreNotStored(t *testing.T) {
	s, _ := openTest(t)
	err := s.CreateTable(context.Background(), &catalog.Table{DBName: "default", Name: "tmp", Temporary: true})
	wantKind(t, err, catalog.ErrInvalidObject, "")
	_, err = s.GetTable(context.Background(), "default", "tmp")
	wantKind(t, err, catalog.ErrNotFound, "Table not found: default.tmp")
}

func TestNotFoundErrors(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	tests := []struct {
		name string
		err  error
		msg  string
	}{
		{"missing database", func() error { _, err := s.GetDatabase(ctx, "nope"); return err }(), "Database does not exist: nope"},
		{"missing table", func() error { _, err := s.GetTable(ctx, "default", "T"); return err }(), "Table not found: default.t"},
		{"table in missing database", func() error { _, err := s.GetTable(ctx, "nope", "t"); return err }(), "Table not found: nope.t"},
		{"list tables of missing database", func() error { _, err := s.ListTables(ctx, "nope", ""); return err }(), "Database does not exist: nope"},
		{"drop missing table", s.DropTable(ctx, "default", "t"), "Table not found: default.t"},
		{"missing function", func() error { _, err := s.GetFunction(ctx, "default", "f"); return err }(), "Function default.f does not exist"},
		{"drop missing database", func() error { _, err := s.DropDatabase(ctx, "nope", false); return err }(), "Database does not exist: nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { wantKind(t, tc.err, catalog.ErrNotFound, tc.msg) })
	}
}

func TestNamesAreCaseInsensitiveAndPatternsMatch(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	for _, n := range []string{"Sales", "SALES_2024", "tmp"} {
		must(t, s.CreateDatabase(ctx, &catalog.Database{Name: n}))
	}
	for _, n := range []string{"Orders", "order_items", "Customers"} {
		must(t, s.CreateTable(ctx, &catalog.Table{DBName: "SALES", Name: n, SD: &catalog.StorageDescriptor{}}))
	}
	tests := []struct {
		name string
		list func() ([]string, error)
		want []string
	}{
		{"all databases sorted lower-case", func() ([]string, error) { return s.ListDatabases(ctx, "") }, []string{"default", "sales", "sales_2024", "tmp"}},
		{"database wildcard", func() ([]string, error) { return s.ListDatabases(ctx, "SAL*") }, []string{"sales", "sales_2024"}},
		{"database alternatives", func() ([]string, error) { return s.ListDatabases(ctx, "tmp|Default") }, []string{"default", "tmp"}},
		{"all tables", func() ([]string, error) { return s.ListTables(ctx, "sales", "*") }, []string{"customers", "order_items", "orders"}},
		{"table wildcard ignores case", func() ([]string, error) { return s.ListTables(ctx, "Sales", "ORDER*") }, []string{"order_items", "orders"}},
		{"no match is empty", func() ([]string, error) { return s.ListTables(ctx, "sales", "zzz") }, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.list()
			must(t, err)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	tbls, err := s.GetTables(ctx, "sales", []string{"ORDERS", "missing", "customers"})
	must(t, err)
	if len(tbls) != 2 || tbls[0].Name != "orders" || tbls[1].Name != "customers" {
		t.Fatalf("GetTables = %v", tbls)
	}
}

func TestDropDatabase(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	createSalesDB(t, s)
	must(t, s.CreateTable(ctx, fullTable()))
	must(t, s.AddPartitions(ctx, []*catalog.Partition{{DBName: "sales", TableName: "orders", Values: []string{"d", "1"}}}, false))
	must(t, s.CreateFunction(ctx, &catalog.Function{DBName: "sales", Name: "f", ClassName: "x.Y"}))

	_, err := s.DropDatabase(ctx, "sales", false)
	wantKind(t, err, catalog.ErrInvalidOperation, "Database sales is not empty. One or more tables exist.")

	dropped, err := s.DropDatabase(ctx, "SALES", true)
	must(t, err)
	if len(dropped) != 1 || dropped[0].Name != "orders" || dropped[0].SD.Location != "s3a://bucket/orders" {
		t.Fatalf("dropped = %+v", dropped)
	}
	_, err = s.GetDatabase(ctx, "sales")
	wantKind(t, err, catalog.ErrNotFound, "")
	// Nothing of the database is left behind in the Hive tables.
	for _, tbl := range []string{"TBLS", "SDS", "CDS", "COLUMNS_V2", "SERDES", "SERDE_PARAMS", "PARTITIONS",
		"PARTITION_KEY_VALS", "PARTITION_PARAMS", "TABLE_PARAMS", "FUNCS", "SORT_COLS", "BUCKETING_COLS"} {
		var n int
		must(t, s.DB().QueryRow(`SELECT COUNT(*) FROM `+tbl).Scan(&n))
		if n != 0 {
			t.Errorf("%s has %d rows after cascade drop", tbl, n)
		}
	}

	must(t, s.CreateDatabase(ctx, &catalog.Database{Name: "fonly"}))
	must(t, s.CreateFunction(ctx, &catalog.Function{DBName: "fonly", Name: "f", ClassName: "x.Y"}))
	_, err = s.DropDatabase(ctx, "fonly", false)
	wantKind(t, err, catalog.ErrInvalidOperation, "Database fonly is not empty. One or more functions exist.")
}

func TestAlterTableRenameAndColumns(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	createSalesDB(t, s)
	must(t, s.CreateTable(ctx, fullTable()))
	must(t, s.AddPartitions(ctx, []*catalog.Partition{{DBName: "sales", TableName: "orders", Values: []string{"d", "1"}}}, false))

	tb, err := s.GetTable(ctx, "sales", "orders")
	must(t, err)
	tb.DBName, tb.Name = "default", "Orders2"
	tb.SD.Cols = append(tb.SD.Cols, catalog.FieldSchema{Name: "note", Type: "string"})
	tb.Parameters["new"] = "p"
	must(t, s.AlterTable(ctx, "sales", "orders", tb))

	_, err = s.GetTable(ctx, "sales", "orders")
	wantKind(t, err, catalog.ErrNotFound, "")
	got, err := s.GetTable(ctx, "default", "orders2")
	must(t, err)
	if len(got.SD.Cols) != 4 || got.Parameters["new"] != "p" || got.SD.Location != "s3a://bucket/orders" || got.CreateTime != 1600000000 {
		t.Fatalf("after alter: %+v %+v", got, got.SD)
	}
	// The partition followed the table and kept its own (old) columns.
	p, err := s.GetPartition(ctx, "default", "orders2", []string{"d", "1"})
	must(t, err)
	if len(p.SD.Cols) != 3 {
		t.Fatalf("partition cols = %v", p.SD.Cols)
	}

	must(t, s.CreateTable(ctx, &catalog.Table{DBName: "default", Name: "other", SD: &catalog.StorageDescriptor{}}))
	got.Name = "other"
	wantKind(t, s.AlterTable(ctx, "default", "orders2", got), catalog.ErrAlreadyExists, "Table default.other already exists")
	got.Name = "orders2"
	got.PartitionKeys = got.PartitionKeys[:1]
	wantKind(t, s.AlterTable(ctx, "default", "orders2", got), catalog.ErrInvalidOperation, "")
}

func TestPartitionsRoundTripAndOrder(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	createSalesDB(t, s)
	must(t, s.CreateTable(ctx, fullTable()))
	full := &catalog.Partition{DBName: "sales", TableName: "orders", Values: []string{"2024-01-02", "10"},
		CreateTime: 11, LastAccessTime: 12,
		SD: &catalog.StorageDescriptor{Cols: []catalog.FieldSchema{{Name: "id", Type: "bigint"}}, Location: "s3a://x/p",
			InputFormat: "in", OutputFormat: "out", NumBuckets: 2, BucketCols: []string{"id"},
			SortCols: []catalog.Order{{Col: "id", Order: 0}}, SerDe: catalog.SerDeInfo{SerializationLib: "lib",
				Parameters: map[string]string{"a": "b"}}, Parameters: map[string]string{"c": "d"}},
		Parameters: map[string]string{"numRows": "5", catalog.DDLTimeParam: "13"}}
	parts := []*catalog.Partition{
		full,
		{DBName: "Sales", TableName: "ORDERS", Values: []string{"a/b", "2"}},
		{DBName: "sales", TableName: "orders", Values: []string{"2024-01-01", "9"}},
	}
	must(t, s.AddPartitions(ctx, parts, false))

	got, err := s.GetPartition(ctx, "sales", "orders", []string{"2024-01-02", "10"})
	must(t, err)
	if !reflect.DeepEqual(got, full) {
		t.Fatalf("got %+v %+v\nwant %+v %+v", got, got.SD, full, full.SD)
	}
	names, err := s.ListPartitionNames(ctx, "sales", "orders", -1)
	must(t, err)
	wantNames := []string{"ds=2024-01-01/hr=9", "ds=2024-01-02/hr=10", "ds=a%2Fb/hr=2"}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("names = %q, want %q", names, wantNames)
	}
	list, err := s.ListPartitions(ctx, "sales", "orders", 2)
	must(t, err)
	if len(list) != 2 || !slices.Equal(list[0].Values, []string{"2024-01-01", "9"}) {
		t.Fatalf("ListPartitions(max 2) = %+v", list)
	}
	// Default SD: the table's, located under the table directory.
	if list[0].SD.Location != "s3a://bucket/orders/ds=2024-01-01/hr=9" || list[0].SD.SerDe.Parameters["field.delim"] != "," ||
		len(list[0].SD.Cols) != 3 {
		t.Fatalf("default partition SD = %+v", list[0].SD)
	}

	err = s.AddPartitions(ctx, []*catalog.Partition{
		{DBName: "sales", TableName: "orders", Values: []string{"new", "1"}},
		{DBName: "sales", TableName: "orders", Values: []string{"a/b", "2"}},
	}, false)
	wantKind(t, err, catalog.ErrAlreadyExists, "Partition already exists: sales.orders/ds=a%2Fb/hr=2")
	if _, err := s.GetPartition(ctx, "sales", "orders", []string{"new", "1"}); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("a failed AddPartitions must add nothing; err = %v", err)
	}
	must(t, s.AddPartitions(ctx, []*catalog.Partition{
		{DBName: "sales", TableName: "orders", Values: []string{"new", "1"}},
		{DBName: "sales", TableName: "orders", Values: []string{"a/b", "2"}},
	}, true))
	names, _ = s.ListPartitionNames(ctx, "sales", "orders", 0)
	if len(names) != 4 {
		t.Fatalf("ifNotExists add: names = %q", names)
	}

	wantKind(t, s.AddPartitions(ctx, []*catalog.Partition{{DBName: "sales", TableName: "orders", Values: []string{"x"}}}, false),
		catalog.ErrInvalidObject, "")
}

func TestAlterAndDropPartition(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	createSalesDB(t, s)
	must(t, s.CreateTable(ctx, fullTable()))
	must(t, s.AddPartitions(ctx, []*catalog.Partition{
		{DBName: "sales", TableName: "orders", Values: []string{"d1", "1"}},
		{DBName: "sales", TableName: "orders", Values: []string{"d2", "2"}},
	}, false))
	p, err := s.GetPartition(ctx, "sales", "orders", []string{"d1", "1"})
	must(t, err)
	p.Values = []string{"d3", "3"}
	p.Parameters["k"] = "v"
	must(t, s.AlterPartition(ctx, "sales", "orders", []string{"d1", "1"}, p))
	got, err := s.GetPartition(ctx, "sales", "orders", []string{"d3", "3"})
	must(t, err)
	if got.Parameters["k"] != "v" || got.SD.Location != p.SD.Location {
		t.Fatalf("renamed partition = %+v", got)
	}
	_, err = s.GetPartition(ctx, "sales", "orders", []string{"d1", "1"})
	wantKind(t, err, catalog.ErrNotFound, "Partition not found: sales.orders/ds=d1/hr=1")

	p.Values = []string{"d2", "2"}
	wantKind(t, s.AlterPartition(ctx, "sales", "orders", []string{"d3", "3"}, p), catalog.ErrAlreadyExists, "")

	must(t, s.DropPartition(ctx, "sales", "orders", []string{"d3", "3"}))
	wantKind(t, s.DropPartition(ctx, "sales", "orders", []string{"d3", "3"}), catalog.ErrNotFound, "")
	must(t, s.DropTable(ctx, "sales", "orders"))
	for _, tbl := range []string{"PARTITIONS", "SDS", "CDS", "SERDES", "PARTITION_KEYS"} {
		var n int
		must(t, s.DB().QueryRow(`SELECT COUNT(*) FROM `+tbl).Scan(&n))
		if n != 0 {
			t.Errorf("%s has %d rows after DropTable", tbl, n)
		}
	}
}

func TestFunctionRoundTrip(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	f := &catalog.Function{DBName: "default", Name: "My_Upper", ClassName: "com.example.Upper", OwnerName: "alice",
		OwnerType: catalog.PrincipalUser, FunctionType: catalog.FunctionJava, CreateTime: 99,
		Resources: []catalog.ResourceURI{{Type: catalog.ResourceJar, URI: "s3://b/u.jar"}, {Type: catalog.ResourceFile, URI: "file:///f"}}}
	must(t, s.CreateFunction(ctx, f))
	got, err := s.GetFunction(ctx, "DEFAULT", "my_upper")
	must(t, err)
	want := *f
	want.Name = "my_upper"
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("got %+v\nwant %+v", got, &want)
	}
	wantKind(t, s.CreateFunction(ctx, f), catalog.ErrAlreadyExists, "Function default.my_upper already exists")
	names, err := s.ListFunctions(ctx, "default", "my*")
	must(t, err)
	if !slices.Equal(names, []string{"my_upper"}) {
		t.Fatalf("ListFunctions = %q", names)
	}
	want.Name, want.ClassName, want.Resources = "up2", "com.example.Up2", nil
	must(t, s.AlterFunction(ctx, "default", "my_upper", &want))
	got, err = s.GetFunction(ctx, "default", "up2")
	must(t, err)
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("after alter got %+v\nwant %+v", got, &want)
	}
	must(t, s.DropFunction(ctx, "default", "UP2"))
	wantKind(t, s.DropFunction(ctx, "default", "up2"), catalog.ErrNotFound, "Function default.up2 does not exist")
}

func TestRawTablesLookLikeHive(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	createSalesDB(t, s)
	must(t, s.CreateTable(ctx, fullTable()))
	must(t, s.CreateTable(ctx, &catalog.Table{DBName: "default", Name: "v", TableType: catalog.VirtualView, ViewOriginalText: "select 1"}))
	db := s.DB()

	var dbs []string
	rows, err := db.Query(`select NAME from DBS order by NAME`)
	must(t, err)
	for rows.Next() {
		var n string
		must(t, rows.Scan(&n))
		dbs = append(dbs, n)
	}
	rows.Close()
	if !slices.Equal(dbs, []string{"default", "sales"}) {
		t.Fatalf("DBS names = %q", dbs)
	}
	var tbls [][2]string
	rows, err = db.Query(`select TBL_NAME, TBL_TYPE from TBLS order by TBL_NAME`)
	must(t, err)
	for rows.Next() {
		var n, typ string
		must(t, rows.Scan(&n, &typ))
		tbls = append(tbls, [2]string{n, typ})
	}
	rows.Close()
	if !slices.Equal(tbls, [][2]string{{"orders", "EXTERNAL_TABLE"}, {"v", "VIRTUAL_VIEW"}}) {
		t.Fatalf("TBLS = %q", tbls)
	}
	checks := []struct {
		name, query, want string
	}{
		{"schema version", `select SCHEMA_VERSION from VERSION`, "3.1.0"},
		{"hive catalog", `select NAME from CTLGS`, "hive"},
		{"database catalog", `select CTLG_NAME from DBS where NAME = 'sales'`, "hive"},
		{"columns in order", `select group_concat(COLUMN_NAME || ':' || TYPE_NAME, ',') from (select * from COLUMNS_V2 c
			join SDS s on s.CD_ID = c.CD_ID join TBLS t on t.SD_ID = s.SD_ID where t.TBL_NAME = 'orders' order by INTEGER_IDX)`,
			"id:bigint,items:array<struct<sku:string,qty:int>>,amount:decimal(10,2)"},
		{"serde lib", `select SLIB from SERDES s join SDS d on d.SERDE_ID = s.SERDE_ID join TBLS t on t.SD_ID = d.SD_ID`,
			"org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"},
		{"partition keys", `select group_concat(PKEY_NAME, ',') from (select PKEY_NAME from PARTITION_KEYS order by INTEGER_IDX)`, "ds,hr"},
		{"table location", `select LOCATION from SDS s join TBLS t on t.SD_ID = s.SD_ID where TBL_NAME = 'orders'`, "s3a://bucket/orders"},
		{"external param", `select PARAM_VALUE from TABLE_PARAMS where PARAM_KEY = 'EXTERNAL'`, "TRUE"},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			var got string
			must(t, db.QueryRow(c.query).Scan(&got))
			if got != c.want {
				t.Fatalf("%s = %q, want %q", c.query, got, c.want)
			}
		})
	}
}

func seqVal(t *testing.T, s *Store, name string) int64 {
	t.Helper()
	var v int64
	must(t, s.DB().QueryRow(`select NEXT_VAL from SEQUENCE_TABLE where SEQUENCE_NAME = ?`, name).Scan(&v))
	return v
}

func TestSequenceTableAdvancesAndIDsComeFromIt(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	before := seqVal(t, s, seqDatabase)
	must(t, s.CreateDatabase(ctx, &catalog.Database{Name: "a"}))
	must(t, s.CreateDatabase(ctx, &catalog.Database{Name: "b"}))
	if after := seqVal(t, s, seqDatabase); after != before+2 {
		t.Fatalf("MDatabase NEXT_VAL %d -> %d, want +2", before, after)
	}
	var id int64
	must(t, s.DB().QueryRow(`select DB_ID from DBS where NAME = 'b'`).Scan(&id))
	if id != before+1 {
		t.Fatalf("DB_ID of b = %d, want %d", id, before+1)
	}
	must(t, s.CreateTable(ctx, &catalog.Table{DBName: "a", Name: "t", SD: &catalog.StorageDescriptor{}}))
	for _, seq := range []string{seqTable, seqSD, seqCD, seqSerDe} {
		if v := seqVal(t, s, seq); v < 2 {
			t.Errorf("%s NEXT_VAL = %d after creating a table", seq, v)
		}
	}
	// A missing sequence row starts above the existing ids (a row deleted by hand or a Java HMS schema).
	_, err := s.DB().Exec(`delete from SEQUENCE_TABLE where SEQUENCE_NAME = ?`, seqDatabase)
	must(t, err)
	must(t, s.CreateDatabase(ctx, &catalog.Database{Name: "c"}))
	must(t, s.DB().QueryRow(`select DB_ID from DBS where NAME = 'c'`).Scan(&id))
	if id != before+2 {
		t.Fatalf("DB_ID of c = %d, want %d", id, before+2)
	}
}

func TestReopenPersistsAndMigrationsAreRecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ms.db")
	s := openAt(t, path)
	ctx := context.Background()
	createSalesDB(t, s)
	must(t, s.CreateTable(ctx, fullTable()))
	must(t, s.Close())

	s2, err := Open(ctx, Options{Driver: "sqlite", DSN: path}) // no warehouse: taken from the default db
	must(t, err)
	defer s2.Close()
	tb, err := s2.GetTable(ctx, "sales", "orders")
	must(t, err)
	if tb.SD.Location != "s3a://bucket/orders" {
		t.Fatalf("reopened table = %+v", tb.SD)
	}
	must(t, s2.CreateDatabase(ctx, &catalog.Database{Name: "later"}))
	db, err := s2.GetDatabase(ctx, "later")
	must(t, err)
	if db.LocationURI != testWarehouse+"/later.db" {
		t.Fatalf("location after reopen = %s", db.LocationURI)
	}
	var n int
	must(t, s2.DB().QueryRow(`select count(*) from WAGGLE_MIGRATIONS`).Scan(&n))
	if n != len(migrations()) {
		t.Fatalf("migrations recorded = %d, want %d", n, len(migrations()))
	}
	var versions int
	must(t, s2.DB().QueryRow(`select count(*) from VERSION`).Scan(&versions))
	if versions != 1 {
		t.Fatalf("VERSION rows = %d", versions)
	}
}

func TestOpenRefusesUnknownSchema(t *testing.T) {
	tests := []struct {
		name   string
		tamper string
	}{
		{"newer migration", `insert into WAGGLE_MIGRATIONS values (999, 'future', 0)`},
		{"unknown hive version", `update VERSION set SCHEMA_VERSION = '4.0.0'`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ms.db")
			s := openAt(t, path)
			_, err := s.DB().Exec(tc.tamper)
			must(t, err)
			must(t, s.Close())
			s2, err := Open(context.Background(), Options{Driver: "sqlite", DSN: path})
			if err == nil {
				s2.Close()
				t.Fatal("Open succeeded on an unknown schema")
			}
		})
	}
}

func TestTwoStoresOnOneFileDoNotConflict(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a := openAt(t, path)
	defer a.Close()
	b := openAt(t, path)
	defer b.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i, s := range []*Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				name := string(rune('a'+i)) + "_t" + string(rune('a'+j))
				errs <- s.CreateTable(ctx, &catalog.Table{DBName: "default", Name: name, SD: &catalog.StorageDescriptor{
					Cols: []catalog.FieldSchema{{Name: "x", Type: "int"}}}})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	names, err := b.ListTables(ctx, "default", "")
	must(t, err)
	if len(names) != 40 {
		t.Fatalf("tables = %d, want 40", len(names))
	}
	var ids int
	must(t, a.DB().QueryRow(`select count(distinct TBL_ID) from TBLS`).Scan(&ids))
	if ids != 40 {
		t.Fatalf("distinct TBL_IDs = %d", ids)
	}
}
