package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/waggle-dev/waggle/catalog"
)

// partTable is what partition operations need to know about their table.
type partTable struct {
	ref   tableRef
	keys  []catalog.FieldSchema
	sd    *catalog.StorageDescriptor // nil for a view
	cdID  int64
	cache map[int64][]catalog.FieldSchema
}

func (t *txn) partTable(ctx context.Context, db, table string) (*partTable, error) {
	ref, err := t.tableRef(ctx, db, table)
	if err != nil {
		return nil, err
	}
	pt := &partTable{ref: ref, cache: map[int64][]catalog.FieldSchema{}}
	if pt.keys, err = t.readPartitionKeys(ctx, ref.id); err != nil {
		return nil, err
	}
	if ref.sdID.Valid {
		if pt.sd, pt.cdID, err = t.readSD(ctx, ref.sdID.Int64, pt.cache); err != nil {
			return nil, err
		}
	}
	return pt, nil
}

func (pt *partTable) partName(values []string) (string, error) {
	if len(pt.keys) == 0 {
		return "", catalog.Errorf(catalog.ErrInvalidObject, "Table %s.%s is not partitioned", pt.ref.db, pt.ref.name)
	}
	return catalog.MakePartName(pt.keys, values)
}

// partSD returns the partition's SD to store (a copy of the table's when p
// has none), with its default location, and the CD to reuse if any.
func (pt *partTable) partSD(p *catalog.Partition, name string) (*catalog.StorageDescriptor, []catalog.FieldSchema, int64, error) {
	var sd catalog.StorageDescriptor
	switch {
	case p.SD != nil:
		sd = *p.SD
	case pt.sd != nil:
		sd = *pt.sd
		sd.Location = ""
	default:
		sd = catalog.StorageDescriptor{NumBuckets: -1}
	}
	cols, err := normCols(sd.Cols, "column")
	if err != nil {
		return nil, nil, 0, err
	}
	sd.Cols = cols
	if sd.Location == "" && pt.sd != nil && pt.sd.Location != "" {
		sd.Location = pt.sd.Location + "/" + name
	}
	var cdID int64
	if pt.sd != nil && sameCols(cols, pt.sd.Cols) {
		cdID = pt.cdID
	}
	return &sd, cols, cdID, nil
}

func (t *txn) partID(ctx context.Context, tblID int64, name string) (int64, error) {
	var id int64
	err := t.queryRow(ctx, `SELECT "PART_ID" FROM "PARTITIONS" WHERE "TBL_ID" = ? AND "PART_NAME" = ?`, tblID, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("look up partition %s: %w", name, err)
	}
	return id, nil
}

func (t *txn) writePartitionVals(ctx context.Context, partID int64, values []string) error {
	for i, v := range values {
		if _, err := t.exec(ctx, `INSERT INTO "PARTITION_KEY_VALS" ("PART_ID", "PART_KEY_VAL", "INTEGER_IDX") VALUES (?, ?, ?)`,
			partID, v, i); err != nil {
			return fmt.Errorf("insert PARTITION_KEY_VALS: %w", err)
		}
	}
	return nil
}

// AddPartitions implements catalog.Catalog.
func (s *Store) AddPartitions(ctx context.Context, parts []*catalog.Partition, ifNotExists bool) error {
	if len(parts) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *txn) error { return tx.addPartitions(ctx, parts, ifNotExists, s.now()) })
}

// CommitPartitions implements catalog.PartitionCommitter: AlterPartitions and AddPartitions (if not
// exists) in one transaction.
func (s *Store) CommitPartitions(ctx context.Context, db, table string, alter, add []*catalog.Partition) error {
	if len(alter) == 0 && len(add) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *txn) error {
		now := s.now()
		if len(alter) > 0 {
			pt, err := tx.partTable(ctx, db, table)
			if err != nil {
				return err
			}
			for _, p := range alter {
				if p == nil {
					return catalog.Errorf(catalog.ErrInvalidObject, "Partition object is null")
				}
				if err := tx.alterPartition(ctx, pt, p.Values, p, now); err != nil {
					return err
				}
			}
		}
		return tx.addPartitions(ctx, add, true, now)
	})
}

