USE hiveonspark;
SELECT key, value FROM testtable LIMIT 2;
SELECT * FROM no_such_table;
SELECT 1;
