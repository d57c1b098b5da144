package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// TestCrashDuringInsertOverwriteOnS3 kills `waggle run` (SIGKILL) in the middle of an INSERT OVERWRITE
// on S3 — while the new files upload, and after the metastore switch while the old files are deleted —
// and checks that readers see the old or the new table, never a mix, and that the next write leaves
// no leftovers.
func TestCrashDuringInsertOverwriteOnS3(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("bkt"); err != nil {
		t.Fatal(err)
	}
	h := gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	var mu sync.Mutex
	stallOn, stalled := "", false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		stall := stallOn != "" && strings.Contains(r.Method+" "+r.URL.RequestURI(), stallOn)
		if stall {
			stalled = true
		}
		mu.Unlock()
		if stall {
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	home := t.TempDir()
	base := []string{"--conf", "spark.sql.warehouse.dir=s3://bkt/warehouse", "--hiveconf", "waggle.s3.cache.dir=" + filepath.Join(home, "cache"),
		"--hiveconf", "fs.s3a.endpoint=" + srv.URL, "--hiveconf", "fs.s3a.path.style.access=true",
		"--hiveconf", "fs.s3a.access.key=AKIDCRASH", "--hiveconf", "fs.s3a.secret.key=crash-secret", "--hiveconf", "fs.s3a.endpoint.region=us-east-1"}
	run := func(sql string, extra ...string) string {
		t.Helper()
		out, stderr, code := runWaggle(t, home, append(append([]string{"run", "-S"}, append(base, extra...)...), "-e", sql)...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", sql, code, stderr)
		}
		return out
	}
	crash := func(sql, stall string) {
		t.Helper()
		mu.Lock()
		stallOn, stalled = stall, false
		mu.Unlock()
		cmd := exec.Command(waggleBin, append(append([]string{"run", "-S"}, base...), "-e", sql)...)
		cmd.Env = append(cmd.Environ(), "WAGGLE_HOME="+home)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			mu.Lock()
			s := stalled
			mu.Unlock()
			if s {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("%s never reached %q", sql, stall)
			}
			time.Sleep(10 * time.Millisecond)
		}
		cmd.Process.Kill() // SIGKILL: no deferred cleanup runs
		cmd.Wait()
		mu.Lock()
		stallOn = ""
		mu.Unlock()
	}
	keys := func() []string {
		res, err := backend.ListBucket("bkt", &gofakes3.Prefix{HasPrefix: true, Prefix: "warehouse/t/"}, gofakes3.ListBucketPage{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range res.Contents {
			out = append(out, o.Key)
		}
		sort.Strings(out)
		return out
	}

	run("CREATE TABLE t (a INT); INSERT INTO t VALUES (1), (2);")
	crash("INSERT OVERWRITE TABLE t SELECT 9;", "PUT /bkt/warehouse/t/base_waggle_")
	if out := run("SELECT * FROM t ORDER BY a;"); out != "1\n2\n" {
		t.Fatalf("after a crash during the upload readers see %q, want the old rows", out)
	}
	crash("INSERT OVERWRITE TABLE t SELECT 9;", "POST /bkt?delete")
	if out := run("SELECT * FROM t ORDER BY a;"); out != "9\n" {
		t.Fatalf("after a crash after the switch readers see %q, want the new rows", out)
	}
	run("INSERT OVERWRITE TABLE t SELECT 7;", "--hiveconf", "waggle.write.cleanup.age=0s")
	if out := run("SELECT * FROM t ORDER BY a;"); out != "7\n" {
		t.Fatalf("got %q", out)
	}
	var versions []string
	for _, k := range keys() {
		if k == "warehouse/t/" {
			continue
		}
		if !strings.HasPrefix(k, "warehouse/t/base_waggle_") || strings.Contains(k, ".hive-") {
			t.Errorf("leftover %s", k)
		}
		v := strings.SplitN(strings.TrimPrefix(k, "warehouse/t/"), "/", 2)[0]
		if len(versions) == 0 || versions[len(versions)-1] != v {
			versions = append(versions, v)
		}
	}
	if len(versions) != 1 {
		t.Errorf("version directories %v (all keys %v), want only the current one", versions, keys())
	}
}
