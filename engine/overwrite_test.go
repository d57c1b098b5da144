package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/waggle-dev/waggle/catalog"
)

// switchCatalog wraps the session's catalog: it counts the partition-altering calls and fails
// AlterPartitions (the failAlterFrom-th call of a statement and later ones; 0: never) or AddPartitions.
type switchCatalog struct {
	catalog.Catalog

	mu                              sync.Mutex
	alterPartition, alterPartitions int
	failAlterFrom                   int
	failAdd                         bool
}

var errInjected = errors.New("injected metastore failure")

// reset clears the counters and sets the faults for the next statement.
func (c *switchCatalog) reset(failAlterFrom int, failAdd bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.alterPartition, c.alterPartitions = 0, 0
	c.failAlterFrom, c.failAdd = failAlterFrom, failAdd
}

func (c *switchCatalog) counts() (alterPartition, alterPartitions int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.alterPartition, c.alterPartitions
}

func (c *switchCatalog) AlterPartition(ctx context.Context, db, table string, oldValues []string, p *catalog.Partition) error {
	c.mu.Lock()
	c.alterPartition++
	c.mu.Unlock()
	return c.Catalog.AlterPartition(ctx, db, table, oldValues, p)
}

func (c *switchCatalog) AlterPartitions(ctx context.Context, db, table string, parts []*catalog.Partition) error {
	c.mu.Lock()
	c.alterPartitions++
	fail := c.failAlterFrom > 0 && c.alterPartitions >= c.failAlterFrom
	c.mu.Unlock()
	if fail {
		return errInjected
	}
	return c.Catalog.AlterPartitions(ctx, db, table, parts)
}

func (c *switchCatalog) AddPartitions(ctx context.Context, parts []*catalog.Partition, ifNotExists bool) error {
	c.mu.Lock()
	fail := c.failAdd
	c.mu.Unlock()
	if fail {
		return errInjected
	}
	return c.Catalog.AddPartitions(ctx, parts, ifNotExists)
}

// TestDynamicOverwriteSwitchesPartitionsInOneCall: a dynamic-partition INSERT OVERWRITE switches all the
// existing partitions it overwrites with one AlterPartitions call (one metastore transaction), so a
// failing switch leaves every partition on its old data, and a failure after it (registering the new
// partitions) is undone with one call too.
func TestDynamicOverwriteSwitchesPartitionsInOneCall(t *testing.T) {
	var cat *switchCatalog
	h := newHarnessWrapped(t, func(c catalog.Catalog) catalog.Catalog {
		cat = &switchCatalog{Catalog: c}
		return cat
	}, "hive.exec.dynamic.partition.mode=nonstrict", "waggle.write.cleanup.age=0s")
	h.run(`CREATE TABLE p (a INT) PARTITIONED BY (ds STRING);
INSERT INTO p PARTITION (ds) VALUES (1, 'x'), (2, 'y'), (3, 'z');`)
	const (
		overwrite = `INSERT OVERWRITE TABLE p PARTITION (ds)
SELECT 10, 'x' UNION ALL SELECT 20, 'y' UNION ALL SELECT 30, 'z' UNION ALL SELECT 40, 'w';`
		oldData = "1\tx\n2\ty\n3\tz\n"
	)
	ctx := context.Background()
	existing := []string{"x", "y", "z"}
	check := func(t *testing.T, want, wantParts string) {
		t.Helper()
		if out := h.run("SELECT a, ds FROM p ORDER BY ds;"); out != want {
			t.Fatalf("readers see %q, want %q", out, want)
		}
		if out := h.run("SHOW PARTITIONS p;"); out != wantParts {
			t.Fatalf("partitions %q, want %q", out, wantParts)
		}
	}
	// locations returns the existing partitions' locations.
	locations := func(t *testing.T) map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, v := range existing {
			p, err := h.sess.cat.GetPartition(ctx, "default", "p", []string{v})
			if err != nil {
				t.Fatal(err)
			}
			out[v] = p.SD.Location
		}
		return out
	}
	// versionDirs returns the base_waggle_ directories under the existing partitions' directories.
	versionDirs := func(t *testing.T) []string {
		t.Helper()
		var out []string
		for _, v := range existing {
			entries, err := os.ReadDir(filepath.Join(h.wh, "p", "ds="+v))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), versionPrefix) {
					out = append(out, "ds="+v+"/"+e.Name())
				}
			}
		}
		return out
	}
	// noFilesInW fails if the directory of the unregistered partition ds=w holds files.
	noFilesInW := func(t *testing.T) {
		t.Helper()
		entries, _ := os.ReadDir(filepath.Join(h.wh, "p", "ds=w"))
		for _, e := range entries {
			if !e.IsDir() {
				t.Errorf("file %s left in the unregistered partition ds=w", e.Name())
			}
		}
	}
	wantCounts := func(t *testing.T, alterPartitions int) {
		t.Helper()
		if one, many := cat.counts(); one != 0 || many != alterPartitions {
			t.Errorf("AlterPartition calls %d, AlterPartitions calls %d; want 0, %d", one, many, alterPartitions)
		}
	}
	check(t, oldData, "ds=x\nds=y\nds=z\n")
	before := locations(t)
	// wantOld fails unless a failed statement left everything as before: old data and locations, no new
	// version directories, nothing in the unregistered partition.
	wantOld := func(t *testing.T) {
		t.Helper()
		check(t, oldData, "ds=x\nds=y\nds=z\n")
		if got := locations(t); !mapsEqual(got, before) {
			t.Errorf("locations %v, want %v", got, before)
		}
		if dirs := versionDirs(t); len(dirs) != 0 {
			t.Errorf("new version directories left: %v", dirs)
		}
		noFilesInW(t)
	}

	t.Run("the switch fails: no partition switched, old data everywhere", func(t *testing.T) {
		cat.reset(1, false)
		if msg := h.fail(overwrite); !strings.Contains(msg, errInjected.Error()) {
			t.Fatalf("stderr = %q", msg)
		}
		wantCounts(t, 1)
		wantOld(t)
	})

	t.Run("registering the new partition fails: the switch is undone in one call", func(t *testing.T) {
		cat.reset(0, true)
		h.fail(overwrite)
		wantCounts(t, 2) // switch + undo
		wantOld(t)
	})

	t.Run("the undo fails too: every switched partition keeps its complete new directory", func(t *testing.T) {
		cat.reset(2, true)
		h.fail(overwrite)
		wantCounts(t, 2)
		check(t, "10\tx\n20\ty\n30\tz\n", "ds=x\nds=y\nds=z\n")
		for v, loc := range locations(t) {
			if !strings.Contains(loc, "/"+versionPrefix) {
				t.Errorf("partition %s at %s, want its new version directory", v, loc)
			}
		}
		noFilesInW(t)
	})

	t.Run("success: one AlterPartitions call for all existing partitions", func(t *testing.T) {
		cat.reset(0, false)
		h.run(overwrite)
		wantCounts(t, 1)
		check(t, "40\tw\n10\tx\n20\ty\n30\tz\n", "ds=w\nds=x\nds=y\nds=z\n")
		for v, loc := range locations(t) {
			if !strings.Contains(loc, "/"+versionPrefix) {
				t.Errorf("partition %s at %s, want a version directory", v, loc)
			}
		}
		// Only the current version directories remain (the previous statement's kept ones are deleted
		// as the old data of this switch).
		if dirs := versionDirs(t); len(dirs) != len(existing) {
			t.Errorf("version directories %v, want one per partition", dirs)
		}
	})

	t.Run("a static partition goes through AlterPartitions too", func(t *testing.T) {
		cat.reset(0, false)
		h.run("INSERT OVERWRITE TABLE p PARTITION (ds='y') SELECT 21;")
		wantCounts(t, 1)
		check(t, "40\tw\n10\tx\n21\ty\n30\tz\n", "ds=w\nds=x\nds=y\nds=z\n")
	})
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// commitCatalog is a switchCatalog whose catalog (the SQL store) switches and registers partitions in one
// transaction (catalog.PartitionCommitter); it counts those calls and can fail them.
type commitCatalog struct {
	*switchCatalog
	commits    int
	failCommit bool
}

