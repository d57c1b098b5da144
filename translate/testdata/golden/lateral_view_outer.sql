-- SELECT id, c FROM arrs LATERAL VIEW OUTER explode(arr) t AS c
SELECT "t1"."id" AS "id", "t1"."c" AS "c" FROM (SELECT "t1".*, unnest((CASE WHEN len("t1"."arr") > 0 THEN "t1"."arr" ELSE CAST([NULL] AS INTEGER[]) END)) AS col FROM (SELECT * FROM "arrs") AS "t1"("id", "arr", "m", "st")) AS "t1"("id", "arr", "m", "st", "c")
