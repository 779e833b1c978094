#!/usr/bin/env bash
# Real programs against the same programs on the host, in one run: Lua's
# fib(30) CPU time, SQLite's 10,000 inserts and 1,000 queries, nginx's
# requests per second with wrk. The unikernel side is linuxu (and microvm
# for relative figures); the host side is the same Debian source built with
# the host's gcc and glibc (Lua, SQLite) or Debian's nginx-light.
#
#   tools/bench/software_bench.sh [RUNS]     (default 5; medians)
# Writes build/bench/software.md. Needs wrk and nginx-light (apt-get
# install wrk nginx-light) for the nginx part, root for linuxu's tap.
set -u
cd "$(dirname "$0")/../.."
runs=${1:-5}
out=build/bench/software
mkdir -p "$out"
md=build/bench/software.md

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

echo "software bench: building"
for app in lua sqlite nginx; do
	for m in linuxu qemu; do
		make --no-print-directory MACHINE=$m APP=$app >"$out/build-$app-$m.log" 2>&1 ||
			{ echo "build $app $m failed: $out/build-$app-$m.log"; exit 1; }
	done
done
lua_src=build/deps/lua/src
gcc -O2 -DLUA_COMPAT_5_3 -DLUA_USE_POSIX -w -o "$out/lua-glibc" \
	$(ls $lua_src/*.c | grep -v -e /luac.c -e /onelua.c) -lm
gcc -O2 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_THREADSAFE=1 -DHAVE_USLEEP=1 \
	-DSQLITE_DEFAULT_MEMSTATUS=0 -w -Ibuild/deps/sqlite -o "$out/sqlite-glibc" \
	build/deps/sqlite/sqlite3.c build/deps/sqlite/shell.c -lpthread -lm

# ---------------------------------------------------------------- Lua
cat >"$out/fib.lua" <<'LUA'
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local t, r = os.clock()
for _ = 1, 10 do r = fib(30) end
print(string.format("fib(30)=%d cpu %.4f s", r, (os.clock() - t) / 10))
LUA
lua_disk=$out/lua.img
rm -f "$lua_disk"
mkfs.fat -C -F 16 "$lua_disk" 16384 >/dev/null
MTOOLS_SKIP_CHECK=1 mcopy -i "$lua_disk" "$out/fib.lua" ::/
lua_cpu() { sed -n 's/.*cpu \([0-9.]*\) s.*/\1/p' | head -1; }
echo "software bench: Lua fib(30) (each run: ten, CPU time / 10), $runs runs each"
for i in $(seq 1 "$runs"); do
	DISK=$lua_disk TIMEOUT=300 tools/run.sh linuxu build/x86_64-linuxu-lua/unishyper.img /fib.lua | lua_cpu
done | median >"$out/lua-linuxu"
for i in $(seq 1 "$runs"); do
	DISK=$lua_disk TIMEOUT=300 tools/run.sh microvm build/x86_64-microvm-lua/unishyper.img /fib.lua |
		tr -d '\r' | lua_cpu
done | median >"$out/lua-microvm"
for i in $(seq 1 "$runs"); do (cd "$out" && ./lua-glibc fib.lua) | lua_cpu; done | median >"$out/lua-host"

# ---------------------------------------------------------------- SQLite
{
	echo "CREATE TABLE t(id INTEGER PRIMARY KEY, grp INTEGER, name TEXT);"
	echo "BEGIN;"
	for i in $(seq 1 10000); do echo "INSERT INTO t VALUES($i, $((i % 97)), 'name $i');"; done
	echo "COMMIT;"
	for i in $(seq 1 1000); do echo "SELECT count(*), max(name) FROM t WHERE grp = $((i % 97)) AND id > $i;"; done
} >"$out/bench.sql"
sql_disk=$out/sqlite.img
# Wall time of one whole run (the unikernel's boot, some milliseconds,
# included), the database a new file each time.
sql_unikernel() {
	rm -f "$sql_disk"
	mkfs.fat -C -F 32 "$sql_disk" 65536 >/dev/null
	MTOOLS_SKIP_CHECK=1 mcopy -i "$sql_disk" "$out/bench.sql" ::/
	local t0 t1
	t0=$(date +%s.%N)
	DISK=$sql_disk TIMEOUT=600 tools/run.sh "$1" "build/x86_64-$1-sqlite/unishyper.img" /b.db \
		".read /bench.sql" >/dev/null 2>&1
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc
}
sql_host() {
	rm -f "$out/b.db"
	local t0 t1
	t0=$(date +%s.%N)
	"$out/sqlite-glibc" "$out/b.db" ".read $out/bench.sql" >/dev/null 2>&1
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc
}
echo "software bench: SQLite, $runs runs each"
for i in $(seq 1 "$runs"); do sql_unikernel linuxu; done | median >"$out/sqlite-linuxu"
for i in $(seq 1 "$runs"); do sql_unikernel microvm; done | median >"$out/sqlite-microvm"
for i in $(seq 1 "$runs"); do sql_host; done | median >"$out/sqlite-host"

ratio() { echo "scale=2; $1 / $2" | bc 2>/dev/null; }

# ---------------------------------------------------------------- nginx
. tools/bench/nginx_bench.sh
{
	echo "### Real programs against Linux ($(date -u +%Y-%m-%d), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, medians of $runs)"
	echo
	echo "Host side: Lua and SQLite from the same Debian sources with the host's gcc -O2 and"
	echo "glibc (SQLite's database on the host's file system, the unikernel's on a FAT32 image);"
	echo "nginx-light on the host's loopback. linuxu's nginx is reached through a tap device in a"
	echo "network namespace (wrk inside it), microvm's through QEMU user networking."
	echo
	echo "| program | linuxu | host Linux (glibc) | linuxu / host | microvm |"
	echo "| --- | --- | --- | --- | --- |"
	echo "| Lua fib(30), CPU s (os.clock, mean of 10 in a run) | $(cat "$out/lua-linuxu") | $(cat "$out/lua-host") | $(ratio "$(cat "$out/lua-linuxu")" "$(cat "$out/lua-host")") | $(cat "$out/lua-microvm") |"
	echo "| SQLite 10,000 inserts + 1,000 queries, wall s | $(cat "$out/sqlite-linuxu") | $(cat "$out/sqlite-host") | $(ratio "$(cat "$out/sqlite-linuxu")" "$(cat "$out/sqlite-host")") | $(cat "$out/sqlite-microvm") |"
	cat "$out/nginx-rows.md" 2>/dev/null
} >"$md"
cat "$md"
