// Package types is Hive's type system as the language sees it: the primitive types (BOOLEAN … BINARY,
// DECIMAL(p,s), CHAR(n), VARCHAR(n), the INTERVAL types), the complex types (ARRAY, MAP, STRUCT, UNIONTYPE),
// their canonical lower-case spelling as Hive's metastore stores it (`array<int>`, `decimal(10,2)`), and a
// parser for that spelling.
//
// It owns only the description of types. It does not know DuckDB (the translator maps types to DuckDB's),
// nor coercion rules (the analyzer owns those). It imports nothing of Waggle's.
package types

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the kind of a Hive type.
type Kind int

// The kinds, primitive first. The order of the numeric kinds is Hive's widening order.
const (
	Invalid Kind = iota
	Void         // the type of a bare NULL literal
	Boolean
	TinyInt
	SmallInt
	Int
	BigInt
	Decimal
	Float
	Double
	String
	Char
	Varchar
	Date
	Timestamp
	Binary
	IntervalYearMonth
	IntervalDayTime
	Array
	Map
	Struct
	Union
)

var kindNames = [...]string{
	Invalid:           "invalid",
	Void:              "void",
	Boolean:           "boolean",
	TinyInt:           "tinyint",
	SmallInt:          "smallint",
	Int:               "int",
	BigInt:            "bigint",
	Decimal:           "decimal",
	Float:             "float",
	Double:            "double",
	String:            "string",
	Char:              "char",
	Varchar:           "varchar",
	Date:              "date",
	Timestamp:         "timestamp",
	Binary:            "binary",
	IntervalYearMonth: "interval_year_month",
	IntervalDayTime:   "interval_day_time",
	Array:             "array",
	Map:               "map",
	Struct:            "struct",
	Union:             "uniontype",
}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Default DECIMAL precision and scale when the type is written as plain DECIMAL.
const (
	DefaultDecimalPrecision = 10
	DefaultDecimalScale     = 0
	MaxDecimalPrecision     = 38
	MaxVarcharLength        = 65535
	MaxCharLength           = 255
)

// Type is a Hive type. Use the constructors; a Type is immutable once built.
type Type struct {
	Kind      Kind
	Precision int     // DECIMAL
	Scale     int     // DECIMAL
	Length    int     // CHAR, VARCHAR
	Elem      *Type   // ARRAY element
	Key       *Type   // MAP key
	Value     *Type   // MAP value
	Fields    []Field // STRUCT fields, in order
	Alts      []*Type // UNIONTYPE alternatives
}

// Field is one field of a STRUCT.
type Field struct {
	Name    string
	Type    *Type
	Comment string
}

// Prim returns the primitive type of kind k (for DECIMAL the default DECIMAL(10,0), for CHAR/VARCHAR the
// maximum length).
func Prim(k Kind) *Type {
	switch k {
	case Decimal:
		return DecimalOf(DefaultDecimalPrecision, DefaultDecimalScale)
	case Char:
		return &Type{Kind: Char, Length: MaxCharLength}
	case Varchar:
		return &Type{Kind: Varchar, Length: MaxVarcharLength}
	}
	return &Type{Kind: k}
}

// DecimalOf returns DECIMAL(p,s).
func DecimalOf(p, s int) *Type { return &Type{Kind: Decimal, Precision: p, Scale: s} }

// CharOf returns CHAR(n).
func CharOf(n int) *Type { return &Type{Kind: Char, Length: n} }

// VarcharOf returns VARCHAR(n).
func VarcharOf(n int) *Type { return &Type{Kind: Varchar, Length: n} }

// ArrayOf returns ARRAY<elem>.
func ArrayOf(elem *Type) *Type { return &Type{Kind: Array, Elem: elem} }

// MapOf returns MAP<key,value>.
func MapOf(key, value *Type) *Type { return &Type{Kind: Map, Key: key, Value: value} }

