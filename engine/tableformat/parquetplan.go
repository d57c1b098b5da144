package tableformat

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/apache/thrift/lib/go/thrift"
)

// ByteRange is the byte range [Off, Off+Len) of a file.
type ByteRange struct{ Off, Len int64 }

func (r ByteRange) end() int64 { return r.Off + r.Len }

// parquetTail is how many bytes at the end of a Parquet file are fetched first: the footer of most
// files fits.
const parquetTail = 64 << 10

// parquetWholeShare is the share of a file above which a scan fetches it whole (into the shared object
// cache, where other jobs find it) rather than in part.
const parquetWholeShare = 0.75

// ParquetPlan says which bytes of a Parquet file a scan reading the given top-level columns (matched
// case-insensitively; columns nil means all) needs, given the partial local copy at local (size bytes,
// holding the ranges in have, zeros elsewhere). It is asked repeatedly as the copy fills:
//
//  1. without the tail, it asks for the first 4 bytes (magic) and the last 64 KiB;
//  2. without the whole footer (its length is in the last 8 bytes), it asks for the footer;
//  3. with the footer, it asks for the column chunks of the needed columns in every row group, with
//     their dictionary pages, bloom filters and page indexes.
//
// whole is true when the scan needs (nearly) all of the file, or when the file is not plain Parquet
// (bad magic, encrypted footer, column chunks in other files): the caller then fetches it whole and
// DuckDB reports any error on the real bytes.
func ParquetPlan(local string, size int64, have []ByteRange, columns []string) (need []ByteRange, whole bool, err error) {
	if columns == nil || size < 12 {
		return nil, true, nil
	}
	magic := ByteRange{0, 4}
	tail := ByteRange{max(size-parquetTail, 0), min(size, parquetTail)}
	if !covered(have, ByteRange{size - 8, 8}) {
		return []ByteRange{magic, tail}, false, nil
	}
	f, err := os.Open(local)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	var trailer [8]byte
	if _, err := f.ReadAt(trailer[:], size-8); err != nil {
		return nil, false, err
	}
	if string(trailer[4:]) != "PAR1" {
		return nil, true, nil // encrypted ("PARE") or not Parquet: let DuckDB see the real file
	}
	footLen := int64(binary.LittleEndian.Uint32(trailer[:4]))
	footer := ByteRange{size - 8 - footLen, footLen + 8}
	if footer.Off < 4 {
		return nil, true, nil
	}
	need = []ByteRange{magic, footer}
	if !covered(have, footer) {
		return need, false, nil
	}
	buf := make([]byte, footLen)
	if _, err := f.ReadAt(buf, footer.Off); err != nil {
		return nil, false, err
	}
	chunks, err := parquetChunks(buf)
	if err != nil {
		return nil, true, nil // unreadable footer: DuckDB reports it on the whole file
	}
	want := map[string]bool{}
	for _, c := range columns {
		want[strings.ToLower(c)] = true
	}
	var total int64
	for _, c := range chunks {
		if c.external {
			return nil, true, nil
		}
		if !want[strings.ToLower(c.top)] {
			continue
		}
		for _, r := range c.ranges {
			if r.Len < 0 { // a bloom filter of unknown length: up to 1 MiB, within the data area
				r.Len = min(1<<20, footer.Off-r.Off)
			}
			if r.Off < 4 || r.end() > footer.Off {
				return nil, true, nil // offsets outside the data area: do not guess
			}
			need = append(need, r)
			total += r.Len
		}
	}
	if float64(total) >= parquetWholeShare*float64(size) {
		return nil, true, nil
	}
	return need, false, nil
}

// covered reports whether the sorted, disjoint ranges have hold all of r.
func covered(have []ByteRange, r ByteRange) bool {
	for _, h := range have {
		if h.Off <= r.Off && r.end() <= h.end() {
			return true
		}
	}
	return false
}

// parquetChunk is what a partial fetch needs to know of one column chunk.
type parquetChunk struct {
	top      string      // top-level column name (first element of path_in_schema)
	ranges   []ByteRange // pages (dictionary first), bloom filter, column and offset indexes
	external bool        // data in another file (ColumnChunk.file_path)
}

