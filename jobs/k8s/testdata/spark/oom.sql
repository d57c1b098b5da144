SELECT count(*) FROM big;
SELECT * FROM big ORDER BY 1;
