/* Per-CPU services of the virt platform: the thread pointer, idling, page
 * protection; the virtio-mmio slots of the device tree. */
#include <errno.h>
#include <musl_offsets.h>
#include <platform.h>
#include <arch/mmu.h>

#include "virt.h"

void plat_set_thread_pointer(void *self)
{
	uintptr_t tp = self ? (uintptr_t)self + MUSL_TP_ADJ : 0;

	__asm__ volatile("msr tpidr_el0, %0" ::"r"(tp) : "memory");
}

/* WFI wakes on a pending interrupt even while it is masked; unmasking for
 * one instruction then lets it run. */
void plat_idle(void)
{
	__asm__ volatile("dsb sy; wfi; msr daifclr, #2; isb; msr daifset, #2" ::: "memory");
}

int plat_mem_protect(void *addr, size_t len, int prot)
{
	return arch_mmu_protect(addr, len, prot);
}

/* QEMU lists the slots from the highest address down; report them in slot
 * order (lowest address first), as microvm does. */
int plat_virtio_mmio_foreach(void (*fn)(uintptr_t base, unsigned irq, void *arg), void *arg)
{
	int n = 0;

	for (int i = virt.nvirtio - 1; i >= 0; i--)
		if (virt.virtio_base[i]) {
			fn(virt.virtio_base[i], virt.virtio_irq[i], arg);
			n++;
		}
	return n;
}
