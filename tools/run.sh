#!/usr/bin/env bash
# Boot an image and exit with the application's exit code.
#
#   tools/run.sh [--debug] PLATFORM IMAGE [ARGS...]
#
# PLATFORM: linuxu, microvm, virt (aarch64 or riscv64, as the image is),
# riscv64 (the same as virt for a riscv64 image).
#
# --debug (microvm): QEMU waits for gdb on 127.0.0.1 and a free port
# (GDB_PORT chooses), printed with the command to attach.
#
# microvm: QEMU -M microvm under KVM when /dev/kvm opens, TCG otherwise. The
# kernel powers off through isa-debug-exit, which makes QEMU exit with
# (code << 1) | 1; this script maps that back to code. A QEMU exit status
# that no power-off can produce (0 after a reset or triple fault with
# -no-reboot, an even number, QEMU's own errors) becomes 126.
# Environment: TIMEOUT=seconds (exit 124 when reached), MEM (default 256M),
# SMP (default 1), QEMU_EXTRA (more QEMU options), ACCEL=kvm|tcg (an image
# with zones runs under TCG when the host CPU has no protection keys),
# DISK=path (a raw disk image: a virtio-blk device on microvm, the host file
# UNISHYPER_DISK on linuxu; empty or unset: no disk), DISK_RO=1 (that disk
# read-only: QEMU readonly=on, UNISHYPER_DISK_READONLY=1 on linuxu).
# NET attaches a network device (virtio-net on microvm, the host backend
# UNISHYPER_NET on linuxu):
#   y | user   QEMU user networking: net 10.0.0.0/24, host 10.0.0.1, and
#              a forward from 127.0.0.1:HOST to the guest's 10.0.0.2:GUEST
#              for each HOST:GUEST in NET_FWD (default 8080:80,4444:4444,
#              7007:7; empty: none); no root, no tap (microvm only)
#   tap        a tap device tap0 with 10.0.0.1/24 inside a network
#              namespace made for this run (unishyper-PID, deleted after):
#              ping or connect from it with `ip netns exec NS ...`; root
#   udp:L:R    each frame is one UDP datagram, received on 127.0.0.1:L and
#              sent to 127.0.0.1:R (QEMU's -netdev socket,udp): tests
#              inject raw frames this way without root
# NET_MAC sets the device's MAC address.
# UNILIB=DIR shares host directory DIR with an image built with
# CONFIG_UNILIB_FS: on microvm QEMU's 9P server (virtio-9p-device), on linuxu
# Debian's diod started for the run on a free 127.0.0.1 port and stopped
# after it (UNISHYPER_UNILIB). UNILIB_RO=1 shares it read-only (microvm).
# UNILIB_SERVER=tcp:PORT[:EXPORT] (linuxu) uses a 9P server already running
# instead.
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

# The process that feeds standard input to QEMU, if run.sh made one.
stdin_feeder=

# NET=tap: a namespace with tap0 (10.0.0.1/24) for this run; the
# emulator runs inside it (netns_exec), and it goes when the run ends.
netns=
netns_exec=()
# Commands run when the script exits (NET=tap's namespace, UNILIB's server).
at_exit=()
trap 'for c in "${at_exit[@]}"; do eval "$c"; done' EXIT
net_tap_setup() {
	netns=unishyper-$$
	ip netns add "$netns" || { echo "run: NET=tap needs root (ip netns add)" >&2; exit 2; }
	at_exit+=('ip netns del "$netns" 2>/dev/null')
	ip -n "$netns" link set lo up
	ip -n "$netns" tuntap add dev tap0 mode tap
	ip -n "$netns" addr add 10.0.0.1/24 dev tap0
	ip -n "$netns" link set tap0 up
	netns_exec=(ip netns exec "$netns")
	echo "run: network namespace $netns (tap0 10.0.0.1/24); guest 10.0.0.2:" \
		"ip netns exec $netns ping 10.0.0.2" >&2
}

