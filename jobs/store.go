package jobs

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Resource kinds in the store.
const (
	kindVC       = "virtualcluster"
	kindJob      = "jobrun"
	kindTemplate = "jobtemplate"
)

// schema is the job service's own tables (River's live beside them, created by its migrator).
var schema = []string{
	`CREATE TABLE IF NOT EXISTS waggle_resources (
		kind TEXT NOT NULL, id TEXT NOT NULL, vc_id TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',
		state TEXT NOT NULL DEFAULT '', created_ns INTEGER NOT NULL, client_token TEXT NOT NULL,
		queued_attempt INTEGER NOT NULL DEFAULT 0, doc TEXT NOT NULL, PRIMARY KEY (kind, id))`,
	`CREATE UNIQUE INDEX IF NOT EXISTS waggle_resources_token ON waggle_resources (kind, vc_id, client_token)`,
	`CREATE INDEX IF NOT EXISTS waggle_resources_list ON waggle_resources (kind, vc_id, created_ns, id)`,
	`CREATE INDEX IF NOT EXISTS waggle_resources_state ON waggle_resources (kind, state)`,
	`CREATE TABLE IF NOT EXISTS waggle_attempts (job_id TEXT NOT NULL, attempt INTEGER NOT NULL, doc TEXT NOT NULL,
		PRIMARY KEY (job_id, attempt))`,
	`CREATE TABLE IF NOT EXISTS waggle_statements (job_id TEXT NOT NULL, attempt INTEGER NOT NULL, idx INTEGER NOT NULL,
		doc TEXT NOT NULL, PRIMARY KEY (job_id, attempt, idx))`,
}

// pgSchema is schema for PostgreSQL (64-bit times) plus the replicas' heartbeats.
var pgSchema = []string{
	`CREATE TABLE IF NOT EXISTS waggle_resources (
		kind TEXT NOT NULL, id TEXT NOT NULL, vc_id TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',
		state TEXT NOT NULL DEFAULT '', created_ns BIGINT NOT NULL, client_token TEXT NOT NULL,
		queued_attempt INTEGER NOT NULL DEFAULT 0, doc TEXT NOT NULL, PRIMARY KEY (kind, id))`,
	schema[1], schema[2], schema[3], schema[4], schema[5],
	`CREATE TABLE IF NOT EXISTS waggle_replicas (id TEXT PRIMARY KEY, heartbeat_ns BIGINT NOT NULL)`,
}

// db is the service's database, or a transaction of it (Service.inTx), in its dialect. Its queries are
// written with "?" placeholders, which become "$n" on PostgreSQL (PostgreSQL-only statements may use "$n").
type db struct {
	sqlDB *sql.DB
	pg    bool      // PostgreSQL (else SQLite)
	sqlTx *sql.Tx   // the transaction, or nil
	conn  *sql.Conn // PostgreSQL transaction: the connection sqlTx is pinned to, which River's insert joins
}

func (d db) q() querier {
	if d.sqlTx != nil {
		return d.sqlTx
	}
	return d.sqlDB
}

func (d db) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.q().ExecContext(ctx, d.bind(query), args...)
}

func (d db) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.q().QueryContext(ctx, d.bind(query), args...)
}

func (d db) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return d.q().QueryRowContext(ctx, d.bind(query), args...)
}

// bind rewrites "?" placeholders to PostgreSQL's "$n".
func (d db) bind(query string) string {
	if !d.pg {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func migrate(ctx context.Context, d db) error {
	stmts := schema
	if d.pg {
		stmts = pgSchema
	}
	for _, q := range stmts {
		if _, err := d.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("jobs: create schema: %w", err)
		}
	}
	return nil
}

// row is a stored resource.
type row struct {
	kind, id, vc, name, state, token string
	created                          time.Time
	queuedAttempt                    int
	doc                              any
}

func putResource(ctx context.Context, q db, r row) error {
	doc, err := json.Marshal(r.doc)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO waggle_resources (kind, id, vc_id, name, state, created_ns, client_token, queued_attempt, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, id) DO UPDATE SET name = excluded.name, state = excluded.state,
			queued_attempt = excluded.queued_attempt, doc = excluded.doc`,
		r.kind, r.id, r.vc, r.name, r.state, r.created.UnixNano(), r.token, r.queuedAttempt, string(doc))
	return err
}

// getResource loads the document of one resource into doc; false if absent.
func getResource(ctx context.Context, q db, kind, id string, doc any) (queuedAttempt int, ok bool, err error) {
	var s string
	query := `SELECT doc, queued_attempt FROM waggle_resources WHERE kind = ? AND id = ?`
	if q.pg && q.sqlTx != nil {
		// Read-modify-write: PostgreSQL transactions (READ COMMITTED) lock the row, so claims, cancels and
		// settlements of one job by several replicas serialize (SQLite's transactions already do).
		query += ` FOR UPDATE`
	}
	err = q.QueryRowContext(ctx, query, kind, id).Scan(&s, &queuedAttempt)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return queuedAttempt, true, json.Unmarshal([]byte(s), doc)
}

// idByToken finds the resource created with a client token.
func idByToken(ctx context.Context, q db, kind, vc, token string) (string, error) {
	var id string
	if q.pg && q.sqlTx != nil {
		// Serialize creations with one client token across replicas (the row does not exist yet to lock).
		if _, err := q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, kind+"|"+vc+"|"+token); err != nil {
			return "", err
		}
	}
	err := q.QueryRowContext(ctx, `SELECT id FROM waggle_resources WHERE kind = ? AND vc_id = ? AND client_token = ?`, kind, vc, token).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

func deleteResource(ctx context.Context, q db, kind, id string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM waggle_resources WHERE kind = ? AND id = ?`, kind, id)
	return err
}

