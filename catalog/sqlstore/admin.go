package sqlstore

import (
	"context"
	"errors"
	"fmt"
)

// SchemaInfo describes a metastore database: what `waggle metastore info`
// prints.
type SchemaInfo struct {
	// DBType is "sqlite", "mysql" or "postgres".
	DBType string
	// HiveVersion is VERSION.SCHEMA_VERSION ("" when there is no schema).
	HiveVersion string
	// Migration is the last Waggle migration applied (a Hive-created 3.1.0
	// schema not yet upgraded by Waggle counts as 1); LatestMigration is the
	// last this Waggle knows.
	Migration, LatestMigration int
	// Databases, Tables and Partitions count the rows of DBS, TBLS and
	// PARTITIONS (0 when there is no schema).
	Databases, Tables, Partitions int64
}

// Current reports whether the schema is at this Waggle's latest migration.
func (i SchemaInfo) Current() bool { return i.Migration == i.LatestMigration }

// Init creates the metastore schema (Waggle's schematool `init`). It is
// idempotent: a database already at the current schema is left as it is.
// It refuses an older schema (that is Upgrade's job) and one of an unknown
// or newer version. Unlike Open it does not create the default database
// (the metastore does on first start, as Hive's does).
func Init(ctx context.Context, opts Options) (SchemaInfo, error) {
	return admin(ctx, opts, func(s *Store) error { return s.migrate(ctx, modeInit, false) })
}

// Upgrade applies pending migrations to an existing schema (schematool
// `upgrade`), including adopting a schema created by Hive's schematool
// 3.1.0. It refuses an empty database (ErrNoSchema) and a schema of an
// unknown or newer version (ErrSchemaUnsupported).
func Upgrade(ctx context.Context, opts Options) (SchemaInfo, error) {
	return admin(ctx, opts, func(s *Store) error { return s.migrate(ctx, modeUpgrade, false) })
}

// Info reports the schema without changing anything (schematool `info`).
// For a schema of an unknown or newer version it returns what it read and
// an error wrapping ErrSchemaUnsupported; for an empty database, ErrNoSchema.
func Info(ctx context.Context, opts Options) (SchemaInfo, error) {
	s, err := openDB(ctx, opts)
	if err != nil {
		return SchemaInfo{}, err
	}
	defer s.Close()
	info, err := s.Info(ctx)
	if err != nil {
		return info, fmt.Errorf("sqlstore: %s: %w", s.description, err)
	}
	return info, nil
}

func admin(ctx context.Context, opts Options, fn func(s *Store) error) (SchemaInfo, error) {
	s, err := openDB(ctx, opts)
	if err != nil {
		return SchemaInfo{}, err
	}
	defer s.Close()
	if err := fn(s); err != nil {
		return SchemaInfo{}, fmt.Errorf("sqlstore: %s: %w", s.description, err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return info, fmt.Errorf("sqlstore: %s: %w", s.description, err)
	}
	return info, nil
}

// Info reports the schema of an open store (see the package function Info).
func (s *Store) Info(ctx context.Context) (SchemaInfo, error) {
	info := SchemaInfo{DBType: s.d.name, LatestMigration: LatestMigration()}
	var st schemaState
	err := s.read(ctx, func(tx *txn) error {
		var err error
		if st, err = tx.schemaState(ctx); err != nil {
			return err
		}
		if st.hiveVersion == "" {
			return nil
		}
		for _, c := range []struct {
			table string
			n     *int64
		}{{"DBS", &info.Databases}, {"TBLS", &info.Tables}, {"PARTITIONS", &info.Partitions}} {
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM `+quote(c.table)).Scan(c.n); err != nil {
				return fmt.Errorf("count %s: %w", c.table, err)
			}
		}
		return nil
	})
	info.HiveVersion, info.Migration = st.hiveVersion, st.effective()
	if err != nil {
		return info, err
	}
	if err := st.check(); err != nil {
		return info, err
	}
	if st.empty() {
		return info, fmt.Errorf("%w: run `waggle metastore init`", ErrNoSchema)
	}
	return info, nil
}

// IsSchemaError reports whether err is about the schema's state (missing,
// outdated, unsupported) rather than the connection.
func IsSchemaError(err error) bool {
	return errors.Is(err, ErrNoSchema) || errors.Is(err, ErrSchemaOutdated) || errors.Is(err, ErrSchemaUnsupported)
}
