package main

import (
	"fmt"
	"strings"
)

// column of a TPC-H table: the Hive type in the DDL and the DuckDB type the hand-written side reads
// the .tbl files as (the same types: DECIMAL(15,2) money, DATE dates, INT keys, strings).
type column struct{ name, hive string }

func (c column) duck() string {
	switch c.hive {
	case "int":
		return "INTEGER"
	case "string":
		return "VARCHAR"
	case "date":
		return "DATE"
	}
	return strings.ToUpper(c.hive)
}

type table struct {
	name string
	cols []column
}

func cols(spec string) []column {
	var out []column
	for _, f := range strings.Split(spec, ", ") {
		nt := strings.Fields(f)
		out = append(out, column{nt[0], nt[1]})
	}
	return out
}

var tables = []table{
	{"nation", cols("n_nationkey int, n_name string, n_regionkey int, n_comment string")},
	{"region", cols("r_regionkey int, r_name string, r_comment string")},
	{"part", cols("p_partkey int, p_name string, p_mfgr string, p_brand string, p_type string, p_size int, " +
		"p_container string, p_retailprice decimal(15,2), p_comment string")},
	{"supplier", cols("s_suppkey int, s_name string, s_address string, s_nationkey int, s_phone string, " +
		"s_acctbal decimal(15,2), s_comment string")},
	{"partsupp", cols("ps_partkey int, ps_suppkey int, ps_availqty int, ps_supplycost decimal(15,2), ps_comment string")},
	{"customer", cols("c_custkey int, c_name string, c_address string, c_nationkey int, c_phone string, " +
		"c_acctbal decimal(15,2), c_mktsegment string, c_comment string")},
	{"orders", cols("o_orderkey int, o_custkey int, o_orderstatus string, o_totalprice decimal(15,2), " +
		"o_orderdate date, o_orderpriority string, o_clerk string, o_shippriority int, o_comment string")},
	{"lineitem", cols("l_orderkey int, l_partkey int, l_suppkey int, l_linenumber int, l_quantity decimal(15,2), " +
		"l_extendedprice decimal(15,2), l_discount decimal(15,2), l_tax decimal(15,2), l_returnflag string, " +
		"l_linestatus string, l_shipdate date, l_commitdate date, l_receiptdate date, l_shipinstruct string, " +
		"l_shipmode string, l_comment string")},
}

// hiveSetup is the HiveQL that declares the external TEXTFILE tables over dataDir/<table>/ in database
// tpch_text and makes Parquet copies of them with CTAS in tpch_parquet.
func hiveSetup(dataDir string, parquet bool) string {
	var b strings.Builder
	b.WriteString("CREATE DATABASE IF NOT EXISTS tpch_text;\n")
	for _, t := range tables {
		fmt.Fprintf(&b, "DROP TABLE IF EXISTS tpch_text.%s;\n", t.name)
		fmt.Fprintf(&b, "CREATE EXTERNAL TABLE tpch_text.%s (", t.name)
		for i, c := range t.cols {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %s", c.name, c.hive)
		}
		fmt.Fprintf(&b, ")\nROW FORMAT DELIMITED FIELDS TERMINATED BY '|' STORED AS TEXTFILE LOCATION '%s/%s';\n", dataDir, t.name)
	}
	if parquet {
		b.WriteString("DROP DATABASE IF EXISTS tpch_parquet CASCADE;\nCREATE DATABASE tpch_parquet;\n")
		for _, t := range tables {
			fmt.Fprintf(&b, "CREATE TABLE tpch_parquet.%s STORED AS PARQUET AS SELECT * FROM tpch_text.%s;\n", t.name, t.name)
		}
	}
	return b.String()
}

// duckCSV is the hand-written DuckDB read of a .tbl file: dbgen ends each line with '|', so the reader
// declares one more (ignored) column.
func duckCSV(t table, file string) string {
	var decl, sel []string
	for _, c := range t.cols {
		decl = append(decl, fmt.Sprintf("'%s': '%s'", c.name, c.duck()))
		sel = append(sel, c.name)
	}
	decl = append(decl, "'_end': 'VARCHAR'")
	return fmt.Sprintf("SELECT %s FROM read_csv('%s', delim='|', header=false, quote='', escape='', auto_detect=false, columns={%s})",
		strings.Join(sel, ", "), file, strings.Join(decl, ", "))
}
