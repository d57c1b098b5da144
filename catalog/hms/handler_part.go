package hms

import (
	"context"
	"errors"
	"strings"

	hm "github.com/beltran/gohive/hive_metastore"

	"github.com/waggle-dev/waggle/catalog"
)

// ---- adding ----

func (h *handler) AddPartition(ctx context.Context, p *hm.Partition) (*hm.Partition, error) {
	out, err := h.addPartitions(ctx, "", "", []*hm.Partition{p}, false, true)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return out[0], nil
}

func (h *handler) AddPartitionWithEnvironmentContext(ctx context.Context, p *hm.Partition, _ *hm.EnvironmentContext) (*hm.Partition, error) {
	return h.AddPartition(ctx, p)
}

func (h *handler) AddPartitions(ctx context.Context, parts []*hm.Partition) (int32, error) {
	_, err := h.addPartitions(ctx, "", "", parts, false, false)
	if err != nil {
		return 0, h.fail(ctx, err)
	}
	return int32(len(parts)), nil
}

func (h *handler) AddPartitionsReq(ctx context.Context, req *hm.AddPartitionsRequest) (*hm.AddPartitionsResult_, error) {
	if err := checkCatalog(req.GetCatName()); err != nil {
		return nil, h.fail(ctx, err)
	}
	out, err := h.addPartitions(ctx, req.DbName, req.TblName, req.Parts, req.IfNotExists, req.NeedResult_)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	res := &hm.AddPartitionsResult_{}
	if req.NeedResult_ {
		res.Partitions = nonNil(out)
	}
	return res, nil
}

// addPartitions adds parts (of one table when db/table are given), creates
// their directories when storage is managed, and returns the stored
// partitions when needResult.
func (h *handler) addPartitions(ctx context.Context, db, table string, tparts []*hm.Partition, ifNotExists, needResult bool) ([]*hm.Partition, error) {
	if len(tparts) == 0 {
		return nil, nil
	}
	if db != "" {
		var err error
		if db, err = parseDb(db); err != nil {
			return nil, err
		}
	}
	parts := make([]*catalog.Partition, 0, len(tparts))
	tables := map[[2]string]*catalog.Table{}
	for _, tp := range tparts {
		if tp == nil {
			return nil, catalog.Errorf(catalog.ErrInvalidObject, "Partition object is null")
		}
		p := partFromThrift(tp)
		if p.DBName == "" {
			p.DBName = db
		}
		if p.TableName == "" {
			p.TableName = table
		}
		if db != "" && (!strings.EqualFold(p.DBName, db) || !strings.EqualFold(p.TableName, table)) {
			return nil, catalog.Errorf(catalog.ErrInvalidObject, "Partition does not belong to target table %s.%s: %s.%s",
				db, table, p.DBName, p.TableName)
		}
		if p.SD == nil {
			p.SD = &catalog.StorageDescriptor{NumBuckets: -1}
		}
		parts = append(parts, p)
		key := [2]string{strings.ToLower(p.DBName), strings.ToLower(p.TableName)}
		if _, ok := tables[key]; !ok {
			t, err := h.cat.GetTable(ctx, p.DBName, p.TableName)
			if err != nil {
				return nil, asInvalidObject(err)
			}
			tables[key] = t
		}
	}
	// Fill default locations here so the directories can be made.
	for _, p := range parts {
		t := tables[[2]string{strings.ToLower(p.DBName), strings.ToLower(p.TableName)}]
		if p.SD.Location == "" && t.SD != nil && t.SD.Location != "" && h.manage {
			name, err := catalog.MakePartName(t.PartitionKeys, p.Values)
			if err != nil {
				return nil, err
			}
			p.SD.Location = joinPath(t.SD.Location, name)
		}
	}
	var existed map[*catalog.Partition]bool
	if ifNotExists && h.manage {
		existed = map[*catalog.Partition]bool{}
		for _, p := range parts {
			if _, err := h.cat.GetPartition(ctx, p.DBName, p.TableName, p.Values); err == nil {
				existed[p] = true
			}
		}
	}
	var made []string
	for _, p := range parts {
		if existed[p] {
			continue
		}
		ok, err := h.mkdir(ctx, p.SD.Location)
		if err != nil {
			for _, l := range made {
				h.deleteData(ctx, l)
			}
			return nil, err
		}
		if ok {
			made = append(made, p.SD.Location)
		}
	}
	if err := h.cat.AddPartitions(ctx, parts, ifNotExists); err != nil {
		for _, l := range made {
			h.deleteData(ctx, l)
		}
		return nil, err
	}
	if !needResult {
		return nil, nil
	}
	out := make([]*hm.Partition, 0, len(parts))
	for _, p := range parts {
		if existed[p] {
			continue
		}
		got, err := h.cat.GetPartition(ctx, p.DBName, p.TableName, p.Values)
		if err != nil {
			return nil, err
		}
		out = append(out, partToThrift(got))
	}
	return out, nil
}

