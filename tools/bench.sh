#!/usr/bin/env bash
# make bench: micro-benchmarks of the unikernel, with the host's Linux/glibc
# measured in the same run. Prints the figures and writes them, with the
# date and machine, to build/bench/results.md for BENCHMARKS.md.
set -eu
cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"

machine() {
	echo "- date: $(date -u +%Y-%m-%d)"
	echo "- host CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
	echo "- host kernel: $(uname -r)"
	echo "- QEMU: $(qemu-system-x86_64 --version | head -1)"
}

echo "bench: building"
make --no-print-directory MACHINE=qemu APP=bench_alloc >"$out/build.log" 2>&1
make --no-print-directory MACHINE=linuxu APP=bench_alloc >>"$out/build.log" 2>&1
make --no-print-directory MACHINE=qemu APP=hello_world >>"$out/build.log" 2>&1
make --no-print-directory MACHINE=qemu APP=bench_thread >>"$out/build.log" 2>&1
make --no-print-directory MACHINE=linuxu APP=bench_thread >>"$out/build.log" 2>&1
make --no-print-directory MACHINE=qemu APP=bench_fs >>"$out/build.log" 2>&1
make --no-print-directory MACHINE=linuxu APP=bench_fs >>"$out/build.log" 2>&1
gcc -O2 tools/bench/fs_host.c -o "$out/fs_host"
gcc -O2 -pthread -Itools/bench tools/bench/thread_host.c tools/bench/thread_bench.c -o "$out/thread_host"
gcc -O2 -Iinclude -Itests/unit/shim -Itools/bench tools/bench/alloc_host.c tools/bench/alloc_bench.c \
	$(ls kernel/mm/*.c | grep -v -e malloc.c -e ktest_) -o "$out/alloc_host"

echo "bench: allocator on QEMU microvm"
TIMEOUT=600 tools/run.sh microvm build/x86_64-microvm-bench_alloc/unishyper.img | tr -d '\r' >"$out/alloc-microvm.txt"
echo "bench: allocator on linuxu"
TIMEOUT=600 tools/run.sh linuxu build/x86_64-linuxu-bench_alloc/unishyper.img >"$out/alloc-linuxu.txt"
echo "bench: glibc malloc on the host"
"$out/alloc_host" >"$out/alloc-glibc.txt"

echo "bench: threads on QEMU microvm, 1 and 2 CPUs"
for n in 1 2; do
	SMP=$n TIMEOUT=600 tools/run.sh microvm build/x86_64-microvm-bench_thread/unishyper.img |
		tr -d '\r' >"$out/thread-microvm-smp$n.txt"
done
echo "bench: threads on linuxu"
TIMEOUT=600 tools/run.sh linuxu build/x86_64-linuxu-bench_thread/unishyper.img >"$out/thread-linuxu.txt"
echo "bench: Linux pthreads on the host"
"$out/thread_host" >"$out/thread-linux.txt"

# A fresh 256 MiB FAT32 image per run.
fresh_disk() {
	rm -f "$out/bench-disk.img"
	dd if=/dev/zero of="$out/bench-disk.img" bs=1M count=256 status=none
	mkfs.fat -F 32 "$out/bench-disk.img" >/dev/null
}
echo "bench: files on QEMU microvm and linuxu"
fresh_disk
DISK=$out/bench-disk.img TIMEOUT=600 tools/run.sh microvm build/x86_64-microvm-bench_fs/unishyper.img |
	tr -d '\r' >"$out/fs-microvm.txt"
fresh_disk
DISK=$out/bench-disk.img TIMEOUT=600 tools/run.sh linuxu build/x86_64-linuxu-bench_fs/unishyper.img \
	>"$out/fs-linuxu.txt"
rm -f "$out/bench-disk.img"
echo "bench: a directory of 5,000 files on the host's file system"
rm -rf "$out/host-dir"
"$out/fs_host" "$out/host-dir" >"$out/fs-host.txt" || echo "fs_host failed" >"$out/fs-host.txt"
rm -rf "$out/host-dir"

echo "bench: boot time, 11 boots of hello_world"
for i in $(seq 11); do
	TIMEOUT=60 tools/run.sh microvm build/x86_64-microvm-hello_world/unishyper.img |
		tr -d '\r' | sed -n 's/.*boot: \([0-9]*\) us to main/\1/p'
done | sort -n >"$out/boot-us.txt"
boot_median=$(sed -n 6p "$out/boot-us.txt")
start=$(date +%s%N)
for i in $(seq 11); do
	TIMEOUT=60 tools/run.sh microvm build/x86_64-microvm-hello_world/unishyper.img >/dev/null
done
whole_ms=$((($(date +%s%N) - start) / 11000000))

# field FILE NAME KEY -> the value of KEY= on the line starting with NAME
field() {
	awk -v n="$2" -v f="$3=" '$1 == n { for (i = 2; i <= NF; i++) if (index($i, f) == 1) print substr($i, length(f) + 1) }' "$1"
}

median_of() { # file kind size mode -> median (single) or per_op (batch)
	awk -v k="$2" -v s="size=$3" -v m="mode=$4" '$1 == k && $2 == s && $3 == m {
		for (i = 4; i <= NF; i++) if ($i ~ /^(median|per_op)=/) { split($i, a, "="); print a[2] } }' "$1"
}

{
	echo "## Allocator and boot ($(date -u +%Y-%m-%d))"
	echo
	machine
	if [ -d /sys/module/kvm_pvm ]; then
		echo "- accelerator: TCG (this host's KVM is kvm_pvm, which emulates ring-0 code)"
	elif [ -w /dev/kvm ]; then
		echo "- accelerator: KVM"
	else
		echo "- accelerator: TCG"
	fi
	echo
	echo "Cycles per operation (TSC), median over 100,000 single operations"
	echo "(timer overhead included), and per operation in batches of 1000."
	echo
	echo "| size | op | linuxu single | linuxu batch | glibc single | glibc batch | ratio single (ours/glibc) | microvm single | microvm batch |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	for size in 16 64 256 1024 4096 65536; do
		for op in alloc free; do
			ls=$(median_of "$out/alloc-linuxu.txt" $op $size single)
			lb=$(median_of "$out/alloc-linuxu.txt" $op $size batch)
			gs=$(median_of "$out/alloc-glibc.txt" $op $size single)
			gb=$(median_of "$out/alloc-glibc.txt" $op $size batch)
			ms=$(median_of "$out/alloc-microvm.txt" $op $size single)
			mb=$(median_of "$out/alloc-microvm.txt" $op $size batch)
			ratio=$(awk -v a="$ls" -v b="$gs" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
			echo "| $size | $op | $ls | $lb | $gs | $gb | $ratio | $ms | $mb |"
		done
	done
	echo
	echo "Timer overhead (back-to-back reads): linuxu $(sed -n 's/^timer overhead median=\([0-9]*\).*/\1/p' "$out/alloc-linuxu.txt"),"
	echo "glibc run $(sed -n 's/^timer overhead median=\([0-9]*\).*/\1/p' "$out/alloc-glibc.txt"),"
	echo "microvm $(sed -n 's/^timer overhead median=\([0-9]*\).*/\1/p' "$out/alloc-microvm.txt") cycles."
	echo
	echo "### Threads"
	echo
	echo "TSC cycles, median / p99 (timer overhead of ~$(sed -n 's/^timer overhead median=\([0-9]*\).*/\1/p' "$out/thread-linux.txt") cycles"
	echo "included; yield and ping-pong are round trips halved). \"x\" is Linux"
	echo "pthreads (glibc, same host, same run) divided by linuxu: how many times"
	echo "faster the unikernel's code is when both run natively on this CPU."
	echo
	echo "| operation | linuxu | Linux pthreads | x | microvm 1 CPU (TCG) | microvm 2 CPUs (TCG) |"
	echo "| --- | --- | --- | --- | --- | --- |"
	for op in yield spawn create_join mutex sem_pingpong_local sem_pingpong_cross; do
		lm=$(field "$out/thread-linuxu.txt" $op median) lp=$(field "$out/thread-linuxu.txt" $op p99)
		hm=$(field "$out/thread-linux.txt" $op median) hp=$(field "$out/thread-linux.txt" $op p99)
		m1=$(field "$out/thread-microvm-smp1.txt" $op median) p1=$(field "$out/thread-microvm-smp1.txt" $op p99)
		m2=$(field "$out/thread-microvm-smp2.txt" $op median) p2=$(field "$out/thread-microvm-smp2.txt" $op p99)
		x=$(awk -v a="$hm" -v b="$lm" 'BEGIN { if (a > 0 && b > 0) printf "%.1f", a / b; else print "-" }')
		echo "| $op | ${lm:--} / ${lp:--} | ${hm:--} / ${hp:--} | $x | ${m1:--} / ${p1:--} | ${m2:--} / ${p2:--} |"
	done
	echo
	echo "### Files"
	echo
	echo "A 64 MiB file written (then fsync) and read back in 256 KiB calls; 1,000"
	echo "files of 100 bytes created, written and closed (then sync); 20,000 appends"
	echo "of 100 bytes to one file (then fsync); the 1,000 files removed (then"
	echo "sync); 5,000 empty files created in one directory (then sync) and each"
	echo "looked up again, on a fresh 256 MiB FAT32 image: virtio-blk on microvm,"
	echo "a host file on linuxu. The host column is the host's own file system"
	echo "(tools/bench/fs_host.c, an fsync of the directory instead of sync)."
	echo
	echo "| measure | microvm (TCG) | linuxu | host |"
	echo "| --- | --- | --- | --- |"
	for m in seq_write seq_read small_files appends deletes creates5000 lookup5000; do
		echo "| $m | $(sed -n "s/^bench_fs: $m //p" "$out/fs-microvm.txt") | $(sed -n "s/^bench_fs: $m //p" "$out/fs-linuxu.txt") | $(sed -n "s/^fs_host: $m //p" "$out/fs-host.txt") |"
	done
	echo
	echo "Boot to main() of hello_world on QEMU microvm, as the kernel prints it:"
	echo "median ${boot_median} us over 11 boots (min $(head -1 "$out/boot-us.txt"), max $(tail -1 "$out/boot-us.txt"));"
	echo "whole QEMU process, start to exit: ${whole_ms} ms (mean of 11)."
	echo "Stripped hello_world image: $(stat -c %s build/x86_64-microvm-hello_world/unishyper.img) bytes."
} >"$out/results.md"

