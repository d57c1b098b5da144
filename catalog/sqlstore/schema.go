package sqlstore

// Schema facts from the Hive 3.1 metastore scripts (hive-schema-3.1.0.*.sql).

// SchemaVersion is the Hive metastore schema version written to VERSION.
const SchemaVersion = "3.1.0"

const versionComment = "Hive release version 3.1.0"

// supportedHiveVersion reports whether Open accepts a VERSION.SCHEMA_VERSION.
func supportedHiveVersion(v string) bool { return v == SchemaVersion }

func vc(name string, size int) colDef { return colDef{name: name, typ: tVarchar, size: size} }
func vcNN(name string, size int) colDef {
	return colDef{name: name, typ: tVarchar, size: size, notNull: true}
}
func bigint(name string) colDef   { return colDef{name: name, typ: tBigint} }
func bigintNN(name string) colDef { return colDef{name: name, typ: tBigint, notNull: true} }
func intNN(name string) colDef    { return colDef{name: name, typ: tInt, notNull: true} }
func text(name string) colDef     { return colDef{name: name, typ: tText} }
func boolNN(name string) colDef   { return colDef{name: name, typ: tBool, notNull: true} }

func fk(name, col, refTab, refCol string) fkDef {
	return fkDef{name: name, cols: []string{col}, refTab: refTab, refCols: []string{refCol}}
}