// StructOf returns STRUCT<fields>.
func StructOf(fields ...Field) *Type { return &Type{Kind: Struct, Fields: fields} }

// UnionOf returns UNIONTYPE<alts>.
func UnionOf(alts ...*Type) *Type { return &Type{Kind: Union, Alts: alts} }

// IsPrimitive reports whether t is not a complex type.
func (t *Type) IsPrimitive() bool { return t != nil && t.Kind < Array }

// IsComplex reports whether t is ARRAY, MAP, STRUCT or UNIONTYPE.
func (t *Type) IsComplex() bool { return t != nil && t.Kind >= Array }

// IsIntegral reports whether t is TINYINT, SMALLINT, INT or BIGINT.
func (t *Type) IsIntegral() bool { return t != nil && t.Kind >= TinyInt && t.Kind <= BigInt }

// IsNumeric reports whether t is an integral type, DECIMAL, FLOAT or DOUBLE.
func (t *Type) IsNumeric() bool { return t != nil && t.Kind >= TinyInt && t.Kind <= Double }

// IsString reports whether t is STRING, CHAR or VARCHAR (Hive's string group).
func (t *Type) IsString() bool {
	return t != nil && (t.Kind == String || t.Kind == Char || t.Kind == Varchar)
}

// IsDateTime reports whether t is DATE or TIMESTAMP.
func (t *Type) IsDateTime() bool { return t != nil && (t.Kind == Date || t.Kind == Timestamp) }

// Equal reports whether t and u are the same type (struct field names compare case-insensitively).
func (t *Type) Equal(u *Type) bool {
	if t == nil || u == nil {
		return t == u
	}
	if t.Kind != u.Kind {
		return false
	}
	switch t.Kind {
	case Decimal:
		return t.Precision == u.Precision && t.Scale == u.Scale
	case Char, Varchar:
		return t.Length == u.Length
	case Array:
		return t.Elem.Equal(u.Elem)
	case Map:
		return t.Key.Equal(u.Key) && t.Value.Equal(u.Value)
	case Struct:
		if len(t.Fields) != len(u.Fields) {
			return false
		}
		for i := range t.Fields {
			if !strings.EqualFold(t.Fields[i].Name, u.Fields[i].Name) || !t.Fields[i].Type.Equal(u.Fields[i].Type) {
				return false
			}
		}
		return true
	case Union:
		if len(t.Alts) != len(u.Alts) {
			return false
		}
		for i := range t.Alts {
			if !t.Alts[i].Equal(u.Alts[i]) {
				return false
			}
		}
		return true
	}
	return true
}

// String returns the type as Hive's metastore spells it: lower case, no spaces
// (`array<struct<a:int,b:string>>`, `decimal(10,2)`, `varchar(20)`).
func (t *Type) String() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t *Type) write(b *strings.Builder) {
	if t == nil {
		b.WriteString("invalid")
		return
	}
	switch t.Kind {
	case Decimal:
		fmt.Fprintf(b, "decimal(%d,%d)", t.Precision, t.Scale)
	case Char:
		fmt.Fprintf(b, "char(%d)", t.Length)
	case Varchar:
		fmt.Fprintf(b, "varchar(%d)", t.Length)
	case Array:
		b.WriteString("array<")
		t.Elem.write(b)
		b.WriteByte('>')
	case Map:
		b.WriteString("map<")
		t.Key.write(b)
		b.WriteByte(',')
		t.Value.write(b)
		b.WriteByte('>')
	case Struct:
		b.WriteString("struct<")
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			writeFieldName(b, f.Name)
			b.WriteByte(':')
			f.Type.write(b)
		}
		b.WriteByte('>')
	case Union:
		b.WriteString("uniontype<")
		for i, a := range t.Alts {
			if i > 0 {
				b.WriteByte(',')
			}
			a.write(b)
		}
		b.WriteByte('>')
	default:
		b.WriteString(t.Kind.String())
	}
}

