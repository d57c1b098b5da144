package sqlstore

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/waggle-dev/waggle/catalog/sqlstore/storetest"
)

// The store suite runs against every backend: SQLite (a file per test) and the MariaDB/MySQL and PostgreSQL
// servers (a fresh database per test, dropped at the end; see package storetest).

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
		{"mariadb", func(t *testing.T) Options { d, dsn := storetest.NewMySQL(t); return Options{Driver: d, DSN: dsn} }},
		{"postgres", func(t *testing.T) Options { d, dsn := storetest.NewPostgres(t); return Options{Driver: d, DSN: dsn} }},
	}
}

// eachBackend runs fn as a subtest per backend.
func eachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}

// withFixed sets the test warehouse and clock.
func withFixed(o Options) Options {
	o.Warehouse = testWarehouse
	o.Now = func() time.Time { return fixedNow }
	return o
}
