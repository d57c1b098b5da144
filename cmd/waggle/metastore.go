package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/waggle-dev/waggle/catalog/hms"
	"github.com/waggle-dev/waggle/storage"
)

func newMetastoreCmd() *cobra.Command {
	var (
		host        string
		port        int
		hiveconf    []string
		conf        []string
		noManage    bool
		maxConns    int
		idleTimeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "metastore",
		Short: "Serve the Hive Metastore Thrift API (HMS) on --port (9083) over the metastore database",
		Long: `metastore serves the Hive Metastore Thrift API (TBinaryProtocol over a buffered socket, as Spark, Trino
and Hive clients speak it) over the database named by javax.jdo.option.ConnectionURL (SQLite by default; MySQL/
MariaDB and PostgreSQL). Point Spark at it with spark.hive.metastore.uris=thrift://HOST:9083, Trino with
hive.metastore.uri=thrift://HOST:9083, and Waggle itself with --hiveconf hive.metastore.uris=thrift://HOST:9083.
Subcommands init, upgrade and info manage the schema (Waggle's schematool).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := loadConf(hiveconf, conf)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			return serveMetastore(cmd.Context(), c, net.JoinHostPort(host, strconv.Itoa(port)), hms.ServerOptions{
				ManageStorage: !noManage, MaxConnections: maxConns, IdleTimeout: idleTimeout, Conf: c,
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&host, "host", "0.0.0.0", "address to listen on")
	fl.IntVar(&port, "port", 9083, "Thrift port")
	fl.StringArrayVar(&hiveconf, "hiveconf", nil, "Hive setting (k=v, repeatable), e.g. javax.jdo.option.ConnectionURL")
	fl.StringArrayVar(&conf, "conf", nil, "Spark-style setting (k=v, repeatable)")
	fl.BoolVar(&noManage, "no-manage-storage", false, "do not create/rename/delete managed table directories (Hive's HMS does)")
	fl.IntVar(&maxConns, "max-connections", hms.DefaultMaxConnections, "concurrent client connections")
	fl.DurationVar(&idleTimeout, "idle-timeout", hms.DefaultIdleTimeout, "close connections idle this long")
	cmd.AddCommand(newMetastoreAdminCmds()...)
	return cmd
}

// serveMetastore opens the SQL store and serves HMS on addr until ctx is cancelled, then shuts down
// gracefully (in-flight calls finish).
func serveMetastore(ctx context.Context, conf map[string]string, addr string, opts hms.ServerOptions) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	store, err := openSQLStore(ctx, conf)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	defer store.Close()
	st, err := storage.New(conf)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	opts.Logger = log
	srv := hms.NewServer(store, st, opts)
	log.Info("hive metastore listening", "addr", l.Addr().String())
	fmt.Fprintf(os.Stderr, "waggle metastore: serving thrift://%s\n", l.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ctx, l) }()
	select {
	case err := <-errc:
		if err != nil && !errors.Is(err, hms.ErrServerClosed) {
			return &exitError{code: 1, err: err}
		}
		return nil
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
