package hms

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"

	hm "github.com/beltran/gohive/hive_metastore"

	"github.com/waggle-dev/waggle/catalog"
)

func dialCatalog(t testing.TB, uri string, opts ClientOptions) catalog.Catalog {
	t.Helper()
	c, err := Dial(context.Background(), uri, opts)
	if err != nil {
		t.Fatalf("Dial %s: %v", uri, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("err = %v, want kind %v", err, kind)
	}
}

// TestRemoteCatalogRoundTrip: a Dial'd client over the store-backed server
// behaves like the store for the catalog operations the engine uses.
func TestRemoteCatalogRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		for _, tc := range []struct {
			name string
			opts ClientOptions
		}{
			{"buffered binary", ClientOptions{}},
			{"framed compact", ClientOptions{Framed: true, Compact: true}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ts := startServer(t, b, ServerOptions{})
				cat := dialCatalog(t, "thrift://"+ts.addr, tc.opts)
				roundTrip(t, cat)
			})
		}
	})
}

func roundTrip(t *testing.T, cat catalog.Catalog) {
	ctx := context.Background()
	must(t, cat.CreateDatabase(ctx, &catalog.Database{Name: "Shop", Description: "d", Parameters: map[string]string{"a": "b"},
		OwnerName: "bob", OwnerType: catalog.PrincipalUser}))
	wantKind(t, cat.CreateDatabase(ctx, &catalog.Database{Name: "shop"}), catalog.ErrAlreadyExists)
	db, err := cat.GetDatabase(ctx, "shop")
	must(t, err)
	if db.Name != "shop" || db.Parameters["a"] != "b" || db.OwnerName != "bob" || db.OwnerType != catalog.PrincipalUser || db.LocationURI == "" {
		t.Errorf("GetDatabase = %+v", db)
	}
	_, err = cat.GetDatabase(ctx, "nosuch")
	wantKind(t, err, catalog.ErrNotFound)
	dbs, err := cat.ListDatabases(ctx, "")
	must(t, err)
	if !slices.Equal(dbs, []string{"default", "shop"}) {
		t.Errorf("ListDatabases = %v", dbs)
	}
	db.Description = "changed"
	must(t, cat.AlterDatabase(ctx, "shop", db))
	if db, _ := cat.GetDatabase(ctx, "shop"); db == nil || db.Description != "changed" {
		t.Errorf("AlterDatabase did not stick: %+v", db)
	}

	tbl := &catalog.Table{
		DBName: "shop", Name: "Items", Owner: "bob", OwnerType: catalog.PrincipalUser, TableType: catalog.ExternalTable,
		SD: &catalog.StorageDescriptor{
			Cols:     []catalog.FieldSchema{{Name: "id", Type: "bigint", Comment: "key"}, {Name: "tags", Type: "array<string>"}},
			Location: "file:///tmp/items", InputFormat: "in", OutputFormat: "out", NumBuckets: 2,
			SerDe:      catalog.SerDeInfo{SerializationLib: "lib", Parameters: map[string]string{"field.delim": "\t"}},
			BucketCols: []string{"id"}, SortCols: []catalog.Order{{Col: "id", Order: catalog.OrderDesc}},
		},
		PartitionKeys: []catalog.FieldSchema{{Name: "dt", Type: "string"}, {Name: "n", Type: "int"}},
		Parameters:    map[string]string{"EXTERNAL": "TRUE"},
	}
	must(t, cat.CreateTable(ctx, tbl))
	wantKind(t, cat.CreateTable(ctx, tbl), catalog.ErrAlreadyExists)
	wantKind(t, cat.CreateTable(ctx, &catalog.Table{DBName: "shop", Name: "tmp", Temporary: true}), catalog.ErrInvalidObject)
	got, err := cat.GetTable(ctx, "SHOP", "items")
	must(t, err)
	if got.Name != "items" || got.TableType != catalog.ExternalTable || len(got.SD.Cols) != 2 || got.SD.Cols[0].Comment != "key" ||
		got.SD.NumBuckets != 2 || !slices.Equal(got.SD.BucketCols, []string{"id"}) || got.SD.SortCols[0].Order != catalog.OrderDesc ||
		got.SD.SerDe.Parameters["field.delim"] != "\t" || len(got.PartitionKeys) != 2 || got.Parameters[catalog.DDLTimeParam] == "" {
		t.Errorf("GetTable = %+v / %+v", got, got.SD)
	}
	_, err = cat.GetTable(ctx, "shop", "nosuch")
	wantKind(t, err, catalog.ErrNotFound)
	ts, err := cat.GetTables(ctx, "shop", []string{"nosuch", "items"})
	must(t, err)
	if len(ts) != 1 || ts[0].Name != "items" {
		t.Errorf("GetTables = %v", ts)
	}
	names, err := cat.ListTables(ctx, "shop", "it*")
	must(t, err)
	if !slices.Equal(names, []string{"items"}) {
		t.Errorf("ListTables = %v", names)
	}
	_, err = cat.ListTables(ctx, "nosuch", "")
	wantKind(t, err, catalog.ErrNotFound)

	var parts []*catalog.Partition
	for _, v := range [][]string{{"a/b", "1"}, {"x", "2"}, {"", "3"}} {
		parts = append(parts, &catalog.Partition{DBName: "shop", TableName: "items", Values: v,
			SD: &catalog.StorageDescriptor{Cols: tbl.SD.Cols, NumBuckets: -1}})
	}
	must(t, cat.AddPartitions(ctx, parts, false))
	wantKind(t, cat.AddPartitions(ctx, parts[:1], false), catalog.ErrAlreadyExists)
	must(t, cat.AddPartitions(ctx, parts[:1], true))
	pnames, err := cat.ListPartitionNames(ctx, "shop", "items", 0)
	must(t, err)
	if want := []string{"dt=__HIVE_DEFAULT_PARTITION__/n=3", "dt=a%2Fb/n=1", "dt=x/n=2"}; !slices.Equal(pnames, want) {
		t.Errorf("ListPartitionNames = %v, want %v", pnames, want)
	}
	p, err := cat.GetPartition(ctx, "shop", "items", []string{"a/b", "1"})
	must(t, err)
	if p.SD.Location != "file:///tmp/items/dt=a%2Fb/n=1" {
		t.Errorf("partition location = %s", p.SD.Location)
	}
	_, err = cat.GetPartition(ctx, "shop", "items", []string{"zz", "1"})
	wantKind(t, err, catalog.ErrNotFound)
	ps, err := cat.ListPartitions(ctx, "shop", "items", 2)
	must(t, err)
	if len(ps) != 2 {
		t.Errorf("ListPartitions(max 2) = %d", len(ps))
	}
	p.Parameters["numRows"] = "7"
	must(t, cat.AlterPartition(ctx, "shop", "items", p.Values, p))
	p.Values = []string{"renamed", "9"}
	p.SD.Location = "file:///tmp/items/renamed"
	must(t, cat.AlterPartition(ctx, "shop", "items", []string{"a/b", "1"}, p))
	p2, err := cat.GetPartition(ctx, "shop", "items", []string{"renamed", "9"})
	must(t, err)
	if p2.Parameters["numRows"] != "7" {
		t.Errorf("altered partition = %+v", p2.Parameters)
	}
	must(t, cat.DropPartition(ctx, "shop", "items", []string{"renamed", "9"}))
	wantKind(t, cat.DropPartition(ctx, "shop", "items", []string{"renamed", "9"}), catalog.ErrNotFound)

	got.Name = "items2"
	got.SD.Cols = append(got.SD.Cols, catalog.FieldSchema{Name: "extra", Type: "string"})
	must(t, cat.AlterTable(ctx, "shop", "items", got))
	_, err = cat.GetTable(ctx, "shop", "items")
	wantKind(t, err, catalog.ErrNotFound)
	if got2, err := cat.GetTable(ctx, "shop", "items2"); err != nil || len(got2.SD.Cols) != 3 {
		t.Errorf("renamed table: %+v, %v", got2, err)
	}
	wantKind(t, cat.AlterTable(ctx, "shop", "nosuch", got), catalog.ErrNotFound)

	f := &catalog.Function{DBName: "shop", Name: "f1", ClassName: "com.x.F", OwnerName: "bob", OwnerType: catalog.PrincipalUser,
		FunctionType: catalog.FunctionJava, Resources: []catalog.ResourceURI{{Type: catalog.ResourceJar, URI: "file:///f.jar"}}}
	must(t, cat.CreateFunction(ctx, f))
	wantKind(t, cat.CreateFunction(ctx, f), catalog.ErrAlreadyExists)
	gf, err := cat.GetFunction(ctx, "shop", "f1")
	must(t, err)
	if gf.ClassName != "com.x.F" || len(gf.Resources) != 1 || gf.Resources[0].Type != catalog.ResourceJar {
		t.Errorf("GetFunction = %+v", gf)
	}
	fns, err := cat.ListFunctions(ctx, "shop", "")
	must(t, err)
	if !slices.Equal(fns, []string{"f1"}) {
		t.Errorf("ListFunctions = %v", fns)
	}
	f.ClassName = "com.x.G"
	must(t, cat.AlterFunction(ctx, "shop", "f1", f))
	must(t, cat.DropFunction(ctx, "shop", "f1"))
	_, err = cat.GetFunction(ctx, "shop", "f1")
	wantKind(t, err, catalog.ErrNotFound)

	_, err = cat.DropDatabase(ctx, "shop", false)
	wantKind(t, err, catalog.ErrInvalidOperation)
	dropped, err := cat.DropDatabase(ctx, "shop", true)
	must(t, err)
	if len(dropped) != 1 || dropped[0].Name != "items2" {
		t.Errorf("DropDatabase(cascade) returned %v", dropped)
	}
	wantKind(t, cat.DropTable(ctx, "default", "nothing"), catalog.ErrNotFound)
}

