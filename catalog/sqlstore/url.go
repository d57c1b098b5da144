package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Configuration keys the metastore connection reads (Hive's names where Hive has one).
const (
	ConfConnectionURL = "javax.jdo.option.ConnectionURL"
	ConfUserName      = "javax.jdo.option.ConnectionUserName"
	ConfPassword      = "javax.jdo.option.ConnectionPassword"
	ConfWarehouse     = "hive.metastore.warehouse.dir"
	ConfAutoUpgrade   = "waggle.metastore.autoupgrade"
	ConfMaxPoolSize   = "datanucleus.connectionPool.maxPoolSize"
)

// Environment variables for the credentials, so that secrets stay out of
// process listings and configuration files.
const (
	EnvUser         = "WAGGLE_METASTORE_USER"
	EnvPassword     = "WAGGLE_METASTORE_PASSWORD"
	EnvPasswordFile = "WAGGLE_METASTORE_PASSWORD_FILE"
)

// URLOptions name a metastore as Hive's configuration does.
type URLOptions struct {
	// URL is javax.jdo.option.ConnectionURL: jdbc:sqlite:PATH,
	// jdbc:mysql://host[:3306]/db[?params], jdbc:mariadb://host[:3306]/db[?params],
	// jdbc:postgresql://host[:5432]/db[?params] (or jdbc:postgresql:db).
	// MySQL params read: user, password, createDatabaseIfNotExist, useSSL,
	// sslMode, connectTimeout, socketTimeout; PostgreSQL: user, password,
	// createDatabaseIfNotExist (Waggle's), ssl, sslmode, currentSchema,
	// connectTimeout, ApplicationName. Other JDBC parameters are ignored.
	URL string
	// User and Password (javax.jdo.option.ConnectionUserName /
	// ConnectionPassword) win over those in the URL.
	User, Password string
	// Warehouse: see Options.Warehouse.
	Warehouse string
	// AutoUpgrade: see Options.AutoUpgrade. SQLite files are upgraded on
	// open regardless: an embedded metastore belongs to the Waggle using it.
	AutoUpgrade bool
	// MaxOpenConns: see Options.MaxOpenConns.
	MaxOpenConns int
}

// URLOptionsFromConf reads the connection settings from a configuration
// map (Hive's keys) and, for the credentials the configuration lacks, the
// environment: WAGGLE_METASTORE_USER, WAGGLE_METASTORE_PASSWORD, or a file
// named by WAGGLE_METASTORE_PASSWORD_FILE (trailing newline dropped). env
// nil means os.LookupEnv.
func URLOptionsFromConf(conf map[string]string, env func(string) (string, bool)) (URLOptions, error) {
	if env == nil {
		env = os.LookupEnv
	}
	u := URLOptions{URL: conf[ConfConnectionURL], User: conf[ConfUserName], Password: conf[ConfPassword],
		Warehouse: conf[ConfWarehouse]}
	if v := conf[ConfAutoUpgrade]; v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return u, fmt.Errorf("%s: %q is not a boolean", ConfAutoUpgrade, v)
		}
		u.AutoUpgrade = b
	}
	if v := conf[ConfMaxPoolSize]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return u, fmt.Errorf("%s: %q is not a connection count", ConfMaxPoolSize, v)
		}
		u.MaxOpenConns = n
	}
	if u.User == "" {
		u.User, _ = env(EnvUser)
	}
	if u.Password == "" {
		if p, ok := env(EnvPassword); ok && p != "" {
			u.Password = p
		} else if f, ok := env(EnvPasswordFile); ok && f != "" {
			data, err := os.ReadFile(f)
			if err != nil {
				return u, fmt.Errorf("%s: %w", EnvPasswordFile, err)
			}
			u.Password = strings.TrimRight(string(data), "\r\n")
		}
	}
	return u, nil
}

// OpenURL opens the store named by a JDBC-style URL (see OptionsFromURL and Open).
func OpenURL(ctx context.Context, u URLOptions) (*Store, error) {
	opts, err := OptionsFromURL(u)
	if err != nil {
		return nil, err
	}
	return Open(ctx, opts)
}

// OptionsFromURL turns a JDBC-style URL and its credentials into Options.
// For SQLite the file's directory is created when missing.
func OptionsFromURL(u URLOptions) (Options, error) {
	opts := Options{Warehouse: u.Warehouse, AutoUpgrade: u.AutoUpgrade, MaxOpenConns: u.MaxOpenConns, Password: u.Password}
	raw := strings.TrimSpace(u.URL)
	switch {
	case strings.HasPrefix(raw, "jdbc:sqlite:"):
		path := strings.TrimPrefix(raw, "jdbc:sqlite:")
		if path == "" {
			return opts, fmt.Errorf("metastore URL %q names no database file", raw)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return opts, fmt.Errorf("metastore directory: %w", err)
		}
		opts.Driver, opts.DSN, opts.AutoUpgrade = "sqlite", path, true
		return opts, nil
	case strings.HasPrefix(raw, "jdbc:mysql:"), strings.HasPrefix(raw, "jdbc:mariadb:"):
		return mysqlOptions(opts, raw, u.User)
	case strings.HasPrefix(raw, "jdbc:postgresql:"):
		return postgresOptions(opts, raw, u.User)
	}
	return opts, fmt.Errorf("metastore URL %q is not a supported JDBC URL (jdbc:sqlite:PATH, jdbc:mysql://HOST/DB, "+
		"jdbc:mariadb://HOST/DB, jdbc:postgresql://HOST/DB)", RedactURL(raw))
}

