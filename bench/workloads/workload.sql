-- sqlite3: inserts in a transaction, an index, aggregates and a join.
CREATE TABLE t(a INTEGER PRIMARY KEY, b INTEGER, c TEXT);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 20000)
INSERT INTO t(b, c) SELECT (i * 7919) % 1000, printf('row-%d', i) FROM r;
CREATE INDEX tb ON t(b);
SELECT count(*), sum(b), max(length(c)) FROM t;
SELECT b, count(*) FROM t GROUP BY b ORDER BY count(*) DESC, b LIMIT 3;
SELECT count(*) FROM t x JOIN t y ON x.b = y.b WHERE x.a < 2000 AND y.a < 2000;
