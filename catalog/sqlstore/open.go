package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	_ "modernc.org/sqlite" // driver "sqlite"
)

// Options configure Open, Init, Upgrade and Info. OpenURL builds them from
// a JDBC URL (see OptionsFromURL).
type Options struct {
	// Driver is the database system: "sqlite" (the default), "mysql" (MySQL
	// and MariaDB) or "postgres".
	Driver string
	// DSN names the database in the driver's own form, without the password:
	//   - sqlite: the database file path (query parameters may follow; Open
	//     adds WAL, busy timeout, foreign keys and immediate write transactions);
	//   - mysql: a github.com/go-sql-driver/mysql DSN, "user@tcp(host:3306)/db";
	//   - postgres: a pgx connection string, "postgres://user@host:5432/db?sslmode=prefer".
	DSN string
	// Password for mysql/postgres; kept apart from DSN so that it never
	// appears in a message. Empty: the one in DSN, if any (pgx also reads
	// PGPASSWORD and ~/.pgpass).
	Password string
	// CreateDatabase creates the MySQL/PostgreSQL database named in DSN when
	// it does not exist (JDBC's createDatabaseIfNotExist=true). Without it a
	// missing database is an error, as with Hive's schematool.
	CreateDatabase bool
	// Warehouse is the warehouse root URI (e.g. "file:///data/warehouse"),
	// the location of the default database and the parent of new databases'
	// default locations. It may be empty when reopening an existing store:
	// the default database's location is used then.
	Warehouse string
	// AutoUpgrade lets Open apply pending migrations to an existing older
	// schema (waggle.metastore.autoupgrade). Without it Open creates the
	// schema in an empty database only, and an older schema needs Upgrade
	// (`waggle metastore upgrade`), so that a shared metastore changes only
	// when an operator says so.
	AutoUpgrade bool
	// BusyTimeout is how long SQLite waits for a lock held by another
	// connection or process; 0 means 10s.
	BusyTimeout time.Duration
	// MaxOpenConns limits the connection pool; 0 means 10 for MySQL and
	// PostgreSQL and no limit for SQLite.
	MaxOpenConns int
	// MaxIdleConns is the number of idle connections kept; 0 means
	// min(MaxOpenConns, 4) for MySQL and PostgreSQL.
	MaxIdleConns int
	// ConnMaxLifetime closes connections older than this (0: 30 minutes for
	// MySQL and PostgreSQL, which helps behind proxies and failovers).
	ConnMaxLifetime time.Duration
	// ConnMaxIdleTime closes connections idle longer than this (0: 5 minutes
	// for MySQL and PostgreSQL).
	ConnMaxIdleTime time.Duration
	// MaxRetries is how often a transaction that hit a serialization
	// failure, deadlock or lock timeout is retried; 0 means 8, negative none.
	MaxRetries int
	// RetryBackoff is the first retry's delay, doubled for each further one
	// (with jitter, at most 2s); 0 means 20ms.
	RetryBackoff time.Duration
	// Now returns the current time; nil means time.Now. For tests.
	Now func() time.Time
}

// migrationLockWait is how long a migration waits for another one to finish (MySQL).
const migrationLockWait = 2 * time.Minute

// Open opens the metastore database, creates the schema in an empty
// database (or upgrades an older one if opts.AutoUpgrade), refuses a schema
// of an unknown or newer version, and makes sure the default database exists.
func Open(ctx context.Context, opts Options) (*Store, error) {
	s, err := openDB(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx, modeOpen, opts.AutoUpgrade); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("sqlstore: open %s: %w", s.description, err)
	}
	if err := s.ensureDefaultDatabase(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("sqlstore: open %s: %w", s.description, err)
	}
	return s, nil
}

