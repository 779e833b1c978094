/* Refinements of the static identity map that entry code switched on: the
 * page at address 0 is left unmapped so that a NULL dereference faults. The
 * tables live in pages of their own (.bss.pagetables). */
#include <stdint.h>
#include <arch/x86.h>

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_PS 0x80ull
#define PTE_G 0x100ull
#define PTE_ADDR 0x000ffffffffff000ull

extern uint64_t boot_pml4[512];

static uint64_t pd_low[512] __attribute__((aligned(4096), section(".bss.pagetables")));
static uint64_t pt_low[512] __attribute__((aligned(4096), section(".bss.pagetables")));

void x86_paging_init(void)
{
	uint64_t *pdpt = (uint64_t *)(uintptr_t)(boot_pml4[0] & PTE_ADDR);
	uint64_t *pd;

	if (pdpt[0] & PTE_PS) { /* the first GiB is one page: split it */
		for (uint64_t i = 0; i < 512; i++)
			pd_low[i] = (i << 21) | PTE_P | PTE_W | PTE_PS | PTE_G;
		pd = pd_low;
	} else {
		pd = (uint64_t *)(uintptr_t)(pdpt[0] & PTE_ADDR);
	}
	for (uint64_t i = 1; i < 512; i++)
		pt_low[i] = (i << 12) | PTE_P | PTE_W | PTE_G;
	pt_low[0] = 0;
	pd[0] = (uintptr_t)pt_low | PTE_P | PTE_W;
	if (pd == pd_low)
		pdpt[0] = (uintptr_t)pd_low | PTE_P | PTE_W;
	/* Only page 0 changed meaning; every other address maps as before. */
	__asm__ volatile("invlpg (%0)" ::"r"(0ul) : "memory");
}