# UNILIB on linuxu: diod serving the directory for this run. The port is
# one the host just gave out; diod is waited for (bounded) before the boot.
diod_pid=
unilib_linuxu() {
	if [ -n "${UNILIB_SERVER:-}" ]; then
		export UNISHYPER_UNILIB=$UNILIB_SERVER
		return
	fi
	[ -n "${UNILIB:-}" ] || return 0
	local dir port i
	dir=$(realpath "$UNILIB") || exit 2
	command -v diod >/dev/null || { echo "run: UNILIB on linuxu needs diod (make setup)" >&2; exit 2; }
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	diod -f -n -l "127.0.0.1:$port" -e "$dir" -L "${UNILIB_LOG:-/dev/null}" &
	diod_pid=$!
	# SIGKILL: diod 1.0.24 may fault (and dump core) in its SIGTERM
	# shutdown; it keeps nothing unwritten.
	at_exit+=('kill -9 $diod_pid 2>/dev/null; wait $diod_pid 2>/dev/null')
	for i in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		sleep 0.05
	done
	export UNISHYPER_UNILIB=tcp:$port:$dir
}

run_linuxu() {
	case ${NET:-} in
	"") ;;
	tap)
		net_tap_setup
		export UNISHYPER_NET=tap:tap0
		;;
	udp:*) export UNISHYPER_NET=$NET ;;
	*)
		echo "run: NET=$NET: linuxu has NET=tap or NET=udp:LOCAL:REMOTE" >&2
		exit 2
		;;
	esac
	[ -n "${NET_MAC:-}" ] && export UNISHYPER_NET_MAC=$NET_MAC
	unilib_linuxu
	if [ $debug = 1 ]; then
		echo "gdb --args $elf $*"
		exec gdb -q --args "$elf" "$@"
	fi
	if [ -n "${DISK:-}" ]; then
		export UNISHYPER_DISK=$DISK
		[ "${DISK_RO:-0}" = 1 ] && export UNISHYPER_DISK_READONLY=1
	fi
	with_timeout "${netns_exec[@]}" "$image" "$@"
	exit $?
}

# QEMU options for NET (microvm).
net_options() {
	local dev=virtio-net-device,netdev=n0${NET_MAC:+,mac=$NET_MAC}
	case ${NET:-} in
	"") return ;;
	y | user)
		local fwd="" p
		IFS=, read -ra ports <<<"${NET_FWD-8080:80,4444:4444,7007:7}"
		for p in "${ports[@]}"; do
			fwd+=",hostfwd=tcp:127.0.0.1:${p%%:*}-10.0.0.2:${p##*:}"
		done
		qemu+=(-netdev "user,id=n0,net=10.0.0.0/24,host=10.0.0.1,dhcpstart=10.0.0.2$fwd")
		;;
	tap)
		net_tap_setup
		qemu+=(-netdev tap,id=n0,ifname=tap0,script=no,downscript=no)
		;;
	udp:*:*)
		local l=${NET#udp:}
		local r=${l#*:}
		l=${l%%:*}
		qemu+=(-netdev "socket,id=n0,udp=127.0.0.1:$r,localaddr=127.0.0.1:$l")
		;;
	*)
		echo "run: NET=$NET: use y (user), tap or udp:LOCAL:REMOTE" >&2
		exit 2
		;;
	esac
	qemu+=(-device "$dev")
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
	# An image with zones needs protection keys: KVM guests get them only
	# from a host CPU that has them; TCG's -cpu max always has them.
	if nm "$elf" 2>/dev/null | grep -q ' zone_on$' && ! grep -qw pku /proc/cpuinfo; then
		echo "run: zones need protection keys, which this CPU lacks: emulating (TCG)" >&2
		return 1
	fi
	return 0
}

