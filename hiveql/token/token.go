package token

import "strings"

// Token is the set of lexical tokens of HiveQL.
type Token int

// Special, literal and operator tokens. Keywords are declared in keywords.go.
const (
	ILLEGAL Token = iota // a character the language does not use; lit holds it
	EOF
	COMMENT // "-- ..." or "/* ... */"; lit is the whole comment (only in ScanComments mode)
	HINT    // "/*+ ... */"; lit is the text between "/*+" and "*/"

	literalBeg
	IDENT        // a, _c0, a1, 1a (digits first, but not all digits)
	QUOTED_IDENT // `a``b`; lit is raw, backquotes included
	STRING       // 'abc' or "abc"; lit is raw, quotes and escapes included
	INTEGER      // 10, 10Y, 10S, 10L (suffix any case)
	NUMBER       // 1.5, .5, 1., 1e3, 1.5e-3, 1BD, 1.5D, 2F (suffix any case)
	BINARY       // X'0A1B' (x any case)
	literalEnd

	operatorBeg
	PLUS      // +
	MINUS     // -
	STAR      // *
	DIVIDE    // /
	MOD       // %
	AMPERSAND // &
	PIPE      // |
	CARET     // ^
	TILDE     // ~
	BANG      // !
	EQ        // = or ==
	NSEQ      // <=>
	NEQ       // != or <>
	LT        // <
	LE        // <=
	GT        // >
	GE        // >=
	CONCAT    // ||
	ANDAND    // &&
	LPAREN    // (
	RPAREN    // )
	LBRACK    // [
	RBRACK    // ]
	LBRACE    // {
	RBRACE    // }
	COMMA     // ,
	SEMICOLON // ;
	DOT       // .
	COLON     // :
	ARROW     // ->
	FATARROW  // =>
	QUESTION  // ?
	AT        // @
	operatorEnd

	keywordBase
)

var tokenNames = [...]string{
	ILLEGAL:      "ILLEGAL",
	EOF:          "EOF",
	COMMENT:      "COMMENT",
	HINT:         "HINT",
	IDENT:        "IDENT",
	QUOTED_IDENT: "QUOTED_IDENT",
	STRING:       "STRING",
	INTEGER:      "INTEGER",
	NUMBER:       "NUMBER",
	BINARY:       "BINARY",
	PLUS:         "+",
	MINUS:        "-",
	STAR:         "*",
	DIVIDE:       "/",
	MOD:          "%",
	AMPERSAND:    "&",
	PIPE:         "|",
	CARET:        "^",
	TILDE:        "~",
	BANG:         "!",
	EQ:           "=",
	NSEQ:         "<=>",
	NEQ:          "!=",
	LT:           "<",
	LE:           "<=",
	GT:           ">",
	GE:           ">=",
	CONCAT:       "||",
	ANDAND:       "&&",
	LPAREN:       "(",
	RPAREN:       ")",
	LBRACK:       "[",
	RBRACK:       "]",
	LBRACE:       "{",
	RBRACE:       "}",
	COMMA:        ",",
	SEMICOLON:    ";",
	DOT:          ".",
	COLON:        ":",
	ARROW:        "->",
	FATARROW:     "=>",
	QUESTION:     "?",
	AT:           "@",
}

