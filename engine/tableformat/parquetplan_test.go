package tableformat

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// partialCopy plays the object store's side of a partial fetch: it asks ParquetPlan, copies the asked
// ranges of src into a sparse file of the same size, and asks again until the plan is settled. It
// returns the partial file, the bytes copied and whether the plan asked for the whole file.
func partialCopy(t *testing.T, src string, columns []string) (string, int64, bool) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(data))
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	var have []ByteRange
	var copied int64
	for round := 0; ; round++ {
		if round > 5 {
			t.Fatal("plan does not settle")
		}
		need, whole, err := ParquetPlan(dst, size, have, columns)
		if err != nil {
			t.Fatal(err)
		}
		if whole {
			return src, size, true
		}
		progress := false
		for _, r := range need {
			if covered(have, r) {
				continue
			}
			if _, err := f.WriteAt(data[r.Off:r.end()], r.Off); err != nil {
				t.Fatal(err)
			}
			copied += r.Len
			have = mergeRanges(append(have, r))
			progress = true
		}
		if !progress {
			return dst, copied, false
		}
	}
}

func mergeRanges(rs []ByteRange) []ByteRange {
	sort.Slice(rs, func(i, j int) bool { return rs[i].Off < rs[j].Off })
	var out []ByteRange
	for _, r := range rs {
		if n := len(out); n > 0 && r.Off <= out[n-1].end() {
			if r.end() > out[n-1].end() {
				out[n-1].Len = r.end() - out[n-1].Off
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

func queryRows(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return b.String()
}

// TestParquetPlan: a scan of some columns of a file that holds only the bytes ParquetPlan asked for
// gives the same rows as a scan of the whole file, and far fewer bytes were copied.
func TestParquetPlan(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := filepath.Join(t.TempDir(), "part-00000.parquet")
	// 6 row groups; dictionary-encoded strings (with bloom filters), plain doubles, nested columns, NULLs,
	// and a column whose name differs in case from the table's.
	_, err = db.Exec(fmt.Sprintf(`COPY (SELECT r AS id, CASE WHEN r %% 7 = 0 THEN NULL ELSE 'k' || (r %% 50) END AS "Key",
		r * 1.5 AS x, md5(r::VARCHAR) AS pad, {'a': r, 'b': [r, r + 1]} AS st, map([r %% 3], ['v' || r]) AS m
		FROM range(60000) t(r)) TO '%s' (FORMAT parquet, ROW_GROUP_SIZE 10000)`, src))
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(src)
	tests := []struct {
		columns []string
		query   string // over %s, the file
		maxCopy float64
	}{
		{[]string{}, "SELECT count(*) FROM read_parquet('%s')", 0.05},
		{[]string{"x"}, "SELECT sum(x), min(x) FROM read_parquet('%s')", 0.3},
		{[]string{"key", "id"}, "SELECT \"Key\", count(*), max(id) FROM read_parquet('%s') GROUP BY 1 ORDER BY 1", 0.5},
		{[]string{"key"}, "SELECT count(*) FROM read_parquet('%s') WHERE \"Key\" = 'k7'", 0.3},
		{[]string{"st", "m"}, "SELECT sum(st.a), sum(len(st.b)), count(m[1]) FROM read_parquet('%s')", 0.6},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.columns, ","), func(t *testing.T) {
			part, copied, whole := partialCopy(t, src, tc.columns)
			if whole {
				t.Fatalf("whole file asked for columns %v", tc.columns)
			}
			if share := float64(copied) / float64(fi.Size()); share > tc.maxCopy {
				t.Errorf("copied %d of %d bytes (%.2f), want at most %.2f", copied, fi.Size(), share, tc.maxCopy)
			}
			want := queryRows(t, db, fmt.Sprintf(tc.query, src))
			got := queryRows(t, db, fmt.Sprintf(tc.query, part))
			if got != want {
				t.Errorf("partial file gives\n%s\nwhole file gives\n%s", got, want)
			}
		})
	}
	// Most of the file, or all columns: whole.
	if _, _, whole := partialCopy(t, src, nil); !whole {
		t.Error("columns nil: want whole")
	}
	if _, _, whole := partialCopy(t, src, []string{"id", "key", "x", "pad", "st", "m"}); !whole {
		t.Error("every column: want whole")
	}
	// Not Parquet: whole (DuckDB then reports the real error).
	bad := filepath.Join(t.TempDir(), "bad.parquet")
	os.WriteFile(bad, []byte(strings.Repeat("not parquet at all ", 100)), 0o644)
	if _, _, whole := partialCopy(t, bad, []string{"x"}); !whole {
		t.Error("not Parquet: want whole")
	}
}

// FuzzParquetChunks: the footer decoder never panics or hangs on damaged footers (files in object stores
// are not trusted); the seed corpus is real footers.
func FuzzParquetChunks(f *testing.F) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	src := filepath.Join(f.TempDir(), "seed.parquet")
	if _, err := db.Exec(fmt.Sprintf(`COPY (SELECT r AS id, 'k' || r AS k, {'a': r, 'b': [r]} AS st FROM range(3000) t(r))
		TO '%s' (FORMAT parquet, ROW_GROUP_SIZE 1000)`, src)); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		f.Fatal(err)
	}
	n := int(binary.LittleEndian.Uint32(data[len(data)-8:]))
	footer := data[len(data)-8-n : len(data)-8]
	f.Add(footer)
	f.Add(footer[:len(footer)/2])
	f.Add([]byte{0x19, 0x4c, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		chunks, err := parquetChunks(b)
		if err == nil {
			for _, c := range chunks {
				for _, r := range c.ranges {
					if r.Len == 0 {
						t.Fatalf("empty range in %+v", c)
					}
				}
			}
		}
	})
}
