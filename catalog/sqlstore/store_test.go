package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waggle-dev/waggle/catalog"
)

const testWarehouse = "file:///tmp/wh"

var fixedNow = time.Unix(1700000000, 0)

// openWith opens a store with the test warehouse and clock.
func openWith(t *testing.T, o Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), withFixed(o))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// openTest opens a store on a fresh database of backend b, closed at the end of the test.
func openTest(t *testing.T, b backend) (*Store, Options) {
	t.Helper()
	o := b.newDB(t)
	s := openWith(t, o)
	t.Cleanup(func() { s.Close() })
	return s, o
}

// rawRow runs a query written with standard "QUOTED" identifiers and '?' placeholders on the store's
// database (rewritten for the dialect).
func rawRow(s *Store, q string, args ...any) *sql.Row {
	return s.DB().QueryRow(s.d.rebind(q), args...)
}

func rawExec(t *testing.T, s *Store, q string, args ...any) {
	t.Helper()
	if _, err := s.DB().Exec(s.d.rebind(q), args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// rawStrings runs a query and returns each row's columns joined by ':'.
func rawStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	must(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	must(t, err)
	out := []string{}
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		must(t, rows.Scan(ptrs...))
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = v.String
		}
		out = append(out, strings.Join(parts, ":"))
	}
	must(t, rows.Err())
	return out
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
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
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
	})
}

func TestDefaultDatabaseIsCreatedOnFirstOpen(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
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
	})
}

func TestTableRoundTripKeepsAllFields(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
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
	})
}

func TestViewRoundTrip(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
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
	})
}

func TestCreateTableDefaults(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
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
	})
}

func TestTemporaryTablesAreNotStored(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
		err := s.CreateTable(context.Background(), &catalog.Table{DBName: "default", Name: "tmp", Temporary: true})
		wantKind(t, err, catalog.ErrInvalidObject, "")
		_, err = s.GetTable(context.Background(), "default", "tmp")
		wantKind(t, err, catalog.ErrNotFound, "Table not found: default.tmp")
	})
}

func TestNotFoundErrors(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
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
	})
}

func TestNamesAreCaseInsensitiveAndPatternsMatch(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
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
	})
}

func TestDropDatabase(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
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
			must(t, rawRow(s, `SELECT COUNT(*) FROM "`+tbl+`"`).Scan(&n))
			if n != 0 {
				t.Errorf("%s has %d rows after cascade drop", tbl, n)
			}
		}

		must(t, s.CreateDatabase(ctx, &catalog.Database{Name: "fonly"}))
		must(t, s.CreateFunction(ctx, &catalog.Function{DBName: "fonly", Name: "f", ClassName: "x.Y"}))
		_, err = s.DropDatabase(ctx, "fonly", false)
		wantKind(t, err, catalog.ErrInvalidOperation, "Database fonly is not empty. One or more functions exist.")
	})
}

func TestAlterTableRenameAndColumns(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
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
	})
}

func TestPartitionsRoundTripAndOrder(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
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
	})
}

func TestAlterAndDropPartition(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
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
			must(t, rawRow(s, `SELECT COUNT(*) FROM "`+tbl+`"`).Scan(&n))
			if n != 0 {
				t.Errorf("%s has %d rows after DropTable", tbl, n)
			}
		}
	})
}

