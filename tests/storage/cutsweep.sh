#!/usr/bin/env bash
# Power cut at every write: for each workload of tests/apps/fs_test/cut.c
# (one per kind of operation) on FAT12, FAT16 and FAT32 with 512-byte
# clusters, the linuxu disk is cut after N writes for every N the workload
# makes (UNISHYPER_DISK_WRITE_LIMIT); each cut image must pass
# `fsck.fat -n` with nothing worse than lost clusters, differing FAT copies
# or orphaned long names, and the kernel must then read back every file
# synced before the cut and every directory and file it finds.
#
#   tests/storage/cutsweep.sh [KIND...]   (default: all kinds)
# Prints one [PASS]/[FAIL] line per type and kind, and "N passed, N failed".
# CUT_MAX=n samples at most n cut points per workload (default: all).
set -u
cd "$(dirname "$0")/../.." || exit 2

kinds=${*:-create write mkdir grow rename truncate delete}
W=build/tests/cutsweep
IMG=build/x86_64-linuxu-fs_test/unishyper.img
mkdir -p "$W"
passed=0
failed=0

pass() { echo "[PASS] $1"; passed=$((passed + 1)); }
fail() { echo "[FAIL] $1${2:+: $2}"; failed=$((failed + 1)); }

# shellcheck source=tests/storage/fsck_benign.sh
. tests/storage/fsck_benign.sh
# A rename in flight: both names on one chain (fsck keeps the first); a
# directory moved to another parent with ".." not yet changed.
BENIGN_RENAME='^(  Invalid '"'..'"' entry in the second slot\. Fixing\.|  share clusters\.|  Truncating second to 0 bytes\.|  File size is [0-9]+ bytes, cluster chain length is 0 bytes\.)$'

boot() { # DISK LOG [LIMIT] ARGS...
	local disk=$1 log=$2 limit=$3
	shift 3
	UNISHYPER_DISK_WRITE_LIMIT=$limit DISK=$disk TIMEOUT=30 tools/run.sh linuxu "$IMG" "$@" 2>&1 |
		tr -d '\r' >"$log"
	return "${PIPESTATUS[0]}"
}

fill_of() { # TYPE: filler clusters that put the extended file at a FAT sector's end
	case $1 in 12) echo 333 ;; 16) echo 248 ;; 32) echo 120 ;; esac
}

mkimage() { # IMG TYPE
	local kb
	case $2 in 12) kb=1500 ;; 16) kb=4096 ;; 32) kb=40960 ;; esac
	rm -f "$1"
	truncate -s "${kb}K" "$1"
	mkfs.fat -F "$2" -s 1 -n CUT "$1" >/dev/null
}

# sweep TYPE KIND: every cut point of one workload.
sweep() {
	local t=$1 kind=$2 base=$W/base$1-$2.img img=$W/cut$1-$2.img log=$W/$1-$2.log
	local total n st synced bad=""
	mkimage "$base" "$t"
	boot "$base" "$log.prep" "" cutprep "$kind" "$(fill_of "$t")" ||
		{ fail "FAT$t $kind: prepare" "see $log.prep"; return; }
	cp --sparse=always "$base" "$img"
	boot "$img" "$log.all" 100000000 cut "$kind"
	st=$?
	total=$(sed -n 's/.*blk: \([0-9]*\) writes$/\1/p' "$log.all" | tail -1)
	if [ $st != 0 ] || [ -z "$total" ]; then
		fail "FAT$t $kind: the workload without a cut" "status $st, see $log.all"
		return
	fi
	local step=1
	[ -n "${CUT_MAX:-}" ] && [ "$total" -gt "$CUT_MAX" ] && step=$(((total + CUT_MAX - 1) / CUT_MAX))
	for ((n = 0; n < total; n += step)); do
		cp --sparse=always "$base" "$img"
		boot "$img" "$log.cut" "$n" cut "$kind"
		st=$?
		if [ $st != 3 ]; then
			bad="cut at $n: status $st (not the power cut), see $log.cut"
			break
		fi
		synced=$(sed -n 's/^synced \([0-9]*\)$/\1/p' "$log.cut" | tail -1)
		timeout 20 fsck.fat -n "$img" >"$log.fsck" 2>&1
		st=$?
		local benign=$FSCK_BENIGN
		[ "$kind" = rename ] && benign="$FSCK_BENIGN|$BENIGN_RENAME"
		if [ $st = 124 ] || grep -vE "$benign" "$log.fsck" | grep -q .; then
			cp "$img" "$W/failed$t-$kind-$n.img"
			bad="cut at $n of $total: fsck.fat: $(grep -vE "$benign" "$log.fsck" | head -3 | tr '\n' ' ')(image $W/failed$t-$kind-$n.img)"
			break
		fi
		if ! boot "$img" "$log.check" "" cutcheck "$kind" "${synced:--1}"; then
			cp "$img" "$W/failed$t-$kind-$n.img"
			bad="cut at $n of $total (after step ${synced:--1}): $(grep FAIL "$log.check" | head -3 | tr '\n' ' ')"
			break
		fi
	done
	if [ -n "$bad" ]; then
		fail "FAT$t $kind power cut" "$bad"
	else
		pass "FAT$t $kind: power cut at each of $(((total + step - 1) / step)) of $total writes: fsck.fat finds no damage, synced files whole"
	fi
	rm -f "$base" "$img"
}

make --no-print-directory MACHINE=linuxu APP=fs_test >"$W/build.log" 2>&1 ||
	{ fail "build fs_test" "see $W/build.log"; echo "$passed passed, $failed failed"; exit 1; }
for t in 12 16 32; do
	for k in $kinds; do
		sweep "$t" "$k"
	done
done
echo "$passed passed, $failed failed"
[ $failed = 0 ]
