#!/usr/bin/env bash
# The aarch64 tier: images built with ARCH=aarch64 and booted on QEMU virt
# (TCG): console output and exit status, as the boot tier checks on
# microvm. Prints one [PASS]/[FAIL] line per check.
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
LOGDIR=build/tests
mkdir -p "$LOGDIR"
. tests/lib.sh

command -v qemu-system-aarch64 >/dev/null && command -v aarch64-linux-gnu-gcc >/dev/null ||
	tools/setup.sh --quiet

if build a64-hello ARCH=aarch64 APP=hello_world; then
	boot_case a64-hello virt hello_world 0 -- '^Hello, world!' 'boot: [0-9]+ us to main'
	size=$(stat -c %s "$(image_of virt hello_world)")
	if [ "$size" -lt 102400 ]; then
		pass "build aarch64 hello_world image is $size bytes (< 100 KB)"
	else
		fail "build aarch64 hello_world image is $size bytes" "the limit is 100 KB"
	fi
	# Booted at EL2 (virtualization=on), the kernel drops to EL1.
	QEMU_EXTRA="-M virt,virtualization=on" boot_case a64-hello-el2 virt hello_world 0 -- \
		'^Hello, world!'
fi
if build a64-crash ARCH=aarch64 APP=crash; then
	boot_case a64-exit-3 virt crash 3 exit 3 -- '^crash: exit'
	boot_case a64-args virt crash 0 args 'a b' c -- '^argv\[1\]=<args>' '^argv\[2\]=<a b>' '^argv\[3\]=<c>'
	boot_case a64-panic virt crash 125 panic -- '^PANIC: requested by the test \(7\)' \
		'#0 0x[0-9a-f]+ crash_panic\+0x' 'main\+0x'
	boot_case a64-undefined virt crash 125 ud2 -- \
		'FAULT: undefined instruction .*ESR 0x2000000: EC 0x0.* crash_invalid_opcode\+0x0' ' x30 '
	boot_case a64-reset virt crash 126 triple -- 'machine reset'
fi

