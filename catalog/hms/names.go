package hms

import (
	"strings"

	"github.com/waggle-dev/waggle/catalog"
)

// Hive 3+ clients put the catalog into every positional database argument
// (MetaStoreUtils.prependCatalogToDbName): "@cat#db"; "@cat#" means "no
// database" (all, for patterns) and "@cat#!" the empty name.
const (
	catalogMarker   = "@"
	catalogSep      = "#"
	emptyDBMarker   = "!"
	defaultCatalog  = catalog.DefaultCatalogName
	catalogNotFound = "Catalog %s does not exist"
)

// dbName is a parsed database argument.
type dbName struct {
	cat  string // lower-case catalog, "hive" when not given
	name string // the database name or pattern; "" with all set means none given
	all  bool   // "@cat#": no database given (all databases)
}

// parseDbName parses a database argument that may carry a catalog prefix,
// as HMS' parseDbName does. A malformed prefix is a MetaException.
func parseDbName(s string) (dbName, error) {
	if !strings.HasPrefix(s, catalogMarker) {
		return dbName{cat: defaultCatalog, name: s}, nil
	}
	cat, rest, ok := strings.Cut(s[len(catalogMarker):], catalogSep)
	if !ok {
		return dbName{}, metaErr("Database name is not well formed: " + s)
	}
	d := dbName{cat: strings.ToLower(cat), name: rest}
	switch rest {
	case "":
		d.all = true
	case emptyDBMarker:
		d.name = ""
	}
	return d, nil
}

// checkCatalog fails for any catalog but Hive's default one, the only
// catalog Waggle serves.
func checkCatalog(cat string) error {
	if cat == "" || strings.EqualFold(cat, defaultCatalog) {
		return nil
	}
	return catalog.Errorf(catalog.ErrNotFound, catalogNotFound, cat)
}

// parseDb parses a database argument naming one database (get_database,
// get_tables, drop_table, ...).
func parseDb(s string) (string, error) {
	d, err := parseDbName(s)
	if err != nil {
		return "", err
	}
	if err := checkCatalog(d.cat); err != nil {
		return "", err
	}
	return d.name, nil
}

// catOf returns *cat or the default catalog.
func catOf(cat *string) string {
	if cat == nil || *cat == "" {
		return defaultCatalog
	}
	return *cat
}
