package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/waggle-dev/waggle/catalog"
)

type catalogPage struct {
	Title     string
	Nav       string
	NoCatalog bool
	Databases []dbRow
}

type dbRow struct {
	Name string
	URL  string
	DB   *catalog.Database
}

type databasePage struct {
	Title  string
	Nav    string
	DB     *catalog.Database
	Params []kv
	Tables []tableRow
}

type tableRow struct {
	URL    string
	T      *catalog.Table
	Format string
}

type tablePage struct {
	Title      string
	Nav        string
	T          *catalog.Table
	DBURL      string
	Created    time.Time
	Format     string
	Columns    []catalog.FieldSchema
	PartKeys   []catalog.FieldSchema
	Params     []kv
	SerDeProps []kv
	Partitions []partRow
	PartCount  int
	PartPage   int
	PrevURL    string
	NextURL    string
	DDL        string
}

type partRow struct {
	Name     string
	Location string
	Created  time.Time
	Params   []kv
}

func (s *Server) noCatalog(w http.ResponseWriter, r *http.Request) bool {
	if s.cat == nil {
		s.render(w, r, http.StatusOK, "catalog", catalogPage{Title: "Catalog", Nav: "catalog", NoCatalog: true})
		return true
	}
	return false
}

func dbURL(db string) string           { return "/catalog/" + url.PathEscape(db) }
func tableURL(db, table string) string { return dbURL(db) + "/" + url.PathEscape(table) }

func (s *Server) catalogHome(w http.ResponseWriter, r *http.Request) {
	if s.noCatalog(w, r) {
		return
	}
	names, err := s.cat.ListDatabases(r.Context(), "")
	if err != nil {
		s.fail(w, r, err, "/")
		return
	}
	p := catalogPage{Title: "Catalog", Nav: "catalog"}
	for _, n := range names {
		db, err := s.cat.GetDatabase(r.Context(), n)
		if err != nil && !errors.Is(err, catalog.ErrNotFound) {
			s.fail(w, r, err, "/")
			return
		}
		p.Databases = append(p.Databases, dbRow{Name: n, URL: dbURL(n), DB: db})
	}
	s.render(w, r, http.StatusOK, "catalog", p)
}

func (s *Server) databasePage(w http.ResponseWriter, r *http.Request) {
	if s.noCatalog(w, r) {
		return
	}
	ctx := r.Context()
	db, err := s.cat.GetDatabase(ctx, r.PathValue("db"))
	if err != nil {
		s.fail(w, r, err, "/catalog")
		return
	}
	names, err := s.cat.ListTables(ctx, db.Name, "")
	if err != nil {
		s.fail(w, r, err, "/catalog")
		return
	}
	tables, err := s.cat.GetTables(ctx, db.Name, names)
	if err != nil {
		s.fail(w, r, err, "/catalog")
		return
	}
	p := databasePage{Title: db.Name + " · catalog", Nav: "catalog", DB: db}
	for _, k := range sortedKeys(db.Parameters) {
		p.Params = append(p.Params, kv{k, maskValue(k, db.Parameters[k])})
	}
	for _, t := range tables {
		p.Tables = append(p.Tables, tableRow{URL: tableURL(db.Name, t.Name), T: t, Format: storageFormat(t.SD)})
	}
	s.render(w, r, http.StatusOK, "database", p)
}

// partitionPageSize is the number of partitions per page of a table's page.
const partitionPageSize = 50

func (s *Server) tablePage(w http.ResponseWriter, r *http.Request) {
	if s.noCatalog(w, r) {
		return
	}
	ctx := r.Context()
	t, err := s.cat.GetTable(ctx, r.PathValue("db"), r.PathValue("table"))
	if err != nil {
		s.fail(w, r, err, dbURL(r.PathValue("db")))
		return
	}
	p := tablePage{Title: t.DBName + "." + t.Name + " · catalog", Nav: "catalog", T: t, DBURL: dbURL(t.DBName),
		PartKeys: t.PartitionKeys, DDL: tableDDL(t)}
	if t.CreateTime > 0 {
		p.Created = time.Unix(t.CreateTime, 0)
	}
	if t.SD != nil {
		p.Columns = t.SD.Cols
		p.Format = storageFormat(t.SD)
		for _, k := range sortedKeys(t.SD.SerDe.Parameters) {
			p.SerDeProps = append(p.SerDeProps, kv{k, maskValue(k, t.SD.SerDe.Parameters[k])})
		}
	}
	for _, k := range sortedKeys(t.Parameters) {
		p.Params = append(p.Params, kv{k, maskValue(k, t.Parameters[k])})
	}
	if len(t.PartitionKeys) > 0 {
		names, err := s.cat.ListPartitionNames(ctx, t.DBName, t.Name, -1)
		if err != nil {
			s.fail(w, r, err, p.DBURL)
			return
		}
		p.PartCount = len(names)
		p.PartPage, _ = strconv.Atoi(r.URL.Query().Get("ppage"))
		p.PartPage = max(p.PartPage, 1)
		from := (p.PartPage - 1) * partitionPageSize
		if from < len(names) {
			for _, name := range names[from:min(from+partitionPageSize, len(names))] {
				row := partRow{Name: name}
				if _, vals, err := catalog.ParsePartName(name); err == nil {
					if part, err := s.cat.GetPartition(ctx, t.DBName, t.Name, vals); err == nil {
						if part.SD != nil {
							row.Location = part.SD.Location
						}
						if part.CreateTime > 0 {
							row.Created = time.Unix(part.CreateTime, 0)
						}
						for _, k := range sortedKeys(part.Parameters) {
							row.Params = append(row.Params, kv{k, part.Parameters[k]})
						}
					}
				}
				p.Partitions = append(p.Partitions, row)
			}
		}
		here := tableURL(t.DBName, t.Name)
		if p.PartPage > 1 {
			p.PrevURL = here + "?ppage=" + strconv.Itoa(p.PartPage-1) + "#partitions"
		}
		if len(names) > p.PartPage*partitionPageSize {
			p.NextURL = here + "?ppage=" + strconv.Itoa(p.PartPage+1) + "#partitions"
		}
	}
	s.render(w, r, http.StatusOK, "table", p)
}
