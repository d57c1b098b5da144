// Package conformance runs Hive's own query tests (../shared/conformance/hive-qtests) through Waggle's
// engine exactly as `waggle run` executes statements, and compares the rows with the expected output of
// the .q.out files under the rules of that directory's README. It owns the .q.out reader, the standard
// test tables, the comparison rules and the report; it changes nothing in the engine.
package conformance

import (
	"strings"
)

// Block is one statement of a .q.out file with its expected output.
type Block struct {
	Index    int      // 0-based position among the file's statements
	Line     int      // 1-based line of its PREHOOK: query: line
	Query    string   // statement text
	Type     string   // PREHOOK: type (QUERY, CREATETABLE, EXPLAIN, ...)
	Outputs  []string // PREHOOK: Output: lines (tables a statement writes)
	Expected []string // expected output lines
}

// IsResult reports whether the block is a result-bearing statement: a query (not EXPLAIN) that writes no
// table, whose rows are compared.
func (b *Block) IsResult() bool {
	if b.Type != "QUERY" {
		return false
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(b.Query)), "explain") {
		return false
	}
	for _, o := range b.Outputs {
		if strings.Contains(o, "@") {
			return false
		}
	}
	return true
}

// ParseQOut reads the statement blocks of a .q.out file.
func ParseQOut(text string) []Block {
	lines := strings.Split(text, "\n")
	var blocks []Block
	i := 0
	for i < len(lines) {
		if !strings.HasPrefix(lines[i], "PREHOOK: query: ") {
			i++
			continue
		}
		b := Block{Index: len(blocks), Line: i + 1}
		q := []string{strings.TrimPrefix(lines[i], "PREHOOK: query: ")}
		i++
		for i < len(lines) && !strings.HasPrefix(lines[i], "PREHOOK: ") {
			q = append(q, lines[i])
			i++
		}
		b.Query = strings.TrimRight(strings.Join(q, "\n"), "\n ")
		for i < len(lines) && !strings.HasPrefix(lines[i], "POSTHOOK: query: ") {
			switch {
			case strings.HasPrefix(lines[i], "PREHOOK: type: "):
				b.Type = strings.TrimPrefix(lines[i], "PREHOOK: type: ")
			case strings.HasPrefix(lines[i], "PREHOOK: Output: "):
				b.Outputs = append(b.Outputs, strings.TrimPrefix(lines[i], "PREHOOK: Output: "))
			}
			i++
		}
		// Skip the echoed POSTHOOK query text and the POSTHOOK header lines.
		if i < len(lines) {
			i++
		}
		for i < len(lines) && !strings.HasPrefix(lines[i], "POSTHOOK: ") && !strings.HasPrefix(lines[i], "PREHOOK: query: ") {
			i++
		}
		for i < len(lines) && (strings.HasPrefix(lines[i], "POSTHOOK: ") || strings.HasPrefix(lines[i], "#### A masked pattern")) {
			i++
		}
		var out []string
		for i < len(lines) && !strings.HasPrefix(lines[i], "PREHOOK: query: ") {
			out = append(out, lines[i])
			i++
		}
		for len(out) > 0 && out[len(out)-1] == "" {
			out = out[:len(out)-1]
		}
		// Compile warnings printed before the next statement are not rows.
		for len(out) > 0 && strings.HasPrefix(out[len(out)-1], "Warning: ") {
			out = out[:len(out)-1]
		}
		b.Expected = out
		blocks = append(blocks, b)
	}
	return blocks
}
