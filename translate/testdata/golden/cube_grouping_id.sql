-- SELECT key, val, GROUPING__ID FROM t1 GROUP BY key, val WITH CUBE
SELECT "t1"."key" AS "key", "t1"."val" AS "val", CAST(GROUPING("t1"."key", "t1"."val") AS BIGINT) AS "_c2" FROM (SELECT * FROM "t1") AS "t1"("key", "val") GROUP BY CUBE ("t1"."key", "t1"."val")
