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

build a64-hello ARCH=aarch64 APP=hello_world &&
	boot_case a64-hello virt hello_world 0 -- '^Hello, world!' 'boot: [0-9]+ us to main'
if build a64-crash ARCH=aarch64 APP=crash; then
	boot_case a64-exit-3 virt crash 3 exit 3 -- '^crash: exit'
	boot_case a64-args virt crash 0 args 'a b' c -- '^argv\[1\]=<args>' '^argv\[2\]=<a b>' '^argv\[3\]=<c>'
	boot_case a64-panic virt crash 125 panic -- '^PANIC: requested by the test \(7\)' \
		'#0 0x[0-9a-f]+ crash_panic\+0x' 'main\+0x'
	boot_case a64-undefined virt crash 125 ud2 -- \
		'FAULT: undefined instruction .*ESR 0x2000000: EC 0x0.* crash_invalid_opcode\+0x0' ' x30 '
	boot_case a64-reset virt crash 126 triple -- 'machine reset'
fi

# The in-kernel suite on one CPU, with a network device for its virtio-net
# tests (user networking).
if build a64-ktest ARCH=aarch64 APP=ktest; then
	log=$LOGDIR/ktest-virt.log
	NET=y NET_FWD= TIMEOUT=300 tools/run.sh virt "$(image_of virt ktest)" >"$log" 2>&1
	status=$?
	count_lines "ktest-virt: " "$log"
	if grep -q '^ktest: [0-9]* passed, 0 failed' "$log" && [ $status = 0 ]; then
		pass "ktest-virt: suite finished, exit 0"
	else
		fail "ktest-virt: suite did not finish cleanly" "exit $status, see $log"
		tail -15 "$log"
	fi
fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]
