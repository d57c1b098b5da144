package hms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	hm "github.com/beltran/gohive/hive_metastore"

	"github.com/waggle-dev/waggle/catalog"
)

// ClientOptions configure Dial.
type ClientOptions struct {
	// Logger receives reconnects and set_ugi failures; nil discards them.
	Logger *slog.Logger
	// Framed selects TFramedTransport
	// (hive.metastore.thrift.framed.transport.enabled); default buffered.
	Framed bool
	// Compact selects TCompactProtocol
	// (hive.metastore.thrift.compact.protocol.enabled); default binary.
	Compact bool
	// ConnectTimeout bounds connecting to one URI; 0 means 20s.
	ConnectTimeout time.Duration
	// SocketTimeout bounds each socket read/write (Hive's
	// hive.metastore.client.socket.timeout); 0 means 600s.
	SocketTimeout time.Duration
	// MaxMessageSize caps a reply; 0 means 1 GiB.
	MaxMessageSize int32
	// User is sent with set_ugi after connecting; "" means $USER (no
	// set_ugi when that is empty too).
	User string
}

// Client is a catalog.Catalog backed by a remote Hive Metastore (Waggle's
// own server or a Java HMS) over Thrift. Calls share one connection and are
// serialised; a call that finds the connection broken reconnects (trying
// the URIs in order) and is retried once, as Hive's RetryingMetaStoreClient
// does — so a non-idempotent call whose reply was lost may report
// AlreadyExists/NotFound on its retry.
//
// HMS exceptions map back to catalog error kinds (NoSuchObjectException →
// ErrNotFound, AlreadyExistsException → ErrAlreadyExists, ...). The client
// never asks the server to delete data (deleteData=false), per the
// catalog.Catalog contract: the caller owns table data.
type Client struct {
	uris []string
	opts ClientOptions
	log  *slog.Logger

	mu     sync.Mutex
	closed bool
	trans  thrift.TTransport
	cl     *hm.ThriftHiveMetastoreClient
	// Methods the server answered UNKNOWN_METHOD; their fallbacks are used.
	noGetTableReq, noTablesReq bool
}

var _ catalog.Catalog = (*Client)(nil)

