package jobs

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/waggle-dev/waggle/jobevent"
	"github.com/waggle-dev/waggle/storage"
)

// statementOf turns a jobevent statement event into the job's record.
func statementOf(attempt int, e jobevent.Event) Statement {
	return Statement{Attempt: attempt, Index: e.Index, Text: e.Text, File: e.File, Line: e.Line, Kind: e.Kind, Status: e.Status,
		Start: e.Start, End: e.End, DurationMs: e.DurationMs, Rows: e.Rows, Bytes: e.Bytes,
		S3Read: e.S3Read, S3Written: e.S3Written, Error: e.Error}
}

// isLocal reports whether an entry point names a local file.
func isLocal(p string) bool {
	u, err := url.Parse(p)
	return err != nil || u.Scheme == "" || u.Scheme == "file"
}

// localPath turns file:// URIs and paths into an absolute local path.
func localPath(p string) (string, error) {
	if strings.HasPrefix(p, "file://") {
		u, err := url.Parse(p)
		if err != nil {
			return "", err
		}
		p = u.Path
	}
	return filepath.Abs(p)
}

// within reports whether path lies in one of the roots (after resolving symlinks).
func within(path string, roots []string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	for _, r := range roots {
		rr, err := filepath.EvalSymlinks(r)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(rr, real); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
			return true
		}
	}
	return false
}

// fetchEntryPoint copies the job's script into its work dir (from S3 through package storage with the
// job's fs.s3a.* settings, or from a local path, which must lie in the configured roots when there are any).
func (s *Service) fetchEntryPoint(ctx context.Context, p *jobPlan, work string) (string, error) {
	dst := filepath.Join(work, filepath.Base(strings.TrimSuffix(p.Entry, "/")))
	if isLocal(p.Entry) {
		src, err := localPath(p.Entry)
		if err != nil {
			return "", fmt.Errorf("entryPoint %s: %v", p.Entry, err)
		}
		if len(s.cfg.LocalRoots) > 0 && !within(src, s.cfg.LocalRoots) {
			return "", fmt.Errorf("entryPoint %s: permission denied: local entry points must lie under %s", p.Entry, strings.Join(s.cfg.LocalRoots, ", "))
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return "", fmt.Errorf("cannot read entryPoint %s: %v", p.Entry, err)
		}
		return dst, os.WriteFile(dst, data, 0o600)
	}
	st, err := storage.New(p.Conf)
	if err != nil {
		return "", fmt.Errorf("entryPoint %s: %v", p.Entry, err)
	}
	if err := st.CopyToLocal(ctx, p.Entry, dst); err != nil {
		return "", fmt.Errorf("cannot read entryPoint %s: %v", p.Entry, err)
	}
	return dst, nil
}

// uploadLogs writes the attempt's stdout and stderr gzip'ed to
// <logUri>/<virtualClusterId>/jobs/<jobId>/containers/<attemptId>/stdout.gz|stderr.gz.
func (s *Service) uploadLogs(ctx context.Context, j *JobRun, spec AttemptSpec, p *jobPlan) {
	co := j.ConfigurationOverrides
	if co == nil || co.MonitoringConfiguration == nil || co.MonitoringConfiguration.S3MonitoringConfiguration == nil {
		return
	}
	base := strings.TrimSuffix(co.MonitoringConfiguration.S3MonitoringConfiguration.LogURI, "/")
	st, err := storage.New(p.Conf)
	if err != nil {
		s.log.Warn("upload logs", "job", j.ID, "err", err)
		return
	}
	for _, stream := range []string{"stdout", "stderr"} {
		local := filepath.Join(spec.Dir, stream)
		gz := local + ".gz"
		if err := gzipFile(local, gz); err != nil {
			s.log.Warn("compress log", "job", j.ID, "err", err)
			continue
		}
		dst := fmt.Sprintf("%s/%s/jobs/%s/containers/%s/%s.gz", base, j.VirtualClusterID, j.ID, spec.AttemptID, stream)
		if err := st.CopyFromLocal(ctx, gz, dst); err != nil {
			s.log.Warn("upload log", "job", j.ID, "dst", dst, "err", err)
		}
	}
}

func gzipFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		out.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