// asInvalidObject reports a missing table of add_partition as HMS does:
// InvalidObjectException.
func asInvalidObject(err error) error {
	if errors.Is(err, catalog.ErrNotFound) {
		return &catalog.Error{Kind: catalog.ErrInvalidObject, Msg: err.Error()}
	}
	return err
}

// ---- reading ----

func (h *handler) table(ctx context.Context, db, name string) (*catalog.Table, error) {
	return h.getTable(ctx, db, name)
}

func (h *handler) getPartition(ctx context.Context, db, table string, vals []string) (*hm.Partition, error) {
	n, err := parseDb(db)
	if err != nil {
		return nil, err
	}
	p, err := h.cat.GetPartition(ctx, n, table, vals)
	if err != nil {
		return nil, err
	}
	return partToThrift(p), nil
}

func (h *handler) GetPartition(ctx context.Context, db, table string, vals []string) (*hm.Partition, error) {
	p, err := h.getPartition(ctx, db, table, vals)
	return p, h.fail(ctx, err)
}

func (h *handler) GetPartitionWithAuth(ctx context.Context, db, table string, vals []string, _ string, _ []string) (*hm.Partition, error) {
	return h.GetPartition(ctx, db, table, vals)
}

func (h *handler) GetPartitionReq(ctx context.Context, req *hm.GetPartitionRequest) (*hm.GetPartitionResponse, error) {
	if err := checkCatalog(req.GetCatName()); err != nil {
		return nil, h.fail(ctx, err)
	}
	p, err := h.getPartition(ctx, req.DbName, req.TblName, req.PartVals)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.GetPartitionResponse{Partition: p}, nil
}

// partValsFromName turns a partition name into values in the table's key
// order; every key must be named exactly once.
func partValsFromName(t *catalog.Table, name string) ([]string, error) {
	keys, vals, err := catalog.ParsePartName(name)
	if err != nil {
		return nil, err
	}
	if len(keys) != len(t.PartitionKeys) {
		return nil, catalog.Errorf(catalog.ErrInvalidObject, "Invalid partition name %s for table %s.%s", name, t.DBName, t.Name)
	}
	out := make([]string, len(t.PartitionKeys))
	seen := 0
	for i, k := range t.PartitionKeys {
		for j, key := range keys {
			if strings.EqualFold(key, k.Name) {
				out[i] = vals[j]
				seen++
				break
			}
		}
	}
	if seen != len(t.PartitionKeys) {
		return nil, catalog.Errorf(catalog.ErrInvalidObject, "Invalid partition name %s for table %s.%s", name, t.DBName, t.Name)
	}
	return out, nil
}

func (h *handler) partitionByName(ctx context.Context, t *catalog.Table, name string) (*catalog.Partition, error) {
	vals, err := partValsFromName(t, name)
	if err != nil {
		return nil, err
	}
	return h.cat.GetPartition(ctx, t.DBName, t.Name, vals)
}

func (h *handler) GetPartitionByName(ctx context.Context, db, table, name string) (*hm.Partition, error) {
	t, err := h.table(ctx, db, table)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	p, err := h.partitionByName(ctx, t, name)
	if err != nil {
		if errors.Is(err, catalog.ErrInvalidObject) {
			err = &catalog.Error{Kind: catalog.ErrNotFound, Msg: err.Error()}
		}
		return nil, h.fail(ctx, err)
	}
	return partToThrift(p), nil
}

// listParts lists a table's partitions; max < 0 means all, 0 none.
func (h *handler) listParts(ctx context.Context, db, table string, max int16) ([]*catalog.Partition, error) {
	n, err := parseDb(db)
	if err != nil {
		return nil, err
	}
	if max == 0 {
		_, err := h.cat.GetTable(ctx, n, table)
		return nil, err
	}
	return h.cat.ListPartitions(ctx, n, table, maxArg(max))
}

