package duckdbsql

import (
	"testing"

	"github.com/waggle-dev/waggle/hiveql/types"
)

func TestType(t *testing.T) {
	tests := []struct{ hive, want string }{
		{"int", "INTEGER"},
		{"string", "VARCHAR"},
		{"decimal(12,2)", "DECIMAL(12,2)"},
		{"array<int>", "INTEGER[]"},
		{"map<string,array<bigint>>", "MAP(VARCHAR, BIGINT[])"},
		{"struct<A:int,b:string>", `STRUCT("a" INTEGER, "b" VARCHAR)`},
		{"char(3)", "VARCHAR"},
		{"binary", "BLOB"},
	}
	for _, tc := range tests {
		typ, err := types.Parse(tc.hive)
		if err != nil {
			t.Fatal(err)
		}
		if got := Type(typ); got != tc.want {
			t.Errorf("Type(%s) = %s, want %s", tc.hive, got, tc.want)
		}
	}
}

func TestQuoting(t *testing.T) {
	if got := Ident(`a"b`); got != `"a""b"` {
		t.Errorf("Ident = %s", got)
	}
	if got := String("it's"); got != `'it''s'` {
		t.Errorf("String = %s", got)
	}
}
