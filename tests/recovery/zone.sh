# Zones (CONFIG_ZONE): on microvm under TCG (-cpu max has protection keys)
# an application thread that writes kernel memory, or another zone's, is a
# recorded fault and the rest runs on; system calls work from inside zones;
# 1,000 violations leave memory and keys where they were; a stray WRPKRU
# stops the build. Where there are no keys (linuxu on this host, KVM guests
# without PKU) the zone calls still work. Sourced by tests/run.sh (tier
# recovery).
# shellcheck shell=bash

zone_res=()
zone_disk=$LOGDIR/zone.img
rm -f "$zone_disk"
mkfs.fat -C -F 16 "$zone_disk" 16384 >/dev/null
if build zone-microvm MACHINE=qemu APP=recovery_zone; then
	for what in "kernel code" "run queue" "timer list" "kernel heap header" \
		"kernel heap object" "thread flags" "zone switch" "fault log"; do
		zone_res+=("^recovery_zone: $what: zone violation: zone 15 \(shared\) wrote 0x[0-9a-f]+ in zone 0 \(kernel\)")
	done
	ACCEL=tcg DISK=$zone_disk boot_case microvm-zone-kernel microvm recovery_zone 0 kernel -- \
		'zone: protection keys on' "${zone_res[@]}" '^recovery_zone: ok$'
	ACCEL=tcg DISK=$zone_disk boot_case microvm-zone-zones microvm recovery_zone 0 zones -- \
		'^recovery_zone: A wrote B: zone violation: zone [0-9]+ \(sensor-a\) wrote 0x[0-9a-f]+ in zone [0-9]+ \(sensor-b\)' \
		'^recovery_zone: A read B: zone violation: zone [0-9]+ \(sensor-a\) read' \
		"^recovery_zone: A wrote B's stack: zone violation: zone [0-9]+ \(sensor-a\) wrote" \
		'^recovery_zone: 14 application zones, then the shared one$' \
		'zone: all keys in use: "more" and later zones share key 15' '^recovery_zone: ok$'
	ACCEL=tcg DISK=$zone_disk boot_case microvm-zone-calls microvm recovery_zone 0 calls -- \
		'^recovery_zone: hello from zone 1$' '^recovery_zone: hello from zone 15$' \
		'^recovery_zone: ok$'
	ACCEL=tcg DISK=$zone_disk SMP=2 boot_case microvm-zone-calls-smp2 microvm recovery_zone 0 \
		calls -- '^recovery_zone: hello from zone 1$' '^recovery_zone: ok$'
	ACCEL=tcg DISK=$zone_disk SMP=2 boot_case microvm-zone-zones-smp2 microvm recovery_zone 0 \
		zones -- '^recovery_zone: ok$'
	ACCEL=tcg DISK=$zone_disk boot_case microvm-zone-loop microvm recovery_zone 0 loop 1000 -- \
		'^recovery_zone: 1000 violations, 1000 lives, heap used [0-9]+ -> [0-9]+ .*zones ([0-9]+) -> \1$' \
		'^recovery_zone: ok$'
fi
if build zone-linuxu MACHINE=linuxu APP=recovery_zone; then
	DISK=$zone_disk boot_case linuxu-zone-unavailable linuxu recovery_zone 0 kernel -- \
		'^recovery_zone: zones unavailable$' '^recovery_zone: ok$'
fi
stray=build/x86_64-microvm-recovery_zone-stray
rm -f "$stray/unishyper.img"
if make MACHINE=qemu APP=recovery_zone VARIANT=stray EXTRA_CFLAGS=-DZONE_STRAY_WRPKRU \
	>"$LOGDIR/zone-stray.log" 2>&1; then
	fail "zone: an image with a stray WRPKRU was built" "see $LOGDIR/zone-stray.log"
elif grep -q 'WRPKRU outside a gate' "$LOGDIR/zone-stray.log" && [ ! -e "$stray/unishyper.img" ]; then
	pass "zone: a stray WRPKRU stops the build"
else
	fail "zone: the stray-WRPKRU build failed for another reason" "see $LOGDIR/zone-stray.log"
fi
if build zone-demo MACHINE=qemu APP=zone_demo; then
	ACCEL=tcg boot_case microvm-zone-demo microvm zone_demo 0 -- \
		'^zone_demo: zones on$' \
		'^fault #1: thread [0-9]+ \(sensor-a\) on CPU 0: zone violation: zone [0-9]+ \(sensor-a\) wrote 0x[0-9a-f]+ in zone [0-9]+ \(sensor-b\)' \
		'^sensor-a: life 2 in zone' '^sensor-b: calibration table intact$' '^zone_demo: ok$'
fi
