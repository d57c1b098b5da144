package conformance

import (
	"bufio"
	"context"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var (
	updateRatchet = flag.Bool("update-ratchet", false, "rewrite testdata/passing.txt with the statements that pass now")
	only          = flag.String("qtest", "", "run only the named qtests (comma-separated)")
	verbose       = flag.Bool("qtest.v", false, "report every statement, not just failures")
)

const suiteDir = "../../shared/conformance/hive-qtests"

// TestHiveQTests runs Hive's own query tests and fails when a statement listed in testdata/passing.txt
// (the ratchet) no longer passes.
func TestHiveQTests(t *testing.T) {
	suite, err := Load(suiteDir)
	if err != nil {
		t.Skipf("conformance suite not available: %v", err)
	}
	ratchet := readRatchet(t)
	work := t.TempDir()
	ctx := context.Background()
	var all []Result
	for _, test := range suite.Tests {
		if *only != "" && !contains(strings.Split(*only, ","), test.Name) {
			continue
		}
		results, err := suite.RunTest(ctx, test, work)
		if err != nil {
			t.Errorf("%s: %v", test.Name, err)
			continue
		}
		all = append(all, results...)
	}
	var sb strings.Builder
	passed, failed, skipped := Report(&sb, all, *verbose)
	t.Log("\n" + sb.String())
	_ = skipped
	var regressions []string
	var nowPassing []string
	byID := map[string]Result{}
	for _, r := range all {
		byID[r.ID()] = r
		if r.IsResult && r.Outcome == Pass {
			nowPassing = append(nowPassing, r.ID())
		}
	}
	for id := range ratchet {
		if r, ok := byID[id]; ok && r.Outcome != Pass {
			regressions = append(regressions, id)
		}
	}
	sort.Strings(regressions)
	if len(regressions) > 0 {
		t.Errorf("statements that passed before fail now (ratchet): %s", strings.Join(regressions, ", "))
	}
	if *updateRatchet {
		sort.Strings(nowPassing)
		data := "# Conformance ratchet: result statements (test#index) that pass; a statement listed here may not start failing.\n" + strings.Join(nowPassing, "\n") + "\n"
		if err := os.WriteFile(filepath.Join("testdata", "passing.txt"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("hive qtests: %d passed, %d failed (of %d result statements)", passed, failed, passed+failed+skipped)
}

func readRatchet(t *testing.T) map[string]bool {
	m := map[string]bool{}
	f, err := os.Open(filepath.Join("testdata", "passing.txt"))
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestParseQOut(t *testing.T) {
	text := `PREHOOK: query: select * from src
where key = 1
PREHOOK: type: QUERY
PREHOOK: Input: default@src
#### A masked pattern was here ####
POSTHOOK: query: select * from src
where key = 1
POSTHOOK: type: QUERY
POSTHOOK: Input: default@src
#### A masked pattern was here ####
1	a
2	b
PREHOOK: query: insert overwrite table t select 1
PREHOOK: type: QUERY
PREHOOK: Output: default@t
POSTHOOK: query: insert overwrite table t select 1
POSTHOOK: type: QUERY
POSTHOOK: Output: default@t
`
	blocks := ParseQOut(text)
	if len(blocks) != 2 {
		t.Fatalf("got %d blocks", len(blocks))
	}
	if blocks[0].Query != "select * from src\nwhere key = 1" || len(blocks[0].Expected) != 2 || blocks[0].Expected[1] != "2\tb" {
		t.Fatalf("block 0 = %+v", blocks[0])
	}
	if !blocks[0].IsResult() || blocks[1].IsResult() {
		t.Fatal("IsResult: a query is a result statement, an INSERT is not")
	}
}
