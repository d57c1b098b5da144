package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/waggle-dev/waggle/catalog/sqlstore"
)

// newMetastoreAdminCmds returns Waggle's schematool: `init`, `upgrade` and `info`, to be placed under
// `waggle metastore`. Each reads the metastore connection like every other command
// (javax.jdo.option.ConnectionURL, ConnectionUserName / ConnectionPassword or WAGGLE_METASTORE_USER,
// WAGGLE_METASTORE_PASSWORD, WAGGLE_METASTORE_PASSWORD_FILE) and refuses a schema of an unknown or newer
// version without touching it.
func newMetastoreAdminCmds() []*cobra.Command {
	type step struct {
		use, short, long string
		run              func(ctx context.Context, opts sqlstore.Options) (sqlstore.SchemaInfo, error)
		done             string
	}
	steps := []step{
		{"init", "Create the metastore schema (idempotent)",
			`Create Hive's metastore schema (3.1.0, plus Waggle's migrations) in the database named by
javax.jdo.option.ConnectionURL. Running it on a database that already has the current schema does nothing;
an older schema needs 'upgrade'. MySQL/PostgreSQL databases must exist unless the URL says
createDatabaseIfNotExist=true.`,
			sqlstore.Init, "Initialization script completed"},
		{"upgrade", "Apply pending metastore schema migrations",
			`Apply the schema migrations this Waggle has and the database lacks (also adopting a schema created by
Hive's schematool 3.1.0). Servers do not upgrade a shared metastore by themselves unless
waggle.metastore.autoupgrade=true.`,
			sqlstore.Upgrade, "Upgrade completed"},
		{"info", "Print the metastore schema version and object counts",
			`Print the database type, Hive schema version, Waggle migration number and the number of databases,
tables and partitions. Changes nothing.`,
			sqlstore.Info, ""},
	}
	var cmds []*cobra.Command
	for _, st := range steps {
		var hiveconf, conf []string
		cmd := &cobra.Command{
			Use:   st.use,
			Short: st.short,
			Long:  st.long,
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				url, opts, err := adminOptions(hiveconf, conf)
				if err != nil {
					return &exitError{code: 2, err: err}
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "Metastore connection URL:\t%s\n", sqlstore.RedactURL(url))
				info, err := st.run(cmd.Context(), opts)
				if st.use == "info" && info.DBType != "" {
					printSchemaInfo(out, info)
				}
				if err != nil {
					return &exitError{code: 1, err: err}
				}
				if st.use != "info" {
					printSchemaInfo(out, info)
				}
				if st.done != "" {
					fmt.Fprintln(out, st.done)
				}
				return nil
			},
		}
		cmd.Flags().StringArrayVar(&hiveconf, "hiveconf", nil, "Hive setting, e.g. javax.jdo.option.ConnectionURL=jdbc:mysql://host:3306/hive (k=v, repeatable)")
		cmd.Flags().StringArrayVar(&conf, "conf", nil, "Spark-style setting (k=v, repeatable)")
		cmds = append(cmds, cmd)
	}
	return cmds
}

// adminOptions loads the configuration and returns the metastore URL and the store options.
func adminOptions(hiveconf, conf []string) (string, sqlstore.Options, error) {
	c, err := loadConf(hiveconf, conf)
	if err != nil {
		return "", sqlstore.Options{}, err
	}
	u, err := sqlstore.URLOptionsFromConf(c, nil)
	if err != nil {
		return "", sqlstore.Options{}, err
	}
	if wh := u.Warehouse; wh != "" && !strings.Contains(wh, "://") {
		abs, err := filepath.Abs(wh)
		if err != nil {
			return "", sqlstore.Options{}, err
		}
		u.Warehouse = "file://" + abs
	}
	opts, err := sqlstore.OptionsFromURL(u)
	return u.URL, opts, err
}

func printSchemaInfo(w io.Writer, i sqlstore.SchemaInfo) {
	version := i.HiveVersion
	if version == "" {
		version = "(none)"
	}
	fmt.Fprintf(w, "Database type:\t%s\n", i.DBType)
	fmt.Fprintf(w, "Hive distribution version:\t%s\n", sqlstore.SchemaVersion)
	fmt.Fprintf(w, "Metastore schema version:\t%s\n", version)
	fmt.Fprintf(w, "Waggle migration:\t%d (latest %d)\n", i.Migration, i.LatestMigration)
	fmt.Fprintf(w, "Databases:\t%d\nTables:\t%d\nPartitions:\t%d\n", i.Databases, i.Tables, i.Partitions)
}
