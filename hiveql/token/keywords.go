// The keyword tables below are kept sorted by keyword; token_test.go checks their consistency.

package token

// Keyword tokens. Each is named KW_ + the keyword in upper case, as in Hive's HiveLexer,
// so grammar rules can be ported name for name. Keywords are matched case-insensitively
// (see Lookup); a keyword token's literal is the source text as written.
const (
	keywordBeg Token = iota + keywordBase

	KW_ABORT
	KW_ACTIVATE
	KW_ACTIVE
	KW_ADD
	KW_ADMIN
	KW_AFTER
	KW_ALL
	KW_ALLOC_FRACTION
	KW_ALTER
	KW_ANALYZE
	KW_AND
	KW_ANTI
	KW_ANY
	KW_ARCHIVE
	KW_ARRAY
	KW_AS
	KW_ASC
	KW_AUTHORIZATION
	KW_AUTOCOMMIT
	KW_BEFORE
	KW_BETWEEN
	KW_BIGINT
	KW_BINARY
	KW_BOOLEAN
	KW_BOTH
	KW_BUCKET
	KW_BUCKETS
	KW_BY
	KW_CACHE
	KW_CASCADE
	KW_CASE
	KW_CAST
	KW_CHANGE
	KW_CHAR
	KW_CHECK
	KW_CLUSTER
	KW_CLUSTERED
	KW_CLUSTERSTATUS
	KW_COLLECTION
	KW_COLUMN
	KW_COLUMNS
	KW_COMMENT
	KW_COMMIT
	KW_COMPACT
	KW_COMPACTIONS
	KW_COMPUTE
	KW_CONCATENATE
	KW_CONF
	KW_CONSTRAINT
	KW_CONTINUE
	KW_CREATE
	KW_CROSS
	KW_CUBE
	KW_CURRENT
	KW_CURRENT_DATE
	KW_CURRENT_TIMESTAMP
	KW_CURSOR
	KW_DATA
	KW_DATABASE
	KW_DATABASES
	KW_DATE
	KW_DATETIME
	KW_DAY
	KW_DAYOFWEEK
	KW_DBPROPERTIES
	KW_DEC
	KW_DECIMAL
	KW_DEFAULT
	KW_DEFERRED
	KW_DEFINED
	KW_DELETE
	KW_DELIMITED
	KW_DEPENDENCY
	KW_DESC
	KW_DESCRIBE
	KW_DETAIL
	KW_DIRECTORIES
	KW_DIRECTORY
	KW_DISABLE
	KW_DISTINCT
	KW_DISTRIBUTE
	KW_DIV
	KW_DO
	KW_DOUBLE
	KW_DROP
	KW_DUMP
	KW_ELSE
	KW_ENABLE
	KW_END
	KW_ENFORCED
	KW_ESCAPE
	KW_ESCAPED
	KW_EXCEPT
	KW_EXCHANGE
	KW_EXCLUSIVE
	KW_EXISTS
	KW_EXPLAIN
	KW_EXPORT
	KW_EXPRESSION
	KW_EXTENDED
	KW_EXTERNAL
	KW_EXTRACT
	KW_FALSE
	KW_FETCH
	KW_FIELDS
	KW_FILE
	KW_FILEFORMAT
	KW_FILTER
	KW_FIRST
	KW_FLOAT
	KW_FLOOR
	KW_FOLLOWING
	KW_FOR
	KW_FOREIGN
	KW_FORMAT
	KW_FORMATTED
	KW_FROM
	KW_FULL
	KW_FUNCTION
	KW_FUNCTIONS
	KW_GRANT
	KW_GROUP
	KW_GROUPING
	KW_HAVING
	KW_HOUR
	KW_IF
	KW_IGNORE
	KW_IMPORT
	KW_IN
	KW_INDEX
	KW_INDEXES
	KW_INNER
	KW_INPATH
	KW_INPUTDRIVER
	KW_INPUTFORMAT
	KW_INSERT
	KW_INT
	KW_INTEGER
	KW_INTERSECT
	KW_INTERVAL
	KW_INTO
	KW_IS
	KW_ISOLATION
	KW_ITEMS
	KW_JAR
	KW_JOIN
	KW_KEY
	KW_KEYS
	KW_KILL
	KW_LAST
	KW_LATERAL
	KW_LAZY
	KW_LEFT
	KW_LESS
	KW_LEVEL
	KW_LIKE
	KW_LIMIT
	KW_LINES
	KW_LIST
	KW_LOAD
	KW_LOCAL
	KW_LOCATION
	KW_LOCK
	KW_LOCKS
	KW_LOGICAL
	KW_LONG
	KW_MACRO
	KW_MANAGEDLOCATION
	KW_MANAGEMENT
	KW_MAP
	KW_MAPJOIN
	KW_MAPPING
	KW_MATCHED
	KW_MATERIALIZED
	KW_MERGE
	KW_METADATA
	KW_MINUS
	KW_MINUTE
	KW_MONTH
	KW_MORE
	KW_MOVE
	KW_MSCK
	KW_NATURAL
	KW_NONE
	KW_NORELY
	KW_NOSCAN
	KW_NOT
	KW_NOVALIDATE
	KW_NULL
	KW_NULLS
	KW_NUMERIC
	KW_OF
	KW_OFFSET
	KW_ON
	KW_ONLY
	KW_OPERATOR
	KW_OPTION
	KW_OPTIONS
	KW_OR
	KW_ORDER
	KW_OUT
	KW_OUTER
	KW_OUTPUTDRIVER
	KW_OUTPUTFORMAT
	KW_OVER
	KW_OVERWRITE
	KW_OWNER
	KW_PARTIALSCAN
	KW_PARTITION
	KW_PARTITIONED
	KW_PARTITIONS
	KW_PATH
	KW_PERCENT
	KW_PIVOT
	KW_PLAN
	KW_PLANS
	KW_POOL
	KW_PRECEDING
	KW_PRECISION
	KW_PRESERVE
	KW_PRIMARY
	KW_PRINCIPALS
	KW_PROCEDURE
	KW_PURGE
	KW_QUALIFY
	KW_QUARTER
	KW_QUERY_PARALLELISM
	KW_RANGE
	KW_READ
	KW_READS
	KW_REAL
	KW_REBUILD
	KW_RECORDREADER
	KW_RECORDWRITER
	KW_RECOVER
	KW_REDUCE
	KW_REFERENCES
	KW_REFRESH
	KW_REGEXP
	KW_RELOAD
	KW_RELY
	KW_RENAME
	KW_REPAIR
	KW_REPL
	KW_REPLACE
	KW_REPLICATION
	KW_RESET
	KW_RESOURCE
	KW_RESPECT
	KW_RESTRICT
	KW_REVOKE
	KW_REWRITE
	KW_RIGHT
	KW_RLIKE
	KW_ROLE
	KW_ROLES
	KW_ROLLBACK
	KW_ROLLUP
	KW_ROW
	KW_ROWS
	KW_SCHEDULING_POLICY
	KW_SCHEMA
	KW_SCHEMAS
	KW_SECOND
	KW_SELECT
	KW_SEMI
	KW_SERDE
	KW_SERDEPROPERTIES
	KW_SERVER
	KW_SET
	KW_SETS
	KW_SHARED
	KW_SHOW
	KW_SKEWED
	KW_SMALLINT
	KW_SNAPSHOT
	KW_SOME
	KW_SORT
	KW_SORTED
	KW_SOURCE
	KW_SSL
	KW_START
	KW_STATISTICS
	KW_STATUS
	KW_STORED
	KW_STREAMTABLE
	KW_STRING
	KW_STRUCT
	KW_SUMMARY
	KW_SYNC
	KW_TABLE
	KW_TABLES
	KW_TABLESAMPLE
	KW_TBLPROPERTIES
	KW_TEMPORARY
	KW_TERMINATED
	KW_THEN
	KW_TIME
	KW_TIMESTAMP
	KW_TIMESTAMPLOCALTZ
	KW_TINYINT
	KW_TO
	KW_TOUCH
	KW_TRANSACTION
	KW_TRANSACTIONS
	KW_TRANSFORM
	KW_TRIGGER
	KW_TRUE
	KW_TRUNCATE
	KW_UNARCHIVE
	KW_UNBOUNDED
	KW_UNCACHE
	KW_UNDO
	KW_UNION
	KW_UNIONTYPE
	KW_UNIQUE
	KW_UNIQUEJOIN
	KW_UNKNOWN
	KW_UNLOCK
	KW_UNMANAGED
	KW_UNPIVOT
	KW_UNSET
	KW_UNSIGNED
	KW_UPDATE
	KW_URI
	KW_USE
	KW_USER
	KW_USING
	KW_UTC
	KW_UTC_TMESTAMP
	KW_VALIDATE
	KW_VALUES
	KW_VARCHAR
	KW_VECTORIZATION
	KW_VIEW
	KW_VIEWS
	KW_WAIT
	KW_WEEK
	KW_WHEN
	KW_WHERE
	KW_WHILE
	KW_WINDOW
	KW_WITH
	KW_WITHIN
	KW_WORK
	KW_WORKLOAD
	KW_WRITE
	KW_YEAR
	KW_ZONE

	keywordEnd
)

