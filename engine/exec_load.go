package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/hiveql/ast"
	"github.com/waggle-dev/waggle/storage"
)

// loadData is LOAD DATA [LOCAL] INPATH 'p' [OVERWRITE] INTO TABLE t [PARTITION (...)]: LOCAL copies the
// file (or every file of the directory) into the table or partition directory, without LOCAL the files
// are moved. Files are not parsed. OVERWRITE replaces the existing files. The copies are staged first, so
// a failure leaves the table as it was.
func (x *stmtExec) loadData(ctx context.Context, n *ast.LoadDataStmt) error {
	s := x.s
	t, err := x.getTable(ctx, n.Table)
	if err != nil {
		return err
	}
	if t.IsView() {
		return x.errorf(KindSemantic, n.Table, "Cannot load data into a view")
	}
	src := n.Path.Value
	if n.Local {
		if strings.HasPrefix(src, "file:") {
			src = strings.TrimPrefix(strings.TrimPrefix(src, "file://"), "file:")
		}
		abs, err := filepath.Abs(src)
		if err != nil {
			return x.wrap(n.Path, err)
		}
		src = "file://" + abs
	} else if src, err = s.st.Qualify(src); err != nil {
		return x.wrap(n.Path, err)
	}
	info, err := s.st.Stat(ctx, src)
	if err != nil {
		if errors.Is(err, storage.ErrNotExist) || errors.Is(err, os.ErrNotExist) {
			return x.errorf(KindSemantic, n.Path, "Invalid path '%s': No files matching path %s", n.Path.Value, src)
		}
		return x.wrap(n.Path, err)
	}
	var files []storage.FileInfo
	if info.IsDir {
		all, err := s.st.ListFiles(ctx, src, false)
		if err != nil {
			return x.wrap(n.Path, err)
		}
		for _, f := range all {
			if !f.IsDir {
				files = append(files, f)
			}
		}
	} else {
		files = []storage.FileInfo{info}
	}
	if len(t.PartitionKeys) > 0 && n.Partition == nil {
		return x.errorf(KindSemantic, n.Table, "Need to specify partition columns because the destination table is partitioned")
	}
	if len(t.PartitionKeys) == 0 && n.Partition != nil {
		return x.errorf(KindSemantic, n.Partition, "Table %s is not partitioned but partition spec exists", t.Name)
	}
	w := &writer{x: x, t: t, overwrite: n.Overwrite, id: s.nextID()}
	defer w.cleanup(ctx)
	dir := t.SD.Location
	var part *catalog.Partition
	registered := true
	if n.Partition != nil {
		vals, err := x.staticPartitionValues(ctx, t, n.Partition, true)
		if err != nil {
			return err
		}
		if dir, _, part, err = w.partitionDir(ctx, vals); err != nil {
			return err
		}
		registered = part != nil
	}
	// OVERWRITE of a managed table or existing partition loads into a new version directory and switches
	// the metastore location (see writer).
	d := w.target(ctx, dir, part, registered, len(files))
	for _, f := range files {
		dst := d.staging + "/" + path.Base(f.Path)
		if err := s.st.Copy(ctx, f.Path, dst); err != nil {
			return x.wrap(n.Path, fmt.Errorf("load %s: %w", f.Path, err))
		}
		d.files = append(d.files, dst)
		w.bytes += f.Size
	}
	if err := w.commit(ctx); err != nil {
		return err
	}
	if !n.Local {
		// Without LOCAL, Hive moves the files: remove the sources once the table has them.
		for _, f := range files {
			if err := s.st.Delete(ctx, f.Path, false); err != nil {
				return x.wrap(n.Path, fmt.Errorf("remove moved source %s: %w", f.Path, err))
			}
		}
	}
	x.rec.Bytes = w.bytes
	if !s.opts.Silent {
		fmt.Fprintf(s.stderr, "Loading data to table %s.%s\n", t.DBName, t.Name)
	}
	return nil
}
