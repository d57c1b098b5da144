// Package script turns the text of a Hive script into statements and applies Hive variable
// substitution to each statement.
//
// It owns:
//   - splitting a script into [Statement]s at top-level semicolons ([Split]), honouring '...' and
//     "..." strings (backslash escapes), `...` quoted identifiers (a doubled backquote is an escaped
//     one), -- line comments and /* */ block comments;
//   - positions ([Position], [Source]): byte offsets turned into file:line:col on demand;
//   - Hive variable substitution (${hivevar:x}, ${hiveconf:x}, ${env:X}, ${system:x}, bare ${x})
//     per statement ([Substitute], [SubstituteText]), with a cheap mapping from offsets in the
//     substituted text back to the position the user wrote ([Substituted.Position]).
//
// It must not touch anything else: it imports only the standard library, never parses SQL, never
// interprets session commands (SET, source, dfs, !cmd all split like any statement) and keeps no
// package-level mutable state. Session state (the variable maps) belongs to the caller and is
// passed in as [Vars] for every statement, because Hive substitutes each statement at execution
// time, after earlier SET statements have run.
//
// Columns are 1-based and count characters (runes), not bytes: a column is the number of runes
// between the start of the line and the offset, plus one. Lines are separated by '\n' only; a
// '\r' before it (CRLF) belongs to the end of the previous line and never shifts columns of the
// next one.
package script