var keywordNames = [...]string{
	KW_ABORT - keywordBeg - 1:             "ABORT",
	KW_ACTIVATE - keywordBeg - 1:          "ACTIVATE",
	KW_ACTIVE - keywordBeg - 1:            "ACTIVE",
	KW_ADD - keywordBeg - 1:               "ADD",
	KW_ADMIN - keywordBeg - 1:             "ADMIN",
	KW_AFTER - keywordBeg - 1:             "AFTER",
	KW_ALL - keywordBeg - 1:               "ALL",
	KW_ALLOC_FRACTION - keywordBeg - 1:    "ALLOC_FRACTION",
	KW_ALTER - keywordBeg - 1:             "ALTER",
	KW_ANALYZE - keywordBeg - 1:           "ANALYZE",
	KW_AND - keywordBeg - 1:               "AND",
	KW_ANTI - keywordBeg - 1:              "ANTI",
	KW_ANY - keywordBeg - 1:               "ANY",
	KW_ARCHIVE - keywordBeg - 1:           "ARCHIVE",
	KW_ARRAY - keywordBeg - 1:             "ARRAY",
	KW_AS - keywordBeg - 1:                "AS",
	KW_ASC - keywordBeg - 1:               "ASC",
	KW_AUTHORIZATION - keywordBeg - 1:     "AUTHORIZATION",
	KW_AUTOCOMMIT - keywordBeg - 1:        "AUTOCOMMIT",
	KW_BEFORE - keywordBeg - 1:            "BEFORE",
	KW_BETWEEN - keywordBeg - 1:           "BETWEEN",
	KW_BIGINT - keywordBeg - 1:            "BIGINT",
	KW_BINARY - keywordBeg - 1:            "BINARY",
	KW_BOOLEAN - keywordBeg - 1:           "BOOLEAN",
	KW_BOTH - keywordBeg - 1:              "BOTH",
	KW_BUCKET - keywordBeg - 1:            "BUCKET",
	KW_BUCKETS - keywordBeg - 1:           "BUCKETS",
	KW_BY - keywordBeg - 1:                "BY",
	KW_CACHE - keywordBeg - 1:             "CACHE",
	KW_CASCADE - keywordBeg - 1:           "CASCADE",
	KW_CASE - keywordBeg - 1:              "CASE",
	KW_CAST - keywordBeg - 1:              "CAST",
	KW_CHANGE - keywordBeg - 1:            "CHANGE",
	KW_CHAR - keywordBeg - 1:              "CHAR",
	KW_CHECK - keywordBeg - 1:             "CHECK",
	KW_CLUSTER - keywordBeg - 1:           "CLUSTER",
	KW_CLUSTERED - keywordBeg - 1:         "CLUSTERED",
	KW_CLUSTERSTATUS - keywordBeg - 1:     "CLUSTERSTATUS",
	KW_COLLECTION - keywordBeg - 1:        "COLLECTION",
	KW_COLUMN - keywordBeg - 1:            "COLUMN",
	KW_COLUMNS - keywordBeg - 1:           "COLUMNS",
	KW_COMMENT - keywordBeg - 1:           "COMMENT",
	KW_COMMIT - keywordBeg - 1:            "COMMIT",
	KW_COMPACT - keywordBeg - 1:           "COMPACT",
	KW_COMPACTIONS - keywordBeg - 1:       "COMPACTIONS",
	KW_COMPUTE - keywordBeg - 1:           "COMPUTE",
	KW_CONCATENATE - keywordBeg - 1:       "CONCATENATE",
	KW_CONF - keywordBeg - 1:              "CONF",
	KW_CONSTRAINT - keywordBeg - 1:        "CONSTRAINT",
	KW_CONTINUE - keywordBeg - 1:          "CONTINUE",
	KW_CREATE - keywordBeg - 1:            "CREATE",
	KW_CROSS - keywordBeg - 1:             "CROSS",
	KW_CUBE - keywordBeg - 1:              "CUBE",
	KW_CURRENT - keywordBeg - 1:           "CURRENT",
	KW_CURRENT_DATE - keywordBeg - 1:      "CURRENT_DATE",
	KW_CURRENT_TIMESTAMP - keywordBeg - 1: "CURRENT_TIMESTAMP",
	KW_CURSOR - keywordBeg - 1:            "CURSOR",
	KW_DATA - keywordBeg - 1:              "DATA",
	KW_DATABASE - keywordBeg - 1:          "DATABASE",
	KW_DATABASES - keywordBeg - 1:         "DATABASES",
	KW_DATE - keywordBeg - 1:              "DATE",
	KW_DATETIME - keywordBeg - 1:          "DATETIME",
	KW_DAY - keywordBeg - 1:               "DAY",
	KW_DAYOFWEEK - keywordBeg - 1:         "DAYOFWEEK",
	KW_DBPROPERTIES - keywordBeg - 1:      "DBPROPERTIES",
	KW_DEC - keywordBeg - 1:               "DEC",
	KW_DECIMAL - keywordBeg - 1:           "DECIMAL",
	KW_DEFAULT - keywordBeg - 1:           "DEFAULT",
	KW_DEFERRED - keywordBeg - 1:          "DEFERRED",
	KW_DEFINED - keywordBeg - 1:           "DEFINED",
	KW_DELETE - keywordBeg - 1:            "DELETE",
	KW_DELIMITED - keywordBeg - 1:         "DELIMITED",
	KW_DEPENDENCY - keywordBeg - 1:        "DEPENDENCY",
	KW_DESC - keywordBeg - 1:              "DESC",
	KW_DESCRIBE - keywordBeg - 1:          "DESCRIBE",
	KW_DETAIL - keywordBeg - 1:            "DETAIL",
	KW_DIRECTORIES - keywordBeg - 1:       "DIRECTORIES",
	KW_DIRECTORY - keywordBeg - 1:         "DIRECTORY",
	KW_DISABLE - keywordBeg - 1:           "DISABLE",
	KW_DISTINCT - keywordBeg - 1:          "DISTINCT",
	KW_DISTRIBUTE - keywordBeg - 1:        "DISTRIBUTE",
	KW_DIV - keywordBeg - 1:               "DIV",
	KW_DO - keywordBeg - 1:                "DO",
	KW_DOUBLE - keywordBeg - 1:            "DOUBLE",
	KW_DROP - keywordBeg - 1:              "DROP",
	KW_DUMP - keywordBeg - 1:              "DUMP",
	KW_ELSE - keywordBeg - 1:              "ELSE",
	KW_ENABLE - keywordBeg - 1:            "ENABLE",
	KW_END - keywordBeg - 1:               "END",
	KW_ENFORCED - keywordBeg - 1:          "ENFORCED",
	KW_ESCAPE - keywordBeg - 1:            "ESCAPE",
	KW_ESCAPED - keywordBeg - 1:           "ESCAPED",
	KW_EXCEPT - keywordBeg - 1:            "EXCEPT",
	KW_EXCHANGE - keywordBeg - 1:          "EXCHANGE",
	KW_EXCLUSIVE - keywordBeg - 1:         "EXCLUSIVE",
	KW_EXISTS - keywordBeg - 1:            "EXISTS",
	KW_EXPLAIN - keywordBeg - 1:           "EXPLAIN",
	KW_EXPORT - keywordBeg - 1:            "EXPORT",
	KW_EXPRESSION - keywordBeg - 1:        "EXPRESSION",
	KW_EXTENDED - keywordBeg - 1:          "EXTENDED",
	KW_EXTERNAL - keywordBeg - 1:          "EXTERNAL",
	KW_EXTRACT - keywordBeg - 1:           "EXTRACT",
	KW_FALSE - keywordBeg - 1:             "FALSE",
	KW_FETCH - keywordBeg - 1:             "FETCH",
	KW_FIELDS - keywordBeg - 1:            "FIELDS",
	KW_FILE - keywordBeg - 1:              "FILE",
	KW_FILEFORMAT - keywordBeg - 1:        "FILEFORMAT",
	KW_FILTER - keywordBeg - 1:            "FILTER",
	KW_FIRST - keywordBeg - 1:             "FIRST",
	KW_FLOAT - keywordBeg - 1:             "FLOAT",
	KW_FLOOR - keywordBeg - 1:             "FLOOR",
	KW_FOLLOWING - keywordBeg - 1:         "FOLLOWING",
	KW_FOR - keywordBeg - 1:               "FOR",
	KW_FOREIGN - keywordBeg - 1:           "FOREIGN",
	KW_FORMAT - keywordBeg - 1:            "FORMAT",
	KW_FORMATTED - keywordBeg - 1:         "FORMATTED",
	KW_FROM - keywordBeg - 1:              "FROM",
	KW_FULL - keywordBeg - 1:              "FULL",
	KW_FUNCTION - keywordBeg - 1:          "FUNCTION",
	KW_FUNCTIONS - keywordBeg - 1:         "FUNCTIONS",
	KW_GRANT - keywordBeg - 1:             "GRANT",
	KW_GROUP - keywordBeg - 1:             "GROUP",
	KW_GROUPING - keywordBeg - 1:          "GROUPING",
	KW_HAVING - keywordBeg - 1:            "HAVING",
	KW_HOUR - keywordBeg - 1:              "HOUR",
	KW_IF - keywordBeg - 1:                "IF",
	KW_IGNORE - keywordBeg - 1:            "IGNORE",
	KW_IMPORT - keywordBeg - 1:            "IMPORT",
	KW_IN - keywordBeg - 1:                "IN",
	KW_INDEX - keywordBeg - 1:             "INDEX",
	KW_INDEXES - keywordBeg - 1:           "INDEXES",
	KW_INNER - keywordBeg - 1:             "INNER",
	KW_INPATH - keywordBeg - 1:            "INPATH",
	KW_INPUTDRIVER - keywordBeg - 1:       "INPUTDRIVER",
	KW_INPUTFORMAT - keywordBeg - 1:       "INPUTFORMAT",
	KW_INSERT - keywordBeg - 1:            "INSERT",
	KW_INT - keywordBeg - 1:               "INT",
	KW_INTEGER - keywordBeg - 1:           "INTEGER",
	KW_INTERSECT - keywordBeg - 1:         "INTERSECT",
	KW_INTERVAL - keywordBeg - 1:          "INTERVAL",
	KW_INTO - keywordBeg - 1:              "INTO",
	KW_IS - keywordBeg - 1:                "IS",
	KW_ISOLATION - keywordBeg - 1:         "ISOLATION",
	KW_ITEMS - keywordBeg - 1:             "ITEMS",
	KW_JAR - keywordBeg - 1:               "JAR",
	KW_JOIN - keywordBeg - 1:              "JOIN",
	KW_KEY - keywordBeg - 1:               "KEY",
	KW_KEYS - keywordBeg - 1:              "KEYS",
	KW_KILL - keywordBeg - 1:              "KILL",
	KW_LAST - keywordBeg - 1:              "LAST",
	KW_LATERAL - keywordBeg - 1:           "LATERAL",
	KW_LAZY - keywordBeg - 1:              "LAZY",
	KW_LEFT - keywordBeg - 1:              "LEFT",
	KW_LESS - keywordBeg - 1:              "LESS",
	KW_LEVEL - keywordBeg - 1:             "LEVEL",
	KW_LIKE - keywordBeg - 1:              "LIKE",
	KW_LIMIT - keywordBeg - 1:             "LIMIT",
	KW_LINES - keywordBeg - 1:             "LINES",
	KW_LIST - keywordBeg - 1:              "LIST",
	KW_LOAD - keywordBeg - 1:              "LOAD",
	KW_LOCAL - keywordBeg - 1:             "LOCAL",
	KW_LOCATION - keywordBeg - 1:          "LOCATION",
	KW_LOCK - keywordBeg - 1:              "LOCK",
	KW_LOCKS - keywordBeg - 1:             "LOCKS",
	KW_LOGICAL - keywordBeg - 1:           "LOGICAL",
	KW_LONG - keywordBeg - 1:              "LONG",
	KW_MACRO - keywordBeg - 1:             "MACRO",
	KW_MANAGEDLOCATION - keywordBeg - 1:   "MANAGEDLOCATION",
	KW_MANAGEMENT - keywordBeg - 1:        "MANAGEMENT",
	KW_MAP - keywordBeg - 1:               "MAP",
	KW_MAPJOIN - keywordBeg - 1:           "MAPJOIN",
	KW_MAPPING - keywordBeg - 1:           "MAPPING",
	KW_MATCHED - keywordBeg - 1:           "MATCHED",
	KW_MATERIALIZED - keywordBeg - 1:      "MATERIALIZED",
	KW_MERGE - keywordBeg - 1:             "MERGE",
	KW_METADATA - keywordBeg - 1:          "METADATA",
	KW_MINUS - keywordBeg - 1:             "MINUS",
	KW_MINUTE - keywordBeg - 1:            "MINUTE",
	KW_MONTH - keywordBeg - 1:             "MONTH",
	KW_MORE - keywordBeg - 1:              "MORE",
	KW_MOVE - keywordBeg - 1:              "MOVE",
	KW_MSCK - keywordBeg - 1:              "MSCK",
	KW_NATURAL - keywordBeg - 1:           "NATURAL",
	KW_NONE - keywordBeg - 1:              "NONE",
	KW_NORELY - keywordBeg - 1:            "NORELY",
	KW_NOSCAN - keywordBeg - 1:            "NOSCAN",
	KW_NOT - keywordBeg - 1:               "NOT",
	KW_NOVALIDATE - keywordBeg - 1:        "NOVALIDATE",
	KW_NULL - keywordBeg - 1:              "NULL",
	KW_NULLS - keywordBeg - 1:             "NULLS",
	KW_NUMERIC - keywordBeg - 1:           "NUMERIC",
	KW_OF - keywordBeg - 1:                "OF",
	KW_OFFSET - keywordBeg - 1:            "OFFSET",
	KW_ON - keywordBeg - 1:                "ON",
	KW_ONLY - keywordBeg - 1:              "ONLY",
	KW_OPERATOR - keywordBeg - 1:          "OPERATOR",
	KW_OPTION - keywordBeg - 1:            "OPTION",
	KW_OPTIONS - keywordBeg - 1:           "OPTIONS",
	KW_OR - keywordBeg - 1:                "OR",
	KW_ORDER - keywordBeg - 1:             "ORDER",
	KW_OUT - keywordBeg - 1:               "OUT",
	KW_OUTER - keywordBeg - 1:             "OUTER",
	KW_OUTPUTDRIVER - keywordBeg - 1:      "OUTPUTDRIVER",
	KW_OUTPUTFORMAT - keywordBeg - 1:      "OUTPUTFORMAT",
	KW_OVER - keywordBeg - 1:              "OVER",
	KW_OVERWRITE - keywordBeg - 1:         "OVERWRITE",
	KW_OWNER - keywordBeg - 1:             "OWNER",
	KW_PARTIALSCAN - keywordBeg - 1:       "PARTIALSCAN",
	KW_PARTITION - keywordBeg - 1:         "PARTITION",
	KW_PARTITIONED - keywordBeg - 1:       "PARTITIONED",
	KW_PARTITIONS - keywordBeg - 1:        "PARTITIONS",
	KW_PATH - keywordBeg - 1:              "PATH",
	KW_PERCENT - keywordBeg - 1:           "PERCENT",
	KW_PIVOT - keywordBeg - 1:             "PIVOT",
	KW_PLAN - keywordBeg - 1:              "PLAN",
	KW_PLANS - keywordBeg - 1:             "PLANS",
	KW_POOL - keywordBeg - 1:              "POOL",
	KW_PRECEDING - keywordBeg - 1:         "PRECEDING",
	KW_PRECISION - keywordBeg - 1:         "PRECISION",
	KW_PRESERVE - keywordBeg - 1:          "PRESERVE",
	KW_PRIMARY - keywordBeg - 1:           "PRIMARY",
	KW_PRINCIPALS - keywordBeg - 1:        "PRINCIPALS",
	KW_PROCEDURE - keywordBeg - 1:         "PROCEDURE",
	KW_PURGE - keywordBeg - 1:             "PURGE",
	KW_QUALIFY - keywordBeg - 1:           "QUALIFY",
	KW_QUARTER - keywordBeg - 1:           "QUARTER",
	KW_QUERY_PARALLELISM - keywordBeg - 1: "QUERY_PARALLELISM",
	KW_RANGE - keywordBeg - 1:             "RANGE",
	KW_READ - keywordBeg - 1:              "READ",
	KW_READS - keywordBeg - 1:             "READS",
	KW_REAL - keywordBeg - 1:              "REAL",
	KW_REBUILD - keywordBeg - 1:           "REBUILD",
	KW_RECORDREADER - keywordBeg - 1:      "RECORDREADER",
	KW_RECORDWRITER - keywordBeg - 1:      "RECORDWRITER",
	KW_RECOVER - keywordBeg - 1:           "RECOVER",
	KW_REDUCE - keywordBeg - 1:            "REDUCE",
	KW_REFERENCES - keywordBeg - 1:        "REFERENCES",
	KW_REFRESH - keywordBeg - 1:           "REFRESH",
	KW_REGEXP - keywordBeg - 1:            "REGEXP",
	KW_RELOAD - keywordBeg - 1:            "RELOAD",
	KW_RELY - keywordBeg - 1:              "RELY",
	KW_RENAME - keywordBeg - 1:            "RENAME",
	KW_REPAIR - keywordBeg - 1:            "REPAIR",
	KW_REPL - keywordBeg - 1:              "REPL",
	KW_REPLACE - keywordBeg - 1:           "REPLACE",
	KW_REPLICATION - keywordBeg - 1:       "REPLICATION",
	KW_RESET - keywordBeg - 1:             "RESET",
	KW_RESOURCE - keywordBeg - 1:          "RESOURCE",
	KW_RESPECT - keywordBeg - 1:           "RESPECT",
	KW_RESTRICT - keywordBeg - 1:          "RESTRICT",
	KW_REVOKE - keywordBeg - 1:            "REVOKE",
	KW_REWRITE - keywordBeg - 1:           "REWRITE",
	KW_RIGHT - keywordBeg - 1:             "RIGHT",
	KW_RLIKE - keywordBeg - 1:             "RLIKE",
	KW_ROLE - keywordBeg - 1:              "ROLE",
	KW_ROLES - keywordBeg - 1:             "ROLES",
	KW_ROLLBACK - keywordBeg - 1:          "ROLLBACK",
	KW_ROLLUP - keywordBeg - 1:            "ROLLUP",
	KW_ROW - keywordBeg - 1:               "ROW",
	KW_ROWS - keywordBeg - 1:              "ROWS",
	KW_SCHEDULING_POLICY - keywordBeg - 1: "SCHEDULING_POLICY",
	KW_SCHEMA - keywordBeg - 1:            "SCHEMA",
	KW_SCHEMAS - keywordBeg - 1:           "SCHEMAS",
	KW_SECOND - keywordBeg - 1:            "SECOND",
	KW_SELECT - keywordBeg - 1:            "SELECT",
	KW_SEMI - keywordBeg - 1:              "SEMI",
	KW_SERDE - keywordBeg - 1:             "SERDE",
	KW_SERDEPROPERTIES - keywordBeg - 1:   "SERDEPROPERTIES",
	KW_SERVER - keywordBeg - 1:            "SERVER",
	KW_SET - keywordBeg - 1:               "SET",
	KW_SETS - keywordBeg - 1:              "SETS",
	KW_SHARED - keywordBeg - 1:            "SHARED",
	KW_SHOW - keywordBeg - 1:              "SHOW",
	KW_SKEWED - keywordBeg - 1:            "SKEWED",
	KW_SMALLINT - keywordBeg - 1:          "SMALLINT",
	KW_SNAPSHOT - keywordBeg - 1:          "SNAPSHOT",
	KW_SOME - keywordBeg - 1:              "SOME",
	KW_SORT - keywordBeg - 1:              "SORT",
	KW_SORTED - keywordBeg - 1:            "SORTED",
	KW_SOURCE - keywordBeg - 1:            "SOURCE",
	KW_SSL - keywordBeg - 1:               "SSL",
	KW_START - keywordBeg - 1:             "START",
	KW_STATISTICS - keywordBeg - 1:        "STATISTICS",
	KW_STATUS - keywordBeg - 1:            "STATUS",
	KW_STORED - keywordBeg - 1:            "STORED",
	KW_STREAMTABLE - keywordBeg - 1:       "STREAMTABLE",
	KW_STRING - keywordBeg - 1:            "STRING",
	KW_STRUCT - keywordBeg - 1:            "STRUCT",
	KW_SUMMARY - keywordBeg - 1:           "SUMMARY",
	KW_SYNC - keywordBeg - 1:              "SYNC",
	KW_TABLE - keywordBeg - 1:             "TABLE",
	KW_TABLES - keywordBeg - 1:            "TABLES",
	KW_TABLESAMPLE - keywordBeg - 1:       "TABLESAMPLE",
	KW_TBLPROPERTIES - keywordBeg - 1:     "TBLPROPERTIES",
	KW_TEMPORARY - keywordBeg - 1:         "TEMPORARY",
	KW_TERMINATED - keywordBeg - 1:        "TERMINATED",
	KW_THEN - keywordBeg - 1:              "THEN",
	KW_TIME - keywordBeg - 1:              "TIME",
	KW_TIMESTAMP - keywordBeg - 1:         "TIMESTAMP",
	KW_TIMESTAMPLOCALTZ - keywordBeg - 1:  "TIMESTAMPLOCALTZ",
	KW_TINYINT - keywordBeg - 1:           "TINYINT",
	KW_TO - keywordBeg - 1:                "TO",
	KW_TOUCH - keywordBeg - 1:             "TOUCH",
	KW_TRANSACTION - keywordBeg - 1:       "TRANSACTION",
	KW_TRANSACTIONS - keywordBeg - 1:      "TRANSACTIONS",
	KW_TRANSFORM - keywordBeg - 1:         "TRANSFORM",
	KW_TRIGGER - keywordBeg - 1:           "TRIGGER",
	KW_TRUE - keywordBeg - 1:              "TRUE",
	KW_TRUNCATE - keywordBeg - 1:          "TRUNCATE",
	KW_UNARCHIVE - keywordBeg - 1:         "UNARCHIVE",
	KW_UNBOUNDED - keywordBeg - 1:         "UNBOUNDED",
	KW_UNCACHE - keywordBeg - 1:           "UNCACHE",
	KW_UNDO - keywordBeg - 1:              "UNDO",
	KW_UNION - keywordBeg - 1:             "UNION",
	KW_UNIONTYPE - keywordBeg - 1:         "UNIONTYPE",
	KW_UNIQUE - keywordBeg - 1:            "UNIQUE",
	KW_UNIQUEJOIN - keywordBeg - 1:        "UNIQUEJOIN",
	KW_UNKNOWN - keywordBeg - 1:           "UNKNOWN",
	KW_UNLOCK - keywordBeg - 1:            "UNLOCK",
	KW_UNMANAGED - keywordBeg - 1:         "UNMANAGED",
	KW_UNPIVOT - keywordBeg - 1:           "UNPIVOT",
	KW_UNSET - keywordBeg - 1:             "UNSET",
	KW_UNSIGNED - keywordBeg - 1:          "UNSIGNED",
	KW_UPDATE - keywordBeg - 1:            "UPDATE",
	KW_URI - keywordBeg - 1:               "URI",
	KW_USE - keywordBeg - 1:               "USE",
	KW_USER - keywordBeg - 1:              "USER",
	KW_USING - keywordBeg - 1:             "USING",
	KW_UTC - keywordBeg - 1:               "UTC",
	KW_UTC_TMESTAMP - keywordBeg - 1:      "UTC_TMESTAMP",
	KW_VALIDATE - keywordBeg - 1:          "VALIDATE",
	KW_VALUES - keywordBeg - 1:            "VALUES",
	KW_VARCHAR - keywordBeg - 1:           "VARCHAR",
	KW_VECTORIZATION - keywordBeg - 1:     "VECTORIZATION",
	KW_VIEW - keywordBeg - 1:              "VIEW",
	KW_VIEWS - keywordBeg - 1:             "VIEWS",
	KW_WAIT - keywordBeg - 1:              "WAIT",
	KW_WEEK - keywordBeg - 1:              "WEEK",
	KW_WHEN - keywordBeg - 1:              "WHEN",
	KW_WHERE - keywordBeg - 1:             "WHERE",
	KW_WHILE - keywordBeg - 1:             "WHILE",
	KW_WINDOW - keywordBeg - 1:            "WINDOW",
	KW_WITH - keywordBeg - 1:              "WITH",
	KW_WITHIN - keywordBeg - 1:            "WITHIN",
	KW_WORK - keywordBeg - 1:              "WORK",
	KW_WORKLOAD - keywordBeg - 1:          "WORKLOAD",
	KW_WRITE - keywordBeg - 1:             "WRITE",
	KW_YEAR - keywordBeg - 1:              "YEAR",
	KW_ZONE - keywordBeg - 1:              "ZONE",
}

