package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Schema states Open, Init and Upgrade refuse. Errors wrap one of them, so
// callers branch with errors.Is.
var (
	// ErrNoSchema: the database holds no metastore schema (Upgrade, Info).
	ErrNoSchema = errors.New("no metastore schema")
	// ErrSchemaOutdated: the schema is an older Waggle (or a Hive-created
	// 3.1.0 schema) and the caller did not ask to upgrade it.
	ErrSchemaOutdated = errors.New("metastore schema needs an upgrade")
	// ErrSchemaUnsupported: the schema has a Hive version or a Waggle
	// migration this Waggle does not know; nothing is changed.
	ErrSchemaUnsupported = errors.New("metastore schema not supported")
)

// migration is one numbered schema step. Every step is idempotent (it looks
// at the catalog before each change), because on MySQL DDL commits
// implicitly: a step interrupted half-way is completed by running it again.
// On SQLite and PostgreSQL all pending steps run in one transaction.
type migration struct {
	version int
	name    string
	apply   func(ctx context.Context, tx *txn, s *Store) error
}

// migrations is the ordered list of schema steps; append only.
func migrations() []migration {
	return []migration{
		{1, "hive 3.1.0 metastore core schema", func(ctx context.Context, tx *txn, s *Store) error {
			for _, t := range hive31Tables() {
				if err := tx.ensureTable(ctx, t); err != nil {
					return err
				}
			}
			seeds := []struct {
				exists string
				key    any
				insert string
				args   []any
			}{
				{`SELECT 1 FROM "CTLGS" WHERE "NAME" = ?`, "hive",
					`INSERT INTO "CTLGS" ("CTLG_ID", "NAME", "DESC", "LOCATION_URI") VALUES (1, ?, ?, ?)`,
					[]any{"hive", "Default catalog for Hive", nonEmpty(s.warehouse, "TBD")}},
				{`SELECT 1 FROM "SEQUENCE_TABLE" WHERE "SEQUENCE_NAME" = ?`, seqCatalog,
					`INSERT INTO "SEQUENCE_TABLE" ("SEQUENCE_NAME", "NEXT_VAL") VALUES (?, 2)`, []any{seqCatalog}},
				{`SELECT 1 FROM "SEQUENCE_TABLE" WHERE "SEQUENCE_NAME" = ?`, seqNotification,
					`INSERT INTO "SEQUENCE_TABLE" ("SEQUENCE_NAME", "NEXT_VAL") VALUES (?, 1)`, []any{seqNotification}},
				// VERSION last: a schema with a VERSION row is complete.
				{`SELECT 1 FROM "VERSION" WHERE "VER_ID" = ?`, 1,
					`INSERT INTO "VERSION" ("VER_ID", "SCHEMA_VERSION", "VERSION_COMMENT") VALUES (1, ?, ?)`,
					[]any{SchemaVersion, versionComment}},
			}
			for _, sd := range seeds {
				ok, err := tx.exists(ctx, tx.d.rebind(sd.exists), sd.key)
				if err != nil {
					return err
				}
				if ok {
					continue
				}
				if _, err := tx.exec(ctx, sd.insert, sd.args...); err != nil {
					return err
				}
			}
			return nil
		}},
		{2, "DBS.CREATE_TIME and DBS.DB_MANAGED_LOCATION_URI (Hive 4 columns)", func(ctx context.Context, tx *txn, s *Store) error {
			for _, c := range []colDef{{name: "CREATE_TIME", typ: tInt}, vc("DB_MANAGED_LOCATION_URI", 4000)} {
				if err := tx.ensureColumn(ctx, "DBS", c); err != nil {
					return err
				}
			}
			return nil
		}},
	}
}

const seqNotification = "org.apache.hadoop.hive.metastore.model.MNotificationLog"

