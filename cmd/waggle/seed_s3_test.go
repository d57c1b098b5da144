package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/waggle-dev/waggle/examples/seed/toydata"
	"github.com/waggle-dev/waggle/jobevent"
	"github.com/waggle-dev/waggle/storage"
)

// TestSeedJobWithS3Warehouse runs the seed script unchanged with spark.sql.warehouse.dir in S3, as EMR on
// EKS runs it: the managed tables (testtable, its CTAS copy) live in the bucket too, and nothing is
// written to a local warehouse.
func TestSeedJobWithS3Warehouse(t *testing.T) {
	placeSeedKV1(t)
	ctx := context.Background()
	backend := s3mem.New()
	if err := backend.CreateBucket("seed-bucket"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	t.Cleanup(srv.Close)
	s3conf := []string{
		"fs.s3a.endpoint=" + srv.URL,
		"fs.s3a.path.style.access=true",
		"fs.s3a.access.key=AKIDWAGGLETEST",
		"fs.s3a.secret.key=waggle-test-secret",
		"fs.s3a.endpoint.region=us-east-1",
	}
	conf := map[string]string{}
	for _, kv := range s3conf {
		k, v, _ := strings.Cut(kv, "=")
		conf[k] = v
	}
	st, err := storage.New(conf)
	if err != nil {
		t.Fatal(err)
	}
	local := t.TempDir()
	if _, err := toydata.Write(ctx, local, 3, 50); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(local)
	for _, e := range entries {
		if err := st.CopyFromLocal(ctx, filepath.Join(local, e.Name()), "s3://seed-bucket/app_code/data/toy/"+e.Name()); err != nil {
			t.Fatal(err)
		}
	}

	home := t.TempDir()
	args := []string{"run", "../../../shared/seed/set-of-hive-queries.sql", "--hivevar", "S3Bucket=seed-bucket", "--hivevar", "Key_ID=238",
		"--conf", "spark.sql.warehouse.dir=s3://seed-bucket/warehouse/", "--hiveconf", "waggle.s3.cache.dir=" + filepath.Join(home, "s3cache"),
		"--events", filepath.Join(home, "events.jsonl")}
	for _, kv := range s3conf {
		args = append(args, "--hiveconf", kv)
	}
	stdout, stderr, code := runWaggle(t, home, args...)
	if code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", code, stderr)
	}
	if !strings.HasSuffix(stdout, "238\tval_238\t[2,3]\n150\n") || strings.Count(stdout, "\n") != 15 {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	res, err := backend.ListBucket("seed-bucket", &gofakes3.Prefix{HasPrefix: true, Prefix: "warehouse/"}, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range res.Contents {
		keys = append(keys, o.Key)
	}
	all := strings.Join(keys, "\n")
	for _, want := range []string{"warehouse/hiveonspark.db/testtable/kv1.txt", "warehouse/hiveonspark.db/testtable/part-", "warehouse/hiveonspark.db/ctas_testtable/part-"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %s* in the bucket:\n%s", want, all)
		}
	}
	if strings.Contains(all, ".hive-staging") || strings.Contains(all, ".hive-trash") {
		t.Errorf("staging left in the bucket:\n%s", all)
	}
	if _, err := os.Stat(filepath.Join(home, "warehouse")); err == nil {
		t.Errorf("a local warehouse was written at %s", filepath.Join(home, "warehouse"))
	}

	// Each statement's event says how many bytes it moved to and from S3: LOAD DATA uploads kv1.txt
	// (5812 bytes), the queries over the bucket's tables download.
	ef, err := os.Open(filepath.Join(home, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	r := jobevent.NewReader(ef)
	var read int64
	loads := 0
	for {
		e, err := r.Next()
		if err != nil {
			break
		}
		if e.Type != jobevent.TypeStatement {
			continue
		}
		read += e.S3Read
		if e.Kind == "LOAD" {
			loads++
			if e.S3Written < 5812 {
				t.Errorf("LOAD DATA event: s3WrittenBytes %d, want at least the 5812 bytes of kv1.txt", e.S3Written)
			}
		}
		if strings.HasPrefix(strings.ToUpper(e.Text), "SHOW DATABASES") && (e.S3Read != 0 || e.S3Written != 0) {
			t.Errorf("SHOW DATABASES moved S3 bytes: %+v", e)
		}
	}
	if loads != 1 || read == 0 {
		t.Errorf("%d LOAD events, %d bytes read from S3 in all; want 1 and some", loads, read)
	}
}
