// Package api serves the job service over HTTP as Amazon EMR on EKS's emr-containers REST API (restJson1,
// ../shared/reference/emr-api.md): exact paths and field names, errors as x-amzn-ErrorType + {"message"},
// plus Waggle's extension resources (a job run's statements, attempts and logs). Handlers are thin: decode,
// call a jobs.Service method, encode. Request authentication is an Authenticator (SigV4 in production).
package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/waggle-dev/waggle/jobs"
)

// Authenticator verifies a request (its body already read) and returns the caller's identity (an IAM or STS
// ARN, used as createdBy). Its error may be an *AuthError, or any error with Code/Message/HTTPStatus
// semantics exposed through the AuthCoder interface; other errors are 403 AccessDeniedException.
type Authenticator interface {
	Verify(r *http.Request, body []byte) (identity string, err error)
}

// AuthError is an authentication failure as the wire shows it (e.g. InvalidSignatureException, 403).
type AuthError struct {
	Code       string
	Message    string
	HTTPStatus int
}

func (e *AuthError) Error() string { return e.Code + ": " + e.Message }

// AuthCoder lets an authenticator's own error type choose the wire error without this package importing it.
type AuthCoder interface {
	AuthCode() (code, message string, status int)
}

// Server is the HTTP handler of the job API.
type Server struct {
	svc  *jobs.Service
	auth Authenticator // nil: no authentication (--insecure-no-auth)
	log  *slog.Logger
	mux  *http.ServeMux
}

// New returns the API handler for svc. auth nil disables authentication.
func New(svc *jobs.Service, auth Authenticator, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	s := &Server{svc: svc, auth: auth, log: log, mux: http.NewServeMux()}
	s.routes()
	return s
}

const maxBody = 8 << 20

// errorMapping is the one table from service error kinds to the wire.
var errorMapping = map[jobs.Kind]struct {
	code   string
	status int
}{
	jobs.KindValidation: {"ValidationException", http.StatusBadRequest},
	jobs.KindNotFound:   {"ResourceNotFoundException", http.StatusBadRequest},
	jobs.KindInternal:   {"InternalServerException", http.StatusInternalServerError},
}

type ctxKey int

const requestIDKey ctxKey = 0

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ServeHTTP authenticates the request and dispatches it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rid := newRequestID()
	w.Header().Set("x-amzn-RequestId", rid)
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", p, "request_id", rid)
			writeError(w, "InternalServerException", http.StatusInternalServerError, "internal error")
		}
	}()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		writeError(w, "ValidationException", http.StatusBadRequest, "cannot read the request body")
		return
	}
	if len(body) > maxBody {
		writeError(w, "ValidationException", http.StatusBadRequest, "request body too large")
		return
	}
	ctx := context.WithValue(r.Context(), requestIDKey, rid)
	if s.auth != nil {
		id, err := s.auth.Verify(r, body)
		if err != nil {
			code, msg, status := "AccessDeniedException", err.Error(), http.StatusForbidden
			var ae *AuthError
			var ac AuthCoder
			if errors.As(err, &ae) {
				code, msg, status = ae.Code, ae.Message, ae.HTTPStatus
			} else if errors.As(err, &ac) {
				code, msg, status = ac.AuthCode()
			}
			s.log.Info("request rejected", "method", r.Method, "path", r.URL.Path, "code", code, "request_id", rid)
			writeError(w, code, status, msg)
			return
		}
		ctx = jobs.WithIdentity(ctx, id)
	}
	r = r.WithContext(ctx)
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mux.ServeHTTP(w, r)
}

func writeError(w http.ResponseWriter, code string, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-ErrorType", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

// fail writes a service error through the mapping table.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *jobs.Error
	if !errors.As(err, &e) {
		e = &jobs.Error{Kind: jobs.KindInternal, Message: err.Error()}
	}
	m := errorMapping[e.Kind]
	if e.Kind == jobs.KindInternal {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", e.Message)
	}
	writeError(w, m.code, m.status, e.Message)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// decode reads the JSON body into v (unknown fields are ignored; an empty body is an empty object).
func decode(r *http.Request, v any) error {
	data, _ := io.ReadAll(r.Body)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return &jobs.Error{Kind: jobs.KindValidation, Message: "invalid request body: " + err.Error()}
	}
	return nil
}

