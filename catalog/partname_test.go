package catalog

import (
	"errors"
	"slices"
	"testing"
)

func TestEscapePathName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain value is kept", "2024-01-01", "2024-01-01"},
		{"default partition name is untouched", DefaultPartitionName, DefaultPartitionName},
		{"empty value becomes the default partition", "", DefaultPartitionName},
		{"slash is escaped", "a/b", "a%2Fb"},
		{"colon is escaped", "12:30:00", "12%3A30%3A00"},
		{"equals is escaped", "k=v", "k%3Dv"},
		{"space is kept", "a b", "a b"},
		{"percent is escaped", "100%", "100%25"},
		{"hive specials are escaped upper-case", "\"#'*?\\{[]^", "%22%23%27%2A%3F%5C%7B%5B%5D%5E"},
		{"control chars and DEL are escaped", "a\tb\x01\x7f", "a%09b%01%7F"},
		{"non-ascii utf-8 is kept", "héllo", "héllo"},
		{"other punctuation is kept", "a-b_c.d,e;f@g", "a-b_c.d,e;f@g"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := EscapePathName(tc.in)
			if got != tc.want {
				t.Fatalf("EscapePathName(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if tc.in != "" && UnescapePathName(got) != tc.in {
				t.Fatalf("UnescapePathName(%q) = %q, want %q", got, UnescapePathName(got), tc.in)
			}
		})
	}
}

func TestUnescapePathName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"lower-case hex decodes", "a%2fb", "a/b"},
		{"percent without hex is literal", "100%", "100%"},
		{"percent with one hex digit is literal", "%4", "%4"},
		{"percent with non-hex is literal", "%zz", "%zz"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := UnescapePathName(tc.in); got != tc.want {
				t.Fatalf("UnescapePathName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestMakeAndParsePartName(t *testing.T) {
	keys := []FieldSchema{{Name: "DS", Type: "string"}, {Name: "hr", Type: "int"}}
	tests := []struct {
		name string
		vals []string
		want string
	}{
		{"keys are lower-cased and joined with slash", []string{"2024-01-01", "7"}, "ds=2024-01-01/hr=7"},
		{"values are escaped", []string{"a/b", "x=y"}, "ds=a%2Fb/hr=x%3Dy"},
		{"empty value is the default partition", []string{"", "1"}, "ds=__HIVE_DEFAULT_PARTITION__/hr=1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := MakePartName(keys, tc.vals)
			if err != nil || got != tc.want {
				t.Fatalf("MakePartName = %q, %v; want %q", got, err, tc.want)
			}
			k, v, err := ParsePartName(got)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(k, []string{"ds", "hr"}) {
				t.Fatalf("keys = %q", k)
			}
			wantVals := slices.Clone(tc.vals)
			for i := range wantVals {
				if wantVals[i] == "" {
					wantVals[i] = DefaultPartitionName
				}
			}
			if !slices.Equal(v, wantVals) {
				t.Fatalf("values = %q, want %q", v, wantVals)
			}
		})
	}
}

func TestPartNameErrors(t *testing.T) {
	if _, err := MakePartName([]FieldSchema{{Name: "a"}}, []string{"1", "2"}); !errors.Is(err, ErrInvalidObject) {
		t.Fatalf("value count mismatch: err = %v, want ErrInvalidObject", err)
	}
	for _, bad := range []string{"", "a", "a=1/b", "=1"} {
		if _, _, err := ParsePartName(bad); !errors.Is(err, ErrInvalidObject) {
			t.Errorf("ParsePartName(%q) err = %v, want ErrInvalidObject", bad, err)
		}
	}
}

func TestPattern(t *testing.T) {
	names := []string{"default", "sales", "sales_2024", "tmp", "Web"}
	tests := []struct {
		name, pattern string
		want          []string
	}{
		{"empty pattern matches all", "", names},
		{"star matches all", "*", names},
		{"dot star matches all", ".*", names},
		{"star is a wildcard", "sales*", []string{"sales", "sales_2024"}},
		{"pipe separates alternatives", "tmp|default", []string{"default", "tmp"}},
		{"matching ignores case", "WEB|SALES", []string{"sales", "Web"}},
		{"literal must match the whole name", "sale", nil},
		{"invalid regex falls back to literal", "sales(*", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := CompilePattern(tc.pattern)
			var got []string
			for _, n := range names {
				if p.Match(n) {
					got = append(got, n)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("pattern %q matched %q, want %q", tc.pattern, got, tc.want)
			}
		})
	}
}

func TestErrorKinds(t *testing.T) {
	err := DatabaseExists("hiveonspark")
	if !errors.Is(err, ErrAlreadyExists) || err.Error() != "Database hiveonspark already exists" {
		t.Fatalf("DatabaseExists = %v", err)
	}
	err = TableNotFound("db", "t")
	if !errors.Is(err, ErrNotFound) || err.Error() != "Table not found: db.t" {
		t.Fatalf("TableNotFound = %v", err)
	}
	if errors.Is(err, ErrAlreadyExists) {
		t.Fatal("a not-found error must not be an already-exists error")
	}
}