// primitiveNames maps every spelling Hive accepts for a primitive type name to its kind.
var primitiveNames = map[string]Kind{
	"void": Void, "boolean": Boolean, "tinyint": TinyInt, "smallint": SmallInt, "int": Int, "integer": Int,
	"bigint": BigInt, "float": Float, "double": Double, "decimal": Decimal, "numeric": Decimal, "dec": Decimal,
	"string": String, "char": Char, "varchar": Varchar, "date": Date, "timestamp": Timestamp, "binary": Binary,
	"interval_year_month": IntervalYearMonth, "interval_day_time": IntervalDayTime,
	"array": Array, "map": Map, "struct": Struct, "uniontype": Union,
	// Spark spellings that scripts written for Spark SQL use.
	"byte": TinyInt, "short": SmallInt, "long": BigInt, "real": Float,
}

// LookupName returns the kind named by a type keyword (case-insensitive), including the synonyms INTEGER,
// NUMERIC, DEC and Spark's BYTE, SHORT, LONG, REAL. ok is false for anything else.
func LookupName(name string) (k Kind, ok bool) {
	k, ok = primitiveNames[strings.ToLower(name)]
	return k, ok
}

// Error is a type-string syntax error at a byte offset of the input.
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("type at offset %d: %s", e.Offset, e.Msg) }

// Parse parses a type string as the metastore stores it (`array<int>`, `map<string,struct<a:int>>`,
// `decimal(10,2)`), case-insensitively and tolerating spaces. `double precision` is accepted as DOUBLE.
func Parse(s string) (*Type, error) {
	p := &typeParser{s: s}
	t, err := p.parseType()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i < len(p.s) {
		return nil, &Error{p.i, fmt.Sprintf("unexpected %q after type", p.s[p.i:])}
	}
	return t, nil
}

type typeParser struct {
	s string
	i int
}

func (p *typeParser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *typeParser) word() string {
	p.skipSpace()
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			p.i++
			continue
		}
		break
	}
	return p.s[start:p.i]
}

// fieldName reads a struct field name: a word or a backquoted name.
func (p *typeParser) fieldName() (string, error) {
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == '`' {
		var b strings.Builder
		p.i++
		for p.i < len(p.s) {
			if p.s[p.i] == '`' {
				if p.i+1 < len(p.s) && p.s[p.i+1] == '`' {
					b.WriteByte('`')
					p.i += 2
					continue
				}
				p.i++
				return b.String(), nil
			}
			b.WriteByte(p.s[p.i])
			p.i++
		}
		return "", &Error{p.i, "unterminated quoted field name"}
	}
	w := p.word()
	if w == "" {
		return "", &Error{p.i, "expected field name"}
	}
	return w, nil
}

func (p *typeParser) expect(c byte) error {
	p.skipSpace()
	if p.i >= len(p.s) || p.s[p.i] != c {
		got := "end of type"
		if p.i < len(p.s) {
			got = strconv.QuoteRune(rune(p.s[p.i]))
		}
		return &Error{p.i, fmt.Sprintf("expected %q, found %s", c, got)}
	}
	p.i++
	return nil
}

func (p *typeParser) peek(c byte) bool {
	p.skipSpace()
	return p.i < len(p.s) && p.s[p.i] == c
}

func (p *typeParser) number() (int, error) {
	p.skipSpace()
	start := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	if start == p.i {
		return 0, &Error{p.i, "expected a number"}
	}
	n, err := strconv.Atoi(p.s[start:p.i])
	if err != nil {
		return 0, &Error{start, "number out of range"}
	}
	return n, nil
}

