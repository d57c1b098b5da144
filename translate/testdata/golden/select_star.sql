-- SELECT * FROM src
SELECT "t1"."key" AS "key", "t1"."value" AS "value" FROM (SELECT * FROM "src") AS "t1"("key", "value")
