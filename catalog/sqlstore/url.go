package sqlstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// OpenURL opens the store named by a JDBC-style URL as Hive's javax.jdo.option.ConnectionURL spells it.
// Supported now: jdbc:sqlite:PATH (the file and its directory are created when missing). MySQL/MariaDB
// (jdbc:mysql://, jdbc:mariadb://) and PostgreSQL (jdbc:postgresql://) URLs get a clear error until
// their dialects land.
func OpenURL(ctx context.Context, url, warehouse string) (*Store, error) {
	switch {
	case strings.HasPrefix(url, "jdbc:sqlite:"):
		path := strings.TrimPrefix(url, "jdbc:sqlite:")
		if path == "" {
			return nil, fmt.Errorf("metastore URL %q names no database file", url)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("metastore directory: %w", err)
		}
		return Open(ctx, Options{Driver: "sqlite", DSN: path, Warehouse: warehouse})
	case strings.HasPrefix(url, "jdbc:mysql:"), strings.HasPrefix(url, "jdbc:mariadb:"), strings.HasPrefix(url, "jdbc:postgresql:"):
		return nil, fmt.Errorf("metastore URL %q: MySQL/MariaDB and PostgreSQL metastores are not supported yet (use jdbc:sqlite:PATH)", url)
	}
	return nil, fmt.Errorf("metastore URL %q is not a supported JDBC URL (expected jdbc:sqlite:PATH)", url)
}
