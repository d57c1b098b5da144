package tableformat

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/waggle-dev/waggle/duckdbsql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/waggle-dev/waggle/hiveql/types"
)

const qtestData = "/work/shared/conformance/hive-qtests/data/"

func newConn(t *testing.T) *sql.Conn {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := RegisterFunctions(context.Background(), conn); err != nil {
		t.Fatal(err)
	}
	return conn
}

func cols(t *testing.T, decl string) []Column {
	t.Helper()
	var out []Column
	for _, part := range splitTop(decl) {
		name, typ, _ := strings.Cut(strings.TrimSpace(part), " ")
		ty, err := types.Parse(typ)
		if err != nil {
			t.Fatalf("%s: %v", part, err)
		}
		out = append(out, Column{Name: name, Type: ty})
	}
	return out
}

// splitTop splits "a int, b map<string,int>" on commas outside <...>.
func splitTop(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '<', '(':
			depth++
		case '>', ')':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// query runs q and returns the rows as text: NULL as "NULL", lists/maps/structs formatted by DuckDB's
// VARCHAR cast.
func query(t *testing.T, conn *sql.Conn, q string) [][]string {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("%v\nSQL: %s", err, q)
	}
	defer rows.Close()
	cs, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cs))
		ptrs := make([]any, len(cs))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cs))
		for i, v := range vals {
			row[i] = "NULL"
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%v\nSQL: %s", err, q)
	}
	return out
}

// readRows reads the table and returns every column cast to VARCHAR.
func readRows(t *testing.T, conn *sql.Conn, spec Spec, files []string) [][]string {
	t.Helper()
	q, err := ReadSQL(context.Background(), conn, spec, files)
	if err != nil {
		t.Fatal(err)
	}
	items := make([]string, len(spec.Columns))
	for i, c := range spec.Columns {
		items[i] = fmt.Sprintf("CAST(t.%s AS VARCHAR)", duckdbsql.Ident(colName(c)))
	}
	return query(t, conn, "SELECT "+strings.Join(items, ", ")+" FROM ("+q+") AS t")
}

func rowsOf(lines ...string) [][]string {
	out := [][]string{}
	for _, l := range lines {
		out = append(out, strings.Split(l, "|"))
	}
	return out
}

func checkRows(t *testing.T, got, want [][]string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows differ\n got: %q\nwant: %q", got, want)
	}
}

func TestKv1ReadsAsHiveSrc(t *testing.T) {
	conn := newConn(t)
	spec := Spec{Format: Text, Columns: cols(t, "key int, value string")}
	q, err := ReadSQL(context.Background(), conn, spec, []string{"/work/shared/seed/kv1.txt"})
	if err != nil {
		t.Fatal(err)
	}
	got := query(t, conn, "SELECT count(*), CAST(sum(key) AS VARCHAR), count(*) FILTER (WHERE key = 238 AND value = 'val_238') FROM ("+q+") AS t")
	checkRows(t, got, rowsOf("500|130091|2"))
	first := query(t, conn, "SELECT key, value FROM ("+q+") AS t LIMIT 3")
	checkRows(t, first, rowsOf("238|val_238", "86|val_86", "311|val_311"))
	typ := query(t, conn, "SELECT typeof(key), typeof(value) FROM ("+q+") AS t LIMIT 1")
	checkRows(t, typ, rowsOf("INTEGER|VARCHAR"))
}

func TestQtestDataFiles(t *testing.T) {
	conn := newConn(t)
	cbo := Spec{Format: Text, Columns: cols(t, "key string, value string, c_int int, c_float float, c_boolean boolean"),
		SerDeParams: map[string]string{"field.delim": ","}}
	got := readRows(t, conn, cbo, []string{qtestData + "cbo_t1.txt"})
	if len(got) != 20 {
		t.Fatalf("cbo_t1: %d rows, want 20", len(got))
	}
	checkRows(t, [][]string{got[0], got[10], got[12], got[14], got[16], got[18]}, rowsOf(
		"1|1|1|1.0|true",
		" 1| 1|1|1.0|true", // spaces in strings are kept
		" 1 | 1 |1|1.0|true",
		"1 |1 |1|1.0|true",
		"1|1|1|1.0|false",
		"NULL|NULL|NULL|NULL|NULL", // \N is NULL for every type
	))

	kv3 := Spec{Format: Text, Columns: cols(t, "key string, value string")}
	got = readRows(t, conn, kv3, []string{qtestData + "kv3.txt"})
	checkRows(t, got[:4], rowsOf("238|val_238", "|", "311|val_311", "|val_27")) // empty fields are ''
	kv3int := Spec{Format: Text, Columns: cols(t, "key int, value string")}
	got = readRows(t, conn, kv3int, []string{qtestData + "kv3.txt"})
	checkRows(t, got[:2], rowsOf("238|val_238", "NULL|")) // empty int field is NULL
}

