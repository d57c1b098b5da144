package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/waggle-dev/waggle/catalog"
)

// Store is a catalog.Catalog on a Hive-schema SQL database. It is safe for
// concurrent use; several processes (Waggle servers, a Java HMS) may share
// one database: ids come from SEQUENCE_TABLE rows locked in the writing
// transaction, and conflicting transactions are retried.
type Store struct {
	db          *sql.DB
	d           dialect
	warehouse   string
	clock       func() time.Time
	maxRetries  int
	backoff     time.Duration
	description string // the database, for messages (never a password)
}

var _ catalog.Catalog = (*Store)(nil)

// Close closes the database handle.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the underlying handle (for tools and tests that inspect the
// Hive tables directly).
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) now() int64 { return s.clock().Unix() }

// ensureDefaultDatabase creates the `default` database on first use.
func (s *Store) ensureDefaultDatabase(ctx context.Context) error {
	return s.write(ctx, func(tx *txn) error {
		id, err := tx.dbID(ctx, catalog.DefaultDatabaseName)
		if err == nil && id != 0 {
			if s.warehouse == "" {
				var loc string
				if err := tx.queryRow(ctx, `SELECT "DB_LOCATION_URI" FROM "DBS" WHERE "DB_ID" = ?`, id).Scan(&loc); err != nil {
					return fmt.Errorf("read default database location: %w", err)
				}
				s.warehouse = strings.TrimRight(loc, "/")
			}
			return nil
		}
		if !errors.Is(err, catalog.ErrNotFound) {
			return err
		}
		if s.warehouse == "" {
			return errors.New("no warehouse location: set Options.Warehouse to create the default database")
		}
		return tx.insertDatabase(ctx, &catalog.Database{
			Name:        catalog.DefaultDatabaseName,
			Description: "Default Hive database",
			LocationURI: s.warehouse,
			OwnerName:   "public",
			OwnerType:   catalog.PrincipalRole,
		}, s.now())
	})
}

// querier is what a transaction and a pinned connection share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// txn is a transaction (or, for MySQL migrations, a connection in
// autocommit mode) plus the dialect that rewrites its queries.
type txn struct {
	tx querier
	d  dialect
}

func (t *txn) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.d.rebind(q), args...)
}

func (t *txn) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.d.rebind(q), args...)
}

func (t *txn) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.d.rebind(q), args...)
}

// write runs fn in a write transaction (BEGIN IMMEDIATE on SQLite, so two
// writers serialise on the busy timeout instead of failing mid-way).
func (s *Store) write(ctx context.Context, fn func(tx *txn) error) error {
	return s.inTx(ctx, &sql.TxOptions{}, fn)
}

// read runs fn in a read-only transaction (a consistent snapshot).
func (s *Store) read(ctx context.Context, fn func(tx *txn) error) error {
	return s.inTx(ctx, &sql.TxOptions{ReadOnly: true}, fn)
}

// inTx runs fn in a transaction, retrying it with backoff when the database
// reports a serialization failure, deadlock or lock timeout (and once after
// a unique-key violation, which a concurrent writer of the same name causes:
// the retry sees its row and reports AlreadyExists). fn must therefore be
// repeatable: it may only change state it creates itself.
func (s *Store) inTx(ctx context.Context, opts *sql.TxOptions, fn func(tx *txn) error) error {
	for attempt := 0; ; attempt++ {
		err := s.inTxOnce(ctx, opts, fn)
		if err == nil || attempt >= s.maxRetries || !retryable(err, attempt) {
			return err
		}
		if err := sleepBackoff(ctx, s.backoff, attempt); err != nil {
			return err
		}
	}
}

func (s *Store) inTxOnce(ctx context.Context, opts *sql.TxOptions, fn func(tx *txn) error) error {
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	if err := fn(&txn{tx: tx, d: s.d}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

// DataNucleus model classes whose SEQUENCE_TABLE rows allocate ids.
const (
	seqCatalog  = "org.apache.hadoop.hive.metastore.model.MCatalog"
	seqDatabase = "org.apache.hadoop.hive.metastore.model.MDatabase"
	seqTable    = "org.apache.hadoop.hive.metastore.model.MTable"
	seqSD       = "org.apache.hadoop.hive.metastore.model.MStorageDescriptor"
	seqCD       = "org.apache.hadoop.hive.metastore.model.MColumnDescriptor"
	seqSerDe    = "org.apache.hadoop.hive.metastore.model.MSerDeInfo"
	seqPart     = "org.apache.hadoop.hive.metastore.model.MPartition"
	seqFunc     = "org.apache.hadoop.hive.metastore.model.MFunction"
)

// seqKey returns the table and key column a sequence numbers, used to start
// a missing sequence above any existing id.
func seqKey(seq string) (table, col string, ok bool) {
	switch seq {
	case seqCatalog:
		return "CTLGS", "CTLG_ID", true
	case seqDatabase:
		return "DBS", "DB_ID", true
	case seqTable:
		return "TBLS", "TBL_ID", true
	case seqSD:
		return "SDS", "SD_ID", true
	case seqCD:
		return "CDS", "CD_ID", true
	case seqSerDe:
		return "SERDES", "SERDE_ID", true
	case seqPart:
		return "PARTITIONS", "PART_ID", true
	case seqFunc:
		return "FUNCS", "FUNC_ID", true
	}
	return "", "", false
}

// nextIDs reserves n consecutive ids of a model class and returns the first.
// As DataNucleus does, NEXT_VAL is the next id not yet handed out.
func (t *txn) nextIDs(ctx context.Context, seq string, n int) (int64, error) {
	if n <= 0 {
		return 0, nil
	}
	var next int64
	err := t.queryRow(ctx, `SELECT "NEXT_VAL" FROM "SEQUENCE_TABLE" WHERE "SEQUENCE_NAME" = ?`+t.d.forUpdate, seq).Scan(&next)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		table, col, ok := seqKey(seq)
		if !ok {
			return 0, fmt.Errorf("unknown sequence %s", seq)
		}
		if err := t.queryRow(ctx, fmt.Sprintf(`SELECT COALESCE(MAX(%s), 0) + 1 FROM %s`, quote(col), quote(table))).Scan(&next); err != nil {
			return 0, fmt.Errorf("allocate %s id: %w", seq, err)
		}
		if _, err := t.exec(ctx, `INSERT INTO "SEQUENCE_TABLE" ("SEQUENCE_NAME", "NEXT_VAL") VALUES (?, ?)`, seq, next+int64(n)); err != nil {
			return 0, fmt.Errorf("allocate %s id: %w", seq, err)
		}
	case err != nil:
		return 0, fmt.Errorf("allocate %s id: %w", seq, err)
	default:
		if _, err := t.exec(ctx, `UPDATE "SEQUENCE_TABLE" SET "NEXT_VAL" = ? WHERE "SEQUENCE_NAME" = ?`, next+int64(n), seq); err != nil {
			return 0, fmt.Errorf("allocate %s id: %w", seq, err)
		}
	}
	return next, nil
}

// norm lower-cases an identifier as Hive stores it.
func norm(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

func copyParams(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// toBool reads a boolean column whatever the driver returns.
func toBool(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	case []byte:
		return len(x) > 0 && x[0] != 0 && x[0] != '0' && x[0] != 'N'
	case string:
		return x == "1" || strings.EqualFold(x, "true") || x == "Y"
	}
	return false
}

// nullStr returns s or NULL for "".
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}
