#!/usr/bin/env bash
# Unishyper's test suite: `make test` runs all of it, `tests/run.sh unit`
# (or boot, ktest, build) one tier. Every check prints one line, [PASS] or
# [FAIL], and the run ends with "N passed, N failed".
#
#  unit   host unit tests of pure kernel logic, under ASan and UBSan
#  ktest  the in-kernel TEST() suite, on linuxu (with UBSan) and on QEMU
#         with 1, 2 and 4 CPUs, and with the cooperative scheduler
#  boot   images booted on linuxu and QEMU: console output and exit status
#  recovery crashes of every kind, repeated, on linuxu and QEMU (tests/recovery/)
#  software real programs from Debian's sources, unmodified (tests/software/)
#  build  image size, module selection
#  shell  scripted terminal sessions (tests/shell/)
#  storage FAT12/16/32 images made by mkfs.fat and mtools read and written
#         by the kernel, checked with mtools and fsck.fat; damaged images;
#         a power cut (tests/storage/)
#  net    virtio-net, lwIP and sockets: echo and HTTP through QEMU user
#         networking, raw and mutated frames through a UDP tunnel, ping and
#         echo over a tap in a network namespace (tests/net/)
#  fuzz   libFuzzer (FUZZ_SECONDS, default 30, shared by its targets): the
#         shell's line parser, the FAT driver on mutated images, the 9P
#         client on hostile replies
#  unilib Unilib-fs: files on a host directory over 9P (tests/unilib/)
#  aarch64 ARCH=aarch64 images on QEMU virt (TCG): exit codes, panics,
#         exceptions, and the other tiers' cases there (tests/virt.sh)
#  riscv64 the same for ARCH=riscv64 (QEMU virt with OpenSBI, TCG)
set -u
cd "$(dirname "$0")/.."

tiers=${*:-unit build ktest boot recovery software shell storage net fuzz unilib aarch64 riscv64}
passed=0
failed=0
LOGDIR=build/tests
mkdir -p "$LOGDIR"

. tests/lib.sh

# ---------------------------------------------------------------- unit
run_unit() {
	local t srcs bin log
	for t in tests/unit/test_*.c; do
		srcs=$(sed -n '1s|^// unit-sources:||p' "$t")
		bin=$LOGDIR/$(basename "$t" .c)
		log=$bin.log
		if ! gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
			-fno-sanitize-recover=all -Iinclude -Itests/unit/shim $srcs "$t" -o "$bin" \
			>"$log" 2>&1; then
			fail "unit $(basename "$t")" "does not compile, see $log"
			continue
		fi
		timeout 300 "$bin" >"$log" 2>&1
		local status=$?
		count_lines "unit." "$log"
		if [ $status != 0 ] && ! grep -q '^\[FAIL\]' "$log"; then
			fail "unit $(basename "$t")" "exit status $status, see $log"
		fi
	done
}

# ---------------------------------------------------------------- ktest
run_ktest_on() { # PLAT VARIANT-or-empty [SMP]
	local plat=$1 variant=$2 smp=${3:-1} name="ktest-$1${2:+-$2}${3:+-smp$3}" log status
	log=$LOGDIR/$name.log
	# On QEMU a network (user networking, its gateway answers ARP) for
	# the virtio-net tests.
	NET=$([ "$plat" = microvm ] && echo y) NET_FWD= SMP=$smp TIMEOUT=120 \
		tools/run.sh "$plat" "$(image_of "$plat" ktest "$variant")" >"$log" 2>&1
	status=$?
	count_lines "$name: " "$log"
	if grep -q '^ktest: [0-9]* passed, 0 failed' "$log" && [ $status = 0 ]; then
		pass "$name: suite finished, exit 0"
	else
		fail "$name: suite did not finish cleanly" "exit $status, see $log"
		tail -15 "$log"
	fi
}

run_ktest() {
	build ktest-linuxu-ubsan MACHINE=linuxu APP=ktest VARIANT=ubsan \
		EXTRA_CFLAGS="-fsanitize=undefined -fsanitize-undefined-trap-on-error" &&
		run_ktest_on linuxu ubsan
	build ktest-linuxu-fifo MACHINE=linuxu APP=ktest VARIANT=fifo \
		CONFIG_EXTRA="SCHED_FIFO=y SCHED_PRIO=n" && run_ktest_on linuxu fifo
	if build ktest-microvm MACHINE=qemu APP=ktest; then
		run_ktest_on microvm ""
		run_ktest_on microvm "" 2
		run_ktest_on microvm "" 4
	fi
	# With zones (under TCG, whose CPU has protection keys): every page
	# mapped 4 KiB, user pages, keys on.
	build ktest-microvm-zone MACHINE=qemu APP=ktest VARIANT=zone CONFIG_EXTRA="ZONE=y" &&
		ACCEL=tcg run_ktest_on microvm zone 2
}

