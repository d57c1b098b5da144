package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// compareAnswers compares Waggle's rows with DuckDB's, both as printed (TAB-separated lines). Cells are
// equal when their text is equal, or when both are numbers whose values round to the same 2 decimals
// (Hive's DECIMAL result types differ from DuckDB's in scale — avg of a decimal is DECIMAL in Hive and
// DOUBLE in DuckDB — and double sums depend on summation order). Returns "ok" or the first difference.
func compareAnswers(waggle, duck string) string {
	wl := strings.Split(strings.TrimSuffix(waggle, "\n"), "\n")
	dl := strings.Split(strings.TrimSuffix(duck, "\n"), "\n")
	if len(wl) != len(dl) {
		return fmt.Sprintf("DIFF: %d rows vs DuckDB %d", len(wl), len(dl))
	}
	for i := range wl {
		wc, dc := strings.Split(wl[i], "\t"), strings.Split(dl[i], "\t")
		if len(wc) != len(dc) {
			return fmt.Sprintf("DIFF row %d: %q vs DuckDB %q", i+1, wl[i], dl[i])
		}
		for j := range wc {
			if !sameCell(wc[j], dc[j]) {
				return fmt.Sprintf("DIFF row %d col %d: %q vs DuckDB %q", i+1, j+1, wc[j], dc[j])
			}
		}
	}
	return fmt.Sprintf("ok (%d rows)", len(wl))
}

func sameCell(a, b string) bool {
	if a == b {
		return true
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	return math.Abs(x-y) <= 0.005+1e-12*math.Abs(x)
}

// checkQ1 checks the A|F row of Q1 against the official SF1 answer (sum_qty 37734107, count 1478493).
func checkQ1(out string, sf int) string {
	if sf != 1 {
		return ""
	}
	for _, line := range strings.Split(out, "\n") {
		c := strings.Split(line, "\t")
		if len(c) == 10 && c[0] == "A" && c[1] == "F" {
			qty, _ := strconv.ParseFloat(c[2], 64)
			if qty != 37734107 || c[9] != "1478493" {
				return fmt.Sprintf("DIFF from the official answer: A|F sum_qty %s count %s", c[2], c[9])
			}
			return ""
		}
	}
	return "DIFF: no A|F row in Q1"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func formatReport(o options, qs []*query, fixed []time.Duration, mach string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "TPC-H SF%d, %s, %d threads, %d repetitions (medians; Waggle and DuckDB alternating)\n", o.sf, o.format, o.threads, o.reps)
	b.WriteString(mach)
	b.WriteString("\n")
	b.WriteString("waggle   = engine.Session running the HiveQL script (parse, translate, DuckDB, Hive CLI formatting to io.Discard)\n")
	b.WriteString("duckdb   = hand-written DuckDB SQL on the same files, rows fetched and formatted the same way\n")
	b.WriteString("w-sql    = Waggle's generated SQL run directly on DuckDB (diagnostic: plan cost without Waggle's Go-side work)\n")
	b.WriteString("parse/tr = parse and translate (table lookup, file listing, schema probe) medians, outside the session\n\n")
	fmt.Fprintf(&b, "%-5s %10s %10s %7s %10s %8s %8s  %s\n", "query", "waggle ms", "duckdb ms", "ratio", "w-sql ms", "parse ms", "tr ms", "answer")
	var tw, td, tws time.Duration
	worst, worstName := 0.0, ""
	for _, q := range qs {
		w, d, ws := median(q.waggle), median(q.duckdb), median(q.waggleSQL)
		tw, td, tws = tw+w, td+d, tws+ws
		r := float64(w) / float64(d)
		if r > worst {
			worst, worstName = r, q.name
		}
		fmt.Fprintf(&b, "%-5s %10s %10s %7.2f %10s %8s %8s  %s\n", q.name, ms(w), ms(d), r, ms(ws), ms(q.parse), ms(q.tran), q.answer)
	}
	fmt.Fprintf(&b, "%-5s %10s %10s %7.2f %10s\n", "sum", ms(tw), ms(td), float64(tw)/float64(td), ms(tws))
	fmt.Fprintf(&b, "\nworst query: %s (%.2f)\n", worstName, worst)
	if len(fixed) > 0 {
		fmt.Fprintf(&b, "fixed cost: `waggle run` of a one-statement script (SELECT 1), process wall time: median %s ms of %d (min %s, max %s)\n",
			ms(median(fixed)), len(fixed), ms(minD(fixed)), ms(maxD(fixed)))
	}
	fmt.Fprintf(&b, "load average (1 min) at start / end: %s / %s (2 cores: above 2 means other work competed)\n", o.loadStart, loadAvg())
	fmt.Fprintf(&b, "peak RSS of the harness process (both sides): %s\n", peakRSS())
	fmt.Fprintf(&b, "TOTAL waggle/duckdb ratio: %.2f\n", float64(tw)/float64(td))
	return b.String()
}

func minD(ds []time.Duration) time.Duration {
	m := ds[0]
	for _, d := range ds {
		m = min(m, d)
	}
	return m
}

func maxD(ds []time.Duration) time.Duration {
	m := ds[0]
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(data))[0]
}

func peakRSS() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "unknown"
}

// machine describes the machine: cores, memory, CPU model, Go and DuckDB versions.
func machine(duckVersion string) string {
	cpu, mem := "unknown", "unknown"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "model name") {
				cpu = strings.TrimSpace(l[strings.Index(l, ":")+1:])
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "MemTotal:") {
				kb, _ := strconv.ParseFloat(strings.Fields(l)[1], 64)
				mem = fmt.Sprintf("%.1f GiB", kb/1024/1024)
			}
		}
	}
	nproc := strconv.Itoa(runtime.NumCPU())
	if out, err := exec.Command("nproc").Output(); err == nil {
		nproc = strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("machine: nproc %s, memory %s, CPU %s, %s, DuckDB %s\n", nproc, mem, cpu, runtime.Version(), duckVersion)
}
