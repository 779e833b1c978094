srcs-y += plat/microvm/entry_pvh.S plat/microvm/boot.c plat/microvm/clock.c \
	plat/microvm/poweroff.c plat/microvm/serial.c plat/microvm/acpi.c plat/microvm/smp.c \
	plat/microvm/irq.c plat/microvm/virtio_mmio.c plat/microvm/cpu.c
srcs-$(CONFIG_KTEST) += plat/microvm/ktest_irq.c
plat-ldscript := plat/microvm/kernel.ld
plat-ldflags := -Wl,-T,$(plat-ldscript) -Wl,-n \
	-Wl,--defsym=__zone_align=$(if $(CONFIG_ZONE),4096,32)
cold-srcs += plat/microvm/boot.c plat/microvm/acpi.c plat/microvm/smp.c plat/microvm/irq.c \
	plat/microvm/poweroff.c plat/microvm/virtio_mmio.c
