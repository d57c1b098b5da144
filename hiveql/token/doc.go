// Package token defines the lexical tokens of HiveQL (Hive 3.1's HiveLexer plus the
// Spark SQL additions real Hive scripts use), keyword lookup and classification, and
// source positions (Pos, File, Position) shared by the scanner, parser and printer.
//
// It owns: the Token enumeration and its predicates, the keyword tables, and the
// offset→line:column mapping. It must not touch: scanning logic (hiveql/scanner),
// syntax trees, or anything else in Waggle — it imports only the standard library
// and holds no mutable package-level state.
//
// # Tokens
//
// Literal tokens (IDENT, QUOTED_IDENT, STRING, INTEGER, NUMBER, BINARY) carry their
// raw source text as the scanner's lit; unquoting is the scanner package's job.
// Keyword constants are named KW_<KEYWORD> after Hive's lexer (KW_SELECT, KW_DATE,
// KW_STRING, ...), which also keeps them apart from literal tokens of the same
// name (STRING literal vs KW_STRING type name). A few spellings share a token:
// EQ is "=" or "==", NEQ is "!=" or "<>" (the literal tells which).
//
// # Identifiers and keywords
//
// IsReserved reports Hive 3.1's reserved keywords (hive.support.sql11.reserved.keywords=true).
// Real scripts nevertheless use many of them as column names (date, timestamp, user,
// time, ...), as Spark SQL allows; CanBeIdentifier is the softer rule the parser
// applies where the grammar expects an identifier, and CanBeAlias the stricter one for
// an alias written without AS.
package token
