package tableformat

import (
	"crypto/md5"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// TestParquetPlanOtherWriter runs ParquetPlan on a file written by another writer (Apache Arrow's Go
// Parquet writer, a parquet-cpp port) with what Spark/parquet-mr files also carry and DuckDB's writer
// does not: page indexes, several data pages per chunk, Snappy compression, data page v2, and bloom
// filters written after the row groups.
func TestParquetPlanOtherWriter(t *testing.T) {
	const n = 30000
	mem := memory.NewGoAllocator()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "Key", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "x", Type: arrow.PrimitiveTypes.Float64},
		{Name: "pad", Type: arrow.BinaryTypes.String},
		{Name: "tags", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	tags := b.Field(4).(*array.ListBuilder)
	for i := range n {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		if i%9 == 0 {
			b.Field(1).(*array.StringBuilder).AppendNull()
		} else {
			b.Field(1).(*array.StringBuilder).Append("k" + strconv.Itoa(i%30))
		}
		b.Field(2).(*array.Float64Builder).Append(float64(i) / 4)
		sum := md5.Sum([]byte(strconv.Itoa(i)))
		h := hex.EncodeToString(sum[:])
		b.Field(3).(*array.StringBuilder).Append(h + h + h)
		tags.Append(true)
		tags.ValueBuilder().(*array.Int32Builder).AppendValues([]int32{int32(i % 4), int32(i % 6)}, nil)
	}
	rec := b.NewRecord()
	defer rec.Release()
	src := filepath.Join(t.TempDir(), "part-00000-arrow.snappy.parquet")
	f, err := os.Create(src)
	if err != nil {
		t.Fatal(err)
	}
	props := parquet.NewWriterProperties(
		parquet.WithMaxRowGroupLength(7000),
		parquet.WithDataPageSize(8<<10),
		parquet.WithDataPageVersion(parquet.DataPageV2),
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithPageIndexEnabled(true),
		parquet.WithBloomFilterEnabledFor("Key", true),
		parquet.WithBloomFilterEnabledFor("id", true),
		parquet.WithMaxBloomFilterBytes(32<<10),
	)
	w, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fi, _ := os.Stat(src)
	tests := []struct {
		columns []string
		query   string
	}{
		{[]string{}, "SELECT count(*) FROM read_parquet('%s')"},
		{[]string{"x"}, "SELECT sum(x), max(x) FROM read_parquet('%s')"},
		{[]string{"key"}, "SELECT \"Key\", count(*) FROM read_parquet('%s') GROUP BY 1 ORDER BY 1"},
		{[]string{"id", "key"}, "SELECT id FROM read_parquet('%s') WHERE \"Key\" = 'k7' AND id > 20000 ORDER BY id LIMIT 5"},
		{[]string{"id"}, "SELECT count(*) FROM read_parquet('%s') WHERE id = 12345"},
		{[]string{"tags", "x"}, "SELECT sum(tags[1] + tags[2]), count(*) FILTER (WHERE x > 100) FROM read_parquet('%s')"},
	}
	for _, tc := range tests {
		part, copied, whole := partialCopy(t, src, tc.columns)
		if whole {
			t.Errorf("%v: whole file asked", tc.columns)
			continue
		}
		want := queryRows(t, db, fmt.Sprintf(tc.query, src))
		got := queryRows(t, db, fmt.Sprintf(tc.query, part))
		if got != want {
			t.Errorf("%v: partial file gives\n%s\nwhole file gives\n%s", tc.columns, got, want)
		}
		t.Logf("%v: %d of %d bytes", tc.columns, copied, fi.Size())
		if tc.columns != nil && len(tc.columns) <= 1 && copied > fi.Size()/2 {
			t.Errorf("%v: copied %d of %d bytes", tc.columns, copied, fi.Size())
		}
	}
}
