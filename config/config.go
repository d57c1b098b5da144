// Package config is Waggle's one configuration loader. It gathers settings from, in increasing order of
// precedence: embedded defaults, hive-site.xml and spark-defaults.conf in $WAGGLE_CONF_DIR (or
// $HIVE_CONF_DIR), WAGGLE_* environment variables, and command-line --hiveconf / --conf pairs; and it
// normalises the ecosystem's spellings to one key space (Hive's keys):
//
//	spark.hadoop.X            → X            (Hadoop keys: fs.defaultFS, fs.s3a.*)
//	spark.hive.X              → hive.X
//	spark.sql.warehouse.dir   → hive.metastore.warehouse.dir
//	spark.hive.metastore.uris → hive.metastore.uris
//
// Other spark.* keys are kept as they are (and remembered). It owns no behaviour beyond that: packages
// read the keys they need from the resulting map.
package config

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Well-known keys.
const (
	Warehouse      = "hive.metastore.warehouse.dir"
	ConnectionURL  = "javax.jdo.option.ConnectionURL"
	DefaultFS      = "fs.defaultFS"
	MetastoreURIs  = "hive.metastore.uris"
	WaggleHome     = "waggle.home"
	VariableStrict = "waggle.variable.strict"
	MemoryLimit    = "waggle.memory.limit"
	Threads        = "waggle.threads"
)

// Normalize maps a key as a user wrote it (Spark, Hadoop or Hive spelling) to Waggle's key space.
func Normalize(key string) string {
	switch {
	case key == "spark.sql.warehouse.dir":
		return Warehouse
	case strings.HasPrefix(key, "spark.hadoop."):
		return strings.TrimPrefix(key, "spark.hadoop.")
	case strings.HasPrefix(key, "spark.hive."):
		return strings.TrimPrefix(key, "spark.")
	}
	return key
}

// Env is the process environment as the loader sees it (a function so tests need not touch os.Environ).
type Env func(key string) (string, bool)

// Load builds the configuration: defaults, then conf-dir files, then WAGGLE_* variables
// (WAGGLE_HOME, WAGGLE_WAREHOUSE, WAGGLE_METASTORE_URL, WAGGLE_MEMORY_LIMIT, WAGGLE_THREADS), then the
// given command-line pairs (already split into key/value; later ones win). env nil means os.LookupEnv.
func Load(env Env, cli [][2]string) (map[string]string, error) {
	if env == nil {
		env = os.LookupEnv
	}
	conf := map[string]string{}
	home, ok := env("WAGGLE_HOME")
	if !ok || home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("config: cannot find the home directory for WAGGLE_HOME: %w", err)
		}
		home = filepath.Join(h, ".waggle")
	}
	home, _ = filepath.Abs(home)
	conf[WaggleHome] = home
	conf[Warehouse] = "file://" + filepath.Join(home, "warehouse")
	conf[ConnectionURL] = "jdbc:sqlite:" + filepath.Join(home, "metastore.db")
	conf[DefaultFS] = "file:///"

	dir, ok := env("WAGGLE_CONF_DIR")
	if !ok || dir == "" {
		dir, _ = env("HIVE_CONF_DIR")
	}
	if dir != "" {
		if err := loadHiveSite(filepath.Join(dir, "hive-site.xml"), conf); err != nil {
			return nil, err
		}
		if err := loadSparkDefaults(filepath.Join(dir, "spark-defaults.conf"), conf); err != nil {
			return nil, err
		}
	}
	for envKey, key := range map[string]string{
		"WAGGLE_WAREHOUSE":     Warehouse,
		"WAGGLE_METASTORE_URL": ConnectionURL,
		"WAGGLE_MEMORY_LIMIT":  MemoryLimit,
		"WAGGLE_THREADS":       Threads,
	} {
		if v, ok := env(envKey); ok && v != "" {
			conf[key] = v
		}
	}
	for _, kv := range cli {
		conf[Normalize(kv[0])] = kv[1]
	}
	return conf, nil
}

// SplitPair splits `k=v` as --hiveconf/--conf/--hivevar take it.
func SplitPair(s string) (k, v string, err error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return "", "", fmt.Errorf("expected key=value, got %q", s)
	}
	return strings.TrimSpace(k), v, nil
}

type hiveSite struct {
	Properties []struct {
		Name  string `xml:"name"`
		Value string `xml:"value"`
	} `xml:"property"`
}

func loadHiveSite(path string, conf map[string]string) error {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	var site hiveSite
	if err := xml.Unmarshal(data, &site); err != nil {
		return fmt.Errorf("config: %s: %w", path, err)
	}
	for _, p := range site.Properties {
		conf[Normalize(strings.TrimSpace(p.Name))] = strings.TrimSpace(p.Value)
	}
	return nil
}

// loadSparkDefaults reads spark-defaults.conf: `key value` or `key=value` per line, # comments.
func loadSparkDefaults(path string, conf map[string]string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		i := strings.IndexAny(s, " \t=")
		if i < 0 {
			return fmt.Errorf("config: %s:%d: expected `key value`", path, line)
		}
		conf[Normalize(s[:i])] = strings.TrimSpace(strings.TrimLeft(s[i:], " \t="))
	}
	return sc.Err()
}

// Bool reads a boolean setting the way Hive does (case-insensitive "true"); def when unset.
func Bool(conf map[string]string, key string, def bool) bool {
	v, ok := conf[key]
	if !ok {
		return def
	}
	return strings.EqualFold(strings.TrimSpace(v), "true")
}
