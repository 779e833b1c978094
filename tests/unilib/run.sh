#!/usr/bin/env bash
# Unilib-fs tests: the host directory shared over 9P2000.L, on microvm
# (QEMU's 9P server, virtio-9p) and linuxu (diod over a socket):
# the storage test app (fs_test) built with CONFIG_UNILIB_FS and without
# FAT or virtio-blk, its files checked byte for byte on the host; files
# the host writes read in the guest and back; 8 threads x 200 files;
# escapes out of the directory; fids of a crashed thread; a read-only
# share and a share removed under the guest (microvm); the server killed
# and restarted, under an application and under the shell, servers
# that break the protocol, never answer or answer after the deadline
# (linuxu); the shell's file commands on the
# share and beside a FAT disk; the image size against FAT on virtio-blk.
#
#   tests/unilib/run.sh [linuxu] [microvm] [virt] [riscv64]  (default: the
#   first two; virt (aarch64) and riscv64 run the checks common to both)
# Prints [PASS]/[FAIL] lines and "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2

plats=${*:-linuxu microvm}
W=build/tests/unilib
mkdir -p "$W"
W=$(realpath "$W")
passed=0
failed=0

pass() { echo "[PASS] $1"; passed=$((passed + 1)); }
fail() { echo "[FAIL] $1${2:+: $2}"; failed=$((failed + 1)); }

mk() { make --no-print-directory "$@" >>"$W/build.log" 2>&1 || fail "build $*" "see $W/build.log"; }

UNILIB_CFG="UNILIB_FS=y FS_FAT=n VIRTIO_BLK=n BLKDEV=n"
# shellcheck source=tests/platforms.sh
. tests/platforms.sh
img() { # PLAT APP [VARIANT]
	echo "$(plat_build_dir "$@")/unishyper.img"
}

# boot PLAT SHARE LOG APP [VARIANT] -- ARGS: its status is the result.
boot() {
	local plat=$1 share=$2 log=$3 app=$4 variant=
	shift 4
	[ "$1" != -- ] && { variant=$1; shift; }
	shift
	UNILIB=$share TIMEOUT=${TIMEOUT:-120} tools/run.sh "$plat" "$(img "$plat" "$app" "$variant")" "$@" 2>&1 |
		tr -d '\r' >"$log"
	return "${PIPESTATUS[0]}"
}

fresh() { rm -rf "$1" && mkdir -p "$1"; }

count_log() { # PREFIX LOG
	local line
	while IFS= read -r line; do
		case $line in
		"[PASS] "*) pass "$1${line#\[PASS\] }" ;;
		"[FAIL] "*) fail "$1${line#\[FAIL\] }" ;;
		esac
	done <"$2"
}

