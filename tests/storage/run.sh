#!/usr/bin/env bash
# Storage tests against the real tools: FAT images made with mkfs.fat and
# filled with mtools are read by the kernel byte for byte; what the kernel
# writes is read back with mtools and checked with fsck.fat; damaged images
# are refused without a crash; a machine killed in the middle of writes
# leaves nothing worse than lost clusters; on linuxu, a power cut at every
# write of a workload of each kind of operation (cutsweep.sh); details seen
# through the shell (details.sh).
#
#   tests/storage/run.sh [linuxu] [microvm] [virt]  (default: the first two)
# Prints [PASS]/[FAIL] lines and "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2

plats=${*:-linuxu microvm}
W=build/tests/storage
mkdir -p "$W"
passed=0
failed=0
export MTOOLS_SKIP_CHECK=1 MTOOLS_NO_VFAT=0

pass() { echo "[PASS] $1"; passed=$((passed + 1)); }
fail() { echo "[FAIL] $1${2:+: $2}"; failed=$((failed + 1)); }

# shellcheck source=tests/platforms.sh
. tests/platforms.sh
image_of() { echo "$(plat_build_dir "$1" fs_test)/unishyper.img"; }

# boot PLAT DISK LOG ARGS...: run fs_test; its status is the result.
boot() {
	local plat=$1 disk=$2 log=$3
	shift 3
	DISK=$disk TIMEOUT=120 tools/run.sh "$plat" "$(image_of "$plat")" "$@" 2>&1 | tr -d '\r' >"$log"
	return "${PIPESTATUS[0]}"
}

# A FAT image of TYPE (12, 16, 32) and SIZE_KB, empty.
mkimage() {
	local img=$1 type=$2 kb=$3
	rm -f "$img"
	dd if=/dev/zero of="$img" bs=1024 count="$kb" status=none
	mkfs.fat -F "$type" -n "TEST$type" "$img" >/dev/null
}

# Fill with what the issue asks for: nested directories, long and non-ASCII
# names, empty files, MB-sized files, 1,000 entries in one directory, and
# fragmented files. Also extracted to $2 for the reference listing.
populate() {
	local img=$1 ref=$2 big=$3
	rm -rf "$ref" && mkdir -p "$ref/sub/deeper/deepest" "$ref/many" "$ref/frag"
	printf 'hello\n' >"$ref/hello.txt"
	: >"$ref/empty"
	head -c "$big" /dev/urandom >"$ref/big.bin"
	printf 'nested\n' >"$ref/sub/deeper/deepest/A long file name with spaces.text"
	printf 'unicode\n' >"$ref/sub/Ünïcødé ñame.txt"
	printf 'cjk\n' >"$ref/sub/文件名.txt"
	# On the small FAT12 image the 1,000 files are empty (no clusters).
	for i in $(seq 1 1000); do
		if [ "$big" -gt 2000000 ]; then printf '%d\n' "$i" >"$ref/many/entry-$i.txt"; else : >"$ref/many/entry-$i.txt"; fi
	done
	mcopy -i "$img" -s "$ref/hello.txt" "$ref/empty" "$ref/big.bin" "$ref/sub" "$ref/many" ::/
	# Fragmentation: small files, every other one removed, then one file
	# that has to fill the holes.
	mmd -i "$img" ::/frag
	for i in $(seq 1 40); do head -c 3000 /dev/urandom >"$W/f$i"; mcopy -i "$img" "$W/f$i" ::/frag/f$i; done
	for i in $(seq 1 2 40); do mdel -i "$img" ::/frag/f$i; done
	for i in $(seq 2 2 40); do cp "$W/f$i" "$ref/frag/f$i"; done
	head -c 50000 /dev/urandom >"$ref/frag/spread.bin"
	mcopy -i "$img" "$ref/frag/spread.bin" ::/frag/spread.bin
	rm -f "$W"/f[0-9]*
}

check_read() { # PLAT TYPE
	local plat=$1 type=$2 img=$W/read$2.img ref=$W/ref$2 log=$W/$1-read$2.log
	boot "$plat" "$img" "$log" list
	local st=$?
	grep -E '^(file|dir) ' "$log" | sort >"$log.got"
	tests/storage/fsref.py list "$ref" >"$log.want"
	if [ $st = 0 ] && cmp -s "$log.got" "$log.want"; then
		pass "$plat FAT$type: every file read back exactly ($(wc -l <"$log.want") entries)"
	else
		fail "$plat FAT$type read" "status $st; diff $log.want $log.got"
		diff "$log.want" "$log.got" | head -5
	fi
}

