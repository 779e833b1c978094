/* The riscv64 identity map (mmu.c): Sv39, 4 KiB pages. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stddef.h>
#include <stdint.h>

/* Build the final map and switch to it: devices below 2 GiB read-write and
 * never executable (the first 1 MiB unmapped so that NULL faults), RAM
 * [ram_base, ram_base + ram_size) read-write and not executable, except
 * the image: text read-only and executable, read-only data read-only, the
 * rest read-write (4 KiB pages). */
void arch_mmu_init(uint64_t ram_base, uint64_t ram_size, uintptr_t image_start, uintptr_t text_end,
		   uintptr_t rodata_end);

/* plat_mem_protect() on riscv64: pages of RAM made inaccessible (prot 0)
 * or read-write again; 2 MiB megapages split on demand. */
int arch_mmu_protect(void *addr, size_t len, int prot);

/* Switch a CPU that starts to the map arch_mmu_init() made. */
void arch_mmu_enable_secondary(void);

/* Is the page at @addr mapped? (for tests) */
int arch_mmu_mapped(uintptr_t addr);

#endif
