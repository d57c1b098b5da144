package tableformat

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/waggle-dev/waggle/hiveql/types"
)

// Format is a table storage format.
type Format int

// The formats. Text, Parquet, JSON and CSV can be read and written; the others are recognised so that the
// error message can name them.
const (
	Text    Format = iota // LazySimpleSerDe over TextInputFormat (TEXTFILE, the Hive default)
	Parquet               // ParquetHiveSerDe
	JSON                  // one JSON object per line (hcatalog / openx / Hive JsonSerDe)
	CSV                   // OpenCSVSerde
	ORC
	Avro
	SequenceFile
	RCFile
	Other // a SerDe or input format this package does not know
)

var formatNames = [...]string{
	Text: "TEXTFILE", Parquet: "PARQUET", JSON: "JSONFILE", CSV: "CSV", ORC: "ORC", Avro: "AVRO",
	SequenceFile: "SEQUENCEFILE", RCFile: "RCFILE", Other: "OTHER",
}

func (f Format) String() string {
	if f >= 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// Supported reports whether ReadSQL and WriteSQL handle the format.
func (f Format) Supported() bool { return f == Text || f == Parquet || f == JSON || f == CSV }

// Column is a data column of a table.
type Column struct {
	Name string
	Type *types.Type
}

// Spec describes how a table's files are laid out.
type Spec struct {
	Format      Format
	Columns     []Column          // data columns in table order (not partition columns)
	SerDeParams map[string]string // field.delim, colelction.delim, mapkey.delim, escape.delim, ...
	TableParams map[string]string // skip.header.line.count, skip.footer.line.count
	Facts       *FactCache        // optional: remembers text files' scan results across reads
}

// UnsupportedFormatError reports a table whose storage format cannot be read or written. Callers that know
// the table set Table (errors.As) so the message names it.
type UnsupportedFormatError struct {
	Format string // e.g. "ORC", or the SerDe class name for unknown ones
	Table  string // optional, "db.t"
}

func (e *UnsupportedFormatError) Error() string {
	msg := "table format " + e.Format + " is not supported yet"
	if e.Table != "" {
		msg += " (table " + e.Table + ")"
	}
	return msg
}

// Hive class names as the metastore stores them.
const (
	LazySimpleSerDe         = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
	ParquetHiveSerDe        = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
	OpenCSVSerde            = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
	HiveJSONSerDe           = "org.apache.hadoop.hive.serde2.JsonSerDe"
	HCatalogJSONSerDe       = "org.apache.hive.hcatalog.data.JsonSerDe"
	OpenXJSONSerDe          = "org.openx.data.jsonserde.JsonSerDe"
	OrcSerde                = "org.apache.hadoop.hive.ql.io.orc.OrcSerde"
	AvroSerDe               = "org.apache.hadoop.hive.serde2.avro.AvroSerDe"
	LazyBinaryColumnarSerDe = "org.apache.hadoop.hive.serde2.columnar.LazyBinaryColumnarSerDe"
	ColumnarSerDe           = "org.apache.hadoop.hive.serde2.columnar.ColumnarSerDe"

	TextInputFormat          = "org.apache.hadoop.mapred.TextInputFormat"
	TextOutputFormat         = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
	ParquetInputFormat       = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
	ParquetOutputFormat      = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
	OrcInputFormat           = "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat"
	OrcOutputFormat          = "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat"
	AvroInputFormat          = "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat"
	AvroOutputFormat         = "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat"
	SequenceFileInputFormat  = "org.apache.hadoop.mapred.SequenceFileInputFormat"
	SequenceFileOutputFormat = "org.apache.hadoop.hive.ql.io.HiveSequenceFileOutputFormat"
	RCFileInputFormat        = "org.apache.hadoop.hive.ql.io.RCFileInputFormat"
	RCFileOutputFormat       = "org.apache.hadoop.hive.ql.io.RCFileOutputFormat"
)

// StorageFor returns the SerDe, input format and output format class names Hive's metastore records for
// `STORED AS <format>` (TEXTFILE, PARQUET, ORC, AVRO, SEQUENCEFILE, RCFILE, JSONFILE) and for Spark's
// `USING <provider>` (hive, text, parquet, orc, avro, csv, json). The name is case-insensitive.
// USING csv maps to OpenCSVSerde and USING json to Hive's JsonSerDe over text files.
func StorageFor(format string) (serdeLib, inputFormat, outputFormat string, ok bool) {
	switch strings.ToUpper(strings.TrimSpace(format)) {
	case "TEXTFILE", "HIVE", "TEXT":
		return LazySimpleSerDe, TextInputFormat, TextOutputFormat, true
	case "PARQUET":
		return ParquetHiveSerDe, ParquetInputFormat, ParquetOutputFormat, true
	case "ORC":
		return OrcSerde, OrcInputFormat, OrcOutputFormat, true
	case "AVRO":
		return AvroSerDe, AvroInputFormat, AvroOutputFormat, true
	case "SEQUENCEFILE":
		return LazySimpleSerDe, SequenceFileInputFormat, SequenceFileOutputFormat, true
	case "RCFILE":
		return LazyBinaryColumnarSerDe, RCFileInputFormat, RCFileOutputFormat, true
	case "JSONFILE", "JSON":
		return HiveJSONSerDe, TextInputFormat, TextOutputFormat, true
	case "CSV":
		return OpenCSVSerde, TextInputFormat, TextOutputFormat, true
	}
	return "", "", "", false
}

// SpecFrom builds a Spec from the metastore's storage descriptor. Unsupported formats give an
// *UnsupportedFormatError (without the table name; the caller sets Table).
func SpecFrom(serdeLib, inputFormat string, serdeParams, tableParams map[string]string, cols []Column) (Spec, error) {
	f := formatOf(serdeLib, inputFormat)
	spec := Spec{Format: f, Columns: cols, SerDeParams: serdeParams, TableParams: tableParams}
	if !f.Supported() {
		name := f.String()
		if f == Other {
			name = serdeLib
			if name == "" {
				name = inputFormat
			}
		}
		return spec, &UnsupportedFormatError{Format: name}
	}
	return spec, nil
}

func formatOf(serdeLib, inputFormat string) Format {
	serde := strings.ToLower(serdeLib)
	in := strings.ToLower(inputFormat)
	switch {
	case strings.Contains(serde, "parquet") || strings.Contains(in, "parquet"):
		return Parquet
	case strings.Contains(serde, "orc") || strings.Contains(in, ".orc."):
		return ORC
	case strings.Contains(serde, "avro") || strings.Contains(in, "avro"):
		return Avro
	case strings.Contains(in, "rcfile") || strings.Contains(serde, "columnarserde"):
		return RCFile
	case strings.Contains(in, "sequencefile"):
		return SequenceFile
	}
	if in != "" && !strings.HasSuffix(in, ".textinputformat") {
		return Other
	}
	switch {
	case serde == "", strings.HasSuffix(serde, ".lazysimpleserde"), strings.HasSuffix(serde, ".metadatatypedcolumnsetserde"):
		return Text
	case strings.HasSuffix(serde, ".opencsvserde"):
		return CSV
	case strings.HasSuffix(serde, ".jsonserde"):
		return JSON
	}
	return Other
}

// textParams are the LazySimpleSerDe settings of a Spec.
type textParams struct {
	seps       []string // separator per nesting level: fields, collection items, map keys, \x04, ...
	nullFmt    string
	escape     string // "" when ESCAPED BY is not set
	escapeCRLF bool
	takesRest  bool
	header     int
	footer     int
}

// hiveByte mimics LazyUtils.getByte: a decimal number in byte range is that byte value (so
// serialization.format=1 means \x01), anything else is its first character.
func hiveByte(s string, def byte) string {
	if s == "" {
		return string(rune(def))
	}
	if n, err := strconv.ParseInt(s, 10, 8); err == nil {
		return string(rune(byte(n)))
	}
	return string([]rune(s)[:1])
}

func intParam(m map[string]string, key string) (int, error) {
	v, ok := m[key]
	if !ok || strings.TrimSpace(v) == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("table property %s=%q is not a non-negative integer", key, v)
	}
	return n, nil
}

