package types

import "testing"

func TestParseRoundTrip(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"int synonym integer", "INTEGER", "int"},
		{"plain decimal defaults to 10,0", "decimal", "decimal(10,0)"},
		{"decimal precision only", "DECIMAL(5)", "decimal(5,0)"},
		{"decimal with scale", "decimal( 12 , 2 )", "decimal(12,2)"},
		{"varchar", "VarChar(20)", "varchar(20)"},
		{"array of int", "Array<int>", "array<int>"},
		{"map", "map<string, array<bigint>>", "map<string,array<bigint>>"},
		{"struct", "struct<a:int, b : string,`c d`:double>", "struct<a:int,b:string,`c d`:double>"},
		{"uniontype", "uniontype<int,string>", "uniontype<int,string>"},
		{"double precision", "double precision", "double"},
		{"spark long", "long", "bigint"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if got.String() != tc.want {
				t.Fatalf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
			}
			again, err := Parse(got.String())
			if err != nil || !again.Equal(got) {
				t.Fatalf("re-parse of %s: %v %v", got, again, err)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in string
		off      int
		msg      string
	}{
		{"empty array", "array<>", 6, `expected a type, found ">"`},
		{"unknown name", "strin", 0, `unknown type "strin"`},
		{"char needs length", "char", 4, "char needs a length, e.g. char(10)"},
		{"decimal precision too big", "decimal(39,2)", 0, "decimal precision 39 is out of range 1..38"},
		{"scale above precision", "decimal(5,6)", 0, "decimal scale 6 is greater than precision 5"},
		{"map with complex key", "map<array<int>,int>", 0, "map key type must be a primitive type, not array<int>"},
		{"missing close", "array<int", 9, `expected '>', found end of type`},
		{"trailing junk", "int x", 4, `unexpected "x" after type`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.in)
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("Parse(%q) error = %v, want *Error", tc.in, err)
			}
			if e.Offset != tc.off || e.Msg != tc.msg {
				t.Fatalf("Parse(%q) = (%d, %q), want (%d, %q)", tc.in, e.Offset, e.Msg, tc.off, tc.msg)
			}
		})
	}
}

func TestPredicates(t *testing.T) {
	if !Prim(BigInt).IsIntegral() || Prim(Double).IsIntegral() {
		t.Fatal("IsIntegral")
	}
	if !Prim(Decimal).IsNumeric() || Prim(String).IsNumeric() {
		t.Fatal("IsNumeric")
	}
	if !VarcharOf(3).IsString() || !ArrayOf(Prim(Int)).IsComplex() || ArrayOf(Prim(Int)).IsPrimitive() {
		t.Fatal("string/complex")
	}
	if ArrayOf(Prim(Int)).Equal(ArrayOf(Prim(BigInt))) || !StructOf(Field{Name: "A", Type: Prim(Int)}).Equal(StructOf(Field{Name: "a", Type: Prim(Int)})) {
		t.Fatal("Equal")
	}
}