// String returns the token's name: the operator text for operators ("<=>"), the
// upper-case keyword for keywords ("SELECT"), the constant name otherwise ("IDENT").
func (t Token) String() string {
	if t.IsKeyword() {
		return keywordNames[t-keywordBeg-1]
	}
	if 0 <= t && int(t) < len(tokenNames) && tokenNames[t] != "" {
		return tokenNames[t]
	}
	return "token(" + itoa(int(t)) + ")"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// IsLiteral reports whether t is an identifier or a literal value token.
func (t Token) IsLiteral() bool { return literalBeg < t && t < literalEnd }

// IsOperator reports whether t is an operator or punctuation token.
func (t Token) IsOperator() bool { return operatorBeg < t && t < operatorEnd }

// IsKeyword reports whether t is a keyword token (KW_...).
func (t Token) IsKeyword() bool { return keywordBeg < t && t < keywordEnd }

// IsReserved reports whether t is a reserved keyword in Hive 3.1 with
// hive.support.sql11.reserved.keywords=true (the default): Hive accepts such a
// word as an identifier only when backquoted. Waggle's parser is more lenient; see
// CanBeIdentifier.
func (t Token) IsReserved() bool {
	return t.IsKeyword() && reservedKeywords[t-keywordBeg-1]
}

// CanBeIdentifier reports whether t may stand for an identifier where the grammar
// expects one: IDENT, QUOTED_IDENT, and every keyword except the words that
// structure a query or an expression, which are
//
//	ALL AND ANTI AS BETWEEN BY CASE CAST CLUSTER CROSS DISTINCT DISTRIBUTE DIV ELSE
//	END EXCEPT EXISTS FALSE FROM FULL GROUP HAVING IN INNER INTERSECT INTERVAL IS
//	JOIN LATERAL LEFT LIKE LIMIT MINUS NATURAL NOT NULL ON OR ORDER OUTER OVER
//	PARTITION QUALIFY REGEXP RIGHT RLIKE SELECT SEMI SORT TABLESAMPLE THEN TRUE
//	UNION UNIQUEJOIN USING WHEN WHERE WINDOW WITH
//
// So date, timestamp, user, time, year, month, day, hour, minute, second, key,
// value, comment, data, location, format, file, function, values, offset, map,
// array, struct, if, transform, ... are accepted as names, as Spark SQL accepts
// them. Where such a keyword can also begin something else (DATE '2020-01-01',
// map(...), if(...), INSERT INTO TABLE ...), the parser must test for that
// construct first. Words such as left(...) or cast(...) used as function names
// are the parser's business.
func (t Token) CanBeIdentifier() bool {
	switch {
	case t == IDENT || t == QUOTED_IDENT:
		return true
	case t.IsKeyword():
		return !clauseKeywords[t-keywordBeg-1]
	}
	return false
}

// CanBeAlias reports whether t may be taken as an alias written without AS (after
// a select item or a table reference). It is CanBeIdentifier minus the keywords
// that can continue the preceding construct there:
//
//	ASC DESC ESCAPE FETCH FILTER FOR IGNORE INSERT MAP NULLS OFFSET PIVOT RANGE
//	REDUCE RESPECT ROWS UNPIVOT WITHIN
//
// (e.g. "FROM t OFFSET 5", "FROM src INSERT OVERWRITE ...", "x LIKE p ESCAPE '!'").
func (t Token) CanBeAlias() bool {
	if t.IsKeyword() && continuationKeywords[t-keywordBeg-1] {
		return false
	}
	return t.CanBeIdentifier()
}

// keywords maps the upper-case spelling of each keyword to its token.
var keywords = func() map[string]Token {
	m := make(map[string]Token, keywordEnd-keywordBeg)
	for t := keywordBeg + 1; t < keywordEnd; t++ {
		m[keywordNames[t-keywordBeg-1]] = t
	}
	return m
}()

// maxKeywordLen is the length of the longest keyword.
const maxKeywordLen = 32

// Lookup maps an identifier to its keyword token, ignoring ASCII case, or returns
// IDENT if word is not a keyword. It does not allocate.
func Lookup(word string) Token {
	if len(word) == 0 || len(word) > maxKeywordLen {
		return IDENT
	}
	var buf [maxKeywordLen]byte
	for i := 0; i < len(word); i++ {
		c := word[i]
		switch {
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case 'A' <= c && c <= 'Z', c == '_':
		default:
			return IDENT // keywords are letters and '_' only
		}
		buf[i] = c
	}
	if t, ok := keywords[string(buf[:len(word)])]; ok {
		return t
	}
	return IDENT
}

// Keywords returns every keyword token in alphabetical order (a fresh slice).
func Keywords() []Token {
	ks := make([]Token, 0, keywordEnd-keywordBeg-1)
	for t := keywordBeg + 1; t < keywordEnd; t++ {
		ks = append(ks, t)
	}
	return ks
}

// NumberSuffix splits the literal of an INTEGER or NUMBER token into its digits and
// its type suffix, upper-cased: "" (none), "Y" (TINYINT), "S" (SMALLINT), "L"
// (BIGINT), "BD" (DECIMAL), "D" (DOUBLE) or "F" (FLOAT, a Spark extension).
// For example "10l" → ("10", "L"), "1.5BD" → ("1.5", "BD"), "1e3" → ("1e3", "").
// An exponent's E is never taken as a suffix.
func NumberSuffix(lit string) (digits, suffix string) {
	n := len(lit)
	if n >= 3 && strings.EqualFold(lit[n-2:], "BD") && isDigitOrDot(lit[n-3]) {
		return lit[:n-2], "BD"
	}
	if n >= 2 && isDigitOrDot(lit[n-2]) {
		switch lit[n-1] {
		case 'Y', 'y':
			return lit[:n-1], "Y"
		case 'S', 's':
			return lit[:n-1], "S"
		case 'L', 'l':
			return lit[:n-1], "L"
		case 'D', 'd':
			return lit[:n-1], "D"
		case 'F', 'f':
			return lit[:n-1], "F"
		}
	}
	return lit, ""
}

func isDigitOrDot(c byte) bool { return '0' <= c && c <= '9' || c == '.' }
