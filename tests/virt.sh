#!/usr/bin/env bash
# The aarch64 and riscv64 tiers: images built for one of them and booted
# on QEMU virt (TCG): console output and exit status, as the boot tier
# checks on microvm, and the other tiers' cases on that machine.
#
#   tests/virt.sh aarch64|riscv64
#
# Prints one [PASS]/[FAIL] line per check.
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
LOGDIR=build/tests
mkdir -p "$LOGDIR"
. tests/lib.sh

ARCH=${1:-aarch64}
case $ARCH in
aarch64) P=virt pre=a64 qemu=qemu-system-aarch64 ;;
riscv64) P=riscv64 pre=rv64 qemu=qemu-system-riscv64 ;;
*)
	echo "usage: tests/virt.sh aarch64|riscv64" >&2
	exit 2
	;;
esac
command -v $qemu >/dev/null && command -v $ARCH-linux-gnu-gcc >/dev/null ||
	tools/setup.sh --quiet

# What differs between the two: how an undefined instruction is reported.
if [ $ARCH = aarch64 ]; then
	undefined_dump=('FAULT: undefined instruction .*ESR 0x2000000: EC 0x0.* crash_invalid_opcode\+0x0' ' x30 ')
	undefined_kind='undefined instruction'
else
	undefined_dump=('FAULT: illegal instruction \(scause 0x2, .* crash_invalid_opcode\+0x' ' ra [0-9a-f]{16}')
	undefined_kind='illegal instruction'
fi

if build $pre-hello ARCH=$ARCH APP=hello_world; then
	boot_case $pre-hello $P hello_world 0 -- '^Hello, world!' 'boot: [0-9]+ us to main'
	size=$(stat -c %s "$(image_of $P hello_world)")
	if [ "$size" -lt 102400 ]; then
		pass "build $ARCH hello_world image is $size bytes (< 100 KB)"
	else
		fail "build $ARCH hello_world image is $size bytes" "the limit is 100 KB"
	fi
	# Booted at EL2 (virtualization=on), the kernel drops to EL1.
	[ $ARCH = aarch64 ] && QEMU_EXTRA="-M virt,virtualization=on" \
		boot_case a64-hello-el2 virt hello_world 0 -- '^Hello, world!'
	# riscv64: OpenSBI may boot any hart; the kernel's CPU 0 is that one.
	[ $ARCH = riscv64 ] && SMP=4 boot_case rv64-hello-smp4 $P hello_world 0 -- '^Hello, world!'
fi
if build $pre-crash ARCH=$ARCH APP=crash; then
	boot_case $pre-exit-3 $P crash 3 exit 3 -- '^crash: exit'
	boot_case $pre-args $P crash 0 args 'a b' c -- '^argv\[1\]=<args>' '^argv\[2\]=<a b>' '^argv\[3\]=<c>'
	boot_case $pre-panic $P crash 125 panic -- '^PANIC: requested by the test \(7\)' \
		'#0 0x[0-9a-f]+ crash_panic\+0x' 'main\+0x'
	boot_case $pre-undefined $P crash 125 ud2 -- "${undefined_dump[@]}"
	boot_case $pre-reset $P crash 126 triple -- 'machine reset'
fi

