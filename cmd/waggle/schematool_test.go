package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	_ "github.com/go-sql-driver/mysql" // driver "mysql" for the test's admin connection
	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
)

// schematoolBackend names a fresh metastore database of one backend and the admin connection to inspect it.
type schematoolBackend struct {
	name string
	// setup returns the --hiveconf flags naming a new database (created by init, dropped at the end) and a
	// connection to it with the dialect's quoting ("`" or `"`).
	setup func(t *testing.T) (flags []string, exec func(q string) error)
}

func schematoolBackends() []schematoolBackend {
	unavailable := func(t *testing.T, what string, err error) {
		t.Helper()
		if os.Getenv("WAGGLE_TEST_NO_SERVERS") == "1" {
			t.Skipf("%s unavailable (WAGGLE_TEST_NO_SERVERS=1): %v", what, err)
		}
		t.Fatalf("%s unavailable (set WAGGLE_TEST_NO_SERVERS=1 to skip): %v", what, err)
	}
	randomName := func(t *testing.T) string {
		var b [6]byte
		if _, err := rand.Read(b[:]); err != nil {
			t.Fatal(err)
		}
		return "waggle_tool_" + hex.EncodeToString(b[:])
	}
	return []schematoolBackend{
		{"sqlite", func(t *testing.T) ([]string, func(string) error) {
			path := filepath.Join(t.TempDir(), "ms.db")
			return []string{"javax.jdo.option.ConnectionURL=jdbc:sqlite:" + path}, func(q string) error {
				db, err := sql.Open("sqlite", path)
				if err != nil {
					return err
				}
				defer db.Close()
				_, err = db.Exec(q)
				return err
			}
		}},
		{"mariadb", func(t *testing.T) ([]string, func(string) error) {
			admin, err := sql.Open("mysql", "root@tcp(127.0.0.1:3306)/")
			must(t, err)
			if err := admin.Ping(); err != nil {
				admin.Close()
				unavailable(t, "MariaDB at 127.0.0.1:3306", err)
			}
			name := randomName(t)
			t.Cleanup(func() {
				defer admin.Close()
				if _, err := admin.Exec("DROP DATABASE IF EXISTS `" + name + "`"); err != nil {
					t.Errorf("drop %s: %v", name, err)
				}
			})
			return []string{"javax.jdo.option.ConnectionURL=jdbc:mysql://127.0.0.1:3306/" + name + "?createDatabaseIfNotExist=true",
					"javax.jdo.option.ConnectionUserName=root"}, func(q string) error {
					db, err := sql.Open("mysql", "root@tcp(127.0.0.1:3306)/"+name)
					if err != nil {
						return err
					}
					defer db.Close()
					_, err = db.Exec(strings.ReplaceAll(q, `"`, "`"))
					return err
				}
		}},
		{"postgres", func(t *testing.T) ([]string, func(string) error) {
			admin, err := sql.Open("pgx", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
			must(t, err)
			if err := admin.Ping(); err != nil {
				admin.Close()
				unavailable(t, "PostgreSQL at 127.0.0.1:5432", err)
			}
			name := randomName(t)
			t.Setenv("WAGGLE_METASTORE_USER", "postgres") // the user from the environment
			t.Cleanup(func() {
				defer admin.Close()
				if _, err := admin.Exec(`DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`); err != nil {
					t.Errorf("drop %s: %v", name, err)
				}
			})
			return []string{"javax.jdo.option.ConnectionURL=jdbc:postgresql://127.0.0.1:5432/" + name + "?sslmode=disable&createDatabaseIfNotExist=true"},
				func(q string) error {
					db, err := sql.Open("pgx", "postgres://postgres@127.0.0.1:5432/"+name+"?sslmode=disable")
					if err != nil {
						return err
					}
					defer db.Close()
					_, err = db.Exec(q)
					return err
				}
		}},
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// runAdmin runs `waggle metastore <sub> --hiveconf ...` and returns stdout and the error.
func runAdmin(t *testing.T, sub string, hiveconf []string) (string, error) {
	t.Helper()
	root := &cobra.Command{Use: "waggle", SilenceUsage: true, SilenceErrors: true}
	ms := &cobra.Command{Use: "metastore"}
	ms.AddCommand(newMetastoreAdminCmds()...)
	root.AddCommand(ms)
	args := []string{"metastore", sub}
	for _, h := range hiveconf {
		args = append(args, "--hiveconf", h)
	}
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func TestSchematool(t *testing.T) {
	for _, b := range schematoolBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Setenv("WAGGLE_HOME", t.TempDir())
			t.Setenv("WAGGLE_CONF_DIR", "")
			t.Setenv("HIVE_CONF_DIR", "")
			flags, exec := b.setup(t)

			out, err := runAdmin(t, "info", flags)
			if err == nil || !strings.Contains(err.Error(), "waggle metastore init") {
				t.Fatalf("info before init: err = %v\n%s", err, out)
			}
			for i := range 2 { // init twice is not an error
				out, err = runAdmin(t, "init", flags)
				if err != nil {
					t.Fatalf("init #%d: %v\n%s", i+1, err, out)
				}
				if !strings.Contains(out, "Metastore schema version:\t3.1.0\n") || !strings.Contains(out, "Initialization script completed") {
					t.Fatalf("init #%d output:\n%s", i+1, out)
				}
			}
			out, err = runAdmin(t, "upgrade", flags)
			if err != nil || !strings.Contains(out, "Upgrade completed") {
				t.Fatalf("upgrade of a current schema: %v\n%s", err, out)
			}
			out, err = runAdmin(t, "info", flags)
			must(t, err)
			wantType := map[string]string{"mariadb": "mysql"}[b.name]
			if wantType == "" {
				wantType = b.name
			}
			for _, want := range []string{"Database type:\t" + wantType + "\n", "Metastore schema version:\t3.1.0\n",
				"Waggle migration:\t", "Databases:\t0\n", "Tables:\t0\n", "Partitions:\t0\n"} {
				if !strings.Contains(out, want) {
					t.Errorf("info output lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "password") {
				t.Errorf("info prints a password:\n%s", out)
			}

			must(t, exec(`UPDATE "VERSION" SET "SCHEMA_VERSION" = '9.9.9'`))
			for _, sub := range []string{"init", "upgrade", "info"} {
				out, err := runAdmin(t, sub, flags)
				var ee *exitError
				if !errors.As(err, &ee) || ee.code != 1 || !strings.Contains(err.Error(), "9.9.9") || !strings.Contains(err.Error(), "refusing") {
					t.Errorf("%s on schema 9.9.9: err = %v\n%s", sub, err, out)
				}
			}
		})
	}
}
