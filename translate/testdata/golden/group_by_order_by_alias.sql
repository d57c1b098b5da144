-- SELECT key, count(*) AS c FROM src GROUP BY key ORDER BY c DESC, key LIMIT 3
SELECT "t1"."key" AS "key", count(*) AS "c" FROM (SELECT * FROM "src") AS "t1"("key", "value") GROUP BY "t1"."key" ORDER BY "c" DESC NULLS LAST, "key" ASC NULLS FIRST LIMIT 3
