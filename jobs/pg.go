package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// migrateLockKey is the advisory lock that serializes schema migrations of replicas starting together.
const migrateLockKey = 0x77616767 // "wagg"

// openPG finishes Open on PostgreSQL (cfg.DatabaseURL).
func openPG(ctx context.Context, s *Service) (*Service, error) {
	pool, err := pgxpool.New(ctx, s.cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("jobs: open database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("jobs: open database: %w", err)
	}
	s.pool, s.ownDB = pool, true
	s.db = db{sqlDB: stdlib.OpenDBFromPool(pool), pg: true}
	fail := func(err error) (*Service, error) {
		s.db.sqlDB.Close()
		pool.Close()
		return nil, err
	}
	driver := riverpgxv5.New(pool)
	if err := s.migratePG(ctx, driver); err != nil {
		return fail(err)
	}
	s.pgRiver, err = river.NewClient(driver, s.riverConfig())
	if err != nil {
		return fail(fmt.Errorf("jobs: queue client: %w", err))
	}
	if err := s.heartbeat(ctx); err != nil {
		return fail(fmt.Errorf("jobs: replica heartbeat: %w", err))
	}
	if err := s.recover(ctx, true); err != nil {
		return fail(err)
	}
	return s, nil
}

// migratePG creates the service's tables and River's, one replica at a time.
func (s *Service) migratePG(ctx context.Context, driver *riverpgxv5.Driver) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockKey)
	if err := migrate(ctx, s.db); err != nil {
		return err
	}
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: quietLogger(s.cfg.Logger)})
	if err != nil {
		return fmt.Errorf("jobs: queue migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate queue: %w", err)
	}
	return nil
}

// enqueue queues attempt n of a job run in the store's transaction tx (Service.inTx).
func (s *Service) enqueue(ctx context.Context, tx db, jobID string, attempt int) error {
	if tx.sqlTx == nil {
		return internal(errors.New("jobs: enqueue outside a service transaction"))
	}
	args := runArgs{JobID: jobID, Attempt: attempt}
	if !tx.pg {
		if _, err := s.river.InsertTx(ctx, tx.sqlTx, args, nil); err != nil {
			return internal(fmt.Errorf("enqueue: %w", err))
		}
		return nil
	}
	var pc *pgx.Conn
	if err := tx.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("jobs: unexpected driver connection %T", dc)
		}
		pc = sc.Conn()
		return nil
	}); err != nil {
		return internal(err)
	}
	// The connection stays pinned to the transaction (and unused by anything else) until it ends.
	if _, err := s.pgRiver.InsertTx(ctx, sessionTx{pc}, args, nil); err != nil {
		return internal(fmt.Errorf("enqueue: %w", err))
	}
	return nil
}

// sessionTx is a pgx.Tx over a connection whose transaction database/sql began and will end: River's
// statements run inside it; it cannot itself commit, roll back or nest.
type sessionTx struct{ c *pgx.Conn }

var errSessionTx = errors.New("jobs: the transaction belongs to the store")

func (t sessionTx) Begin(context.Context) (pgx.Tx, error) { return nil, errSessionTx }
func (t sessionTx) Commit(context.Context) error          { return errSessionTx }
func (t sessionTx) Rollback(context.Context) error        { return errSessionTx }
func (t sessionTx) LargeObjects() pgx.LargeObjects        { return pgx.LargeObjects{} }
func (t sessionTx) Conn() *pgx.Conn                       { return t.c }

func (t sessionTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	return t.c.CopyFrom(ctx, table, cols, src)
}
func (t sessionTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return t.c.SendBatch(ctx, b)
}
func (t sessionTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return t.c.Prepare(ctx, name, sql)
}
func (t sessionTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return t.c.Exec(ctx, sql, args...)
}
func (t sessionTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return t.c.Query(ctx, sql, args...)
}
func (t sessionTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return t.c.QueryRow(ctx, sql, args...)
}

var _ pgx.Tx = sessionTx{}

// heartbeat records that this replica lives.
func (s *Service) heartbeat(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO waggle_replicas (id, heartbeat_ns) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET heartbeat_ns = excluded.heartbeat_ns`, s.id, time.Now().UnixNano())
	return err
}

// replicaAlive tells whether replica id (of an attempt) still runs it. startup: this replica has just
// started, so an attempt recorded under its own id is a previous incarnation's.
func (s *Service) replicaAlive(ctx context.Context, q db, id string, startup bool) (bool, error) {
	if !s.db.pg || id == "" {
		return false, nil // SQLite: one server; its previous run is over
	}
	if id == s.id {
		return !startup, nil
	}
	var ns int64
	err := q.QueryRowContext(ctx, `SELECT heartbeat_ns FROM waggle_replicas WHERE id = $1`, id).Scan(&ns)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return time.Since(time.Unix(0, ns)) < s.cfg.ReplicaTimeout, nil
}

// replicaOf is the replica recorded in the attempts this service claims (none on SQLite).
func (s *Service) replicaOf() string {
	if s.db.pg {
		return s.id
	}
	return ""
}

// startBackground heartbeats and, every few heartbeats, settles the attempts of dead replicas.
func (s *Service) startBackground() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopBG = cancel
	s.bgDone.Add(1)
	go func() {
		defer s.bgDone.Done()
		t := time.NewTicker(s.cfg.HeartbeatInterval)
		defer t.Stop()
		every := max(int(s.cfg.ReplicaTimeout/s.cfg.HeartbeatInterval)/3, 1)
		for i := 1; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := s.heartbeat(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("replica heartbeat", "replica", s.id, "err", err)
			}
			if i%every == 0 {
				if err := s.recover(ctx, false); err != nil && ctx.Err() == nil {
					s.log.Warn("settle attempts of dead replicas", "err", err)
				}
			}
		}
	}()
}

// closePG stops the workers, then drops this replica's heartbeat so the others settle (or re-adopt) what
// it leaves held at once, and closes the database.
func (s *Service) closePG(ctx context.Context) error {
	if s.stopBG != nil {
		s.stopBG()
		s.bgDone.Wait()
	}
	err := s.pgRiver.StopAndCancel(ctx)
	if err == nil {
		_, err = s.db.ExecContext(context.WithoutCancel(ctx), `DELETE FROM waggle_replicas WHERE id = $1`, s.id)
	}
	if cerr := s.db.sqlDB.Close(); err == nil {
		err = cerr
	}
	s.pool.Close()
	return err
}

// newInstanceID names a replica for one Open.
func newInstanceID() string { return "replica-" + randomID(12) }
