package hms

import (
	"maps"

	hm "github.com/beltran/gohive/hive_metastore"

	"github.com/waggle-dev/waggle/catalog"
)

// Conversions between the generated Thrift objects and the catalog model.
// Outgoing objects always carry non-nil lists, maps and SkewedInfo: Java
// clients (Hive's Table/Partition wrappers) dereference them unchecked.

func principalType(s string) hm.PrincipalType {
	switch s {
	case catalog.PrincipalRole:
		return hm.PrincipalType_ROLE
	case catalog.PrincipalGroup:
		return hm.PrincipalType_GROUP
	}
	return hm.PrincipalType_USER
}

func principalName(t hm.PrincipalType) string {
	switch t {
	case hm.PrincipalType_ROLE:
		return catalog.PrincipalRole
	case hm.PrincipalType_GROUP:
		return catalog.PrincipalGroup
	}
	return catalog.PrincipalUser
}

func params(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return maps.Clone(m)
}

func strPtr(s string) *string { return &s }

func i32(v int64) int32 { return int32(v) }

func dbToThrift(d *catalog.Database) *hm.Database {
	out := &hm.Database{
		Name:        d.Name,
		Description: d.Description,
		LocationUri: d.LocationURI,
		Parameters:  params(d.Parameters),
		CatalogName: strPtr(defaultCatalog),
		CreateTime:  new(i32(d.CreateTime)),
		Type:        new(hm.DatabaseType_NATIVE),
	}
	if d.OwnerName != "" {
		out.OwnerName = strPtr(d.OwnerName)
		out.OwnerType = new(principalType(d.OwnerType))
	}
	if d.ManagedLocationURI != "" {
		out.ManagedLocationUri = strPtr(d.ManagedLocationURI)
	}
	return out
}

func dbFromThrift(d *hm.Database) *catalog.Database {
	out := &catalog.Database{
		Name:        d.Name,
		Description: d.Description,
		LocationURI: d.LocationUri,
		Parameters:  params(d.Parameters),
		OwnerName:   d.GetOwnerName(),
		CatalogName: d.GetCatalogName(),
		CreateTime:  int64(d.GetCreateTime()),
	}
	if d.OwnerType != nil {
		out.OwnerType = principalName(*d.OwnerType)
	}
	if d.ManagedLocationUri != nil {
		out.ManagedLocationURI = *d.ManagedLocationUri
	}
	return out
}

func fieldsToThrift(fs []catalog.FieldSchema) []*hm.FieldSchema {
	out := make([]*hm.FieldSchema, len(fs))
	for i, f := range fs {
		out[i] = &hm.FieldSchema{Name: f.Name, Type: f.Type, Comment: f.Comment}
	}
	return out
}

func fieldsFromThrift(fs []*hm.FieldSchema) []catalog.FieldSchema {
	out := make([]catalog.FieldSchema, 0, len(fs))
	for _, f := range fs {
		if f != nil {
			out = append(out, catalog.FieldSchema{Name: f.Name, Type: f.Type, Comment: f.Comment})
		}
	}
	return out
}

func sdToThrift(sd *catalog.StorageDescriptor) *hm.StorageDescriptor {
	if sd == nil {
		sd = &catalog.StorageDescriptor{NumBuckets: -1}
	}
	sorts := make([]*hm.Order, len(sd.SortCols))
	for i, o := range sd.SortCols {
		sorts[i] = &hm.Order{Col: o.Col, Order: int32(o.Order)}
	}
	bucket := sd.BucketCols
	if bucket == nil {
		bucket = []string{}
	}
	return &hm.StorageDescriptor{
		Cols:         fieldsToThrift(sd.Cols),
		Location:     sd.Location,
		InputFormat:  sd.InputFormat,
		OutputFormat: sd.OutputFormat,
		Compressed:   sd.Compressed,
		NumBuckets:   int32(sd.NumBuckets),
		SerdeInfo: &hm.SerDeInfo{
			Name:             sd.SerDe.Name,
			SerializationLib: sd.SerDe.SerializationLib,
			Parameters:       params(sd.SerDe.Parameters),
		},
		BucketCols: bucket,
		SortCols:   sorts,
		Parameters: params(sd.Parameters),
		SkewedInfo: &hm.SkewedInfo{
			SkewedColNames:  []string{},
			SkewedColValues: [][]string{},
		},
		StoredAsSubDirectories: new(sd.StoredAsSubDirectories),
	}
}

