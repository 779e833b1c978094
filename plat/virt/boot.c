/* QEMU virt: from the first instructions (plat/virt/<arch>/entry.S) to
 * kernel_start(). */
#include <kernel/boot.h>
#include <kernel/compiler.h>
#include <kernel/panic.h>
#include <arch/mmu.h>
#include <platform.h>

#include "virt.h"

#define BOOT_STACK_SIZE 16384
extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

uint8_t virt_boot_stack[BOOT_STACK_SIZE] __attribute__((aligned(16)));
__asm__(".globl virt_boot_stack_top; .set virt_boot_stack_top, virt_boot_stack + 16384");

const char *plat_cmdline(void)
{
	return virt.bootargs ? virt.bootargs : "";
}

/* RAM from the device tree, minus everything below the end of the image
 * (on aarch64 the device tree sits at its start; on riscv64 the firmware
 * does) and minus the device tree wherever it is (riscv64: near the end
 * of RAM). */
void plat_memory_foreach(void (*fn)(void *start, size_t len, void *arg), void *arg)
{
	uint64_t floor = ALIGN_UP((uint64_t)(uintptr_t)__image_end, 4096);
	uint64_t start = virt.mem_base, end = virt.mem_base + virt.mem_size;
	uint64_t fdt_start = (uintptr_t)virt.fdt & ~4095ul;
	uint64_t fdt_end = ALIGN_UP((uint64_t)(uintptr_t)virt.fdt + virt.fdt_size, 4096);

	if (start < floor)
		start = floor;
	if (fdt_end > start && fdt_start < end) {
		if (fdt_start > start)
			fn((void *)(uintptr_t)start, fdt_start - start, arg);
		start = fdt_end;
	}
	if (end > start)
		fn((void *)(uintptr_t)start, end - start, arg);
}

void virt_boot(uint64_t boot_cycles, const void *fdt, int64_t boot_id)
{
	virt_cpu_early_init(0);
	virt_fdt_parse(fdt, boot_id);
	arch_mmu_init(virt.mem_base, virt.mem_size, (uintptr_t)__image_start, (uintptr_t)__text_end,
		      (uintptr_t)__rodata_end);
	virt_clock_init();
	virt_irq_init();
	kernel_start(boot_cycles);
}
