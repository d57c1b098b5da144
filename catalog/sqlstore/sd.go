package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/waggle-dev/waggle/catalog"
)

// normCols lower-cases column names and types as HMS stores them and rejects
// duplicates.
func normCols(cols []catalog.FieldSchema, what string) ([]catalog.FieldSchema, error) {
	out := make([]catalog.FieldSchema, len(cols))
	seen := make(map[string]bool, len(cols))
	for i, c := range cols {
		n := norm(c.Name)
		if n == "" {
			return nil, catalog.Errorf(catalog.ErrInvalidObject, "Invalid %s name: empty", what)
		}
		if seen[n] {
			return nil, catalog.Errorf(catalog.ErrInvalidObject, "Duplicate %s name: %s", what, n)
		}
		seen[n] = true
		out[i] = catalog.FieldSchema{Name: n, Type: strings.ToLower(strings.TrimSpace(c.Type)), Comment: c.Comment}
	}
	return out, nil
}

func sameCols(a, b []catalog.FieldSchema) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// insertCD stores a new column descriptor.
func (t *txn) insertCD(ctx context.Context, cols []catalog.FieldSchema) (int64, error) {
	cdID, err := t.nextIDs(ctx, seqCD, 1)
	if err != nil {
		return 0, err
	}
	if _, err := t.exec(ctx, `INSERT INTO "CDS" ("CD_ID") VALUES (?)`, cdID); err != nil {
		return 0, fmt.Errorf("insert CDS: %w", err)
	}
	for i, c := range cols {
		if _, err := t.exec(ctx, `INSERT INTO "COLUMNS_V2" ("CD_ID", "COMMENT", "COLUMN_NAME", "TYPE_NAME", "INTEGER_IDX")
			VALUES (?, ?, ?, ?, ?)`, cdID, nullStr(c.Comment), c.Name, c.Type, i); err != nil {
			return 0, fmt.Errorf("insert COLUMNS_V2: %w", err)
		}
	}
	return cdID, nil
}

