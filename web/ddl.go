package web

import (
	"fmt"
	"slices"
	"strings"

	"github.com/waggle-dev/waggle/catalog"
)

// tableDDL renders a table's CREATE statement from its metastore record, in the shape of Hive's
// SHOW CREATE TABLE (SerDe and input/output formats spelled out, LOCATION, TBLPROPERTIES).
func tableDDL(t *catalog.Table) string {
	quote := func(s string) string {
		var b strings.Builder
		b.WriteByte('\'')
		for _, r := range s {
			switch {
			case r == '\'' || r == '\\':
				b.WriteByte('\\')
				b.WriteRune(r)
			case r < 0x20:
				fmt.Fprintf(&b, `\u%04X`, r)
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('\'')
		return b.String()
	}
	cols := func(fs []catalog.FieldSchema) []string {
		out := make([]string, len(fs))
		for i, c := range fs {
			out[i] = "  `" + c.Name + "` " + c.Type
			if c.Comment != "" {
				out[i] += " COMMENT " + quote(c.Comment)
			}
		}
		return out
	}
	props := func(m map[string]string, skip ...string) []string {
		var out []string
		for _, k := range sortedKeys(m) {
			if !slices.Contains(skip, k) {
				out = append(out, "  "+quote(k)+"="+quote(m[k]))
			}
		}
		return out
	}
	if t.IsView() {
		text := t.ViewExpandedText
		if text == "" {
			text = t.ViewOriginalText
		}
		return "CREATE VIEW `" + t.DBName + "`.`" + t.Name + "` AS " + text
	}
	var lines []string
	kind := "TABLE"
	if t.TableType == catalog.ExternalTable {
		kind = "EXTERNAL TABLE"
	}
	lines = append(lines, "CREATE "+kind+" `"+t.DBName+"."+t.Name+"`(")
	sd := t.SD
	if sd == nil {
		sd = &catalog.StorageDescriptor{}
	}
	lines = append(lines, strings.Join(cols(sd.Cols), ",\n")+")")
	if c, ok := t.Parameters["comment"]; ok {
		lines = append(lines, "COMMENT "+quote(c))
	}
	if len(t.PartitionKeys) > 0 {
		lines = append(lines, "PARTITIONED BY (", strings.Join(cols(t.PartitionKeys), ",\n")+")")
	}
	if len(sd.BucketCols) > 0 && sd.NumBuckets > 0 {
		s := "CLUSTERED BY (" + strings.Join(sd.BucketCols, ", ") + ")"
		if len(sd.SortCols) > 0 {
			var sc []string
			for _, o := range sd.SortCols {
				dir := "ASC"
				if o.Order == catalog.OrderDesc {
					dir = "DESC"
				}
				sc = append(sc, o.Col+" "+dir)
			}
			s += " SORTED BY (" + strings.Join(sc, ", ") + ")"
		}
		lines = append(lines, fmt.Sprintf("%s INTO %d BUCKETS", s, sd.NumBuckets))
	}
	lines = append(lines, "ROW FORMAT SERDE", "  "+quote(sd.SerDe.SerializationLib))
	if p := props(sd.SerDe.Parameters); len(p) > 0 {
		lines = append(lines, "WITH SERDEPROPERTIES (", strings.Join(p, ",\n")+")")
	}
	lines = append(lines, "STORED AS INPUTFORMAT", "  "+quote(sd.InputFormat), "OUTPUTFORMAT", "  "+quote(sd.OutputFormat))
	if sd.Location != "" {
		lines = append(lines, "LOCATION", "  "+quote(sd.Location))
	}
	if p := props(t.Parameters, "comment", "EXTERNAL"); len(p) > 0 {
		lines = append(lines, "TBLPROPERTIES (", strings.Join(p, ",\n")+")")
	}
	return strings.Join(lines, "\n")
}

// storageFormat names a storage descriptor's format the way STORED AS would (PARQUET, TEXTFILE, ...).
func storageFormat(sd *catalog.StorageDescriptor) string {
	if sd == nil {
		return ""
	}
	in := strings.ToLower(sd.InputFormat + " " + sd.SerDe.SerializationLib)
	for _, f := range []struct{ needle, name string }{
		{"parquet", "PARQUET"}, {"orc", "ORC"}, {"avro", "AVRO"}, {"jsonserde", "JSONFILE"}, {"json", "JSONFILE"},
		{"opencsvserde", "TEXTFILE (CSV)"}, {"sequencefile", "SEQUENCEFILE"}, {"rcfile", "RCFILE"},
		{"textinputformat", "TEXTFILE"},
	} {
		if strings.Contains(in, f.needle) {
			return f.name
		}
	}
	return sd.InputFormat
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
