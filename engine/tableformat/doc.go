// Package tableformat turns Hive table storage formats into DuckDB SQL: a SELECT that reads a table's data
// files with Hive's SerDe semantics (ReadSQL), and a COPY statement that writes rows the way Hive writes them
// (WriteSQL). It also maps Hive storage class names to formats and back (SpecFrom, StorageFor), maps Hive
// types to DuckDB types (DuckDBType) and registers the DuckDB scalar functions the written SQL needs
// (RegisterFunctions).
//
// It owns: LazySimpleSerDe text (delimiters and nesting levels, NULL format, ESCAPED BY, header/footer skip),
// Parquet (case-insensitive, schema-evolution tolerant column matching; ParquetPlan, which says which byte
// ranges of a file a scan of some columns reads, from the footer it decodes itself), JSON lines and
// OpenCSVSerde.
//
// It must not touch: the catalog or the storage packages (the engine converts catalog metadata into a Spec
// and hands over LOCAL file paths; remote files are downloaded first), file naming and directory layout
// (the engine picks output file names), or query translation. It imports only hiveql/types and output of
// Waggle's packages (and Apache Thrift's compact protocol, for Parquet footers).
//
// Row order: Hive's LIMIT without ORDER BY returns rows in file order. The SQL returned by ReadSQL keeps the
// files in the given order and lines in file order as long as DuckDB's preserve_insertion_order setting is
// on (the default); the engine must not turn it off.
package tableformat
