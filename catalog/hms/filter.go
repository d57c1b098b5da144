package hms

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/waggle-dev/waggle/catalog"
)

// The partition filter language of get_partitions_by_filter and
// get_table_names_by_filter (Hive's metastore Filter.g):
//
//	orExpr  := andExpr (OR andExpr)*
//	andExpr := notExpr (AND notExpr)*
//	notExpr := NOT notExpr | primary
//	primary := '(' orExpr ')'
//	         | key op literal | literal op key
//	         | key [NOT] BETWEEN literal AND literal
//	         | key [NOT] IN '(' literal (',' literal)* ')'
//	op      := = | == | != | <> | < | <= | > | >= | [NOT] LIKE
//	literal := 'string' | "string" | [-]integer | [-]decimal | DATE 'yyyy-mm-dd' | TIMESTAMP '...'
//
// Keywords are case-insensitive; keys are partition columns (matched
// ignoring case), or, for tables, hive_filter_field_owner__,
// hive_filter_field_last_access__ and hive_filter_field_params__<key>.
// LIKE takes a Java-style regular expression matched against the whole
// value, as Hive's JDO filter does (Spark sends `like ".*x.*"`).
//
// Values compare by the declared type of the key: integer types as
// integers, decimal/float/double as numbers, date and timestamp as points in
// time, everything else as strings. A value that does not parse as its key's
// type (such as __HIVE_DEFAULT_PARTITION__ in an int column) satisfies no
// comparison, as NULL does in SQL; NOT and NOT BETWEEN/IN/LIKE are then
// false too. A malformed filter or an unknown key is a MetaException.

// filterExpr is a node of a parsed filter.
type filterExpr interface{ isFilter() }

type (
	filterBool struct {
		and  bool
		l, r filterExpr
	}
	filterNot  struct{ e filterExpr }
	filterPred struct {
		key  string
		op   string // = != < <= > >= like between in
		not  bool   // NOT BETWEEN / NOT IN / NOT LIKE
		lits []filterLit
		re   *regexp.Regexp // LIKE
	}
)

func (filterBool) isFilter() {}
func (filterNot) isFilter()  {}
func (filterPred) isFilter() {}

type litKind int

const (
	litString litKind = iota
	litNumber
	litDate
	litTimestamp
)

type filterLit struct {
	kind litKind
	s    string
}

type ftok struct {
	kind byte // 'i' identifier/keyword, 's' string, 'n' number, 'o' operator/punctuation, 0 end
	s    string
	pos  int
}

func lexFilter(src string) ([]ftok, error) {
	var toks []ftok
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"':
			q := c
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != q; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, fmt.Errorf("unterminated string at %d", i)
			}
			toks = append(toks, ftok{kind: 's', s: b.String(), pos: i})
			i = j + 1
		case c >= '0' && c <= '9' || c == '-' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i + 1
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			toks = append(toks, ftok{kind: 'n', s: src[i:j], pos: i})
			i = j
		case c == '`':
			j := strings.IndexByte(src[i+1:], '`')
			if j < 0 {
				return nil, fmt.Errorf("unterminated identifier at %d", i)
			}
			toks = append(toks, ftok{kind: 'i', s: src[i+1 : i+1+j], pos: i})
			i += j + 2
		case c == '_' || c == '$' || unicode.IsLetter(rune(c)) || c >= 0x80:
			j := i + 1
			for j < len(src) && (src[j] == '_' || src[j] == '$' || src[j] == '.' || src[j] >= 0x80 ||
				unicode.IsLetter(rune(src[j])) || unicode.IsDigit(rune(src[j]))) {
				j++
			}
			toks = append(toks, ftok{kind: 'i', s: src[i:j], pos: i})
			i = j
		default:
			for _, op := range []string{"==", "!=", "<>", "<=", ">=", "=", "<", ">", "(", ")", ","} {
				if strings.HasPrefix(src[i:], op) {
					toks = append(toks, ftok{kind: 'o', s: op, pos: i})
					i += len(op)
					goto next
				}
			}
			return nil, fmt.Errorf("unexpected character %q at %d", c, i)
		next:
		}
	}
	return append(toks, ftok{pos: len(src)}), nil
}

type filterParser struct {
	toks []ftok
	i    int
}

// parseFilter parses a filter string; errors are MetaException texts.
func parseFilter(src string) (filterExpr, error) {
	toks, err := lexFilter(src)
	if err != nil {
		return nil, fmt.Errorf("Error parsing partition filter: %v", err)
	}
	p := &filterParser{toks: toks}
	e, err := p.or()
	if err == nil && p.peek().kind != 0 {
		err = p.errf("unexpected %q", p.peek().s)
	}
	if err != nil {
		return nil, fmt.Errorf("Error parsing partition filter %q: %v", src, err)
	}
	return e, nil
}

func (p *filterParser) peek() ftok { return p.toks[p.i] }
func (p *filterParser) peekAt(n int) ftok {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return ftok{pos: -1}
}
func (p *filterParser) next() ftok {
	t := p.toks[p.i]
	if t.kind != 0 {
		p.i++
	}
	return t
}

