// Command gentoy regenerates examples/seed/data/app_code/data/toy/: the toy Parquet files of the seed job's
// amazonreview table (3 files × 100 rows). Run from the repository root: go run ./examples/seed/gentoy
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/waggle-dev/waggle/examples/seed/toydata"
)

func main() {
	n, err := toydata.Write(context.Background(), "examples/seed/data/app_code/data/toy", 3, 100)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gentoy:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d rows\n", n)
}