// TestAlterPartitionsIsAllOrNothing: AlterPartitions replaces several partitions in one transaction; a
// missing partition among them fails the call with ErrNotFound and alters none.
func TestAlterPartitionsIsAllOrNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
		ctx := context.Background()
		createSalesDB(t, s)
		must(t, s.CreateTable(ctx, fullTable()))
		vals := [][]string{{"d1", "1"}, {"d2", "2"}, {"d3", "3"}}
		for _, v := range vals {
			must(t, s.AddPartitions(ctx, []*catalog.Partition{{DBName: "sales", TableName: "orders", Values: v}}, false))
		}
		sdRows := func() int {
			var n int
			must(t, rawRow(s, `SELECT COUNT(*) FROM "SDS"`).Scan(&n))
			return n
		}
		nSDs := sdRows()
		// moved returns the partitions with the given values, relocated under dir, with a parameter.
		moved := func(dir string, vals ...[]string) []*catalog.Partition {
			var out []*catalog.Partition
			for _, v := range vals {
				p := &catalog.Partition{DBName: "sales", TableName: "orders", Values: v, SD: &catalog.StorageDescriptor{NumBuckets: -1}}
				if old, err := s.GetPartition(ctx, "sales", "orders", v); err == nil {
					p = old
				}
				sd := *p.SD
				sd.Location = "s3a://bucket/" + dir + "/" + strings.Join(v, "_")
				p.SD = &sd
				p.Parameters = map[string]string{"k": dir}
				out = append(out, p)
			}
			return out
		}
		check := func(dir string) {
			t.Helper()
			for _, v := range vals {
				got, err := s.GetPartition(ctx, "sales", "orders", v)
				must(t, err)
				if want := "s3a://bucket/" + dir + "/" + strings.Join(v, "_"); got.SD.Location != want || got.Parameters["k"] != dir {
					t.Errorf("partition %v: location %s, k=%q; want %s, k=%q", v, got.SD.Location, got.Parameters["k"], want, dir)
				}
			}
		}

		must(t, s.AlterPartitions(ctx, "SALES", "Orders", moved("v1", vals...)))
		check("v1")
		if n := sdRows(); n != nSDs {
			t.Errorf("SDS rows: %d after AlterPartitions, %d before", n, nSDs)
		}

		// The third partition does not exist: nothing changes.
		err := s.AlterPartitions(ctx, "sales", "orders", moved("v2", vals[0], vals[1], []string{"d9", "9"}))
		wantKind(t, err, catalog.ErrNotFound, "Partition not found: sales.orders/ds=d9/hr=9")
		check("v1")
		if n := sdRows(); n != nSDs {
			t.Errorf("SDS rows: %d after a failed AlterPartitions, %d before", n, nSDs)
		}

		wantKind(t, s.AlterPartitions(ctx, "sales", "nosuch", moved("v3", vals[0])), catalog.ErrNotFound, "")
		must(t, s.AlterPartitions(ctx, "sales", "orders", nil))
	})
}

// TestCommitPartitionsIsOneTransaction: CommitPartitions switches existing partitions and registers new
// ones together; when registering fails, the switch is rolled back too.
func TestCommitPartitionsIsOneTransaction(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
		ctx := context.Background()
		createSalesDB(t, s)
		must(t, s.CreateTable(ctx, fullTable()))
		must(t, s.AddPartitions(ctx, []*catalog.Partition{{DBName: "sales", TableName: "orders", Values: []string{"d1", "1"}}}, false))
		var _ catalog.PartitionCommitter = s
		relocated := func(loc string) *catalog.Partition {
			p, err := s.GetPartition(ctx, "sales", "orders", []string{"d1", "1"})
			must(t, err)
			sd := *p.SD
			sd.Location = loc
			p.SD = &sd
			return p
		}
		old, err := s.GetPartition(ctx, "sales", "orders", []string{"d1", "1"})
		must(t, err)
		before := old.SD
		newPart := func(v string) *catalog.Partition {
			return &catalog.Partition{DBName: "sales", TableName: "orders", Values: []string{v, "1"},
				SD: &catalog.StorageDescriptor{Location: "s3a://bucket/new/" + v, NumBuckets: -1}}
		}
		// Registering fails (a partition with one value of two): the switch is undone with it.
		bad := &catalog.Partition{DBName: "sales", TableName: "orders", Values: []string{"d3"}}
		if err := s.CommitPartitions(ctx, "sales", "orders", []*catalog.Partition{relocated("s3a://bucket/v2/d1")}, []*catalog.Partition{newPart("d2"), bad}); err == nil {
			t.Fatal("CommitPartitions with a bad new partition: no error")
		}
		if p, err := s.GetPartition(ctx, "sales", "orders", []string{"d1", "1"}); err != nil || p.SD.Location != before.Location {
			t.Errorf("after a failed commit: %v, location %v; want the old location %s", err, p, before.Location)
		}
		if _, err := s.GetPartition(ctx, "sales", "orders", []string{"d2", "1"}); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("new partition after a failed commit: %v, want not found", err)
		}
		// Both at once.
		must(t, s.CommitPartitions(ctx, "sales", "orders", []*catalog.Partition{relocated("s3a://bucket/v2/d1")}, []*catalog.Partition{newPart("d2")}))
		if p, err := s.GetPartition(ctx, "sales", "orders", []string{"d1", "1"}); err != nil || p.SD.Location != "s3a://bucket/v2/d1" {
			t.Errorf("switched partition: %v, %v", p, err)
		}
		if p, err := s.GetPartition(ctx, "sales", "orders", []string{"d2", "1"}); err != nil || p.SD.Location != "s3a://bucket/new/d2" {
			t.Errorf("new partition: %v, %v", p, err)
		}
		// Existing new partitions are kept (if not exists), as AddPartitions(..., true) does.
		must(t, s.CommitPartitions(ctx, "sales", "orders", nil, []*catalog.Partition{newPart("d2")}))
	})
}