func sdFromThrift(sd *hm.StorageDescriptor) *catalog.StorageDescriptor {
	if sd == nil {
		return nil
	}
	out := &catalog.StorageDescriptor{
		Cols:                   fieldsFromThrift(sd.Cols),
		Location:               sd.Location,
		InputFormat:            sd.InputFormat,
		OutputFormat:           sd.OutputFormat,
		Compressed:             sd.Compressed,
		NumBuckets:             int(sd.NumBuckets),
		BucketCols:             append([]string(nil), sd.BucketCols...),
		Parameters:             params(sd.Parameters),
		StoredAsSubDirectories: sd.GetStoredAsSubDirectories(),
	}
	if sd.SerdeInfo != nil {
		out.SerDe = catalog.SerDeInfo{
			Name:             sd.SerdeInfo.Name,
			SerializationLib: sd.SerdeInfo.SerializationLib,
			Parameters:       params(sd.SerdeInfo.Parameters),
		}
	}
	for _, o := range sd.SortCols {
		if o != nil {
			out.SortCols = append(out.SortCols, catalog.Order{Col: o.Col, Order: int(o.Order)})
		}
	}
	return out
}

func tableToThrift(t *catalog.Table) *hm.Table {
	return &hm.Table{
		TableName:        t.Name,
		DbName:           t.DBName,
		Owner:            t.Owner,
		OwnerType:        principalType(t.OwnerType),
		CreateTime:       i32(t.CreateTime),
		LastAccessTime:   i32(t.LastAccessTime),
		Retention:        int32(t.Retention),
		Sd:               sdToThrift(t.SD),
		PartitionKeys:    fieldsToThrift(t.PartitionKeys),
		Parameters:       params(t.Parameters),
		ViewOriginalText: t.ViewOriginalText,
		ViewExpandedText: t.ViewExpandedText,
		TableType:        t.TableType,
		Temporary:        t.Temporary,
		RewriteEnabled:   new(false),
		CatName:          strPtr(defaultCatalog),
	}
}

func tableFromThrift(t *hm.Table) *catalog.Table {
	out := &catalog.Table{
		DBName:           t.DbName,
		Name:             t.TableName,
		Owner:            t.Owner,
		CreateTime:       int64(t.CreateTime),
		LastAccessTime:   int64(t.LastAccessTime),
		Retention:        int(t.Retention),
		SD:               sdFromThrift(t.Sd),
		PartitionKeys:    fieldsFromThrift(t.PartitionKeys),
		Parameters:       params(t.Parameters),
		ViewOriginalText: t.ViewOriginalText,
		ViewExpandedText: t.ViewExpandedText,
		TableType:        t.TableType,
		Temporary:        t.Temporary,
	}
	if t.Owner != "" {
		out.OwnerType = principalName(t.OwnerType)
	}
	if out.SD == nil {
		out.SD = &catalog.StorageDescriptor{NumBuckets: -1}
	}
	return out
}

func partToThrift(p *catalog.Partition) *hm.Partition {
	vals := p.Values
	if vals == nil {
		vals = []string{}
	}
	return &hm.Partition{
		Values:         vals,
		DbName:         p.DBName,
		TableName:      p.TableName,
		CreateTime:     i32(p.CreateTime),
		LastAccessTime: i32(p.LastAccessTime),
		Sd:             sdToThrift(p.SD),
		Parameters:     params(p.Parameters),
		CatName:        strPtr(defaultCatalog),
	}
}

func partsToThrift(ps []*catalog.Partition) []*hm.Partition {
	out := make([]*hm.Partition, len(ps))
	for i, p := range ps {
		out[i] = partToThrift(p)
	}
	return out
}

func partFromThrift(p *hm.Partition) *catalog.Partition {
	return &catalog.Partition{
		DBName:         p.DbName,
		TableName:      p.TableName,
		Values:         append([]string(nil), p.Values...),
		CreateTime:     int64(p.CreateTime),
		LastAccessTime: int64(p.LastAccessTime),
		SD:             sdFromThrift(p.Sd),
		Parameters:     params(p.Parameters),
	}
}

func funcToThrift(f *catalog.Function) *hm.Function {
	res := make([]*hm.ResourceUri, len(f.Resources))
	for i, r := range f.Resources {
		res[i] = &hm.ResourceUri{ResourceType: hm.ResourceType(r.Type), URI: r.URI}
	}
	ft := hm.FunctionType(f.FunctionType)
	if ft == 0 {
		ft = hm.FunctionType_JAVA
	}
	return &hm.Function{
		FunctionName: f.Name,
		DbName:       f.DBName,
		ClassName:    f.ClassName,
		OwnerName:    f.OwnerName,
		OwnerType:    principalType(f.OwnerType),
		CreateTime:   i32(f.CreateTime),
		FunctionType: ft,
		ResourceUris: res,
		CatName:      strPtr(defaultCatalog),
	}
}

func funcFromThrift(f *hm.Function) *catalog.Function {
	out := &catalog.Function{
		DBName:       f.DbName,
		Name:         f.FunctionName,
		ClassName:    f.ClassName,
		OwnerName:    f.OwnerName,
		FunctionType: catalog.FunctionType(f.FunctionType),
		CreateTime:   int64(f.CreateTime),
	}
	if f.OwnerName != "" {
		out.OwnerType = principalName(f.OwnerType)
	}
	for _, r := range f.ResourceUris {
		if r != nil {
			out.Resources = append(out.Resources, catalog.ResourceURI{Type: catalog.ResourceType(r.ResourceType), URI: r.URI})
		}
	}
	return out
}
