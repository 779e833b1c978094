#!/usr/bin/env bash
# Boot an image and exit with the application's exit code.
#
#   tools/run.sh [--debug] PLATFORM IMAGE [ARGS...]
#
# microvm: QEMU -M microvm under KVM when /dev/kvm opens, TCG otherwise. The
# kernel powers off through isa-debug-exit, which makes QEMU exit with
# (code << 1) | 1; this script maps that back to code. A QEMU exit status
# that no power-off can produce (0 after a reset or triple fault with
# -no-reboot, an even number, QEMU's own errors) becomes 126.
# Environment: TIMEOUT=seconds (exit 124 when reached), MEM (default 256M),
# SMP (default 1), QEMU_EXTRA (more QEMU options), ACCEL=kvm|tcg,
# DISK=path (a raw disk image: a virtio-blk device on microvm, the host file
# UNISHYPER_DISK on linuxu; empty or unset: no disk), DISK_RO=1 (that disk
# read-only: QEMU readonly=on, UNISHYPER_DISK_READONLY=1 on linuxu).
set -u

debug=0
if [ "${1:-}" = "--debug" ]; then
	debug=1
	shift
fi
plat=$1 image=$2
shift 2
elf=${image%/*}/kernel.elf

with_timeout() {
	if [ -n "${TIMEOUT:-}" ]; then
		timeout --foreground -k 2 "$TIMEOUT" "$@"
	else
		"$@"
	fi
}

run_linuxu() {
	if [ $debug = 1 ]; then
		echo "gdb --args $elf $*"
		exec gdb -q --args "$elf" "$@"
	fi
	if [ -n "${DISK:-}" ]; then
		export UNISHYPER_DISK=$DISK
		[ "${DISK_RO:-0}" = 1 ] && export UNISHYPER_DISK_READONLY=1
	fi
	with_timeout "$image" "$@"
	exit $?
}

# KVM, unless it cannot run this kernel at speed. A host whose KVM is the
# pagetable-based kind (kvm_pvm) runs ring-0 guest code through the
# instruction emulator, which cannot emulate SSE: there TCG is both faster
# and correct. ACCEL=kvm forces KVM anyway.
kvm_usable() {
	[ "${ACCEL:-}" = tcg ] && return 1
	{ exec 3<>/dev/kvm; } 2>/dev/null || return 1
	exec 3>&-
	[ "${ACCEL:-}" = kvm ] && return 0
	[ -d /sys/module/kvm_pvm ] && return 1
	return 0
}

# The kernel command line is one string: quote the arguments that hold
# spaces so the kernel splits it back into the same words.
cmdline() {
	local out="" a
	for a in "$@"; do
		case $a in
		"" | *[[:space:]]*) [[ $a == *'"'* ]] && a="'$a'" || a="\"$a\"" ;;
		esac
		out+="${out:+ }$a"
	done
	printf '%s' "$out"
}

run_microvm() {
	local accel machine=microvm,pic=off,rtc=on,isa-serial=on
	if kvm_usable; then
		accel=(-accel kvm -cpu host)
		machine+=",pit=off"
	else
		# Software emulation: the PIT stays, the kernel may need it to
		# measure the TSC.
		accel=(-accel tcg -cpu max)
	fi
	local qemu=(qemu-system-x86_64 -M "$machine" "${accel[@]}"
		-m "${MEM:-256M}" -smp "${SMP:-1}" -no-reboot -nodefaults -display none
		-serial mon:stdio -kernel "$image" -append "$(cmdline "$@")"
		-device isa-debug-exit,iobase=0xf4,iosize=0x04
		-global virtio-mmio.force-legacy=false ${QEMU_EXTRA:-})
	if [ -n "${DISK:-}" ]; then
		local ro=
		[ "${DISK_RO:-0}" = 1 ] && ro=,readonly=on
		qemu+=(-drive "file=$DISK,format=raw,if=none,id=disk0$ro"
			-device virtio-blk-device,drive=disk0)
	fi
	if [ $debug = 1 ]; then
		echo "QEMU is waiting for the debugger. In another terminal:"
		echo "  gdb -ex 'target remote :1234' -ex 'hbreak kernel_start' -ex continue $elf"
		exec "${qemu[@]}" -s -S
	fi
	local err
	err=$(mktemp)
	with_timeout "${qemu[@]}" 2> >(tee "$err" >&2)
	local status=$?
	wait
	if [ $status = 124 ] && [ -n "${TIMEOUT:-}" ]; then
		echo "run: timed out after ${TIMEOUT}s" >&2
		rm -f "$err"
		exit 124
	fi
	if [ $((status % 2)) = 1 ] && ! grep -q '^qemu-system' "$err"; then
		rm -f "$err"
		exit $((status >> 1))
	fi
	rm -f "$err"
	if [ $status = 0 ]; then
		echo "run: the machine reset (triple fault?) instead of powering off" >&2
	else
		echo "run: QEMU failed (status $status)" >&2
	fi
	exit 126
}

case $plat in
linuxu) run_linuxu "$@" ;;
microvm) run_microvm "$@" ;;
*)
	echo "run: unknown platform $plat" >&2
	exit 2
	;;
esac
