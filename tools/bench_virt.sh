#!/usr/bin/env bash
# make ARCH=aarch64 bench, make ARCH=riscv64 bench: figures on QEMU virt
# under TCG (no KVM for these on an x86 host: relative figures only), with
# x86_64 microvm under TCG measured in the same run where the units compare
# (boot to main, image size).
#
#   tools/bench_virt.sh ARCH...     (aarch64, riscv64: one column each)
#
# Thread and allocator figures come from each machine's timer count,
# converted with its frequency: aarch64's generic timer (CNTFRQ 62.5 MHz
# on QEMU virt: 16 ns steps), riscv64's time CSR (10 MHz: 100 ns steps).
# Writes build/bench/virt.md.
set -eu
cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"
runs=${BENCH_RUNS:-5}
archs=${*:-aarch64}

tick_ns() { case $1 in aarch64) echo 16 ;; riscv64) echo 100 ;; esac; }
token() { case $1 in aarch64) echo virt ;; riscv64) echo riscv64 ;; esac; }
cpu_of() { case $1 in aarch64) echo cortex-a72 ;; riscv64) echo rv64 ;; esac; }

echo "bench: building ($archs, and x86_64 hello_world)"
for arch in $archs; do
	for app in hello_world bench_thread bench_alloc; do
		make --no-print-directory ARCH=$arch APP=$app >"$out/build-$arch-$app.log" 2>&1
	done
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

declare -A boot size
echo "bench: boot to main, $runs boots each"
for arch in $archs; do
	boot[$arch]=$(boot_us "$(token $arch)" "build/$arch-virt-hello_world/unishyper.img")
	size[$arch]=$(stat -c %s "build/$arch-virt-hello_world/unishyper.img")
done
x86_boot=$(boot_us microvm build/x86_64-microvm-hello_world/unishyper.img)
x86_size=$(stat -c %s build/x86_64-microvm-hello_world/unishyper.img)

for arch in $archs; do
	echo "bench: threads (1 and 2 CPUs) and the allocator on $arch virt"
	for n in 1 2; do
		SMP=$n TIMEOUT=600 tools/run.sh "$(token $arch)" "build/$arch-virt-bench_thread/unishyper.img" |
			tr -d '\r' >"$out/thread-$arch-smp$n.txt"
	done
	TIMEOUT=600 tools/run.sh "$(token $arch)" "build/$arch-virt-bench_alloc/unishyper.img" |
		tr -d '\r' >"$out/alloc-$arch.txt"
done

ns() { awk -v t="$1" '{ printf "%.0f", $1 * t }'; }
thread_ns() { # ARCH SMP NAME
	sed -n "s/^$3 median=\([0-9.]*\).*/\1/p" "$out/thread-$1-smp$2.txt" | head -1 | ns "$(tick_ns $1)"
}
alloc_ns() { # ARCH SIZE
	sed -n "s/^alloc size=$2 mode=batch n=[0-9]* per_op=\([0-9.]*\).*/\1/p" "$out/alloc-$1.txt" |
		ns "$(tick_ns $1)"
}
row() { # LABEL then one cell per architecture, then the x86_64 cell
	local label=$1 x86=$2 cells="" arch
	shift 2
	for arch in $archs; do cells+=" $("$@" "$arch") |"; done
	echo "| $label |$cells $x86 |"
}
cell_boot() { echo "${boot[$1]} us"; }
cell_size() { echo "${size[$1]} bytes"; }
cell_thread() { echo "$(thread_ns "$3" "$1" "$2") ns"; }
cell_alloc() { echo "$(alloc_ns "$2" "$1") ns"; }

{
	header="| measurement |" rule="| --- |"
	for arch in $archs; do
		header+=" $arch virt (TCG, $(cpu_of $arch)) |"
		rule+=" --- |"
	done
	echo "- date: $(date -u +%Y-%m-%d)"
	echo "- host CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
	echo "- QEMU: $(qemu-system-x86_64 --version | head -1)"
	echo
	echo "$header x86_64 microvm (TCG) |"
	echo "$rule --- |"
	row "boot to main (median of $runs)" "$x86_boot us" cell_boot
	row "hello_world image (stripped)" "$x86_size bytes" cell_size
	for n in 1 2; do
		row "thread_yield, $n CPU(s) (median)" "" cell_thread "$n" yield
		row "thread_spawn + first run, $n CPU(s) (median)" "" cell_thread "$n" spawn
		row "pthread create + join, $n CPU(s) (median)" "" cell_thread "$n" create_join
	done
	for s in 16 256 4096 65536; do
		row "malloc($s), batch of many, per call" "" cell_alloc "$s"
	done
} >"$out/virt.md"
cat "$out/virt.md"
