-- After a reopen: the data, the index and the file as a whole.
SELECT 'reopened', count(*), sum(value) FROM t;
EXPLAIN QUERY PLAN SELECT * FROM t WHERE grp = 7;
DELETE FROM t WHERE id % 2 = 0;
SELECT 'after delete', count(*) FROM t;
VACUUM;
PRAGMA integrity_check;
