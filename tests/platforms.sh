# The platforms tests run on, by the names the test scripts use: linuxu
# and microvm (x86_64), virt (aarch64 on QEMU virt) and riscv64 (riscv64
# on QEMU virt). tools/run.sh takes the same names.
# shellcheck shell=bash

plat_arch() { # PLAT
	case $1 in
	virt) echo aarch64 ;;
	riscv64) echo riscv64 ;;
	*) echo x86_64 ;;
	esac
}

plat_machine() { # PLAT: make's MACHINE
	if [ "$1" = linuxu ]; then echo linuxu; else echo qemu; fi
}

# The build folder of APP (and VARIANT) for PLAT, as the Makefile names it.
plat_build_dir() { # PLAT APP [VARIANT]
	local dir=$1
	[ "$dir" = riscv64 ] && dir=virt
	echo "build/$(plat_arch "$1")-$dir-$2${3:+-$3}"
}

# QEMU virt, on either instruction set: it runs what microvm runs.
plat_is_virt() { [ "$1" = virt ] || [ "$1" = riscv64 ]; }
