package translate

import (
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

func TestScratch(t *testing.T) {
	q := os.Getenv("SCRATCH_SQL")
	if q == "" {
		t.Skip()
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range strings.Split(q, ";;") {
		rows, err := db.Query(s)
		if err != nil {
			fmt.Println("ERR:", s, "->", err)
			continue
		}
		cols, _ := rows.Columns()
		fmt.Println("Q:", s, cols)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			fmt.Printf("  %#v\n", vals)
		}
		rows.Close()
	}
}
