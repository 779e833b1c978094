-- 10,000 rows in one transaction, an index, aggregates: written by the
-- guest, checked again after a reopen and by the host's sqlite3.
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, value REAL, grp INTEGER);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO t(name, value, grp) SELECT 'row-' || i, i * 0.5, i % 10 FROM n;
COMMIT;
CREATE INDEX t_grp ON t(grp);
SELECT 'count', count(*) FROM t;
SELECT 'sum', sum(value) FROM t;
SELECT 'groups', count(*) FROM (SELECT grp, avg(value) FROM t GROUP BY grp);
SELECT 'indexed', count(*) FROM t WHERE grp = 3;
PRAGMA integrity_check;