// reservedKeywords is Hive 3.1's reserved keyword list
// (hive.support.sql11.reserved.keywords=true, the default).
var reservedKeywords = [...]bool{
	KW_ALL - keywordBeg - 1:               true,
	KW_ALTER - keywordBeg - 1:             true,
	KW_AND - keywordBeg - 1:               true,
	KW_ARRAY - keywordBeg - 1:             true,
	KW_AS - keywordBeg - 1:                true,
	KW_AUTHORIZATION - keywordBeg - 1:     true,
	KW_BETWEEN - keywordBeg - 1:           true,
	KW_BIGINT - keywordBeg - 1:            true,
	KW_BINARY - keywordBeg - 1:            true,
	KW_BOOLEAN - keywordBeg - 1:           true,
	KW_BOTH - keywordBeg - 1:              true,
	KW_BY - keywordBeg - 1:                true,
	KW_CACHE - keywordBeg - 1:             true,
	KW_CASE - keywordBeg - 1:              true,
	KW_CAST - keywordBeg - 1:              true,
	KW_CHAR - keywordBeg - 1:              true,
	KW_COLUMN - keywordBeg - 1:            true,
	KW_COMMIT - keywordBeg - 1:            true,
	KW_CONF - keywordBeg - 1:              true,
	KW_CONSTRAINT - keywordBeg - 1:        true,
	KW_CREATE - keywordBeg - 1:            true,
	KW_CROSS - keywordBeg - 1:             true,
	KW_CUBE - keywordBeg - 1:              true,
	KW_CURRENT - keywordBeg - 1:           true,
	KW_CURRENT_DATE - keywordBeg - 1:      true,
	KW_CURRENT_TIMESTAMP - keywordBeg - 1: true,
	KW_CURSOR - keywordBeg - 1:            true,
	KW_DATABASE - keywordBeg - 1:          true,
	KW_DATE - keywordBeg - 1:              true,
	KW_DAYOFWEEK - keywordBeg - 1:         true,
	KW_DECIMAL - keywordBeg - 1:           true,
	KW_DELETE - keywordBeg - 1:            true,
	KW_DESCRIBE - keywordBeg - 1:          true,
	KW_DISTINCT - keywordBeg - 1:          true,
	KW_DOUBLE - keywordBeg - 1:            true,
	KW_DROP - keywordBeg - 1:              true,
	KW_ELSE - keywordBeg - 1:              true,
	KW_END - keywordBeg - 1:               true,
	KW_EXCHANGE - keywordBeg - 1:          true,
	KW_EXISTS - keywordBeg - 1:            true,
	KW_EXTENDED - keywordBeg - 1:          true,
	KW_EXTERNAL - keywordBeg - 1:          true,
	KW_EXTRACT - keywordBeg - 1:           true,
	KW_FALSE - keywordBeg - 1:             true,
	KW_FETCH - keywordBeg - 1:             true,
	KW_FLOAT - keywordBeg - 1:             true,
	KW_FLOOR - keywordBeg - 1:             true,
	KW_FOLLOWING - keywordBeg - 1:         true,
	KW_FOR - keywordBeg - 1:               true,
	KW_FOREIGN - keywordBeg - 1:           true,
	KW_FROM - keywordBeg - 1:              true,
	KW_FULL - keywordBeg - 1:              true,
	KW_FUNCTION - keywordBeg - 1:          true,
	KW_GRANT - keywordBeg - 1:             true,
	KW_GROUP - keywordBeg - 1:             true,
	KW_GROUPING - keywordBeg - 1:          true,
	KW_HAVING - keywordBeg - 1:            true,
	KW_IF - keywordBeg - 1:                true,
	KW_IMPORT - keywordBeg - 1:            true,
	KW_IN - keywordBeg - 1:                true,
	KW_INNER - keywordBeg - 1:             true,
	KW_INSERT - keywordBeg - 1:            true,
	KW_INT - keywordBeg - 1:               true,
	KW_INTEGER - keywordBeg - 1:           true,
	KW_INTERSECT - keywordBeg - 1:         true,
	KW_INTERVAL - keywordBeg - 1:          true,
	KW_INTO - keywordBeg - 1:              true,
	KW_IS - keywordBeg - 1:                true,
	KW_JOIN - keywordBeg - 1:              true,
	KW_LATERAL - keywordBeg - 1:           true,
	KW_LEFT - keywordBeg - 1:              true,
	KW_LESS - keywordBeg - 1:              true,
	KW_LIKE - keywordBeg - 1:              true,
	KW_LOCAL - keywordBeg - 1:             true,
	KW_MACRO - keywordBeg - 1:             true,
	KW_MAP - keywordBeg - 1:               true,
	KW_MORE - keywordBeg - 1:              true,
	KW_NONE - keywordBeg - 1:              true,
	KW_NOT - keywordBeg - 1:               true,
	KW_NULL - keywordBeg - 1:              true,
	KW_NUMERIC - keywordBeg - 1:           true,
	KW_OF - keywordBeg - 1:                true,
	KW_ON - keywordBeg - 1:                true,
	KW_ONLY - keywordBeg - 1:              true,
	KW_OR - keywordBeg - 1:                true,
	KW_ORDER - keywordBeg - 1:             true,
	KW_OUT - keywordBeg - 1:               true,
	KW_OUTER - keywordBeg - 1:             true,
	KW_OVER - keywordBeg - 1:              true,
	KW_PARTIALSCAN - keywordBeg - 1:       true,
	KW_PARTITION - keywordBeg - 1:         true,
	KW_PERCENT - keywordBeg - 1:           true,
	KW_PRECEDING - keywordBeg - 1:         true,
	KW_PRECISION - keywordBeg - 1:         true,
	KW_PRESERVE - keywordBeg - 1:          true,
	KW_PRIMARY - keywordBeg - 1:           true,
	KW_PROCEDURE - keywordBeg - 1:         true,
	KW_RANGE - keywordBeg - 1:             true,
	KW_READS - keywordBeg - 1:             true,
	KW_REDUCE - keywordBeg - 1:            true,
	KW_REFERENCES - keywordBeg - 1:        true,
	KW_REGEXP - keywordBeg - 1:            true,
	KW_REVOKE - keywordBeg - 1:            true,
	KW_RIGHT - keywordBeg - 1:             true,
	KW_RLIKE - keywordBeg - 1:             true,
	KW_ROLLBACK - keywordBeg - 1:          true,
	KW_ROLLUP - keywordBeg - 1:            true,
	KW_ROW - keywordBeg - 1:               true,
	KW_ROWS - keywordBeg - 1:              true,
	KW_SELECT - keywordBeg - 1:            true,
	KW_SET - keywordBeg - 1:               true,
	KW_SMALLINT - keywordBeg - 1:          true,
	KW_START - keywordBeg - 1:             true,
	KW_SYNC - keywordBeg - 1:              true,
	KW_TABLE - keywordBeg - 1:             true,
	KW_TABLESAMPLE - keywordBeg - 1:       true,
	KW_THEN - keywordBeg - 1:              true,
	KW_TIME - keywordBeg - 1:              true,
	KW_TIMESTAMP - keywordBeg - 1:         true,
	KW_TO - keywordBeg - 1:                true,
	KW_TRANSFORM - keywordBeg - 1:         true,
	KW_TRIGGER - keywordBeg - 1:           true,
	KW_TRUE - keywordBeg - 1:              true,
	KW_TRUNCATE - keywordBeg - 1:          true,
	KW_UNBOUNDED - keywordBeg - 1:         true,
	KW_UNION - keywordBeg - 1:             true,
	KW_UNIQUEJOIN - keywordBeg - 1:        true,
	KW_UPDATE - keywordBeg - 1:            true,
	KW_USER - keywordBeg - 1:              true,
	KW_USING - keywordBeg - 1:             true,
	KW_UTC_TMESTAMP - keywordBeg - 1:      true,
	KW_VALUES - keywordBeg - 1:            true,
	KW_VARCHAR - keywordBeg - 1:           true,
	KW_VIEWS - keywordBeg - 1:             true,
	KW_WHEN - keywordBeg - 1:              true,
	KW_WHERE - keywordBeg - 1:             true,
	KW_WINDOW - keywordBeg - 1:            true,
	KW_WITH - keywordBeg - 1:              true,
	keywordEnd - keywordBeg - 2:           false,
}

