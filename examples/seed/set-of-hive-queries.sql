-- Waggle's runnable copy of ../shared/seed/set-of-hive-queries.sql for a laptop (see README.md):
-- the only changes are the two paths — LOAD DATA reads examples/seed/kv1.txt (relative to the repository
-- root) and the external table points at ${DataRoot} (examples/seed/data holds the toy Parquet files that
-- `go run ./examples/seed/gentoy` generates) instead of s3://${S3Bucket}. The integration test runs the
-- original script, unchanged, against an S3 server.
-- The Hive script from the seed article ("Run Apache Hive workloads using Spark SQL with Amazon EMR on EKS"),
-- submitted there with: -hivevar S3Bucket=<bucket> -hivevar Key_ID=238
-- Three gaps in the article's transcription are filled here: the INSERT of test2, the AS of test4's CTAS,
-- and the first line + STORED AS clause of test5's external table. The article also wrote ${key_ID}
-- where the parameter is Key_ID; variable names are case-sensitive, so this copy uses ${Key_ID}.

-- drop database in case switch between different hive metastore

CREATE DATABASE hiveonspark;
USE hiveonspark;

--create hive managed table
DROP TABLE IF EXISTS testtable purge;
CREATE TABLE IF NOT EXISTS testtable (`key` INT, `value` STRING) using hive;
LOAD DATA LOCAL INPATH 'examples/seed/kv1.txt' INTO TABLE testtable;
SELECT * FROM testtable WHERE key=238;

-- test1: add column
ALTER TABLE testtable ADD COLUMNS (`arrayCol` Array<int>);
-- test2: insert
INSERT INTO testtable VALUES (238, 'val_238', array(1, 3)), (238, 'val_238', array(2, 3));
SELECT * FROM testtable WHERE key=238;
-- test3: UDF
CREATE TEMPORARY FUNCTION hiveUDF AS 'org.apache.hadoop.hive.ql.udf.generic.GenericUDTFExplode';
SELECT `key`,`value`,hiveUDF(arrayCol) FROM testtable WHERE key=238;
-- test4: CTAS table with parameter
DROP TABLE IF EXISTS ctas_testtable purge;
CREATE TABLE ctas_testtable 
AS
SELECT * FROM testtable;
SELECT * FROM ctas_testtable WHERE key=${Key_ID};
-- test5: External table mapped to S3
CREATE EXTERNAL TABLE IF NOT EXISTS amazonreview(
  marketplace string, 
  customer_id string, 
  review_id  string, 
  product_id  string, 
  product_parent  string, 
  product_title  string, 
  star_rating  integer, 
  helpful_votes  integer, 
  total_votes  integer, 
  vine  string, 
  verified_purchase  string, 
  review_headline  string, 
  review_body  string, 
  review_date  date, 
  year  integer)
STORED AS PARQUET
LOCATION '${DataRoot}/app_code/data/toy/';
SELECT count(*) FROM amazonreview;
