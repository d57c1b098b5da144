package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/storage"
)

// dfs runs the Hive CLI's `dfs` command (Hadoop's `hadoop fs`) on Waggle's storage, so scripts that
// prepare or clean up paths (`dfs -rm -r s3://b/tmp/x;`, `dfs -mkdir -p /data/in;`) run unchanged.
// Supported: -ls, -cat, -mkdir [-p], -rm [-r|-R] [-f] [-skipTrash], -rmr, -put/-copyFromLocal LOCAL DST,
// -get/-copyToLocal SRC LOCAL, -mv SRC DST, -cp SRC DST, -test -e|-d|-f PATH. Paths resolve as table
// locations do (scheme-less against fs.defaultFS) and obey the job's local-path confinement.
func (x *stmtExec) dfs(ctx context.Context, n *ast.CommandStmt) error {
	args := strings.Fields(n.Text)
	if len(args) == 0 {
		return x.errorf(KindSemantic, n, "dfs needs a command, e.g. dfs -ls /path")
	}
	s := x.s
	cmd, rest := args[0], args[1:]
	var flags []string
	var paths []string
	for _, a := range rest {
		if strings.HasPrefix(a, "-") && len(paths) == 0 {
			flags = append(flags, a)
		} else {
			paths = append(paths, a)
		}
	}
	has := func(f ...string) bool {
		for _, g := range flags {
			for _, h := range f {
				if g == h {
					return true
				}
			}
		}
		return false
	}
	qualify := func(p string) (string, error) { return s.st.Qualify(p) }
	need := func(k int) error {
		if len(paths) != k {
			return x.errorf(KindSemantic, n, "dfs %s needs %d path(s), got %d", cmd, k, len(paths))
		}
		return nil
	}
	fail := func(err error) error { return x.errorf(KindExecution, n, "dfs %s: %v", cmd, err) }
	switch cmd {
	case "-ls":
		if len(paths) == 0 {
			return x.errorf(KindSemantic, n, "dfs -ls needs a path")
		}
		for _, p := range paths {
			q, err := qualify(p)
			if err != nil {
				return fail(err)
			}
			st, err := s.st.Stat(ctx, q)
			if err != nil {
				return fail(err)
			}
			entries := []storage.FileInfo{st}
			if st.IsDir {
				if entries, err = s.st.List(ctx, q); err != nil {
					return fail(err)
				}
				fmt.Fprintf(s.stdout, "Found %d items\n", len(entries))
			}
			for _, e := range entries {
				mode := "-rw-r--r--"
				if e.IsDir {
					mode = "drwxr-xr-x"
				}
				fmt.Fprintf(s.stdout, "%s   1 %s %s %10d %s %s\n", mode, s.system["user.name"], s.system["user.name"], e.Size, e.ModTime.UTC().Format("2006-01-02 15:04"), e.Path)
			}
		}
		return nil
	case "-cat":
		for _, p := range paths {
			q, err := qualify(p)
			if err != nil {
				return fail(err)
			}
			r, err := s.st.Open(ctx, q)
			if err != nil {
				return fail(err)
			}
			_, err = io.Copy(s.stdout, r)
			r.Close()
			if err != nil {
				return fail(err)
			}
		}
		return nil
	case "-mkdir":
		for _, p := range paths {
			q, err := qualify(p)
			if err != nil {
				return fail(err)
			}
			if !has("-p") {
				if ok, _ := s.st.Exists(ctx, q); ok {
					return fail(fmt.Errorf("%s: File exists", q))
				}
			}
			if err := s.st.MkdirAll(ctx, q); err != nil {
				return fail(err)
			}
		}
		return nil
	case "-rm", "-rmr":
		recursive := cmd == "-rmr" || has("-r", "-R")
		for _, p := range paths {
			q, err := qualify(p)
			if err != nil {
				return fail(err)
			}
			st, err := s.st.Stat(ctx, q)
			if err != nil {
				if has("-f") && errors.Is(err, storage.ErrNotExist) {
					continue
				}
				return fail(err)
			}
			if st.IsDir && !recursive {
				return fail(fmt.Errorf("%s: is a directory (use -r)", q))
			}
			if err := s.st.Delete(ctx, q, recursive); err != nil {
				return fail(err)
			}
			fmt.Fprintf(s.stderr, "Deleted %s\n", q)
		}
		return nil
	case "-put", "-copyFromLocal", "-get", "-copyToLocal", "-mv", "-cp":
		if err := need(2); err != nil {
			return err
		}
		src, dst := paths[0], paths[1]
		local := func(p string) (string, error) {
			abs, err := filepath.Abs(strings.TrimPrefix(p, "file://"))
			if err != nil {
				return "", err
			}
			return "file://" + abs, nil
		}
		var err error
		switch cmd {
		case "-put", "-copyFromLocal":
			if src, err = local(src); err == nil {
				dst, err = qualify(dst)
			}
		case "-get", "-copyToLocal":
			if src, err = qualify(src); err == nil {
				dst, err = local(dst)
			}
		default:
			if src, err = qualify(src); err == nil {
				dst, err = qualify(dst)
			}
		}
		if err != nil {
			return fail(err)
		}
		if cmd == "-mv" {
			err = s.st.Rename(ctx, src, dst)
		} else {
			err = s.st.Copy(ctx, src, dst)
		}
		if err != nil {
			return fail(err)
		}
		return nil
	case "-test":
		if err := need(1); err != nil {
			return err
		}
		q, err := qualify(paths[0])
		if err != nil {
			return fail(err)
		}
		st, err := s.st.Stat(ctx, q)
		ok := err == nil
		switch {
		case has("-d"):
			ok = ok && st.IsDir
		case has("-f"):
			ok = ok && !st.IsDir
		}
		if !ok {
			return x.errorf(KindExecution, n, "dfs -test: %s does not pass %s", q, strings.Join(flags, " "))
		}
		return nil
	}
	return x.errorf(KindUnsupported, n, "dfs %s is not supported (supported: -ls -cat -mkdir -rm -rmr -put -get -mv -cp -test)", cmd)
}
