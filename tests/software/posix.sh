# POSIX behaviours ordinary programs rely on (tests/apps/posix_test): file
# locks, signals and credentials with Linux's semantics for a lone process;
# readlink/realpath, fstatfs, fchdir, socketpair (MSG_PEEK, sendmsg and
# recvmsg), sendfile, mremap, preadv/pwritev, fallocate, fadvise; SIGPIPE;
# ^C on the console. On a FAT disk, on linuxu and microvm. The same app
# with the network (VARIANT=net) checks the socket calls through
# net/socket.c: pairs, and EPIPE and SIGPIPE from TCP sends over loopback.
# Sourced by tests/run.sh (tier software).
# shellcheck shell=bash

posix_disk=$LOGDIR/posix.img

# posix_intr NAME PLAT STATUS MODE REGEX: run posix_test MODE with its
# console input from a FIFO, type ^C once it waits, and check the exit
# status and the console. On microvm QEMU's exit status keeps 7 bits of
# the code: 130 arrives as 2.
posix_intr() {
	local name=$1 plat=$2 want=$3 mode=$4 re=$5 log=$LOGDIR/boot-$1.log fifo=$LOGDIR/$1.in
	local pid status
	rm -f "$fifo" "$log"
	mkfifo "$fifo"
	exec 8<>"$fifo"
	TIMEOUT=60 tools/run.sh "$plat" "$(image_of "$plat" posix_test)" "$mode" <&8 >"$log" 2>&1 &
	pid=$!
	for _ in $(seq 1 600); do
		grep -q '^posix_test: waiting for ^C' "$log" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	printf '\003' >&8
	wait "$pid"
	status=$?
	exec 8>&-
	rm -f "$fifo"
	if [ "$status" = "$want" ] && tr -d '\r' <"$log" | grep -Eq -- "$re"; then
		pass "boot $name"
	else
		fail "boot $name" "exit status $status (expected $want), console lacks /$re/? see $log"
	fi
}
# SOFTWARE_PLATS=virt: on aarch64 (tests/aarch64.sh)
for plat in ${SOFTWARE_PLATS:-linuxu microvm}; do
	rm -f "$posix_disk"
	mkfs.fat -C -F 16 "$posix_disk" 16384 >/dev/null
	build posix-$plat $(machine_args $plat) APP=posix_test || continue
	DISK=$posix_disk boot_case "$plat-posix" $plat posix_test 0 -- \
		'^\[PASS\] posix\.flock_waits_for_the_close$' \
		'^\[PASS\] posix\.socketpair_peer_close_is_rdhup$' '^\[PASS\] posix\.sendfile_to_a_pipe$' \
		'^\[PASS\] posix\.mremap_grows_keeping_the_data$' \
		'^\[PASS\] posix\.fchdir_to_a_directory$' \
		'^\[PASS\] posix\.socketpair_recvmsg_peek_two_buffers$' \
		'^\[PASS\] posix\.sigpipe_on_a_socketpair_sendmsg$' '^posix_test: ok$'
	log=$LOGDIR/boot-$plat-posix.log.txt
	[ -f "$log" ] && count_lines "$plat: " "$log"
	boot_case "$plat-posix-env" $plat posix_test 0 "env=GREETING=hello world" env=HOME=/home \
		@-- env HOME GREETING NONE -- '^env HOME=</home>$' '^env GREETING=<hello world>$' \
		'^env NONE=<\(unset\)>$'
	boot_case "$plat-posix-env-default" $plat posix_test 0 env HOME env=X=1 -- \
		'^env HOME=</>$' '^env env=X=1=<\(unset\)>$'
	DISK=$posix_disk boot_case "$plat-posix-sigterm" $plat posix_test 125 term -- \
		'^terminated by signal 15 \(Terminated\)$'
	boot_case "$plat-posix-sigpipe" $plat posix_test 125 sigpipe -- \
		'^terminated by signal 13 \(Broken pipe\)$'
	posix_intr "$plat-posix-ctrl-c" $plat "$([ $plat = linuxu ] && echo 130 || echo 2)" intr \
		'^terminated by signal 2 \(Interrupt\)$'
	posix_intr "$plat-posix-ctrl-c-handler" $plat 0 intr-handler '^posix_test: SIGINT handled$'

	build posix-net-$plat $(machine_args $plat) APP=posix_test VARIANT=net \
		CONFIG_EXTRA=NET=y || continue
	BOOT_VARIANT=net boot_case "$plat-posix-net" $plat posix_test 0 net -- \
		'^\[PASS\] posix\.socketpair_recv_peek_leaves_the_data$' \
		'^\[PASS\] posix\.socketpair_sendmsg_dontwait_full$' \
		'^\[PASS\] posix\.tcp_send_after_peer_close_then_reset_is_epipe_with_sigpipe$' \
		'^\[PASS\] posix\.tcp_send_after_shut_wr_is_epipe_with_sigpipe$' \
		'^\[PASS\] posix\.tcp_msg_nosignal_suppresses_sigpipe$' '^posix_test: ok$'
	log=$LOGDIR/boot-$plat-posix-net.log.txt
	[ -f "$log" ] && count_lines "$plat-net: " "$log"
	BOOT_VARIANT=net boot_case "$plat-posix-sigpipe-tcp" $plat posix_test 125 sigpipe-tcp -- \
		'^terminated by signal 13 \(Broken pipe\)$'
done