// parquetChunks decodes the column chunks of a FileMetaData (Thrift compact protocol), reading only the
// fields it needs. Field ids are those of parquet.thrift:
//
//	FileMetaData   4: row_groups list<RowGroup>
//	RowGroup       1: columns list<ColumnChunk>
//	ColumnChunk    1: file_path, 3: meta_data ColumnMetaData, 4: offset_index_offset i64,
//	               5: offset_index_length i32, 6: column_index_offset i64, 7: column_index_length i32
//	ColumnMetaData 3: path_in_schema list<string>, 7: total_compressed_size i64, 9: data_page_offset i64,
//	               11: dictionary_page_offset i64, 14: bloom_filter_offset i64, 15: bloom_filter_length i32
func parquetChunks(footer []byte) ([]parquetChunk, error) {
	ctx := context.Background()
	trans := thrift.NewStreamTransportR(bytes.NewReader(footer))
	p := thrift.NewTCompactProtocolConf(trans, &thrift.TConfiguration{MaxMessageSize: int32(min(len(footer)+1, 1<<30))})
	var out []parquetChunk
	err := readStruct(ctx, p, func(id int16, t thrift.TType) error {
		if id != 4 || t != thrift.LIST {
			return p.Skip(ctx, t)
		}
		return readList(ctx, p, func() error { // RowGroup
			return readStruct(ctx, p, func(id int16, t thrift.TType) error {
				if id != 1 || t != thrift.LIST {
					return p.Skip(ctx, t)
				}
				return readList(ctx, p, func() error { // ColumnChunk
					c, err := readColumnChunk(ctx, p)
					out = append(out, c)
					return err
				})
			})
		})
	})
	return out, err
}

func readColumnChunk(ctx context.Context, p thrift.TProtocol) (parquetChunk, error) {
	var c parquetChunk
	var oiOff, ciOff int64
	var oiLen, ciLen int32
	var total, data, dict, bloomOff int64
	var bloomLen int32
	var hasMeta bool
	err := readStruct(ctx, p, func(id int16, t thrift.TType) error {
		var err error
		switch {
		case id == 1 && t == thrift.STRING:
			var path string
			path, err = p.ReadString(ctx)
			c.external = path != ""
		case id == 3 && t == thrift.STRUCT:
			hasMeta = true
			err = readStruct(ctx, p, func(id int16, t thrift.TType) error {
				var err error
				switch {
				case id == 3 && t == thrift.LIST:
					first := true
					err = readList(ctx, p, func() error {
						s, err := p.ReadString(ctx)
						if first {
							c.top, first = s, false
						}
						return err
					})
				case id == 7 && t == thrift.I64:
					total, err = p.ReadI64(ctx)
				case id == 9 && t == thrift.I64:
					data, err = p.ReadI64(ctx)
				case id == 11 && t == thrift.I64:
					dict, err = p.ReadI64(ctx)
				case id == 14 && t == thrift.I64:
					bloomOff, err = p.ReadI64(ctx)
				case id == 15 && t == thrift.I32:
					bloomLen, err = p.ReadI32(ctx)
				default:
					err = p.Skip(ctx, t)
				}
				return err
			})
		case id == 4 && t == thrift.I64:
			oiOff, err = p.ReadI64(ctx)
		case id == 5 && t == thrift.I32:
			oiLen, err = p.ReadI32(ctx)
		case id == 6 && t == thrift.I64:
			ciOff, err = p.ReadI64(ctx)
		case id == 7 && t == thrift.I32:
			ciLen, err = p.ReadI32(ctx)
		default:
			err = p.Skip(ctx, t)
		}
		return err
	})
	if err != nil {
		return c, err
	}
	if !hasMeta {
		return c, errors.New("column chunk without metadata (encrypted?)")
	}
	// The chunk starts at its dictionary page when it has one (some writers leave the offset 0 or
	// point it past the data page: then there is none), and spans total_compressed_size bytes.
	start := data
	if dict >= 4 && dict < data {
		start = dict
	}
	if total <= 0 {
		return c, fmt.Errorf("column chunk %q with size %d", c.top, total)
	}
	c.ranges = append(c.ranges, ByteRange{start, total})
	if bloomOff > 0 {
		n := int64(bloomLen)
		if n <= 0 {
			n = -1 // length not recorded (older writers): ParquetPlan bounds it
		}
		c.ranges = append(c.ranges, ByteRange{bloomOff, n})
	}
	if oiOff > 0 && oiLen > 0 {
		c.ranges = append(c.ranges, ByteRange{oiOff, int64(oiLen)})
	}
	if ciOff > 0 && ciLen > 0 {
		c.ranges = append(c.ranges, ByteRange{ciOff, int64(ciLen)})
	}
	return c, nil
}

// readStruct reads a struct, calling field for each field (which must consume it).
func readStruct(ctx context.Context, p thrift.TProtocol, field func(id int16, t thrift.TType) error) error {
	if _, err := p.ReadStructBegin(ctx); err != nil {
		return err
	}
	for {
		_, t, id, err := p.ReadFieldBegin(ctx)
		if err != nil {
			return err
		}
		if t == thrift.STOP {
			break
		}
		if err := field(id, t); err != nil {
			return err
		}
		if err := p.ReadFieldEnd(ctx); err != nil {
			return err
		}
	}
	return p.ReadStructEnd(ctx)
}

// readList reads a list, calling elem for each element (which must consume it).
func readList(ctx context.Context, p thrift.TProtocol, elem func() error) error {
	_, n, err := p.ReadListBegin(ctx)
	if err != nil {
		return err
	}
	for range n {
		if err := elem(); err != nil {
			return err
		}
	}
	return p.ReadListEnd(ctx)
}
