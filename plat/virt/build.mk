srcs-y += plat/virt/entry.S plat/virt/boot.c plat/virt/fdt.c plat/virt/console.c plat/virt/clock.c \
	plat/virt/gic.c plat/virt/cpu.c plat/virt/smp.c
plat-ldscript := plat/virt/kernel.ld
plat-ldflags := -Wl,-T,$(plat-ldscript) -Wl,-n \
	-Wl,--defsym=__zone_align=32
cold-srcs += plat/virt/boot.c plat/virt/fdt.c
srcs-$(CONFIG_KTEST) += plat/virt/ktest_virt.c
