package sqlstore

import (
	"github.com/waggle-dev/waggle/catalog/sqlstore/storetest"

	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waggle-dev/waggle/catalog"
)

func TestInitIsIdempotentAndInfoCounts(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		o := b.newDB(t)
		_, err := Info(ctx, o)
		if !errors.Is(err, ErrNoSchema) {
			t.Fatalf("Info on an empty database: err = %v, want ErrNoSchema", err)
		}
		_, err = Upgrade(ctx, o)
		if !errors.Is(err, ErrNoSchema) {
			t.Fatalf("Upgrade on an empty database: err = %v, want ErrNoSchema", err)
		}
		for range 2 {
			info, err := Init(ctx, o)
			must(t, err)
			want := SchemaInfo{DBType: map[string]string{"mariadb": "mysql"}[b.name], HiveVersion: SchemaVersion,
				Migration: LatestMigration(), LatestMigration: LatestMigration()}
			if want.DBType == "" {
				want.DBType = b.name
			}
			if info != want {
				t.Fatalf("Init = %+v, want %+v", info, want)
			}
		}
		s := openWith(t, o)
		must(t, s.CreateTable(ctx, fullTableIn("default")))
		must(t, s.Close())
		info, err := Info(ctx, o)
		must(t, err)
		if info.Databases != 1 || info.Tables != 1 || info.Partitions != 0 || !info.Current() {
			t.Fatalf("Info = %+v", info)
		}
		info, err = Upgrade(ctx, o)
		must(t, err)
		if !info.Current() {
			t.Fatalf("Upgrade = %+v", info)
		}
	})
}

func fullTableIn(db string) *catalog.Table {
	tb := fullTable()
	tb.DBName = db
	return tb
}

func TestSchemaOfUnknownVersionIsRefusedByEveryCommand(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		o := b.newDB(t)
		_, err := Init(ctx, o)
		must(t, err)
		s := openWith(t, o)
		rawExec(t, s, `update "VERSION" set "SCHEMA_VERSION" = '4.0.0'`)
		must(t, s.Close())
		for name, fn := range map[string]func(context.Context, Options) (SchemaInfo, error){"init": Init, "upgrade": Upgrade, "info": Info} {
			info, err := fn(ctx, o)
			if !errors.Is(err, ErrSchemaUnsupported) || !strings.Contains(err.Error(), "4.0.0") {
				t.Errorf("%s: err = %v, want ErrSchemaUnsupported naming 4.0.0", name, err)
			}
			if name == "info" && info.HiveVersion != "4.0.0" {
				t.Errorf("info still reports what it found: %+v", info)
			}
		}
	})
}

// An older schema (here: a Hive-created 3.1.0 one, i.e. migration 1 without Waggle's record) is not changed
// by Open unless asked; Upgrade adopts and upgrades it.
func TestOlderSchemaNeedsUpgrade(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		o := b.newDB(t)
		s, err := openDB(ctx, withFixed(o))
		must(t, err)
		// Build what Hive's schematool 3.1.0 leaves: the core tables and seeds, no WAGGLE_MIGRATIONS.
		must(t, s.withMigrationLock(ctx, func(tx *txn) error { return migrations()[0].apply(ctx, tx, s) }))
		must(t, s.Close())

		info, err := Info(ctx, o)
		must(t, err)
		if info.Migration != 1 || info.Current() {
			t.Fatalf("Info of a Hive 3.1.0 schema = %+v", info)
		}
		if _, err := Open(ctx, withFixed(o)); !errors.Is(err, ErrSchemaOutdated) || !strings.Contains(err.Error(), "waggle metastore upgrade") {
			t.Fatalf("Open of an older schema: err = %v, want ErrSchemaOutdated", err)
		}
		if _, err := Init(ctx, o); !errors.Is(err, ErrSchemaOutdated) {
			t.Fatalf("Init of an older schema: err = %v, want ErrSchemaOutdated", err)
		}
		info, err = Upgrade(ctx, o)
		must(t, err)
		if !info.Current() {
			t.Fatalf("after Upgrade: %+v", info)
		}
		auto := withFixed(o)
		auto.AutoUpgrade = true
		s2, err := Open(ctx, auto)
		must(t, err)
		must(t, s2.Close())
	})
}