func TestTextFieldRules(t *testing.T) {
	tests := []struct {
		name    string
		cols    string
		params  map[string]string
		tparams map[string]string
		data    string
		want    [][]string
	}{
		{"missing trailing fields are NULL, extra fields ignored", "a string, b string, c int", nil, nil,
			"x\x01y\x013\x01extra\x01more\nonly\n\x01\n", rowsOf("x|y|3", "only|NULL|NULL", "||NULL")},
		{"last line without newline is read", "a string, b int", nil, nil,
			"a\x011\nb\x012", rowsOf("a|1", "b|2")},
		{"integers parse like Java: no spaces, no exponent, fraction truncated", "a int, b bigint, c tinyint, d smallint", nil, nil,
			" 1\x011e2\x01300\x01-5\n1.9\x01+7\x010x1\x0132768\nnull\x01\x01-128\x011_000\n007\x01-0\x01+0\x01-0012\n",
			rowsOf("NULL|NULL|NULL|-5", "1|7|NULL|NULL", "NULL|NULL|-128|NULL", "7|0|0|-12")},
		{"booleans are case-insensitive true/false, anything else NULL", "a boolean, b boolean, c boolean", nil, nil,
			"TRUE\x01False\x011\nyes\x01true\x01\n", rowsOf("true|false|NULL", "NULL|true|NULL")},
		{"dates, timestamps, decimals, doubles", "d date, ts timestamp, n decimal(5,2), x double, f float", nil, nil,
			"2020-01-05\x012020-01-05 10:11:12.5\x011.235\x011.5e3\x010.1\nbad\x012020-01-05\x0112345.6\x01x\x01\n",
			rowsOf("2020-01-05|2020-01-05 10:11:12.5|1.24|1500.0|0.1", "NULL|2020-01-05 00:00:00|NULL|NULL|NULL")},
		{"field.delim and custom NULL format", "a string, b int", map[string]string{"field.delim": "|", "serialization.null.format": "NA"}, nil,
			"NA|NA\n\\N|\n", rowsOf("NULL|NULL", `\N|NULL`)},
		{"serialization.format=9 means tab (LazyUtils.getByte)", "a string, b string", map[string]string{"serialization.format": "9"}, nil,
			"x\ty\n", rowsOf("x|y")},
		{"header lines are skipped per file", "a string", nil, map[string]string{"skip.header.line.count": "1"},
			"head\nr1\nr2\n", rowsOf("r1", "r2")},
		{"footer lines are skipped", "a string", nil, map[string]string{"skip.header.line.count": "1", "skip.footer.line.count": "2"},
			"head\nr1\nr2\nf1\nf2\n", rowsOf("r1", "r2")},
		{"carriage return is data, not a line break", "a string, b string", nil, nil,
			"a\rb\x01c\r\nd\x01e\n", rowsOf("a\rb|c\r", "d|e")},
		{"empty lines are rows", "a string, b int", nil, nil,
			"x\x011\n\n\ny\x012\n", rowsOf("x|1", "|NULL", "|NULL", "y|2")},
		{"last.column.takes.rest keeps the delimiters", "a string, b string", map[string]string{"field.delim": ",", "serialization.last.column.takes.rest": "true"}, nil,
			"a,b,c,d\nx\n", rowsOf("a|b,c,d", "x|NULL")},
		{"ESCAPED BY unescapes separators and the escape", "a string, b string, c array<string>",
			map[string]string{"field.delim": ",", "escape.delim": "\\", "colelction.delim": ":"}, nil,
			`a\,b,c\\,x\:y:z` + "\n" + `\N,q\x,` + "\n", rowsOf(`a,b|c\|['x:y', z]`, `NULL|qx|[]`)},
		{"complex types split by nesting levels", "a array<int>, m map<string,int>, s struct<x:int,y:string>, n array<map<string,array<int>>>", nil, nil,
			"1\x022\x02\\N\x02x\x01k1\x031\x02k2\x03\x02\x03\\N\x02k1\x039\x02\\N\x035\x013\x02hi\x01a\x041\x052\x03b\x04\x02\\N\n\x01\x01\x01\n",
			rowsOf("[1, 2, NULL, NULL]|{k1=1, k2=NULL, ''=NULL}|{'x': 3, 'y': hi}|[{a=[1, 2], b=[]}, NULL]", "[]|{}|{'x': NULL, 'y': NULL}|[]")},
		{"binary is base64-decoded when valid", "b binary", nil, nil,
			"aGVsbG8=\naGVsbG8\nnot base64!\n", rowsOf("hello", "hello", "not base64!")},
		{"char pads and varchar truncates", "c char(4), v varchar(2)", nil, nil,
			"ab\x01abc\n", rowsOf("ab  |ab")},
	}
	conn := newConn(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := writeFile(t, "000000_0", tc.data)
			spec := Spec{Format: Text, Columns: cols(t, tc.cols), SerDeParams: tc.params, TableParams: tc.tparams}
			checkRows(t, readRows(t, conn, spec, []string{f}), tc.want)
		})
	}
}

