// Package storetest creates fresh, empty databases on the MariaDB/MySQL and PostgreSQL servers for
// tests of every package that runs the same suite against each backend (catalog/sqlstore, catalog/hms).
// Servers: WAGGLE_TEST_MYSQL_DSN (default root@tcp(127.0.0.1:3306)/) and WAGGLE_TEST_POSTGRES_URL (default
// postgres://postgres@127.0.0.1:5432/postgres). An unreachable server fails the test (CI has both) unless
// WAGGLE_TEST_NO_SERVERS=1, which skips it. Each database has a random name and is dropped at the end.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// RandomDBName returns a fresh database name (waggle_test_<hex>).
func RandomDBName(t testing.TB) string {
	var buf [6]byte
	if _, err := rand.Read(buf[:]); err != nil {
		t.Fatal(err)
	}
	return "waggle_test_" + hex.EncodeToString(buf[:])
}

// serverUnavailable fails the test, or skips it when WAGGLE_TEST_NO_SERVERS=1.
func serverUnavailable(t testing.TB, what string, err error) {
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

// NewMySQL creates a database on the MariaDB/MySQL server and returns the sqlstore driver name and DSN.
func NewMySQL(t testing.TB) (driver, dsn string) {
	t.Helper()
	dsn = envOr("WAGGLE_TEST_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/")
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
	name := RandomDBName(t)
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
	return "mysql", cfg.FormatDSN()
}

// NewPostgres creates a database on the PostgreSQL server and returns the sqlstore driver name and DSN.
func NewPostgres(t testing.TB) (driver, dsn string) {
	t.Helper()
	dsn = envOr("WAGGLE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable&connect_timeout=5")
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
	name := RandomDBName(t)
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
	return "postgres", replaceDBInURL(dsn, name)
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