# Faults recorded and recovered as on microvm (tests/run.sh's boot tier):
# a worker crashes 200 times in each way; aarch64 has no divide fault.
if build a64-fault ARCH=aarch64 APP=fault_demo; then
	for kind in null:crash_null:'null pointer at 0x0' write:crash_write:'null pointer at 0x10' \
		ud2:worker:'undefined instruction' gp:crash_gp:'page fault at 0x8000000000000000' \
		overflow:crash_overflow:'stack overflow' abort:abort:'panic: abort\(\) called' \
		assert:__assert_fail:'panic: assertion failed: zero == 42' \
		panic:worker:'panic: worker gives up \(1\)'; do
		fn=${kind#*:}
		BOOT_TIMEOUT=300 boot_case "a64-fault-${kind%%:*}" virt fault_demo 0 "${kind%%:*}" 200 -- \
			"^fault #1: thread [0-9]+ \(worker\) on CPU [0-9]+: ${fn#*:}" \
			"^  #[0-9]+ 0x[0-9a-f]+ ${fn%%:*}(\.[a-z0-9.]+)?\+0x" \
			'^fault #1: thread [0-9]+ \(worker\) restarted as [0-9]+$' \
			"^fault_demo: ${kind%%:*}: 200 faults recorded, 201 starts, counter \+[1-9]" \
			'mutex recovered$' '^fault_demo: ok$'
	done
fi
# W^X: text read-only and executable, data never executable.
build a64-wx ARCH=aarch64 APP=recovery_plat_wx &&
	BOOT_TIMEOUT=300 boot_case a64-wx virt recovery_plat_wx 0 1000 -- \
		'^fault #1: thread [0-9]+ \(worker\) on CPU [0-9]+: write to read-only page at 0x' \
		'^fault #3: thread [0-9]+ \(worker\) on CPU [0-9]+: execute of no-exec page at 0x' \
		'^wx: 1000 faults in 1000 lives; last 16: 6 writes to read-only, 10 executes of no-exec; fault_count code unchanged; greeting "constant greeting"' \
		'^wx: ok$'

# The in-kernel suite with 1, 2 and 4 CPUs (PSCI CPU_ON, SGIs as IPIs; its
# smp test runs a thread on each CPU) on GICv2 and GICv3, with a network
# device for its virtio-net tests (user networking).
if build a64-ktest ARCH=aarch64 APP=ktest; then
	# :el2 starts at EL2 (virtualization=on: PSCI through smc)
	for run in 1:2 1:3 2:2 2:3 4:2 4:3 2:3:el2; do
		smp=${run%%:*} gic=${run#*:} el2=
		[ "${gic#*:}" = el2 ] && el2="-M virt,virtualization=on" gic=${gic%:*}
		name=ktest-virt-smp$smp-gicv$gic${el2:+-el2}
		log=$LOGDIR/$name.log
		QEMU_EXTRA=$el2 GIC=$gic SMP=$smp NET=y NET_FWD= TIMEOUT=300 \
			tools/run.sh virt "$(image_of virt ktest)" >"$log" 2>&1
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
build a64-recovery_libc ARCH=aarch64 APP=recovery_libc && recovery_libc_on virt 500 2

# The software tier (Lua's suite, SQLite checked by the host's sqlite3,
# POSIX behaviours) on virt.
SOFTWARE_PLATS=virt
for f in tests/software/*.sh; do
	# shellcheck source=/dev/null
	. "$f"
done

# The storage tier on virt: FAT12/16/32 images read and written, checked
# with mtools and fsck.fat; damaged images; a power cut.
tests/storage/run.sh virt >"$LOGDIR/storage-virt.log" 2>&1
count_lines "storage " "$LOGDIR/storage-virt.log"
grep -q '^[0-9]* passed, 0 failed' "$LOGDIR/storage-virt.log" ||
	grep -q '^\[FAIL\]' "$LOGDIR/storage-virt.log" || fail "storage virt" "see $LOGDIR/storage-virt.log"

# The recovery tier's cases on virt (tests/recovery/): damaged heaps,
# bad pointers to system calls, main()'s stack, interrupts that find a
# thread's stack used up (the entry saves its frame there: the overflow is
# the thread's), runaway threads.
if build a64-recovery_mm ARCH=aarch64 APP=recovery_mm; then
	for kind in 'overflow|null pointer at 0x0|heap damaged: 4048 bytes quarantined' \
		'scribble|null pointer at 0x0|heap damaged: 0 bytes quarantined' \
		'dfree|panic: double free of 0x[0-9a-f]+$|' \
		'dfree-large|panic: double free of 0x[0-9a-f]+$|' \
		'badfree|panic: invalid free of 0x[0-9a-f]+$|'; do
		k=${kind%%|*} rest=${kind#*|}
		note=${rest#*|}
		boot_case "virt-mm-$k" virt recovery_mm 0 "$k" 200 -- \
			"^fault #1: thread [0-9]+ \(worker\) on CPU [0-9]+: ${rest%%|*}" \
			'^fault #1: thread [0-9]+ \(worker\) restarted as [0-9]+$' \
			${note:+"^fault #1: thread [0-9]+: $note\$"} \
			"^recovery_mm: $k: 200 faults, 201 starts" '^recovery_mm: ok$'
	done
fi
if build a64-efault ARCH=aarch64 APP=recovery_efault; then
	efault_disk=$LOGDIR/efault-virt.img
	rm -f "$efault_disk"
	mkfs.fat -C -F 16 "$efault_disk" 16384 >/dev/null
	DISK=$efault_disk SMP=2 BOOT_TIMEOUT=300 boot_case virt-smp2-efault virt recovery_efault 0 1000 -- \
		'^recovery_efault: 1000 cycles, 0 failures, 0 faults' '^recovery_efault: ok$'
	boot_case virt-efault-kernel-lock virt recovery_efault 125 klock -- \
		'^fault in kernel code: thread [0-9]+ \(worker\) holds 1 kernel lock' \
		'^PANIC: fatal page fault$'
	if fsck.fat -n "$efault_disk" >/dev/null 2>&1; then
		pass "virt-efault: the disk is clean after the runs (fsck.fat -n)"
	else
		fail "virt-efault: fsck.fat -n finds the disk damaged"
	fi
fi
# recovery_plat_irqstack is not run on virt: an interrupt handler runs on
# the interrupted thread's stack there, and one that finds the stack nearly
# used up can overflow inside the handler, which stops the system (as a
# double fault does on microvm). It needs per-CPU interrupt stacks.
if build a64-mainstack ARCH=aarch64 APP=recovery_plat_mainstack; then
	boot_case virt-main-deep-recursion virt recovery_plat_mainstack 0 deep 200 -- \
		'^mainstack: 200 frames of 1 KiB, twice: ok$'
	boot_case virt-main-stack-overflow virt recovery_plat_mainstack 125 runaway -- \
		'^  thread 1 \(main\) on CPU 0$' \
		'^  stack overflow: 0x[0-9a-f]+ is in the guard page below its 262144-byte stack$' \
		'^PANIC: fatal stack overflow$' '#[0-9]+ 0x[0-9a-f]+ recurse\+0x'
fi
# shellcheck source=/dev/null
. <(sed -n '/^watchdog_cases()/,/^}/p' tests/recovery/watchdog.sh)
build a64-watchdog ARCH=aarch64 APP=recovery_watchdog && SMP=1 watchdog_cases virt 500

# Unilib-fs on virt: a host directory over 9P (QEMU's server on a
# virtio-9p-device), the checks common to linuxu and microvm.
tests/unilib/run.sh virt >"$LOGDIR/unilib-virt.log" 2>&1
count_lines "unilib " "$LOGDIR/unilib-virt.log"
grep -q '^[0-9]* passed, 0 failed' "$LOGDIR/unilib-virt.log" ||
	grep -q '^\[FAIL\]' "$LOGDIR/unilib-virt.log" || fail "unilib virt" "see $LOGDIR/unilib-virt.log"

# The shell sessions of the shell tier (tests/shell/), on virt: files on
# a FAT disk, threads, faults, the watchdog, poweroff with a status.
tests/shell/run_sessions.sh virt >"$LOGDIR/shell-virt.log" 2>&1
count_lines "" "$LOGDIR/shell-virt.log"
grep -q '^[0-9]* passed, 0 failed' "$LOGDIR/shell-virt.log" ||
	grep -q '^\[FAIL\]' "$LOGDIR/shell-virt.log" || fail "shell virt" "see $LOGDIR/shell-virt.log"

# The network tier's user-networking (echo, httpd with curl) and UDP-tunnel
# (raw frames, malformed, 5 s of mutated ones) parts on virt.
NET_USER_PLAT=virt NET_UDP_PLATS=virt NET_FUZZ_SECONDS=${NET_FUZZ_SECONDS:-5} \
	tests/net/run.sh user udp >"$LOGDIR/net-virt.log" 2>&1
count_lines "virt net " "$LOGDIR/net-virt.log"
grep -q '^[0-9]* passed, 0 failed' "$LOGDIR/net-virt.log" ||
	grep -q '^\[FAIL\]' "$LOGDIR/net-virt.log" || fail "net virt" "see $LOGDIR/net-virt.log"

echo "$passed passed, $failed failed"
[ $failed = 0 ]