func TestTextFilesInGivenOrder(t *testing.T) {
	conn := newConn(t)
	dir := t.TempDir()
	var files []string
	contents := []string{"1\n2\n", "", "3\n\n", "4\r\n5\n", "6\n"} // fast, empty, lines, exact, fast
	for i, c := range contents {
		p := filepath.Join(dir, fmt.Sprintf("f%d", 9-i))
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	spec := Spec{Format: Text, Columns: cols(t, "a int")}
	checkRows(t, readRows(t, conn, spec, files), rowsOf("1", "2", "3", "NULL", "NULL", "5", "6")) // "4\r" is not an int for Hive either
	checkRows(t, readRows(t, conn, Spec{Format: Text, Columns: cols(t, "a string")}, files[3:4]), rowsOf("4\r", "5"))
}

func TestEmptyFileListHasColumnsAndNoRows(t *testing.T) {
	conn := newConn(t)
	for _, f := range []Format{Text, Parquet, JSON, CSV} {
		spec := Spec{Format: f, Columns: cols(t, "a int, b map<string,array<int>>")}
		q, err := ReadSQL(context.Background(), conn, spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := query(t, conn, "DESCRIBE "+q)
		wantA, wantB := "INTEGER", "MAP(VARCHAR, INTEGER[])"
		if f == CSV {
			wantA, wantB = "VARCHAR", "VARCHAR"
		}
		if len(got) != 2 || got[0][0] != "a" || got[0][1] != wantA || got[1][1] != wantB {
			t.Errorf("%v: %q", f, got)
		}
		if n := query(t, conn, "SELECT count(*) FROM ("+q+") AS t"); n[0][0] != "0" {
			t.Errorf("%v: %s rows", f, n[0][0])
		}
	}
}

func TestParquetColumnsMatchByNameCaseInsensitively(t *testing.T) {
	conn := newConn(t)
	dir := t.TempDir()
	p1, p2 := filepath.Join(dir, "p1.parquet"), filepath.Join(dir, "p2.parquet")
	query(t, conn, fmt.Sprintf(`COPY (SELECT 1::BIGINT AS "Key", 'x' AS "VaLue") TO '%s' (FORMAT parquet)`, p1))
	query(t, conn, fmt.Sprintf(`COPY (SELECT 'y' AS value, 2 AS KEY) TO '%s' (FORMAT parquet)`, p2))
	spec := Spec{Format: Parquet, Columns: cols(t, "key int, value string, added date")}
	checkRows(t, readRows(t, conn, spec, []string{p2, p1}), rowsOf("2|y|NULL", "1|x|NULL"))
	q, err := ReadSQL(context.Background(), conn, spec, []string{p1})
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, query(t, conn, "SELECT typeof(key), typeof(added) FROM ("+q+") AS t"), rowsOf("INTEGER|DATE"))
}

func TestJSONLines(t *testing.T) {
	conn := newConn(t)
	f := writeFile(t, "j", `{"Name": "a", "n": 1, "tags": ["x"], "ts": "2020-01-01 10:00:00"}`+"\n"+
		`{"name": "b", "N": "oops", "extra": true}`+"\n"+`{"name": null, "n": 3}`+"\n")
	spec := Spec{Format: JSON, Columns: cols(t, "name string, n int, tags array<string>, ts timestamp")}
	checkRows(t, readRows(t, conn, spec, []string{f}), rowsOf(
		"a|1|[x]|2020-01-01 10:00:00", "b|NULL|NULL|NULL", "NULL|3|NULL|NULL"))
	got := readRows(t, conn, Spec{Format: JSON, Columns: cols(t, "owner string, email string")}, []string{qtestData + "json.txt"})
	checkRows(t, got, rowsOf("amy|amy@only_for_json_udf_test.net"))
}

func TestOpenCSVReadsStringsWithQuotes(t *testing.T) {
	conn := newConn(t)
	f := writeFile(t, "c.csv", "h1,h2,h3\n\"a,b\",\"say \\\"hi\\\"\",3\n,\"\",x\nonly\n")
	spec := Spec{Format: CSV, Columns: cols(t, "a string, b string, c int"), TableParams: map[string]string{"skip.header.line.count": "1"}}
	checkRows(t, readRows(t, conn, spec, []string{f}), rowsOf(`a,b|say "hi"|3`, "||x", "only|NULL|NULL"))
	semi := Spec{Format: CSV, Columns: cols(t, "a string, b string"), SerDeParams: map[string]string{"separatorChar": ";", "quoteChar": "'"}}
	f2 := writeFile(t, "d.csv", "'x;y';z\n")
	checkRows(t, readRows(t, conn, semi, []string{f2}), rowsOf("x;y|z"))
}

func TestSpecFromMapsHiveClasses(t *testing.T) {
	tests := []struct {
		serde, input string
		want         Format
		wantErr      string
	}{
		{LazySimpleSerDe, TextInputFormat, Text, ""},
		{"", "", Text, ""},
		{ParquetHiveSerDe, ParquetInputFormat, Parquet, ""},
		{"", ParquetInputFormat, Parquet, ""},
		{OpenCSVSerde, TextInputFormat, CSV, ""},
		{HCatalogJSONSerDe, TextInputFormat, JSON, ""},
		{OpenXJSONSerDe, TextInputFormat, JSON, ""},
		{HiveJSONSerDe, TextInputFormat, JSON, ""},
		{OrcSerde, OrcInputFormat, ORC, "table format ORC is not supported yet"},
		{AvroSerDe, AvroInputFormat, Avro, "table format AVRO is not supported yet"},
		{LazySimpleSerDe, SequenceFileInputFormat, SequenceFile, "table format SEQUENCEFILE is not supported yet"},
		{LazyBinaryColumnarSerDe, RCFileInputFormat, RCFile, "table format RCFILE is not supported yet"},
		{"org.apache.hadoop.hive.serde2.RegexSerDe", TextInputFormat, Other, "table format org.apache.hadoop.hive.serde2.RegexSerDe is not supported yet"},
	}
	for _, tc := range tests {
		spec, err := SpecFrom(tc.serde, tc.input, nil, nil, nil)
		if spec.Format != tc.want {
			t.Errorf("%s/%s: format %v, want %v", tc.serde, tc.input, spec.Format, tc.want)
		}
		if (err == nil) != (tc.wantErr == "") || err != nil && err.Error() != tc.wantErr {
			t.Errorf("%s: error %v, want %q", tc.serde, err, tc.wantErr)
		}
	}
	_, err := SpecFrom(OrcSerde, OrcInputFormat, nil, nil, nil)
	var ue *UnsupportedFormatError
	if !errors.As(err, &ue) {
		t.Fatalf("not an UnsupportedFormatError: %v", err)
	}
	ue.Table = "db.t"
	if got := err.Error(); got != "table format ORC is not supported yet (table db.t)" {
		t.Errorf("got %q", got)
	}
}

func TestStorageForRoundTripsThroughSpecFrom(t *testing.T) {
	want := map[string]Format{"TEXTFILE": Text, "parquet": Parquet, "ORC": ORC, "AVRO": Avro, "SEQUENCEFILE": SequenceFile,
		"RCFILE": RCFile, "JSONFILE": JSON, "hive": Text, "csv": CSV, "json": JSON, "text": Text}
	for name, f := range want {
		serde, in, out, ok := StorageFor(name)
		if !ok || out == "" {
			t.Errorf("%s: not ok", name)
			continue
		}
		if got := formatOf(serde, in); got != f {
			t.Errorf("%s: %v, want %v", name, got, f)
		}
	}
	if s, in, out, _ := StorageFor("textfile"); s != "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe" ||
		in != "org.apache.hadoop.mapred.TextInputFormat" || out != "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat" {
		t.Errorf("TEXTFILE classes: %s %s %s", s, in, out)
	}
	if _, _, _, ok := StorageFor("XML"); ok {
		t.Error("XML should not be known")
	}
}