// LatestMigration is the number of the last schema migration this Waggle knows.
func LatestMigration() int {
	m := migrations()
	return m[len(m)-1].version
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// exists runs a query (already in the dialect's form) and reports whether it returned a row.
func (t *txn) exists(ctx context.Context, q string, args ...any) (bool, error) {
	var one any
	err := t.tx.QueryRowContext(ctx, q, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("inspect schema: %w", err)
	}
	return true, nil
}

func (t *txn) tableExists(ctx context.Context, name string) (bool, error) {
	ok, err := t.exists(ctx, t.d.tableExists, name)
	if err != nil {
		return false, fmt.Errorf("check table %s: %w", name, err)
	}
	return ok, nil
}

// ensureTable creates a table and its indexes where they are missing.
func (t *txn) ensureTable(ctx context.Context, td tableDef) error {
	ok, err := t.tableExists(ctx, td.name)
	if err != nil {
		return err
	}
	if !ok {
		if _, err := t.tx.ExecContext(ctx, t.d.createTableOnly(td)); err != nil {
			return fmt.Errorf("create %s: %w", td.name, err)
		}
	}
	for _, ix := range td.indexes {
		ok, err := t.exists(ctx, t.d.indexExists, td.name, ix.name)
		if err != nil {
			return err
		}
		if ok {
			continue
		}
		if _, err := t.tx.ExecContext(ctx, t.d.createIndex(td.name, ix)); err != nil {
			return fmt.Errorf("create index %s: %w", ix.name, err)
		}
	}
	return nil
}

// ensureColumn adds a column where it is missing.
func (t *txn) ensureColumn(ctx context.Context, table string, c colDef) error {
	ok, err := t.exists(ctx, t.d.columnExists, table, c.name)
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	if _, err := t.tx.ExecContext(ctx, t.d.addColumn(table, c)); err != nil {
		return fmt.Errorf("add %s.%s: %w", table, c.name, err)
	}
	return nil
}

// schemaState is what a database holds of the metastore schema.
type schemaState struct {
	hiveVersion string // VERSION.SCHEMA_VERSION; "" when VERSION is missing or empty
	migration   int    // last recorded Waggle migration; 0 when none
}

// empty reports a database without a (complete) metastore schema.
func (st schemaState) empty() bool { return st.hiveVersion == "" && st.migration == 0 }

// effective is the migration the schema is at, counting a Hive-created
// 3.1.0 schema (VERSION row, no Waggle record) as migration 1.
func (st schemaState) effective() int {
	if st.migration == 0 && st.hiveVersion != "" {
		return 1
	}
	return st.migration
}

// check refuses schemas of an unknown Hive version or a newer Waggle.
func (st schemaState) check() error {
	if st.hiveVersion != "" && !supportedHiveVersion(st.hiveVersion) {
		return fmt.Errorf("%w: VERSION.SCHEMA_VERSION is %s, this Waggle knows %s only; refusing to touch it",
			ErrSchemaUnsupported, st.hiveVersion, SchemaVersion)
	}
	if latest := LatestMigration(); st.migration > latest {
		return fmt.Errorf("%w: the schema is at Waggle migration %d, newer than this Waggle knows (%d); upgrade Waggle",
			ErrSchemaUnsupported, st.migration, latest)
	}
	return nil
}

func (t *txn) schemaState(ctx context.Context) (schemaState, error) {
	var st schemaState
	hasVersion, err := t.tableExists(ctx, "VERSION")
	if err != nil {
		return st, err
	}
	if hasVersion {
		rows, err := t.query(ctx, `SELECT "SCHEMA_VERSION" FROM "VERSION" ORDER BY "VER_ID"`)
		if err != nil {
			return st, fmt.Errorf("read metastore VERSION: %w", err)
		}
		var versions []string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return st, fmt.Errorf("read metastore VERSION: %w", err)
			}
			versions = append(versions, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return st, fmt.Errorf("read metastore VERSION: %w", err)
		}
		switch len(versions) {
		case 0:
		case 1:
			st.hiveVersion = versions[0]
		default:
			return st, fmt.Errorf("%w: VERSION has %d rows (want 1)", ErrSchemaUnsupported, len(versions))
		}
	}
	tracked, err := t.tableExists(ctx, migrationsTable().name)
	if err != nil {
		return st, err
	}
	if tracked {
		var v sql.NullInt64
		if err := t.queryRow(ctx, `SELECT MAX("VERSION") FROM "WAGGLE_MIGRATIONS"`).Scan(&v); err != nil {
			return st, fmt.Errorf("read migrations: %w", err)
		}
		st.migration = int(v.Int64)
	}
	return st, nil
}

// migrateMode says what a caller allows migrate to do.
type migrateMode int

