// Package toydata writes the toy Parquet files behind the seed job's `amazonreview` external table: the
// table's 15 columns (marketplace … year), deterministic rows, several files directly in one directory, as
// the seed's README describes (the original data set is not public any more). Tests and the example use it.
package toydata

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "github.com/duckdb/duckdb-go/v2" // DuckDB writes the Parquet files
)

// Write writes files Parquet files of rowsPerFile rows each into dir (created if missing) and returns the
// number of rows written. Column names are lower case with the table's types (star_rating INT, review_date
// DATE, ...).
func Write(ctx context.Context, dir string, files, rowsPerFile int) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	for f := 0; f < files; f++ {
		path := filepath.Join(dir, fmt.Sprintf("part-%05d.snappy.parquet", f))
		q := fmt.Sprintf(`COPY (
  SELECT 'US' AS marketplace,
         CAST(10000000 + i AS VARCHAR) AS customer_id,
         'R' || LPAD(CAST(i AS VARCHAR), 12, '0') AS review_id,
         'B' || LPAD(CAST(i %% 97 AS VARCHAR), 9, '0') AS product_id,
         CAST(500000 + i %% 1000 AS VARCHAR) AS product_parent,
         'Toy product ' || CAST(i %% 97 AS VARCHAR) AS product_title,
         CAST(1 + i %% 5 AS INTEGER) AS star_rating,
         CAST(i %% 7 AS INTEGER) AS helpful_votes,
         CAST(i %% 11 AS INTEGER) AS total_votes,
         CASE WHEN i %% 10 = 0 THEN 'Y' ELSE 'N' END AS vine,
         CASE WHEN i %% 3 = 0 THEN 'N' ELSE 'Y' END AS verified_purchase,
         'Headline ' || CAST(i AS VARCHAR) AS review_headline,
         'Review body number ' || CAST(i AS VARCHAR) AS review_body,
         DATE '2015-01-01' + CAST(i %% 365 AS INTEGER) AS review_date,
         CAST(2015 AS INTEGER) AS year
  FROM range(%d, %d) AS t(i)
) TO '%s' (FORMAT parquet)`, f*rowsPerFile, (f+1)*rowsPerFile, path)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("write %s: %w", path, err)
		}
	}
	return files * rowsPerFile, nil
}
