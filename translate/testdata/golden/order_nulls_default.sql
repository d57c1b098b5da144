-- SELECT a FROM nul ORDER BY a
SELECT "t1"."a" AS "a" FROM (SELECT * FROM "nul") AS "t1"("a", "b") ORDER BY "a" ASC NULLS FIRST
