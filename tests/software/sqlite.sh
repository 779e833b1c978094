# SQLite from Debian's source, unmodified, with its default unix VFS
# (examples/sqlite): 10,000 inserts in a transaction, an index,
# aggregates, a reopen, VACUUM, write-ahead logging; the database is then
# checked by the host's sqlite3 and the disk by fsck.fat. On linuxu and
# microvm. Sourced by tests/run.sh (tier software).
# shellcheck shell=bash

sqlite_disk=$LOGDIR/sqlite.img
# SOFTWARE_PLATS=virt: on aarch64 (tests/aarch64.sh)
for plat in ${SOFTWARE_PLATS:-linuxu microvm}; do
	rm -f "$sqlite_disk"
	mkfs.fat -C -F 32 "$sqlite_disk" 65536 >/dev/null
	MTOOLS_SKIP_CHECK=1 mcopy -i "$sqlite_disk" tests/sqlite/*.sql ::/
	build sqlite-$plat $(machine_args $plat) APP=sqlite ||
		continue
	DISK=$sqlite_disk boot_case "$plat-sqlite-create" $plat sqlite 0 /test.db ".read /create.sql" -- \
		'^count\|10000$' '^sum\|25002500.0$' '^groups\|10$' '^indexed\|1000$' '^ok$'
	DISK=$sqlite_disk boot_case "$plat-sqlite-reopen" $plat sqlite 0 /test.db ".read /check.sql" -- \
		'^reopened\|10000\|25002500.0$' 'USING INDEX t_grp' '^after delete\|5000$' '^ok$'
	DISK=$sqlite_disk boot_case "$plat-sqlite-wal" $plat sqlite 0 /wal.db ".read /wal.sql" -- \
		'^wal$' '^wal rows\|2000$' '^mode\|wal$' '^ok$'
	DISK=$sqlite_disk boot_case "$plat-sqlite-wal-reopen" $plat sqlite 0 /wal.db \
		".read /wal_reopen.sql" -- '^wal reopened\|2000$' '^wal rows now\|2001$' '^ok$'
	boot_case "$plat-sqlite-error" $plat sqlite 1 :memory: "SELECT * FROM nowhere;" -- \
		'no such table: nowhere'
	host_db=$LOGDIR/sqlite-$plat.db
	rm -f "$host_db"
	if MTOOLS_SKIP_CHECK=1 mcopy -i "$sqlite_disk" ::/test.db "$host_db" &&
		[ "$(sqlite3 "$host_db" 'PRAGMA integrity_check; SELECT count(*) FROM t;' | tr '\n' ' ')" = "ok 5000 " ]; then
		pass "$plat-sqlite: the host's sqlite3 reads the database (integrity ok, 5000 rows)"
	else
		fail "$plat-sqlite: the host's sqlite3 does not accept the database"
	fi
	if fsck.fat -n "$sqlite_disk" >/dev/null 2>&1; then
		pass "$plat-sqlite: the disk is clean (fsck.fat -n)"
	else
		fail "$plat-sqlite: fsck.fat -n finds the disk damaged"
	fi
done
