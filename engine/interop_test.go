package engine

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// awsCLI runs the real AWS CLI against f with the given access key and returns its output.
func awsCLI(t *testing.T, f *faultS3, args ...string) string {
	t.Helper()
	bin := "/usr/bin/aws"
	if _, err := os.Stat(bin); err != nil {
		if bin, err = exec.LookPath("aws"); err != nil {
			t.Skip("AWS CLI not installed")
		}
	}
	// --cli-read-timeout: now and then one of the CLI's concurrent small PUTs to gofakes3 gets no answer,
	// and the CLI's default 60 s read timeout made the test take a minute before its retry succeeded.
	cmd := exec.Command(bin, append([]string{"--endpoint-url", f.URL, "--region", "us-east-1", "--cli-read-timeout", "10"}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIDCLI", "AWS_SECRET_ACCESS_KEY=cli-secret",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestAWSCLIInterop: files Waggle writes to S3 are listed and downloaded by the AWS CLI; files the CLI
// uploads are read by Waggle.
func TestAWSCLIInterop(t *testing.T) {
	f := newFaultS3(t, "wh")
	h := newS3Harness(t, f, t.TempDir(), "wh", "hive.exec.dynamic.partition.mode=nonstrict")
	h.run(`CREATE TABLE kv (k INT, v STRING) PARTITIONED BY (ds STRING);
INSERT INTO kv PARTITION (ds) VALUES (1, 'one', '2024-01-01'), (2, 'two', '2024-01-02');
INSERT OVERWRITE TABLE kv PARTITION (ds='2024-01-02') VALUES (22, 'twenty-two');`)

	ls := awsCLI(t, f, "s3", "ls", "--recursive", "s3://wh/warehouse/kv/")
	var keys []string
	for _, line := range strings.Split(strings.TrimSpace(ls), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 4 && strings.Contains(fields[3], "part-") {
			keys = append(keys, fields[3])
		}
	}
	if len(keys) != 2 || !strings.HasPrefix(keys[0], "warehouse/kv/ds=2024-01-01/part-") ||
		!strings.HasPrefix(keys[1], "warehouse/kv/ds=2024-01-02/"+versionPrefix) {
		t.Fatalf("aws s3 ls:\n%s", ls)
	}
	dl := t.TempDir()
	awsCLI(t, f, "s3", "cp", "--recursive", "s3://wh/warehouse/kv/", dl)
	got1, _ := os.ReadFile(filepath.Join(dl, filepath.FromSlash(strings.TrimPrefix(keys[0], "warehouse/kv/"))))
	got2, _ := os.ReadFile(filepath.Join(dl, filepath.FromSlash(strings.TrimPrefix(keys[1], "warehouse/kv/"))))
	if string(got1) != "1\x01one\n" || string(got2) != "22\x01twenty-two\n" {
		t.Fatalf("downloaded %q, %q", got1, got2)
	}

	// The CLI uploads a Spark-style output directory; Waggle reads the data files only.
	up := t.TempDir()
	files := map[string]string{
		"part-00000-8f3e2a1c-1b2d-4c5e-9f00-123456789abc-c000.csv": "1,a\n2,b\n",
		"part-00001-8f3e2a1c-1b2d-4c5e-9f00-123456789abc-c000.csv": "3,c\n",
		"_SUCCESS": "",
		".part-00000-8f3e2a1c-1b2d-4c5e-9f00-123456789abc-c000.csv.crc":    "crc",
		"_temporary/0/_temporary/attempt_1/part-00002-c000.csv":            "99,partial\n",
		".hive-staging_hive_2024-01-01_00-00-00_000_1/-ext-10000/000000_0": "98,staging\n",
	}
	for name, body := range files {
		p := filepath.Join(up, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	awsCLI(t, f, "s3", "cp", "--recursive", up, "s3://wh/external/spark_out/")
	h.run("CREATE EXTERNAL TABLE so (n INT, s STRING) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://wh/external/spark_out';")
	if out := h.run("SELECT n, s FROM so ORDER BY n;"); out != "1\ta\n2\tb\n3\tc\n" {
		t.Fatalf("Waggle read %q", out)
	}
}

// TestSparkLayoutPartitionsOnS3: a partitioned Spark output (k=v directories holding part-NNNNN files,
// _SUCCESS at the top) is registered by MSCK REPAIR and read.
func TestSparkLayoutPartitionsOnS3(t *testing.T) {
	f := newFaultS3(t, "lake")
	h := newS3Harness(t, f, t.TempDir(), "lake")
	for key, body := range map[string]string{
		"events/_SUCCESS": "",
		"events/dt=2024-01-01/part-00000-0b1c2d3e-0000-4000-8000-000000000001.c000": "1\n2\n",
		"events/dt=2024-01-02/part-00000-0b1c2d3e-0000-4000-8000-000000000001.c000": "3\n",
		"events/dt=2024-01-02/_temporary/0/part-00001":                              "99\n",
		"events/_temporary/0/dt=2024-01-03/part-00000":                              "98\n",
	} {
		if _, err := f.backend.PutObject("lake", key, map[string]string{}, strings.NewReader(body), int64(len(body)), nil); err != nil {
			t.Fatal(err)
		}
	}
	h.run("CREATE EXTERNAL TABLE ev (n INT) PARTITIONED BY (dt STRING) LOCATION 's3://lake/events';\nMSCK REPAIR TABLE ev;")
	if out := h.run("SELECT n, dt FROM ev ORDER BY n;"); out != "1\t2024-01-01\n2\t2024-01-01\n3\t2024-01-02\n" {
		t.Fatalf("got %q", out)
	}
}
