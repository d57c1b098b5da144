// Command waggle runs Hive SQL scripts unchanged, as jobs: `waggle run script.sql --hivevar k=v`,
// `waggle shell`, `waggle check`. See README.md for the full command reference.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// exitError carries a process exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "waggle:", ee.err)
		}
		os.Exit(ee.code)
	}
	fmt.Fprintln(os.Stderr, "waggle:", err)
	os.Exit(2)
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "waggle",
		Short: "Run Hive SQL scripts unchanged, as jobs",
		Long: `Waggle runs Hive SQL scripts unchanged — ${vars}, LOAD DATA, INSERT OVERWRITE ... PARTITION,
LATERAL VIEW explode, Hive UDFs — on an embedded DuckDB engine with a Hive-compatible metastore.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newRunCmd(), newShellCmd(), newCheckCmd(), newVersionCmd(), newServerCmd(), newJobsCmd(), newMetastoreCmd())
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print Waggle's version",
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "waggle", version)
		},
	}
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"