// query helpers

func queryTime(r *http.Request, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z", "2006-01-02T15:04:05.000000Z"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return time.Unix(0, int64(f*1e9)), nil
	}
	return time.Time{}, &jobs.Error{Kind: jobs.KindValidation, Message: fmt.Sprintf("%s: invalid timestamp %q", name, v)}
}

func queryInt(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, &jobs.Error{Kind: jobs.KindValidation, Message: fmt.Sprintf("%s must be a positive integer", name)}
	}
	return n, nil
}

// page is a list response's token member: omitted on the last page.
func page(key string, items any, next string) map[string]any {
	out := map[string]any{key: items}
	if next != "" {
		out["nextToken"] = next
	}
	return out
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("POST /virtualclusters", s.createVirtualCluster)
	m.HandleFunc("GET /virtualclusters", s.listVirtualClusters)
	m.HandleFunc("GET /virtualclusters/{vc}", s.describeVirtualCluster)
	m.HandleFunc("DELETE /virtualclusters/{vc}", s.deleteVirtualCluster)
	m.HandleFunc("POST /virtualclusters/{vc}/jobruns", s.startJobRun)
	m.HandleFunc("GET /virtualclusters/{vc}/jobruns", s.listJobRuns)
	m.HandleFunc("GET /virtualclusters/{vc}/jobruns/{id}", s.describeJobRun)
	m.HandleFunc("DELETE /virtualclusters/{vc}/jobruns/{id}", s.cancelJobRun)
	m.HandleFunc("GET /virtualclusters/{vc}/jobruns/{id}/statements", s.jobStatements)
	m.HandleFunc("GET /virtualclusters/{vc}/jobruns/{id}/attempts", s.jobAttempts)
	m.HandleFunc("GET /virtualclusters/{vc}/jobruns/{id}/logs/{stream}", s.jobLogs)
	m.HandleFunc("POST /jobtemplates", s.createJobTemplate)
	m.HandleFunc("GET /jobtemplates", s.listJobTemplates)
	m.HandleFunc("GET /jobtemplates/{id}", s.describeJobTemplate)
	m.HandleFunc("DELETE /jobtemplates/{id}", s.deleteJobTemplate)
	m.HandleFunc("POST /tags/{arn...}", s.tagResource)
	m.HandleFunc("DELETE /tags/{arn...}", s.untagResource)
	m.HandleFunc("GET /tags/{arn...}", s.listTags)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, "UnknownOperationException", http.StatusNotFound, "no operation "+r.Method+" "+r.URL.Path)
	})
}

// ---- virtual clusters ----

func (s *Server) createVirtualCluster(w http.ResponseWriter, r *http.Request) {
	var in jobs.CreateVirtualClusterInput
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.svc.CreateVirtualCluster(r.Context(), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, out)
}

func (s *Server) describeVirtualCluster(w http.ResponseWriter, r *http.Request) {
	vc, err := s.svc.DescribeVirtualCluster(r.Context(), r.PathValue("vc"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"virtualCluster": vc})
}

