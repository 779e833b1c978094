# libevent 2.1 from Debian's source, unmodified, with three of its own
# programs (examples/libevent): signal-test takes SIGINT three times
# through libevent's signal socketpair (^C typed on the console),
# test-weof writes into a socketpair whose reader is gone (EPIPE with
# SIGPIPE ignored), test-time fires random timers. On linuxu and microvm.
# Sourced by tests/run.sh (tier software).
# shellcheck shell=bash

# le_sigint PLAT: type ^C every half second (at most 120 times) until
# signal-test exits; ^C before its handler is there is ignored.
le_sigint() {
	local plat=$1 name=$1-libevent-signal-test log fifo pid status
	log=$LOGDIR/boot-$name.log
	fifo=$LOGDIR/$name.in
	rm -f "$fifo" "$log"
	mkfifo "$fifo"
	exec 8<>"$fifo"
	TIMEOUT=120 tools/run.sh "$plat" "$(image_of "$plat" libevent)" signal-test <&8 >"$log" 2>&1 &
	pid=$!
	for _ in $(seq 1 120); do
		kill -0 "$pid" 2>/dev/null || break
		grep -q '^libevent: running signal-test' "$log" 2>/dev/null && printf '\003' >&8
		sleep 0.5
	done
	wait "$pid"
	status=$?
	exec 8>&-
	rm -f "$fifo"
	if [ "$status" = 0 ] && [ "$(tr -d '\r' <"$log" | grep -c '^signal_cb: got signal 2$')" = 3 ] &&
		tr -d '\r' <"$log" | grep -q '^libevent: signal-test exited with 0$'; then
		pass "boot $name"
	else
		fail "boot $name" "exit status $status, expected 0 and three signal_cb lines (see $log)"
	fi
}

for plat in linuxu microvm; do
	build libevent-$plat MACHINE=$([ $plat = linuxu ] && echo linuxu || echo qemu) APP=libevent ||
		continue
	boot_case "$plat-libevent-test-weof" $plat libevent 0 test-weof -- \
		'^write_cb: write 12$' '^write_cb: write -1$' '^libevent: test-weof exited with 0$'
	boot_case "$plat-libevent-test-time" $plat libevent 0 test-time -- \
		'^libevent: test-time exited with 0$'
	le_sigint $plat
done
