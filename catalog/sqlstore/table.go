package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/waggle-dev/waggle/catalog"
)

// tableRef identifies a stored table.
type tableRef struct {
	id, dbID int64
	sdID     sql.NullInt64
	db, name string
}

func (t *txn) tableRef(ctx context.Context, db, name string) (tableRef, error) {
	r := tableRef{db: norm(db), name: norm(name)}
	err := t.queryRow(ctx, `SELECT t."TBL_ID", t."DB_ID", t."SD_ID" FROM "TBLS" t JOIN "DBS" d ON t."DB_ID" = d."DB_ID"
		WHERE d."NAME" = ? AND d."CTLG_NAME" = ? AND t."TBL_NAME" = ?`, r.db, catalog.DefaultCatalogName, r.name).
		Scan(&r.id, &r.dbID, &r.sdID)
	if errors.Is(err, sql.ErrNoRows) {
		return r, catalog.TableNotFound(r.db, r.name)
	}
	if err != nil {
		return r, fmt.Errorf("look up table %s.%s: %w", r.db, r.name, err)
	}
	return r, nil
}

// withDDLTime copies params and sets transient_lastDdlTime to now when it is
// missing or zero, as HMS does on create and alter.
func withDDLTime(params map[string]string, now int64) map[string]string {
	out := copyParams(params)
	if v, ok := out[catalog.DDLTimeParam]; !ok || v == "" || v == "0" {
		out[catalog.DDLTimeParam] = strconv.FormatInt(now, 10)
	}
	return out
}

// prepareTable validates t and returns its normalised columns and keys.
func prepareTable(t *catalog.Table) (cols, keys []catalog.FieldSchema, err error) {
	if t.Temporary {
		return nil, nil, catalog.Errorf(catalog.ErrInvalidObject,
			"Temporary table %s.%s cannot be stored in the metastore; the session keeps it", norm(t.DBName), norm(t.Name))
	}
	if norm(t.Name) == "" {
		return nil, nil, catalog.Errorf(catalog.ErrInvalidObject, "Invalid table name: %q", t.Name)
	}
	if t.SD != nil {
		if cols, err = normCols(t.SD.Cols, "column"); err != nil {
			return nil, nil, err
		}
	}
	if keys, err = normCols(t.PartitionKeys, "partition column"); err != nil {
		return nil, nil, err
	}
	for _, k := range keys {
		for _, c := range cols {
			if k.Name == c.Name {
				return nil, nil, catalog.Errorf(catalog.ErrInvalidObject, "Partition column name %s conflicts with table columns", k.Name)
			}
		}
	}
	return cols, keys, nil
}

func (t *txn) writePartitionKeys(ctx context.Context, tblID int64, keys []catalog.FieldSchema) error {
	for i, k := range keys {
		if _, err := t.exec(ctx, `INSERT INTO "PARTITION_KEYS" ("TBL_ID", "PKEY_COMMENT", "PKEY_NAME", "PKEY_TYPE", "INTEGER_IDX")
			VALUES (?, ?, ?, ?, ?)`, tblID, nullStr(k.Comment), k.Name, k.Type, i); err != nil {
			return fmt.Errorf("insert PARTITION_KEYS: %w", err)
		}
	}
	return nil
}