func TestOpenURLOnServers(t *testing.T) {
	ctx := context.Background()
	t.Run("missing database is an error unless createDatabaseIfNotExist", func(t *testing.T) {
		eachBackend(t, func(t *testing.T, b backend) {
			b.newDB(t) // fails (or skips) when the server is not there
			var url string
			switch b.name {
			case "sqlite":
				url = "jdbc:sqlite:" + filepath.Join(t.TempDir(), "sub", "ms.db") // SQLite creates its file
			case "mariadb":
				url = "jdbc:mariadb://127.0.0.1:3306/" + storetest.RandomDBName(t) + "?useSSL=false&serverTimezone=UTC"
			case "postgres":
				url = "jdbc:postgresql://127.0.0.1:5432/" + storetest.RandomDBName(t) + "?sslmode=disable"
			}
			user := map[string]string{"mariadb": "root", "postgres": "postgres"}[b.name]
			uo := URLOptions{URL: url, User: user, Password: "", Warehouse: testWarehouse}
			if b.name != "sqlite" {
				_, err := OpenURL(ctx, uo)
				if err == nil || !strings.Contains(err.Error(), "createDatabaseIfNotExist=true") {
					t.Fatalf("OpenURL of a missing database: err = %v", err)
				}
				uo.URL += "&createDatabaseIfNotExist=true"
				t.Cleanup(func() { dropServerDB(t, b, uo) })
			}
			s, err := OpenURL(ctx, uo)
			must(t, err)
			defer s.Close()
			if _, err := s.GetDatabase(ctx, "default"); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// dropServerDB drops the database a URLOptions names.
func dropServerDB(t *testing.T, b backend, uo URLOptions) {
	opts, err := OptionsFromURL(uo)
	must(t, err)
	s, err := openDB(context.Background(), opts)
	if err != nil {
		t.Errorf("drop: %v", err)
		return
	}
	defer s.Close()
	var q string
	switch b.name {
	case "mariadb":
		q = "DROP DATABASE IF EXISTS `" + dbNameOf(uo.URL) + "`"
	case "postgres":
		s.Close()
		admin := b.newDB(t) // a connection to some other database of the server
		a, err := openDB(context.Background(), admin)
		must(t, err)
		defer a.Close()
		s = a
		q = `DROP DATABASE IF EXISTS "` + dbNameOf(uo.URL) + `" WITH (FORCE)`
	}
	if _, err := s.DB().Exec(q); err != nil {
		t.Errorf("drop: %v", err)
	}
}

func dbNameOf(url string) string {
	rest, _, _ := strings.Cut(url, "?")
	return rest[strings.LastIndex(rest, "/")+1:]
}

func TestOptionsFromURL(t *testing.T) {
	tests := []struct {
		name string
		in   URLOptions
		want Options
	}{
		{"mysql with defaults", URLOptions{URL: "jdbc:mysql://db.example:3306/hive?createDatabaseIfNotExist=true&useSSL=false", User: "hive", Password: "s3cret"},
			Options{Driver: "mysql", DSN: "hive@tcp(db.example:3306)/hive?timeout=10s&tls=false", Password: "s3cret", CreateDatabase: true}},
		{"mariadb default port, user and password in the URL", URLOptions{URL: "jdbc:mariadb://db.example/hive?user=u&password=p&sslMode=REQUIRED"},
			Options{Driver: "mysql", DSN: "u@tcp(db.example:3306)/hive?timeout=10s&tls=skip-verify", Password: "p"}},
		{"explicit credentials win", URLOptions{URL: "jdbc:mysql://h:3307/m?user=u&password=p", User: "x", Password: "y"},
			Options{Driver: "mysql", DSN: "x@tcp(h:3307)/m?timeout=10s", Password: "y"}},
		{"postgresql", URLOptions{URL: "jdbc:postgresql://pg.example:5433/metastore?sslmode=require&currentSchema=hms", User: "hive", Password: "pw"},
			Options{Driver: "postgres", DSN: "postgres://hive@pg.example:5433/metastore?application_name=waggle&connect_timeout=10&search_path=hms&sslmode=require", Password: "pw"}},
		{"postgresql short form", URLOptions{URL: "jdbc:postgresql:metastore"},
			Options{Driver: "postgres", DSN: "postgres://localhost/metastore?application_name=waggle&connect_timeout=10"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := OptionsFromURL(tc.in)
			must(t, err)
			if got.Driver != tc.want.Driver || got.DSN != tc.want.DSN || got.Password != tc.want.Password || got.CreateDatabase != tc.want.CreateDatabase {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
	for _, bad := range []string{"jdbc:oracle:thin:@h:1521:x", "jdbc:mysql://h1,h2/db", "jdbc:mysql://h/"} {
		if _, err := OptionsFromURL(URLOptions{URL: bad + "?password=hunter2"}); err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: err = %v (want an error without the password)", bad, err)
		}
	}
}

func TestCredentialsFromConfAndEnv(t *testing.T) {
	pwFile := filepath.Join(t.TempDir(), "pw")
	must(t, os.WriteFile(pwFile, []byte("from-file\n"), 0o600))
	env := func(vals map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vals[k]; return v, ok }
	}
	tests := []struct {
		name           string
		conf, env      map[string]string
		user, password string
	}{
		{"configuration wins", map[string]string{ConfUserName: "c", ConfPassword: "cp"}, map[string]string{EnvUser: "e", EnvPassword: "ep"}, "c", "cp"},
		{"environment", nil, map[string]string{EnvUser: "e", EnvPassword: "ep", EnvPasswordFile: pwFile}, "e", "ep"},
		{"password file", nil, map[string]string{EnvPasswordFile: pwFile}, "", "from-file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := URLOptionsFromConf(tc.conf, env(tc.env))
			must(t, err)
			if u.User != tc.user || u.Password != tc.password {
				t.Fatalf("user %q password %q, want %q %q", u.User, u.Password, tc.user, tc.password)
			}
		})
	}
	_, err := URLOptionsFromConf(nil, env(map[string]string{EnvPasswordFile: filepath.Join(t.TempDir(), "missing")}))
	if err == nil {
		t.Fatal("a missing password file must be an error")
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"jdbc:mysql://h/db?user=u&password=secret&x=1": "jdbc:mysql://h/db?user=u&password=xxxxx&x=1",
		"jdbc:postgresql://u:secret@h/db":              "jdbc:postgresql://u:xxxxx@h/db",
		"jdbc:sqlite:/tmp/ms.db":                       "jdbc:sqlite:/tmp/ms.db",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