func (s Spec) textParams() (textParams, error) {
	p := s.SerDeParams
	get := func(keys ...string) string {
		for _, k := range keys {
			if v, ok := p[k]; ok && v != "" {
				return v
			}
		}
		return ""
	}
	var tp textParams
	tp.seps = []string{
		hiveByte(get("field.delim", "serialization.format"), 1),
		hiveByte(get("colelction.delim", "collection.delim"), 2),
		hiveByte(get("mapkey.delim"), 3),
	}
	for b := 4; b <= 8; b++ {
		tp.seps = append(tp.seps, string(rune(b)))
	}
	if strings.EqualFold(get("hive.serialization.extend.nesting.levels"), "true") ||
		strings.EqualFold(get("hive.serialization.extend.additional.nesting.levels"), "true") {
		tp.seps = append(tp.seps, "\x0b")
		for b := 14; b <= 26; b++ {
			tp.seps = append(tp.seps, string(rune(b)))
		}
		for b := 28; b <= 31; b++ {
			tp.seps = append(tp.seps, string(rune(b)))
		}
	}
	tp.nullFmt = `\N`
	if v, ok := p["serialization.null.format"]; ok {
		tp.nullFmt = v
	}
	if e := get("escape.delim"); e != "" {
		tp.escape = hiveByte(e, '\\')
	}
	tp.escapeCRLF = strings.EqualFold(get("serialization.escape.crlf"), "true")
	tp.takesRest = strings.EqualFold(get("serialization.last.column.takes.rest"), "true")
	if ld := get("line.delim"); ld != "" && hiveByte(ld, '\n') != "\n" {
		return tp, fmt.Errorf("LINES TERMINATED BY %q is not supported (Hive supports only '\\n')", ld)
	}
	var err error
	if tp.header, err = intParam(s.TableParams, "skip.header.line.count"); err != nil {
		return tp, err
	}
	if tp.footer, err = intParam(s.TableParams, "skip.footer.line.count"); err != nil {
		return tp, err
	}
	return tp, nil
}

// sep returns the separator of a nesting level, or an error when the type nests deeper than the SerDe allows.
func (tp *textParams) sep(level int) (string, error) {
	if level >= len(tp.seps) {
		return "", fmt.Errorf("number of levels of nesting supported for LazySimpleSerDe is %d; unable to work with level %d (set hive.serialization.extend.nesting.levels=true for more)", len(tp.seps)-1, level)
	}
	return tp.seps[level], nil
}