// addPartitions adds partitions (of one or more tables) inside t; see AddPartitions.
func (tx *txn) addPartitions(ctx context.Context, parts []*catalog.Partition, ifNotExists bool, now int64) error {
	tables := map[[2]string]*partTable{}
	for _, p := range parts {
		key := [2]string{norm(p.DBName), norm(p.TableName)}
		pt := tables[key]
		if pt == nil {
			var err error
			if pt, err = tx.partTable(ctx, key[0], key[1]); err != nil {
				return err
			}
			tables[key] = pt
		}
		name, err := pt.partName(p.Values)
		if err != nil {
			return err
		}
		existing, err := tx.partID(ctx, pt.ref.id, name)
		if err != nil {
			return err
		}
		if existing != 0 {
			if ifNotExists {
				continue
			}
			return catalog.PartitionExists(pt.ref.db, pt.ref.name, name)
		}
		sd, cols, cdID, err := pt.partSD(p, name)
		if err != nil {
			return err
		}
		sdID, err := tx.insertSD(ctx, sd, cols, cdID)
		if err != nil {
			return fmt.Errorf("add partition %s.%s/%s: %w", pt.ref.db, pt.ref.name, name, err)
		}
		partID, err := tx.nextIDs(ctx, seqPart, 1)
		if err != nil {
			return err
		}
		created := p.CreateTime
		if created == 0 {
			created = now
		}
		if _, err := tx.exec(ctx, `INSERT INTO "PARTITIONS" ("PART_ID", "CREATE_TIME", "LAST_ACCESS_TIME", "PART_NAME", "SD_ID", "TBL_ID")
				VALUES (?, ?, ?, ?, ?, ?)`, partID, created, p.LastAccessTime, name, sdID, pt.ref.id); err != nil {
			return fmt.Errorf("add partition %s.%s/%s: %w", pt.ref.db, pt.ref.name, name, err)
		}
		if err := tx.writePartitionVals(ctx, partID, p.Values); err != nil {
			return err
		}
		if err := tx.writeParams(ctx, "PARTITION_PARAMS", "PART_ID", partID, withDDLTime(p.Parameters, now)); err != nil {
			return err
		}
	}
	return nil
}

// readPartition reads one partition by id.
func (t *txn) readPartition(ctx context.Context, pt *partTable, partID int64) (*catalog.Partition, error) {
	p := catalog.Partition{DBName: pt.ref.db, TableName: pt.ref.name}
	var sdID sql.NullInt64
	if err := t.queryRow(ctx, `SELECT "CREATE_TIME", "LAST_ACCESS_TIME", "SD_ID" FROM "PARTITIONS" WHERE "PART_ID" = ?`, partID).
		Scan(&p.CreateTime, &p.LastAccessTime, &sdID); err != nil {
		return nil, fmt.Errorf("read partition %d: %w", partID, err)
	}
	rows, err := t.query(ctx, `SELECT "PART_KEY_VAL" FROM "PARTITION_KEY_VALS" WHERE "PART_ID" = ? ORDER BY "INTEGER_IDX"`, partID)
	if err != nil {
		return nil, fmt.Errorf("read PARTITION_KEY_VALS: %w", err)
	}
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read PARTITION_KEY_VALS: %w", err)
		}
		p.Values = append(p.Values, v.String)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read PARTITION_KEY_VALS: %w", err)
	}
	if sdID.Valid {
		if p.SD, _, err = t.readSD(ctx, sdID.Int64, pt.cache); err != nil {
			return nil, err
		}
	}
	if p.Parameters, err = t.readParams(ctx, "PARTITION_PARAMS", "PART_ID", partID); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetPartition implements catalog.Catalog.
func (s *Store) GetPartition(ctx context.Context, db, table string, values []string) (*catalog.Partition, error) {
	var out *catalog.Partition
	err := s.read(ctx, func(tx *txn) error {
		pt, err := tx.partTable(ctx, db, table)
		if err != nil {
			return err
		}
		name, err := pt.partName(values)
		if err != nil {
			return err
		}
		id, err := tx.partID(ctx, pt.ref.id, name)
		if err != nil {
			return err
		}
		if id == 0 {
			return catalog.PartitionNotFound(pt.ref.db, pt.ref.name, name)
		}
		out, err = tx.readPartition(ctx, pt, id)
		return err
	})
	return out, err
}

func limitClause(max int) string {
	if max <= 0 {
		return ""
	}
	return fmt.Sprintf(" LIMIT %d", max)
}

