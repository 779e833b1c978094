#!/usr/bin/env bash
# Install what building, running and testing Unishyper needs on a Debian
# machine: QEMU, Kconfig tools, source-package tools, disk-image tools,
# tclsh (SQLite's amalgamation is made by its own build) and the host's
# sqlite3 (to check the databases the examples write); for ARCH=aarch64
# and ARCH=riscv64 Debian's cross compilers, QEMU's Arm and RISC-V machines
# (with OpenSBI, the firmware riscv64 boots through) and gdb-multiarch.
# Idempotent: prints nothing and installs nothing when all is there
# (with --quiet). Dependencies' sources (musl) are fetched by their own
# build scripts under lib/.
set -eu

quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1

# command-to-check:package
needs=(
	qemu-system-x86_64:qemu-system-x86
	/usr/lib/python3/dist-packages/kconfiglib.py:python3-kconfiglib
	dpkg-source:dpkg-dev
	mcopy:mtools
	mkfs.fat:dosfstools
	gcc:gcc
	make:make
	nm:binutils
	timeout:coreutils
	python3:python3
	curl:curl
	ping:iputils-ping
	ip:iproute2
	wrk:wrk
	clang:clang
	/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev
	tclsh:tcl
	sqlite3:sqlite3
	/usr/sbin/diod:diod
	aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu
	qemu-system-aarch64:qemu-system-arm
	riscv64-linux-gnu-gcc:gcc-riscv64-linux-gnu
	qemu-system-riscv64:qemu-system-misc
	/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin:opensbi
	gdb-multiarch:gdb-multiarch
)

missing=()
for n in "${needs[@]}"; do
	what=${n%%:*} pkg=${n#*:}
	if [[ $what == /* ]]; then
		[ -e "$what" ] && continue
	else
		command -v "$what" >/dev/null 2>&1 && continue
	fi
	missing+=("$pkg")
done

if [ ${#missing[@]} = 0 ]; then
	[ $quiet = 1 ] || echo "setup: everything is installed"
	exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
