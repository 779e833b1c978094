/* QEMU microvm: from the PVH entry to kernel_start(). Boot touches as little
 * as it can: every VM exit (port I/O, MSR, CPUID) costs microseconds here. */
#include <string.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kernel/boot.h>
#include <kernel/compiler.h>
#include <kernel/panic.h>
#include <platform.h>

#include "microvm.h"
#include "pvh.h"

extern uint64_t boot_tsc_start;
extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

static const struct pvh_start_info *start_info;

const char *plat_cmdline(void)
{
	if (!start_info || !start_info->cmdline_paddr)
		return "";
	return (const char *)(uintptr_t)start_info->cmdline_paddr;
}

/* RAM from the PVH memory map, minus everything below the end of the image
 * (firmware tables, the start info and the image itself live there). */
void plat_memory_foreach(void (*fn)(void *start, size_t len, void *arg), void *arg)
{
	const uint64_t floor = ALIGN_UP((uint64_t)(uintptr_t)__image_end, 4096);

	if (!start_info || start_info->version < 1 || !start_info->memmap_paddr)
		panic("PVH boot without a memory map");
	const struct pvh_memmap_entry *e = (void *)(uintptr_t)start_info->memmap_paddr;
	for (uint32_t i = 0; i < start_info->memmap_entries; i++) {
		if (e[i].type != PVH_MEMMAP_RAM)
			continue;
		uint64_t start = e[i].addr, end = e[i].addr + e[i].size;
		if (end <= floor)
			continue;
		if (start < floor)
			start = floor;
		fn((void *)(uintptr_t)start, end - start, arg);
	}
}

int microvm_is_ram(uint64_t addr, uint64_t len)
{
	const struct pvh_memmap_entry *e = (void *)(uintptr_t)start_info->memmap_paddr;

	for (uint32_t i = 0; start_info->memmap_paddr && i < start_info->memmap_entries; i++)
		if (e[i].type == PVH_MEMMAP_RAM && e[i].addr <= addr &&
		    addr + len <= e[i].addr + e[i].size)
			return 1;
	return 0;
}

void microvm_boot(uint32_t start_info_paddr)
{
	start_info = (const void *)(uintptr_t)start_info_paddr;
	x86_cpu_detect();
	x86_cpu_enable();
	arch_trap_init();
	x86_paging_init();
	x86_paging_protect_image((uintptr_t)__image_start, (uintptr_t)__text_end,
				 (uintptr_t)__rodata_end);
	if (start_info->magic != PVH_START_MAGIC)
		panic("not started through PVH (magic 0x%x)", start_info->magic);
	microvm_time_init(x86_tsc_calibrate());
	/* CPUID gave the boot CPU's APIC id for free; in x2APIC mode it may
	 * not fit in those 8 bits, so ask the local APIC. */
	microvm_acpi_init(start_info->rsdp_paddr, x86_cpu.x2apic ? lapic_id() : x86_cpu.apic_id);
	kernel_start(boot_tsc_start);
}
