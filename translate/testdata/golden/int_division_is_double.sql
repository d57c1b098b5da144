-- SELECT a / b, a DIV b, a % b FROM nums
SELECT (CAST("t1"."a" AS DOUBLE) / NULLIF(CAST("t1"."b" AS DOUBLE), 0)) AS "_c0", (CAST("t1"."a" AS BIGINT) // NULLIF(CAST("t1"."b" AS BIGINT), 0)) AS "_c1", ("t1"."a" % NULLIF("t1"."b", 0)) AS "_c2" FROM (SELECT * FROM "nums") AS "t1"("a", "b", "d", "big", "s")
