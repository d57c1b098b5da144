package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/pingcap/go-tpc/tpch/dbgen"
)

// Tables are the eight TPC-H tables in the order Generate writes them.
var Tables = []string{"nation", "region", "customer", "supplier", "part", "partsupp", "orders", "lineitem"}

// tblWriter is a dbgen.Loader writing one table's rows as dbgen does: fields separated by '|', a
// trailing '|' on every line.
type tblWriter struct {
	f    *os.File
	w    *bufio.Writer
	buf  []byte
	rows int64
	row  func(b []byte, item any) ([]byte, int64)
}

func (t *tblWriter) Load(item any) error {
	var n int64
	t.buf, n = t.row(t.buf[:0], item)
	t.rows += n
	_, err := t.w.Write(t.buf)
	return err
}

func (t *tblWriter) Flush() error { return t.w.Flush() }

func (t *tblWriter) close() error {
	if err := t.w.Flush(); err != nil {
		t.f.Close()
		return err
	}
	return t.f.Close()
}

func num[T ~int64](b []byte, v T) []byte { return append(strconv.AppendInt(b, int64(v), 10), '|') }
func str(b []byte, s string) []byte      { return append(append(b, s...), '|') }
func money[T ~int64](b []byte, v T) []byte {
	m := int64(v)
	if m < 0 {
		b = append(b, '-')
		m = -m
	}
	b = strconv.AppendInt(b, m/100, 10)
	b = append(b, '.', byte('0'+m%100/10), byte('0'+m%10))
	return append(b, '|')
}

var rowFuncs = map[string]func(b []byte, item any) ([]byte, int64){
	"nation": func(b []byte, item any) ([]byte, int64) {
		n := item.(*dbgen.Nation)
		b = num(b, n.Code)
		b = str(b, n.Text)
		b = num(b, n.Join)
		b = str(b, n.Comment)
		return append(b, '\n'), 1
	},
	"region": func(b []byte, item any) ([]byte, int64) {
		r := item.(*dbgen.Region)
		b = num(b, r.Code)
		b = str(b, r.Text)
		b = str(b, r.Comment)
		return append(b, '\n'), 1
	},
	"customer": func(b []byte, item any) ([]byte, int64) {
		c := item.(*dbgen.Cust)
		b = num(b, c.CustKey)
		b = str(b, c.Name)
		b = str(b, c.Address)
		b = num(b, c.NationCode)
		b = str(b, c.Phone)
		b = money(b, c.Acctbal)
		b = str(b, c.MktSegment)
		b = str(b, c.Comment)
		return append(b, '\n'), 1
	},
	"supplier": func(b []byte, item any) ([]byte, int64) {
		s := item.(*dbgen.Supp)
		b = num(b, s.SuppKey)
		b = str(b, s.Name)
		b = str(b, s.Address)
		b = num(b, s.NationCode)
		b = str(b, s.Phone)
		b = money(b, s.Acctbal)
		b = str(b, s.Comment)
		return append(b, '\n'), 1
	},
	"part": func(b []byte, item any) ([]byte, int64) {
		p := item.(*dbgen.Part)
		b = num(b, p.PartKey)
		b = str(b, p.Name)
		b = str(b, p.Mfgr)
		b = str(b, p.Brand)
		b = str(b, p.Type)
		b = num(b, p.Size)
		b = str(b, p.Container)
		b = money(b, p.RetailPrice)
		b = str(b, p.Comment)
		return append(b, '\n'), 1
	},
	"partsupp": func(b []byte, item any) ([]byte, int64) {
		p := item.(*dbgen.Part)
		for _, s := range p.S {
			b = num(b, s.PartKey)
			b = num(b, s.SuppKey)
			b = num(b, s.Qty)
			b = money(b, s.SCost)
			b = str(b, s.Comment)
			b = append(b, '\n')
		}
		return b, int64(len(p.S))
	},
	"orders": func(b []byte, item any) ([]byte, int64) {
		o := item.(*dbgen.Order)
		b = num(b, o.OKey)
		b = num(b, o.CustKey)
		b = append(b, o.Status, '|')
		b = money(b, o.TotalPrice)
		b = str(b, o.Date)
		b = str(b, o.OrderPriority)
		b = str(b, o.Clerk)
		b = num(b, o.ShipPriority)
		b = str(b, o.Comment)
		return append(b, '\n'), 1
	},
	"lineitem": func(b []byte, item any) ([]byte, int64) {
		o := item.(*dbgen.Order)
		for i := range o.Lines {
			l := &o.Lines[i]
			b = num(b, l.OKey)
			b = num(b, l.PartKey)
			b = num(b, l.SuppKey)
			b = num(b, l.LCnt)
			b = num(b, l.Quantity)
			b = money(b, l.EPrice)
			b = money(b, l.Discount)
			b = money(b, l.Tax)
			b = append(b, l.RFlag, '|', l.LStatus, '|')
			b = str(b, l.SDate)
			b = str(b, l.CDate)
			b = str(b, l.RDate)
			b = str(b, l.ShipInstruct)
			b = str(b, l.ShipMode)
			b = str(b, l.Comment)
			b = append(b, '\n')
		}
		return b, int64(len(o.Lines))
	},
}

var tableIDs = map[string]dbgen.Table{
	"nation": dbgen.TNation, "region": dbgen.TRegion, "customer": dbgen.TCust, "supplier": dbgen.TSupp,
	"part": dbgen.TPart, "partsupp": dbgen.TPsupp, "orders": dbgen.TOrder, "lineitem": dbgen.TLine,
}

// Generate writes the TPC-H tables at scale factor sf as dir/<table>/<table>.tbl and returns the row
// count of each table. dbgen keeps global state, so Generate may run once per process.
func Generate(sf int, dir string, log io.Writer) (map[string]int64, error) {
	if sf < 1 {
		return nil, fmt.Errorf("scale factor must be a whole number >= 1, got %d", sf)
	}
	writers := map[string]*tblWriter{}
	loaders := map[dbgen.Table]dbgen.Loader{}
	closeAll := func() {
		for _, w := range writers {
			w.f.Close()
		}
	}
	for _, name := range Tables {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			closeAll()
			return nil, err
		}
		f, err := os.Create(filepath.Join(d, name+".tbl"))
		if err != nil {
			closeAll()
			return nil, err
		}
		w := &tblWriter{f: f, w: bufio.NewWriterSize(f, 1<<20), row: rowFuncs[name]}
		writers[name] = w
		loaders[tableIDs[name]] = w
	}
	// dbgen prints progress on stdout; keep stdout for the caller.
	stdout := os.Stdout
	if devnull, err := os.Open(os.DevNull); err == nil {
		os.Stdout = devnull
		defer func() { os.Stdout = stdout; devnull.Close() }()
	}
	dbgen.InitDbGen(int64(sf))
	groups := []struct {
		t    dbgen.Table
		name string
	}{{dbgen.TNation, "nation"}, {dbgen.TRegion, "region"}, {dbgen.TCust, "customer"}, {dbgen.TSupp, "supplier"},
		{dbgen.TPartPsupp, "part, partsupp"}, {dbgen.TOrderLine, "orders, lineitem"}}
	for _, g := range groups {
		if err := dbgen.DbGen(loaders, []dbgen.Table{g.t}); err != nil {
			closeAll()
			return nil, err
		}
		fmt.Fprintf(log, "tpchgen: generated %s\n", g.name)
	}
	counts := map[string]int64{}
	for name, w := range writers {
		if err := w.close(); err != nil {
			return nil, err
		}
		counts[name] = w.rows
	}
	return counts, nil
}
