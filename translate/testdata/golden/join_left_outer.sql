-- SELECT a.key, b.value FROM src a LEFT OUTER JOIN src b ON a.key = b.key AND b.value <> 'val_86'
SELECT "t1"."key" AS "key", "t2"."value" AS "value" FROM (SELECT * FROM "src") AS "t1"("key", "value") LEFT JOIN (SELECT * FROM "src") AS "t2"("key", "value") ON (("t1"."key" = "t2"."key") AND ("t2"."value" <> 'val_86'))