// insertSD stores sd (columns already normalised). A non-zero cdID reuses
// that column descriptor (partitions share their table's, as in HMS).
func (t *txn) insertSD(ctx context.Context, sd *catalog.StorageDescriptor, cols []catalog.FieldSchema, cdID int64) (int64, error) {
	var err error
	if cdID == 0 {
		if cdID, err = t.insertCD(ctx, cols); err != nil {
			return 0, err
		}
	}
	serdeID, err := t.nextIDs(ctx, seqSerDe, 1)
	if err != nil {
		return 0, err
	}
	if _, err := t.exec(ctx, `INSERT INTO "SERDES" ("SERDE_ID", "NAME", "SLIB") VALUES (?, ?, ?)`,
		serdeID, nullStr(sd.SerDe.Name), nullStr(sd.SerDe.SerializationLib)); err != nil {
		return 0, fmt.Errorf("insert SERDES: %w", err)
	}
	if err := t.writeParams(ctx, "SERDE_PARAMS", "SERDE_ID", serdeID, sd.SerDe.Parameters); err != nil {
		return 0, err
	}
	sdID, err := t.nextIDs(ctx, seqSD, 1)
	if err != nil {
		return 0, err
	}
	if _, err := t.exec(ctx, `INSERT INTO "SDS" ("SD_ID", "CD_ID", "INPUT_FORMAT", "IS_COMPRESSED", "IS_STOREDASSUBDIRECTORIES",
		"LOCATION", "NUM_BUCKETS", "OUTPUT_FORMAT", "SERDE_ID") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sdID, cdID, nullStr(sd.InputFormat), t.d.boolArg(sd.Compressed), t.d.boolArg(sd.StoredAsSubDirectories),
		nullStr(sd.Location), sd.NumBuckets, nullStr(sd.OutputFormat), serdeID); err != nil {
		return 0, fmt.Errorf("insert SDS: %w", err)
	}
	if err := t.writeParams(ctx, "SD_PARAMS", "SD_ID", sdID, sd.Parameters); err != nil {
		return 0, err
	}
	for i, c := range sd.BucketCols {
		if _, err := t.exec(ctx, `INSERT INTO "BUCKETING_COLS" ("SD_ID", "BUCKET_COL_NAME", "INTEGER_IDX") VALUES (?, ?, ?)`,
			sdID, norm(c), i); err != nil {
			return 0, fmt.Errorf("insert BUCKETING_COLS: %w", err)
		}
	}
	for i, o := range sd.SortCols {
		if _, err := t.exec(ctx, `INSERT INTO "SORT_COLS" ("SD_ID", "COLUMN_NAME", "ORDER", "INTEGER_IDX") VALUES (?, ?, ?, ?)`,
			sdID, norm(o.Col), o.Order, i); err != nil {
			return 0, fmt.Errorf("insert SORT_COLS: %w", err)
		}
	}
	return sdID, nil
}

// readCols reads a column descriptor, memoised in cache (may be nil).
func (t *txn) readCols(ctx context.Context, cdID int64, cache map[int64][]catalog.FieldSchema) ([]catalog.FieldSchema, error) {
	if cols, ok := cache[cdID]; ok {
		return cols, nil
	}
	rows, err := t.query(ctx, `SELECT "COLUMN_NAME", "TYPE_NAME", "COMMENT" FROM "COLUMNS_V2" WHERE "CD_ID" = ? ORDER BY "INTEGER_IDX"`, cdID)
	if err != nil {
		return nil, fmt.Errorf("read COLUMNS_V2: %w", err)
	}
	defer rows.Close()
	var cols []catalog.FieldSchema
	for rows.Next() {
		var c catalog.FieldSchema
		var typ, comment sql.NullString
		if err := rows.Scan(&c.Name, &typ, &comment); err != nil {
			return nil, fmt.Errorf("read COLUMNS_V2: %w", err)
		}
		c.Type, c.Comment = typ.String, comment.String
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read COLUMNS_V2: %w", err)
	}
	if cache != nil {
		cache[cdID] = cols
	}
	return cols, nil
}

// readSD reads a storage descriptor and returns it with its CD_ID.
func (t *txn) readSD(ctx context.Context, sdID int64, cache map[int64][]catalog.FieldSchema) (*catalog.StorageDescriptor, int64, error) {
	var (
		sd                  catalog.StorageDescriptor
		cdID, serdeID       sql.NullInt64
		inFmt, outFmt, loc  sql.NullString
		compressed, subdirs any
		serdeName, serdeLib sql.NullString
	)
	err := t.queryRow(ctx, `SELECT "CD_ID", "INPUT_FORMAT", "IS_COMPRESSED", "IS_STOREDASSUBDIRECTORIES", "LOCATION",
		"NUM_BUCKETS", "OUTPUT_FORMAT", "SERDE_ID" FROM "SDS" WHERE "SD_ID" = ?`, sdID).
		Scan(&cdID, &inFmt, &compressed, &subdirs, &loc, &sd.NumBuckets, &outFmt, &serdeID)
	if err != nil {
		return nil, 0, fmt.Errorf("read SDS %d: %w", sdID, err)
	}
	sd.InputFormat, sd.OutputFormat, sd.Location = inFmt.String, outFmt.String, loc.String
	sd.Compressed, sd.StoredAsSubDirectories = toBool(compressed), toBool(subdirs)
	if cdID.Valid {
		if sd.Cols, err = t.readCols(ctx, cdID.Int64, cache); err != nil {
			return nil, 0, err
		}
	}
	if serdeID.Valid {
		err := t.queryRow(ctx, `SELECT "NAME", "SLIB" FROM "SERDES" WHERE "SERDE_ID" = ?`, serdeID.Int64).Scan(&serdeName, &serdeLib)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, 0, fmt.Errorf("read SERDES: %w", err)
		}
		sd.SerDe.Name, sd.SerDe.SerializationLib = serdeName.String, serdeLib.String
		if sd.SerDe.Parameters, err = t.readParams(ctx, "SERDE_PARAMS", "SERDE_ID", serdeID.Int64); err != nil {
			return nil, 0, err
		}
	} else {
		sd.SerDe.Parameters = map[string]string{}
	}
	if sd.Parameters, err = t.readParams(ctx, "SD_PARAMS", "SD_ID", sdID); err != nil {
		return nil, 0, err
	}
	rows, err := t.query(ctx, `SELECT "BUCKET_COL_NAME" FROM "BUCKETING_COLS" WHERE "SD_ID" = ? ORDER BY "INTEGER_IDX"`, sdID)
	if err != nil {
		return nil, 0, fmt.Errorf("read BUCKETING_COLS: %w", err)
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("read BUCKETING_COLS: %w", err)
		}
		sd.BucketCols = append(sd.BucketCols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read BUCKETING_COLS: %w", err)
	}
	rows, err = t.query(ctx, `SELECT "COLUMN_NAME", "ORDER" FROM "SORT_COLS" WHERE "SD_ID" = ? ORDER BY "INTEGER_IDX"`, sdID)
	if err != nil {
		return nil, 0, fmt.Errorf("read SORT_COLS: %w", err)
	}
	for rows.Next() {
		var o catalog.Order
		if err := rows.Scan(&o.Col, &o.Order); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("read SORT_COLS: %w", err)
		}
		sd.SortCols = append(sd.SortCols, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read SORT_COLS: %w", err)
	}
	return &sd, cdID.Int64, nil
}

// deleteSD deletes a storage descriptor, its serde and children, and its
// column descriptor once no other SD uses it. The referencing TBLS or
// PARTITIONS row must already be gone or repointed.
func (t *txn) deleteSD(ctx context.Context, sdID int64) error {
	var cdID, serdeID sql.NullInt64
	err := t.queryRow(ctx, `SELECT "CD_ID", "SERDE_ID" FROM "SDS" WHERE "SD_ID" = ?`, sdID).Scan(&cdID, &serdeID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("delete SDS %d: %w", sdID, err)
	}
	for _, tc := range [][2]string{{"SD_PARAMS", "SD_ID"}, {"BUCKETING_COLS", "SD_ID"}, {"SORT_COLS", "SD_ID"},
		{"SKEWED_COL_NAMES", "SD_ID"}, {"SKEWED_VALUES", "SD_ID_OID"}, {"SKEWED_COL_VALUE_LOC_MAP", "SD_ID"}, {"SDS", "SD_ID"}} {
		if err := t.deleteRows(ctx, tc[0], tc[1], sdID); err != nil {
			return err
		}
	}
	if serdeID.Valid {
		if err := t.deleteRows(ctx, "SERDE_PARAMS", "SERDE_ID", serdeID.Int64); err != nil {
			return err
		}
		if err := t.deleteRows(ctx, "SERDES", "SERDE_ID", serdeID.Int64); err != nil {
			return err
		}
	}
	if cdID.Valid {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM "SDS" WHERE "CD_ID" = ?`, cdID.Int64).Scan(&n); err != nil {
			return fmt.Errorf("count SDS of CD %d: %w", cdID.Int64, err)
		}
		if n == 0 {
			if err := t.deleteRows(ctx, "COLUMNS_V2", "CD_ID", cdID.Int64); err != nil {
				return err
			}
			if err := t.deleteRows(ctx, "CDS", "CD_ID", cdID.Int64); err != nil {
				return err
			}
		}
	}
	return nil
}