// Dial connects to the metastore at uri: "thrift://host:port", or several
// of them comma-separated (hive.metastore.uris), tried in order.
func Dial(ctx context.Context, uri string, opts ClientOptions) (catalog.Catalog, error) {
	var uris []string
	for _, u := range strings.Split(uri, ",") {
		u = strings.TrimSpace(u)
		if u == "" {
			continue
		}
		pu, err := url.Parse(u)
		if err != nil || pu.Scheme != "thrift" || pu.Host == "" {
			return nil, fmt.Errorf("hms: bad metastore URI %q (want thrift://host:port)", u)
		}
		host := pu.Host
		if pu.Port() == "" {
			host = net.JoinHostPort(pu.Hostname(), "9083")
		}
		uris = append(uris, host)
	}
	if len(uris) == 0 {
		return nil, fmt.Errorf("hms: no metastore URI in %q", uri)
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = 20 * time.Second
	}
	if opts.SocketTimeout <= 0 {
		opts.SocketTimeout = 600 * time.Second
	}
	if opts.MaxMessageSize <= 0 {
		opts.MaxMessageSize = 1 << 30
	}
	if opts.User == "" {
		opts.User = os.Getenv("USER")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Client{uris: uris, opts: opts, log: log}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.connect(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// connect opens a connection to the first URI that answers. c.mu is held.
func (c *Client) connect(ctx context.Context) error {
	cfg := &thrift.TConfiguration{
		ConnectTimeout: c.opts.ConnectTimeout,
		SocketTimeout:  c.opts.SocketTimeout,
		MaxMessageSize: c.opts.MaxMessageSize,
		MaxFrameSize:   c.opts.MaxMessageSize,
	}
	var errs []error
	for _, addr := range c.uris {
		if err := ctx.Err(); err != nil {
			return err
		}
		sock := thrift.NewTSocketConf(addr, cfg)
		if err := sock.Open(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", addr, err))
			continue
		}
		var trans thrift.TTransport = thrift.NewTBufferedTransport(sock, transportBufferSize)
		if c.opts.Framed {
			trans = thrift.NewTFramedTransportConf(sock, cfg)
		}
		var proto thrift.TProtocol
		if c.opts.Compact {
			proto = thrift.NewTCompactProtocolConf(trans, cfg)
		} else {
			proto = thrift.NewTBinaryProtocolConf(trans, cfg)
		}
		cl := hm.NewThriftHiveMetastoreClient(thrift.NewTStandardClient(proto, proto))
		if c.opts.User != "" {
			if _, err := cl.SetUgi(ctx, c.opts.User, []string{}); err != nil {
				if isBrokenConnection(err) {
					trans.Close()
					errs = append(errs, fmt.Errorf("%s: set_ugi: %w", addr, err))
					continue
				}
				c.log.Debug("hms: set_ugi failed", "addr", addr, "err", err)
			}
		}
		c.trans, c.cl = trans, cl
		c.log.Debug("hms: connected", "addr", addr)
		return nil
	}
	return fmt.Errorf("hms: cannot connect to metastore: %w", errors.Join(errs...))
}

// drop forgets a broken connection. c.mu is held.
func (c *Client) drop() {
	if c.trans != nil {
		c.trans.Close()
	}
	c.trans, c.cl = nil, nil
}

// do runs one call, reconnecting and retrying once on a broken connection,
// and maps HMS exceptions to catalog errors.
func (c *Client) do(ctx context.Context, method string, fn func(*hm.ThriftHiveMetastoreClient) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for attempt := 0; ; attempt++ {
		if c.closed {
			return errors.New("hms: client closed")
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if c.cl == nil {
			if err := c.connect(ctx); err != nil {
				return err
			}
		}
		trans := c.trans
		stop := context.AfterFunc(ctx, func() { trans.Close() })
		err := fn(c.cl)
		if !stop() {
			// ctx ended during the call and closed the connection.
			c.drop()
			if err == nil {
				return nil
			}
			return ctx.Err()
		}
		if err == nil {
			return nil
		}
		if isBrokenConnection(err) {
			c.drop()
			if attempt == 0 {
				c.log.Info("hms: connection broken; reconnecting", "method", method, "err", err)
				continue
			}
			return fmt.Errorf("hms: %s: %w", method, err)
		}
		if isUnknownMethod(err) {
			return err
		}
		return fromThrift(err)
	}
}

// Close implements catalog.Catalog.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	c.drop()
	return nil
}

func maxParts(max int) int16 {
	if max <= 0 || max > 1<<15-1 {
		return -1
	}
	return int16(max)
}

func orStar(pattern string) string {
	if pattern == "" {
		return "*"
	}
	return pattern
}

// CreateDatabase implements catalog.Catalog.
func (c *Client) CreateDatabase(ctx context.Context, db *catalog.Database) error {
	td := dbToThrift(db)
	if db.CreateTime == 0 {
		td.CreateTime = nil
	}
	return c.do(ctx, "create_database", func(cl *hm.ThriftHiveMetastoreClient) error {
		return cl.CreateDatabase(ctx, td)
	})
}

// GetDatabase implements catalog.Catalog.
func (c *Client) GetDatabase(ctx context.Context, name string) (*catalog.Database, error) {
	var out *hm.Database
	err := c.do(ctx, "get_database", func(cl *hm.ThriftHiveMetastoreClient) (err error) {
		out, err = cl.GetDatabase(ctx, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	d := dbFromThrift(out)
	d.CatalogName = ""
	return d, nil
}

// ListDatabases implements catalog.Catalog.
func (c *Client) ListDatabases(ctx context.Context, pattern string) ([]string, error) {
	var out []string
	err := c.do(ctx, "get_databases", func(cl *hm.ThriftHiveMetastoreClient) (err error) {
		if pattern == "" {
			out, err = cl.GetAllDatabases(ctx)
		} else {
			out, err = cl.GetDatabases(ctx, pattern)
		}
		return err
	})
	slices.Sort(out)
	return out, err
}

// AlterDatabase implements catalog.Catalog.
func (c *Client) AlterDatabase(ctx context.Context, name string, db *catalog.Database) error {
	td := dbToThrift(db)
	return c.do(ctx, "alter_database", func(cl *hm.ThriftHiveMetastoreClient) error {
		return cl.AlterDatabase(ctx, name, td)
	})
}

// DropDatabase implements catalog.Catalog. With cascade the tables are
// listed first (the Thrift call does not return them), so tables created
// concurrently may be dropped without being reported.
func (c *Client) DropDatabase(ctx context.Context, name string, cascade bool) ([]*catalog.Table, error) {
	var dropped []*catalog.Table
	if cascade {
		names, err := c.ListTables(ctx, name, "")
		if err != nil {
			return nil, err
		}
		if len(names) > 0 {
			if dropped, err = c.GetTables(ctx, name, names); err != nil {
				return nil, err
			}
		}
	}
	err := c.do(ctx, "drop_database", func(cl *hm.ThriftHiveMetastoreClient) error {
		return cl.DropDatabase(ctx, name, false, cascade)
	})
	if err != nil {
		return nil, err
	}
	return dropped, nil
}

// CreateTable implements catalog.Catalog.
func (c *Client) CreateTable(ctx context.Context, t *catalog.Table) error {
	if t.Temporary {
		return catalog.Errorf(catalog.ErrInvalidObject,
			"Temporary table %s.%s cannot be stored in the metastore; the session keeps it",
			strings.ToLower(t.DBName), strings.ToLower(t.Name))
	}
	tt := tableToThrift(t)
	tt.RewriteEnabled = nil
	return c.do(ctx, "create_table", func(cl *hm.ThriftHiveMetastoreClient) error {
		return cl.CreateTableWithEnvironmentContext(ctx, tt, &hm.EnvironmentContext{Properties: map[string]string{}})
	})
}

// GetTable implements catalog.Catalog (get_table_req, or get_table for
// servers without it).
func (c *Client) GetTable(ctx context.Context, db, name string) (*catalog.Table, error) {
	var out *hm.Table
	err := c.do(ctx, "get_table_req", func(cl *hm.ThriftHiveMetastoreClient) error {
		if !c.noGetTableReq {
			res, err := cl.GetTableReq(ctx, &hm.GetTableRequest{DbName: db, TblName: name})
			if !isUnknownMethod(err) {
				if err == nil {
					out = res.GetTable()
				}
				return err
			}
			c.noGetTableReq = true
		}
		var err error
		out, err = cl.GetTable(ctx, db, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, catalog.TableNotFound(db, name)
	}
	return tableFromThrift(out), nil
}

// GetTables implements catalog.Catalog.
func (c *Client) GetTables(ctx context.Context, db string, names []string) ([]*catalog.Table, error) {
	var out []*hm.Table
	err := c.do(ctx, "get_table_objects_by_name_req", func(cl *hm.ThriftHiveMetastoreClient) error {
		if !c.noTablesReq {
			res, err := cl.GetTableObjectsByNameReq(ctx, &hm.GetTablesRequest{DbName: db, TblNames: names})
			if !isUnknownMethod(err) {
				if err == nil {
					out = res.GetTables()
				}
				return err
			}
			c.noTablesReq = true
		}
		var err error
		out, err = cl.GetTableObjectsByName(ctx, db, names)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Keep the order asked for, as the catalog contract says.
	byName := make(map[string]*hm.Table, len(out))
	for _, t := range out {
		if t != nil {
			byName[strings.ToLower(t.TableName)] = t
		}
	}
	res := make([]*catalog.Table, 0, len(out))
	for _, n := range names {
		if t, ok := byName[strings.ToLower(n)]; ok {
			res = append(res, tableFromThrift(t))
			delete(byName, strings.ToLower(n))
		}
	}
	return res, nil
}

// ListTables implements catalog.Catalog. An empty answer is checked against
// the database, so a missing database is ErrNotFound as in the SQL store.
func (c *Client) ListTables(ctx context.Context, db, pattern string) ([]string, error) {
	var out []string
	err := c.do(ctx, "get_tables", func(cl *hm.ThriftHiveMetastoreClient) (err error) {
		out, err = cl.GetTables(ctx, db, orStar(pattern))
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		if _, err := c.GetDatabase(ctx, db); err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return out, nil
}

// AlterTable implements catalog.Catalog.
func (c *Client) AlterTable(ctx context.Context, db, name string, t *catalog.Table) error {
	tt := tableToThrift(t)
	tt.RewriteEnabled = nil
	return c.do(ctx, "alter_table_with_environment_context", func(cl *hm.ThriftHiveMetastoreClient) error {
		return cl.AlterTableWithEnvironmentContext(ctx, db, name, tt, &hm.EnvironmentContext{Properties: map[string]string{}})
	})
}

// DropTable implements catalog.Catalog.
func (c *Client) DropTable(ctx context.Context, db, name string) error {
	return c.do(ctx, "drop_table_with_environment_context", func(cl *hm.ThriftHiveMetastoreClient) error {
		return cl.DropTableWithEnvironmentContext(ctx, db, name, false, &hm.EnvironmentContext{Properties: map[string]string{}})
	})
}

// AddPartitions implements catalog.Catalog with one add_partitions_req per
// table: partitions of several tables are not added atomically.
func (c *Client) AddPartitions(ctx context.Context, parts []*catalog.Partition, ifNotExists bool) error {
	type key struct{ db, table string }
	var order []key
	groups := map[key][]*hm.Partition{}
	for _, p := range parts {
		k := key{strings.ToLower(p.DBName), strings.ToLower(p.TableName)}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], partToThrift(p))
	}
	for _, k := range order {
		req := &hm.AddPartitionsRequest{DbName: k.db, TblName: k.table, Parts: groups[k], IfNotExists: ifNotExists, NeedResult_: false}
		err := c.do(ctx, "add_partitions_req", func(cl *hm.ThriftHiveMetastoreClient) error {
			_, err := cl.AddPartitionsReq(ctx, req)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// GetPartition implements catalog.Catalog.
func (c *Client) GetPartition(ctx context.Context, db, table string, values []string) (*catalog.Partition, error) {
	var out *hm.Partition
	err := c.do(ctx, "get_partition", func(cl *hm.ThriftHiveMetastoreClient) (err error) {
		out, err = cl.GetPartition(ctx, db, table, values)
		return err
	})
	if err != nil {
		return nil, err
	}
	return partFromThrift(out), nil
}

// ListPartitions implements catalog.Catalog.
func (c *Client) ListPartitions(ctx context.Context, db, table string, max int) ([]*catalog.Partition, error) {
	var out []*hm.Partition
	err := c.do(ctx, "get_partitions", func(cl *hm.ThriftHiveMetastoreClient) (err error) {
		out, err = cl.GetPartitions(ctx, db, table, maxParts(max))
		return err
	})
	if err != nil {
		return nil, err
	}
	res := make([]*catalog.Partition, 0, len(out))
	for _, p := range out {
		res = append(res, partFromThrift(p))
	}
	if max > 0 && len(res) > max {
		res = res[:max]
	}
	return res, nil
}

// ListPartitionNames implements catalog.Catalog.
func (c *Client) ListPartitionNames(ctx context.Context, db, table string, max int) ([]string, error) {
	var out []string
	err := c.do(ctx, "get_partition_names", func(cl *hm.ThriftHiveMetastoreClient) (err error) {
		out, err = cl.GetPartitionNames(ctx, db, table, maxParts(max))
		return err
	})
	if max > 0 && len(out) > max {
		out = out[:max]
	}
	return out, err
}

// AlterPartition implements catalog.Catalog: alter_partition for the same
// values, rename_partition for new ones.
func (c *Client) AlterPartition(ctx context.Context, db, table string, oldValues []string, p *catalog.Partition) error {
	tp := partToThrift(p)
	if slices.Equal(oldValues, p.Values) {
		return c.do(ctx, "alter_partition_with_environment_context", func(cl *hm.ThriftHiveMetastoreClient) error {
			return cl.AlterPartitionWithEnvironmentContext(ctx, db, table, tp, &hm.EnvironmentContext{Properties: map[string]string{}})
		})
	}
	return c.do(ctx, "rename_partition", func(cl *hm.ThriftHiveMetastoreClient) error {
		return cl.RenamePartition(ctx, db, table, oldValues, tp)
	})
}

// AlterPartitions implements catalog.Catalog with one
// alter_partitions_with_environment_context call, which Waggle's server and
// a Java HMS (HiveAlterHandler.alterPartitions) run in one metastore
// transaction.
func (c *Client) AlterPartitions(ctx context.Context, db, table string, parts []*catalog.Partition) error {
	if len(parts) == 0 {
		return nil
	}
	tps := make([]*hm.Partition, len(parts))
	for i, p := range parts {
		if p == nil {
			return catalog.Errorf(catalog.ErrInvalidObject, "Partition object is null")
		}
		tp := partToThrift(p)
		// The server takes db and table from the arguments; a Java HMS also
		// looks at each partition's own names.
		tp.DbName, tp.TableName = db, table
		tps[i] = tp
	}
	return c.do(ctx, "alter_partitions_with_environment_context", func(cl *hm.ThriftHiveMetastoreClient) error {
		return cl.AlterPartitionsWithEnvironmentContext(ctx, db, table, tps, &hm.EnvironmentContext{Properties: map[string]string{}})
	})
}

// DropPartition implements catalog.Catalog.
func (c *Client) DropPartition(ctx context.Context, db, table string, values []string) error {
	return c.do(ctx, "drop_partition", func(cl *hm.ThriftHiveMetastoreClient) error {
		_, err := cl.DropPartition(ctx, db, table, values, false)
		return err
	})
}

// CreateFunction implements catalog.Catalog.
func (c *Client) CreateFunction(ctx context.Context, f *catalog.Function) error {
	tf := funcToThrift(f)
	return c.do(ctx, "create_function", func(cl *hm.ThriftHiveMetastoreClient) error {
		return cl.CreateFunction(ctx, tf)
	})
}

// GetFunction implements catalog.Catalog.
func (c *Client) GetFunction(ctx context.Context, db, name string) (*catalog.Function, error) {
	var out *hm.Function
	err := c.do(ctx, "get_function", func(cl *hm.ThriftHiveMetastoreClient) (err error) {
		out, err = cl.GetFunction(ctx, db, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return funcFromThrift(out), nil
}

// ListFunctions implements catalog.Catalog.
func (c *Client) ListFunctions(ctx context.Context, db, pattern string) ([]string, error) {
	var out []string
	err := c.do(ctx, "get_functions", func(cl *hm.ThriftHiveMetastoreClient) (err error) {
		out, err = cl.GetFunctions(ctx, db, orStar(pattern))
		return err
	})
	slices.Sort(out)
	return out, err
}

// AlterFunction implements catalog.Catalog.
func (c *Client) AlterFunction(ctx context.Context, db, name string, f *catalog.Function) error {
	tf := funcToThrift(f)
	return c.do(ctx, "alter_function", func(cl *hm.ThriftHiveMetastoreClient) error {
		return cl.AlterFunction(ctx, db, name, tf)
	})
}

// DropFunction implements catalog.Catalog.
func (c *Client) DropFunction(ctx context.Context, db, name string) error {
	return c.do(ctx, "drop_function", func(cl *hm.ThriftHiveMetastoreClient) error {
		return cl.DropFunction(ctx, db, name)
	})
}
