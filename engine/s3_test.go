package engine

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/waggle-dev/waggle/catalog/sqlstore"
	"github.com/waggle-dev/waggle/storage"
)

// faultS3 is gofakes3 on loopback behind a wrapper that injects faults into chosen requests, counts the
// bytes GET responses serve, and checks access keys per bucket when told to.
type faultS3 struct {
	URL     string
	backend *s3mem.Backend

	mu       sync.Mutex
	rules    []*faultRule
	getBytes map[string]int64 // URL path → bytes served by GETs
	getsNow  int              // object GETs being answered
	getsMost int              // the most object GETs answered at once
	allowed  map[string]string
}

// faultRule makes requests whose "METHOD path?query" contains match fail: "500", "stall" (no answer
// until the client gives up) or "drop" (connection closed without an answer), or answer late: "delay"
// (20 ms, a cloud object store's first-byte latency), times times (<0: always).
type faultRule struct {
	match  string
	action string
	times  int
	hits   int
}

var accessKeyRE = regexp.MustCompile(`Credential=([^/]+)/`)

func newFaultS3(t testing.TB, buckets ...string) *faultS3 {
	t.Helper()
	f := &faultS3{backend: s3mem.New(), getBytes: map[string]int64{}}
	h := gofakes3.New(f.backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := r.Method + " " + r.URL.RequestURI()
		if r.Method == http.MethodGet && !r.URL.Query().Has("list-type") {
			f.mu.Lock()
			f.getsNow++
			f.getsMost = max(f.getsMost, f.getsNow)
			f.mu.Unlock()
			defer func() {
				f.mu.Lock()
				f.getsNow--
				f.mu.Unlock()
			}()
		}
		f.mu.Lock()
		var rule *faultRule
		for _, fr := range f.rules {
			if strings.Contains(req, fr.match) && fr.times != 0 {
				fr.times--
				fr.hits++
				rule = fr
				break
			}
		}
		allowed := f.allowed
		f.mu.Unlock()
		if allowed != nil {
			bucket, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
			m := accessKeyRE.FindStringSubmatch(r.Header.Get("Authorization"))
			if m == nil || allowed[bucket+"/"+m[1]] == "" {
				w.WriteHeader(http.StatusForbidden)
				if r.Method != http.MethodHead {
					fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
				}
				return
			}
		}
		if rule != nil && rule.action == "delay" {
			time.Sleep(20 * time.Millisecond)
			rule = nil
		}
		if rule != nil {
			switch rule.action {
			case "500":
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected</Message></Error>`)
				return
			case "stall":
				io.Copy(io.Discard, r.Body) // so that the server notices when the client hangs up
				select {
				case <-r.Context().Done():
				case <-time.After(time.Minute):
				}
				return
			case "drop":
				if hj, ok := w.(http.Hijacker); ok {
					if conn, _, err := hj.Hijack(); err == nil {
						conn.Close()
						return
					}
				}
				panic(http.ErrAbortHandler)
			}
		}
		if r.Method == http.MethodGet {
			cw := &countingWriter{ResponseWriter: w}
			h.ServeHTTP(cw, r)
			f.mu.Lock()
			f.getBytes[r.URL.Path] += cw.n
			f.mu.Unlock()
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	for _, b := range buckets {
		if err := f.backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n += int64(n)
	return n, err
}

func (f *faultS3) inject(match, action string, times int) *faultRule {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := &faultRule{match: match, action: action, times: times}
	f.rules = append(f.rules, r)
	return r
}

func (f *faultS3) clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = nil
}

func (f *faultS3) resetBytes() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.getBytes = map[string]int64{}
}

// objectBytes is what GETs of objects (not listings) served since the last resetBytes.
func (f *faultS3) objectBytes() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	var n int64
	for p, b := range f.getBytes {
		if strings.Count(p, "/") >= 3 { // /bucket/key; listings are GET /bucket?list-type=2
			n += b
		}
	}
	return n
}

// keys lists the object keys of bucket under prefix.
func (f *faultS3) keys(t *testing.T, bucket, prefix string) []string {
	t.Helper()
	res, err := f.backend.ListBucket(bucket, &gofakes3.Prefix{HasPrefix: true, Prefix: prefix}, gofakes3.ListBucketPage{})
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

// s3Conf is the configuration pointing a session at f with the given keys.
func (f *faultS3) s3Conf(accessKey string) []string {
	return []string{
		"fs.s3a.endpoint=" + f.URL,
		"fs.s3a.path.style.access=true",
		"fs.s3a.access.key=" + accessKey,
		"fs.s3a.secret.key=secret-" + strings.ToLower(accessKey),
		"fs.s3a.endpoint.region=us-east-1",
	}
}

// newS3Harness is a session whose warehouse is s3://<bucket>/warehouse on f (metastore in dir/metastore.db,
// so that two harnesses with one dir share the catalog).
func newS3Harness(t *testing.T, f *faultS3, dir, bucket string, conf ...string) *harness {
	t.Helper()
	h := &harness{t: t, dir: dir}
	wh := "s3a://" + bucket + "/warehouse"
	ctx := context.Background()
	cat, err := sqlstore.Open(ctx, sqlstore.Options{Driver: "sqlite", DSN: filepath.Join(dir, "metastore.db"), Warehouse: wh})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	c := map[string]string{"hive.metastore.warehouse.dir": wh, storage.KeyCacheDir: filepath.Join(dir, "s3cache")}
	for _, kv := range append(f.s3Conf("AKIDENGINETEST"), conf...) {
		k, v, _ := strings.Cut(kv, "=")
		c[k] = v
	}
	st, err := storage.New(c)
	if err != nil {
		t.Fatal(err)
	}
	h.sess, err = NewSession(ctx, Options{Conf: c, Catalog: cat, Storage: st, Stdout: &h.out, Stderr: &h.err, Silent: true,
		TempDir: t.TempDir(), OnRecord: func(r Record) { h.records = append(h.records, r) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.sess.Close() })
	return h
}

// runCtx runs a script with ctx and returns its error.
func (h *harness) runCtx(ctx context.Context, src string) error {
	h.out.Reset()
	h.err.Reset()
	return h.sess.RunScript(ctx, "test.sql", src)
}

// noLeftovers fails when staging, trash or unused version directories remain under prefix.
func noLeftovers(t *testing.T, f *faultS3, bucket, prefix string, current ...string) {
	t.Helper()
	for _, k := range f.keys(t, bucket, prefix) {
		if strings.Contains(k, stagingPrefix) || strings.Contains(k, trashPrefix) {
			t.Errorf("leftover %s", k)
		}
		if i := strings.Index(k, versionPrefix); i >= 0 {
			ok := false
			for _, c := range current {
				ok = ok || strings.Contains(k, c)
			}
			if !ok {
				t.Errorf("leftover version directory object %s", k)
			}
		}
	}
}

// TestS3InsertOverwriteFaults: faults injected into the S3 requests of INSERT OVERWRITE either fail the
// statement, leaving the old data visible and nothing behind, or are retried by the SDK.
func TestS3InsertOverwriteFaults(t *testing.T) {
	f := newFaultS3(t, "wh")
	h := newS3Harness(t, f, t.TempDir(), "wh", "waggle.write.cleanup.age=0s")
	h.run("CREATE TABLE t (a INT, b STRING);\nINSERT INTO t VALUES (1, 'old'), (2, 'old');")
	const old = "1\told\n2\told\n"
	check := func(want string) {
		t.Helper()
		if out := h.run("SELECT * FROM t ORDER BY a;"); out != want {
			t.Fatalf("readers see %q, want %q", out, want)
		}
	}
	check(old)

	t.Run("500 on every upload of the new files: fails, old data stays", func(t *testing.T) {
		r := f.inject("PUT /wh/warehouse/t/"+versionPrefix, "500", -1)
		defer f.clear()
		if err := h.runCtx(context.Background(), "INSERT OVERWRITE TABLE t SELECT 9, 'new';"); err == nil {
			t.Fatal("statement succeeded")
		}
		if r.hits < 2 {
			t.Errorf("upload tried %d times: want the SDK's retries", r.hits)
		}
		check(old)
		noLeftovers(t, f, "wh", "warehouse/")
	})
	t.Run("stalled upload and a statement timeout: cancelled, old data stays", func(t *testing.T) {
		f.inject("PUT /wh/warehouse/t/"+versionPrefix, "stall", -1)
		defer f.clear()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := h.runCtx(ctx, "INSERT OVERWRITE TABLE t SELECT 9, 'new';"); err == nil {
			t.Fatal("statement succeeded")
		}
		check(old)
		noLeftovers(t, f, "wh", "warehouse/")
	})
	t.Run("transient 500 and a dropped connection are retried", func(t *testing.T) {
		r1 := f.inject("PUT /wh/warehouse/t/"+versionPrefix, "500", 1)
		r2 := f.inject("PUT /wh/warehouse/t/"+versionPrefix, "drop", 1)
		defer f.clear()
		h.run("INSERT OVERWRITE TABLE t SELECT 3, 'new';")
		if r1.hits != 1 || r2.hits != 1 {
			t.Fatalf("faults hit %d, %d times", r1.hits, r2.hits)
		}
		check("3\tnew\n")
	})
	t.Run("failed deletion of the old files after the switch: new data, old files swept next time", func(t *testing.T) {
		f.inject("POST /wh?delete", "500", -1)
		h.run("INSERT OVERWRITE TABLE t SELECT 4, 'newer';")
		check("4\tnewer\n")
		versions := map[string]bool{}
		for _, k := range f.keys(t, "wh", "warehouse/t/") {
			if i := strings.Index(k, versionPrefix); i >= 0 {
				versions[strings.SplitN(k[i:], "/", 2)[0]] = true
			}
		}
		if len(versions) != 2 {
			t.Fatalf("want the old and the new version directories, have %v", f.keys(t, "wh", "warehouse/t/"))
		}
		f.clear()
		h.run("INSERT OVERWRITE TABLE t SELECT 5, 'newest';")
		check("5\tnewest\n")
		tbl, err := h.sess.cat.GetTable(context.Background(), "default", "t")
		if err != nil {
			t.Fatal(err)
		}
		cur := tbl.SD.Location[strings.LastIndex(tbl.SD.Location, "/")+1:]
		noLeftovers(t, f, "wh", "warehouse/", cur)
		for _, k := range f.keys(t, "wh", "warehouse/t/") {
			if !strings.Contains(k, cur) && k != "warehouse/t/" {
				t.Errorf("old object %s left", k)
			}
		}
	})
}

// TestS3CrashLeftoversSweptByNextWrite: directories a crashed statement left (staging, trash, an
// unused version) are removed by the next write to the same directory once older than
// waggle.write.cleanup.age; younger ones (a statement still running) stay.
func TestS3CrashLeftoversSweptByNextWrite(t *testing.T) {
	f := newFaultS3(t, "wh")
	h := newS3Harness(t, f, t.TempDir(), "wh")
	h.run("CREATE TABLE p (a INT) PARTITIONED BY (ds STRING);\nINSERT INTO p PARTITION (ds='1') VALUES (1);")
	oldID := fmt.Sprintf("%019d_1_1", time.Now().Add(-2*time.Hour).UnixNano())
	newID := fmt.Sprintf("%019d_2_1", time.Now().UnixNano())
	put := func(key string) {
		if _, err := f.backend.PutObject("wh", key, map[string]string{}, strings.NewReader("junk\n"), 5, nil); err != nil {
			t.Fatal(err)
		}
	}
	put("warehouse/p/ds=1/" + stagingPrefix + oldID + "/part-0")
	put("warehouse/p/ds=1/" + trashPrefix + oldID + "/part-0")
	put("warehouse/p/ds=1/" + versionPrefix + oldID + "/part-0")
	put("warehouse/p/ds=1/" + stagingPrefix + newID + "/part-0")
	if out := h.run("SELECT a FROM p;"); out != "1\n" {
		t.Fatalf("leftovers are visible: %q", out)
	}
	h.run("INSERT INTO p PARTITION (ds='1') VALUES (2);")
	got := strings.Join(f.keys(t, "wh", "warehouse/p/ds=1/"), "\n")
	if strings.Contains(got, oldID) || !strings.Contains(got, newID) {
		t.Fatalf("after the next write:\n%s", got)
	}
	if out := h.run("SELECT a FROM p ORDER BY a;"); out != "1\n2\n" {
		t.Fatalf("got %q", out)
	}
}

// TestS3DynamicPartitionOverwrite: only partitions that receive rows are switched, each to its own new
// version directory; the others keep their location and files.
func TestS3DynamicPartitionOverwrite(t *testing.T) {
	f := newFaultS3(t, "wh")
	h := newS3Harness(t, f, t.TempDir(), "wh", "hive.exec.dynamic.partition.mode=nonstrict")
	h.run(`CREATE TABLE p (a INT) PARTITIONED BY (ds STRING);
INSERT INTO p PARTITION (ds) VALUES (1, 'x'), (2, 'y');
INSERT OVERWRITE TABLE p PARTITION (ds) SELECT 20, 'y' UNION ALL SELECT 30, 'z';`)
	if out := h.run("SELECT a, ds FROM p ORDER BY ds;"); out != "1\tx\n20\ty\n30\tz\n" {
		t.Fatalf("got %q", out)
	}
	ctx := context.Background()
	parts, err := h.sess.cat.ListPartitions(ctx, "default", "p", -1)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		switched := strings.Contains(p.SD.Location, versionPrefix)
		if switched != (p.Values[0] == "y") {
			t.Errorf("partition %s at %s", p.Values[0], p.SD.Location)
		}
	}
	noLeftovers(t, f, "wh", "warehouse/", versionPrefix)
	// The old file of ds=y is gone.
	for _, k := range f.keys(t, "wh", "warehouse/p/ds=y/") {
		if !strings.Contains(k, versionPrefix) && k != "warehouse/p/ds=y/" {
			t.Errorf("old file %s left", k)
		}
	}
}

// TestS3PartitionPruningFetchesOnlyThosePartitions: a query touching 2 of 100 partitions downloads
// exactly the bytes of those two partitions' files.
func TestS3PartitionPruningFetchesOnlyThosePartitions(t *testing.T) {
	f := newFaultS3(t, "wh")
	h := newS3Harness(t, f, t.TempDir(), "wh", "hive.exec.dynamic.partition.mode=nonstrict")
	var src strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&src, "%d\x01%s%d\x01%d\n", i, strings.Repeat("x", 100), i, i%100)
	}
	if err := os.WriteFile(filepath.Join(h.dir, "src.txt"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	h.run(`CREATE TABLE src (id BIGINT, payload STRING, day INT);
LOAD DATA LOCAL INPATH '` + filepath.Join(h.dir, "src.txt") + `' INTO TABLE src;
CREATE TABLE events (id BIGINT, payload STRING) PARTITIONED BY (day INT) STORED AS PARQUET;
INSERT INTO events PARTITION (day) SELECT id, payload, day FROM src;`)
	if out := h.run("SHOW PARTITIONS events;"); strings.Count(out, "\n") != 100 {
		t.Fatalf("partitions: %q", out)
	}
	f.resetBytes()
	if out := h.run("SELECT day, count(*) FROM events WHERE day IN (7, 42) GROUP BY day ORDER BY day;"); out != "7\t200\n42\t200\n" {
		t.Fatalf("got %q", out)
	}
	want := map[string]int64{}
	for _, day := range []string{"7", "42"} {
		for _, k := range f.keys(t, "wh", "warehouse/events/day="+day+"/") {
			if o, err := f.backend.HeadObject("wh", k); err == nil && o.Size > 0 {
				want["/wh/"+k] = o.Size
			}
		}
	}
	f.mu.Lock()
	got := f.getBytes
	f.mu.Unlock()
	var total, wantTotal int64
	for p, n := range got {
		if strings.Count(p, "/") < 3 {
			continue // listings (GET /bucket?list-type=2)
		}
		if want[p] != n {
			t.Errorf("GET %s served %d bytes, want %d", p, n, want[p])
		}
		total += n
	}
	for _, n := range want {
		wantTotal += n
	}
	if total != wantTotal || len(want) != 2 {
		t.Fatalf("served %d bytes in %v; want %d bytes of the 2 partitions' files %v", total, got, wantTotal, want)
	}
	t.Logf("2 of 100 partitions: %d bytes served, exactly the two partitions' files", total)
}

// TestS3PerJobCredentialsThroughSharedCache: a session with keys A cannot read a table in a bucket only
// B may read — even after a concurrent session with B cached its files in the shared cache directory.
func TestS3PerJobCredentialsThroughSharedCache(t *testing.T) {
	f := newFaultS3(t, "team-b")
	f.allowed = map[string]string{"team-b/AKIDJOBB": "yes"}
	dir := t.TempDir()
	shared := filepath.Join(t.TempDir(), "cache")
	b := newS3Harness(t, f, dir, "team-b", storage.KeyCacheDir+"="+shared, "fs.s3a.access.key=AKIDJOBB")
	b.run("CREATE TABLE secrets (v STRING);\nINSERT INTO secrets VALUES ('b-only');")
	a := newS3Harness(t, f, dir, "team-b", storage.KeyCacheDir+"="+shared, "fs.s3a.access.key=AKIDJOBA")
	// Job B reads while job A tries: both sessions at once, one cache directory.
	var wg sync.WaitGroup
	var bErr error
	var bOut string
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 5 {
			if bErr = b.runCtx(context.Background(), "SELECT v FROM secrets;"); bErr != nil {
				return
			}
			if bOut = b.out.String(); bOut != "b-only\n" {
				return
			}
		}
	}()
	msg := a.fail("SELECT v FROM secrets;")
	if !strings.Contains(msg, "403") && !strings.Contains(msg, "AccessDenied") && !strings.Contains(msg, "Forbidden") {
		t.Errorf("job A's failure: %s", msg)
	}
	if strings.Contains(msg, "secret-akidjobb") || strings.Contains(msg, "secret-akidjoba") {
		t.Errorf("a secret in the error: %s", msg)
	}
	wg.Wait()
	if bErr != nil || bOut != "b-only\n" {
		t.Fatalf("job B read %q, %v", bOut, bErr)
	}
}

// TestS3FetchProgress: a fetch still moving bytes after the progress interval says so on stderr (files
// done, bytes received, rate); a quick one, and any fetch of a silent (-S) session, print nothing.
func TestS3FetchProgress(t *testing.T) {
	f := newFaultS3(t, "wh")
	dir := t.TempDir()
	h := newS3Harness(t, f, dir, "wh", "waggle.s3.fetch.parallelism=1")
	var src strings.Builder
	for i := range 12 {
		fmt.Fprintf(&src, "INSERT INTO t VALUES (%d, '%s');\n", i, strings.Repeat("x", 1000))
	}
	h.run("CREATE TABLE t (id INT, s STRING);\n" + src.String())
	f.inject("GET /wh/warehouse/t/", "delay", -1) // 20 ms per request: 12 files one at a time take > 240 ms
	h.sess.opts.Silent = false
	h.sess.progressEvery = 50 * time.Millisecond
	if out := h.run("SELECT count(*) FROM t;"); out != "12\n" {
		t.Fatalf("got %q", out)
	}
	stderr := h.err.String()
	if !regexp.MustCompile(`Fetching s3a://wh/warehouse/t: \d+ of 12 files, \d+\.\d MiB received \(\d+\.\d MiB/s\)`).MatchString(stderr) {
		t.Fatalf("no progress line on stderr:\n%s", stderr)
	}
	// Cached now: nothing to fetch, nothing to report.
	if h.run("SELECT count(*) FROM t;"); strings.Contains(h.err.String(), "Fetching") {
		t.Errorf("a cached read reported a fetch:\n%s", h.err.String())
	}
	h.sess.opts.Silent = true
	h.sess.Close()
	h2 := newS3Harness(t, f, dir, "wh", "waggle.s3.fetch.parallelism=1", storage.KeyCacheDir+"="+t.TempDir()) // an empty cache
	h2.sess.progressEvery = 50 * time.Millisecond
	if out := h2.run("SELECT count(*) FROM t;"); out != "12\n" || strings.Contains(h2.err.String(), "Fetching") {
		t.Errorf("a silent session: %q, stderr:\n%s", out, h2.err.String())
	}
}

// TestS3PartitionsFetchedTogether: the files of all the partitions a scan reads are fetched several at a
// time, not partition after partition (one round trip per partition would dominate on an object store).
func TestS3PartitionsFetchedTogether(t *testing.T) {
	f := newFaultS3(t, "wh")
	h := newS3Harness(t, f, t.TempDir(), "wh", "hive.exec.dynamic.partition.mode=nonstrict")
	var src strings.Builder
	for i := range 16 {
		fmt.Fprintf(&src, "(%d, %d)", i, i)
		if i < 15 {
			src.WriteString(", ")
		}
	}
	h.run("CREATE TABLE p (v INT) PARTITIONED BY (d INT);\nINSERT INTO p PARTITION (d) VALUES " + src.String() + ";")
	f.inject("GET /wh/warehouse/p/", "delay", -1) // every object GET takes 20 ms
	f.mu.Lock()
	f.getsMost = 0
	f.mu.Unlock()
	if out := h.run("SELECT count(*), sum(v) FROM p;"); out != "16\t120\n" {
		t.Fatalf("got %q", out)
	}
	f.mu.Lock()
	most := f.getsMost
	f.mu.Unlock()
	if most < 4 {
		t.Errorf("at most %d object GETs at once over 16 one-file partitions, want several", most)
	}
}

// TestSweepSparesTheStatementsOwnFiles: the sweep of old statements' leftovers runs beside a write; even
// with waggle.write.cleanup.age=0 (everything older than now is a leftover) and its listing answered
// after the statement's files are staged, it leaves them alone.
func TestSweepSparesTheStatementsOwnFiles(t *testing.T) {
	f := newFaultS3(t, "wh")
	h := newS3Harness(t, f, t.TempDir(), "wh", "waggle.write.cleanup.age=0s")
	h.run("CREATE TABLE p (v INT) PARTITIONED BY (d INT);")
	f.inject("list-type=2", "delay", -1) // listings (the sweep's) answer 20 ms late; uploads do not wait
	h.run("INSERT OVERWRITE TABLE p PARTITION (d=1) VALUES (1), (2);\nINSERT INTO p PARTITION (d=2) VALUES (3);")
	if out := h.run("SELECT v, d FROM p ORDER BY v;"); out != "1\t1\n2\t1\n3\t2\n" {
		t.Fatalf("got %q", out)
	}
}