func TestFunctionRoundTrip(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
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
	})
}

func TestRawTablesLookLikeHive(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
		ctx := context.Background()
		createSalesDB(t, s)
		must(t, s.CreateTable(ctx, fullTable()))
		must(t, s.CreateTable(ctx, &catalog.Table{DBName: "default", Name: "v", TableType: catalog.VirtualView, ViewOriginalText: "select 1"}))
		db := s.DB()

		// What a person types at the database's own prompt (`mariadb -e 'select NAME from DBS'`); PostgreSQL
		// needs Hive's quoted upper-case names, as with a Java HMS database.
		dbsQuery, tblsQuery := `select NAME from DBS order by NAME`, `select TBL_NAME, TBL_TYPE from TBLS order by TBL_NAME`
		if b.name == "postgres" {
			dbsQuery, tblsQuery = `select "NAME" from "DBS" order by "NAME"`, `select "TBL_NAME", "TBL_TYPE" from "TBLS" order by "TBL_NAME"`
		}
		if got := rawStrings(t, db, dbsQuery); !slices.Equal(got, []string{"default", "sales"}) {
			t.Fatalf("DBS names = %q", got)
		}
		if got := rawStrings(t, db, tblsQuery); !slices.Equal(got, []string{"orders:EXTERNAL_TABLE", "v:VIRTUAL_VIEW"}) {
			t.Fatalf("TBLS = %q", got)
		}
		checks := []struct {
			name, query, want string
		}{
			{"schema version", `select "SCHEMA_VERSION" from "VERSION"`, "3.1.0"},
			{"hive catalog", `select "NAME" from "CTLGS"`, "hive"},
			{"database catalog", `select "CTLG_NAME" from "DBS" where "NAME" = 'sales'`, "hive"},
			{"columns in order", `select c."COLUMN_NAME", c."TYPE_NAME" from "COLUMNS_V2" c join "SDS" s on s."CD_ID" = c."CD_ID"
				join "TBLS" t on t."SD_ID" = s."SD_ID" where t."TBL_NAME" = 'orders' order by c."INTEGER_IDX"`,
				"id:bigint,items:array<struct<sku:string,qty:int>>,amount:decimal(10,2)"},
			{"serde lib", `select "SLIB" from "SERDES" s join "SDS" d on d."SERDE_ID" = s."SERDE_ID" join "TBLS" t on t."SD_ID" = d."SD_ID"`,
				"org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"},
			{"partition keys", `select "PKEY_NAME" from "PARTITION_KEYS" order by "INTEGER_IDX"`, "ds,hr"},
			{"table location", `select "LOCATION" from "SDS" s join "TBLS" t on t."SD_ID" = s."SD_ID" where "TBL_NAME" = 'orders'`, "s3a://bucket/orders"},
			{"external param", `select "PARAM_VALUE" from "TABLE_PARAMS" where "PARAM_KEY" = 'EXTERNAL'`, "TRUE"},
			{"booleans", `select "IS_COMPRESSED", "IS_STOREDASSUBDIRECTORIES" from "SDS" s join "TBLS" t on t."SD_ID" = s."SD_ID" where "TBL_NAME" = 'orders'`,
				map[string]string{"sqlite": "1:1", "mariadb": "\x01:\x01", "postgres": "true:true"}[b.name]},
		}
		for _, c := range checks {
			t.Run(c.name, func(t *testing.T) {
				got := strings.Join(rawStrings(t, db, s.d.rebind(c.query)), ",")
				if got != c.want {
					t.Fatalf("%s = %q, want %q", c.query, got, c.want)
				}
			})
		}
	})
}

func seqVal(t *testing.T, s *Store, name string) int64 {
	t.Helper()
	var v int64
	must(t, rawRow(s, `select "NEXT_VAL" from "SEQUENCE_TABLE" where "SEQUENCE_NAME" = ?`, name).Scan(&v))
	return v
}

