package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The store suite runs against every backend: SQLite (a file per test) and the MariaDB/MySQL and PostgreSQL
// servers (a fresh database per test, dropped at the end). Servers: WAGGLE_TEST_MYSQL_DSN (default
// root@tcp(127.0.0.1:3306)/) and WAGGLE_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
// An unreachable server fails the test (CI has both) unless WAGGLE_TEST_NO_SERVERS=1, which skips it.

// backend is one database system of the suite.
type backend struct {
	name string
	// newDB creates an empty database for this test and returns the Options naming it (no warehouse, no clock).
	newDB func(t *testing.T) Options
}

func backends() []backend {
	return []backend{
		{"sqlite", func(t *testing.T) Options {
			return Options{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "metastore.db")}
		}},
		{"mariadb", newMySQLDB},
		{"postgres", newPostgresDB},
	}
}

// eachBackend runs fn as a subtest per backend.
func eachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}

func randomDBName(t *testing.T) string {
	var buf [6]byte
	if _, err := rand.Read(buf[:]); err != nil {
		t.Fatal(err)
	}
	return "waggle_test_" + hex.EncodeToString(buf[:])
}

// serverUnavailable fails the test, or skips it when WAGGLE_TEST_NO_SERVERS=1.
func serverUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	if os.Getenv("WAGGLE_TEST_NO_SERVERS") == "1" {
		t.Skipf("%s unavailable (WAGGLE_TEST_NO_SERVERS=1): %v", what, err)
	}
	t.Fatalf("%s unavailable (set WAGGLE_TEST_NO_SERVERS=1 to skip): %v", what, err)
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func newMySQLDB(t *testing.T) Options {
	t.Helper()
	dsn := envOr("WAGGLE_TEST_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/")
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DBName, cfg.Timeout = "", 5*time.Second
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		serverUnavailable(t, "MariaDB/MySQL at "+cfg.Addr, err)
	}
	name := randomDBName(t)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE `"+name+"`"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	cfg.DBName = name
	return Options{Driver: "mysql", DSN: cfg.FormatDSN()}
}

func newPostgresDB(t *testing.T) Options {
	t.Helper()
	dsn := envOr("WAGGLE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable&connect_timeout=5")
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	admin := stdlib.OpenDB(*cfg)
	ctx := context.Background()
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		serverUnavailable(t, "PostgreSQL at "+cfg.Host, err)
	}
	name := randomDBName(t)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE "`+name+`"`); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE "`+name+`" WITH (FORCE)`); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	return Options{Driver: "postgres", DSN: replaceDBInURL(dsn, name)}
}

// replaceDBInURL swaps the database of a postgres:// URL.
func replaceDBInURL(u, db string) string {
	rest, query, _ := strings.Cut(u, "?")
	i := strings.LastIndex(rest, "/")
	if i < len("postgres://") {
		rest += "/"
		i = len(rest) - 1
	}
	out := rest[:i+1] + db
	if query != "" {
		out += "?" + query
	}
	return out
}

// withFixed sets the test warehouse and clock.
func withFixed(o Options) Options {
	o.Warehouse = testWarehouse
	o.Now = func() time.Time { return fixedNow }
	return o
}
