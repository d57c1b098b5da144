package hms

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	hm "github.com/beltran/gohive/hive_metastore"
)

// The concurrency test runs ~10 s by default; -hms.soak=1m (or
// WAGGLE_HMS_SOAK=1m) runs it for the acceptance minute.
var soakFlag = flag.Duration("hms.soak", 0, "duration of the HMS concurrency test (default 10s; env WAGGLE_HMS_SOAK)")

func soakDuration(t testing.TB) time.Duration {
	if *soakFlag > 0 {
		return *soakFlag
	}
	if v := os.Getenv("WAGGLE_HMS_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("WAGGLE_HMS_SOAK: %v", err)
		}
		return d
	}
	if testing.Short() {
		return 2 * time.Second
	}
	return 10 * time.Second
}

// loadState records what the workers were told succeeded, to check the
// catalog afterwards.
type loadState struct {
	mu        sync.Mutex
	parts     map[string]bool // shared table partition values added
	lastParam map[string]int  // own table -> last value written to param "v"
	ops       int64
	errs      []error
}

func (s *loadState) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errs) < 20 {
		s.errs = append(s.errs, err)
	}
}

// setupLoad creates the shared partitioned table the workers write to.
func setupLoad(t testing.TB, c *rawClient) {
	ctx := context.Background()
	must(t, c.CreateDatabase(ctx, &hm.Database{Name: "load"}))
	must(t, c.CreateTable(ctx, tableSpec("load", "shared", "worker int", "seq int")))
	must(t, c.CreateTable(ctx, tableSpec("load", "hot")))
}

// loadWorker runs a mix of reads (70%) and DDL until ctx ends: get_table,
// get_databases, partition filters, add_partitions to a shared table, and
// create/alter/drop of its own tables.
func loadWorker(ctx context.Context, c *rawClient, id int, st *loadState) {
	bg := context.Background()
	own := fmt.Sprintf("w%d", id)
	seq := 0
	created := false
	for i := 0; ctx.Err() == nil; i++ {
		var err error
		switch i % 10 {
		case 0, 3, 6:
			_, err = c.GetTable(bg, "load", "hot")
		case 1:
			_, err = c.GetDatabases(bg, "@hive#")
		case 2, 8:
			_, err = c.GetPartitionsByFilter(bg, "load", "shared", fmt.Sprintf("worker = %d and seq >= %d", id, seq/2), -1)
		case 4:
			seq++
			_, err = c.AddPartitionsReq(bg, &hm.AddPartitionsRequest{DbName: "load", TblName: "shared",
				Parts: []*hm.Partition{partSpec("load", "shared", strconv.Itoa(id), strconv.Itoa(seq))}})
			if err == nil {
				st.mu.Lock()
				st.parts[strconv.Itoa(id)+"/"+strconv.Itoa(seq)] = true
				st.mu.Unlock()
			}
		case 5:
			if !created {
				err = c.CreateTable(bg, tableSpec("load", own))
				created = err == nil
			} else {
				var tb *hm.Table
				if tb, err = c.GetTable(bg, "load", own); err == nil {
					tb.Parameters["v"] = strconv.Itoa(i)
					if err = c.AlterTableWithEnvironmentContext(bg, "load", own, tb, nil); err == nil {
						st.mu.Lock()
						st.lastParam[own] = i
						st.mu.Unlock()
					}
				}
			}
		case 7:
			_, err = c.GetTables(bg, "load", "w*")
		case 9:
			if i%50 == 49 && created { // now and then drop and recreate
				if err = c.DropTable(bg, "load", own, true); err == nil {
					created = false
					st.mu.Lock()
					delete(st.lastParam, own)
					st.mu.Unlock()
				}
			} else {
				_, err = c.GetPartitionNames(bg, "load", "shared", -1)
			}
		}
		st.mu.Lock()
		st.ops++
		st.mu.Unlock()
		if err != nil {
			st.fail(fmt.Errorf("worker %d op %d: %w", id, i%10, err))
		}
	}
}

// TestConcurrentClientsKeepCatalogConsistent: 64 clients doing mixed reads
// and DDL get no errors, and afterwards every acknowledged write is there.
func TestConcurrentClientsKeepCatalogConsistent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ts := startServer(t, b, ServerOptions{ManageStorage: true})
		setupLoad(t, dialRaw(t, ts.addr, false, false))
		st := &loadState{parts: map[string]bool{}, lastParam: map[string]int{}}
		ctx, cancel := context.WithTimeout(context.Background(), soakDuration(t))
		defer cancel()
		var wg sync.WaitGroup
		for i := 0; i < 64; i++ {
			c := dialRaw(t, ts.addr, i%4 == 3, false)
			wg.Add(1)
			go func() {
				defer wg.Done()
				loadWorker(ctx, c, i, st)
			}()
		}
		wg.Wait()
		for _, err := range st.errs {
			t.Error(err)
		}
		c := dialRaw(t, ts.addr, false, false)
		bg := context.Background()
		ps, err := c.GetPartitions(bg, "load", "shared", -1)
		must(t, err)
		got := map[string]bool{}
		for _, p := range ps {
			got[p.Values[0]+"/"+p.Values[1]] = true
		}
		if len(got) != len(st.parts) {
			t.Errorf("shared table has %d partitions, %d were acknowledged", len(got), len(st.parts))
		}
		for k := range st.parts {
			if !got[k] {
				t.Errorf("acknowledged partition %s is missing", k)
			}
		}
		for own, v := range st.lastParam {
			tb, err := c.GetTable(bg, "load", own)
			if err != nil {
				t.Errorf("table %s: %v", own, err)
				continue
			}
			if tb.Parameters["v"] != strconv.Itoa(v) {
				t.Errorf("table %s: param v = %q, last acknowledged %d (lost update)", own, tb.Parameters["v"], v)
			}
		}
		t.Logf("%d operations by 64 clients in %v", st.ops, soakDuration(t))
		for _, m := range ts.stats.Methods() {
			ms := ts.stats.Method(m)
			t.Logf("%-30s n=%d avg=%v max=%v", m, ms.Requests, ms.Total/time.Duration(ms.Requests), ms.Max)
		}
	})
}

// BenchmarkGetTableUnderLoad reports get_table latency percentiles while 63
// other clients run the mixed load of the concurrency test.
func BenchmarkGetTableUnderLoad(b *testing.B) {
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			ts := startServer(b, be, ServerOptions{ManageStorage: true})
			setupLoad(b, dialRaw(b, ts.addr, false, false))
			st := &loadState{parts: map[string]bool{}, lastParam: map[string]int{}}
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			for i := 0; i < 63; i++ {
				c := dialRaw(b, ts.addr, false, false)
				wg.Add(1)
				go func() {
					defer wg.Done()
					loadWorker(ctx, c, i, st)
				}()
			}
			c := dialRaw(b, ts.addr, false, false)
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if _, err := c.GetTable(context.Background(), "load", "hot"); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			cancel()
			wg.Wait()
			slices.Sort(lat)
			pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
			b.ReportMetric(pct(0.50), "p50-µs")
			b.ReportMetric(pct(0.99), "p99-µs")
			if len(st.errs) > 0 {
				b.Errorf("load errors: %v", st.errs)
			}
		})
	}
}
