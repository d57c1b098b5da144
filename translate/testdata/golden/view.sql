-- SELECT * FROM v_src
SELECT "t4"."k" AS "k" FROM (WITH "cte_q1_2"("key") AS (SELECT "t1"."key" AS "key" FROM (SELECT * FROM "src") AS "t1"("key", "value") WHERE ("t1"."key" = '86')) SELECT "t3"."key" AS "key" FROM "cte_q1_2" AS "t3"("key")) AS "t4"("k")