// hive31Tables is the Hive 3.1 core schema Waggle uses, in creation order.
func hive31Tables() []tableDef {
	return []tableDef{
		{name: "VERSION", cols: []colDef{bigintNN("VER_ID"), vcNN("SCHEMA_VERSION", 127), vc("VERSION_COMMENT", 255)},
			pk: []string{"VER_ID"}},
		{name: "SEQUENCE_TABLE", cols: []colDef{vcNN("SEQUENCE_NAME", 255), bigintNN("NEXT_VAL")},
			pk: []string{"SEQUENCE_NAME"}},
		{name: "CTLGS", cols: []colDef{bigintNN("CTLG_ID"), vcNN("NAME", 256), vc("DESC", 4000), vcNN("LOCATION_URI", 4000)},
			pk: []string{"CTLG_ID"}, uniques: []uniqueDef{{"UNIQUE_CATALOG", []string{"NAME"}}}},
		{name: "DBS", cols: []colDef{bigintNN("DB_ID"), vc("DESC", 4000), vcNN("DB_LOCATION_URI", 4000), vc("NAME", 128),
			vc("OWNER_NAME", 128), vc("OWNER_TYPE", 10), {name: "CTLG_NAME", typ: tVarchar, size: 256, notNull: true, def: "'hive'"}},
			pk: []string{"DB_ID"}, uniques: []uniqueDef{{"UNIQUE_DATABASE", []string{"NAME", "CTLG_NAME"}}},
			fks: []fkDef{fk("CTLG_FK1", "CTLG_NAME", "CTLGS", "NAME")}},
		{name: "DATABASE_PARAMS", cols: []colDef{bigintNN("DB_ID"), vcNN("PARAM_KEY", 180), vc("PARAM_VALUE", 4000)},
			pk: []string{"DB_ID", "PARAM_KEY"}, fks: []fkDef{fk("DATABASE_PARAMS_FK1", "DB_ID", "DBS", "DB_ID")}},
		{name: "CDS", cols: []colDef{bigintNN("CD_ID")}, pk: []string{"CD_ID"}},
		{name: "COLUMNS_V2", cols: []colDef{bigintNN("CD_ID"), vc("COMMENT", 4000), {name: "COLUMN_NAME", typ: tVarchar, size: 767, notNull: true, narrowKey: true},
			text("TYPE_NAME"), intNN("INTEGER_IDX")},
			pk: []string{"CD_ID", "COLUMN_NAME"}, fks: []fkDef{fk("COLUMNS_V2_FK1", "CD_ID", "CDS", "CD_ID")}},
		{name: "SERDES", cols: []colDef{bigintNN("SERDE_ID"), vc("NAME", 128), vc("SLIB", 4000), vc("DESCRIPTION", 4000),
			vc("SERIALIZER_CLASS", 4000), vc("DESERIALIZER_CLASS", 4000), {name: "SERDE_TYPE", typ: tInt}},
			pk: []string{"SERDE_ID"}},
		{name: "SERDE_PARAMS", cols: []colDef{bigintNN("SERDE_ID"), vcNN("PARAM_KEY", 256), text("PARAM_VALUE")},
			pk: []string{"SERDE_ID", "PARAM_KEY"}, fks: []fkDef{fk("SERDE_PARAMS_FK1", "SERDE_ID", "SERDES", "SERDE_ID")}},
		{name: "SDS", cols: []colDef{bigintNN("SD_ID"), bigint("CD_ID"), vc("INPUT_FORMAT", 4000), boolNN("IS_COMPRESSED"),
			boolNN("IS_STOREDASSUBDIRECTORIES"), vc("LOCATION", 4000), intNN("NUM_BUCKETS"), vc("OUTPUT_FORMAT", 4000),
			bigint("SERDE_ID")},
			pk:      []string{"SD_ID"},
			fks:     []fkDef{fk("SDS_FK1", "SERDE_ID", "SERDES", "SERDE_ID"), fk("SDS_FK2", "CD_ID", "CDS", "CD_ID")},
			indexes: []uniqueDef{{"SDS_N49", []string{"SERDE_ID"}}, {"SDS_N50", []string{"CD_ID"}}}},
		{name: "SD_PARAMS", cols: []colDef{bigintNN("SD_ID"), vcNN("PARAM_KEY", 256), text("PARAM_VALUE")},
			pk: []string{"SD_ID", "PARAM_KEY"}, fks: []fkDef{fk("SD_PARAMS_FK1", "SD_ID", "SDS", "SD_ID")}},
		{name: "BUCKETING_COLS", cols: []colDef{bigintNN("SD_ID"), vc("BUCKET_COL_NAME", 256), intNN("INTEGER_IDX")},
			pk: []string{"SD_ID", "INTEGER_IDX"}, fks: []fkDef{fk("BUCKETING_COLS_FK1", "SD_ID", "SDS", "SD_ID")}},
		{name: "SORT_COLS", cols: []colDef{bigintNN("SD_ID"), vc("COLUMN_NAME", 767), intNN("ORDER"), intNN("INTEGER_IDX")},
			pk: []string{"SD_ID", "INTEGER_IDX"}, fks: []fkDef{fk("SORT_COLS_FK1", "SD_ID", "SDS", "SD_ID")}},
		{name: "SKEWED_STRING_LIST", cols: []colDef{bigintNN("STRING_LIST_ID")}, pk: []string{"STRING_LIST_ID"}},
		{name: "SKEWED_STRING_LIST_VALUES", cols: []colDef{bigintNN("STRING_LIST_ID"), vc("STRING_LIST_VALUE", 256), intNN("INTEGER_IDX")},
			pk:  []string{"STRING_LIST_ID", "INTEGER_IDX"},
			fks: []fkDef{fk("SKEWED_STRING_LIST_VALUES_FK1", "STRING_LIST_ID", "SKEWED_STRING_LIST", "STRING_LIST_ID")}},
		{name: "SKEWED_COL_NAMES", cols: []colDef{bigintNN("SD_ID"), vc("SKEWED_COL_NAME", 256), intNN("INTEGER_IDX")},
			pk: []string{"SD_ID", "INTEGER_IDX"}, fks: []fkDef{fk("SKEWED_COL_NAMES_FK1", "SD_ID", "SDS", "SD_ID")}},
		{name: "SKEWED_COL_VALUE_LOC_MAP", cols: []colDef{bigintNN("SD_ID"), bigintNN("STRING_LIST_ID_KID"), vc("LOCATION", 4000)},
			pk: []string{"SD_ID", "STRING_LIST_ID_KID"},
			fks: []fkDef{fk("SKEWED_COL_VALUE_LOC_MAP_FK1", "SD_ID", "SDS", "SD_ID"),
				fk("SKEWED_COL_VALUE_LOC_MAP_FK2", "STRING_LIST_ID_KID", "SKEWED_STRING_LIST", "STRING_LIST_ID")}},
		{name: "SKEWED_VALUES", cols: []colDef{bigintNN("SD_ID_OID"), bigintNN("STRING_LIST_ID_EID"), intNN("INTEGER_IDX")},
			pk: []string{"SD_ID_OID", "INTEGER_IDX"},
			fks: []fkDef{fk("SKEWED_VALUES_FK1", "SD_ID_OID", "SDS", "SD_ID"),
				fk("SKEWED_VALUES_FK2", "STRING_LIST_ID_EID", "SKEWED_STRING_LIST", "STRING_LIST_ID")}},
		{name: "TBLS", cols: []colDef{bigintNN("TBL_ID"), intNN("CREATE_TIME"), bigint("DB_ID"), intNN("LAST_ACCESS_TIME"),
			vc("OWNER", 767), vc("OWNER_TYPE", 10), intNN("RETENTION"), bigint("SD_ID"), vc("TBL_NAME", 256), vc("TBL_TYPE", 128),
			text("VIEW_EXPANDED_TEXT"), text("VIEW_ORIGINAL_TEXT"),
			{name: "IS_REWRITE_ENABLED", typ: tBool, notNull: true, def: "false"}},
			pk: []string{"TBL_ID"}, uniques: []uniqueDef{{"UNIQUETABLE", []string{"TBL_NAME", "DB_ID"}}},
			fks:     []fkDef{fk("TBLS_FK1", "SD_ID", "SDS", "SD_ID"), fk("TBLS_FK2", "DB_ID", "DBS", "DB_ID")},
			indexes: []uniqueDef{{"TBLS_N49", []string{"DB_ID"}}, {"TBLS_N50", []string{"SD_ID"}}}},
		{name: "TABLE_PARAMS", cols: []colDef{bigintNN("TBL_ID"), vcNN("PARAM_KEY", 256), text("PARAM_VALUE")},
			pk: []string{"TBL_ID", "PARAM_KEY"}, fks: []fkDef{fk("TABLE_PARAMS_FK1", "TBL_ID", "TBLS", "TBL_ID")}},
		{name: "PARTITION_KEYS", cols: []colDef{bigintNN("TBL_ID"), vc("PKEY_COMMENT", 4000), vcNN("PKEY_NAME", 128),
			vcNN("PKEY_TYPE", 767), intNN("INTEGER_IDX")},
			pk: []string{"TBL_ID", "PKEY_NAME"}, fks: []fkDef{fk("PARTITION_KEYS_FK1", "TBL_ID", "TBLS", "TBL_ID")}},
		{name: "PARTITIONS", cols: []colDef{bigintNN("PART_ID"), intNN("CREATE_TIME"), intNN("LAST_ACCESS_TIME"),
			{name: "PART_NAME", typ: tVarchar, size: 767, narrowKey: true}, bigint("SD_ID"), bigint("TBL_ID")},
			pk: []string{"PART_ID"}, uniques: []uniqueDef{{"UNIQUEPARTITION", []string{"PART_NAME", "TBL_ID"}}},
			fks:     []fkDef{fk("PARTITIONS_FK1", "TBL_ID", "TBLS", "TBL_ID"), fk("PARTITIONS_FK2", "SD_ID", "SDS", "SD_ID")},
			indexes: []uniqueDef{{"PARTITIONS_N49", []string{"TBL_ID"}}, {"PARTITIONS_N50", []string{"SD_ID"}}}},
		{name: "PARTITION_KEY_VALS", cols: []colDef{bigintNN("PART_ID"), vc("PART_KEY_VAL", 256), intNN("INTEGER_IDX")},
			pk: []string{"PART_ID", "INTEGER_IDX"}, fks: []fkDef{fk("PARTITION_KEY_VALS_FK1", "PART_ID", "PARTITIONS", "PART_ID")}},
		{name: "PARTITION_PARAMS", cols: []colDef{bigintNN("PART_ID"), vcNN("PARAM_KEY", 256), text("PARAM_VALUE")},
			pk: []string{"PART_ID", "PARAM_KEY"}, fks: []fkDef{fk("PARTITION_PARAMS_FK1", "PART_ID", "PARTITIONS", "PART_ID")}},
		{name: "FUNCS", cols: []colDef{bigintNN("FUNC_ID"), vc("CLASS_NAME", 4000), intNN("CREATE_TIME"), bigint("DB_ID"),
			vc("FUNC_NAME", 128), intNN("FUNC_TYPE"), vc("OWNER_NAME", 128), vc("OWNER_TYPE", 10)},
			pk: []string{"FUNC_ID"}, uniques: []uniqueDef{{"UNIQUEFUNCTION", []string{"FUNC_NAME", "DB_ID"}}},
			fks: []fkDef{fk("FUNCS_FK1", "DB_ID", "DBS", "DB_ID")}},
		{name: "FUNC_RU", cols: []colDef{bigintNN("FUNC_ID"), intNN("RESOURCE_TYPE"), vc("RESOURCE_URI", 4000), intNN("INTEGER_IDX")},
			pk: []string{"FUNC_ID", "INTEGER_IDX"}, fks: []fkDef{fk("FUNC_RU_FK1", "FUNC_ID", "FUNCS", "FUNC_ID")}},
	}
}

// migrationsTable records which migrations ran.
func migrationsTable() tableDef {
	return tableDef{
		name: "WAGGLE_MIGRATIONS",
		cols: []colDef{intNN("VERSION"), vcNN("NAME", 256), bigintNN("APPLIED_AT")},
		pk:   []string{"VERSION"},
	}
}