func (p *filterParser) errf(format string, args ...any) error {
	return fmt.Errorf("at %d: %s", p.peek().pos, fmt.Sprintf(format, args...))
}

func isKw(t ftok, kw string) bool { return t.kind == 'i' && strings.EqualFold(t.s, kw) }

func (p *filterParser) or() (filterExpr, error) {
	l, err := p.and()
	for err == nil && isKw(p.peek(), "or") {
		p.next()
		var r filterExpr
		if r, err = p.and(); err == nil {
			l = filterBool{and: false, l: l, r: r}
		}
	}
	return l, err
}

func (p *filterParser) and() (filterExpr, error) {
	l, err := p.not()
	for err == nil && isKw(p.peek(), "and") {
		p.next()
		var r filterExpr
		if r, err = p.not(); err == nil {
			l = filterBool{and: true, l: l, r: r}
		}
	}
	return l, err
}

func (p *filterParser) not() (filterExpr, error) {
	if isKw(p.peek(), "not") {
		p.next()
		e, err := p.not()
		return filterNot{e}, err
	}
	return p.primary()
}

func (p *filterParser) primary() (filterExpr, error) {
	t := p.peek()
	if t.kind == 'o' && t.s == "(" {
		// "(key) IN (...)" is a parenthesised key, anything else a group.
		if k := p.peekAt(1); k.kind == 'i' && !isKeyword(k.s) {
			if c := p.peekAt(2); c.kind == 'o' && c.s == ")" {
				if n := p.peekAt(3); isKw(n, "in") || isKw(n, "not") && isKw(p.peekAt(4), "in") {
					p.i += 3
					return p.predicate(k.s)
				}
			}
		}
		p.next()
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != 'o' || c.s != ")" {
			return nil, p.errf("expected )")
		}
		return e, nil
	}
	if t.kind == 'i' && !isKeyword(t.s) {
		p.next()
		return p.predicate(t.s)
	}
	// literal op key
	lit, err := p.literal()
	if err != nil {
		return nil, err
	}
	op := p.next()
	if op.kind != 'o' || !isCmpOp(op.s) {
		return nil, p.errf("expected a comparison operator")
	}
	k := p.next()
	if k.kind != 'i' || isKeyword(k.s) {
		return nil, p.errf("expected a key")
	}
	return filterPred{key: k.s, op: flipOp(normOp(op.s)), lits: []filterLit{lit}}, nil
}

func (p *filterParser) predicate(key string) (filterExpr, error) {
	not := false
	if isKw(p.peek(), "not") {
		p.next()
		not = true
	}
	t := p.next()
	switch {
	case t.kind == 'o' && isCmpOp(t.s) && !not:
		lit, err := p.literal()
		return filterPred{key: key, op: normOp(t.s), lits: []filterLit{lit}}, err
	case isKw(t, "like"):
		lit, err := p.literal()
		if err != nil {
			return nil, err
		}
		re, err := regexp.Compile("(?s)^(?:" + lit.s + ")$")
		if err != nil {
			return nil, p.errf("bad LIKE pattern %q: %v", lit.s, err)
		}
		return filterPred{key: key, op: "like", not: not, lits: []filterLit{lit}, re: re}, nil
	case isKw(t, "between"):
		lo, err := p.literal()
		if err != nil {
			return nil, err
		}
		if !isKw(p.next(), "and") {
			return nil, p.errf("expected AND in BETWEEN")
		}
		hi, err := p.literal()
		return filterPred{key: key, op: "between", not: not, lits: []filterLit{lo, hi}}, err
	case isKw(t, "in"):
		if o := p.next(); o.kind != 'o' || o.s != "(" {
			return nil, p.errf("expected ( after IN")
		}
		var lits []filterLit
		for {
			lit, err := p.literal()
			if err != nil {
				return nil, err
			}
			lits = append(lits, lit)
			o := p.next()
			if o.kind == 'o' && o.s == ")" {
				break
			}
			if o.kind != 'o' || o.s != "," {
				return nil, p.errf("expected , or ) in IN list")
			}
		}
		return filterPred{key: key, op: "in", not: not, lits: lits}, nil
	}
	return nil, p.errf("expected an operator after %s", key)
}

func (p *filterParser) literal() (filterLit, error) {
	t := p.next()
	switch {
	case t.kind == 's':
		return filterLit{kind: litString, s: t.s}, nil
	case t.kind == 'n':
		return filterLit{kind: litNumber, s: t.s}, nil
	case isKw(t, "date") && p.peek().kind == 's':
		return filterLit{kind: litDate, s: p.next().s}, nil
	case isKw(t, "timestamp") && p.peek().kind == 's':
		return filterLit{kind: litTimestamp, s: p.next().s}, nil
	}
	p.i--
	if t.kind == 0 {
		return filterLit{}, p.errf("expected a literal, found the end")
	}
	return filterLit{}, p.errf("expected a literal, found %q", t.s)
}

func isKeyword(s string) bool {
	switch strings.ToLower(s) {
	case "and", "or", "not", "like", "between", "in", "date", "timestamp":
		return true
	}
	return false
}

