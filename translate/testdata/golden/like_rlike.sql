-- SELECT key FROM src WHERE value LIKE 'val\_8%' OR value RLIKE '^val_3'
SELECT "t1"."key" AS "key" FROM (SELECT * FROM "src") AS "t1"("key", "value") WHERE (("t1"."value" LIKE 'val\_8%' ESCAPE '\') OR regexp_matches("t1"."value", '^val_3'))
