package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"spark.sql.warehouse.dir", Warehouse},
		{"spark.hadoop.fs.s3a.endpoint", "fs.s3a.endpoint"},
		{"spark.hive.metastore.uris", "hive.metastore.uris"},
		{"spark.executor.memory", "spark.executor.memory"},
		{"hive.exec.parallel", "hive.exec.parallel"},
	}
	for _, tc := range tests {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestLoadPrecedence(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	site := `<?xml version="1.0"?><configuration>
<property><name>hive.exec.parallel</name><value>true</value></property>
<property><name>fs.defaultFS</name><value>s3a://from-site</value></property>
</configuration>`
	if err := os.WriteFile(filepath.Join(dir, "hive-site.xml"), []byte(site), 0o644); err != nil {
		t.Fatal(err)
	}
	sparkDefaults := "# comment\nspark.sql.warehouse.dir s3://wh/\nspark.hadoop.fs.defaultFS=s3a://from-spark\n"
	if err := os.WriteFile(filepath.Join(dir, "spark-defaults.conf"), []byte(sparkDefaults), 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(k string) (string, bool) {
		switch k {
		case "WAGGLE_HOME":
			return home, true
		case "WAGGLE_CONF_DIR":
			return dir, true
		case "WAGGLE_THREADS":
			return "2", true
		}
		return "", false
	}
	conf, err := Load(env, [][2]string{{"spark.hadoop.fs.defaultFS", "file:///cli"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"hive.exec.parallel": "true",
		Warehouse:            "s3://wh/",
		DefaultFS:            "file:///cli",
		Threads:              "2",
		ConnectionURL:        "jdbc:sqlite:" + filepath.Join(home, "metastore.db"),
	}
	for k, v := range want {
		if conf[k] != v {
			t.Errorf("conf[%s] = %q, want %q", k, conf[k], v)
		}
	}
}

func TestSplitPairRejectsMissingEquals(t *testing.T) {
	if _, _, err := SplitPair("novalue"); err == nil {
		t.Fatal("want error")
	}
	k, v, err := SplitPair("a=b=c")
	if err != nil || k != "a" || v != "b=c" {
		t.Fatalf("SplitPair = %q %q %v", k, v, err)
	}
}
