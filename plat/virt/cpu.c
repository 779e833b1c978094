/* Services of the virt platform every instruction set shares: page
 * protection and the virtio-mmio slots of the device tree. */
#include <errno.h>
#include <platform.h>
#include <arch/mmu.h>

#include "virt.h"

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