func (s *Server) listVirtualClusters(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := jobs.ListVirtualClustersInput{ContainerProviderID: q.Get("containerProviderId"), ContainerProviderType: q.Get("containerProviderType"),
		States: q["states"], NextToken: q.Get("nextToken")}
	var err error
	if in.CreatedAfter, err = queryTime(r, "createdAfter"); err == nil {
		if in.CreatedBefore, err = queryTime(r, "createdBefore"); err == nil {
			in.MaxResults, err = queryInt(r, "maxResults")
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vcs, next, err := s.svc.ListVirtualClusters(r.Context(), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, page("virtualClusters", vcs, next))
}

func (s *Server) deleteVirtualCluster(w http.ResponseWriter, r *http.Request) {
	id, err := s.svc.DeleteVirtualCluster(r.Context(), r.PathValue("vc"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]string{"id": id})
}

// ---- job runs ----

func (s *Server) startJobRun(w http.ResponseWriter, r *http.Request) {
	var in jobs.StartJobRunInput
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	in.VirtualClusterID = r.PathValue("vc")
	out, err := s.svc.StartJobRun(r.Context(), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, out)
}

func (s *Server) describeJobRun(w http.ResponseWriter, r *http.Request) {
	j, err := s.svc.DescribeJobRun(r.Context(), r.PathValue("vc"), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"jobRun": j})
}

func (s *Server) listJobRuns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := jobs.ListJobRunsInput{VirtualClusterID: r.PathValue("vc"), Name: q.Get("name"), States: q["states"], NextToken: q.Get("nextToken")}
	var err error
	if in.CreatedAfter, err = queryTime(r, "createdAfter"); err == nil {
		if in.CreatedBefore, err = queryTime(r, "createdBefore"); err == nil {
			in.MaxResults, err = queryInt(r, "maxResults")
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	runs, next, err := s.svc.ListJobRuns(r.Context(), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, page("jobRuns", runs, next))
}

func (s *Server) cancelJobRun(w http.ResponseWriter, r *http.Request) {
	id, err := s.svc.CancelJobRun(r.Context(), r.PathValue("vc"), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]string{"id": id, "virtualClusterId": r.PathValue("vc")})
}

func (s *Server) jobStatements(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.JobStatements(r.Context(), r.PathValue("vc"), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"statements": st})
}

func (s *Server) jobAttempts(w http.ResponseWriter, r *http.Request) {
	a, err := s.svc.JobAttempts(r.Context(), r.PathValue("vc"), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"attempts": a})
}

// jobLogs serves an attempt's stdout or stderr from ?offset= on, as text; the x-waggle-job-state header
// tells a follower whether more can come.
func (s *Server) jobLogs(w http.ResponseWriter, r *http.Request) {
	attempt, err := queryInt(r, "attempt")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	path, j, err := s.svc.LogFile(r.Context(), r.PathValue("vc"), r.PathValue("id"), attempt, r.PathValue("stream"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	offset, _ := strconv.ParseInt(r.URL.Query().Get("offset"), 10, 64)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("x-waggle-job-state", j.State)
	f, err := os.Open(path)
	if err != nil {
		w.Header().Set("x-waggle-next-offset", strconv.FormatInt(offset, 10))
		return // no output (yet)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || offset > fi.Size() || offset < 0 {
		offset = 0
	}
	w.Header().Set("x-waggle-next-offset", strconv.FormatInt(fi.Size(), 10))
	_, _ = io.Copy(w, io.NewSectionReader(f, offset, fi.Size()-offset))
}

// ---- job templates ----

func (s *Server) createJobTemplate(w http.ResponseWriter, r *http.Request) {
	var in jobs.CreateJobTemplateInput
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.svc.CreateJobTemplate(r.Context(), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, out)
}

func (s *Server) describeJobTemplate(w http.ResponseWriter, r *http.Request) {
	t, err := s.svc.DescribeJobTemplate(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"jobTemplate": t})
}

func (s *Server) listJobTemplates(w http.ResponseWriter, r *http.Request) {
	in := jobs.ListJobTemplatesInput{NextToken: r.URL.Query().Get("nextToken")}
	var err error
	if in.CreatedAfter, err = queryTime(r, "createdAfter"); err == nil {
		if in.CreatedBefore, err = queryTime(r, "createdBefore"); err == nil {
			in.MaxResults, err = queryInt(r, "maxResults")
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ts, next, err := s.svc.ListJobTemplates(r.Context(), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, page("templates", ts, next))
}

func (s *Server) deleteJobTemplate(w http.ResponseWriter, r *http.Request) {
	id, err := s.svc.DeleteJobTemplate(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]string{"id": id})
}

// ---- tags ----

func (s *Server) tagResource(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Tags map[string]string `json:"tags"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.TagResource(r.Context(), r.PathValue("arn"), in.Tags); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Server) untagResource(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.UntagResource(r.Context(), r.PathValue("arn"), r.URL.Query()["tagKeys"]); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Server) listTags(w http.ResponseWriter, r *http.Request) {
	tags, err := s.svc.ListTagsForResource(r.Context(), r.PathValue("arn"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"tags": tags})
}
