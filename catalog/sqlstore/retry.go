package sqlstore

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// retryable reports whether a failed transaction should run again:
// serialization failures, deadlocks and lock timeouts always (MySQL 1213,
// 1205; PostgreSQL 40001, 40P01; SQLite BUSY/LOCKED), unique-key violations
// on the first attempt only (two writers raced to create the same object or
// SEQUENCE_TABLE row; the retry sees the winner's row).
func retryable(err error, attempt int) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1213, 1205:
			return true
		case 1062:
			return attempt == 0
		}
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "40P01":
			return true
		case "23505":
			return attempt == 0
		}
		return false
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case 5, 6, 261, 517: // SQLITE_BUSY, SQLITE_LOCKED, BUSY_RECOVERY, BUSY_SNAPSHOT
			return true
		case 1555, 2067: // SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE
			return attempt == 0
		}
	}
	return false
}

// sleepBackoff waits base·2^attempt (at most 2s) with ±50% jitter, or until ctx ends.
func sleepBackoff(ctx context.Context, base time.Duration, attempt int) error {
	d := base << min(attempt, 10)
	if d > 2*time.Second || d <= 0 {
		d = 2 * time.Second
	}
	d = d/2 + rand.N(d)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
