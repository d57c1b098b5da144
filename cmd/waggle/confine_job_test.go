package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSubmittedJobsAreConfined submits jobs that try to reach local files outside their allowed roots
// (the job's own work dir and the server's roots): each fails with a permission error and reads nothing.
func TestSubmittedJobsAreConfined(t *testing.T) {
	aws := newAWSCLI(t)
	home := t.TempDir()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("TOPSECRET\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	allowed := t.TempDir()
	link := filepath.Join(allowed, "link")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, home, "--conf", "waggle.jobs.local.roots="+allowed)
	ep := srv.URL
	var vc struct{ ID string }
	out := aws.run(t, "emr-containers", "create-virtual-cluster", "--endpoint-url", ep, "--name", "confined",
		"--container-provider", `{"id": "c", "type": "EKS", "info": {"eksInfo": {"namespace": "ns"}}}`)
	if err := json.Unmarshal([]byte(out), &vc); err != nil {
		t.Fatal(err)
	}
	scripts := map[string]string{
		"load-etc-passwd":   "CREATE TABLE t (line STRING);\nLOAD DATA LOCAL INPATH '/etc/passwd' INTO TABLE t;\nSELECT * FROM t;",
		"file-location":     "CREATE EXTERNAL TABLE x (a STRING) LOCATION 'file://" + outside + "';\nSELECT * FROM x;",
		"dotdot-escape":     "CREATE TABLE t2 (line STRING);\nLOAD DATA LOCAL INPATH '" + allowed + "/../" + filepath.Base(outside) + "/secret.txt' INTO TABLE t2;",
		"symlink-escape":    "CREATE TABLE t3 (line STRING);\nLOAD DATA LOCAL INPATH '" + link + "/secret.txt' INTO TABLE t3;",
		"source-etc-passwd": "source /etc/passwd;",
	}
	for name, script := range scripts {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(allowed, name+".sql")
			if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
				t.Fatal(err)
			}
			out := aws.run(t, "emr-containers", "start-job-run", "--endpoint-url", ep, "--virtual-cluster-id", vc.ID,
				"--name", name, "--execution-role-arn", "arn:aws:iam::123456789012:role/r", "--release-label", "emr-6.8.0-latest",
				"--job-driver", `{"sparkSqlJobDriver": {"entryPoint": "`+path+`"}}`)
			var started jobRunDoc
			if err := json.Unmarshal([]byte(out), &started); err != nil {
				t.Fatal(err)
			}
			job := aws.waitState(t, ep, vc.ID, started.ID, 90*time.Second, "COMPLETED", "FAILED", "CANCELLED")
			if job.State != "FAILED" || !strings.Contains(job.StateDetails, "permission denied") {
				t.Fatalf("%s: state %s, details %q", name, job.State, job.StateDetails)
			}
			if strings.Contains(job.StateDetails, "TOPSECRET") || strings.Contains(job.StateDetails, "root:x:0:0") {
				t.Fatalf("file content leaked: %q", job.StateDetails)
			}
		})
	}
}