# ---------------------------------------------------------------- boot
run_boot() {
	local plat
	build hello-linuxu MACHINE=linuxu APP=hello_world || return
	build hello-microvm MACHINE=qemu APP=hello_world || return
	build crash-linuxu MACHINE=linuxu APP=crash || return
	build crash-microvm MACHINE=qemu APP=crash || return
	for plat in linuxu microvm; do
		boot_case "$plat-hello" $plat hello_world 0 -- \
			'^Hello, world! \(hello_world, 0 arguments\)$' '^\[[0-9.]+ I\] boot: [0-9]+ us to main$'
		boot_case "$plat-hello-args" $plat hello_world 0 one two -- '2 arguments'
		boot_case "$plat-exit-code" $plat crash 7 exit 7 -- '^crash: exit$'
		boot_case "$plat-argv" $plat crash 0 args "with space" -- \
			'^argv\[0\]=<crash>$' '^argv\[2\]=<with space>$'
		boot_case "$plat-argv-quoting" $plat crash 0 args "it's" 'say "hi"' 'back\slash' '' -- \
			"^argv\\[2\\]=<it's>$" '^argv\[3\]=<say "hi">$' '^argv\[4\]=<back\\slash>$' \
			'^argv\[5\]=<>$'
		boot_case "$plat-panic" $plat crash 125 panic -- \
			'^PANIC: requested by the test \(7\)$' '#[0-9]+ 0x[0-9a-f]+ crash_panic\+0x' \
			'#[0-9]+ 0x[0-9a-f]+ main\+0x'
		boot_case "$plat-null-deref" $plat crash 125 null -- \
			'^FAULT: page fault \(vector 14' 'fault address 0x0000000000000000: write access' \
			'crash_null_write\+0x' '^PANIC: fatal page fault$' '#[0-9]+ 0x[0-9a-f]+ main\+0x'
		boot_case "$plat-divide" $plat crash 125 divide -- '^FAULT: divide error' 'crash_divide\+0x'
		boot_case "$plat-invalid-opcode" $plat crash 125 ud2 -- \
			'^FAULT: invalid opcode' 'crash_invalid_opcode\+0x'
		boot_case "$plat-abort" $plat crash 125 abort -- '^PANIC: abort\(\) called$'
		boot_case "$plat-stack-overflow" $plat crash 125 overflow -- \
			'^FAULT: (page|double) fault' '^  thread [0-9]+ \(deep\) on CPU 0$' \
			'^  stack overflow: 0x[0-9a-f]+ is in the guard page below its 16384-byte stack$' \
			'^fault #1: thread [0-9]+ \(deep\) on CPU 0: stack overflow at 0x' \
			'^fault #2: thread [0-9]+ \(deep\) restarted as [0-9]+$' \
			'^PANIC: thread [0-9]+ \(deep\) crashed 3 times: its restart limit is reached$'
		boot_case "$plat-assert" $plat crash 125 assert -- \
			'^PANIC: assertion failed: answer == 42 \(tests/apps/crash/main.c:[0-9]+, main\)$'
	done
	build smp-microvm MACHINE=qemu APP=smp_boot || return
	for n in 1 2 4; do
		SMP=$n boot_case "microvm-smp$n" microvm smp_boot 0 -- "^smp_boot: $n cpus$" \
			"^smp_boot: $n cpus ok$"
	done
	# Fault recovery: each kind of crash, repeated (1,000 times on linuxu,
	# 200 on TCG), recorded with the crashing function, restarted, with the
	# heap back at its baseline, the robust mutex recovered and another
	# thread counting throughout.
	build fault-linuxu MACHINE=linuxu APP=fault_demo || return
	build fault-microvm MACHINE=qemu APP=fault_demo || return
	local kind fn cycles
	for plat in linuxu microvm; do
		cycles=$([ $plat = linuxu ] && echo 1000 || echo 200)
		for kind in null:crash_null:'null pointer at 0x0' write:crash_write:'null pointer at 0x10' \
			divide:crash_divide:'divide error' ud2:worker:'invalid opcode' \
			gp:crash_gp:'(general protection|page fault)' \
			overflow:crash_overflow:'stack overflow' abort:abort:'panic: abort\(\) called' \
			assert:__assert_fail:'panic: assertion failed: zero == 42' \
			panic:worker:'panic: worker gives up \(1\)'; do
			fn=${kind#*:}
			boot_case "$plat-fault-${kind%%:*}" $plat fault_demo 0 "${kind%%:*}" $cycles -- \
				"^fault #1: thread [0-9]+ \(worker\) on CPU [0-9]+: ${fn#*:}" \
				"^  #[0-9]+ 0x[0-9a-f]+ ${fn%%:*}(\.[a-z0-9.]+)?\+0x" '^fault #1: thread [0-9]+ \(worker\) restarted as [0-9]+$' \
				"^fault_demo: ${kind%%:*}: $cycles faults recorded, $((cycles + 1)) starts, counter \+[1-9]" \
				'mutex recovered$' '^fault_demo: ok$'
		done
	done
	# Fault injection, swept: the N-th allocation fails (a NULL write in the
	# worker, recovered) or the N-th call of work_step panics.
	build inject-linuxu MACHINE=linuxu APP=inject_test || return
	build inject-microvm MACHINE=qemu APP=inject_test || return
	local n
	for n in 1 2 3 4 5 6 7; do
		if [ $n -le 5 ]; then
			boot_case "linuxu-inject-alloc$n" linuxu inject_test 0 "inject=alloc:$n" @-- -- \
				'^fault #1: thread [0-9]+ \(worker\) on CPU 0: null pointer at 0x0$' \
				'work_step\+0x' '^inject_test: ok, 1 faults$'
			boot_case "linuxu-inject-call$n" linuxu inject_test 0 "inject=call:work_step:$n" @-- -- \
				"^fault #1: thread [0-9]+ \\(worker\\) on CPU 0: panic: injected fault in work_step \\(call $n\\)$" \
				'^inject_test: ok, 1 faults$'
		else
			boot_case "linuxu-inject-alloc$n" linuxu inject_test 0 "inject=alloc:$n" @-- -- \
				'^inject_test: ok, 0 faults$'
		fi
	done
	boot_case microvm-inject-alloc2 microvm inject_test 0 "inject=alloc:2" @-- -- \
		'null pointer at 0x0$' '^inject_test: ok, 1 faults$'
	boot_case microvm-inject-call4 microvm inject_test 0 "inject=call:work_step:4" @-- -- \
		'panic: injected fault in work_step \(call 4\)$' '^inject_test: ok, 1 faults$'
	# Disks: virtio-blk on microvm, a host file on linuxu, on a scratch image.
	build blk-linuxu MACHINE=linuxu APP=blk_test || return
	build blk-microvm MACHINE=qemu APP=blk_test || return
	FORCE=1 tools/mkdisk.sh --scratch "$LOGDIR/scratch.img" 8 >/dev/null
	for plat in linuxu microvm; do
		DISK=$LOGDIR/scratch.img boot_case "$plat-blk" $plat blk_test 0 -- \
			'^blk_test: vda, 16384 sectors of 512 bytes$' '^blk_test: ok$'
		DISK=$LOGDIR/scratch.img DISK_RO=1 boot_case "$plat-blk-readonly" $plat blk_test 0 ro -- \
			'^blk_test: vda, 16384 sectors of 512 bytes, read-only$' '^blk_test: ok \(read-only\)$'
	done
	DISK=$LOGDIR/scratch.img SMP=2 boot_case microvm-blk-smp2 microvm blk_test 0 -- '^blk_test: ok$'
	# A reset is never a pass: the run script must say so and fail.
	boot_case microvm-triple-fault microvm crash 126 triple -- \
		'the machine reset \(triple fault\?\) instead of powering off'
}

# Recovery: each tests/recovery/*.sh builds its test apps and runs its
# boot cases (crashes of every kind, repeated, with the system checked
# after them).
run_recovery() {
	local f
	for f in tests/recovery/*.sh; do
		[ -e "$f" ] && . "$f"
	done
}

# Real programs from Debian's sources, built unmodified: each
# tests/software/*.sh builds its example and checks what it does.
run_software() {
	local f
	for f in tests/software/*.sh; do
		[ -e "$f" ] && . "$f"
	done
}

# A tier that is one script printing [PASS]/[FAIL] lines (shell sessions,
# storage, net, unilib, fuzz): its lines are counted with PREFIX before
# them, and a script that fails without saying why is a failure too.
run_tier_script() { # NAME PREFIX SCRIPT [ARGS...]
	local name=$1 prefix=$2 log=$LOGDIR/$1.log status
	shift 2
	"$@" >"$log" 2>&1
	status=$?
	count_lines "$prefix" "$log"
	if [ $status != 0 ] && ! grep -q '^\[FAIL\]' "$log"; then
		fail "$name" "exit status $status, see $log"
		tail -10 "$log"
	fi
}

# ---------------------------------------------------------------- build
run_build() {
	local img size small
	build hello-microvm MACHINE=qemu APP=hello_world || return
	img=$(image_of microvm hello_world)
	size=$(stat -c %s "$img")
	if [ "$size" -lt 102400 ]; then
		pass "build hello_world image is $size bytes (< 100 KB)"
	else
		fail "build hello_world image is $size bytes" "the limit is 100 KB"
	fi
	# A module that is not selected is not linked: the symbol table off
	# makes the image smaller and leaves no trace of the module.
	build hello-microvm-noksyms MACHINE=qemu APP=hello_world VARIANT=noksyms \
		CONFIG_EXTRA=KSYMS=n || return
	small=$(image_of microvm hello_world noksyms)
	if [ "$(stat -c %s "$small")" -lt "$size" ] &&
		! nm "build/x86_64-microvm-hello_world-noksyms/kernel.elf" | grep -q ksyms_table; then
		pass "build KSYMS=n image is smaller ($(stat -c %s "$small") < $size bytes) and has no table"
	else
		fail "build KSYMS=n" "image not smaller or still has ksyms_table"
	fi
	if nm "build/x86_64-microvm-hello_world/kernel.elf" | grep -Eq ' (lwip_|tcp_input|netdev_register|virtio_net)'; then
		fail "build hello_world links no network code" "lwIP or netdev symbols found"
	else
		pass "build hello_world links no network code"
	fi
	debug_sessions "$img"
	if tools/format.sh --check >"$LOGDIR/format.log" 2>&1; then
		pass "format: every C file is as .clang-format makes it"
	else
		fail "format" "$(wc -l <"$LOGDIR/format.log") files differ, see $LOGDIR/format.log (make format)"
	fi
}

# make debug: two sessions at once, each stub on 127.0.0.1 and a port of
# its own; gdb attaches to one and runs the program to its end.
debug_sessions() { # IMAGE
	local a=$LOGDIR/debug-a.log b=$LOGDIR/debug-b.log pa pb i
	TIMEOUT=60 tools/run.sh --debug microvm "$1" >"$a" 2>&1 &
	local ja=$!
	TIMEOUT=60 tools/run.sh --debug microvm "$1" >"$b" 2>&1 &
	local jb=$!
	for i in $(seq 300); do
		pa=$(sed -n 's/.*waiting for the debugger on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$a")
		pb=$(sed -n 's/.*waiting for the debugger on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$b")
		[ -n "$pa" ] && [ -n "$pb" ] && ss -ltn | grep -q "127.0.0.1:$pa " &&
			ss -ltn | grep -q "127.0.0.1:$pb " && break
		sleep 0.1
	done
	if [ -n "$pa" ] && [ -n "$pb" ] && [ "$pa" != "$pb" ] &&
		ss -ltn | grep -q "127.0.0.1:$pa " && ! ss -ltn | grep -Eq "(0\.0\.0\.0|\*|\[::\]):($pa|$pb) "; then
		pass "debug: two gdb stubs, on 127.0.0.1 only, ports $pa and $pb"
	else
		fail "debug: gdb stubs" "ports '$pa' '$pb', see $a $b"
	fi
	kill "$jb" 2>/dev/null
	pkill -f "gdb tcp:127.0.0.1:$pb" 2>/dev/null
	# gdb's own status is the connection's end (QEMU exits): the console
	# says whether the program ran.
	[ -n "$pa" ] && timeout 60 gdb -batch -nx -ex "target remote 127.0.0.1:$pa" -ex continue \
		>"$LOGDIR/debug-gdb.log" 2>&1
	wait "$ja"
	if [ -n "$pa" ] && grep -q '^Hello, world!' "$a" && grep -q 'Remote connection closed' "$LOGDIR/debug-gdb.log"; then
		pass "debug: gdb attaches and the program runs to its end"
	else
		fail "debug: gdb session" "see $LOGDIR/debug-gdb.log and $a"
		kill "$ja" 2>/dev/null
		pkill -f "gdb tcp:127.0.0.1:$pa" 2>/dev/null
	fi
}

for tier in $tiers; do
	case $tier in
	unit) run_unit ;;
	ktest) run_ktest ;;
	boot) run_boot ;;
	recovery) run_recovery ;;
	software) run_software ;;
	build) run_build ;;
	shell) run_tier_script shell-sessions "" tests/shell/run_sessions.sh ;;
	storage) run_tier_script storage "storage " tests/storage/run.sh ;;
	net) run_tier_script net "net " tests/net/run.sh ;;
	fuzz) run_tier_script fuzz "" tests/fuzz/run.sh "${FUZZ_SECONDS:-30}" ;;
	unilib) run_tier_script unilib "unilib " tests/unilib/run.sh ;;
	aarch64) run_tier_script aarch64 "" tests/virt.sh aarch64 ;;
	riscv64) run_tier_script riscv64 "" tests/virt.sh riscv64 ;;
	*) fail "unknown tier $tier" ;;
	esac
done

echo "$passed passed, $failed failed"
[ $failed = 0 ]