// ListPartitions implements catalog.Catalog.
func (s *Store) ListPartitions(ctx context.Context, db, table string, max int) ([]*catalog.Partition, error) {
	var out []*catalog.Partition
	err := s.read(ctx, func(tx *txn) error {
		pt, err := tx.partTable(ctx, db, table)
		if err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT "PART_ID" FROM "PARTITIONS" WHERE "TBL_ID" = ? ORDER BY "PART_NAME"`+limitClause(max), pt.ref.id)
		if err != nil {
			return fmt.Errorf("list partitions of %s.%s: %w", pt.ref.db, pt.ref.name, err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("list partitions of %s.%s: %w", pt.ref.db, pt.ref.name, err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("list partitions of %s.%s: %w", pt.ref.db, pt.ref.name, err)
		}
		out = make([]*catalog.Partition, 0, len(ids))
		for _, id := range ids {
			p, err := tx.readPartition(ctx, pt, id)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// ListPartitionNames implements catalog.Catalog.
func (s *Store) ListPartitionNames(ctx context.Context, db, table string, max int) ([]string, error) {
	var names []string
	err := s.read(ctx, func(tx *txn) error {
		ref, err := tx.tableRef(ctx, db, table)
		if err != nil {
			return err
		}
		names, err = tx.listNames(ctx, `SELECT "PART_NAME" FROM "PARTITIONS" WHERE "TBL_ID" = ? ORDER BY "PART_NAME"`+limitClause(max), "", ref.id)
		if err != nil {
			return fmt.Errorf("list partition names of %s.%s: %w", ref.db, ref.name, err)
		}
		return nil
	})
	return names, err
}

// AlterPartition implements catalog.Catalog.
func (s *Store) AlterPartition(ctx context.Context, db, table string, oldValues []string, p *catalog.Partition) error {
	return s.write(ctx, func(tx *txn) error {
		pt, err := tx.partTable(ctx, db, table)
		if err != nil {
			return err
		}
		return tx.alterPartition(ctx, pt, oldValues, p, s.now())
	})
}

// AlterPartitions implements catalog.Catalog: one transaction for all of
// parts, so a missing partition (or any other failure) alters none.
func (s *Store) AlterPartitions(ctx context.Context, db, table string, parts []*catalog.Partition) error {
	return s.CommitPartitions(ctx, db, table, parts, nil)
}

// alterPartition replaces the partition of pt with oldValues by p (renaming
// it when p.Values differ) inside tx.
func (t *txn) alterPartition(ctx context.Context, pt *partTable, oldValues []string, p *catalog.Partition, now int64) error {
	oldName, err := pt.partName(oldValues)
	if err != nil {
		return err
	}
	id, err := t.partID(ctx, pt.ref.id, oldName)
	if err != nil {
		return err
	}
	if id == 0 {
		return catalog.PartitionNotFound(pt.ref.db, pt.ref.name, oldName)
	}
	values := p.Values
	if len(values) == 0 {
		values = oldValues
	}
	name, err := pt.partName(values)
	if err != nil {
		return err
	}
	if name != oldName {
		other, err := t.partID(ctx, pt.ref.id, name)
		if err != nil {
			return err
		}
		if other != 0 {
			return catalog.PartitionExists(pt.ref.db, pt.ref.name, name)
		}
	}
	var oldSD sql.NullInt64
	var created int64
	if err := t.queryRow(ctx, `SELECT "SD_ID", "CREATE_TIME" FROM "PARTITIONS" WHERE "PART_ID" = ?`, id).Scan(&oldSD, &created); err != nil {
		return fmt.Errorf("alter partition %s: %w", oldName, err)
	}
	if p.CreateTime != 0 {
		created = p.CreateTime
	}
	sd, cols, cdID, err := pt.partSD(p, name)
	if err != nil {
		return err
	}
	if cdID == 0 && oldSD.Valid {
		// Keep sharing the partition's old column list if unchanged.
		old, oldCD, err := t.readSD(ctx, oldSD.Int64, pt.cache)
		if err != nil {
			return err
		}
		if sameCols(old.Cols, cols) {
			cdID = oldCD
		}
	}
	sdID, err := t.insertSD(ctx, sd, cols, cdID)
	if err != nil {
		return fmt.Errorf("alter partition %s: %w", oldName, err)
	}
	if _, err := t.exec(ctx, `UPDATE "PARTITIONS" SET "CREATE_TIME" = ?, "LAST_ACCESS_TIME" = ?, "PART_NAME" = ?, "SD_ID" = ?
		WHERE "PART_ID" = ?`, created, p.LastAccessTime, name, sdID, id); err != nil {
		return fmt.Errorf("alter partition %s: %w", oldName, err)
	}
	if oldSD.Valid {
		if err := t.deleteSD(ctx, oldSD.Int64); err != nil {
			return err
		}
	}
	if err := t.deleteRows(ctx, "PARTITION_KEY_VALS", "PART_ID", id); err != nil {
		return err
	}
	if err := t.writePartitionVals(ctx, id, values); err != nil {
		return err
	}
	return t.replaceParams(ctx, "PARTITION_PARAMS", "PART_ID", id, withDDLTime(p.Parameters, now))
}

// DropPartition implements catalog.Catalog.
func (s *Store) DropPartition(ctx context.Context, db, table string, values []string) error {
	return s.write(ctx, func(tx *txn) error {
		pt, err := tx.partTable(ctx, db, table)
		if err != nil {
			return err
		}
		name, err := pt.partName(values)
		if err != nil {
			return err
		}
		id, err := tx.partID(ctx, pt.ref.id, name)
		if err != nil {
			return err
		}
		if id == 0 {
			return catalog.PartitionNotFound(pt.ref.db, pt.ref.name, name)
		}
		return tx.dropPartitionID(ctx, id)
	})
}

func (t *txn) dropPartitionID(ctx context.Context, id int64) error {
	var sdID sql.NullInt64
	if err := t.queryRow(ctx, `SELECT "SD_ID" FROM "PARTITIONS" WHERE "PART_ID" = ?`, id).Scan(&sdID); err != nil {
		return fmt.Errorf("drop partition %d: %w", id, err)
	}
	for _, tbl := range []string{"PARTITION_KEY_VALS", "PARTITION_PARAMS", "PARTITIONS"} {
		if err := t.deleteRows(ctx, tbl, "PART_ID", id); err != nil {
			return err
		}
	}
	if sdID.Valid {
		return t.deleteSD(ctx, sdID.Int64)
	}
	return nil
}