# Faults recorded and recovered as on microvm (tests/run.sh's boot tier):
# a worker crashes 200 times in each way; neither has a divide fault.
if build $pre-fault ARCH=$ARCH APP=fault_demo; then
	for kind in null:crash_null:'null pointer at 0x0' write:crash_write:'null pointer at 0x10' \
		ud2:worker:"$undefined_kind" gp:crash_gp:'page fault at 0x8000000000000000' \
		overflow:crash_overflow:'stack overflow' abort:abort:'panic: abort\(\) called' \
		assert:__assert_fail:'panic: assertion failed: zero == 42' \
		panic:worker:'panic: worker gives up \(1\)'; do
		fn=${kind#*:}
		BOOT_TIMEOUT=300 boot_case "$pre-fault-${kind%%:*}" $P fault_demo 0 "${kind%%:*}" 200 -- \
			"^fault #1: thread [0-9]+ \(worker\) on CPU [0-9]+: ${fn#*:}" \
			"^  #[0-9]+ 0x[0-9a-f]+ ${fn%%:*}(\.[a-z0-9.]+)?\+0x" \
			'^fault #1: thread [0-9]+ \(worker\) restarted as [0-9]+$' \
			"^fault_demo: ${kind%%:*}: 200 faults recorded, 201 starts, counter \+[1-9]" \
			'mutex recovered$' '^fault_demo: ok$'
	done
fi
# W^X: text read-only and executable, data never executable.
build $pre-wx ARCH=$ARCH APP=recovery_plat_wx &&
	BOOT_TIMEOUT=300 boot_case $pre-wx $P recovery_plat_wx 0 1000 -- \
		'^fault #1: thread [0-9]+ \(worker\) on CPU [0-9]+: write to read-only page at 0x' \
		'^fault #3: thread [0-9]+ \(worker\) on CPU [0-9]+: execute of no-exec page at 0x' \
		'^wx: 1000 faults in 1000 lives; last 16: 6 writes to read-only, 10 executes of no-exec; fault_count code unchanged; greeting "constant greeting"' \
		'^wx: ok$'

# The in-kernel suite with 1, 2 and 4 CPUs (its smp test runs a thread on
# each CPU), with a network device for its virtio-net tests (user
# networking). aarch64: PSCI CPU_ON, SGIs as IPIs, on GICv2 and GICv3;
# riscv64: SBI HSM and IPIs, the PLIC.
if build $pre-ktest ARCH=$ARCH APP=ktest; then
	# :el2 starts at EL2 (virtualization=on: PSCI through smc)
	runs="1:2 1:3 2:2 2:3 4:2 4:3 2:3:el2"
	[ $ARCH = riscv64 ] && runs="1 2 4"
	for run in $runs; do
		smp=${run%%:*} gic=${run#*:} el2=
		[ "${gic#*:}" = el2 ] && el2="-M virt,virtualization=on" gic=${gic%:*}
		name=ktest-virt-smp$smp-gicv$gic${el2:+-el2}
		[ $ARCH = riscv64 ] && name=ktest-riscv64-smp$smp
		log=$LOGDIR/$name.log
		QEMU_EXTRA=$el2 GIC=$gic SMP=$smp NET=y NET_FWD= TIMEOUT=300 \
			tools/run.sh $P "$(image_of $P ktest)" >"$log" 2>&1
		status=$?
		count_lines "$name: " "$log"
		if grep -q '^ktest: [0-9]* passed, 0 failed' "$log" && [ $status = 0 ] &&
			! grep -q 'did not start' "$log"; then
			pass "$name: suite finished on $smp CPUs, exit 0"
		else
			fail "$name: suite did not finish cleanly on $smp CPUs" "exit $status, see $log"
			tail -15 "$log"
		fi
	done
fi

# C-library state left by crashes (FILEs, mutexes of each kind, condition
# variables, pthread threads restarted in place: TLS variant I), with the
# recovery tier's cases (tests/recovery/libc.sh), 500 cycles on 2 CPUs.
# shellcheck source=/dev/null
. <(sed -n '/^recovery_libc_disk()/,/^}/p; /^recovery_libc_on()/,/^}/p' tests/recovery/libc.sh)
build $pre-recovery_libc ARCH=$ARCH APP=recovery_libc && recovery_libc_on $P 500 2

# The software tier (Lua's suite, SQLite checked by the host's sqlite3,
# POSIX behaviours) on virt.
SOFTWARE_PLATS=$P
for f in tests/software/*.sh; do
	# shellcheck source=/dev/null
	. "$f"
done

# The storage tier on virt: FAT12/16/32 images read and written, checked
# with mtools and fsck.fat; damaged images; a power cut.
tests/storage/run.sh $P >"$LOGDIR/storage-$P.log" 2>&1
count_lines "storage " "$LOGDIR/storage-$P.log"
grep -q '^[0-9]* passed, 0 failed' "$LOGDIR/storage-$P.log" ||
	grep -q '^\[FAIL\]' "$LOGDIR/storage-$P.log" || fail "storage $P" "see $LOGDIR/storage-$P.log"

# The recovery tier's cases on virt (tests/recovery/): damaged heaps,
# bad pointers to system calls, main()'s stack, interrupts that find a
# thread's stack used up (the entry saves its frame there: the overflow is
# the thread's), runaway threads.
if build $pre-recovery_mm ARCH=$ARCH APP=recovery_mm; then
	for kind in 'overflow|null pointer at 0x0|heap damaged: 4048 bytes quarantined' \
		'scribble|null pointer at 0x0|heap damaged: 0 bytes quarantined' \
		'dfree|panic: double free of 0x[0-9a-f]+$|' \
		'dfree-large|panic: double free of 0x[0-9a-f]+$|' \
		'badfree|panic: invalid free of 0x[0-9a-f]+$|'; do
		k=${kind%%|*} rest=${kind#*|}
		note=${rest#*|}
		boot_case "$P-mm-$k" $P recovery_mm 0 "$k" 200 -- \
			"^fault #1: thread [0-9]+ \(worker\) on CPU [0-9]+: ${rest%%|*}" \
			'^fault #1: thread [0-9]+ \(worker\) restarted as [0-9]+$' \
			${note:+"^fault #1: thread [0-9]+: $note\$"} \
			"^recovery_mm: $k: 200 faults, 201 starts" '^recovery_mm: ok$'
	done
fi
if build $pre-efault ARCH=$ARCH APP=recovery_efault; then
	efault_disk=$LOGDIR/efault-$P.img
	rm -f "$efault_disk"
	mkfs.fat -C -F 16 "$efault_disk" 16384 >/dev/null
	DISK=$efault_disk SMP=2 BOOT_TIMEOUT=300 boot_case $P-smp2-efault $P recovery_efault 0 1000 -- \
		'^recovery_efault: 1000 cycles, 0 failures, 0 faults' '^recovery_efault: ok$'
	boot_case $P-efault-kernel-lock $P recovery_efault 125 klock -- \
		'^fault in kernel code: thread [0-9]+ \(worker\) holds 1 kernel lock' \
		'^PANIC: fatal page fault$'
	if fsck.fat -n "$efault_disk" >/dev/null 2>&1; then
		pass "$P-efault: the disk is clean after the runs (fsck.fat -n)"
	else
		fail "$P-efault: fsck.fat -n finds the disk damaged"
	fi
fi
# recovery_plat_irqstack is not run on virt: an interrupt handler runs on
# the interrupted thread's stack there, and one that finds the stack nearly
# used up can overflow inside the handler, which stops the system (as a
# double fault does on microvm). It needs per-CPU interrupt stacks.
if build $pre-mainstack ARCH=$ARCH APP=recovery_plat_mainstack; then
	boot_case $P-main-deep-recursion $P recovery_plat_mainstack 0 deep 200 -- \
		'^mainstack: 200 frames of 1 KiB, twice: ok$'
	boot_case $P-main-stack-overflow $P recovery_plat_mainstack 125 runaway -- \
		'^  thread 1 \(main\) on CPU 0$' \
		'^  stack overflow: 0x[0-9a-f]+ is in the guard page below its 262144-byte stack$' \
		'^PANIC: fatal stack overflow$' '#[0-9]+ 0x[0-9a-f]+ recurse\+0x'
fi
# shellcheck source=/dev/null
. <(sed -n '/^watchdog_cases()/,/^}/p' tests/recovery/watchdog.sh)
build $pre-watchdog ARCH=$ARCH APP=recovery_watchdog && SMP=1 watchdog_cases $P 500

# Unilib-fs on virt: a host directory over 9P (QEMU's server on a
# virtio-9p-device), the checks common to linuxu and microvm.
tests/unilib/run.sh $P >"$LOGDIR/unilib-$P.log" 2>&1
count_lines "unilib " "$LOGDIR/unilib-$P.log"
grep -q '^[0-9]* passed, 0 failed' "$LOGDIR/unilib-$P.log" ||
	grep -q '^\[FAIL\]' "$LOGDIR/unilib-$P.log" || fail "unilib $P" "see $LOGDIR/unilib-$P.log"

# The shell sessions of the shell tier (tests/shell/), on virt: files on
# a FAT disk, threads, faults, the watchdog, poweroff with a status.
tests/shell/run_sessions.sh $P >"$LOGDIR/shell-$P.log" 2>&1
count_lines "" "$LOGDIR/shell-$P.log"
grep -q '^[0-9]* passed, 0 failed' "$LOGDIR/shell-$P.log" ||
	grep -q '^\[FAIL\]' "$LOGDIR/shell-$P.log" || fail "shell $P" "see $LOGDIR/shell-$P.log"

# The network tier's user-networking (echo, httpd with curl) and UDP-tunnel
# (raw frames, malformed, 5 s of mutated ones) parts on virt.
NET_USER_PLAT=$P NET_UDP_PLATS=$P NET_FUZZ_SECONDS=${NET_FUZZ_SECONDS:-5} \
	tests/net/run.sh user udp >"$LOGDIR/net-$P.log" 2>&1
count_lines "$P net " "$LOGDIR/net-$P.log"
grep -q '^[0-9]* passed, 0 failed' "$LOGDIR/net-$P.log" ||
	grep -q '^\[FAIL\]' "$LOGDIR/net-$P.log" || fail "net $P" "see $LOGDIR/net-$P.log"

echo "$passed passed, $failed failed"
[ $failed = 0 ]
