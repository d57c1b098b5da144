package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/waggle-dev/waggle/catalog"
	"github.com/waggle-dev/waggle/hiveql/ast"
)

func (x *stmtExec) alterTable(ctx context.Context, n *ast.AlterTableStmt) error {
	s := x.s
	t, err := x.getTable(ctx, n.Name)
	if err != nil {
		return err
	}
	if t.Temporary {
		return x.errorf(KindUnsupported, n.Name, "ALTER TABLE on a temporary table is not supported")
	}
	db, name := t.DBName, t.Name
	save := func() error { return x.wrap(n, s.cat.AlterTable(ctx, db, name, t)) }
	switch a := n.Action.(type) {
	case *ast.RenameTo:
		ndb, nname := x.tableName(a.NewName)
		if _, err := s.cat.GetTable(ctx, ndb, nname); err == nil {
			return x.errorf(KindSemantic, a.NewName, "Table already exists: %s.%s", ndb, nname)
		}
		oldLoc := strings.TrimSuffix(t.SD.Location, "/")
		oldRoot, newRoot := dataRoot(oldLoc), ""
		if t.TableType == catalog.ManagedTable && !t.IsView() {
			// A managed table's directory moves with its name (including a version directory of an
			// atomic overwrite: <root>/base_waggle_<id> becomes <new root>/base_waggle_<id>).
			d, err := s.cat.GetDatabase(ctx, ndb)
			if err != nil {
				return x.wrap(a.NewName, err)
			}
			newRoot = strings.TrimSuffix(d.LocationURI, "/") + "/" + nname
			t.SD.Location = newRoot + strings.TrimPrefix(oldLoc, oldRoot)
		}
		t.DBName, t.Name = ndb, nname
		moved := newRoot != "" && newRoot != oldRoot
		if moved {
			if err := s.st.Rename(ctx, oldRoot, newRoot); err != nil {
				return x.wrap(n, fmt.Errorf("move table data: %w", err))
			}
		}
		if err := s.cat.AlterTable(ctx, db, name, t); err != nil {
			if moved {
				_ = s.st.Rename(ctx, newRoot, oldRoot)
			}
			return x.wrap(n, err)
		}
		if moved && len(t.PartitionKeys) > 0 {
			// Partitions stored under the old directory follow it.
			parts, err := s.cat.ListPartitions(ctx, ndb, nname, -1)
			if err != nil {
				return x.wrap(n, err)
			}
			var moved []*catalog.Partition
			for _, p := range parts {
				if p.SD != nil && strings.HasPrefix(p.SD.Location, oldRoot+"/") {
					p.SD.Location = newRoot + strings.TrimPrefix(p.SD.Location, oldRoot)
					moved = append(moved, p)
				}
			}
			if err := s.cat.AlterPartitions(ctx, ndb, nname, moved); err != nil { // one transaction
				return x.wrap(n, err)
			}
		}
		return nil
	case *ast.AddColumns:
		var cols []catalog.FieldSchema
		for _, c := range a.Columns {
			f := catalog.FieldSchema{Name: strings.ToLower(c.Name.Name), Type: c.Type.Type.String()}
			if c.Comment != nil {
				f.Comment = c.Comment.Value
			}
			cols = append(cols, f)
		}
		if a.Replace {
			t.SD.Cols = cols
		} else {
			for _, c := range cols {
				for _, old := range append(t.SD.Cols, t.PartitionKeys...) {
					if old.Name == c.Name {
						return x.errorf(KindSemantic, a, "Duplicate column name: %s", c.Name)
					}
				}
			}
			t.SD.Cols = append(t.SD.Cols, cols...)
		}
		if err := save(); err != nil {
			return err
		}
		if a.Cascade {
			return x.alterMatchingPartitions(ctx, t, nil, func(sd *catalog.StorageDescriptor) { sd.Cols = t.SD.Cols })
		}
		return nil
	case *ast.ChangeColumn:
		idx := -1
		for i, c := range t.SD.Cols {
			if strings.EqualFold(c.Name, a.Old.Name) {
				idx = i
			}
		}
		if idx < 0 {
			return x.errorf(KindSemantic, a.Old, "Invalid column reference %s", a.Old.Name)
		}
		col := catalog.FieldSchema{Name: strings.ToLower(a.New.Name.Name), Type: a.New.Type.Type.String(), Comment: t.SD.Cols[idx].Comment}
		if a.New.Comment != nil {
			col.Comment = a.New.Comment.Value
		}
		cols := append(append([]catalog.FieldSchema(nil), t.SD.Cols[:idx]...), t.SD.Cols[idx+1:]...)
		switch {
		case a.First:
			cols = append([]catalog.FieldSchema{col}, cols...)
		case a.After != nil:
			pos := -1
			for i, c := range cols {
				if strings.EqualFold(c.Name, a.After.Name) {
					pos = i
				}
			}
			if pos < 0 {
				return x.errorf(KindSemantic, a.After, "Invalid column reference %s", a.After.Name)
			}
			cols = append(cols[:pos+1], append([]catalog.FieldSchema{col}, cols[pos+1:]...)...)
		default:
			cols = append(cols[:idx], append([]catalog.FieldSchema{col}, cols[idx:]...)...)
		}
		t.SD.Cols = cols
		if err := save(); err != nil {
			return err
		}
		if a.Cascade {
			return x.alterMatchingPartitions(ctx, t, nil, func(sd *catalog.StorageDescriptor) { sd.Cols = t.SD.Cols })
		}
		return nil
	case *ast.SetTblProps:
		for k, v := range props(a.Props) {
			t.Parameters[k] = v
		}
		if v, ok := t.Parameters["EXTERNAL"]; ok {
			if strings.EqualFold(v, "TRUE") {
				t.TableType = catalog.ExternalTable
			} else {
				t.TableType = catalog.ManagedTable
			}
		}
		return save()
	case *ast.UnsetTblProps:
		for _, k := range a.Keys {
			if _, ok := t.Parameters[k.Value]; !ok && !a.IfExists {
				return x.errorf(KindSemantic, k, "Attempt to unset table property '%s' that does not exist", k.Value)
			}
			delete(t.Parameters, k.Value)
		}
		return save()
	case *ast.SetSerde:
		apply := func(sd *catalog.StorageDescriptor) {
			if a.Serde != nil {
				sd.SerDe.SerializationLib = a.Serde.Value
			}
			if sd.SerDe.Parameters == nil {
				sd.SerDe.Parameters = map[string]string{}
			}
			for k, v := range props(a.Props) {
				sd.SerDe.Parameters[k] = v
			}
		}
		if n.Partition != nil {
			return x.alterMatchingPartitions(ctx, t, n.Partition, apply)
		}
		apply(t.SD)
		return save()
	case *ast.SetFileFormat:
		sd, err := x.storageFormat(nil, a.Format, nil, a)
		if err != nil {
			return err
		}
		apply := func(old *catalog.StorageDescriptor) {
			old.InputFormat, old.OutputFormat, old.SerDe.SerializationLib = sd.InputFormat, sd.OutputFormat, sd.SerDe.SerializationLib
		}
		if n.Partition != nil {
			return x.alterMatchingPartitions(ctx, t, n.Partition, apply)
		}
		apply(t.SD)
		return save()
	case *ast.SetLocation:
		loc, err := s.st.Qualify(a.Location.Value)
		if err != nil {
			return x.wrap(a.Location, err)
		}
		if n.Partition != nil {
			return x.alterMatchingPartitions(ctx, t, n.Partition, func(sd *catalog.StorageDescriptor) { sd.Location = loc })
		}
		t.SD.Location = loc
		return save()
	case *ast.AddPartitions:
		var parts []*catalog.Partition
		for _, pl := range a.Partitions {
			vals, err := x.staticPartitionValues(ctx, t, pl.Spec, true)
			if err != nil {
				return err
			}
			sd := *t.SD
			if pl.Location != nil {
				if sd.Location, err = s.st.Qualify(pl.Location.Value); err != nil {
					return x.wrap(pl.Location, err)
				}
			} else {
				pname, err := catalog.MakePartName(t.PartitionKeys, vals)
				if err != nil {
					return x.wrap(pl, err)
				}
				sd.Location = strings.TrimSuffix(t.SD.Location, "/") + "/" + pname
			}
			parts = append(parts, &catalog.Partition{DBName: db, TableName: name, Values: vals, SD: &sd, CreateTime: time.Now().Unix()})
		}
		if err := s.cat.AddPartitions(ctx, parts, a.IfNotExists); err != nil {
			if errors.Is(err, catalog.ErrAlreadyExists) {
				return x.errorf(KindSemantic, a, "Partition already exists: %v", err)
			}
			return x.wrap(a, err)
		}
		for _, p := range parts {
			if err := s.st.MkdirAll(ctx, p.SD.Location); err != nil {
				return x.wrap(a, err)
			}
		}
		return nil
	case *ast.DropPartitions:
		for _, spec := range a.Partitions {
			parts, err := x.matchPartitions(ctx, t, spec)
			if err != nil {
				return err
			}
			if len(parts) == 0 && !a.IfExists {
				return x.errorf(KindSemantic, spec, "No partition matches the specification %s", x.sub.Text[spec.Pos():spec.End()])
			}
			for _, p := range parts {
				if err := s.cat.DropPartition(ctx, db, name, p.Values); err != nil {
					return x.wrap(spec, err)
				}
				if t.TableType == catalog.ManagedTable && p.SD != nil && p.SD.Location != "" {
					if err := s.st.Delete(ctx, dataRoot(p.SD.Location), true); err != nil {
						return x.wrap(spec, err)
					}
				}
				pname, _ := catalog.MakePartName(t.PartitionKeys, p.Values)
				fmt.Fprintf(s.stderr, "Dropped the partition %s\n", pname)
			}
		}
		return nil
	case *ast.RenamePartition:
		if n.Partition == nil {
			return x.errorf(KindSemantic, a, "RENAME TO PARTITION needs a PARTITION (...) to rename")
		}
		oldVals, err := x.staticPartitionValues(ctx, t, n.Partition, true)
		if err != nil {
			return err
		}
		newVals, err := x.staticPartitionValues(ctx, t, a.To, true)
		if err != nil {
			return err
		}
		p, err := s.cat.GetPartition(ctx, db, name, oldVals)
		if err != nil {
			return x.wrap(n.Partition, err)
		}
		oldLoc := p.SD.Location
		newName, err := catalog.MakePartName(t.PartitionKeys, newVals)
		if err != nil {
			return x.wrap(a, err)
		}
		p.Values = newVals
		if t.TableType == catalog.ManagedTable {
			p.SD.Location = strings.TrimSuffix(t.SD.Location, "/") + "/" + newName
			if err := s.st.Rename(ctx, oldLoc, p.SD.Location); err != nil {
				return x.wrap(a, err)
			}
		}
		return x.wrap(a, s.cat.AlterPartition(ctx, db, name, oldVals, p))
	case *ast.SimpleAction:
		switch strings.Join(a.Words, " ") {
		case "RECOVER PARTITIONS":
			_, err := x.recoverPartitions(ctx, t)
			return x.wrap(a, err)
		case "TOUCH", "CONCATENATE", "COMPACT":
			return nil
		}
		// ENABLE/DISABLE NO_DROP, OFFLINE, ... are metadata flags Waggle does not enforce.
		return nil
	case *ast.AlterViewAs:
		if !t.IsView() {
			return x.errorf(KindSemantic, n.Name, "Cannot alter a base table with ALTER VIEW")
		}
		res, err := x.translateQuery(ctx, a.Query)
		if err != nil {
			return err
		}
		text := x.sub.Text[a.Query.Pos():a.Query.End()]
		t.ViewOriginalText, t.ViewExpandedText = text, text
		t.SD.Cols = nil
		for _, c := range res.Columns {
			t.SD.Cols = append(t.SD.Cols, catalog.FieldSchema{Name: c.Name, Type: c.Type.String()})
		}
		return save()
	case *ast.SetOwner:
		t.Owner, t.OwnerType = a.Owner.Name, a.OwnerType
		return save()
	}
	return x.errorf(KindUnsupported, n.Action, "this ALTER TABLE form is not supported yet")
}

// alterMatchingPartitions applies f to the partitions matching spec (all when spec is nil).
func (x *stmtExec) alterMatchingPartitions(ctx context.Context, t *catalog.Table, spec *ast.PartitionSpec, f func(*catalog.StorageDescriptor)) error {
	parts, err := x.matchPartitions(ctx, t, spec)
	if err != nil {
		return err
	}
	for _, p := range parts {
		f(p.SD)
	}
	// One transaction: all matching partitions change, or none.
	if err := x.s.cat.AlterPartitions(ctx, t.DBName, t.Name, parts); err != nil {
		return x.wrap(spec, err)
	}
	return nil
}
