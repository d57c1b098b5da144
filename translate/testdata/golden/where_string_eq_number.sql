-- SELECT key FROM src WHERE key = 86
SELECT "t1"."key" AS "key" FROM (SELECT * FROM "src") AS "t1"("key", "value") WHERE (TRY_CAST(trim("t1"."key") AS DOUBLE) = CAST(86 AS DOUBLE))