// clauseKeywords are the keywords that never stand for an identifier (see CanBeIdentifier).
var clauseKeywords = [...]bool{
	KW_ALL - keywordBeg - 1:         true,
	KW_AND - keywordBeg - 1:         true,
	KW_ANTI - keywordBeg - 1:        true,
	KW_AS - keywordBeg - 1:          true,
	KW_BETWEEN - keywordBeg - 1:     true,
	KW_BY - keywordBeg - 1:          true,
	KW_CASE - keywordBeg - 1:        true,
	KW_CAST - keywordBeg - 1:        true,
	KW_CLUSTER - keywordBeg - 1:     true,
	KW_CROSS - keywordBeg - 1:       true,
	KW_DISTINCT - keywordBeg - 1:    true,
	KW_DISTRIBUTE - keywordBeg - 1:  true,
	KW_DIV - keywordBeg - 1:         true,
	KW_ELSE - keywordBeg - 1:        true,
	KW_END - keywordBeg - 1:         true,
	KW_EXCEPT - keywordBeg - 1:      true,
	KW_EXISTS - keywordBeg - 1:      true,
	KW_FALSE - keywordBeg - 1:       true,
	KW_FROM - keywordBeg - 1:        true,
	KW_FULL - keywordBeg - 1:        true,
	KW_GROUP - keywordBeg - 1:       true,
	KW_HAVING - keywordBeg - 1:      true,
	KW_IN - keywordBeg - 1:          true,
	KW_INNER - keywordBeg - 1:       true,
	KW_INTERSECT - keywordBeg - 1:   true,
	KW_INTERVAL - keywordBeg - 1:    true,
	KW_IS - keywordBeg - 1:          true,
	KW_JOIN - keywordBeg - 1:        true,
	KW_LATERAL - keywordBeg - 1:     true,
	KW_LEFT - keywordBeg - 1:        true,
	KW_LIKE - keywordBeg - 1:        true,
	KW_LIMIT - keywordBeg - 1:       true,
	KW_MINUS - keywordBeg - 1:       true,
	KW_NATURAL - keywordBeg - 1:     true,
	KW_NOT - keywordBeg - 1:         true,
	KW_NULL - keywordBeg - 1:        true,
	KW_ON - keywordBeg - 1:          true,
	KW_OR - keywordBeg - 1:          true,
	KW_ORDER - keywordBeg - 1:       true,
	KW_OUTER - keywordBeg - 1:       true,
	KW_OVER - keywordBeg - 1:        true,
	KW_PARTITION - keywordBeg - 1:   true,
	KW_QUALIFY - keywordBeg - 1:     true,
	KW_REGEXP - keywordBeg - 1:      true,
	KW_RIGHT - keywordBeg - 1:       true,
	KW_RLIKE - keywordBeg - 1:       true,
	KW_SELECT - keywordBeg - 1:      true,
	KW_SEMI - keywordBeg - 1:        true,
	KW_SORT - keywordBeg - 1:        true,
	KW_TABLESAMPLE - keywordBeg - 1: true,
	KW_THEN - keywordBeg - 1:        true,
	KW_TRUE - keywordBeg - 1:        true,
	KW_UNION - keywordBeg - 1:       true,
	KW_UNIQUEJOIN - keywordBeg - 1:  true,
	KW_USING - keywordBeg - 1:       true,
	KW_WHEN - keywordBeg - 1:        true,
	KW_WHERE - keywordBeg - 1:       true,
	KW_WINDOW - keywordBeg - 1:      true,
	KW_WITH - keywordBeg - 1:        true,
	keywordEnd - keywordBeg - 2:     false,
}

// continuationKeywords can be identifiers but can also continue the
// construct before an implicit alias (see CanBeAlias).
var continuationKeywords = [...]bool{
	KW_ASC - keywordBeg - 1:     true,
	KW_DESC - keywordBeg - 1:    true,
	KW_ESCAPE - keywordBeg - 1:  true,
	KW_FETCH - keywordBeg - 1:   true,
	KW_FILTER - keywordBeg - 1:  true,
	KW_FOR - keywordBeg - 1:     true,
	KW_IGNORE - keywordBeg - 1:  true,
	KW_INSERT - keywordBeg - 1:  true,
	KW_MAP - keywordBeg - 1:     true,
	KW_NULLS - keywordBeg - 1:   true,
	KW_OFFSET - keywordBeg - 1:  true,
	KW_PIVOT - keywordBeg - 1:   true,
	KW_RANGE - keywordBeg - 1:   true,
	KW_REDUCE - keywordBeg - 1:  true,
	KW_RESPECT - keywordBeg - 1: true,
	KW_ROWS - keywordBeg - 1:    true,
	KW_UNPIVOT - keywordBeg - 1: true,
	KW_WITHIN - keywordBeg - 1:  true,
	keywordEnd - keywordBeg - 2: false,
}
