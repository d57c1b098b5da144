package catalog

// Table types, as stored in TBLS.TBL_TYPE.
const (
	ManagedTable     = "MANAGED_TABLE"
	ExternalTable    = "EXTERNAL_TABLE"
	VirtualView      = "VIRTUAL_VIEW"
	MaterializedView = "MATERIALIZED_VIEW"
)

// Principal types for owners (Thrift PrincipalType, stored as text).
const (
	PrincipalUser  = "USER"
	PrincipalRole  = "ROLE"
	PrincipalGroup = "GROUP"
)

// DefaultCatalogName is the Hive 3+ catalog every database belongs to.
const DefaultCatalogName = "hive"

// DefaultDatabaseName is the database Hive creates on first use.
const DefaultDatabaseName = "default"

// DDLTimeParam is the table/partition parameter HMS sets to the epoch second
// of the last DDL change.
const DDLTimeParam = "transient_lastDdlTime"

// Sort orders of Order.Order (Thrift/SORT_COLS values).
const (
	OrderDesc = 0
	OrderAsc  = 1
)

// Database mirrors the Thrift Database object.
type Database struct {
	Name               string
	Description        string
	LocationURI        string
	ManagedLocationURI string
	Parameters         map[string]string
	OwnerName          string
	OwnerType          string // PrincipalUser, PrincipalRole or PrincipalGroup
	CatalogName        string // "" means DefaultCatalogName
	CreateTime         int64  // unix seconds
}

// FieldSchema is a column or partition key. Type is the Hive type string in
// lower case as HMS stores it, e.g. "array<int>" or "decimal(10,2)".
type FieldSchema struct {
	Name    string
	Type    string
	Comment string
}

// SerDeInfo names the serializer/deserializer of a storage descriptor.
type SerDeInfo struct {
	Name             string
	SerializationLib string
	Parameters       map[string]string
}

// Order is one sort column of a bucketed table.
type Order struct {
	Col   string
	Order int // OrderAsc or OrderDesc
}

// StorageDescriptor mirrors the Thrift StorageDescriptor (without skew info).
type StorageDescriptor struct {
	Cols                   []FieldSchema
	Location               string
	InputFormat            string
	OutputFormat           string
	Compressed             bool
	NumBuckets             int // -1 means not bucketed
	SerDe                  SerDeInfo
	BucketCols             []string
	SortCols               []Order
	Parameters             map[string]string
	StoredAsSubDirectories bool
}

// Table mirrors the Thrift Table object.
type Table struct {
	DBName           string
	Name             string
	Owner            string
	OwnerType        string
	CreateTime       int64
	LastAccessTime   int64
	Retention        int
	SD               *StorageDescriptor
	PartitionKeys    []FieldSchema
	Parameters       map[string]string
	ViewOriginalText string
	ViewExpandedText string
	TableType        string // ManagedTable, ExternalTable, VirtualView, MaterializedView
	// Temporary tables live in the session only; catalogs refuse to store them.
	Temporary bool
}

// IsView reports whether t is a (materialized) view.
func (t *Table) IsView() bool {
	return t.TableType == VirtualView || t.TableType == MaterializedView
}

// Partition mirrors the Thrift Partition object. Values are unescaped and in
// the order of the table's partition keys.
type Partition struct {
	DBName         string
	TableName      string
	Values         []string
	CreateTime     int64
	LastAccessTime int64
	SD             *StorageDescriptor
	Parameters     map[string]string
}

// FunctionType is the Thrift FunctionType enum.
type FunctionType int

// FunctionJava is the only function type Hive defines.
const FunctionJava FunctionType = 1

// ResourceType is the Thrift ResourceType enum (FUNC_RU.RESOURCE_TYPE).
type ResourceType int

// Resource types of a function's resources.
const (
	ResourceJar     ResourceType = 1
	ResourceFile    ResourceType = 2
	ResourceArchive ResourceType = 3
)

// String returns the HiveQL keyword of the resource type (JAR, FILE, ARCHIVE).
func (r ResourceType) String() string {
	switch r {
	case ResourceJar:
		return "JAR"
	case ResourceFile:
		return "FILE"
	case ResourceArchive:
		return "ARCHIVE"
	}
	return "UNKNOWN"
}

// ResourceURI is a jar, file or archive a permanent function needs.
type ResourceURI struct {
	Type ResourceType
	URI  string
}

// Function mirrors the Thrift Function object (a permanent function).
type Function struct {
	DBName       string
	Name         string
	ClassName    string
	OwnerName    string
	OwnerType    string
	FunctionType FunctionType
	CreateTime   int64
	Resources    []ResourceURI
}
