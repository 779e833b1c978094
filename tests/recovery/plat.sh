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

build hello-linuxu MACHINE=linuxu APP=hello_world && plat_stdout_clean