# fs_test write on the share, then every file checked on the host.
check_write() {
	local plat=$1 d=$W/$1-write log=$W/$1-write.log ok=1 f
	fresh "$d"
	boot "$plat" "$d" "$log" fs_test unilib -- write || ok=0
	grep -q '^fs_test: write ok$' "$log" || ok=0
	for f in "/made/deeper dir/A file with a long name.bin:1:100000" "/made/small.txt:2:5" \
		"/made/empty:3:0" "/made/big.bin:4:3145745" "/made/Ünïcødé 名前.txt:5:1234" \
		"/made/deeper dir/renamed.txt:6:777"; do
		local path=${f%%:*} rest=${f#*:}
		tests/storage/fsref.py content "${rest%%:*}" "${rest#*:}" >"$W/want.bin"
		cmp -s "$d$path" "$W/want.bin" || { ok=0; echo "  content differs: $path"; }
	done
	[ -e "$d/made/to delete" ] && { ok=0; echo "  deleted file still there"; }
	[ "$(wc -c <"$d/made/truncated")" = 1000 ] || { ok=0; echo "  truncate wrong"; }
	[ "$(ls "$d/made/many" | wc -l)" = 300 ] || { ok=0; echo "  /made/many has not 300 entries"; }
	[ "$(tail -1 "$d/made/stdio.txt")" = appended ] || { ok=0; echo "  append wrong"; }
	[ $ok = 1 ] && pass "$plat fs_test write: every file on the host byte for byte" ||
		fail "$plat fs_test write" "see $log"
	# And the guest's own listing of it agrees with the host's.
	boot "$plat" "$d" "$log.list" fs_test unilib -- list
	local st=$?
	grep -E '^(file|dir) ' "$log.list" | sort >"$log.got"
	tests/storage/fsref.py list "$d" | sort >"$log.want"
	if [ $st = 0 ] && cmp -s "$log.got" "$log.want"; then
		pass "$plat fs_test list: $(wc -l <"$log.want") entries as the host has them"
	else
		fail "$plat fs_test list" "status $st; diff $log.want $log.got"
	fi
}

# A tree made on the host, read by the guest.
check_hostmade() {
	local plat=$1 d=$W/$1-host log=$W/$1-host.log i
	fresh "$d"
	mkdir -p "$d/sub/deeper" "$d/many"
	printf 'hello\n' >"$d/hello.txt"
	: >"$d/empty"
	head -c 2000000 /dev/urandom >"$d/big.bin"
	printf 'unicode\n' >"$d/sub/Ünïcødé ñame.txt"
	printf 'nested\n' >"$d/sub/deeper/A long file name with spaces.text"
	for i in $(seq 1 1000); do printf '%d\n' "$i" >"$d/many/entry-$i.txt"; done
	boot "$plat" "$d" "$log" fs_test unilib -- list
	local st=$?
	grep -E '^(file|dir) ' "$log" | sort >"$log.got"
	tests/storage/fsref.py list "$d" | sort >"$log.want"
	if [ $st = 0 ] && cmp -s "$log.got" "$log.want"; then
		pass "$plat host-made tree read by the guest exactly ($(wc -l <"$log.want") entries)"
	else
		fail "$plat host-made tree" "status $st; diff $log.want $log.got"
	fi
	printf 'made on the host\n' >"$d/from_host.txt"
	boot "$plat" "$d" "$log.rw" unilib_test -- hostread
	if grep -q '^unilib_test: host says: made on the host$' "$log.rw" &&
		[ "$(cat "$d/from_guest.txt" 2>/dev/null)" = "written by the guest" ]; then
		pass "$plat host file read in the guest, guest file read on the host"
	else
		fail "$plat host/guest exchange" "see $log.rw"
	fi
}

check_errors() {
	local plat=$1 d=$W/$1-errors log=$W/$1-errors.log
	fresh "$d"
	boot "$plat" "$d" "$log" fs_test unilib -- errors
	local st=$?
	count_log "$plat " "$log"
	[ $st = 0 ] || fail "$plat fs_test errors" "status $st, see $log"
}

check_threads() { # PLAT [SMP]
	local plat=$1 d=$W/$1-threads log=$W/$1-threads${2:+-smp$2}.log
	fresh "$d"
	SMP=${2:-1} boot "$plat" "$d" "$log" unilib_test -- threads 8 200
	local st=$?
	if [ $st = 0 ] && grep -q '^unilib_test: threads ok$' "$log" &&
		python3 - "$d" <<'PY'; then
import os, sys
d = sys.argv[1]
for t in range(8):
    names = os.listdir(f"{d}/t{t}")
    assert len(names) == 200, (t, len(names))
    for i in range(200):
        n = 100 + (t * 977 + i * 131) % 3000
        want = bytes(ord('a') + (t * 7 + i * 13 + k) % 26 for k in range(n))
        assert open(f"{d}/t{t}/f{i}", "rb").read() == want, (t, i)
PY
		pass "$plat${2:+ smp$2} 8 threads x 200 files: counts and contents right on the host ($(grep -o 'at most [0-9]* in flight' "$log"))"
	else
		fail "$plat threads" "status $st, see $log"
	fi
}

check_escape() {
	local plat=$1 d=$W/$1-escape log=$W/$1-escape.log before after
	fresh "$d"
	mkdir -p "$d/share" "$d/outside"
	printf 'secret\n' >"$d/outside.txt"
	printf 'secret too\n' >"$d/outside/outside.txt"
	printf 'inside\n' >"$d/share/inside.txt"
	ln -s "$d/outside.txt" "$d/share/link_file"
	ln -s "$d/outside" "$d/share/link_dir"
	before=$(cd "$d" && find . -path ./share -prune -o -type f -print0 | sort -z | xargs -0 sha1sum; stat -c '%n %X %Y' outside.txt outside/outside.txt)
	boot "$plat" "$d/share" "$log" unilib_test -- escape
	local st=$?
	count_log "$plat escape: " "$log"
	after=$(cd "$d" && find . -path ./share -prune -o -type f -print0 | sort -z | xargs -0 sha1sum; stat -c '%n %X %Y' outside.txt outside/outside.txt)
	if [ $st = 0 ] && [ "$before" = "$after" ]; then
		pass "$plat escape: files outside the share unread and unchanged"
	else
		fail "$plat escape" "status $st or files outside changed, see $log"
	fi
}

check_fids() {
	local plat=$1 d=$W/$1-fids log=$W/$1-fids.log
	fresh "$d"
	boot "$plat" "$d" "$log" unilib_test -- fids
	if [ $? = 0 ] && grep -q '^unilib_test: fids ok$' "$log"; then
		pass "$plat a crashed thread's 40 open files: fids back to $(sed -n 's/.*after the crash \([0-9]*\)$/\1/p' "$log")"
	else
		fail "$plat fids" "see $log"
	fi
}

check_readonly() {
	local d=$W/ro log=$W/microvm-ro.log
	fresh "$d"
	printf 'hi\n' >"$d/from_host.txt"
	UNILIB_RO=1 boot microvm "$d" "$log" unilib_test -- readonly
	local st=$?
	count_log "microvm read-only share: " "$log"
	[ $st = 0 ] && [ "$(cat "$d/from_host.txt")" = hi ] ||
		fail "microvm read-only share" "status $st, see $log"
}

# The shell's file commands on the share, typed in.
check_shell() {
	local plat=$1 d=$W/$1-shell log=$W/$1-shell.log ok=1 re
	fresh "$d"
	printf 'made on the host\n' >"$d/from_host.txt"
	printf '%s\n' "ls /" "cat /from_host.txt" "mkdir /dir_from_shell" \
		"write /dir_from_shell/note.txt hello from the shell" \
		"mv /dir_from_shell/note.txt /note.txt" "stat /note.txt" "df /" "cat /nothing" \
		"rmdir /dir_from_shell" "unilib" "poweroff" >"$W/shell.in"
	UNILIB=$d TIMEOUT=60 tools/run.sh "$plat" "$(img "$plat" shell unilib)" <"$W/shell.in" 2>&1 |
		tr -d '\r' >"$log"
	[ "${PIPESTATUS[0]}" = 0 ] || ok=0
	for re in '^from_host.txt$' '^made on the host$' '^9p ' 'cat: /nothing: No such file' \
		'^unilib-fs: [0-9]+ requests, 0 in flight \(at most [0-9]+\), [0-9]+ fids held, 0 errors$'; do
		grep -Eq "$re" "$log" || { ok=0; echo "  console lacks /$re/"; }
	done
	[ "$(cat "$d/note.txt" 2>/dev/null)" = "hello from the shell" ] || { ok=0; echo "  note.txt wrong"; }
	[ -e "$d/dir_from_shell" ] && { ok=0; echo "  rmdir did not happen"; }
	[ $ok = 1 ] && pass "$plat shell session on the share: ls, cat, mkdir, write, mv, stat, df, rmdir" ||
		fail "$plat shell session" "see $log"
}

# Beside a FAT disk: the share on /host by default, or where unilib= says.
check_beside_fat() {
	local plat=$1 d=$W/$1-beside log=$W/$1-beside.log disk=$W/$1-beside.img ok=1
	fresh "$d"
	printf 'made on the host\n' >"$d/from_host.txt"
	rm -f "$disk" && mkfs.fat -C -F 16 "$disk" 32768 >/dev/null
	printf '%s\n' "cat /host/from_host.txt" "write /on_fat.txt fat" "write /host/on_host.txt host" \
		"ls /" "poweroff" >"$W/beside.in"
	DISK=$disk UNILIB=$d TIMEOUT=60 tools/run.sh "$plat" "$(img "$plat" shell both)" <"$W/beside.in" 2>&1 |
		tr -d '\r' >"$log"
	[ "${PIPESTATUS[0]}" = 0 ] || ok=0
	grep -q '^made on the host$' "$log" && grep -q '^on_fat.txt$' "$log" || ok=0
	[ "$(cat "$d/on_host.txt" 2>/dev/null)" = host ] && [ ! -e "$d/on_fat.txt" ] || ok=0
	MTOOLS_SKIP_CHECK=1 mtype -i "$disk" ::/on_fat.txt 2>/dev/null | grep -q '^fat$' || ok=0
	printf '%s\n' "cat /mnt/from_host.txt" "poweroff" >"$W/beside.in"
	DISK=$disk UNILIB=$d TIMEOUT=60 tools/run.sh "$plat" "$(img "$plat" shell both)" unilib=/mnt -- \
		<"$W/beside.in" 2>&1 | tr -d '\r' >"$log.mnt"
	grep -q '^made on the host$' "$log.mnt" || ok=0
	[ $ok = 1 ] && pass "$plat beside a FAT disk: the share on /host, or on /mnt with unilib=/mnt" ||
		fail "$plat beside a FAT disk" "see $log"
}

# diod serving DIR on 127.0.0.1:PORT, in the background ($! its pid). It
# is stopped with SIGKILL: diod 1.0.24 may fault (and dump core) in its
# SIGTERM shutdown.
start_diod() { # PORT DIR
	diod -f -n -l "127.0.0.1:$1" -e "$2" -L /dev/null &
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() { # LOG REGEX SECONDS
	local i
	for i in $(seq 1 $(($3 * 10))); do
		grep -Eq "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

wait_listen() { # PORT
	local i
	for i in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# linuxu: diod killed in the middle, calls fail with EIO, diod started
# again, calls work again.
check_loss() {
	local d=$W/loss log=$W/linuxu-loss.log port dpid gpid st
	fresh "$d"
	port=$(free_port)
	start_diod "$port" "$d"; dpid=$!
	wait_listen "$port"
	UNILIB_SERVER=tcp:$port:$d TIMEOUT=120 tools/run.sh linuxu "$(img linuxu unilib_test)" loss \
		>"$log" 2>&1 & gpid=$!
	if wait_for "$log" '^unilib_test: up$' 60; then
		kill -9 "$dpid"; wait "$dpid" 2>/dev/null
		wait_for "$log" '^unilib_test: lost' 60
		start_diod "$port" "$d"; dpid=$!
	fi
	wait "$gpid"; st=$?
	kill -9 "$dpid" 2>/dev/null; wait "$dpid" 2>/dev/null
	if [ $st = 0 ] && grep -q 'lost after [0-9]* rounds: I/O error' "$log" &&
		grep -q '^unilib_test: loss ok$' "$log"; then
		pass "linuxu server killed: EIO at once, works again when it is back"
	else
		fail "linuxu server loss" "status $st, see $log"
	fi
}

# linuxu: the shell stays usable while the server is gone, and file
# commands work again once it is back. Input goes through a FIFO, one
# step after the console showed the last.
check_shell_loss() {
	local d=$W/shloss log=$W/linuxu-shell-loss.log fifo=$W/shell.fifo port dpid gpid ok=1 st
	fresh "$d"
	rm -f "$fifo" && mkfifo "$fifo"
	port=$(free_port)
	start_diod "$port" "$d"; dpid=$!
	wait_listen "$port"
	UNILIB_SERVER=tcp:$port:$d TIMEOUT=120 tools/run.sh linuxu "$(img linuxu shell unilib)" \
		<"$fifo" >"$log" 2>&1 & gpid=$!
	exec 7>"$fifo"
	echo "write /a.txt one" >&7
	echo "cat /a.txt" >&7
	wait_for "$log" '^one$' 30 || ok=0
	kill -9 "$dpid"; wait "$dpid" 2>/dev/null
	echo "cat /a.txt" >&7
	wait_for "$log" '^cat: /a.txt: I/O error$' 30 || { ok=0; echo "  no EIO"; }
	echo "echo still here" >&7
	wait_for "$log" '^still here$' 30 || { ok=0; echo "  shell not usable"; }
	start_diod "$port" "$d"; dpid=$!
	wait_listen "$port"
	echo "write /b.txt two" >&7
	echo "cat /b.txt" >&7
	wait_for "$log" '^two$' 30 || { ok=0; echo "  not back"; }
	echo "poweroff" >&7
	exec 7>&-
	wait "$gpid"; st=$?
	kill -9 "$dpid" 2>/dev/null; wait "$dpid" 2>/dev/null
	[ $st = 0 ] && [ "$(cat "$d/b.txt" 2>/dev/null)" = two ] || ok=0
	[ $ok = 1 ] && pass "linuxu shell with the server killed: I/O error, shell usable, works again" ||
		fail "linuxu shell with the server killed" "status $st, see $log"
}

# microvm: the shared directory removed while the guest works in it: the
# next call fails at once (the host's error), nothing hangs.
check_gone() {
	local d=$W/gone log=$W/microvm-gone.log gpid st
	fresh "$d/share"
	UNILIB=$d/share TIMEOUT=120 tools/run.sh microvm "$(img microvm unilib_test)" loss gone \
		>"$log" 2>&1 & gpid=$!
	# The guest keeps making a file in it: remove until it is gone. (The
	# console's lines end in CR LF here.)
	if wait_for "$log" '^unilib_test: up' 60; then
		for _ in $(seq 1 50); do
			rm -rf "$d/share" 2>/dev/null
			[ -e "$d/share" ] || break
		done
	fi
	wait "$gpid"; st=$?
	tr -d '\r' <"$log" >"$log.txt"
	if [ $st = 0 ] && grep -q '^unilib_test: lost after' "$log.txt" &&
		grep -q '^unilib_test: loss ok$' "$log.txt"; then
		pass "microvm share removed: $(sed -n 's/^unilib_test: lost after [0-9]* rounds: //p' "$log.txt") at once, no hang"
	else
		fail "microvm share removed" "status $st, see $log"
	fi
}

check_hostile() {
	local log mode port hpid st
	for mode in tag huge short count ecode0 close; do
		log=$W/linuxu-hostile-$mode.log
		port=$(free_port)
		python3 tests/unilib/hostile9p.py "$port" "$mode" & hpid=$!
		wait_listen "$port"
		UNILIB_SERVER=tcp:$port TIMEOUT=60 tools/run.sh linuxu "$(img linuxu unilib_test)" hostile 3 \
			>"$log" 2>&1
		st=$?
		kill "$hpid" 2>/dev/null; wait "$hpid" 2>/dev/null
		if [ $st = 0 ] && [ "$(grep -c ': I/O error$' "$log")" = 3 ]; then
			pass "linuxu hostile server ($mode): EIO each time, no hang, no crash"
		else
			fail "linuxu hostile server ($mode)" "status $st, see $log"
		fi
	done
}

# linuxu: a server that answers the session, then nothing, keeping the
# connection open. With a 1 s deadline (unilib_timeout=1000) every call,
# in 4 threads at once, fails with EIO instead of waiting for ever, and
# the log names a request that timed out.
check_silent() {
	local log=$W/linuxu-silent.log port hpid st
	port=$(free_port)
	python3 tests/unilib/hostile9p.py "$port" silent & hpid=$!
	wait_listen "$port"
	UNILIB_SERVER=tcp:$port TIMEOUT=40 tools/run.sh linuxu "$(img linuxu unilib_test)" \
		unilib_timeout=1000 -- hostile 2 4 >"$log" 2>&1
	st=$?
	kill "$hpid" 2>/dev/null; wait "$hpid" 2>/dev/null
	if [ $st = 0 ] && [ "$(grep -c ': I/O error$' "$log")" = 8 ] &&
		grep -q 'no reply to 9P request type 110 tag' "$log"; then
		pass "linuxu silent server: EIO after the deadline in every thread, no hang"
	else
		fail "linuxu silent server" "status $st, see $log"
	fi
}

# linuxu: the first request's reply comes after its deadline; the calls
# after it get their own replies, never the late one.
check_late() {
	local log=$W/linuxu-late.log port hpid st
	port=$(free_port)
	python3 tests/unilib/hostile9p.py "$port" late 3 & hpid=$!
	wait_listen "$port"
	UNILIB_SERVER=tcp:$port TIMEOUT=40 tools/run.sh linuxu "$(img linuxu unilib_test)" \
		unilib_timeout=1000 -- late 3 >"$log" 2>&1
	st=$?
	kill "$hpid" 2>/dev/null; wait "$hpid" 2>/dev/null
	if [ $st = 0 ] && grep -q '^unilib_test: late 0: I/O error$' "$log" &&
		[ "$(grep -c '^unilib_test: late [12]: No such file or directory$' "$log")" = 2 ]; then
		pass "linuxu late reply: EIO after the deadline, the late reply reaches no later call"
	else
		fail "linuxu late reply" "status $st, see $log"
	fi
}

# linuxu: the shell against a silent server: I/O error after the
# deadline, the shell goes on, and files work once a good server (diod)
# takes the port.
check_shell_silent() {
	local d=$W/shsilent log=$W/linuxu-shell-silent.log fifo=$W/silent.fifo port hpid dpid gpid ok=1 st
	fresh "$d"
	rm -f "$fifo" && mkfifo "$fifo"
	trap '' PIPE # a shell that hung and was stopped must not stop the script
	port=$(free_port)
	start_diod "$port" "$d"; dpid=$!
	wait_listen "$port"
	UNILIB_SERVER=tcp:$port:$d TIMEOUT=60 tools/run.sh linuxu "$(img linuxu shell unilib)" \
		unilib_timeout=1000 -- <"$fifo" >"$log" 2>&1 & gpid=$!
	exec 7>"$fifo"
	echo "write /a.txt one" >&7
	echo "cat /a.txt" >&7
	wait_for "$log" '^one$' 30 || ok=0
	kill -9 "$dpid"; wait "$dpid" 2>/dev/null
	python3 tests/unilib/hostile9p.py "$port" silent & hpid=$!
	wait_listen "$port"
	echo "cat /a.txt" >&7
	wait_for "$log" '^cat: /a.txt: I/O error$' 30 || ok=0
	echo "cat /a.txt" >&7
	wait_for "$log" 'no reply to 9P request' 30 || { ok=0; echo "  no timeout"; }
	echo "echo still here" >&7
	wait_for "$log" '^still here$' 30 || { ok=0; echo "  shell not usable"; }
	kill "$hpid"; wait "$hpid" 2>/dev/null
	start_diod "$port" "$d"; dpid=$!
	wait_listen "$port"
	echo "write /b.txt two" >&7
	echo "cat /b.txt" >&7
	wait_for "$log" '^two$' 30 || { ok=0; echo "  not back"; }
	echo "poweroff" >&7
	exec 7>&-
	trap - PIPE
	wait "$gpid"; st=$?
	kill -9 "$dpid" 2>/dev/null; wait "$dpid" 2>/dev/null
	[ $st = 0 ] && [ "$(cat "$d/b.txt" 2>/dev/null)" = two ] || ok=0
	[ $ok = 1 ] && pass "linuxu shell with a silent server: I/O error after the deadline, shell usable, works again" ||
		fail "linuxu shell with a silent server" "status $st, see $log"
}

check_size() {
	local plat=$1 fat uni
	fat=$(stat -c %s "$(img "$plat" fs_test)")
	uni=$(stat -c %s "$(img "$plat" fs_test unilib)")
	if [ "$uni" -lt "$fat" ]; then
		pass "$plat fs_test image: $uni bytes on Unilib-fs, $fat on FAT + virtio-blk ($((fat - uni)) saved)"
	else
		fail "$plat image size" "Unilib-fs $uni bytes, FAT $fat"
	fi
	if nm "$(plat_build_dir "$plat" fs_test unilib)/kernel.elf" | grep -Eq ' (fat_|bcache_|vblk_|blkdev_)'; then
		fail "$plat Unilib-fs image links FAT or block code"
	else
		pass "$plat Unilib-fs image links no FAT, block cache or block driver"
	fi
}

for plat in $plats; do
	m=$(plat_machine "$plat")
	a=$(plat_arch "$plat")
	mk ARCH=$a MACHINE=$m APP=fs_test VARIANT=unilib CONFIG_EXTRA="$UNILIB_CFG"
	mk ARCH=$a MACHINE=$m APP=fs_test
	mk ARCH=$a MACHINE=$m APP=unilib_test
	mk ARCH=$a MACHINE=$m APP=shell VARIANT=unilib CONFIG_EXTRA="$UNILIB_CFG"
	mk ARCH=$a MACHINE=$m APP=shell VARIANT=both CONFIG_EXTRA="UNILIB_FS=y"
	check_write "$plat"
	check_hostmade "$plat"
	check_errors "$plat"
	check_threads "$plat"
	[ "$plat" != linuxu ] && check_threads "$plat" 2
	check_escape "$plat"
	check_fids "$plat"
	check_size "$plat"
	check_shell "$plat"
	check_beside_fat "$plat"
	if [ "$plat" = microvm ]; then
		check_readonly
		check_gone
	fi
	if [ "$plat" = linuxu ]; then
		check_loss
		check_shell_loss
		check_hostile
		check_silent
		check_late
		check_shell_silent
	fi
done

echo "$passed passed, $failed failed"
[ $failed = 0 ]