check_write() { # PLAT TYPE
	local plat=$1 type=$2 img=$W/write$2-$1.img log=$W/$1-write$2.log ok=1 f
	mkimage "$img" "$type" $([ "$type" = 12 ] && echo 4000 || echo 65536)
	boot "$plat" "$img" "$log" write || ok=0
	grep -q '^fs_test: write ok$' "$log" || ok=0
	if ! fsck.fat -n "$img" >"$log.fsck" 2>&1; then
		fail "$plat FAT$type write: fsck.fat -n reports problems" "see $log.fsck"
		ok=2
	fi
	# Contents as the host reads them.
	for f in "/made/deeper dir/A file with a long name.bin:1:100000" "/made/small.txt:2:5" \
		"/made/empty:3:0" "/made/big.bin:4:3145745" "/made/Ünïcødé 名前.txt:5:1234" \
		"/made/deeper dir/renamed.txt:6:777"; do
		local path=${f%%:*} rest=${f#*:}
		local seed=${rest%%:*} size=${rest#*:}
		mtype -i "$img" "::$path" >"$W/got.bin" 2>/dev/null || ok=0
		tests/storage/fsref.py content "$seed" "$size" >"$W/want.bin"
		cmp -s "$W/got.bin" "$W/want.bin" || { ok=0; echo "  content differs: $path"; }
	done
	mdir -i "$img" "::/made/to delete" >/dev/null 2>&1 && { ok=0; echo "  deleted file still there"; }
	[ "$(mtype -i "$img" ::/made/truncated | wc -c)" = 1000 ] || { ok=0; echo "  truncate wrong"; }
	[ "$(mdir -i "$img" -b ::/made/many | wc -l)" = 300 ] || { ok=0; echo "  /made/many has not 300 entries"; }
	[ "$(mtype -i "$img" ::/made/stdio.txt | tail -1)" = appended ] || { ok=0; echo "  append wrong"; }
	case $ok in
	1) pass "$plat FAT$type: written files read back by mtools, fsck.fat clean" ;;
	0) fail "$plat FAT$type write" "see $log" ;;
	esac
}

check_errors() { # PLAT
	local plat=$1 img=$W/errors-$1.img log=$W/$1-errors.log
	mkimage "$img" 16 32768
	boot "$plat" "$img" "$log" errors
	local st=$?
	local line
	while IFS= read -r line; do
		case $line in
		"[PASS] "*) pass "$plat ${line#\[PASS\] }" ;;
		"[FAIL] "*) fail "$plat ${line#\[FAIL\] }" ;;
		esac
	done <"$log"
	[ $st = 0 ] || fail "$plat errors" "status $st, see $log"
}

# Damaged images: the kernel must not crash (125), hang (124) or write.
check_corrupt() { # PLAT
	local plat=$1 base=$W/corrupt-base.img name img log st
	mkimage "$base" 16 16384
	mcopy -i "$base" tests/storage/fsref.py ::/a.txt
	mmd -i "$base" ::/d
	for name in truncated bad-sector-size bad-cluster-size no-fats looped-chain out-of-range flips; do
		img=$W/corrupt-$name-$plat.img
		cp "$base" "$img"
		case $name in
		truncated) truncate -s 100000 "$img" ;;
		bad-sector-size) printf '\x00\x0c' | dd of="$img" bs=1 seek=11 conv=notrunc status=none ;;
		bad-cluster-size) printf '\x03' | dd of="$img" bs=1 seek=13 conv=notrunc status=none ;;
		no-fats) printf '\x00' | dd of="$img" bs=1 seek=16 conv=notrunc status=none ;;
		looped-chain | out-of-range)
			# a.txt's first cluster is 3 (FAT16: 2 bytes per entry, the FAT at
			# the reserved sectors): point it at itself or past the end.
			local rs fat
			rs=$(od -An -tu2 -j14 -N2 "$img" | tr -d ' ')
			fat=$((rs * 512))
			local first
			first=$(python3 -c "
import struct,sys
d=open('$img','rb').read()
rs,nf,re,fs=struct.unpack_from('<HBHxxxxxH',d,14)[0],d[16],struct.unpack_from('<H',d,17)[0],struct.unpack_from('<H',d,22)[0]
root=(rs+nf*fs)*512
for o in range(root,root+re*32,32):
    if d[o:o+8]==b'A       ' and d[o+8:o+11]==b'TXT': print(struct.unpack_from('<H',d,o+26)[0]); break")
			local val=$first
			[ $name = out-of-range ] && val=65000
			python3 -c "
import struct
f=open('$img','r+b'); f.seek($fat+2*$first); f.write(struct.pack('<H',$val))"
			;;
		flips)
			python3 -c "
import random
r=random.Random(7); f=open('$img','r+b'); d=bytearray(f.read())
for _ in range(400):
    i=r.randrange(0,min(len(d),300000)); d[i]^=1<<r.randrange(8)
