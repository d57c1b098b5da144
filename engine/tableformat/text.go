package tableformat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/waggle-dev/waggle/duckdbsql"
	"github.com/waggle-dev/waggle/hiveql/types"
)

// How a text file is read. DuckDB's CSV reader is fast but treats '\r' as a line break and skips empty
// lines, and it cannot honour ESCAPED BY; the slower modes exist for the files where that matters.
type textMode int

const (
	// modeFields: read_csv splits the fields (no ESCAPED BY, no last.column.takes.rest, no empty lines,
	// no '\r'). The fast path.
	modeFields textMode = iota
	// modeLines: read_csv returns whole lines (empty lines included), SQL splits them.
	modeLines
	// modeExact: read_text + string_split on '\n' only, for files containing '\r' (Hive keeps it as data)
	// or tables with a footer to skip. Reads a whole file into one value.
	modeExact
)

// fileFacts are what ReadSQL learns about a text file by scanning its bytes.
type fileFacts struct {
	size         int64
	hasCR        bool
	hasEmptyLine bool
}

// scanText reads a file once to find '\r' bytes and empty lines (bytes.IndexByte / bytes.Index are
// vectorised, so this runs at memory speed).
// FactCache remembers what scanning a text file found, keyed by path, size and modification time, so a
// file read by several statements of a session (or several times in one query) is scanned once. The
// engine keeps one per session (Spec.Facts); nil scans every time. Safe for concurrent use.
type FactCache struct {
	mu      sync.Mutex
	m       map[factKey]fileFacts
	parquet map[string]map[string]string // Parquet column names by file set (paths, sizes, times)
}

type factKey struct {
	path  string
	size  int64
	mtime int64
}

// NewFactCache returns an empty cache.
func NewFactCache() *FactCache {
	return &FactCache{m: map[factKey]fileFacts{}, parquet: map[string]map[string]string{}}
}

// parquetColumns returns the column names of a set of Parquet files, probing them (probe) only when
// the same files (same sizes and modification times) have not been probed before. nil c always probes.
func (c *FactCache) parquetColumns(files []string, probe func() (map[string]string, error)) (map[string]string, error) {
	if c == nil {
		return probe()
	}
	var key strings.Builder
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return probe()
		}
		fmt.Fprintf(&key, "%s\x00%d\x00%d\n", f, st.Size(), st.ModTime().UnixNano())
	}
	c.mu.Lock()
	cols, ok := c.parquet[key.String()]
	c.mu.Unlock()
	if ok {
		return cols, nil
	}
	cols, err := probe()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.parquet[key.String()] = cols
	c.mu.Unlock()
	return cols, nil
}

func (c *FactCache) scan(path string) (fileFacts, error) {
	if c == nil {
		return scanText(path)
	}
	st, err := os.Stat(path)
	if err != nil {
		return fileFacts{}, err
	}
	k := factKey{path, st.Size(), st.ModTime().UnixNano()}
	c.mu.Lock()
	f, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return f, nil
	}
	if f, err = scanText(path); err != nil {
		return f, err
	}
	c.mu.Lock()
	c.m[k] = f
	c.mu.Unlock()
	return f, nil
}

func scanText(path string) (fileFacts, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileFacts{}, err
	}
	defer f.Close()
	var facts fileFacts
	buf := make([]byte, 1<<20)
	prevNL := true // start of file counts as after a line break
	for {
		n, err := f.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			facts.size += int64(n)
			if !facts.hasCR && bytes.IndexByte(chunk, '\r') >= 0 {
				facts.hasCR = true
			}
			if !facts.hasEmptyLine && (prevNL && chunk[0] == '\n' || bytes.Contains(chunk, []byte("\n\n"))) {
				facts.hasEmptyLine = true
			}
			prevNL = chunk[n-1] == '\n'
			if facts.hasCR && facts.hasEmptyLine {
				st, serr := f.Stat()
				if serr == nil {
					facts.size = st.Size()
				}
				return facts, nil
			}
		}
		if errors.Is(err, io.EOF) {
			return facts, nil
		}
		if err != nil {
			return facts, err
		}
	}
}