// TestRemoteAlterPartitionsIsAtomic: the client's AlterPartitions is one
// alter_partitions_with_environment_context call, and the server runs it in
// one metastore transaction: a missing partition among them alters none.
// alter_partitions_req from a raw client behaves the same.
func TestRemoteAlterPartitionsIsAtomic(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		ts := startServer(t, b, ServerOptions{})
		cat := dialCatalog(t, "thrift://"+ts.addr, ClientOptions{})
		must(t, cat.CreateDatabase(ctx, &catalog.Database{Name: "shop"}))
		cols := []catalog.FieldSchema{{Name: "id", Type: "bigint"}}
		must(t, cat.CreateTable(ctx, &catalog.Table{DBName: "shop", Name: "items", TableType: catalog.ManagedTable,
			SD:            &catalog.StorageDescriptor{Cols: cols, Location: "file:///tmp/items", NumBuckets: -1},
			PartitionKeys: []catalog.FieldSchema{{Name: "dt", Type: "string"}}}))
		vals := [][]string{{"a"}, {"b"}, {"c"}}
		for _, v := range vals {
			must(t, cat.AddPartitions(ctx, []*catalog.Partition{{DBName: "shop", TableName: "items", Values: v,
				SD: &catalog.StorageDescriptor{Cols: cols, NumBuckets: -1}}}, false))
		}
		relocated := func(version string, vals ...[]string) []*catalog.Partition {
			var out []*catalog.Partition
			for _, v := range vals {
				out = append(out, &catalog.Partition{Values: v, Parameters: map[string]string{"v": version},
					SD: &catalog.StorageDescriptor{Cols: cols, NumBuckets: -1, Location: "file:///tmp/items/dt=" + v[0] + "/base_" + version}})
			}
			return out
		}
		check := func(version string) {
			t.Helper()
			for _, v := range vals {
				p, err := cat.GetPartition(ctx, "shop", "items", v)
				must(t, err)
				if want := "file:///tmp/items/dt=" + v[0] + "/base_" + version; p.SD.Location != want || p.Parameters["v"] != version {
					t.Errorf("partition %v: location %s, v=%q; want %s, v=%q", v, p.SD.Location, p.Parameters["v"], want, version)
				}
			}
		}

		must(t, cat.AlterPartitions(ctx, "shop", "items", relocated("v1", vals...)))
		check("v1")
		if n := ts.stats.Method("alter_partitions_with_environment_context").Requests; n != 1 {
			t.Errorf("alter_partitions_with_environment_context calls = %d, want 1", n)
		}

		err := cat.AlterPartitions(ctx, "shop", "items", relocated("v2", vals[0], vals[1], []string{"zz"}))
		wantKind(t, err, catalog.ErrNotFound)
		check("v1")
		wantKind(t, cat.AlterPartitions(ctx, "shop", "nosuch", relocated("v2", vals[0])), catalog.ErrNotFound)

		// The same through alter_partitions_req.
		raw := dialRaw(t, ts.addr, false, false)
		var tps []*hm.Partition
		for _, p := range relocated("v3", vals[0], vals[1], []string{"zz"}) {
			tp := partToThrift(p)
			tp.DbName, tp.TableName = "shop", "items"
			tps = append(tps, tp)
		}
		_, err = raw.AlterPartitionsReq(ctx, &hm.AlterPartitionsRequest{DbName: "shop", TableName: "items", Partitions: tps})
		wantExc[*hm.InvalidOperationException](t, err, "Partition not found")
		check("v1")
		_, err = raw.AlterPartitionsReq(ctx, &hm.AlterPartitionsRequest{DbName: "shop", TableName: "items", Partitions: tps[:2]})
		must(t, err)
		for _, v := range vals[:2] {
			p, err := cat.GetPartition(ctx, "shop", "items", v)
			must(t, err)
			if p.Parameters["v"] != "v3" {
				t.Errorf("alter_partitions_req: partition %v has v=%q", v, p.Parameters["v"])
			}
		}
	})
}

