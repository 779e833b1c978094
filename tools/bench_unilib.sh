#!/usr/bin/env bash
# Unilib-fs against FAT on virtio-blk, same app (tests/apps/fsops_bench),
# same run, on microvm and linuxu, with the host's own file system (the
# same source built with gcc) as the reference; and image sizes of the
# storage test app (fs_test) with each. Each figure is the median of RUNS
# runs (default 3). Writes build/bench/unilib.md.
#
#   tools/bench_unilib.sh
set -eu
cd "$(dirname "$0")/.."
out=build/bench
runs=${RUNS:-3}
mkdir -p "$out"
cfg="UNILIB_FS=y FS_FAT=n VIRTIO_BLK=n BLKDEV=n"
for m in qemu linuxu; do
	for app in fsops_bench fs_test; do
		make --no-print-directory MACHINE=$m APP=$app >>"$out/unilib-build.log" 2>&1
		make --no-print-directory MACHINE=$m APP=$app VARIANT=unilib CONFIG_EXTRA="$cfg" \
			>>"$out/unilib-build.log" 2>&1
	done
done
gcc -O2 tests/apps/fsops_bench/main.c -o "$out/fsops_host"

share=$(realpath "$out")/unilib-share
disk=$out/unilib-fat.img
# run KIND PLAT N: one run's lines into $out/unilib-KIND-PLAT-N.txt
run() {
	local kind=$1 plat=$2 n=$3 f=$out/unilib-$1-$2-$3.txt
	case $kind in
	host)
		rm -rf "$share" && mkdir -p "$share"
		"$out/fsops_host" "$share/bench" >"$f"
		;;
	fat)
		FORCE=1 tools/mkdisk.sh "$disk" >/dev/null 2>&1
		DISK=$disk TIMEOUT=600 tools/run.sh "$plat" "build/x86_64-$plat-fsops_bench/unishyper.img" \
			/bench 2>&1 | tr -d '\r' >"$f"
		;;
	unilib)
		rm -rf "$share" && mkdir -p "$share"
		UNILIB=$share TIMEOUT=600 tools/run.sh "$plat" \
			"build/x86_64-$plat-fsops_bench-unilib/unishyper.img" /bench 2>&1 | tr -d '\r' >"$f"
		;;
	esac
}

median() { # KIND PLAT WHAT
	cat "$out"/unilib-"$1"-"$2"-*.txt | sed -n "s/^fsops_bench: $3 \([0-9.]*\) .*/\1/p" |
		sort -g | awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : "-"}'
}

rm -f "$out"/unilib-*-*-[0-9]*.txt
for n in $(seq 1 "$runs"); do
	echo "bench_unilib: run $n of $runs"
	run host host "$n"
	for plat in microvm linuxu; do
		run fat "$plat" "$n"
		run unilib "$plat" "$n"
	done
done

{
	echo "### Unilib-fs against FAT on virtio-blk (tools/bench_unilib.sh)"
	echo
	echo "- date: $(date -u +%Y-%m-%d)"
	echo "- host CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
	echo "- QEMU: $(qemu-system-x86_64 --version | head -1); diod $(dpkg-query -W -f '${Version}' diod 2>/dev/null)"
	echo "- medians of $runs runs; microvm under $( [ -d /sys/module/kvm_pvm ] && echo TCG || echo KVM)"
	echo
	echo "| | creates/s | stat µs | open+close µs | write MB/s | read MB/s |"
	echo "|---|---|---|---|---|---|"
	for row in "microvm:fat:FAT on virtio-blk" "microvm:unilib:Unilib-fs (virtio-9p, QEMU)" \
		"linuxu:fat:FAT on a host file" "linuxu:unilib:Unilib-fs (socket, diod)" \
		"host:host:host Linux (same program, gcc)"; do
		IFS=: read -r plat kind label <<<"$row"
		echo "| $plat $label | $(median "$kind" "$plat" creates) | $(median "$kind" "$plat" stat) |" \
			"$(median "$kind" "$plat" openclose) | $(median "$kind" "$plat" write) |" \
			"$(median "$kind" "$plat" read) |"
	done
	echo
	echo "| image (stripped) | FAT + virtio-blk | Unilib-fs | saved |"
	echo "|---|---|---|---|"
	for plat in microvm linuxu; do
		for app in fs_test fsops_bench; do
			a=$(stat -c %s "build/x86_64-$plat-$app/unishyper.img")
			b=$(stat -c %s "build/x86_64-$plat-$app-unilib/unishyper.img")
			echo "| $plat $app | $a | $b | $((a - b)) |"
		done
	done
} >"$out/unilib.md"
rm -rf "$share" "$disk"
cat "$out/unilib.md"
