/* The aarch64 identity map (mmu.c): 4 KiB granule, 39-bit addresses. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stddef.h>
#include <stdint.h>

/* Build the final map and switch to it: devices below 1 GiB (2 MiB blocks,
 * device-nGnRE, never executable, the first 2 MiB unmapped so that NULL
 * faults), RAM [ram_base, ram_base + ram_size) normal write-back and not
 * executable, except the image: text read-only and executable, read-only
 * data read-only, the rest read-write (4 KiB pages). */
void arch_mmu_init(uint64_t ram_base, uint64_t ram_size, uintptr_t image_start, uintptr_t text_end,
		   uintptr_t rodata_end);

/* plat_mem_protect() on aarch64: pages of RAM made inaccessible (prot 0)
 * or read-write again; 2 MiB blocks split on demand. */
int arch_mmu_protect(void *addr, size_t len, int prot);

/* Is the page at @addr mapped? (for tests) */
int arch_mmu_mapped(uintptr_t addr);

#endif