f.seek(0); f.write(d)"
			;;
		esac
		local before
		before=$(sha256sum "$img" | cut -c1-64)
		log=$W/$plat-corrupt-$name.log
		boot "$plat" "$img" "$log" list
		st=$?
		if [ $st = 124 ] || [ $st = 125 ] || [ $st = 126 ]; then
			fail "$plat corrupt image ($name)" "status $st, see $log"
		elif [ $name != flips ] && [ "$(sha256sum "$img" | cut -c1-64)" != "$before" ]; then
			fail "$plat corrupt image ($name)" "the image was written to"
		elif ! grep -qiE 'warn|error|fs_test: list ok' "$log"; then
			fail "$plat corrupt image ($name)" "no message, see $log"
		else
			pass "$plat corrupt image ($name): refused or failed cleanly (status $st)"
		fi
	done
}

# Power cut: kill the machine while it writes; synced files must survive
# and fsck.fat may find only what a cut can leave on FAT without a journal
# (tests/storage/fsck_benign.sh): lost clusters, a stale free count, FAT
# copies that differ, orphaned long-name entries.
# shellcheck source=tests/storage/fsck_benign.sh
. tests/storage/fsck_benign.sh
check_powercut() { # PLAT
	local plat=$1 img=$W/powercut-$1.img log=$W/$1-powercut.log pid synced
	mkimage "$img" 32 65536
	rm -f "$log" # the background job truncates it only when it runs
	DISK=$img tools/run.sh "$plat" "$(image_of "$plat")" stress 5 >"$log" 2>&1 &
	pid=$!
	for _ in $(seq 1 600); do
		grep -q '^synced 40' "$log" && break
		sleep 0.1
	done
	sleep 0.$((RANDOM % 5))
	pkill -9 -P $pid 2>/dev/null
	kill -9 $pid 2>/dev/null
	pkill -9 -f "file=$img" 2>/dev/null
	wait $pid 2>/dev/null
	synced=$(tr -d '\r' <"$log" | sed -n 's/^synced \([0-9]*\)$/\1/p' | tail -1)
	if [ -z "$synced" ]; then
		fail "$plat power cut" "nothing synced before the cut, see $log"
		return
	fi
	fsck.fat -n "$img" >"$log.fsck" 2>&1
	if grep -vE "$FSCK_BENIGN" "$log.fsck" | grep -q .; then
		fail "$plat power cut: fsck.fat found damage" "see $log.fsck"
		return
	fi
	if boot "$plat" "$img" "$log.verify" verify "$synced" && grep -q '^fs_test: verify ok$' "$log.verify"; then
		pass "$plat power cut after $synced synced files: fsck clean but for lost clusters, synced files intact"
	else
		fail "$plat power cut" "synced files damaged, see $log.verify"
	fi
}

for plat in $plats; do
	make --no-print-directory MACHINE="$(plat_machine "$plat")" \
		ARCH="$(plat_arch "$plat")" APP=fs_test >"$W/build-$plat.log" 2>&1 || { fail "build fs_test for $plat" "see $W/build-$plat.log"; continue; }
done
for t in 12 16 32; do
	case $t in
	12) mkimage "$W/read$t.img" 12 4000; populate "$W/read$t.img" "$W/ref$t" 1500000 ;;
	*) mkimage "$W/read$t.img" "$t" 65536; populate "$W/read$t.img" "$W/ref$t" 5000000 ;;
	esac
	fsck.fat -n "$W/read$t.img" >/dev/null 2>&1 || fail "mtools made a bad FAT$t image"
done
for plat in $plats; do
	[ -x "$(image_of "$plat")" ] || [ -f "$(image_of "$plat")" ] || continue
	for t in 12 16 32; do
		check_read "$plat" $t
		check_write "$plat" $t
	done
	check_errors "$plat"
	check_corrupt "$plat"
	check_powercut "$plat"
done
while IFS= read -r line; do
	case $line in
	"[PASS] "*) pass "details: ${line#\[PASS\] }" ;;
	"[FAIL] "*) fail "details: ${line#\[FAIL\] }" ;;
	esac
done < <(tests/storage/details.sh $plats 2>&1)
case " $plats " in
*" linuxu "*)
	while IFS= read -r line; do
		case $line in
		"[PASS] "*) pass "linuxu cut sweep ${line#\[PASS\] }" ;;
		"[FAIL] "*) fail "linuxu cut sweep ${line#\[FAIL\] }" ;;
		esac
	done < <(tests/storage/cutsweep.sh 2>&1)
	;;
esac
echo "$passed passed, $failed failed"
[ $failed = 0 ]
