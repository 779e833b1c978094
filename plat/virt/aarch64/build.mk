srcs-y += plat/virt/aarch64/entry.S plat/virt/aarch64/console.c plat/virt/aarch64/clock.c \
	plat/virt/aarch64/gic.c plat/virt/aarch64/cpu.c plat/virt/aarch64/smp.c
plat-ldscript := plat/virt/aarch64/kernel.ld
plat-ldflags := -Wl,-T,$(plat-ldscript) -Wl,-n \
	-Wl,--defsym=__zone_align=32
srcs-$(CONFIG_KTEST) += plat/virt/aarch64/ktest_virt.c