# The kernel command line is one string, split by the kernel as a shell
# splits words: an argument with blanks, quotes or backslashes goes in
# single quotes (a quote inside as '\'').
cmdline() {
	local out="" a q="'"
	for a in "$@"; do
		case $a in
		"" | *[[:space:]\'\"\\]*) a="'${a//$q/$q\\$q$q}'" ;;
		esac
		out+="${out:+ }$a"
	done
	printf '%s' "$out"
}

# UNILIB on QEMU: its 9P server on a virtio-9p-device.
unilib_qemu() {
	if [ -n "${UNILIB:-}" ]; then
		local uro=
		[ "${UNILIB_RO:-0}" = 1 ] && uro=,readonly=on
		qemu+=(-fsdev "local,id=unilib0,path=$UNILIB,security_model=none$uro"
			-device virtio-9p-device,fsdev=unilib0,mount_tag=unilib)
	fi
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
	qemu_run gdb
}

# What both QEMU machines share, after the machine's own options in the
# array qemu: the disk, the network, the Unilib share, then either the
# debugger's wait or the run. The gdb stub listens on loopback only, on a
# free port (GDB_PORT to choose): reachable from this machine alone, and
# two sessions do not collide.
qemu_run() { # GDB-COMMAND
	if [ -n "${DISK:-}" ]; then
		local ro=
		[ "${DISK_RO:-0}" = 1 ] && ro=,readonly=on
		qemu+=(-drive "file=$DISK,format=raw,if=none,id=disk0$ro"
			-device virtio-blk-device,drive=disk0)
	fi
	net_options
	unilib_qemu
	[ ${#netns_exec[@]} = 0 ] || qemu=("${netns_exec[@]}" "${qemu[@]}")
	if [ $debug = 1 ]; then
		local port=${GDB_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
		echo "QEMU is waiting for the debugger on 127.0.0.1:$port. In another terminal:"
		echo "  $1 -ex 'target remote 127.0.0.1:$port' -ex 'hbreak kernel_start' -ex continue $elf"
		exec "${qemu[@]}" -gdb "tcp:127.0.0.1:$port" -S
	fi
	qemu_status "${qemu[@]}"
}

# Runs QEMU and exits with the application's code: QEMU's status is
# (code << 1) | 1 after a power-off; anything else (0 after a reset or a
# triple fault with -no-reboot, an even number, QEMU's own errors) is 126.
qemu_status() {
	local err
	err=$(mktemp)
	with_timeout "$@" 2> >(tee "$err" >&2)
	local status=$?
	# The input feeder (riscv64) may wait on input for ever: it goes
	# with the machine, before the wait for tee.
	[ -z "$stdin_feeder" ] || kill "$stdin_feeder" 2>/dev/null
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

# virt (aarch64): qemu-system-aarch64 -M virt under TCG. The kernel powers
# off through semihosting's exit with (code << 1) | 1, as on microvm; GIC
# (GIC=2|3, default 2), CPU (default cortex-a72), SMP, MEM and DISK as
# there. The device tree QEMU builds describes the machine to the kernel.
run_virt() {
	local qemu=(qemu-system-aarch64 -M "virt,gic-version=${GIC:-2}" -cpu "${CPU:-cortex-a72}"
		-m "${MEM:-256M}" -smp "${SMP:-1}" -no-reboot -nodefaults -display none
		-serial mon:stdio -kernel "$image" -append "$(cmdline "$@")"
		-semihosting-config enable=on,target=native
		-global virtio-mmio.force-legacy=false ${QEMU_EXTRA:-})
	qemu_run gdb-multiarch
}

# virt (riscv64): qemu-system-riscv64 -M virt under TCG with OpenSBI, the
# firmware Debian ships with QEMU (-bios default), which enters the
# image in S-mode. The kernel powers off through the SiFive test device
# with (code << 1) | 1; CPU (default rv64), SMP, MEM and DISK as on the
# other machines.
run_virt_riscv64() {
	# OpenSBI empties the UART's receive register when it starts: a byte
	# of input that reached QEMU before then is lost. Input that is not a
	# terminal (tests, scripts) therefore starts with a NUL for it to
	# swallow; the console drops a NUL that arrives later.
	if [ ! -t 0 ]; then
		exec < <(printf '\0'; exec cat)
		stdin_feeder=$!
	fi
	local qemu=(qemu-system-riscv64 -M virt -cpu "${CPU:-rv64}" -bios default
		-m "${MEM:-256M}" -smp "${SMP:-1}" -no-reboot -nodefaults -display none
		-serial mon:stdio -kernel "$image" -append "$(cmdline "$@")"
		-global virtio-mmio.force-legacy=false ${QEMU_EXTRA:-})
	qemu_run gdb-multiarch
}

# The instruction set of an ELF image (its e_machine): aarch64 or riscv64.
elf_arch() {
	case $(od -An -tu2 -j18 -N2 "$1" | tr -d ' ') in
	243) echo riscv64 ;;
	*) echo aarch64 ;;
	esac
}

case $plat in
linuxu) run_linuxu "$@" ;;
microvm) run_microvm "$@" ;;
virt) if [ "$(elf_arch "$image")" = riscv64 ]; then run_virt_riscv64 "$@"; else run_virt "$@"; fi ;;
riscv64) run_virt_riscv64 "$@" ;;
*)
	echo "run: unknown platform $plat" >&2
	exit 2
	;;
esac
