#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (clang): the shell's input path
# the FAT driver (disk images) and the 9P client of Unilib-fs (server replies).
#
#   tests/fuzz/run.sh [SECONDS]      total time, default 60, split between
#                                    the targets; the corpora stay in
#                                    build/fuzz/corpus-<target> between runs
# Prints one [PASS]/[FAIL] line per target, like tests/run.sh; a crash
# leaves its input in build/fuzz/ (crash-*), to replay with:
# build/fuzz/fuzz_<target> FILE
set -u
cd "$(dirname "$0")/../.." || exit 2

secs=${1:-60}
out=build/fuzz
status=0
mkdir -p "$out/corpus-shell" "$out/corpus-fat" "$out/corpus-9p"
if ! command -v clang >/dev/null; then
	echo "[FAIL] fuzz: clang is not installed (apt-get install clang)"
	exit 1
fi
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=all -Iinclude -Itests/unit -Itests/unit/shim"

# fuzz_target NAME SECONDS SOURCES... -- LIBFUZZER-OPTIONS...
fuzz_target() {
	local name=$1 t=$2 srcs=() opts=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		srcs+=("$1")
		shift
	done
	shift
	opts=("$@")
	# shellcheck disable=SC2086
	if ! clang $CFLAGS "${srcs[@]}" -o "$out/fuzz_$name" >"$out/build-$name.log" 2>&1; then
		echo "[FAIL] fuzz $name: does not build, see $out/build-$name.log"
		status=1
		return
	fi
	if "$out/fuzz_$name" -max_total_time="$t" "${opts[@]}" -artifact_prefix="$out/" \
		"$out/corpus-$name" >"$out/fuzz-$name.log" 2>&1; then
		echo "[PASS] fuzz $name: $t s, $(grep -o 'exec/s: [0-9]*' "$out/fuzz-$name.log" | tail -1)"
	else
		echo "[FAIL] fuzz $name: see $out/fuzz-$name.log"
		tail -30 "$out/fuzz-$name.log"
		status=1
	fi
}

# Seed images for the FAT target: small FAT12 volumes with directories,
# long names and a file of several clusters (mkfs.fat and mtools).
seed_fat() {
	local dir=$out/corpus-fat tmp
	[ -n "$(ls -A "$dir")" ] && return
	command -v mkfs.fat >/dev/null && command -v mcopy >/dev/null || return
	tmp=$(mktemp -d)
	export MTOOLS_SKIP_CHECK=1 LC_ALL=C.UTF-8
	echo hello >"$tmp/a.txt"
	head -c 5000 /dev/zero | tr '\0' 'x' >"$tmp/b.bin"
	mkfs.fat -s 1 -r 16 -C "$dir/seed-empty.img" 64 >/dev/null
	cp "$dir/seed-empty.img" "$dir/seed-files.img"
	mmd -i "$dir/seed-files.img" ::/dir ::/dir/sub
	mcopy -i "$dir/seed-files.img" "$tmp/a.txt" "$tmp/b.bin" ::/
	mcopy -i "$dir/seed-files.img" "$tmp/a.txt" "::/dir/A long name ü.txt"
	mcopy -i "$dir/seed-files.img" "$tmp/b.bin" "::/dir/sub/Another long file name.bin"
	rm -rf "$tmp"
}

# A seed for the 9P target: a sound session and plausible replies to the
# requests the harness makes, in order (tests/fuzz/fuzz_9p.c).
seed_9p() {
	local dir=$out/corpus-9p
	[ -n "$(ls -A "$dir")" ] && return
	python3 - "$dir/seed-session" <<'PY'
import struct, sys
def m(t, body=b""):
    r = struct.pack("<IBH", 7 + len(body), t, 0) + body
    return struct.pack("<H", len(r)) + r
qd = struct.pack("<BIQ", 0x80, 0, 1)
qf = struct.pack("<BIQ", 0, 0, 2)
attr = struct.pack("<Q", 0x7ff) + qf + struct.pack("<IIIQQQQQ", 0o100644, 0, 0, 1, 0, 5, 4096, 1) + b"\0" * 64
ent = qf + struct.pack("<QB", 1, 8) + struct.pack("<H", 1) + b"x"
out = m(101, struct.pack("<I", 8192) + struct.pack("<H", 8) + b"9P2000.L") + m(105, qd)
out += m(25, attr) + m(27) + m(111, struct.pack("<H", 0)) + m(13, qd + struct.pack("<I", 0))
out += m(51) + m(41, struct.pack("<I", len(ent)) + ent) + m(41, struct.pack("<I", 0))
out += m(111, struct.pack("<H", 1) + qf) + m(25, attr) + m(111, struct.pack("<H", 0))
out += m(13, qf + struct.pack("<I", 0)) + m(117, struct.pack("<I", 5) + b"hello")
out += m(119, struct.pack("<I", 256)) + m(27) + m(51)
open(sys.argv[1], "wb").write(out)
PY
}

shell_secs=$((secs / 3))
p9_secs=$((secs / 3))
fat_secs=$((secs - shell_secs - p9_secs))
# -close_fd_mask=1: the commands' output (stdout) is not wanted.
fuzz_target shell "$shell_secs" shell/line_edit.c shell/line_ops.c shell/parse.c \
	shell/registry.c shell/cmd_help.c shell/cmd_mem.c shell/cmd_thread.c \
	tests/fuzz/fuzz_shell.c -- -max_len=2048 -close_fd_mask=1
seed_fat
fuzz_target fat "$fat_secs" fs/bcache.c fs/fat/fat_mount.c fs/fat/fat_table.c \
	fs/fat/fat_name.c fs/fat/fat_dir.c fs/fat/fat_dir_add.c fs/fat/fat_file.c \
	fs/fat/fat_node.c fs/fat/fat_vfs.c fs/fat/fat_rename.c fs/fat/fat_index.c tests/unit/fat_hostdev.c \
	tests/unit/kmutex_host.c tests/unit/fat_mm_host.c \
	tests/fuzz/fuzz_fat.c -- -max_len=65536 -timeout=10 -rss_limit_mb=1024
seed_9p
fuzz_target 9p "$p9_secs" fs/unilib/p9_msg.c fs/unilib/p9_client.c fs/unilib/unilib_fs.c fs/unilib/unilib_dir.c \
	tests/unit/kmutex_host.c tests/unit/fat_mm_host.c \
	tests/fuzz/fuzz_9p.c -- -max_len=16384 -timeout=10 -rss_limit_mb=1024
exit $status
