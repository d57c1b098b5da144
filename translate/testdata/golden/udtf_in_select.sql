-- SELECT id, explode(arr) FROM arrs
SELECT "t1"."id" AS "id", "t1"."col" AS "col" FROM (SELECT "t1".*, unnest("t1"."arr") AS col FROM (SELECT * FROM "arrs") AS "t1"("id", "arr", "m", "st")) AS "t1"("id", "arr", "m", "st", "col")
