# shellcheck shell=bash
# Platform protections (sourced by the recovery tier of tests/run.sh):
# where the kernel's messages go, main()'s stack and its guard page, W^X
# on the kernel image, and interrupts that find a thread's stack nearly
# used up.

# On linuxu the kernel's log lines and reports go to standard error: the
# application's standard output is exactly what it printed.
plat_stdout_clean() {
	local out err=$LOGDIR/plat-stdout.err
	out=$(TIMEOUT=60 tools/run.sh linuxu "$(image_of linuxu hello_world)" 2>"$err")
	if [ "$out" != "Hello, world! (hello_world, 0 arguments)" ]; then
		fail "plat linuxu-stdout-clean" "standard output was: $(printf %q "$out")"
	elif ! grep -Eq '^\[[0-9.]+ I\] boot: [0-9]+ us to main$' "$err"; then
		fail "plat linuxu-stdout-clean" "no boot line on standard error (see $err)"
	else
		pass "plat linuxu-stdout-clean"
	fi
}

# Binary output: every byte value, and nothing else, on standard output;
# the application's diagnostic on standard error.
plat_stdout_binary() {
	local got=$LOGDIR/plat-stdio.out err=$LOGDIR/plat-stdio.err want=$LOGDIR/plat-stdio.want
	TIMEOUT=60 tools/run.sh linuxu "$(image_of linuxu recovery_plat_stdio)" >"$got" 2>"$err"
	python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)))' >"$want"
	if ! cmp -s "$got" "$want"; then
		fail "plat linuxu-stdout-binary" "standard output differs from bytes 0..255 (see $got)"
	elif ! grep -q '^stdio: a diagnostic on standard error$' "$err"; then
		fail "plat linuxu-stdout-binary" "the diagnostic is not on standard error (see $err)"
	else
		pass "plat linuxu-stdout-binary"
	fi
}

build hello-linuxu MACHINE=linuxu APP=hello_world && plat_stdout_clean
build stdio-linuxu MACHINE=linuxu APP=recovery_plat_stdio && plat_stdout_binary

# A thread that overflows its stack while timer interrupts keep coming
# (linuxu: the host's signal frames): each crash is its own stack
# overflow; no tick is lost (the system would sleep for ever), no handler
# runs out of stack (the system would panic). microvm has the same hazard
# in its interrupt entry (a double fault with interrupts off, which
# panics): not covered here yet.
build irqstack-linuxu MACHINE=linuxu APP=recovery_plat_irqstack &&
	boot_case "plat-linuxu-irq-near-guard" linuxu recovery_plat_irqstack 0 1000 -- \
		'^fault #1: thread [0-9]+ \(worker\) on CPU [0-9]+: stack overflow at 0x' \
		'^irqstack: 1000 faults, ' '^irqstack: ok$'

# main() on a thread stack of CONFIG_MAIN_STACK_SIZE (256 KiB) with a guard
# page: 200 frames of 1 KiB fit; a runaway recursion is a reported stack
# overflow that stops the system.
build mainstack-linuxu MACHINE=linuxu APP=recovery_plat_mainstack &&
	build mainstack-microvm MACHINE=qemu APP=recovery_plat_mainstack &&
	for plat in linuxu microvm; do
		boot_case "plat-$plat-main-deep-recursion" $plat recovery_plat_mainstack 0 deep 200 -- \
			'^mainstack: 200 frames of 1 KiB, twice: ok$'
		boot_case "plat-$plat-main-stack-overflow" $plat recovery_plat_mainstack 125 runaway -- \
			'^  thread 1 \(main\) on CPU 0$' \
			'^  stack overflow: 0x[0-9a-f]+ is in the guard page below its 262144-byte stack$' \
			'^PANIC: fatal stack overflow$' '#[0-9]+ 0x[0-9a-f]+ recurse\+0x'
	done

# W^X: a worker patches a kernel function, writes a constant string, jumps
# into static, heap and stack data, in turn: each is a recorded fault of
# the worker, which is restarted; the code and the string stay as they
# were, fault_count() still counts, the heap is back at its baseline.
build wx-linuxu MACHINE=linuxu APP=recovery_plat_wx &&
	build wx-microvm MACHINE=qemu APP=recovery_plat_wx &&
	for plat in linuxu microvm microvm-smp2; do
		SMP=$([ $plat = microvm-smp2 ] && echo 2 || echo 1) \
			boot_case "plat-$plat-wx" "${plat%-smp2}" recovery_plat_wx 0 1000 -- \
			'^fault #1: thread [0-9]+ \(worker\) on CPU [0-9]+: write to read-only page at 0x' \
			'^fault #3: thread [0-9]+ \(worker\) on CPU [0-9]+: execute of no-exec page at 0x' \
			'^wx: 1000 faults in 1000 lives; last 16: 6 writes to read-only, 10 executes of no-exec; fault_count code unchanged; greeting "constant greeting"' \
			'^wx: ok$'
	done