func (p *typeParser) parseType() (*Type, error) {
	start := p.i
	w := p.word()
	if w == "" {
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, &Error{p.i, "expected a type, found end of type"}
		}
		return nil, &Error{p.i, fmt.Sprintf("expected a type, found %q", p.s[p.i:])}
	}
	k, ok := LookupName(w)
	if !ok {
		return nil, &Error{start, fmt.Sprintf("unknown type %q", w)}
	}
	switch k {
	case Double:
		// DOUBLE PRECISION
		save := p.i
		if strings.EqualFold(p.word(), "precision") {
			return Prim(Double), nil
		}
		p.i = save
		return Prim(Double), nil
	case Decimal:
		t := DecimalOf(DefaultDecimalPrecision, DefaultDecimalScale)
		if p.peek('(') {
			p.i++
			n, err := p.number()
			if err != nil {
				return nil, err
			}
			t.Precision, t.Scale = n, 0
			if p.peek(',') {
				p.i++
				if t.Scale, err = p.number(); err != nil {
					return nil, err
				}
			}
			if err := p.expect(')'); err != nil {
				return nil, err
			}
			if t.Precision < 1 || t.Precision > MaxDecimalPrecision {
				return nil, &Error{start, fmt.Sprintf("decimal precision %d is out of range 1..%d", t.Precision, MaxDecimalPrecision)}
			}
			if t.Scale > t.Precision {
				return nil, &Error{start, fmt.Sprintf("decimal scale %d is greater than precision %d", t.Scale, t.Precision)}
			}
		}
		return t, nil
	case Char, Varchar:
		if !p.peek('(') {
			return nil, &Error{p.i, fmt.Sprintf("%s needs a length, e.g. %s(10)", k, k)}
		}
		p.i++
		n, err := p.number()
		if err != nil {
			return nil, err
		}
		if err := p.expect(')'); err != nil {
			return nil, err
		}
		max := MaxVarcharLength
		if k == Char {
			max = MaxCharLength
		}
		if n < 1 || n > max {
			return nil, &Error{start, fmt.Sprintf("%s length %d is out of range 1..%d", k, n, max)}
		}
		return &Type{Kind: k, Length: n}, nil
	case Array:
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		e, err := p.parseType()
		if err != nil {
			return nil, err
		}
		if err := p.expect('>'); err != nil {
			return nil, err
		}
		return ArrayOf(e), nil
	case Map:
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		key, err := p.parseType()
		if err != nil {
			return nil, err
		}
		if !key.IsPrimitive() {
			return nil, &Error{start, "map key type must be a primitive type, not " + key.String()}
		}
		if err := p.expect(','); err != nil {
			return nil, err
		}
		val, err := p.parseType()
		if err != nil {
			return nil, err
		}
		if err := p.expect('>'); err != nil {
			return nil, err
		}
		return MapOf(key, val), nil
	case Struct:
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		var fields []Field
		for {
			name, err := p.fieldName()
			if err != nil {
				return nil, err
			}
			if err := p.expect(':'); err != nil {
				return nil, err
			}
			ft, err := p.parseType()
			if err != nil {
				return nil, err
			}
			fields = append(fields, Field{Name: name, Type: ft})
			if p.peek(',') {
				p.i++
				continue
			}
			break
		}
		if err := p.expect('>'); err != nil {
			return nil, err
		}
		return StructOf(fields...), nil
	case Union:
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		var alts []*Type
		for {
			a, err := p.parseType()
			if err != nil {
				return nil, err
			}
			alts = append(alts, a)
			if p.peek(',') {
				p.i++
				continue
			}
			break
		}
		if err := p.expect('>'); err != nil {
			return nil, err
		}
		return UnionOf(alts...), nil
	}
	return Prim(k), nil
}

// writeFieldName writes a struct field name, backquoted when it is not a plain word (Hive stores such
// names unquoted, which its own parser cannot read back; the backquotes keep Parse(String()) exact).
func writeFieldName(b *strings.Builder, name string) {
	plain := name != ""
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			plain = false
			break
		}
	}
	if plain {
		b.WriteString(name)
		return
	}
	b.WriteByte('`')
	b.WriteString(strings.ReplaceAll(name, "`", "``"))
	b.WriteByte('`')
}