echo "bench: network"
if tools/bench/net_bench.sh; then
	{
		echo
		echo "### Network"
		echo
		echo "TCP round trip of 1 byte (median / p99 / p99.9 in microseconds), TCP"
		echo "throughput into the server, and HTTP requests/s from wrk against httpd's"
		echo "status page; the Linux rows run the same server programs as processes."
		echo
		cat "$out/net.md"
	} >>"$out/results.md"
fi
echo "bench: Lua, SQLite and nginx against their Linux builds"
if tools/bench/software_bench.sh >/dev/null 2>&1; then
	{
		echo
		echo "### Real programs"
		echo
		cat "$out/software.md"
	} >>"$out/results.md"
fi

echo "bench: httpd against nginx"
if tests/net/bench_httpd.sh >"$out/httpd.md" 2>"$out/httpd.log"; then
	{
		echo
		echo "### httpd (linuxu, tap) against nginx-light (Linux, veth)"
		echo
		cat "$out/httpd.md"
	} >>"$out/results.md"
fi

echo "bench: Unilib-fs against FAT"
if tools/bench_unilib.sh >/dev/null 2>&1; then
	{
		echo
		cat "$out/unilib.md"
	} >>"$out/results.md"
fi

echo "bench: zones"
if tools/bench/zone_bench.sh >/dev/null; then
	{
		echo
		echo "### Zones"
		echo
		echo "TSC cycles, median of 2,000 single operations (200 spawns), QEMU microvm"
		echo "under TCG with and without CONFIG_ZONE. TCG flushes its software TLB at"
		echo "every PKRU write, so these are the emulator's costs, not a CPU's."
		echo
		cat "$out/zone.md"
	} >>"$out/results.md"
fi
cat "$out/results.md"