// parseJDBC splits jdbc:SCHEME://[user[:password]@]host[:port]/db?params.
func parseJDBC(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimPrefix(raw, "jdbc:"))
	if err != nil {
		return nil, fmt.Errorf("metastore URL %q: %w", RedactURL(raw), errors.Unwrap(err))
	}
	return u, nil
}

func boolParam(q url.Values, key string) bool {
	b, _ := strconv.ParseBool(q.Get(key))
	return b
}

func millisParam(q url.Values, key string) time.Duration {
	n, err := strconv.Atoi(q.Get(key))
	if err != nil || n <= 0 {
		return 0
	}
	return time.Duration(n) * time.Millisecond
}

func mysqlOptions(opts Options, raw, user string) (Options, error) {
	u, err := parseJDBC(raw)
	if err != nil {
		return opts, err
	}
	if strings.Contains(u.Host, ",") {
		return opts, fmt.Errorf("metastore URL %q: several hosts are not supported", RedactURL(raw))
	}
	db := strings.TrimPrefix(u.Path, "/")
	if u.Host == "" || db == "" || strings.Contains(db, "/") {
		return opts, fmt.Errorf("metastore URL %q: want jdbc:mysql://HOST[:PORT]/DATABASE", RedactURL(raw))
	}
	q := u.Query()
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr, cfg.DBName = "tcp", u.Host, db
	if u.Port() == "" {
		cfg.Addr = u.Host + ":3306"
	}
	cfg.User = firstNonEmpty(user, q.Get("user"), u.User.Username())
	if opts.Password == "" {
		pw, _ := u.User.Password()
		opts.Password = firstNonEmpty(q.Get("password"), pw)
	}
	switch strings.ToUpper(q.Get("sslMode")) {
	case "DISABLED":
		cfg.TLSConfig = "false"
	case "PREFERRED":
		cfg.TLSConfig = "preferred"
	case "REQUIRED":
		cfg.TLSConfig = "skip-verify" // encrypted, certificate not verified: Connector/J's REQUIRED
	case "VERIFY_CA", "VERIFY_IDENTITY":
		cfg.TLSConfig = "true"
	default:
		if v := q.Get("useSSL"); v != "" {
			if boolParam(q, "useSSL") {
				cfg.TLSConfig = "skip-verify"
			} else {
				cfg.TLSConfig = "false"
			}
		}
	}
	if d := millisParam(q, "connectTimeout"); d > 0 {
		cfg.Timeout = d
	} else {
		cfg.Timeout = 10 * time.Second
	}
	if d := millisParam(q, "socketTimeout"); d > 0 {
		cfg.ReadTimeout, cfg.WriteTimeout = d, d
	}
	opts.Driver, opts.DSN = "mysql", cfg.FormatDSN() // no password in cfg
	opts.CreateDatabase = boolParam(q, "createDatabaseIfNotExist")
	return opts, nil
}

func postgresOptions(opts Options, raw, user string) (Options, error) {
	rest := strings.TrimPrefix(raw, "jdbc:postgresql:")
	if !strings.HasPrefix(rest, "//") { // jdbc:postgresql:db or jdbc:postgresql:/ (localhost)
		rest = "//localhost/" + strings.TrimPrefix(rest, "/")
	}
	u, err := parseJDBC("jdbc:postgresql:" + rest)
	if err != nil {
		return opts, err
	}
	db := strings.TrimPrefix(u.Path, "/")
	if db == "" || strings.Contains(db, "/") {
		return opts, fmt.Errorf("metastore URL %q: want jdbc:postgresql://HOST[:PORT]/DATABASE", RedactURL(raw))
	}
	q := u.Query()
	host := u.Host
	if host == "" {
		host = "localhost"
	}
	pq := url.Values{}
	switch mode := q.Get("sslmode"); {
	case mode != "":
		pq.Set("sslmode", mode)
	case boolParam(q, "ssl"):
		pq.Set("sslmode", "verify-full") // pgjdbc's default with ssl=true
	}
	if s := q.Get("currentSchema"); s != "" {
		pq.Set("search_path", s)
	}
	if s := q.Get("ApplicationName"); s != "" {
		pq.Set("application_name", s)
	} else {
		pq.Set("application_name", "waggle")
	}
	if s := q.Get("connectTimeout"); s != "" { // seconds in pgjdbc and libpq
		pq.Set("connect_timeout", s)
	} else {
		pq.Set("connect_timeout", "10")
	}
	dsn := url.URL{Scheme: "postgres", Host: host, Path: "/" + db, RawQuery: pq.Encode()}
	if usr := firstNonEmpty(user, q.Get("user"), u.User.Username()); usr != "" {
		dsn.User = url.User(usr)
	}
	if opts.Password == "" {
		pw, _ := u.User.Password()
		opts.Password = firstNonEmpty(q.Get("password"), pw)
	}
	opts.Driver, opts.DSN = "postgres", dsn.String()
	opts.CreateDatabase = boolParam(q, "createDatabaseIfNotExist")
	return opts, nil
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

var (
	redactParam    = regexp.MustCompile(`(?i)((?:^|[?&;])password=)[^&;]*`)
	redactUserInfo = regexp.MustCompile(`(//[^/@:]*:)[^/@]*@`)
)

// RedactURL hides the passwords in a connection URL (password= parameters
// and user:password@), for messages and logs.
func RedactURL(raw string) string {
	raw = redactParam.ReplaceAllString(raw, "${1}xxxxx")
	return redactUserInfo.ReplaceAllString(raw, "${1}xxxxx@")
}
