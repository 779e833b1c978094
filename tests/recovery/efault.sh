# Bad pointers to system calls: -1/EFAULT from every call that takes one,
# 1,000 rounds of all of them in a thread, then the file system, the calls
# with good pointers, memory and descriptors checked; and the rule for a
# fault in kernel code that holds a kernel lock (the system stops, saying
# so). Sourced by tests/run.sh (tier recovery).
# shellcheck shell=bash

efault_disk=$LOGDIR/efault.img
rm -f "$efault_disk"
mkfs.fat -C -F 16 "$efault_disk" 16384 >/dev/null
for plat in linuxu microvm; do
	build efault-$plat MACHINE=$([ $plat = linuxu ] && echo linuxu || echo qemu) \
		APP=recovery_efault || continue
	DISK=$efault_disk boot_case "$plat-efault" $plat recovery_efault 0 1000 -- \
		'^recovery_efault: 1000 cycles, 0 failures, 0 faults' '^recovery_efault: ok$'
	boot_case "$plat-efault-kernel-lock" $plat recovery_efault 125 klock -- \
		'^fault in kernel code: thread [0-9]+ \(worker\) holds 1 kernel lock' \
		'^PANIC: fatal page fault$'
done
DISK=$efault_disk SMP=2 boot_case microvm-efault-smp2 microvm recovery_efault 0 1000 -- \
	'^recovery_efault: ok$'
if fsck.fat -n "$efault_disk" >/dev/null 2>&1; then
	pass "efault: the disk is clean after the runs (fsck.fat -n)"
else
	fail "efault: fsck.fat -n finds the disk damaged"
fi
