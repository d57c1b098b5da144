package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/waggle-dev/waggle/jobs"
)

// BenchmarkJobPage200 renders the page of a finished 200-statement job, server side (issue 7: under 300 ms).
func BenchmarkJobPage200(b *testing.B) {
	e := newEnv(b)
	var sb strings.Builder
	for i := range 200 {
		fmt.Fprintf(&sb, "SELECT %d AS n,\n  'statement %d' AS label;\n", i, i)
	}
	id := e.startJob(b, "two-hundred", e.script(b, "200.sql", sb.String()), "", nil)
	if j := e.wait(b, id, 3*time.Minute, jobs.StateCompleted, jobs.StateFailed); j.State != jobs.StateCompleted {
		b.Fatalf("job %s: %s", j.State, j.StateDetails)
	}
	h := e.web.Handler()
	path := "/jobs/" + e.vc + "/" + id
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != 200 || strings.Count(rec.Body.String(), `<tr id="stmt-`) != 200 || strings.Count(rec.Body.String(), `data-index=`) != 200 {
		b.Fatalf("job page: %d, %d statement rows", rec.Code, strings.Count(rec.Body.String(), `<tr id="stmt-`))
	}
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
