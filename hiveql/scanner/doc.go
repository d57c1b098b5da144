// Package scanner turns HiveQL source text into tokens (hiveql/token), and unquotes
// string literals and quoted identifiers the way Hive does.
//
// It owns lexical analysis only: which characters form which token, the raw
// literal text, and lexical error messages. It must not touch: statement splitting
// or ${var} substitution (package script), syntax (the parser), positions beyond
// byte offsets (token.File maps them to line:col). It imports only the standard
// library and hiveql/token, and holds no mutable package-level state.
//
// Lexical rules (Hive 3.1's HiveLexer, plus a few Spark SQL forms):
//
//   - Whitespace is space, tab, '\n', '\r', '\f'; a UTF-8 byte order mark at the
//     start of the text is skipped.
//
//   - "--" starts a comment to the end of the line (the '\r' or '\n' is not part of
//     it), "/* ... */" a block comment (not nested), "/*+ ... */" an optimizer hint,
//     returned as token.HINT with the text between "/*+" and "*/" as literal.
//     Comments are returned as token.COMMENT only in ScanComments mode.
//
//   - An identifier is (letter | digit | '_') (letter | digit | '_')*, where letters
//     include non-ASCII Unicode letters. So "1a" and "_c0" are identifiers, but a
//     run that forms a number is a number: "1" is INTEGER, "1e3" NUMBER, "10L"
//     INTEGER, "1BD" NUMBER. When a number and a digits-first identifier both
//     match, the longer wins, the number on a tie ("1e3x" is IDENT, "1e-3x" is
//     NUMBER "1e-3" then IDENT "x", "1.5x" is NUMBER then IDENT).
//
//   - Numbers: digits [. digits] [exponent] | . digits [exponent], exponent
//     e[+-]digits; suffix Y S L (integers only), BD D F (any case), taken only when
//     no identifier character follows it. "1." is a NUMBER.
//
//   - Strings: '...' or "..." with backslash escapes, may span lines. The literal
//     is raw; use Unquote. Adjacent literals are separate STRING tokens that the
//     parser concatenates, even with no space between them: a doubled quote is
//     not an escape in Hive, so 'it' followed at once by 's' means "its". Write
//     \' for a quote.
//
//   - Backquoted identifiers, where two backquotes stand for one; use UnquoteIdent.
//
//   - X'hex' binary literals (x any case); use DecodeBinary.
//
//   - Operators: longest match ("<=>" before "<=" before "<"). '$' and any other
//     character not in the language is token.ILLEGAL with an error
//     "unexpected character U+0024 '$'", and scanning goes on after it.
//
// Every byte of the source belongs to exactly one token, comment, or whitespace run,
// in order; Scanner.TokenEnd gives the end of the last token.
package scanner
