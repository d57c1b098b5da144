-- SELECT arr[0], arr[5], m['x'], st.a, arrs.st.b FROM arrs
SELECT list_extract("t1"."arr", 1) AS "_c0", list_extract("t1"."arr", 6) AS "_c1", "t1"."m"['x'] AS "_c2", struct_extract("t1"."st", 'a') AS "a", struct_extract("t1"."st", 'b') AS "b" FROM (SELECT * FROM "arrs") AS "t1"("id", "arr", "m", "st")
