/* The Sv39 identity map. Page tables come from a static pool: the map is
 * built once at boot, and later changes (guard pages under stacks) only
 * split 2 MiB megapages into pages. Every CPU shares the one map; RISC-V
 * has no broadcast TLB invalidation, so a change is fenced on every hart
 * through the firmware (SBI remote sfence.vma). */
#include <errno.h>
#include <string.h>
#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/sbi.h>
#include <kernel/panic.h>
#include <plat/irq.h>

#define PAGE 4096ul
#define MEGA (2ul << 20)
#define GIGA (1ul << 30)
#define ENTRIES 512
#define POOL_PAGES 256
#define NULL_GUARD (1ul << 20) /* unmapped from 0: the device below it is QEMU's test device */

#define PTE_V (1ul << 0)
#define PTE_R (1ul << 1)
#define PTE_W (1ul << 2)
#define PTE_X (1ul << 3)
#define PTE_G (1ul << 5)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)
#define PTE_LEAF (PTE_R | PTE_W | PTE_X)
#define PTE_PPN_SHIFT 10
#define SATP_SV39 (8ul << 60)

/* Accessed and dirty set up front: hardware need not update them. */
#define RW (PTE_V | PTE_R | PTE_W | PTE_G | PTE_A | PTE_D)
#define RO (PTE_V | PTE_R | PTE_G | PTE_A)
#define RX (PTE_V | PTE_R | PTE_X | PTE_G | PTE_A)

typedef uint64_t pte_t;

static pte_t pool[POOL_PAGES][ENTRIES] __attribute__((aligned(4096), section(".bss.pagetables")));
static unsigned pool_used;
static pte_t *root;
static volatile int map_lock;

static pte_t *table_alloc(void)
{
	if (pool_used == POOL_PAGES)
		return NULL;
	pte_t *t = pool[pool_used++];
	memset(t, 0, PAGE);
	return t;
}

static pte_t make_pte(uintptr_t pa, uint64_t bits)
{
	return (pa >> 12) << PTE_PPN_SHIFT | bits;
}

static pte_t *table_of(pte_t e)
{
	return (pte_t *)(uintptr_t)((e >> PTE_PPN_SHIFT) << 12);
}

static int is_table(pte_t e)
{
	return (e & PTE_V) && !(e & PTE_LEAF);
}

/* The next level's table for entry *e, made when missing; a leaf there
 * (a megapage or gigapage) becomes 512 smaller ones with its rights. */
static pte_t *split(pte_t *e, uintptr_t step)
{
	if (is_table(*e))
		return table_of(*e);
	pte_t *t = table_alloc();
	if (!t)
		return NULL;
	if (*e & PTE_V) {
		uintptr_t base = (uintptr_t)table_of(*e);
		uint64_t bits = *e & ((1ul << PTE_PPN_SHIFT) - 1);
		for (unsigned i = 0; i < ENTRIES; i++)
			t[i] = make_pte(base + i * step, bits);
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*e = make_pte((uintptr_t)t, PTE_V);
	return t;
}

/* The 2 MiB-level table of the GiB at @addr. */
static pte_t *l1_of(uintptr_t addr)
{
	return split(&root[(addr / GIGA) % ENTRIES], MEGA);
}

/* The 4 KiB-level table of the 2 MiB at @addr. */
static pte_t *l0_of(uintptr_t addr)
{
	pte_t *l1 = l1_of(addr);

	return l1 ? split(&l1[(addr / MEGA) % ENTRIES], PAGE) : NULL;
}

static void fence_all_harts(uintptr_t start, size_t len)
{
	__asm__ volatile("sfence.vma" ::: "memory");
	/* hart_mask_base -1: every hart (the caller's too) */
	sbi_call(SBI_EXT_RFENCE, 1, 0, -1, (long)start, (long)len);
}

static uint64_t image_bits(uintptr_t a, uintptr_t text_end, uintptr_t rodata_end)
{
	return a < text_end ? RX : a < rodata_end ? RO : RW;
}

void arch_mmu_init(uint64_t ram_base, uint64_t ram_size, uintptr_t image_start, uintptr_t text_end,
		   uintptr_t rodata_end)
{
	root = table_alloc();
	/* Devices: the first GiB in megapages, the second as one gigapage. */
	pte_t *dev = l1_of(0);
	for (unsigned i = 1; i < ENTRIES; i++)
		dev[i] = make_pte(i * MEGA, RW);
	pte_t *low = l0_of(0);
	for (unsigned i = NULL_GUARD / PAGE; i < ENTRIES; i++)
		low[i] = make_pte(i * PAGE, RW);
	root[1] = make_pte(GIGA, RW);
	uint64_t end = ram_base + ram_size;
	for (uint64_t a = ram_base & ~(MEGA - 1); a < end; a += MEGA) {
		pte_t *l1 = l1_of(a);
		if (!l1)
			panic("mmu: no page tables for RAM at 0x%lx", (unsigned long)a);
		l1[(a / MEGA) % ENTRIES] = make_pte(a, RW);
	}
	/* The image on 4 KiB pages with their rights (W^X). */
	for (uintptr_t a = image_start & ~(PAGE - 1); a < rodata_end; a += PAGE) {
		pte_t *l0 = l0_of(a);
		if (!l0)
			panic("mmu: no page tables for the image");
		l0[(a / PAGE) % ENTRIES] = make_pte(a, image_bits(a, text_end, rodata_end));
	}
	__asm__ volatile("sfence.vma" ::: "memory");
	csr_write(satp, SATP_SV39 | (uintptr_t)root >> 12);
	__asm__ volatile("sfence.vma" ::: "memory");
}

/* A CPU that starts takes the boot CPU's map. */
void arch_mmu_enable_secondary(void)
{
	csr_write(satp, SATP_SV39 | (uintptr_t)root >> 12);
	__asm__ volatile("sfence.vma" ::: "memory");
}

int arch_mmu_protect(void *addr, size_t len, int prot)
{
	uintptr_t a = (uintptr_t)addr;
	int err = 0;

	if ((a | len) & (PAGE - 1))
		return -EINVAL;
	unsigned long flags = irq_save();
	while (__atomic_exchange_n(&map_lock, 1, __ATOMIC_ACQUIRE))
		plat_spin_wait();
	uintptr_t p;
	for (p = a; p < a + len; p += PAGE) {
		pte_t *l0 = l0_of(p);
		if (!l0) {
			err = -ENOMEM;
			break;
		}
		l0[(p / PAGE) % ENTRIES] = prot ? make_pte(p, RW) : 0;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	fence_all_harts(a, p - a);
	__atomic_store_n(&map_lock, 0, __ATOMIC_RELEASE);
	irq_restore(flags);
	return err;
}

int arch_mmu_mapped(uintptr_t addr)
{
	if (addr >= (1ul << 38)) /* the map's lower half is all there is */
		return 0;
	pte_t e = root[(addr / GIGA) % ENTRIES];

	if (!is_table(e))
		return !!(e & PTE_V);
	e = table_of(e)[(addr / MEGA) % ENTRIES];
	if (!is_table(e))
		return !!(e & PTE_V);
	return !!(table_of(e)[(addr / PAGE) % ENTRIES] & PTE_V);
}
