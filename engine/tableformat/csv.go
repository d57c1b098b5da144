package tableformat

import (
	"fmt"
	"github.com/waggle-dev/waggle/duckdbsql"
	"strings"

	"github.com/waggle-dev/waggle/hiveql/types"
)

// csvParams are OpenCSVSerde's separatorChar, quoteChar and escapeChar.
func csvParams(spec Spec) (sep, quote, escape string) {
	get := func(k, def string) string {
		if v := spec.SerDeParams[k]; v != "" {
			return string([]rune(v)[:1])
		}
		return def
	}
	return get("separatorChar", ","), get("quoteChar", `"`), get("escapeChar", `\`)
}

func stringColumns(cols []Column) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		out[i] = Column{Name: c.Name, Type: types.Prim(types.String)}
	}
	return out
}

// noNull is a nullstr that never matches: OpenCSVSerde has no NULL text, an empty field is ”.
const noNull = "\x02\x03\x04\x05\x06"

// csvReadSQL reads OpenCSVSerde files: every column VARCHAR, quotes honoured, missing fields NULL.
func csvReadSQL(spec Spec, files []string) (string, error) {
	cols := stringColumns(spec.Columns)
	if len(files) == 0 {
		return emptySelect(cols), nil
	}
	header, err := intParam(spec.TableParams, "skip.header.line.count")
	if err != nil {
		return "", err
	}
	if n, _ := intParam(spec.TableParams, "skip.footer.line.count"); n > 0 {
		return "", fmt.Errorf("skip.footer.line.count is not supported for OpenCSVSerde tables")
	}
	sep, quote, escape := csvParams(spec)
	decl := make([]string, len(cols))
	items := make([]string, len(cols))
	for i, c := range cols {
		decl[i] = fmt.Sprintf("'c%d': 'VARCHAR'", i)
		items[i] = fmt.Sprintf("c%d AS %s", i, duckdbsql.Ident(colName(c)))
	}
	return fmt.Sprintf("SELECT %s FROM read_csv(%s, delim=%s, quote=%s, escape=%s, columns={%s}, nullstr=%s, "+
		"header=false, auto_detect=false, comment='', strict_mode=false, null_padding=true, max_line_size="+maxLineSize+", buffer_size="+bufferSize+"%s)",
		strings.Join(items, ", "), quoteList(files), duckdbsql.String(sep), duckdbsql.String(quote), duckdbsql.String(escape),
		strings.Join(decl, ", "), duckdbsql.String(noNull), skipOpt(header)), nil
}

// csvWriteSQL writes like OpenCSVSerde (opencsv's CSVWriter): every value quoted, quote and escape
// characters inside values escaped, NULL as an empty unquoted field.
func csvWriteSQL(spec Spec, query, outFile string) (string, error) {
	sep, quote, escape := csvParams(spec)
	items := make([]string, len(spec.Columns))
	tp := &textParams{seps: []string{sep, "\x02", "\x03", "\x04", "\x05", "\x06", "\x07", "\x08"}, nullFmt: `\N`}
	for i, c := range spec.Columns {
		ref := "q." + duckdbsql.Ident(colName(c))
		conv := &textConv{tp: tp}
		e, err := conv.write(ref, c.Type, 1)
		if err != nil {
			return "", fmt.Errorf("column %s: %w", c.Name, err)
		}
		items[i] = fmt.Sprintf("CASE WHEN %s IS NULL THEN NULL ELSE %s END AS %s", ref, e, duckdbsql.Ident(colName(c)))
	}
	return fmt.Sprintf("COPY (SELECT %s FROM (%s) AS q(%s)) TO %s (FORMAT csv, HEADER false, DELIMITER %s, QUOTE %s, ESCAPE %s, FORCE_QUOTE *, NULLSTR '', COMPRESSION 'none')",
		strings.Join(items, ", "), query, aliasList(spec.Columns), duckdbsql.String(outFile),
		duckdbsql.String(sep), duckdbsql.String(quote), duckdbsql.String(escape)), nil
}
