#!/usr/bin/env bash
# File details through the shell, on a FAT16 disk with 512-byte clusters
# that mtools filled with a file whose short name is not ASCII
# (ÜNÏCØD~1.TXT, code page 850): df counts the small clusters, a 300-byte
# line runs whole, a 5,000-byte one is refused and not run, a 255-character
# name works, `rmdir .` is EINVAL, `stat FILE/` is ENOTDIR, the short name
# is found in either case.
#
#   tests/storage/details.sh [linuxu] [microvm] [virt]  (default: the first two)
# Prints [PASS]/[FAIL] lines and "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
# shellcheck source=tests/platforms.sh
. tests/platforms.sh

plats=${*:-linuxu microvm}
W=build/tests/details
mkdir -p "$W"
passed=0
failed=0
export MTOOLS_SKIP_CHECK=1

pass() { echo "[PASS] $1"; passed=$((passed + 1)); }
fail() { echo "[FAIL] $1${2:+: $2}"; failed=$((failed + 1)); }

rep() { printf "%${2}s" "" | tr ' ' "$1"; }

N255=$(rep n 251).txt
{
	echo "df"
	echo "write /t.txt $(rep y 300)"
	echo "stat /t.txt"
	echo "write /u.txt $(rep z 5000)"
	echo "stat /u.txt"
	echo "write /$N255 hello"
	echo "cat /$N255"
	echo "mkdir /d"
	echo "cd /d"
	echo "rmdir ."
	echo "cd /"
	echo "stat /d"
	echo "stat /t.txt/"
	echo "cat /ünïcød~1.txt"
	echo "cat /ÜNÏCØD~1.TXT"
	echo "poweroff"
} >"$W/input.txt"

# regex, what it shows
expects=(
	'^fat16 +[1-9][0-9]* +[0-9]+ +[1-9][0-9]* +[0-9]+%$|df counts 512-byte clusters'
	'^/t.txt: regular file, 301 bytes|a 300-byte line runs whole'
	'^line too long \(more than 4096 bytes\): not run$|a 5,000-byte line is refused'
	'^stat: /u.txt: No such file or directory$|the refused line did not run'
	'^hello$|a 255-character name is written and read'
	'^rmdir: \.: Invalid argument$|rmdir . is EINVAL'
	'^/d: directory|the directory is still there'
	'^stat: /t.txt/: Not a directory$|stat FILE/ is ENOTDIR'
	'^unicode$|the short name ÜNÏCØD~1.TXT is found'
)

for plat in $plats; do
	machine=$(plat_machine "$plat")
	arch=$(plat_arch "$plat")
	make --no-print-directory ARCH=$arch MACHINE=$machine APP=shell >"$W/build-$plat.log" 2>&1 ||
		{ fail "$plat build shell" "see $W/build-$plat.log"; continue; }
	img=$W/disk-$plat.img
	rm -f "$img"
	truncate -s 8M "$img"
	mkfs.fat -F 16 -s 1 "$img" >/dev/null
	printf 'unicode\n' >"$W/Ünïcødé ñame.txt"
	mcopy -i "$img" "$W/Ünïcødé ñame.txt" ::/
	log=$W/$plat.log
	DISK=$img TIMEOUT=120 tools/run.sh "$plat" "$(plat_build_dir "$plat" shell)/unishyper.img" \
		<"$W/input.txt" 2>&1 | tr -d '\r' >"$log"
	st=${PIPESTATUS[0]}
	for e in "${expects[@]}"; do
		if grep -qE "${e%%|*}" "$log"; then
			pass "$plat ${e#*|}"
		else
			fail "$plat ${e#*|}" "no /${e%%|*}/ in $log"
		fi
	done
	[ "$(grep -c '^unicode$' "$log")" = 2 ] || fail "$plat the short name in both cases" "see $log"
	grep -q '^zzz' "$log" && fail "$plat a cut line ran" "see $log"
	[ "$st" = 0 ] || fail "$plat shell exit status $st" "see $log"
	fsck.fat -n "$img" >"$log.fsck" 2>&1 || fail "$plat fsck.fat after the session" "see $log.fsck"
done
echo "$passed passed, $failed failed"
[ $failed = 0 ]