func maxArg(max int16) int {
	if max < 0 {
		return 0
	}
	return int(max)
}

func (h *handler) GetPartitions(ctx context.Context, db, table string, max int16) ([]*hm.Partition, error) {
	ps, err := h.listParts(ctx, db, table, max)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return partsToThrift(ps), nil
}

func (h *handler) GetPartitionsWithAuth(ctx context.Context, db, table string, max int16, _ string, _ []string) ([]*hm.Partition, error) {
	return h.GetPartitions(ctx, db, table, max)
}

func (h *handler) GetPartitionsReq(ctx context.Context, req *hm.PartitionsRequest) (*hm.PartitionsResponse, error) {
	if err := checkCatalog(req.GetCatName()); err != nil {
		return nil, h.fail(ctx, err)
	}
	ps, err := h.listParts(ctx, req.DbName, req.TblName, req.MaxParts)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.PartitionsResponse{Partitions: partsToThrift(ps)}, nil
}

func (h *handler) GetPartitionNames(ctx context.Context, db, table string, max int16) ([]string, error) {
	names, err := h.partitionNames(ctx, db, table, max)
	return names, h.fail(ctx, err)
}

func (h *handler) partitionNames(ctx context.Context, db, table string, max int16) ([]string, error) {
	n, err := parseDb(db)
	if err != nil {
		return nil, err
	}
	if max == 0 {
		_, err := h.cat.GetTable(ctx, n, table)
		return []string{}, err
	}
	names, err := h.cat.ListPartitionNames(ctx, n, table, maxArg(max))
	return nonNil(names), err
}

// partsPs returns the partitions matching partial values: vals may be
// shorter than the keys, and an empty value matches any value.
func (h *handler) partsPs(ctx context.Context, db, table string, vals []string, max int16) (*catalog.Table, []*catalog.Partition, error) {
	t, err := h.table(ctx, db, table)
	if err != nil {
		return nil, nil, err
	}
	if len(vals) > len(t.PartitionKeys) {
		return nil, nil, badRequest("Incorrect number of partition values. numPartKeys=%d, part_val=%v", len(t.PartitionKeys), vals)
	}
	out, err := h.partitionsWhere(ctx, t, max, func(have []string) (bool, error) { return matchPs(have, vals), nil })
	return t, out, err
}

