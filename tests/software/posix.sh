# POSIX behaviours ordinary programs rely on (tests/apps/posix_test): file
# locks, signals and credentials with Linux's semantics for a lone process. On a FAT disk, on
# linuxu and microvm. Sourced by tests/run.sh (tier software).
# shellcheck shell=bash

posix_disk=$LOGDIR/posix.img
# SOFTWARE_PLATS=virt: on aarch64 (tests/aarch64.sh)
for plat in ${SOFTWARE_PLATS:-linuxu microvm}; do
	rm -f "$posix_disk"
	mkfs.fat -C -F 16 "$posix_disk" 16384 >/dev/null
	build posix-$plat $(machine_args $plat) \
		APP=posix_test || continue
	DISK=$posix_disk boot_case "$plat-posix" $plat posix_test 0 -- \
		'^\[PASS\] posix\.flock_waits_for_the_close$' '^posix_test: ok$'
	log=$LOGDIR/boot-$plat-posix.log.txt
	[ -f "$log" ] && count_lines "$plat: " "$log"
	boot_case "$plat-posix-env" $plat posix_test 0 "env=GREETING=hello world" env=HOME=/home \
		@-- env HOME GREETING NONE -- '^env HOME=</home>$' '^env GREETING=<hello world>$' \
		'^env NONE=<\(unset\)>$'
	boot_case "$plat-posix-env-default" $plat posix_test 0 env HOME env=X=1 -- \
		'^env HOME=</>$' '^env env=X=1=<\(unset\)>$'
	DISK=$posix_disk boot_case "$plat-posix-sigterm" $plat posix_test 125 term -- \
		'^terminated by signal 15 \(Terminated\)$'
done
