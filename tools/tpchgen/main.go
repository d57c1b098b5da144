// Command tpchgen writes the TPC-H tables as dbgen does ('|'-delimited .tbl files, a trailing '|' per
// line), one directory per table: DIR/lineitem/lineitem.tbl, DIR/orders/orders.tbl, ...
//
//	cd tools/tpchgen && go run . -sf 1 -o /tmp/waggle-tpch/sf1
//
// It is its own module so that go-tpc stays out of Waggle's go.sum.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	sf := flag.Int("sf", 1, "scale factor (whole numbers only)")
	out := flag.String("o", "", "output directory")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "tpchgen: -o DIR is required")
		os.Exit(2)
	}
	start := time.Now()
	counts, err := Generate(*sf, *out, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tpchgen:", err)
		os.Exit(1)
	}
	for _, t := range Tables {
		fmt.Printf("%-9s %10d rows\n", t, counts[t])
	}
	fmt.Printf("done in %.1fs\n", time.Since(start).Seconds())
}
