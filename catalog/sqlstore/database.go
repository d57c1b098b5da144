package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/waggle-dev/waggle/catalog"
)

// writeParams inserts a parameter map into a *_PARAMS table.
func (t *txn) writeParams(ctx context.Context, table, idCol string, id int64, params map[string]string) error {
	if len(params) == 0 {
		return nil
	}
	q := fmt.Sprintf(`INSERT INTO %s (%s, "PARAM_KEY", "PARAM_VALUE") VALUES (?, ?, ?)`, quote(table), quote(idCol))
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := t.exec(ctx, q, id, k, params[k]); err != nil {
			return fmt.Errorf("write %s: %w", table, err)
		}
	}
	return nil
}

// deleteRows deletes the rows of table whose idCol is id.
func (t *txn) deleteRows(ctx context.Context, table, idCol string, id int64) error {
	if _, err := t.exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE %s = ?`, quote(table), quote(idCol)), id); err != nil {
		return fmt.Errorf("delete from %s: %w", table, err)
	}
	return nil
}

// replaceParams replaces the parameters of one object.
func (t *txn) replaceParams(ctx context.Context, table, idCol string, id int64, params map[string]string) error {
	if err := t.deleteRows(ctx, table, idCol, id); err != nil {
		return err
	}
	return t.writeParams(ctx, table, idCol, id, params)
}

// readParams reads the parameter map of one object (never nil).
func (t *txn) readParams(ctx context.Context, table, idCol string, id int64) (map[string]string, error) {
	rows, err := t.query(ctx, fmt.Sprintf(`SELECT "PARAM_KEY", "PARAM_VALUE" FROM %s WHERE %s = ?`, quote(table), quote(idCol)), id)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k string
		var v sql.NullString
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("read %s: %w", table, err)
		}
		out[k] = v.String
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	return out, nil
}

// dbID returns the id of the named database in the hive catalog.
func (t *txn) dbID(ctx context.Context, name string) (int64, error) {
	var id int64
	err := t.queryRow(ctx, `SELECT "DB_ID" FROM "DBS" WHERE "NAME" = ? AND "CTLG_NAME" = ?`,
		norm(name), catalog.DefaultCatalogName).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, catalog.DatabaseNotFound(norm(name))
	}
	if err != nil {
		return 0, fmt.Errorf("look up database %s: %w", name, err)
	}
	return id, nil
}

func (t *txn) insertDatabase(ctx context.Context, db *catalog.Database, now int64) error {
	id, err := t.nextIDs(ctx, seqDatabase, 1)
	if err != nil {
		return err
	}
	created := db.CreateTime
	if created == 0 {
		created = now
	}
	ownerType := db.OwnerType
	if ownerType == "" && db.OwnerName != "" {
		ownerType = catalog.PrincipalUser
	}
	_, err = t.exec(ctx, `INSERT INTO "DBS" ("DB_ID", "DESC", "DB_LOCATION_URI", "NAME", "OWNER_NAME", "OWNER_TYPE",
		"CTLG_NAME", "CREATE_TIME", "DB_MANAGED_LOCATION_URI") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, nullStr(db.Description), db.LocationURI, norm(db.Name), nullStr(db.OwnerName), nullStr(ownerType),
		catalog.DefaultCatalogName, created, nullStr(db.ManagedLocationURI))
	if err != nil {
		return fmt.Errorf("insert database %s: %w", db.Name, err)
	}
	return t.writeParams(ctx, "DATABASE_PARAMS", "DB_ID", id, db.Parameters)
}

// CreateDatabase implements catalog.Catalog.
func (s *Store) CreateDatabase(ctx context.Context, db *catalog.Database) error {
	name := norm(db.Name)
	if name == "" {
		return catalog.Errorf(catalog.ErrInvalidObject, "Invalid database name: %q", db.Name)
	}
	if db.CatalogName != "" && norm(db.CatalogName) != catalog.DefaultCatalogName {
		return catalog.Errorf(catalog.ErrNotFound, "Catalog %s does not exist", db.CatalogName)
	}
	return s.write(ctx, func(tx *txn) error {
		if _, err := tx.dbID(ctx, name); err == nil {
			return catalog.DatabaseExists(name)
		} else if !errors.Is(err, catalog.ErrNotFound) {
			return err
		}
		d := *db
		d.Name = name
		if d.LocationURI == "" {
			d.LocationURI = s.warehouse + "/" + name + ".db"
		}
		return tx.insertDatabase(ctx, &d, s.now())
	})
}

// GetDatabase implements catalog.Catalog.
func (s *Store) GetDatabase(ctx context.Context, name string) (*catalog.Database, error) {
	var out *catalog.Database
	err := s.read(ctx, func(tx *txn) error {
		var err error
		out, err = tx.getDatabase(ctx, name)
		return err
	})
	return out, err
}

