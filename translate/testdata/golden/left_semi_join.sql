-- SELECT a.key FROM src a LEFT SEMI JOIN t1 b ON a.key = b.key
SELECT "t1"."key" AS "key" FROM (SELECT * FROM "src") AS "t1"("key", "value") SEMI JOIN (SELECT * FROM "t1") AS "t2"("key", "val") ON ("t1"."key" = "t2"."key")
