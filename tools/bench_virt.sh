#!/usr/bin/env bash
# make ARCH=aarch64 bench: the aarch64 figures on QEMU virt under TCG (no
# KVM for aarch64 on an x86 host: relative figures only), with x86_64
# microvm under TCG measured in the same run where the units compare
# (boot to main, image size). Thread and allocator figures come from the
# generic timer's count, converted with its frequency (CNTFRQ, 62.5 MHz on
# QEMU virt: 16 ns resolution). Writes build/bench/aarch64.md.
set -eu
cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"
runs=${BENCH_RUNS:-5}
TICK_NS=16 # 1e9 / 62,500,000

echo "bench: building (aarch64, and x86_64 hello_world)"
for app in hello_world bench_thread bench_alloc; do
	make --no-print-directory ARCH=aarch64 APP=$app >"$out/build-aarch64-$app.log" 2>&1
done
make --no-print-directory MACHINE=qemu APP=hello_world >"$out/build-x86-hello.log" 2>&1

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Boot to main in microseconds, the median of $runs boots.
boot_us() { # PLAT IMAGE
	for _ in $(seq 1 "$runs"); do
		ACCEL=tcg TIMEOUT=120 tools/run.sh "$1" "$2" 2>&1 | tr -d '\r' |
			sed -n 's/.*boot: \([0-9]*\) us to main.*/\1/p'
	done | median
}

echo "bench: boot to main, $runs boots each"
a64_boot=$(boot_us virt build/aarch64-virt-hello_world/unishyper.img)
x86_boot=$(boot_us microvm build/x86_64-microvm-hello_world/unishyper.img)
a64_size=$(stat -c %s build/aarch64-virt-hello_world/unishyper.img)
x86_size=$(stat -c %s build/x86_64-microvm-hello_world/unishyper.img)

echo "bench: threads (1 and 2 CPUs) and the allocator on virt"
for n in 1 2; do
	SMP=$n TIMEOUT=600 tools/run.sh virt build/aarch64-virt-bench_thread/unishyper.img |
		tr -d '\r' >"$out/thread-virt-smp$n.txt"
done
TIMEOUT=600 tools/run.sh virt build/aarch64-virt-bench_alloc/unishyper.img | tr -d '\r' \
	>"$out/alloc-virt.txt"

ns() { awk -v t=$TICK_NS '{ printf "%.0f", $1 * t }'; }
thread_ns() { # FILE NAME
	sed -n "s/^$2 median=\([0-9.]*\).*/\1/p" "$1" | head -1 | ns
}
alloc_ns() { # SIZE
	sed -n "s/^alloc size=$1 mode=batch n=[0-9]* per_op=\([0-9.]*\).*/\1/p" "$out/alloc-virt.txt" | ns
}

{
	echo "### aarch64 (QEMU virt, TCG, cortex-a72)"
	echo
	echo "- date: $(date -u +%Y-%m-%d)"
	echo "- host CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
	echo "- QEMU: $(qemu-system-aarch64 --version | head -1)"
	echo
	echo "| measurement | aarch64 virt (TCG) | x86_64 microvm (TCG) |"
	echo "| --- | --- | --- |"
	echo "| boot to main (median of $runs) | $a64_boot us | $x86_boot us |"
	echo "| hello_world image (stripped) | $a64_size bytes | $x86_size bytes |"
	for n in 1 2; do
		f=$out/thread-virt-smp$n.txt
		echo "| thread_yield, $n CPU(s) (median) | $(thread_ns "$f" yield) ns | |"
		echo "| thread_spawn + first run, $n CPU(s) (median) | $(thread_ns "$f" spawn) ns | |"
		echo "| pthread create + join, $n CPU(s) (median) | $(thread_ns "$f" create_join) ns | |"
	done
	for s in 16 256 4096 65536; do
		echo "| malloc($s), batch of many, per call | $(alloc_ns $s) ns | |"
	done
} >"$out/aarch64.md"
cat "$out/aarch64.md"