func (t *txn) getDatabase(ctx context.Context, name string) (*catalog.Database, error) {
	var (
		id                           int64
		desc, owner, ownerType, mloc sql.NullString
		created                      sql.NullInt64
		db                           catalog.Database
	)
	err := t.queryRow(ctx, `SELECT "DB_ID", "DESC", "DB_LOCATION_URI", "NAME", "OWNER_NAME", "OWNER_TYPE", "CTLG_NAME",
		"CREATE_TIME", "DB_MANAGED_LOCATION_URI" FROM "DBS" WHERE "NAME" = ? AND "CTLG_NAME" = ?`,
		norm(name), catalog.DefaultCatalogName).
		Scan(&id, &desc, &db.LocationURI, &db.Name, &owner, &ownerType, &db.CatalogName, &created, &mloc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, catalog.DatabaseNotFound(norm(name))
	}
	if err != nil {
		return nil, fmt.Errorf("get database %s: %w", name, err)
	}
	db.Description, db.OwnerName, db.OwnerType, db.ManagedLocationURI = desc.String, owner.String, ownerType.String, mloc.String
	db.CreateTime = created.Int64
	if db.Parameters, err = t.readParams(ctx, "DATABASE_PARAMS", "DB_ID", id); err != nil {
		return nil, err
	}
	return &db, nil
}

// ListDatabases implements catalog.Catalog.
func (s *Store) ListDatabases(ctx context.Context, pattern string) ([]string, error) {
	var names []string
	err := s.read(ctx, func(tx *txn) error {
		var err error
		names, err = tx.listNames(ctx, `SELECT "NAME" FROM "DBS" WHERE "CTLG_NAME" = ? ORDER BY "NAME"`, pattern, catalog.DefaultCatalogName)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list databases: %w", err)
	}
	return names, nil
}

// listNames runs a one-column name query and keeps the names matching pattern.
func (t *txn) listNames(ctx context.Context, q, pattern string, args ...any) ([]string, error) {
	p := catalog.CompilePattern(pattern)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := []string{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		if p.Match(n) {
			names = append(names, n)
		}
	}
	return names, rows.Err()
}

// AlterDatabase implements catalog.Catalog.
func (s *Store) AlterDatabase(ctx context.Context, name string, db *catalog.Database) error {
	if db.Name != "" && norm(db.Name) != norm(name) {
		return catalog.Errorf(catalog.ErrInvalidOperation, "Database %s cannot be renamed to %s", norm(name), norm(db.Name))
	}
	return s.write(ctx, func(tx *txn) error {
		id, err := tx.dbID(ctx, name)
		if err != nil {
			return err
		}
		old, err := tx.getDatabase(ctx, name)
		if err != nil {
			return err
		}
		loc := db.LocationURI
		if loc == "" {
			loc = old.LocationURI
		}
		if _, err := tx.exec(ctx, `UPDATE "DBS" SET "DESC" = ?, "DB_LOCATION_URI" = ?, "OWNER_NAME" = ?, "OWNER_TYPE" = ?,
			"DB_MANAGED_LOCATION_URI" = ? WHERE "DB_ID" = ?`,
			nullStr(db.Description), loc, nullStr(db.OwnerName), nullStr(db.OwnerType), nullStr(db.ManagedLocationURI), id); err != nil {
			return fmt.Errorf("alter database %s: %w", name, err)
		}
		return tx.replaceParams(ctx, "DATABASE_PARAMS", "DB_ID", id, db.Parameters)
	})
}

// DropDatabase implements catalog.Catalog.
func (s *Store) DropDatabase(ctx context.Context, name string, cascade bool) ([]*catalog.Table, error) {
	name = norm(name)
	if name == catalog.DefaultDatabaseName {
		return nil, catalog.Errorf(catalog.ErrInvalidOperation, "Can not drop default database")
	}
	var dropped []*catalog.Table
	err := s.write(ctx, func(tx *txn) error {
		dropped = nil // fn may be retried
		id, err := tx.dbID(ctx, name)
		if err != nil {
			return err
		}
		tables, err := tx.listNames(ctx, `SELECT "TBL_NAME" FROM "TBLS" WHERE "DB_ID" = ? ORDER BY "TBL_NAME"`, "", id)
		if err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		funcs, err := tx.listNames(ctx, `SELECT "FUNC_NAME" FROM "FUNCS" WHERE "DB_ID" = ? ORDER BY "FUNC_NAME"`, "", id)
		if err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		if !cascade && len(tables) > 0 {
			return catalog.Errorf(catalog.ErrInvalidOperation, "Database %s is not empty. One or more tables exist.", name)
		}
		if !cascade && len(funcs) > 0 {
			return catalog.Errorf(catalog.ErrInvalidOperation, "Database %s is not empty. One or more functions exist.", name)
		}
		for _, tn := range tables {
			t, err := tx.getTable(ctx, name, tn)
			if err != nil {
				return err
			}
			if err := tx.dropTable(ctx, name, tn); err != nil {
				return err
			}
			dropped = append(dropped, t)
		}
		for _, fn := range funcs {
			if err := tx.dropFunction(ctx, name, fn); err != nil {
				return err
			}
		}
		if err := tx.deleteRows(ctx, "DATABASE_PARAMS", "DB_ID", id); err != nil {
			return err
		}
		return tx.deleteRows(ctx, "DBS", "DB_ID", id)
	})
	if err != nil {
		return nil, err
	}
	return dropped, nil
}
