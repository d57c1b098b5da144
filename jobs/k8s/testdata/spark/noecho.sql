-- seed: a set of Hive queries
CREATE DATABASE IF NOT EXISTS hiveonspark;
USE hiveonspark;

--create hive managed table
DROP TABLE IF EXISTS testtable purge;
CREATE TABLE IF NOT EXISTS testtable (`key` INT, `value` STRING) using hive;
LOAD DATA LOCAL INPATH '/usr/lib/spark/examples/src/main/resources/kv1.txt' OVERWRITE INTO TABLE testtable;
SELECT * FROM testtable WHERE key=238;

-- test2: update existing table
ALTER TABLE testtable ADD COLUMNS (`arrayCol` Array<int>);
INSERT INTO testtable VALUES
(238,'val_238',array(1,3)),
(238,'val_238',array(2,3));
SELECT * FROM testtable WHERE key=238 AND arrayCol IS NOT NULL;

SELECT count(*) FROM testtable WHERE key=${Key_ID} AND value='nothing';