func (c *commitCatalog) CommitPartitions(ctx context.Context, db, table string, alter, add []*catalog.Partition) error {
	c.mu.Lock()
	c.commits++
	fail := c.failCommit
	c.mu.Unlock()
	if fail {
		return errInjected
	}
	return c.Catalog.(catalog.PartitionCommitter).CommitPartitions(ctx, db, table, alter, add)
}

// TestDynamicOverwriteOneTransaction: with a catalog that commits partitions in one transaction, a
// dynamic-partition INSERT OVERWRITE that overwrites existing partitions and creates new ones makes one
// metastore call for all of them; when it fails, nothing changed.
func TestDynamicOverwriteOneTransaction(t *testing.T) {
	var cat *commitCatalog
	h := newHarnessWrapped(t, func(c catalog.Catalog) catalog.Catalog {
		cat = &commitCatalog{switchCatalog: &switchCatalog{Catalog: c}}
		return cat
	}, "hive.exec.dynamic.partition.mode=nonstrict", "waggle.write.cleanup.age=0s")
	h.run(`CREATE TABLE p (a INT) PARTITIONED BY (ds STRING);
INSERT INTO p PARTITION (ds) VALUES (1, 'x'), (2, 'y');`)
	const overwrite = `INSERT OVERWRITE TABLE p PARTITION (ds)
SELECT 10, 'x' UNION ALL SELECT 20, 'y' UNION ALL SELECT 40, 'w';`
	check := func(want, wantParts string) {
		t.Helper()
		if out := h.run("SELECT a, ds FROM p ORDER BY ds;"); out != want {
			t.Errorf("readers see %q, want %q", out, want)
		}
		if out := h.run("SHOW PARTITIONS p;"); out != wantParts {
			t.Errorf("partitions %q, want %q", out, wantParts)
		}
	}
	cat.commits = 0
	cat.failCommit = true
	if msg := h.fail(overwrite); !strings.Contains(msg, errInjected.Error()) {
		t.Fatalf("stderr = %q", msg)
	}
	check("1\tx\n2\ty\n", "ds=x\nds=y\n")
	entries, _ := os.ReadDir(filepath.Join(h.wh, "p", "ds=w"))
	for _, e := range entries {
		t.Errorf("%s left in the unregistered partition ds=w", e.Name())
	}
	for _, v := range []string{"x", "y"} {
		entries, _ := os.ReadDir(filepath.Join(h.wh, "p", "ds="+v))
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), versionPrefix) {
				t.Errorf("version directory %s left in ds=%s", e.Name(), v)
			}
		}
	}

	cat.failCommit = false
	cat.commits = 0
	cat.reset(0, true) // AddPartitions would fail: the commit must not need it
	h.run(overwrite)
	check("40\tw\n10\tx\n20\ty\n", "ds=w\nds=x\nds=y\n")
	if one, many := cat.counts(); cat.commits != 1 || one != 0 || many != 0 {
		t.Errorf("CommitPartitions %d, AlterPartition %d, AlterPartitions %d calls; want 1, 0, 0", cat.commits, one, many)
	}
}
