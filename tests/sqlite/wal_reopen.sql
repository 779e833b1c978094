-- A database left in WAL mode, opened again.
SELECT 'wal reopened', count(*) FROM w;
INSERT INTO w(v) VALUES ('one more');
SELECT 'wal rows now', count(*) FROM w;
PRAGMA integrity_check;