func TestSequenceTableAdvancesAndIDsComeFromIt(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openTest(t, b)
		ctx := context.Background()
		before := seqVal(t, s, seqDatabase)
		must(t, s.CreateDatabase(ctx, &catalog.Database{Name: "a"}))
		must(t, s.CreateDatabase(ctx, &catalog.Database{Name: "b"}))
		if after := seqVal(t, s, seqDatabase); after != before+2 {
			t.Fatalf("MDatabase NEXT_VAL %d -> %d, want +2", before, after)
		}
		var id int64
		must(t, rawRow(s, `select "DB_ID" from "DBS" where "NAME" = 'b'`).Scan(&id))
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
		rawExec(t, s, `delete from "SEQUENCE_TABLE" where "SEQUENCE_NAME" = ?`, seqDatabase)
		must(t, s.CreateDatabase(ctx, &catalog.Database{Name: "c"}))
		must(t, rawRow(s, `select "DB_ID" from "DBS" where "NAME" = 'c'`).Scan(&id))
		if id != before+2 {
			t.Fatalf("DB_ID of c = %d, want %d", id, before+2)
		}
	})
}

func TestReopenPersistsAndMigrationsAreRecorded(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		o := b.newDB(t)
		s := openWith(t, o)
		ctx := context.Background()
		createSalesDB(t, s)
		must(t, s.CreateTable(ctx, fullTable()))
		must(t, s.Close())

		s2, err := Open(ctx, o) // no warehouse: taken from the default db
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
		must(t, rawRow(s2, `select count(*) from "WAGGLE_MIGRATIONS"`).Scan(&n))
		if n != len(migrations()) {
			t.Fatalf("migrations recorded = %d, want %d", n, len(migrations()))
		}
		var versions int
		must(t, rawRow(s2, `select count(*) from "VERSION"`).Scan(&versions))
		if versions != 1 {
			t.Fatalf("VERSION rows = %d", versions)
		}
	})
}

func TestOpenRefusesUnknownSchema(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		tests := []struct {
			name   string
			tamper string
		}{
			{"newer migration", `insert into "WAGGLE_MIGRATIONS" values (999, 'future', 0)`},
			{"unknown hive version", `update "VERSION" set "SCHEMA_VERSION" = '4.0.0'`},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				o := b.newDB(t)
				s := openWith(t, o)
				rawExec(t, s, tc.tamper)
				must(t, s.Close())
				s2, err := Open(context.Background(), o)
				if err == nil {
					s2.Close()
					t.Fatal("Open succeeded on an unknown schema")
				}
				if !errors.Is(err, ErrSchemaUnsupported) {
					t.Fatalf("err = %v, want ErrSchemaUnsupported", err)
				}
			})
		}
	})
}

// Two stores (two Waggle servers) on one database create tables concurrently: ids are distinct, no
// duplicate-key errors reach the caller, and SEQUENCE_TABLE stays ahead of every id handed out.
func TestTwoStoresOnOneDatabaseAllocateDistinctIDs(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		o := b.newDB(t)
		s1 := openWith(t, o)
		defer s1.Close()
		s2 := openWith(t, o)
		defer s2.Close()
		ctx := context.Background()
		const workers, perWorker = 3, 12
		var wg sync.WaitGroup
		errs := make(chan error, 2*workers*perWorker)
		for i, s := range []*Store{s1, s2} {
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := range perWorker {
						name := fmt.Sprintf("s%d_w%d_t%d", i, w, j)
						errs <- s.CreateTable(ctx, &catalog.Table{DBName: "default", Name: name, SD: &catalog.StorageDescriptor{
							Cols: []catalog.FieldSchema{{Name: "x", Type: "int"}}}})
					}
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			must(t, err)
		}
		const total = 2 * workers * perWorker
		names, err := s2.ListTables(ctx, "default", "")
		must(t, err)
		if len(names) != total {
			t.Fatalf("tables = %d, want %d", len(names), total)
		}
		for _, c := range []struct{ seq, table, col string }{
			{seqTable, "TBLS", "TBL_ID"}, {seqSD, "SDS", "SD_ID"}, {seqCD, "CDS", "CD_ID"}, {seqSerDe, "SERDES", "SERDE_ID"},
		} {
			var ids, maxID int64
			must(t, rawRow(s1, fmt.Sprintf(`select count(distinct "%s"), max("%s") from "%s"`, c.col, c.col, c.table)).Scan(&ids, &maxID))
			if ids < total {
				t.Errorf("distinct %s = %d, want >= %d", c.col, ids, total)
			}
			if next := seqVal(t, s1, c.seq); next <= maxID {
				t.Errorf("%s NEXT_VAL = %d, not above max %s %d", c.seq, next, c.col, maxID)
			}
		}
	})
}
