/* QEMU virt: from entry.S to kernel_start(). */
#include <kernel/boot.h>
#include <kernel/compiler.h>
#include <kernel/panic.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <platform.h>

#include "virt.h"

#define BOOT_STACK_SIZE 16384
extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

uint8_t virt_boot_stack[BOOT_STACK_SIZE] __attribute__((aligned(16)));
uint8_t virt_exc_stack0[BOOT_STACK_SIZE] __attribute__((aligned(16)));
__asm__(".globl virt_boot_stack_top; .set virt_boot_stack_top, virt_boot_stack + 16384\n"
	".globl virt_exc_stack0_top; .set virt_exc_stack0_top, virt_exc_stack0 + 16384");

const char *plat_cmdline(void)
{
	return virt.bootargs ? virt.bootargs : "";
}

/* RAM from the device tree, minus everything below the end of the image
 * (the device tree itself lives at its start). */
void plat_memory_foreach(void (*fn)(void *start, size_t len, void *arg), void *arg)
{
	uint64_t floor = ALIGN_UP((uint64_t)(uintptr_t)__image_end, 4096);
	uint64_t start = virt.mem_base, end = virt.mem_base + virt.mem_size;

	if (start < floor)
		start = floor;
	if (end > start)
		fn((void *)(uintptr_t)start, end - start, arg);
}

void virt_boot(uint64_t boot_cycles)
{
	arch_trap_init();
	virt_fdt_parse((const void *)VIRT_DTB_ADDR);
	arch_mmu_init(virt.mem_base, virt.mem_size, (uintptr_t)__image_start, (uintptr_t)__text_end,
		      (uintptr_t)__rodata_end);
	virt_clock_init();
	virt_gic_init();
	kernel_start(boot_cycles);
}
