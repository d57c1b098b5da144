-- SELECT key FROM part WHERE ds = '1' AND key > 0
SELECT "t1"."key" AS "key" FROM (SELECT * FROM "part" WHERE ("ds" = '1')) AS "t1"("key", "value", "ds") WHERE (("t1"."ds" = '1') AND ("t1"."key" > 0))