func (t *txn) readPartitionKeys(ctx context.Context, tblID int64) ([]catalog.FieldSchema, error) {
	rows, err := t.query(ctx, `SELECT "PKEY_NAME", "PKEY_TYPE", "PKEY_COMMENT" FROM "PARTITION_KEYS" WHERE "TBL_ID" = ? ORDER BY "INTEGER_IDX"`, tblID)
	if err != nil {
		return nil, fmt.Errorf("read PARTITION_KEYS: %w", err)
	}
	defer rows.Close()
	var keys []catalog.FieldSchema
	for rows.Next() {
		var k catalog.FieldSchema
		var comment sql.NullString
		if err := rows.Scan(&k.Name, &k.Type, &comment); err != nil {
			return nil, fmt.Errorf("read PARTITION_KEYS: %w", err)
		}
		k.Comment = comment.String
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// tableSD returns a copy of t.SD with normalised columns and, for non-views,
// a default location under the database; nil for a view without SD.
func tableSD(t *catalog.Table, cols []catalog.FieldSchema, dbLoc, name string) *catalog.StorageDescriptor {
	if t.SD == nil && t.IsView() {
		return nil
	}
	sd := catalog.StorageDescriptor{NumBuckets: -1}
	if t.SD != nil {
		sd = *t.SD
	}
	sd.Cols = cols
	if sd.Location == "" && !t.IsView() {
		sd.Location = dbLoc + "/" + name
	}
	return &sd
}

// CreateTable implements catalog.Catalog.
func (s *Store) CreateTable(ctx context.Context, t *catalog.Table) error {
	cols, keys, err := prepareTable(t)
	if err != nil {
		return err
	}
	dbName, name := norm(t.DBName), norm(t.Name)
	return s.write(ctx, func(tx *txn) error {
		db, err := tx.getDatabase(ctx, dbName)
		if err != nil {
			return err
		}
		dbID, err := tx.dbID(ctx, dbName)
		if err != nil {
			return err
		}
		if _, err := tx.tableRef(ctx, dbName, name); err == nil {
			return catalog.TableExists(dbName, name)
		} else if !errors.Is(err, catalog.ErrNotFound) {
			return err
		}
		now := s.now()
		var sdID any
		if sd := tableSD(t, cols, db.LocationURI, name); sd != nil {
			id, err := tx.insertSD(ctx, sd, cols, 0)
			if err != nil {
				return fmt.Errorf("create table %s.%s: %w", dbName, name, err)
			}
			sdID = id
		}
		tblID, err := tx.nextIDs(ctx, seqTable, 1)
		if err != nil {
			return err
		}
		created := t.CreateTime
		if created == 0 {
			created = now
		}
		if err := tx.writeTableRow(ctx, true, tblID, dbID, sdID, name, created, t); err != nil {
			return fmt.Errorf("create table %s.%s: %w", dbName, name, err)
		}
		if err := tx.writeParams(ctx, "TABLE_PARAMS", "TBL_ID", tblID, withDDLTime(t.Parameters, now)); err != nil {
			return err
		}
		return tx.writePartitionKeys(ctx, tblID, keys)
	})
}

// writeTableRow inserts or updates the TBLS row.
func (t *txn) writeTableRow(ctx context.Context, insert bool, tblID, dbID int64, sdID any, name string, created int64, tb *catalog.Table) error {
	typ := tb.TableType
	if typ == "" {
		typ = catalog.ManagedTable
	}
	ownerType := tb.OwnerType
	if ownerType == "" && tb.Owner != "" {
		ownerType = catalog.PrincipalUser
	}
	args := []any{created, dbID, tb.LastAccessTime, nullStr(tb.Owner), nullStr(ownerType), tb.Retention, sdID, name, typ,
		nullStr(tb.ViewExpandedText), nullStr(tb.ViewOriginalText), tblID}
	q := `UPDATE "TBLS" SET "CREATE_TIME" = ?, "DB_ID" = ?, "LAST_ACCESS_TIME" = ?, "OWNER" = ?, "OWNER_TYPE" = ?,
		"RETENTION" = ?, "SD_ID" = ?, "TBL_NAME" = ?, "TBL_TYPE" = ?, "VIEW_EXPANDED_TEXT" = ?, "VIEW_ORIGINAL_TEXT" = ?
		WHERE "TBL_ID" = ?`
	if insert {
		q = `INSERT INTO "TBLS" ("CREATE_TIME", "DB_ID", "LAST_ACCESS_TIME", "OWNER", "OWNER_TYPE", "RETENTION", "SD_ID",
			"TBL_NAME", "TBL_TYPE", "VIEW_EXPANDED_TEXT", "VIEW_ORIGINAL_TEXT", "TBL_ID", "IS_REWRITE_ENABLED")
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
		args = append(args, t.d.boolArg(false))
	}
	_, err := t.exec(ctx, q, args...)
	return err
}

// GetTable implements catalog.Catalog.
func (s *Store) GetTable(ctx context.Context, db, name string) (*catalog.Table, error) {
	var out *catalog.Table
	err := s.read(ctx, func(tx *txn) error {
		var err error
		out, err = tx.getTable(ctx, db, name)
		return err
	})
	return out, err
}

func (t *txn) getTable(ctx context.Context, db, name string) (*catalog.Table, error) {
	ref, err := t.tableRef(ctx, db, name)
	if err != nil {
		return nil, err
	}
	tb := catalog.Table{DBName: ref.db}
	var owner, ownerType, typ, expanded, original sql.NullString
	err = t.queryRow(ctx, `SELECT "TBL_NAME", "CREATE_TIME", "LAST_ACCESS_TIME", "OWNER", "OWNER_TYPE", "RETENTION",
		"TBL_TYPE", "VIEW_EXPANDED_TEXT", "VIEW_ORIGINAL_TEXT" FROM "TBLS" WHERE "TBL_ID" = ?`, ref.id).
		Scan(&tb.Name, &tb.CreateTime, &tb.LastAccessTime, &owner, &ownerType, &tb.Retention, &typ, &expanded, &original)
	if err != nil {
		return nil, fmt.Errorf("get table %s.%s: %w", ref.db, ref.name, err)
	}
	tb.Owner, tb.OwnerType, tb.TableType = owner.String, ownerType.String, typ.String
	tb.ViewExpandedText, tb.ViewOriginalText = expanded.String, original.String
	if ref.sdID.Valid {
		if tb.SD, _, err = t.readSD(ctx, ref.sdID.Int64, nil); err != nil {
			return nil, err
		}
	}
	if tb.PartitionKeys, err = t.readPartitionKeys(ctx, ref.id); err != nil {
		return nil, err
	}
	if tb.Parameters, err = t.readParams(ctx, "TABLE_PARAMS", "TBL_ID", ref.id); err != nil {
		return nil, err
	}
	return &tb, nil
}

// GetTables implements catalog.Catalog.
func (s *Store) GetTables(ctx context.Context, db string, names []string) ([]*catalog.Table, error) {
	var out []*catalog.Table
	err := s.read(ctx, func(tx *txn) error {
		out = nil // fn may be retried
		if _, err := tx.dbID(ctx, db); err != nil {
			return err
		}
		for _, n := range names {
			tb, err := tx.getTable(ctx, db, n)
			if errors.Is(err, catalog.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, tb)
		}
		return nil
	})
	return out, err
}

// ListTables implements catalog.Catalog.
func (s *Store) ListTables(ctx context.Context, db, pattern string) ([]string, error) {
	var names []string
	err := s.read(ctx, func(tx *txn) error {
		id, err := tx.dbID(ctx, db)
		if err != nil {
			return err
		}
		names, err = tx.listNames(ctx, `SELECT "TBL_NAME" FROM "TBLS" WHERE "DB_ID" = ? ORDER BY "TBL_NAME"`, pattern, id)
		if err != nil {
			return fmt.Errorf("list tables of %s: %w", norm(db), err)
		}
		return nil
	})
	return names, err
}

// AlterTable implements catalog.Catalog.
func (s *Store) AlterTable(ctx context.Context, db, name string, t *catalog.Table) error {
	cols, keys, err := prepareTable(t)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *txn) error {
		ref, err := tx.tableRef(ctx, db, name)
		if err != nil {
			return err
		}
		newDB, newName := norm(t.DBName), norm(t.Name)
		if newDB == "" {
			newDB = ref.db
		}
		newDBID := ref.dbID
		if newDB != ref.db || newName != ref.name {
			if newDBID, err = tx.dbID(ctx, newDB); err != nil {
				return err
			}
			if _, err := tx.tableRef(ctx, newDB, newName); err == nil {
				return catalog.TableExists(newDB, newName)
			} else if !errors.Is(err, catalog.ErrNotFound) {
				return err
			}
		}
		oldKeys, err := tx.readPartitionKeys(ctx, ref.id)
		if err != nil {
			return err
		}
		if len(oldKeys) != len(keys) {
			return catalog.Errorf(catalog.ErrInvalidOperation, "partition keys can not be changed.")
		}
		for i := range keys {
			if keys[i].Name != oldKeys[i].Name {
				return catalog.Errorf(catalog.ErrInvalidOperation, "partition keys can not be changed.")
			}
		}
		newDBObj, err := tx.getDatabase(ctx, newDB)
		if err != nil {
			return err
		}
		var sdID any
		if sd := tableSD(t, cols, newDBObj.LocationURI, newName); sd != nil {
			var cdID int64
			if ref.sdID.Valid {
				old, oldCD, err := tx.readSD(ctx, ref.sdID.Int64, nil)
				if err != nil {
					return err
				}
				if sameCols(old.Cols, cols) {
					cdID = oldCD
				}
			}
			id, err := tx.insertSD(ctx, sd, cols, cdID)
			if err != nil {
				return fmt.Errorf("alter table %s.%s: %w", ref.db, ref.name, err)
			}
			sdID = id
		}
		var created int64
		if err := tx.queryRow(ctx, `SELECT "CREATE_TIME" FROM "TBLS" WHERE "TBL_ID" = ?`, ref.id).Scan(&created); err != nil {
			return fmt.Errorf("alter table %s.%s: %w", ref.db, ref.name, err)
		}
		if t.CreateTime != 0 {
			created = t.CreateTime
		}
		if err := tx.writeTableRow(ctx, false, ref.id, newDBID, sdID, newName, created, t); err != nil {
			return fmt.Errorf("alter table %s.%s: %w", ref.db, ref.name, err)
		}
		if ref.sdID.Valid {
			if err := tx.deleteSD(ctx, ref.sdID.Int64); err != nil {
				return err
			}
		}
		if err := tx.replaceParams(ctx, "TABLE_PARAMS", "TBL_ID", ref.id, withDDLTime(t.Parameters, s.now())); err != nil {
			return err
		}
		if err := tx.deleteRows(ctx, "PARTITION_KEYS", "TBL_ID", ref.id); err != nil {
			return err
		}
		return tx.writePartitionKeys(ctx, ref.id, keys)
	})
}

// DropTable implements catalog.Catalog.
func (s *Store) DropTable(ctx context.Context, db, name string) error {
	return s.write(ctx, func(tx *txn) error { return tx.dropTable(ctx, db, name) })
}

func (t *txn) dropTable(ctx context.Context, db, name string) error {
	ref, err := t.tableRef(ctx, db, name)
	if err != nil {
		return err
	}
	rows, err := t.query(ctx, `SELECT "PART_ID" FROM "PARTITIONS" WHERE "TBL_ID" = ?`, ref.id)
	if err != nil {
		return fmt.Errorf("drop table %s.%s: %w", ref.db, ref.name, err)
	}
	var parts []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("drop table %s.%s: %w", ref.db, ref.name, err)
		}
		parts = append(parts, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("drop table %s.%s: %w", ref.db, ref.name, err)
	}
	for _, id := range parts {
		if err := t.dropPartitionID(ctx, id); err != nil {
			return err
		}
	}
	for _, tbl := range []string{"TABLE_PARAMS", "PARTITION_KEYS", "TBLS"} {
		if err := t.deleteRows(ctx, tbl, "TBL_ID", ref.id); err != nil {
			return err
		}
	}
	if ref.sdID.Valid {
		return t.deleteSD(ctx, ref.sdID.Int64)
	}
	return nil
}
