# QEMU virt, on aarch64 and on riscv64: the device tree, the boot sequence
# and the virtio-mmio slots are shared (this folder); the interrupt
# controller, timer, console, CPU start and first instructions are each
# instruction set's own (plat/virt/$(ARCH)/).
srcs-y += plat/virt/boot.c plat/virt/fdt.c plat/virt/cpu.c
cold-srcs += plat/virt/boot.c plat/virt/fdt.c
srcs-$(CONFIG_KTEST) += plat/virt/ktest_virt.c
plat-includes := plat/virt/$(ARCH)/include
include plat/virt/$(ARCH)/build.mk