// partitionsWhere returns the table's partitions whose values satisfy
// keep, in name order, at most max (< 0: all). It filters on the partition
// names (one cheap query) and reads only the matching partitions.
func (h *handler) partitionsWhere(ctx context.Context, t *catalog.Table, max int16, keep func(vals []string) (bool, error)) ([]*catalog.Partition, error) {
	names, err := h.cat.ListPartitionNames(ctx, t.DBName, t.Name, 0)
	if err != nil {
		return nil, err
	}
	out := []*catalog.Partition{}
	for _, name := range names {
		if max >= 0 && len(out) >= int(max) {
			break
		}
		_, vals, err := catalog.ParsePartName(name)
		if err != nil {
			return nil, err
		}
		ok, err := keep(vals)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		p, err := h.cat.GetPartition(ctx, t.DBName, t.Name, vals)
		if errors.Is(err, catalog.ErrNotFound) {
			continue // dropped meanwhile
		}
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func matchPs(have, want []string) bool {
	for i, w := range want {
		if w != "" && (i >= len(have) || have[i] != w) {
			return false
		}
	}
	return true
}

func (h *handler) GetPartitionsPs(ctx context.Context, db, table string, vals []string, max int16) ([]*hm.Partition, error) {
	_, ps, err := h.partsPs(ctx, db, table, vals, max)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return partsToThrift(ps), nil
}

func (h *handler) GetPartitionsPsWithAuth(ctx context.Context, db, table string, vals []string, max int16, _ string, _ []string) ([]*hm.Partition, error) {
	return h.GetPartitionsPs(ctx, db, table, vals, max)
}

func (h *handler) GetPartitionsPsWithAuthReq(ctx context.Context, req *hm.GetPartitionsPsWithAuthRequest) (*hm.GetPartitionsPsWithAuthResponse, error) {
	if err := checkCatalog(req.GetCatName()); err != nil {
		return nil, h.fail(ctx, err)
	}
	max := req.MaxParts
	if !req.IsSetMaxParts() {
		max = -1
	}
	_, ps, err := h.partsPs(ctx, req.DbName, req.TblName, req.PartVals, max)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.GetPartitionsPsWithAuthResponse{Partitions: partsToThrift(ps)}, nil
}

func (h *handler) partNamesPs(ctx context.Context, db, table string, vals []string, max int16) ([]string, error) {
	t, ps, err := h.partsPs(ctx, db, table, vals, max)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		name, err := catalog.MakePartName(t.PartitionKeys, p.Values)
		if err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, nil
}

func (h *handler) GetPartitionNamesPs(ctx context.Context, db, table string, vals []string, max int16) ([]string, error) {
	names, err := h.partNamesPs(ctx, db, table, vals, max)
	return names, h.fail(ctx, err)
}

func (h *handler) GetPartitionNamesPsReq(ctx context.Context, req *hm.GetPartitionNamesPsRequest) (*hm.GetPartitionNamesPsResponse, error) {
	if err := checkCatalog(req.GetCatName()); err != nil {
		return nil, h.fail(ctx, err)
	}
	max := req.MaxParts
	if !req.IsSetMaxParts() {
		max = -1
	}
	names, err := h.partNamesPs(ctx, req.DbName, req.TblName, req.PartValues, max)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.GetPartitionNamesPsResponse{Names: names}, nil
}

// partsByFilter evaluates a Hive partition filter over the table's
// partitions.
func (h *handler) partsByFilter(ctx context.Context, db, table, filter string, max int16) ([]*hm.Partition, error) {
	t, err := h.table(ctx, db, table)
	if err != nil {
		return nil, err
	}
	var e filterExpr
	if strings.TrimSpace(filter) != "" {
		if e, err = parseFilter(filter); err != nil {
			return nil, badRequest("%v", err)
		}
	}
	var ps []*catalog.Partition
	if e == nil {
		ps, err = h.cat.ListPartitions(ctx, t.DBName, t.Name, maxArg(max))
	} else {
		ps, err = h.partitionsWhere(ctx, t, max, func(vals []string) (bool, error) {
			ok, err := evalFilter(e, partitionLookup(t, vals))
			if err != nil {
				return false, badRequest("%v", err)
			}
			return ok, nil
		})
	}
	if err != nil {
		return nil, err
	}
	return partsToThrift(ps), nil
}

func (h *handler) GetPartitionsByFilter(ctx context.Context, db, table, filter string, max int16) ([]*hm.Partition, error) {
	ps, err := h.partsByFilter(ctx, db, table, filter, max)
	return ps, h.fail(ctx, err)
}

func (h *handler) partsByNames(ctx context.Context, db, table string, names []string) ([]*hm.Partition, error) {
	t, err := h.table(ctx, db, table)
	if err != nil {
		return nil, err
	}
	out := []*hm.Partition{}
	for _, name := range names {
		p, err := h.partitionByName(ctx, t, name)
		if errors.Is(err, catalog.ErrNotFound) || errors.Is(err, catalog.ErrInvalidObject) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, partToThrift(p))
	}
	return out, nil
}

func (h *handler) GetPartitionsByNames(ctx context.Context, db, table string, names []string) ([]*hm.Partition, error) {
	ps, err := h.partsByNames(ctx, db, table, names)
	return ps, h.fail(ctx, err)
}

func (h *handler) GetPartitionsByNamesReq(ctx context.Context, req *hm.GetPartitionsByNamesRequest) (*hm.GetPartitionsByNamesResult_, error) {
	ps, err := h.partsByNames(ctx, req.DbName, req.TblName, req.Names)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.GetPartitionsByNamesResult_{Partitions: ps}, nil
}

func (h *handler) PartitionNameToVals(ctx context.Context, name string) ([]string, error) {
	_, vals, err := catalog.ParsePartName(name)
	if err != nil {
		return nil, h.fail(ctx, badRequest("%v", err))
	}
	return vals, nil
}

func (h *handler) PartitionNameToSpec(ctx context.Context, name string) (map[string]string, error) {
	keys, vals, err := catalog.ParsePartName(name)
	if err != nil {
		return nil, h.fail(ctx, badRequest("%v", err))
	}
	out := make(map[string]string, len(keys))
	for i, k := range keys {
		out[k] = vals[i]
	}
	return out, nil
}

// ---- dropping ----

func (h *handler) dropPartition(ctx context.Context, t *catalog.Table, vals []string, deleteData bool) (*catalog.Partition, error) {
	p, err := h.cat.GetPartition(ctx, t.DBName, t.Name, vals)
	if err != nil {
		return nil, err
	}
	if err := h.cat.DropPartition(ctx, t.DBName, t.Name, vals); err != nil {
		return nil, err
	}
	if deleteData && deletesDataOnDrop(t) && p.SD != nil {
		h.deleteData(ctx, p.SD.Location)
	}
	return p, nil
}

func (h *handler) DropPartition(ctx context.Context, db, table string, vals []string, deleteData bool) (bool, error) {
	t, err := h.table(ctx, db, table)
	if err == nil {
		_, err = h.dropPartition(ctx, t, vals, deleteData)
	}
	return err == nil, h.fail(ctx, err)
}

func (h *handler) DropPartitionWithEnvironmentContext(ctx context.Context, db, table string, vals []string, deleteData bool, _ *hm.EnvironmentContext) (bool, error) {
	return h.DropPartition(ctx, db, table, vals, deleteData)
}

func (h *handler) DropPartitionByName(ctx context.Context, db, table, name string, deleteData bool) (bool, error) {
	t, err := h.table(ctx, db, table)
	if err == nil {
		var vals []string
		if vals, err = partValsFromName(t, name); err == nil {
			_, err = h.dropPartition(ctx, t, vals, deleteData)
		} else {
			err = &catalog.Error{Kind: catalog.ErrNotFound, Msg: err.Error()}
		}
	}
	return err == nil, h.fail(ctx, err)
}

func (h *handler) DropPartitionByNameWithEnvironmentContext(ctx context.Context, db, table, name string, deleteData bool, _ *hm.EnvironmentContext) (bool, error) {
	return h.DropPartitionByName(ctx, db, table, name, deleteData)
}

func (h *handler) DropPartitionsReq(ctx context.Context, req *hm.DropPartitionsRequest) (*hm.DropPartitionsResult_, error) {
	out, err := h.dropPartitionsReq(ctx, req)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return out, nil
}

func (h *handler) dropPartitionsReq(ctx context.Context, req *hm.DropPartitionsRequest) (*hm.DropPartitionsResult_, error) {
	if err := checkCatalog(req.GetCatName()); err != nil {
		return nil, err
	}
	t, err := h.table(ctx, req.DbName, req.TblName)
	if err != nil {
		return nil, err
	}
	if req.Parts == nil || len(req.Parts.Exprs) > 0 {
		return nil, badRequest("drop_partitions_req: only partition names are supported (no expressions)")
	}
	deleteData := req.DeleteData == nil || *req.DeleteData
	var vals [][]string
	for _, name := range req.Parts.Names {
		v, err := partValsFromName(t, name)
		if err != nil {
			return nil, err
		}
		if _, err := h.cat.GetPartition(ctx, t.DBName, t.Name, v); err != nil {
			if errors.Is(err, catalog.ErrNotFound) && req.IfExists {
				continue
			}
			return nil, err
		}
		vals = append(vals, v)
	}
	res := &hm.DropPartitionsResult_{}
	for _, v := range vals {
		p, err := h.dropPartition(ctx, t, v, deleteData)
		if err != nil {
			return nil, err
		}
		if req.NeedResult_ {
			res.Partitions = append(res.Partitions, partToThrift(p))
		}
	}
	return res, nil
}

// ---- altering ----

func (h *handler) alterPartitions(ctx context.Context, db, table string, tparts []*hm.Partition) error {
	t, err := h.table(ctx, db, table)
	if err != nil {
		return err
	}
	parts := make([]*catalog.Partition, 0, len(tparts))
	for _, tp := range tparts {
		if tp == nil {
			return catalog.Errorf(catalog.ErrInvalidObject, "Partition object is null")
		}
		p := partFromThrift(tp)
		p.DBName, p.TableName = t.DBName, t.Name
		parts = append(parts, p)
	}
	// One catalog call: all of them are altered or none (Hive's
	// alter_partitions is one transaction too).
	return h.cat.AlterPartitions(ctx, t.DBName, t.Name, parts)
}

func (h *handler) AlterPartition(ctx context.Context, db, table string, p *hm.Partition) error {
	return h.fail(ctx, h.alterPartitions(ctx, db, table, []*hm.Partition{p}))
}

func (h *handler) AlterPartitionWithEnvironmentContext(ctx context.Context, db, table string, p *hm.Partition, _ *hm.EnvironmentContext) error {
	return h.AlterPartition(ctx, db, table, p)
}

func (h *handler) AlterPartitions(ctx context.Context, db, table string, ps []*hm.Partition) error {
	return h.fail(ctx, h.alterPartitions(ctx, db, table, ps))
}

func (h *handler) AlterPartitionsWithEnvironmentContext(ctx context.Context, db, table string, ps []*hm.Partition, _ *hm.EnvironmentContext) error {
	return h.AlterPartitions(ctx, db, table, ps)
}

func (h *handler) AlterPartitionsReq(ctx context.Context, req *hm.AlterPartitionsRequest) (*hm.AlterPartitionsResponse, error) {
	if err := checkCatalog(req.GetCatName()); err != nil {
		return nil, h.fail(ctx, err)
	}
	if err := h.alterPartitions(ctx, req.DbName, req.TableName, req.Partitions); err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.AlterPartitionsResponse{}, nil
}

func (h *handler) RenamePartition(ctx context.Context, db, table string, oldVals []string, np *hm.Partition) error {
	return h.fail(ctx, h.renamePartition(ctx, db, table, oldVals, np))
}

func (h *handler) RenamePartitionReq(ctx context.Context, req *hm.RenamePartitionRequest) (*hm.RenamePartitionResponse, error) {
	if err := checkCatalog(req.GetCatName()); err != nil {
		return nil, h.fail(ctx, err)
	}
	if err := h.renamePartition(ctx, req.DbName, req.TableName, req.PartVals, req.NewPart_); err != nil {
		return nil, h.fail(ctx, err)
	}
	return &hm.RenamePartitionResponse{}, nil
}

// renamePartition gives a partition new values; with managed storage the
// directory of a managed table's partition at its default location moves
// to the new default location, as Hive does.
func (h *handler) renamePartition(ctx context.Context, db, table string, oldVals []string, tp *hm.Partition) error {
	if tp == nil {
		return catalog.Errorf(catalog.ErrInvalidObject, "New partition is null")
	}
	t, err := h.table(ctx, db, table)
	if err != nil {
		return err
	}
	if len(oldVals) == 0 {
		// Hive: empty old values alter the partition in place.
		return h.alterPartitions(ctx, db, table, []*hm.Partition{tp})
	}
	old, err := h.cat.GetPartition(ctx, t.DBName, t.Name, oldVals)
	if err != nil {
		return err
	}
	p := partFromThrift(tp)
	p.DBName, p.TableName = t.DBName, t.Name
	if p.SD == nil {
		p.SD = old.SD
	}
	oldLoc, newLoc := "", ""
	if h.manage && isManaged(t) && old.SD != nil && t.SD != nil && t.SD.Location != "" {
		oldName, err1 := catalog.MakePartName(t.PartitionKeys, old.Values)
		newName, err2 := catalog.MakePartName(t.PartitionKeys, p.Values)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		if def := joinPath(t.SD.Location, oldName); old.SD.Location == def && (p.SD.Location == def || p.SD.Location == "") {
			oldLoc, newLoc = def, joinPath(t.SD.Location, newName)
		}
	}
	moved := false
	if newLoc != "" && newLoc != oldLoc {
		if _, err := h.cat.GetPartition(ctx, t.DBName, t.Name, p.Values); err == nil {
			name, _ := catalog.MakePartName(t.PartitionKeys, p.Values)
			return catalog.PartitionExists(t.DBName, t.Name, name)
		}
		ok, err := h.st.Exists(ctx, oldLoc)
		if err != nil {
			return err
		}
		if ok {
			if err := h.st.Rename(ctx, oldLoc, newLoc); err != nil {
				return err
			}
			moved = true
		}
		p.SD.Location = newLoc
	}
	if err := h.cat.AlterPartition(ctx, t.DBName, t.Name, oldVals, p); err != nil {
		if moved {
			if rerr := h.st.Rename(ctx, newLoc, oldLoc); rerr != nil {
				h.log.Warn("hms: could not move partition directory back", "from", newLoc, "to", oldLoc, "err", rerr)
			}
		}
		return err
	}
	return nil
}
