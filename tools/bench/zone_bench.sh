#!/usr/bin/env bash
# What zones cost (examples/bench_zone), with and without CONFIG_ZONE in
# the same run, on QEMU microvm under TCG: the only place this project's
# build machines have protection keys. Writes build/bench/zone.md.
set -eu
cd "$(dirname "$0")/../.."
out=build/bench
mkdir -p "$out"
make --no-print-directory MACHINE=qemu APP=bench_zone >"$out/zone-build.log" 2>&1
make --no-print-directory MACHINE=qemu APP=bench_zone VARIANT=nozone CONFIG_EXTRA="ZONE=n" \
	>>"$out/zone-build.log" 2>&1
disk=$out/zone-disk.img
for v in on off; do
	rm -f "$disk"
	mkfs.fat -C -F 16 "$disk" 16384 >/dev/null
	img=build/x86_64-microvm-bench_zone/unishyper.img
	[ $v = on ] || img=build/x86_64-microvm-bench_zone-nozone/unishyper.img
	ACCEL=tcg DISK=$disk TIMEOUT=600 tools/run.sh microvm "$img" | tr -d '\r' >"$out/zone-$v.txt"
done
rm -f "$disk"
field() { # FILE NAME KEY
	awk -v n="$2" -v f="$3=" '$1 == "bench_zone:" && $2 == n {
		for (i = 3; i <= NF; i++) if (index($i, f) == 1) print substr($i, length(f) + 1) }' "$1"
}
{
	echo "| operation | zones off | zones on | on / off |"
	echo "| --- | --- | --- | --- |"
	for op in getpid getppid pwrite_1 malloc_free_64 yield_same_zone yield_other_zone spawn gate_pair; do
		a=$(field "$out/zone-off.txt" $op median) b=$(field "$out/zone-on.txt" $op median)
		r=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", b / a; else print "-" }')
		echo "| $op | ${a:--} | ${b:--} | $r |"
	done
	echo
	echo "Stripped image: $(stat -c %s build/x86_64-microvm-bench_zone-nozone/unishyper.img) bytes without zones,"
	echo "$(stat -c %s build/x86_64-microvm-bench_zone/unishyper.img) bytes with."
} >"$out/zone.md"
cat "$out/zone.md"
