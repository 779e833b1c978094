-- Write-ahead logging: the -wal and -shm files, readers beside a writer.
PRAGMA journal_mode=WAL;
CREATE TABLE w(k INTEGER PRIMARY KEY, v TEXT);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO w(v) SELECT hex(randomblob(16)) FROM n;
COMMIT;
SELECT 'wal rows', count(*) FROM w;
PRAGMA wal_checkpoint(TRUNCATE);
PRAGMA integrity_check;
SELECT 'mode', * FROM pragma_journal_mode;