// openDB connects without looking at the schema.
func openDB(ctx context.Context, opts Options) (*Store, error) {
	s := &Store{warehouse: strings.TrimRight(opts.Warehouse, "/"), clock: opts.Now,
		maxRetries: opts.MaxRetries, backoff: opts.RetryBackoff}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.maxRetries == 0 {
		s.maxRetries = 8
	} else if s.maxRetries < 0 {
		s.maxRetries = 0
	}
	if s.backoff <= 0 {
		s.backoff = 20 * time.Millisecond
	}
	server := true
	switch opts.Driver {
	case "sqlite", "":
		server = false
		s.d = sqliteDialect()
		dsn := opts.DSN
		if dsn == "" {
			return nil, errors.New("sqlstore: open: empty DSN")
		}
		bt := opts.BusyTimeout
		if bt <= 0 {
			bt = 10 * time.Second
		}
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate",
			bt.Milliseconds())
		s.description = opts.DSN
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: open %s: %w", opts.DSN, err)
		}
		s.db = db
	case "mysql", "mariadb":
		s.d = mysqlDialect()
		cfg, err := mysql.ParseDSN(opts.DSN)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: open: invalid MySQL DSN: %w", err)
		}
		if opts.Password != "" {
			cfg.Passwd = opts.Password
		}
		s.description = fmt.Sprintf("mysql://%s@%s/%s", cfg.User, cfg.Addr, cfg.DBName)
		if opts.CreateDatabase {
			if err := createMySQLDatabase(ctx, cfg); err != nil {
				return nil, fmt.Errorf("sqlstore: create database %s: %w", s.description, err)
			}
		}
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: open %s: %w", s.description, err)
		}
		s.db = sql.OpenDB(conn)
	case "postgres", "postgresql", "pgx":
		s.d = postgresDialect()
		cfg, err := pgx.ParseConfig(opts.DSN)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: open: invalid PostgreSQL connection string: %w", err)
		}
		if opts.Password != "" {
			cfg.Password = opts.Password
		}
		s.description = fmt.Sprintf("postgresql://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
		if opts.CreateDatabase {
			if err := createPostgresDatabase(ctx, cfg); err != nil {
				return nil, fmt.Errorf("sqlstore: create database %s: %w", s.description, err)
			}
		}
		s.db = stdlib.OpenDB(*cfg)
	default:
		return nil, fmt.Errorf("sqlstore: open: unsupported driver %q (supported: sqlite, mysql, postgres)", opts.Driver)
	}
	if server {
		maxOpen := opts.MaxOpenConns
		if maxOpen <= 0 {
			maxOpen = 10
		}
		maxIdle := opts.MaxIdleConns
		if maxIdle <= 0 {
			maxIdle = min(maxOpen, 4)
		}
		s.db.SetMaxOpenConns(maxOpen)
		s.db.SetMaxIdleConns(maxIdle)
		s.db.SetConnMaxLifetime(durationOr(opts.ConnMaxLifetime, 30*time.Minute))
		s.db.SetConnMaxIdleTime(durationOr(opts.ConnMaxIdleTime, 5*time.Minute))
		if err := s.db.PingContext(ctx); err != nil {
			s.db.Close()
			if missingDatabase(err) {
				return nil, fmt.Errorf("sqlstore: metastore database %s does not exist: create it (as for Hive's schematool) "+
					"or add createDatabaseIfNotExist=true to the connection URL: %w", s.description, err)
			}
			return nil, fmt.Errorf("sqlstore: connect to %s: %w", s.description, err)
		}
	} else {
		if opts.MaxOpenConns > 0 {
			s.db.SetMaxOpenConns(opts.MaxOpenConns)
		}
		if opts.MaxIdleConns > 0 {
			s.db.SetMaxIdleConns(opts.MaxIdleConns)
		}
	}
	return s, nil
}

func durationOr(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// missingDatabase reports "unknown database" errors (MySQL 1049, PostgreSQL 3D000).
func missingDatabase(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1049
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "3D000"
	}
	return false
}

// createMySQLDatabase creates cfg.DBName (utf8mb4, binary collation) if missing.
func createMySQLDatabase(ctx context.Context, cfg *mysql.Config) error {
	if cfg.DBName == "" {
		return errors.New("the URL names no database")
	}
	admin := cfg.Clone()
	admin.DBName = ""
	conn, err := mysql.NewConnector(admin)
	if err != nil {
		return err
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	_, err = db.ExecContext(ctx, "CREATE DATABASE IF NOT EXISTS `"+strings.ReplaceAll(cfg.DBName, "`", "``")+
		"` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
	return err
}

// createPostgresDatabase creates cfg.Database if missing, connecting to the
// maintenance database "postgres" (or "template1").
func createPostgresDatabase(ctx context.Context, cfg *pgx.ConnConfig) error {
	if cfg.Database == "" {
		return errors.New("the URL names no database")
	}
	var lastErr error
	for _, maint := range []string{"postgres", "template1"} {
		admin := cfg.Copy()
		admin.Database = maint
		db := stdlib.OpenDB(*admin)
		lastErr = func() error {
			defer db.Close()
			var one int
			err := db.QueryRowContext(ctx, `SELECT 1 FROM pg_database WHERE datname = $1`, cfg.Database).Scan(&one)
			if err == nil {
				return nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			_, err = db.ExecContext(ctx, `CREATE DATABASE "`+strings.ReplaceAll(cfg.Database, `"`, `""`)+`"`)
			var pe *pgconn.PgError
			if errors.As(err, &pe) && pe.Code == "42P04" { // created meanwhile
				return nil
			}
			return err
		}()
		if lastErr == nil {
			return nil
		}
	}
	return lastErr
}