func (tp *textParams) modeFor(f fileFacts) textMode {
	switch {
	case f.hasCR || tp.footer > 0 || f.hasEmptyLine && tp.header > 0:
		return modeExact
	case tp.escape != "" || tp.takesRest || f.hasEmptyLine:
		return modeLines
	}
	return modeFields
}

// csvCommon are the read_csv options that turn off everything CSV-specific: no quoting, no escaping, no
// comments, no sniffing, no header, every value VARCHAR, rows with missing fields padded with NULL,
// extra fields ignored, lines up to maxLineSize.
const csvCommon = "header=false, auto_detect=false, quote='', escape='', comment='', strict_mode=false, " +
	"new_line='\\n', null_padding=true, max_line_size=" + maxLineSize + ", buffer_size=" + bufferSize

// maxLineSize is the longest text line read_csv accepts (16 MiB); bufferSize is its read buffer (32 MiB,
// DuckDB's default size). DuckDB would otherwise size the buffer at 16× the line limit, so a large limit
// makes every text scan reserve gigabytes and fail under a job's memory limit.
const (
	maxLineSize = "16777216"
	bufferSize  = "33554432"
)

// textReadSQL builds the SELECT for a LazySimpleSerDe table. See ReadSQL.
func textReadSQL(spec Spec, files []string) (string, error) {
	tp, err := spec.textParams()
	if err != nil {
		return "", err
	}
	type group struct {
		mode  textMode
		files []string
	}
	// The files' bytes are scanned two at a time: TPC-H SF1 lineitem.tbl split in 8 files (760 MB, in the
	// page cache) takes 0.14 s instead of 0.19 s one at a time. The scans are bound by memory bandwidth.
	all := make([]fileFacts, len(files))
	var g errgroup.Group
	g.SetLimit(2)
	for i, path := range files {
		g.Go(func() error {
			var err error
			all[i], err = spec.Facts.scan(path)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return "", err
	}
	var groups []group
	for i, path := range files {
		facts := all[i]
		if facts.size == 0 {
			continue
		}
		m := tp.modeFor(facts)
		if m != modeExact && len(groups) > 0 && groups[len(groups)-1].mode == m {
			groups[len(groups)-1].files = append(groups[len(groups)-1].files, path)
			continue
		}
		groups = append(groups, group{m, []string{path}})
	}
	if len(groups) == 0 {
		return emptySelect(spec.Columns), nil
	}
	var parts []string
	for _, g := range groups {
		var q string
		var err error
		switch g.mode {
		case modeFields:
			q, err = tp.fieldsSelect(spec.Columns, g.files)
		case modeLines:
			src := fmt.Sprintf("SELECT coalesce(line, '') AS line FROM read_csv(%s, delim='', columns={'line': 'VARCHAR'}, %s%s)",
				quoteList(g.files), csvCommon, skipOpt(tp.header))
			q, err = tp.linesSelect(spec.Columns, src)
		case modeExact:
			q, err = tp.linesSelect(spec.Columns, tp.exactSource(g.files[0]))
		}
		if err != nil {
			return "", err
		}
		parts = append(parts, q)
	}
	return strings.Join(parts, "\nUNION ALL\n"), nil
}

func skipOpt(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", skip=%d", n)
}

func emptySelect(cols []Column) string {
	items := make([]string, len(cols))
	for i, c := range cols {
		items[i] = fmt.Sprintf("CAST(NULL AS %s) AS %s", duckdbsql.Type(c.Type), duckdbsql.Ident(colName(c)))
	}
	return "SELECT " + strings.Join(items, ", ") + " WHERE false"
}

// fieldsSelect reads with read_csv splitting fields; the NULL format is read_csv's nullstr.
func (tp *textParams) fieldsSelect(cols []Column, files []string) (string, error) {
	decl := make([]string, len(cols))
	items := make([]string, len(cols))
	for i, c := range cols {
		raw := fmt.Sprintf("c%d", i)
		decl[i] = fmt.Sprintf("'%s': 'VARCHAR'", raw)
		conv := &textConv{tp: tp}
		e, err := conv.read(raw, c.Type, 1)
		if err != nil {
			return "", fmt.Errorf("column %s: %w", c.Name, err)
		}
		items[i] = fmt.Sprintf("CAST(%s AS %s) AS %s", e, duckdbsql.Type(c.Type), duckdbsql.Ident(colName(c)))
	}
	return fmt.Sprintf("SELECT %s FROM read_csv(%s, delim=%s, columns={%s}, nullstr=%s, %s%s)",
		strings.Join(items, ", "), quoteList(files), duckdbsql.String(tp.seps[0]), strings.Join(decl, ", "),
		duckdbsql.String(tp.nullFmt), csvCommon, skipOpt(tp.header)), nil
}

// exactSource yields the lines of one file split on '\n' only, header and footer lines removed.
func (tp *textParams) exactSource(path string) string {
	return fmt.Sprintf("SELECT line FROM (SELECT s.l[r.i] AS line, r.i FROM (SELECT string_split(content, chr(10)) AS l, "+
		"CASE WHEN content = '' THEN 0 WHEN suffix(content, chr(10)) THEN len(string_split(content, chr(10))) - 1 "+
		"ELSE len(string_split(content, chr(10))) END AS n FROM read_text(%s)) AS s, "+
		"range(%d, s.n - %d + 1) AS r(i)) ORDER BY i", duckdbsql.String(path), tp.header+1, tp.footer)
}

// linesSelect splits the lines of src (a query with one VARCHAR column "line") into the columns.
func (tp *textParams) linesSelect(cols []Column, src string) (string, error) {
	line := "line"
	if tp.escape != "" {
		line = tp.markerize(line)
	}
	fd := duckdbsql.String(tp.seps[0])
	items := make([]string, len(cols))
	for i, c := range cols {
		raw := fmt.Sprintf("p[%d]", i+1)
		if tp.takesRest && i == len(cols)-1 {
			raw = fmt.Sprintf("CASE WHEN len(p) >= %d THEN array_to_string(p[%d:], %s) END", i+1, i+1, fd)
		}
		raw = fmt.Sprintf("nullif(%s, %s)", raw, duckdbsql.String(tp.nullFmt))
		conv := &textConv{tp: tp}
		e, err := conv.read(raw, c.Type, 1)
		if err != nil {
			return "", fmt.Errorf("column %s: %w", c.Name, err)
		}
		items[i] = fmt.Sprintf("CAST(%s AS %s) AS %s", e, duckdbsql.Type(c.Type), duckdbsql.Ident(colName(c)))
	}
	return fmt.Sprintf("SELECT %s FROM (SELECT string_split(%s, %s) AS p FROM (%s) AS src) AS split",
		strings.Join(items, ", "), line, fd, src), nil
}

// marker is the stand-in for an escaped character while a line is split: a code point of Unicode's
// supplementary private use area B (U+100000 + the character), which real data does not contain.
func marker(c string) string { return string(rune(0x100000 + []rune(c)[0])) }

// escapable are the characters ESCAPED BY protects: the escape character and every separator.
func (tp *textParams) escapable() []string { return append([]string{tp.escape}, tp.seps...) }

// markerize replaces escape pairs (escape + escape, escape + separator) by markers so that splitting on
// separators only splits on unescaped ones. Left-to-right replacement matches Hive's left-to-right scan.
func (tp *textParams) markerize(expr string) string {
	for _, c := range tp.escapable() {
		expr = fmt.Sprintf("replace(%s, %s, %s)", expr, duckdbsql.String(tp.escape+c), duckdbsql.String(marker(c)))
	}
	return expr
}

// unescape turns a markerized field into its value: an escape before any other character drops the
// escape (with serialization.escape.crlf, escape+r / escape+n are CR / LF), markers become their characters.
func (tp *textParams) unescape(expr string) string {
	if tp.escapeCRLF {
		expr = fmt.Sprintf("replace(replace(%s, %s, chr(13)), %s, chr(10))", expr,
			duckdbsql.String(tp.escape+"r"), duckdbsql.String(tp.escape+"n"))
	}
	expr = fmt.Sprintf("regexp_replace(%s, %s, '\\1', 'g')", expr, duckdbsql.String("(?s)"+regexp.QuoteMeta(tp.escape)+"(.)"))
	for _, c := range tp.escapable() {
		expr = fmt.Sprintf("replace(%s, %s, %s)", expr, duckdbsql.String(marker(c)), duckdbsql.String(c))
	}
	return expr
}

// textConv converts a raw text field (VARCHAR, NULL when it was the NULL format) into a typed value.
type textConv struct {
	tp    *textParams
	nvars int
}

func (c *textConv) newVar() string {
	c.nvars++
	return fmt.Sprintf("_v%d", c.nvars)
}

// Patterns of the integers Java's parsing in Hive's LazyInteger/LazyLong accepts: an optional sign and
// digits; a fractional part is allowed and truncated. No spaces, no exponent, no hex, no underscores.
const (
	intPattern     = `[+-]?[0-9]+`
	intFracPattern = `[+-]?[0-9]+\.[0-9]*`
)

// read returns the expression converting raw (evaluated possibly several times) to type t, at nesting
// level `level` (1 for a column: its collection items are separated by seps[1]).
func (c *textConv) read(raw string, t *types.Type, level int) (string, error) {
	tp := c.tp
	nullIf := func(e string) string { return fmt.Sprintf("nullif(%s, %s)", e, duckdbsql.String(tp.nullFmt)) }
	switch t.Kind {
	case types.String, types.Char, types.Varchar:
		e := raw
		if tp.escape != "" {
			e = tp.unescape(e)
		}
		switch t.Kind {
		case types.Varchar:
			e = fmt.Sprintf("left(%s, %d)", e, t.Length)
		case types.Char:
			e = fmt.Sprintf("rpad(left(%s, %d), %d, ' ')", e, t.Length, t.Length)
		}
		return e, nil
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt:
		dt := duckdbsql.Type(t)
		// Fast path first: a value that is its own canonical form (CAST back to VARCHAR gives it again: an
		// optional '-' and digits without leading zeros, the common case) is cast without the regexes.
		// DuckDB's cast alone is not enough: it also takes spaces, exponents, hex and rounds fractions.
		// 6M values: 0.19 s, against 1.2 s for the previous fast path's ltrim(raw, '0123456789') = ''.
		return fmt.Sprintf("CASE WHEN CAST(TRY_CAST(%[1]s AS %[3]s) AS VARCHAR) = %[1]s THEN TRY_CAST(%[1]s AS %[3]s) "+
			"WHEN regexp_full_match(%[1]s, '%[2]s') THEN TRY_CAST(%[1]s AS %[3]s) "+
			"WHEN regexp_full_match(%[1]s, '%[4]s') THEN TRY_CAST(split_part(%[1]s, '.', 1) AS %[3]s) END",
			raw, intPattern, dt, intFracPattern), nil
	case types.Boolean:
		return fmt.Sprintf("CASE lower(%s) WHEN 'true' THEN true WHEN 'false' THEN false END", raw), nil
	case types.Float, types.Double, types.Decimal, types.Date, types.Timestamp,
		types.IntervalDayTime, types.IntervalYearMonth:
		return fmt.Sprintf("TRY_CAST(%s AS %s)", raw, duckdbsql.Type(t)), nil
	case types.Binary:
		b := fmt.Sprintf("rtrim(%s, '=')", raw)
		return fmt.Sprintf("CASE WHEN regexp_full_match(%[1]s, '[A-Za-z0-9+/]+={0,2}') AND length(%[2]s) %% 4 <> 1 "+
			"THEN from_base64(rpad(%[2]s, CAST((length(%[2]s) + 3) // 4 * 4 AS INTEGER), '=')) ELSE encode(%[1]s) END",
			raw, b), nil
	case types.Void:
		return "CAST(NULL AS INTEGER)", nil
	case types.Array:
		sep, err := tp.sep(level)
		if err != nil {
			return "", err
		}
		v := c.newVar()
		elem, err := c.read(nullIf(v), t.Elem, level+1)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("CASE WHEN %[1]s = '' THEN CAST([] AS %[2]s) ELSE list_transform(string_split(%[1]s, %[3]s), lambda %[4]s: %[5]s) END",
			raw, duckdbsql.Type(t), duckdbsql.String(sep), v, elem), nil
	case types.Map:
		sep, err := tp.sep(level)
		if err != nil {
			return "", err
		}
		kvSep, err := tp.sep(level + 1)
		if err != nil {
			return "", err
		}
		e := c.newVar()
		ks := fmt.Sprintf("split_part(%s, %s, 1)", e, duckdbsql.String(kvSep))
		vs := fmt.Sprintf("CASE WHEN strpos(%[1]s, %[2]s) > 0 THEN substr(%[1]s, strpos(%[1]s, %[2]s) + 1) END", e, duckdbsql.String(kvSep))
		k, err := c.read(nullIf(ks), t.Key, level+2)
		if err != nil {
			return "", err
		}
		val, err := c.read(nullIf(vs), t.Value, level+2)
		if err != nil {
			return "", err
		}
		m, y, z := c.newVar(), c.newVar(), c.newVar()
		entries := fmt.Sprintf("list_transform(string_split(%s, %s), lambda %s: {'k': %s, 'v': %s})", raw, duckdbsql.String(sep), e, k, val)
		// Hive's LazyMap drops NULL keys and keeps the first of duplicate keys; DuckDB maps allow neither.
		dedup := fmt.Sprintf("list_transform([%[1]s], lambda %[2]s: map_from_entries(list_filter(%[2]s, lambda %[3]s, i: %[3]s.k IS NOT NULL AND list_position(list_transform(%[2]s, lambda %[4]s: %[4]s.k), %[3]s.k) = i)))[1]",
			entries, m, y, z)
		return fmt.Sprintf("CASE WHEN %[1]s IS NULL THEN NULL WHEN %[1]s = '' THEN CAST(MAP {} AS %[2]s) ELSE %[3]s END",
			raw, duckdbsql.Type(t), dedup), nil
	case types.Struct:
		sep, err := tp.sep(level)
		if err != nil {
			return "", err
		}
		p := c.newVar()
		fields := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			fe, err := c.read(nullIf(fmt.Sprintf("%s[%d]", p, i+1)), f.Type, level+1)
			if err != nil {
				return "", err
			}
			fields[i] = fmt.Sprintf("%s: %s", duckdbsql.String(f.Name), fe)
		}
		return fmt.Sprintf("CASE WHEN %[1]s IS NULL THEN NULL ELSE list_transform([string_split(%[1]s, %[2]s)], lambda %[3]s: {%[4]s})[1] END",
			raw, duckdbsql.String(sep), p, strings.Join(fields, ", ")), nil
	}
	return "", fmt.Errorf("type %s is not supported in text tables", t)
}

