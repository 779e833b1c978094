# Crashes that leave C-library state behind (tests/apps/recovery_libc),
# sourced by the recovery tier of tests/run.sh: a FILE the thread opened,
# each kind of mutex it held with a waiter blocked on it, a condition
# variable's waiter, and pthread_create() threads restarted by their
# policy. 1,000 cycles on linuxu, 500 on microvm (SMP=2 where a waiter and
# the dying owner may run on two CPUs); heap and descriptors are checked
# against their baseline by the app.
# shellcheck shell=bash

recovery_libc_disk() { # a small FAT12 volume for the FILE case
	local img=$LOGDIR/recovery_libc-$1.img
	rm -f "$img"
	dd if=/dev/zero of="$img" bs=1024 count=4000 status=none &&
		mkfs.fat -F 12 -n RECOVERY "$img" >/dev/null && echo "$img"
}

recovery_libc_on() { # PLAT CYCLES SMP
	local plat=$1 n=$2 smp=$3 kind disk
	disk=$(recovery_libc_disk "$plat") || {
		fail "recovery_libc: make a FAT image"
		return
	}
	DISK=$disk boot_case "$plat-libc-file" "$plat" recovery_libc 0 file "$n" -- \
		"^recovery_libc: file: $n crashes holding FILEs \(disk yes\)" '^recovery_libc: file ok$'
	if fsck.fat -n "$disk" >"$LOGDIR/recovery_libc-$plat.fsck" 2>&1; then
		pass "$plat-libc-file: fsck.fat -n"
	else
		fail "$plat-libc-file: fsck.fat -n" "see $LOGDIR/recovery_libc-$plat.fsck"
	fi
	DISK=$disk boot_case "$plat-libc-file-kill" "$plat" recovery_libc 0 file-kill "$n" -- \
		"^recovery_libc: file-kill: $n threads killed holding FILEs \(disk yes\)" \
		'^recovery_libc: file-kill ok$'
	for kind in normal recursive errorcheck robust pi; do
		SMP=$smp boot_case "$plat-libc-mutex-$kind" "$plat" recovery_libc 0 mutex $kind "$n" -- \
			"^recovery_libc: mutex $kind: $n owners crashed" '^recovery_libc: mutex ok$'
	done
	for kind in normal recursive errorcheck robust; do
		SMP=$smp boot_case "$plat-libc-cond-$kind" "$plat" recovery_libc 0 cond $kind "$n" -- \
			"^recovery_libc: cond $kind: $n owners crashed" '^recovery_libc: cond ok$'
	done
	boot_case "$plat-libc-restart" "$plat" recovery_libc 0 restart "$n" -- \
		"^recovery_libc: restart: $n restarts in place" '^recovery_libc: restart ok$'
	boot_case "$plat-libc-restart-limit" "$plat" recovery_libc 125 restart-limit -- \
		'^recovery_libc: life 3$' 'restarted in place #2$' \
		'PANIC: thread [0-9]+ \(thread\) crashed 3 times: its restart limit is reached'
}

if build recovery_libc-linuxu MACHINE=linuxu APP=recovery_libc &&
	build recovery_libc-microvm MACHINE=qemu APP=recovery_libc; then
	recovery_libc_on linuxu 1000 1
	recovery_libc_on microvm 500 2
fi
