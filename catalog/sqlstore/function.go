package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/waggle-dev/waggle/catalog"
)

func (t *txn) funcID(ctx context.Context, dbID int64, name string) (int64, error) {
	var id int64
	err := t.queryRow(ctx, `SELECT "FUNC_ID" FROM "FUNCS" WHERE "DB_ID" = ? AND "FUNC_NAME" = ?`, dbID, norm(name)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("look up function %s: %w", name, err)
	}
	return id, nil
}

func (t *txn) writeFunction(ctx context.Context, insert bool, id, dbID int64, name string, created int64, f *catalog.Function) error {
	typ := f.FunctionType
	if typ == 0 {
		typ = catalog.FunctionJava
	}
	ownerType := f.OwnerType
	if ownerType == "" && f.OwnerName != "" {
		ownerType = catalog.PrincipalUser
	}
	q := `UPDATE "FUNCS" SET "CLASS_NAME" = ?, "CREATE_TIME" = ?, "DB_ID" = ?, "FUNC_NAME" = ?, "FUNC_TYPE" = ?,
		"OWNER_NAME" = ?, "OWNER_TYPE" = ? WHERE "FUNC_ID" = ?`
	if insert {
		q = `INSERT INTO "FUNCS" ("CLASS_NAME", "CREATE_TIME", "DB_ID", "FUNC_NAME", "FUNC_TYPE", "OWNER_NAME", "OWNER_TYPE", "FUNC_ID")
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	}
	if _, err := t.exec(ctx, q, nullStr(f.ClassName), created, dbID, name, int(typ), nullStr(f.OwnerName), nullStr(ownerType), id); err != nil {
		return fmt.Errorf("write function %s: %w", name, err)
	}
	if err := t.deleteRows(ctx, "FUNC_RU", "FUNC_ID", id); err != nil {
		return err
	}
	for i, r := range f.Resources {
		if _, err := t.exec(ctx, `INSERT INTO "FUNC_RU" ("FUNC_ID", "RESOURCE_TYPE", "RESOURCE_URI", "INTEGER_IDX") VALUES (?, ?, ?, ?)`,
			id, int(r.Type), r.URI, i); err != nil {
			return fmt.Errorf("write function %s resources: %w", name, err)
		}
	}
	return nil
}

// CreateFunction implements catalog.Catalog.
func (s *Store) CreateFunction(ctx context.Context, f *catalog.Function) error {
	db, name := norm(f.DBName), norm(f.Name)
	if name == "" {
		return catalog.Errorf(catalog.ErrInvalidObject, "Invalid function name: %q", f.Name)
	}
	return s.write(ctx, func(tx *txn) error {
		dbID, err := tx.dbID(ctx, db)
		if err != nil {
			return err
		}
		if existing, err := tx.funcID(ctx, dbID, name); err != nil {
			return err
		} else if existing != 0 {
			return catalog.FunctionExists(db, name)
		}
		id, err := tx.nextIDs(ctx, seqFunc, 1)
		if err != nil {
			return err
		}
		created := f.CreateTime
		if created == 0 {
			created = s.now()
		}
		return tx.writeFunction(ctx, true, id, dbID, name, created, f)
	})
}

// GetFunction implements catalog.Catalog.
func (s *Store) GetFunction(ctx context.Context, db, name string) (*catalog.Function, error) {
	var out *catalog.Function
	err := s.read(ctx, func(tx *txn) error {
		dbID, err := tx.dbID(ctx, db)
		if err != nil {
			return err
		}
		id, err := tx.funcID(ctx, dbID, name)
		if err != nil {
			return err
		}
		if id == 0 {
			return catalog.FunctionNotFound(norm(db), norm(name))
		}
		f := catalog.Function{DBName: norm(db)}
		var class, owner, ownerType sql.NullString
		var typ int
		if err := tx.queryRow(ctx, `SELECT "FUNC_NAME", "CLASS_NAME", "OWNER_NAME", "OWNER_TYPE", "FUNC_TYPE", "CREATE_TIME"
			FROM "FUNCS" WHERE "FUNC_ID" = ?`, id).Scan(&f.Name, &class, &owner, &ownerType, &typ, &f.CreateTime); err != nil {
			return fmt.Errorf("get function %s.%s: %w", norm(db), norm(name), err)
		}
		f.ClassName, f.OwnerName, f.OwnerType, f.FunctionType = class.String, owner.String, ownerType.String, catalog.FunctionType(typ)
		rows, err := tx.query(ctx, `SELECT "RESOURCE_TYPE", "RESOURCE_URI" FROM "FUNC_RU" WHERE "FUNC_ID" = ? ORDER BY "INTEGER_IDX"`, id)
		if err != nil {
			return fmt.Errorf("get function %s.%s: %w", norm(db), norm(name), err)
		}
		defer rows.Close()
		for rows.Next() {
			var r catalog.ResourceURI
			var uri sql.NullString
			if err := rows.Scan(&r.Type, &uri); err != nil {
				return fmt.Errorf("get function %s.%s: %w", norm(db), norm(name), err)
			}
			r.URI = uri.String
			f.Resources = append(f.Resources, r)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("get function %s.%s: %w", norm(db), norm(name), err)
		}
		out = &f
		return nil
	})
	return out, err
}

// ListFunctions implements catalog.Catalog.
func (s *Store) ListFunctions(ctx context.Context, db, pattern string) ([]string, error) {
	var names []string
	err := s.read(ctx, func(tx *txn) error {
		dbID, err := tx.dbID(ctx, db)
		if err != nil {
			return err
		}
		names, err = tx.listNames(ctx, `SELECT "FUNC_NAME" FROM "FUNCS" WHERE "DB_ID" = ? ORDER BY "FUNC_NAME"`, pattern, dbID)
		if err != nil {
			return fmt.Errorf("list functions of %s: %w", norm(db), err)
		}
		return nil
	})
	return names, err
}

// AlterFunction implements catalog.Catalog.
func (s *Store) AlterFunction(ctx context.Context, db, name string, f *catalog.Function) error {
	return s.write(ctx, func(tx *txn) error {
		dbID, err := tx.dbID(ctx, db)
		if err != nil {
			return err
		}
		id, err := tx.funcID(ctx, dbID, name)
		if err != nil {
			return err
		}
		if id == 0 {
			return catalog.FunctionNotFound(norm(db), norm(name))
		}
		newDB, newName := norm(f.DBName), norm(f.Name)
		if newDB == "" {
			newDB = norm(db)
		}
		if newName == "" {
			newName = norm(name)
		}
		newDBID := dbID
		if newDB != norm(db) || newName != norm(name) {
			if newDBID, err = tx.dbID(ctx, newDB); err != nil {
				return err
			}
			if other, err := tx.funcID(ctx, newDBID, newName); err != nil {
				return err
			} else if other != 0 {
				return catalog.FunctionExists(newDB, newName)
			}
		}
		created := f.CreateTime
		if created == 0 {
			if err := tx.queryRow(ctx, `SELECT "CREATE_TIME" FROM "FUNCS" WHERE "FUNC_ID" = ?`, id).Scan(&created); err != nil {
				return fmt.Errorf("alter function %s.%s: %w", norm(db), norm(name), err)
			}
		}
		return tx.writeFunction(ctx, false, id, newDBID, newName, created, f)
	})
}

// DropFunction implements catalog.Catalog.
func (s *Store) DropFunction(ctx context.Context, db, name string) error {
	return s.write(ctx, func(tx *txn) error { return tx.dropFunction(ctx, db, name) })
}

func (t *txn) dropFunction(ctx context.Context, db, name string) error {
	dbID, err := t.dbID(ctx, db)
	if err != nil {
		return err
	}
	id, err := t.funcID(ctx, dbID, name)
	if err != nil {
		return err
	}
	if id == 0 {
		return catalog.FunctionNotFound(norm(db), norm(name))
	}
	if err := t.deleteRows(ctx, "FUNC_RU", "FUNC_ID", id); err != nil {
		return err
	}
	return t.deleteRows(ctx, "FUNCS", "FUNC_ID", id)
}