// write returns the text of expr (type t, not NULL) as LazySimpleSerDe writes it at nesting level `level`.
func (c *textConv) write(expr string, t *types.Type, level int) (string, error) {
	tp := c.tp
	switch t.Kind {
	case types.String, types.Char, types.Varchar:
		if tp.escape == "" {
			return expr, nil
		}
		var class strings.Builder
		for _, ch := range tp.escapable() {
			fmt.Fprintf(&class, `\x{%x}`, []rune(ch)[0])
		}
		rewrite := tp.escape
		if rewrite == `\` {
			rewrite = `\\`
		}
		e := fmt.Sprintf("regexp_replace(%s, %s, %s, 'g')", expr, duckdbsql.String("(["+class.String()+"])"), duckdbsql.String(rewrite+`\1`))
		if tp.escapeCRLF {
			e = fmt.Sprintf("replace(replace(%s, chr(13), %s), chr(10), %s)", e, duckdbsql.String(tp.escape+"r"), duckdbsql.String(tp.escape+"n"))
		}
		return e, nil
	case types.Boolean:
		return fmt.Sprintf("CASE WHEN %[1]s THEN 'true' WHEN NOT %[1]s THEN 'false' END", expr), nil
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt, types.Decimal, types.Date,
		types.IntervalDayTime, types.IntervalYearMonth:
		return fmt.Sprintf("CAST(%s AS VARCHAR)", expr), nil
	case types.Float:
		return fmt.Sprintf("hive_float_text(%s)", expr), nil
	case types.Double:
		return fmt.Sprintf("hive_double_text(%s)", expr), nil
	case types.Timestamp:
		// Hive prints the fraction only when it is not zero, without trailing zeros.
		return fmt.Sprintf("rtrim(rtrim(strftime(%s, '%%Y-%%m-%%d %%H:%%M:%%S.%%f'), '0'), '.')", expr), nil
	case types.Binary:
		return fmt.Sprintf("to_base64(%s)", expr), nil
	case types.Void:
		return duckdbsql.String(tp.nullFmt), nil
	case types.Array:
		sep, err := tp.sep(level)
		if err != nil {
			return "", err
		}
		v := c.newVar()
		elem, err := c.writeNullable(v, t.Elem, level+1)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("array_to_string(list_transform(%s, lambda %s: %s), %s)", expr, v, elem, duckdbsql.String(sep)), nil
	case types.Map:
		sep, err := tp.sep(level)
		if err != nil {
			return "", err
		}
		kvSep, err := tp.sep(level + 1)
		if err != nil {
			return "", err
		}
		e := c.newVar()
		k, err := c.writeNullable(e+".key", t.Key, level+2)
		if err != nil {
			return "", err
		}
		v, err := c.writeNullable(e+".value", t.Value, level+2)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("array_to_string(list_transform(map_entries(%s), lambda %s: %s || %s || %s), %s)",
			expr, e, k, duckdbsql.String(kvSep), v, duckdbsql.String(sep)), nil
	case types.Struct:
		sep, err := tp.sep(level)
		if err != nil {
			return "", err
		}
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			fe, err := c.writeNullable(fmt.Sprintf("struct_extract(%s, %s)", expr, duckdbsql.String(f.Name)), f.Type, level+1)
			if err != nil {
				return "", err
			}
			parts[i] = fe
		}
		return strings.Join(parts, " || "+duckdbsql.String(sep)+" || "), nil
	}
	return "", fmt.Errorf("type %s is not supported in text tables", t)
}

// writeNullable is write with NULL written as the NULL format.
func (c *textConv) writeNullable(expr string, t *types.Type, level int) (string, error) {
	w, err := c.write(expr, t, level)
	if err != nil {
		return "", err
	}
	if t.IsComplex() {
		return fmt.Sprintf("CASE WHEN %s IS NULL THEN %s ELSE %s END", expr, duckdbsql.String(c.tp.nullFmt), w), nil
	}
	return fmt.Sprintf("coalesce(%s, %s)", w, duckdbsql.String(c.tp.nullFmt)), nil
}

// textWriteSQL builds the COPY for a LazySimpleSerDe table. See WriteSQL.
func textWriteSQL(spec Spec, query, outFile string) (string, error) {
	tp, err := spec.textParams()
	if err != nil {
		return "", err
	}
	fields := make([]string, len(spec.Columns))
	for i, col := range spec.Columns {
		conv := &textConv{tp: &tp}
		e, err := conv.writeNullable("q."+duckdbsql.Ident(colName(col)), col.Type, 1)
		if err != nil {
			return "", fmt.Errorf("column %s: %w", col.Name, err)
		}
		fields[i] = e
	}
	line := strings.Join(fields, " || "+duckdbsql.String(tp.seps[0])+" || ")
	return fmt.Sprintf("COPY (SELECT %s AS line FROM (%s) AS q(%s)) TO %s (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER %s, COMPRESSION 'none')",
		line, query, aliasList(spec.Columns), duckdbsql.String(outFile), duckdbsql.String(tp.seps[0])), nil
}

func aliasList(cols []Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = duckdbsql.Ident(colName(c))
	}
	return strings.Join(names, ", ")
}
