# Runaway threads (CONFIG_WATCHDOG): a thread that loops without waiting,
# above main's and the terminal's priority, on one CPU. Each life is
# caught, recorded as "runaway" and restarted; a counter below everyone
# keeps counting; the heap, the descriptors, a robust mutex it held and the
# file system are back afterwards (1,000 lives on linuxu, 500 on TCG). A
# thread that only yields is a runaway too; long work that beats or is
# exempt is not; main() looping stops the system. The terminal session
# while a runaway loops is tests/shell/session_watchdog.
# Sourced by tests/run.sh (recovery tier).
# shellcheck shell=bash

watchdog_cases() {
	local plat=$1 n=$2 disk=$LOGDIR/watchdog-fat.img
	rm -f "$disk"
	dd if=/dev/zero of="$disk" bs=1M count=16 status=none && mkfs.fat -F 16 "$disk" >/dev/null
	# 10 ms budgets: a life is 10-15 ms of looping and a 10 ms pause.
	DISK=$disk BOOT_TIMEOUT=300 boot_case "$plat-watchdog-loop" $plat recovery_watchdog 0 \
		watchdog=10 @-- loop "$n" -- \
		'^recovery_watchdog: loop, budget 10 ms, with a file system$' \
		'^fault #1: thread [0-9]+ \(runaway\) on CPU 0: runaway: ran [0-9]+ ms without waiting$' \
		'^fault #1: thread [0-9]+ \(runaway\) restarted as [0-9]+$' \
		"^recovery_watchdog: loop: $n runaways recorded, $((n + 1)) starts, counter \+[1-9].*descriptors ([0-9]+) -> \1, mutex recovered, file system answers$" \
		'^recovery_watchdog: ok$'
	boot_case "$plat-watchdog-yield" $plat recovery_watchdog 0 watchdog=10 @-- yield -- \
		'^fault #1: thread [0-9]+ \(runaway\) on CPU 0: runaway: ran [0-9]+ ms' \
		'^recovery_watchdog: yield: 1 runaways recorded$' '^recovery_watchdog: ok$'
	boot_case "$plat-watchdog-beat" $plat recovery_watchdog 0 watchdog=200 @-- beat -- \
		'^recovery_watchdog: beat: 0 faults over 800 ms of work each$' '^recovery_watchdog: ok$'
	boot_case "$plat-watchdog-main" $plat recovery_watchdog 125 watchdog=10 @-- main -- \
		'^PANIC: watchdog: thread 1 \(main\) ran [0-9]+ ms without waiting$'
}

if build watchdog-linuxu MACHINE=linuxu APP=recovery_watchdog; then
	watchdog_cases linuxu 1000
fi
if build watchdog-microvm MACHINE=qemu APP=recovery_watchdog; then
	SMP=1 watchdog_cases microvm 500
	# Two CPUs: the runaway's looks are its CPU's, main may run beside it.
	SMP=2 BOOT_TIMEOUT=300 boot_case microvm-smp2-watchdog-loop microvm recovery_watchdog 0 \
		watchdog=10 @-- loop 200 -- \
		'^recovery_watchdog: loop: 200 runaways recorded, 201 starts, counter \+[1-9].*mutex recovered' \
		'^recovery_watchdog: ok$'
fi
