package hms

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	hm "github.com/beltran/gohive/hive_metastore"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/catalog/sqlstore"
	"github.com/waggle-dev/waggle/catalog/sqlstore/storetest"
	"github.com/waggle-dev/waggle/storage"
)

// backend opens a fresh, empty metastore store for one test. The suite
// runs every server test on each backend; MySQL/PostgreSQL join here when
// catalog/sqlstore supports them.
type backend struct {
	name string
	open func(t testing.TB, warehouse string) catalog.Catalog
}

// backends are the metastore databases the HMS suite runs on: SQLite, and fresh databases on the MariaDB
// and PostgreSQL servers (package storetest).
func backends() []backend {
	return []backend{
		{name: "sqlite", open: openSQLite},
		{name: "mariadb", open: openServer(storetest.NewMySQL)},
		{name: "postgres", open: openServer(storetest.NewPostgres)},
	}
}

func openServer(newDB func(testing.TB) (string, string)) func(t testing.TB, warehouse string) catalog.Catalog {
	return func(t testing.TB, warehouse string) catalog.Catalog {
		t.Helper()
		driver, dsn := newDB(t)
		s, err := sqlstore.Open(context.Background(), sqlstore.Options{Driver: driver, DSN: dsn, Warehouse: warehouse, MaxOpenConns: 32, MaxIdleConns: 32})
		if err != nil {
			t.Fatalf("open %s store: %v", driver, err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
}

func openSQLite(t testing.TB, warehouse string) catalog.Catalog {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), sqlstore.Options{
		Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "metastore.db"), Warehouse: warehouse,
	})
	if err != nil {
		t.Fatalf("open sqlite store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// forEachBackend runs fn as a subtest per backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}

// testServer is a server on a loopback port.
type testServer struct {
	srv     *Server
	addr    string
	host    string
	port    int
	stats   *Stats
	cat     catalog.Catalog
	st      *storage.Storage
	whDir   string // local warehouse directory
	stopped chan error
}

// startServer serves a fresh store of backend b on 127.0.0.1. opts.Metrics
// is replaced by the test's Stats.
func startServer(t testing.TB, b backend, opts ServerOptions) *testServer {
	t.Helper()
	wh := t.TempDir()
	cat := b.open(t, "file://"+wh)
	return startServerOn(t, cat, wh, opts)
}

func startServerOn(t testing.TB, cat catalog.Catalog, wh string, opts ServerOptions) *testServer {
	t.Helper()
	st, err := storage.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	stats := &Stats{}
	opts.Metrics = stats
	srv := NewServer(cat, st, opts)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{srv: srv, addr: l.Addr().String(), stats: stats, cat: cat, st: st, whDir: wh, stopped: make(chan error, 1)}
	ts.host, ts.port = "127.0.0.1", l.Addr().(*net.TCPAddr).Port
	go func() { ts.stopped <- srv.Serve(context.Background(), l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return ts
}

// rawClient is a generated gohive client on its own connection.
type rawClient struct {
	*hm.ThriftHiveMetastoreClient
	trans thrift.TTransport
	proto thrift.TProtocol
}

func dialRaw(t testing.TB, addr string, framed, compact bool) *rawClient {
	t.Helper()
	cfg := &thrift.TConfiguration{ConnectTimeout: 5 * time.Second, SocketTimeout: 30 * time.Second}
	sock := thrift.NewTSocketConf(addr, cfg)
	if err := sock.Open(); err != nil {
		t.Fatalf("connect %s: %v", addr, err)
	}
	var trans thrift.TTransport = thrift.NewTBufferedTransport(sock, 8192)
	if framed {
		trans = thrift.NewTFramedTransportConf(sock, cfg)
	}
	var proto thrift.TProtocol = thrift.NewTBinaryProtocolConf(trans, cfg)
	if compact {
		proto = thrift.NewTCompactProtocolConf(trans, cfg)
	}
	t.Cleanup(func() { trans.Close() })
	return &rawClient{
		ThriftHiveMetastoreClient: hm.NewThriftHiveMetastoreClient(thrift.NewTStandardClient(proto, proto)),
		trans:                     trans, proto: proto,
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantExc checks that err is the HMS exception type of want (a pointer to
// a zero value of it, e.g. (*hm.NoSuchObjectException)(nil)).
func wantExc[E error](t testing.TB, err error, contains string) {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("err = %T %v, want %T", err, err, e)
	}
	if contains != "" && !strings.Contains(err.Error(), contains) {
		t.Fatalf("err = %v, want it to contain %q", err, contains)
	}
}

// tableSpec returns a Thrift table with the given partition keys.
func tableSpec(db, name string, keys ...string) *hm.Table {
	var pk []*hm.FieldSchema
	for _, k := range keys {
		n, typ, _ := strings.Cut(k, " ")
		pk = append(pk, &hm.FieldSchema{Name: n, Type: typ})
	}
	return &hm.Table{
		DbName: db, TableName: name, Owner: "alice", TableType: catalog.ManagedTable,
		Sd: &hm.StorageDescriptor{
			Cols:         []*hm.FieldSchema{{Name: "id", Type: "bigint"}, {Name: "name", Type: "string"}},
			InputFormat:  "org.apache.hadoop.mapred.TextInputFormat",
			OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
			NumBuckets:   -1,
			SerdeInfo:    &hm.SerDeInfo{SerializationLib: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", Parameters: map[string]string{"field.delim": ","}},
			Parameters:   map[string]string{},
		},
		PartitionKeys: pk,
		Parameters:    map[string]string{},
	}
}

func partSpec(db, table string, vals ...string) *hm.Partition {
	return &hm.Partition{DbName: db, TableName: table, Values: vals,
		Sd: &hm.StorageDescriptor{Cols: []*hm.FieldSchema{{Name: "id", Type: "bigint"}}, NumBuckets: -1,
			SerdeInfo: &hm.SerDeInfo{Parameters: map[string]string{}}, Parameters: map[string]string{}},
		Parameters: map[string]string{}}
}

func partValues(ps []*hm.Partition) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Join(p.Values, "/")
	}
	return out
}

// waitGoroutines waits until the goroutine count is back to at most base
// (plus slack) and fails with a dump otherwise.
func waitGoroutines(t testing.TB, base int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= base+2 {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("goroutines: %d, want <= %d\n%s", n, base+2, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func fmtVals(vals ...string) string { return fmt.Sprint(vals) }

func errorsAs(err error, target any) bool { return errors.As(err, target) }