const (
	// modeOpen: create the schema in an empty database; upgrade an older
	// one only with autoUpgrade.
	modeOpen migrateMode = iota
	// modeInit: create the schema; an existing current schema is fine; an
	// older one needs Upgrade.
	modeInit
	// modeUpgrade: apply pending migrations to an existing schema.
	modeUpgrade
)

// migrate brings the schema to the latest migration as mode allows. A
// database whose VERSION or migration record is unknown or newer is refused
// untouched. A Hive-created 3.1.0 schema is adopted: step 1 is recorded as
// done and the later steps are an upgrade.
func (s *Store) migrate(ctx context.Context, mode migrateMode, autoUpgrade bool) error {
	// Fast path without the migration lock: most opens find a current schema.
	var st schemaState
	if err := s.read(ctx, func(tx *txn) error {
		var err error
		st, err = tx.schemaState(ctx)
		return err
	}); err != nil {
		return err
	}
	if err := st.check(); err != nil {
		return err
	}
	latest := LatestMigration()
	if st.migration == latest {
		return nil
	}
	return s.withMigrationLock(ctx, func(tx *txn) error {
		st, err := tx.schemaState(ctx) // again, under the lock
		if err != nil {
			return err
		}
		if err := st.check(); err != nil {
			return err
		}
		current := st.effective()
		switch {
		case st.migration == latest:
			return nil
		case st.empty():
			if mode == modeUpgrade {
				return fmt.Errorf("%w: the database is empty; run `waggle metastore init`", ErrNoSchema)
			}
		case current < latest && mode == modeInit:
			return fmt.Errorf("%w: the schema exists at migration %d, this Waggle needs %d; run `waggle metastore upgrade`",
				ErrSchemaOutdated, current, latest)
		case current < latest && mode == modeOpen && !autoUpgrade:
			return fmt.Errorf("%w: the schema is at migration %d, this Waggle needs %d; run `waggle metastore upgrade` "+
				"(or set waggle.metastore.autoupgrade=true)", ErrSchemaOutdated, current, latest)
		}
		if err := tx.ensureTable(ctx, migrationsTable()); err != nil {
			return err
		}
		steps := migrations()
		if st.migration == 0 && current > 0 { // adopt a Hive-created schema
			if err := tx.recordMigration(ctx, steps[0], s.now()); err != nil {
				return err
			}
		}
		for _, m := range steps {
			if m.version <= current {
				continue
			}
			if err := m.apply(ctx, tx, s); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
			}
			if err := tx.recordMigration(ctx, m, s.now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// withMigrationLock runs fn with the schema to itself. SQLite: the write
// transaction (BEGIN IMMEDIATE). PostgreSQL: a transaction holding an
// advisory lock (DDL is transactional there). MySQL: a named lock held by
// one connection, fn running on it in autocommit mode (DDL commits
// implicitly, so the steps are idempotent instead).
func (s *Store) withMigrationLock(ctx context.Context, fn func(tx *txn) error) error {
	switch s.d.name {
	case "mysql":
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		defer conn.Close()
		var got sql.NullInt64
		if err := conn.QueryRowContext(ctx, `SELECT GET_LOCK(CONCAT('waggle.migrate:', MD5(DATABASE())), ?)`,
			int(migrationLockWait.Seconds())).Scan(&got); err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		if got.Int64 != 1 {
			return fmt.Errorf("migration lock: another process has been migrating this metastore for %s", migrationLockWait)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `DO RELEASE_LOCK(CONCAT('waggle.migrate:', MD5(DATABASE())))`)
		return fn(&txn{tx: conn, d: s.d})
	case "postgres":
		return s.write(ctx, func(tx *txn) error {
			if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, migrationLockKey); err != nil {
				return fmt.Errorf("migration lock: %w", err)
			}
			return fn(tx)
		})
	}
	return s.write(ctx, fn)
}

// migrationLockKey is the PostgreSQL advisory lock key of schema changes
// (advisory locks are per database).
const migrationLockKey int64 = 0x5761676c654d6967 // "WagleMig"

func (tx *txn) recordMigration(ctx context.Context, m migration, now int64) error {
	_, err := tx.exec(ctx, `INSERT INTO "WAGGLE_MIGRATIONS" ("VERSION", "NAME", "APPLIED_AT") VALUES (?, ?, ?)`,
		m.version, m.name, now)
	if err != nil {
		return fmt.Errorf("record migration %d: %w", m.version, err)
	}
	return nil
}
