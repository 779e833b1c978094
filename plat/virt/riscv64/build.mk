srcs-y += plat/virt/riscv64/entry.S plat/virt/riscv64/console.c plat/virt/riscv64/clock.c \
	plat/virt/riscv64/plic.c plat/virt/riscv64/cpu.c plat/virt/riscv64/smp.c
plat-ldscript := plat/virt/riscv64/kernel.ld
plat-ldflags := -Wl,-T,$(plat-ldscript) -Wl,-n -Wl,--no-relax \
	-Wl,--defsym=__zone_align=32
srcs-$(CONFIG_KTEST) += plat/virt/riscv64/ktest_virt.c