// TestDialTriesURIsInOrder: a dead first URI is skipped.
func TestDialTriesURIsInOrder(t *testing.T) {
	ts := startServer(t, backends()[0], ServerOptions{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	dead := l.Addr().String()
	l.Close()
	cat := dialCatalog(t, "thrift://"+dead+", thrift://"+ts.addr, ClientOptions{})
	if _, err := cat.GetDatabase(context.Background(), "default"); err != nil {
		t.Fatal(err)
	}
	if _, err := Dial(context.Background(), "http://x:1", ClientOptions{}); err == nil {
		t.Error("Dial accepted a non-thrift URI")
	}
}

// TestClientReconnectsOnce: after the server drops the connection (idle
// timeout, restart), the next call reconnects transparently.
func TestClientReconnectsOnce(t *testing.T) {
	ts := startServer(t, backends()[0], ServerOptions{})
	cat := dialCatalog(t, "thrift://"+ts.addr, ClientOptions{})
	ctx := context.Background()
	_, err := cat.GetDatabase(ctx, "default")
	must(t, err)
	ts.srv.closeConns(false) // drop every connection server-side
	if _, err := cat.GetDatabase(ctx, "default"); err != nil {
		t.Fatalf("call after a dropped connection: %v", err)
	}
	if n := ts.stats.Conns(ConnOpened); n != 2 {
		t.Errorf("connections opened = %d, want 2", n)
	}
}
