package k8s

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"

	"github.com/waggle-dev/waggle/jobevent"
	"github.com/waggle-dev/waggle/jobs"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/golden/name (or rewrites it with -update).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./jobs/k8s -run %s -update, then review the diff)\n--- got ---\n%s", path, t.Name(), got)
	}
}

// strictDecode decodes every document of a multi-document YAML into typed Kubernetes objects, rejecting
// unknown and duplicate fields: the schema check for generated objects and deploy/ manifests.
func strictDecode(t *testing.T, name string, data []byte) []runtime.Object {
	t.Helper()
	dec := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	var objs []runtime.Object
	for i, doc := range splitYAML(data) {
		obj, gvk, err := dec.Decode(doc, nil, nil)
		if err != nil {
			t.Fatalf("%s: document %d: %v", name, i+1, err)
		}
		if gvk.Kind == "" || gvk.Version == "" {
			t.Fatalf("%s: document %d has no apiVersion/kind", name, i+1)
		}
		objs = append(objs, obj)
	}
	return objs
}

func splitYAML(data []byte) [][]byte {
	var docs [][]byte
	for _, d := range strings.Split("\n"+string(data), "\n---") {
		d = strings.TrimPrefix(d, "\n")
		if strings.TrimSpace(stripComments(d)) == "" {
			continue
		}
		docs = append(docs, []byte(d))
	}
	return docs
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func toYAML(t *testing.T, objs ...any) []byte {
	t.Helper()
	var b bytes.Buffer
	for i, o := range objs {
		if i > 0 {
			b.WriteString("---\n")
		}
		data, err := yaml.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.Bytes()
}

func seedSpec(engine string) jobs.AttemptSpec {
	conf := map[string]string{
		"hive.metastore.uris":          "thrift://hive-metastore:9083",
		"hive.metastore.warehouse.dir": "s3://my-bucket/warehouse/",
		"fs.s3a.endpoint.region":       "us-east-1",
		"fs.s3a.access.key":            "AKIAEXAMPLE",
		"fs.s3a.secret.key":            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"spark.driver.memory":          "2g",
		"spark.driver.cores":           "2",
		"spark.executor.memory":        "4G",
		"spark.executor.cores":         "2",
		"waggle.memory.limit":          "1536MB",
		"waggle.home":                  "/var/lib/waggle",
		jobs.KeyLocalRoots:             "/var/lib/waggle/server/jobs/x/work",
	}
	if engine != "" {
		conf[KeyEngine] = engine
	}
	return jobs.AttemptSpec{
		JobID: "00000002ubarp3tg0ne", AttemptID: "spark-00000002ubarp3tg0ne-driver", Number: 1,
		Script:   "/var/lib/waggle/server/jobs/00000002ubarp3tg0ne/work/set-of-hive-queries.sql",
		HiveVars: [][2]string{{"S3Bucket", "my-bucket"}, {"Key_ID", "238"}},
		Conf:     conf, Memory: 2 << 30, Verbose: true,
		Namespace: "emr", VirtualClusterID: "wuenyscuofnz53vy5m39g2n10",
		ExecutionRoleArn: "arn:aws:iam::123456789012:role/emr-eks-example-job-execution",
	}
}

var goldenOpts = BuildOptions{Image: "ghcr.io/waggle-dev/waggle:0.1.0", TTLAfterFinished: time.Hour, ActiveDeadline: 24 * time.Hour}

const seedScript = "CREATE DATABASE IF NOT EXISTS hiveonspark;\nUSE hiveonspark;\nSELECT * FROM testtable WHERE key=${Key_ID};\n"

func TestGoldenWaggleJob(t *testing.T) {
	spec := seedSpec("")
	objs, err := Build(spec, []byte(seedScript), TargetOf(spec, ""), goldenOpts)
	if err != nil {
		t.Fatal(err)
	}
	if objs.ConfigMap.Data["hive-site.xml"] == "" || strings.Contains(objs.ConfigMap.Data["hive-site.xml"], "wJalr") {
		t.Fatalf("secret key in the ConfigMap or no hive-site.xml:\n%s", objs.ConfigMap.Data["hive-site.xml"])
	}
	if !strings.Contains(objs.Secret.StringData["spark-defaults.conf"], "fs.s3a.secret.key wJalr") {
		t.Fatalf("secret keys not in the Secret: %q", objs.Secret.StringData)
	}
	out := toYAML(t, objs.ServiceAccount, objs.ConfigMap, objs.Secret, objs.Job)
	strictDecode(t, "waggle-job.yaml", out)
	golden(t, "waggle-job.yaml", out)
}

func TestGoldenSparkDriver(t *testing.T) {
	spec := seedSpec("spark")
	objs, err := Build(spec, []byte(seedScript), TargetOf(spec, ""), goldenOpts)
	if err != nil {
		t.Fatal(err)
	}
	c := objs.Job.Spec.Template.Spec.Containers[0]
	args := strings.Join(c.Args, " ")
	for _, want := range []string{
		"--master k8s://https://kubernetes.default.svc", "--deploy-mode client", "--driver-memory 2g",
		"--conf spark.hive.metastore.uris=thrift://hive-metastore:9083", "--conf spark.sql.ansi.enabled=false",
		"--conf spark.kubernetes.namespace=emr", "--conf spark.driver.host=$(SPARK_DRIVER_POD_IP)",
		"--conf spark.executor.memory=4G", "--conf spark.sql.warehouse.dir=s3://my-bucket/warehouse/",
		"--hivevar S3Bucket=my-bucket --hivevar Key_ID=238", "-v -f /opt/waggle/job/set-of-hive-queries.sql",
	} {
		if !strings.Contains(args, want) {
			t.Errorf("spark-sql args lack %q:\n%s", want, args)
		}
	}
	if strings.Contains(args, "wJalr") || strings.Contains(args, "AKIAEXAMPLE") {
		t.Errorf("secret on the command line: %s", args)
	}
	if c.Image != "apache/spark:3.5.3" || c.Name != ContainerSpark {
		t.Errorf("image %s container %s", c.Image, c.Name)
	}
	// 2g heap + max(384Mi, 10%) overhead.
	if got := c.Resources.Limits.Memory().String(); got != "2432Mi" {
		t.Errorf("memory limit %s, want 2432Mi", got)
	}
	out := toYAML(t, objs.ServiceAccount, objs.ConfigMap, objs.Secret, objs.Job)
	strictDecode(t, "spark-driver.yaml", out)
	golden(t, "spark-driver.yaml", out)
}

func TestBuildRejects(t *testing.T) {
	spec := seedSpec("")
	for name, mutate := range map[string]func(*jobs.AttemptSpec, *Target){
		"unknown engine":    func(s *jobs.AttemptSpec, _ *Target) { s.Conf[KeyEngine] = "presto" },
		"no namespace":      func(_ *jobs.AttemptSpec, t *Target) { t.Namespace = "" },
		"bad cores":         func(s *jobs.AttemptSpec, _ *Target) { s.Conf["spark.driver.cores"] = "two" },
		"multi-line secret": func(s *jobs.AttemptSpec, _ *Target) { s.Conf["db.password"] = "a\nb" },
		"bad deadline":      func(s *jobs.AttemptSpec, _ *Target) { s.Conf[KeyActiveDeadline] = "-1" },
	} {
		t.Run(name, func(t *testing.T) {
			s := seedSpec("")
			s.Conf = copyMap(spec.Conf)
			tg := TargetOf(s, "")
			mutate(&s, &tg)
			if _, err := Build(s, []byte("SELECT 1;"), tg, goldenOpts); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestNamesAreDNSLabels(t *testing.T) {
	for _, arn := range []string{"arn:aws:iam::123456789012:role/emr-eks-example-job-execution",
		"arn:aws:iam::123456789012:role/path/To_Some.Role@x", "arn:aws:iam::123456789012:role/" + strings.Repeat("R", 64)} {
		n := ServiceAccountName(arn)
		if len(n) > 63 || !dnsLabelRE.MatchString(n) {
			t.Errorf("%s → %q", arn, n)
		}
	}
	if ServiceAccountName("arn:aws:iam::1:role/a") == ServiceAccountName("arn:aws:iam::2:role/a") {
		t.Error("two roles, one ServiceAccount")
	}
	if n := JobName(jobs.AttemptSpec{AttemptID: "spark-00000002ubarp3tg0ne-driver-2"}); n != "spark-00000002ubarp3tg0ne-driver-2" {
		t.Errorf("job name %s", n)
	}
}

// TestSparkParserGolden runs the spark-sql output parser over hand-written spark-sql -v -f outputs.
func TestSparkParserGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/spark/*.out")
	if len(files) == 0 {
		t.Fatal("no testdata/spark/*.out")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".out")
		t.Run(name, func(t *testing.T) {
			out, _ := os.ReadFile(f)
			script, _ := os.ReadFile(strings.TrimSuffix(f, ".out") + ".sql")
			p := &SparkSQLParser{File: name + ".sql", Script: string(script)}
			type rec struct {
				Events []jobevent.Event `json:"events"`
				Stdout []string         `json:"stdout"`
				Stderr []string         `json:"stderr"`
			}
			var r rec
			for _, l := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
				class, e := p.Line(time.Time{}, l)
				if class == LineOutput {
					r.Stdout = append(r.Stdout, l)
				} else {
					r.Stderr = append(r.Stderr, l)
				}
				if e != nil {
					r.Events = append(r.Events, *e)
				}
			}
			if e := p.Close(time.Time{}); e != nil {
				r.Events = append(r.Events, *e)
			}
			data, _ := json.MarshalIndent(r, "", "  ")
			golden(t, "spark-"+name+".json", append(data, '\n'))
		})
	}
}

func TestConfigFromConf(t *testing.T) {
	cfg, err := ConfigFromConf(map[string]string{KeyImage: "w:1", KeyNamespaces: "emr, analytics", KeyTTLSeconds: "600"})
	if err != nil || cfg.Image != "w:1" || len(cfg.Namespaces) != 2 || cfg.Namespaces[1] != "analytics" || cfg.TTLAfterFinished != 10*time.Minute {
		t.Fatalf("%+v %v", cfg, err)
	}
	for _, bad := range []map[string]string{{}, {KeyImage: "w", KeyNamespaces: "Bad_NS"}, {KeyImage: "w", KeyMaxDeadline: "x"}} {
		if _, err := ConfigFromConf(bad); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}