// listFilter selects resources of one kind, newest first.
type listFilter struct {
	kind, vc      string
	vcSet         bool
	name          string
	states        []string
	before, after time.Time
	max           int
	token         string
}

// pageToken encodes the position after the last returned row.
func pageToken(created int64, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(created, 10) + ":" + id))
}

func parsePageToken(tok string) (int64, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, "", validationf("invalid nextToken")
	}
	ns, id, ok := strings.Cut(string(b), ":")
	n, err := strconv.ParseInt(ns, 10, 64)
	if !ok || err != nil {
		return 0, "", validationf("invalid nextToken")
	}
	return n, id, nil
}

// listResources returns the documents (raw JSON) of one page and the token of the next, "" on the last page.
func listResources(ctx context.Context, q db, f listFilter) ([]json.RawMessage, string, error) {
	where := []string{"kind = ?"}
	args := []any{f.kind}
	if f.vcSet {
		where, args = append(where, "vc_id = ?"), append(args, f.vc)
	}
	if f.name != "" {
		where, args = append(where, "name = ?"), append(args, f.name)
	}
	if len(f.states) > 0 {
		where = append(where, "state IN (?"+strings.Repeat(", ?", len(f.states)-1)+")")
		for _, s := range f.states {
			args = append(args, s)
		}
	}
	if !f.before.IsZero() {
		where, args = append(where, "created_ns < ?"), append(args, f.before.UnixNano())
	}
	if !f.after.IsZero() {
		where, args = append(where, "created_ns > ?"), append(args, f.after.UnixNano())
	}
	if f.token != "" {
		ns, id, err := parsePageToken(f.token)
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, "(created_ns < ? OR (created_ns = ? AND id < ?))"), append(args, ns, ns, id)
	}
	max := f.max
	if max <= 0 {
		max = 50
	}
	rows, err := q.QueryContext(ctx, `SELECT doc, created_ns, id FROM waggle_resources WHERE `+strings.Join(where, " AND ")+
		` ORDER BY created_ns DESC, id DESC LIMIT ?`, append(args, max+1)...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []json.RawMessage
	var lastNS int64
	var lastID, next string
	for rows.Next() {
		var doc string
		var ns int64
		var id string
		if err := rows.Scan(&doc, &ns, &id); err != nil {
			return nil, "", err
		}
		if len(out) == max {
			next = pageToken(lastNS, lastID)
			break
		}
		out = append(out, json.RawMessage(doc))
		lastNS, lastID = ns, id
	}
	return out, next, rows.Err()
}

// jobIDsInStates lists the ids of job runs in the given states, with their queued attempt.
func jobIDsInStates(ctx context.Context, q db, states ...string) (map[string]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, queued_attempt FROM waggle_resources WHERE kind = ? AND state IN (?`+
		strings.Repeat(", ?", len(states)-1)+`)`, append([]any{kindJob}, toAny(states)...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func putAttempt(ctx context.Context, q db, jobID string, a Attempt) error {
	doc, _ := json.Marshal(a)
	_, err := q.ExecContext(ctx, `INSERT INTO waggle_attempts (job_id, attempt, doc) VALUES (?, ?, ?)
		ON CONFLICT (job_id, attempt) DO UPDATE SET doc = excluded.doc`, jobID, a.Number, string(doc))
	return err
}

func getAttempt(ctx context.Context, q db, jobID string, n int) (Attempt, bool, error) {
	var s string
	err := q.QueryRowContext(ctx, `SELECT doc FROM waggle_attempts WHERE job_id = ? AND attempt = ?`, jobID, n).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return Attempt{}, false, nil
	}
	if err != nil {
		return Attempt{}, false, err
	}
	var a Attempt
	return a, true, json.Unmarshal([]byte(s), &a)
}

func listAttempts(ctx context.Context, q db, jobID string) ([]Attempt, error) {
	rows, err := q.QueryContext(ctx, `SELECT doc FROM waggle_attempts WHERE job_id = ? ORDER BY attempt`, jobID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Attempt{}
	for rows.Next() {
		var s string
		var a Attempt
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func putStatement(ctx context.Context, q db, jobID string, st Statement) error {
	doc, _ := json.Marshal(st)
	_, err := q.ExecContext(ctx, `INSERT INTO waggle_statements (job_id, attempt, idx, doc) VALUES (?, ?, ?, ?)
		ON CONFLICT (job_id, attempt, idx) DO UPDATE SET doc = excluded.doc`, jobID, st.Attempt, st.Index, string(doc))
	return err
}

func listStatements(ctx context.Context, q db, jobID string) ([]Statement, error) {
	rows, err := q.QueryContext(ctx, `SELECT doc FROM waggle_statements WHERE job_id = ? ORDER BY attempt, idx`, jobID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Statement{}
	for rows.Next() {
		var s string
		var st Statement
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(s), &st); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

func deleteAttempt(ctx context.Context, q db, jobID string, n int) error {
	_, err := q.ExecContext(ctx, `DELETE FROM waggle_attempts WHERE job_id = ? AND attempt = ?`, jobID, n)
	return err
}