func isCmpOp(s string) bool {
	switch s {
	case "=", "==", "!=", "<>", "<", "<=", ">", ">=":
		return true
	}
	return false
}

func normOp(s string) string {
	switch s {
	case "==":
		return "="
	case "<>":
		return "!="
	}
	return s
}

// flipOp turns "lit op key" into "key op' lit".
func flipOp(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}

// keyLookup returns the value and Hive type of a filter key for the object
// being tested; ok=false means the object has no value (e.g. a missing table
// parameter); err reports an unknown key.
type keyLookup func(key string) (val, typ string, ok bool, err error)

// evalFilter evaluates e for one object.
func evalFilter(e filterExpr, look keyLookup) (bool, error) {
	switch e := e.(type) {
	case filterBool:
		l, err := evalFilter(e.l, look)
		if err != nil {
			return false, err
		}
		if e.and && !l || !e.and && l {
			return l, nil
		}
		return evalFilter(e.r, look)
	case filterNot:
		v, err := evalFilter(e.e, look)
		return !v, err
	case filterPred:
		val, typ, ok, err := look(e.key)
		if err != nil || !ok {
			return false, err
		}
		return evalPred(e, val, typ)
	}
	return false, fmt.Errorf("unknown filter node %T", e)
}

func evalPred(p filterPred, val, typ string) (bool, error) {
	switch p.op {
	case "like":
		return p.re.MatchString(val) != p.not, nil
	case "between":
		lo, ok1 := compareTyped(val, typ, p.lits[0])
		hi, ok2 := compareTyped(val, typ, p.lits[1])
		if !ok1 || !ok2 {
			return false, nil
		}
		return (lo >= 0 && hi <= 0) != p.not, nil
	case "in":
		for _, l := range p.lits {
			c, ok := compareTyped(val, typ, l)
			if !ok {
				return false, nil
			}
			if c == 0 {
				return !p.not, nil
			}
		}
		return p.not, nil
	}
	c, ok := compareTyped(val, typ, p.lits[0])
	if !ok {
		return false, nil
	}
	switch p.op {
	case "=":
		return c == 0, nil
	case "!=":
		return c != 0, nil
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	case ">=":
		return c >= 0, nil
	}
	return false, fmt.Errorf("unknown operator %s", p.op)
}

// typeFamily classifies a Hive type string for comparison.
func typeFamily(typ string) string {
	t := strings.ToLower(strings.TrimSpace(typ))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = t[:i]
	}
	switch t {
	case "tinyint", "smallint", "int", "integer", "bigint":
		return "int"
	case "float", "double", "decimal", "numeric", "double precision", "real":
		return "number"
	case "date":
		return "date"
	case "timestamp":
		return "timestamp"
	}
	return "string"
}

// compareTyped compares a stored value with a literal by the key's type;
// ok=false when either side does not parse as that type.
func compareTyped(val, typ string, lit filterLit) (int, bool) {
	switch typeFamily(typ) {
	case "int", "number":
		a, ok1 := new(big.Rat).SetString(strings.TrimSpace(val))
		b, ok2 := new(big.Rat).SetString(strings.TrimSpace(lit.s))
		if !ok1 || !ok2 {
			return 0, false
		}
		return a.Cmp(b), true
	case "date", "timestamp":
		a, ok1 := parseTime(val)
		b, ok2 := parseTime(lit.s)
		if !ok1 || !ok2 {
			return 0, false
		}
		return a.Compare(b), true
	}
	return strings.Compare(val, lit.s), true
}

var timeLayouts = []string{"2006-01-02", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04"}

func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// partitionLookup resolves filter keys against a table's partition keys.
func partitionLookup(t *catalog.Table, vals []string) keyLookup {
	return func(key string) (string, string, bool, error) {
		for i, k := range t.PartitionKeys {
			if strings.EqualFold(k.Name, key) {
				if i >= len(vals) {
					return "", "", false, nil
				}
				return vals[i], k.Type, true, nil
			}
		}
		return "", "", false, fmt.Errorf("Error parsing partition filter: %s is not a partitioning column of %s.%s", key, t.DBName, t.Name)
	}
}

// Table filter keys of get_table_names_by_filter (hive_metastoreConstants).
const (
	filterFieldOwner      = "hive_filter_field_owner__"
	filterFieldLastAccess = "hive_filter_field_last_access__"
	filterFieldParams     = "hive_filter_field_params__"
)

// tableLookup resolves the table filter keys.
func tableLookup(t *catalog.Table) keyLookup {
	return func(key string) (string, string, bool, error) {
		switch {
		case strings.EqualFold(key, filterFieldOwner):
			return t.Owner, "string", true, nil
		case strings.EqualFold(key, filterFieldLastAccess):
			return strconv.FormatInt(t.LastAccessTime, 10), "bigint", true, nil
		case len(key) > len(filterFieldParams) && strings.EqualFold(key[:len(filterFieldParams)], filterFieldParams):
			v, ok := t.Parameters[key[len(filterFieldParams):]]
			return v, "string", ok, nil
		}
		return "", "", false, fmt.Errorf("Invalid key name in filter. Use constants from org.apache.hadoop.hive.metastore.api: %s", key)
	}
}
