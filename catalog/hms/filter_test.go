package hms

import (
	"testing"

	"github.com/waggle-dev/waggle/catalog"
)

func TestPartitionFilter(t *testing.T) {
	tbl := &catalog.Table{DBName: "d", Name: "t", PartitionKeys: []catalog.FieldSchema{
		{Name: "ds", Type: "string"}, {Name: "hr", Type: "int"}, {Name: "day", Type: "date"}, {Name: "amt", Type: "decimal(5,2)"}}}
	vals := []string{"2024-01-02", "10", "2024-01-02", "3.50"}
	deflt := []string{"x", catalog.DefaultPartitionName, "2024-01-02", "1"}
	for _, tc := range []struct {
		name, filter string
		vals         []string
		want         bool
	}{
		{"string equality", `ds = "2024-01-02"`, vals, true},
		{"single quotes and ==", `ds == '2024-01-02'`, vals, true},
		{"int keys compare as numbers", `hr > 9`, vals, true},
		{"int keys compare as numbers, not strings", `hr < 9`, vals, false},
		{"literal on the left flips the operator", `9 < hr`, vals, true},
		{"<> and != are inequality", `hr <> 10 or hr != 10`, vals, false},
		{"keywords ignore case", `ds = "2024-01-02" AnD hr >= 10 Or hr = 1`, vals, true},
		{"and binds tighter than or", `hr = 1 and ds = "x" or hr = 10`, vals, true},
		{"parentheses group", `hr = 1 and (ds = "x" or hr = 10)`, vals, false},
		{"not negates", `not hr = 10`, vals, false},
		{"like is a whole-value regex", `ds like "2024-.*"`, vals, true},
		{"like does not match a substring", `ds like "01"`, vals, false},
		{"not like", `ds not like "2023.*"`, vals, true},
		{"between is inclusive", `hr between 10 and 12`, vals, true},
		{"not between", `hr not between 1 and 9`, vals, true},
		{"in list", `hr in (1, 10)`, vals, true},
		{"parenthesised key in", `(hr) not in (1, 2)`, vals, true},
		{"date literal", `day >= DATE '2024-01-01'`, vals, true},
		{"decimal keys compare as numbers", `amt > 3.5`, vals, false},
		{"keys ignore case", `HR = 10`, vals, true},
		{"default partition satisfies no int comparison", `hr > 0`, deflt, false},
		{"default partition satisfies no int inequality", `hr != 5`, deflt, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := parseFilter(tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			got, err := evalFilter(e, partitionLookup(tbl, tc.vals))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%s = %v, want %v", tc.filter, got, tc.want)
			}
		})
	}
}

func TestPartitionFilterErrors(t *testing.T) {
	tbl := &catalog.Table{PartitionKeys: []catalog.FieldSchema{{Name: "ds", Type: "string"}}}
	for _, f := range []string{`ds =`, `ds = "x`, `(ds = "x"`, `ds ~ 1`, `ds like "("`, `= "x"`, `ds = "x" extra`} {
		if _, err := parseFilter(f); err == nil {
			t.Errorf("parseFilter(%q) succeeded, want a syntax error", f)
		}
	}
	e, err := parseFilter(`nokey = 1`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := evalFilter(e, partitionLookup(tbl, []string{"a"})); err == nil {
		t.Error("unknown key evaluated, want an error")
	}
}

func TestTableFilter(t *testing.T) {
	tbl := &catalog.Table{Owner: "alice", LastAccessTime: 5, Parameters: map[string]string{"presto_view": "true"}}
	for _, tc := range []struct {
		filter string
		want   bool
	}{
		{`hive_filter_field_params__presto_view = "true"`, true},
		{`hive_filter_field_params__missing = "true"`, false},
		{`hive_filter_field_owner__ like "al.*"`, true},
		{`hive_filter_field_last_access__ = 5`, true},
	} {
		e, err := parseFilter(tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := evalFilter(e, tableLookup(tbl)); err != nil || got != tc.want {
			t.Errorf("%s = %v, %v; want %v", tc.filter, got, err, tc.want)
		}
	}
}

func TestParseDbNameHandlesCatalogPrefix(t *testing.T) {
	for _, tc := range []struct {
		in       string
		cat, db  string
		all, bad bool
	}{
		{in: "sales", cat: "hive", db: "sales"},
		{in: "@hive#sales", cat: "hive", db: "sales"},
		{in: "@HIVE#", cat: "hive", all: true},
		{in: "@hive#!", cat: "hive", db: ""},
		{in: "@spark#x", cat: "spark", db: "x"},
		{in: "@hive", bad: true},
	} {
		d, err := parseDbName(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("parseDbName(%q) succeeded", tc.in)
			}
			continue
		}
		if err != nil || d.cat != tc.cat || d.name != tc.db || d.all != tc.all {
			t.Errorf("parseDbName(%q) = %+v, %v", tc.in, d, err)
		}
	}
}
