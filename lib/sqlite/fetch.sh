#!/bin/bash
# Fetch SQLite from Debian's source package (a pinned revision) and make
# its amalgamation (sqlite3.c) and shell (shell.c) with SQLite's own
# build, on the host (tclsh). Nothing of SQLite is kept in this
# repository; examples/sqlite/build.mk compiles the two files unmodified.
#
# Usage: lib/sqlite/fetch.sh    Result: build/deps/sqlite/ (sqlite3.c,
#                               shell.c, sqlite3.h, .stamp)
set -euo pipefail

SQLITE_PKG=sqlite3=3.40.1-2+deb12u2
SQLITE_DIR=sqlite3-3.40.1

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
deps=$root/build/deps
dest=$deps/sqlite
log=$deps/sqlite-fetch.log

stamp="$SQLITE_PKG $(cksum <"$0" | cut -d' ' -f1)"
if [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp" ]; then
	touch "$dest/.stamp"
	exit 0
fi
"$root/lib/apt_source.sh" "$SQLITE_PKG" "$SQLITE_DIR" "$deps/sqlite-src" "$log"
echo "sqlite: making the amalgamation (configure; make sqlite3.c shell.c)"
rm -rf "$dest" && mkdir -p "$dest"
if ! (cd "$dest" && "$deps/sqlite-src/configure" --disable-tcl --disable-readline &&
	make sqlite3.c shell.c) >>"$log" 2>&1; then
	tail -n 5 "$log" >&2
	echo "sqlite: the amalgamation failed, see $log" >&2
	exit 1
fi
echo "$stamp" >"$dest/.stamp"
