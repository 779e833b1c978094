/* The identity map. Translation tables come from a static pool: the map
 * is built once at boot, and later changes (guard pages under stacks) only
 * split 2 MiB blocks into pages. Every CPU shares the one map; changes are
 * broadcast with TLBI ...IS. */
#include <errno.h>
#include <string.h>
#include <arch/mmu.h>
#include <kernel/panic.h>
#include <plat/irq.h>

#define PAGE 4096ul
#define BLOCK (2ul << 20)
#define GIB (1ul << 30)
#define ENTRIES 512
#define POOL_PAGES 256

#define D_VALID 1ul
#define D_TABLE 3ul /* table (levels 1-2) or page (level 3) */
#define D_BLOCK 1ul
#define D_ATTR_DEVICE (0ul << 2)
#define D_ATTR_NORMAL (1ul << 2)
#define D_RO (1ul << 7) /* AP[2]: read-only at EL1 */
#define D_SH_INNER (3ul << 8)
#define D_AF (1ul << 10)
#define D_PXN (1ul << 53)
#define D_UXN (1ul << 54)
#define D_ADDR 0x0000fffffffff000ul

#define NORMAL_RW (D_ATTR_NORMAL | D_SH_INNER | D_AF | D_PXN | D_UXN)
#define NORMAL_RO (NORMAL_RW | D_RO)
#define NORMAL_RX (D_ATTR_NORMAL | D_SH_INNER | D_AF | D_RO | D_UXN)
#define DEVICE (D_ATTR_DEVICE | D_AF | D_PXN | D_UXN)

typedef uint64_t pte_t;

static pte_t pool[POOL_PAGES][ENTRIES] __attribute__((aligned(4096), section(".bss.pagetables")));
static unsigned pool_used;
static pte_t *l1;
static volatile int map_lock;

static pte_t *table_alloc(void)
{
	if (pool_used == POOL_PAGES)
		return NULL;
	pte_t *t = pool[pool_used++];
	memset(t, 0, PAGE);
	return t;
}

static pte_t *next_table(pte_t e)
{
	return (pte_t *)(uintptr_t)(e & D_ADDR);
}

/* The L2 table of the GiB at @addr, made when missing. */
static pte_t *l2_of(uintptr_t addr)
{
	pte_t *e = &l1[addr / GIB];

	if (!(*e & D_VALID)) {
		pte_t *t = table_alloc();
		if (!t)
			return NULL;
		*e = (uintptr_t)t | D_TABLE;
	}
	return next_table(*e);
}

/* The L3 table of the 2 MiB at @addr; a block there becomes 512 pages
 * with its attributes. */
static pte_t *l3_of(uintptr_t addr)
{
	pte_t *l2 = l2_of(addr);
	if (!l2)
		return NULL;
	pte_t *e = &l2[(addr / BLOCK) % ENTRIES];
	if ((*e & 3) == D_TABLE)
		return next_table(*e);
	pte_t *t = table_alloc();
	if (!t)
		return NULL;
	if (*e & D_VALID) {
		uint64_t attrs = *e & ~D_ADDR & ~3ul, base = *e & D_ADDR;
		for (unsigned i = 0; i < ENTRIES; i++)
			t[i] = (base + i * PAGE) | attrs | D_TABLE;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__asm__ volatile("dsb ishst" ::: "memory");
	*e = (uintptr_t)t | D_TABLE;
	return t;
}

static void tlb_flush_all(void)
{
	__asm__ volatile("dsb ishst; tlbi vmalle1is; dsb ish; isb" ::: "memory");
}

static uint64_t image_attrs(uintptr_t a, uintptr_t text_end, uintptr_t rodata_end)
{
	return a < text_end ? NORMAL_RX : a < rodata_end ? NORMAL_RO : NORMAL_RW;
}

void arch_mmu_init(uint64_t ram_base, uint64_t ram_size, uintptr_t image_start, uintptr_t text_end,
		   uintptr_t rodata_end)
{
	l1 = table_alloc();
	pte_t *dev = l2_of(0);
	for (unsigned i = 1; i < ENTRIES; i++) /* the first 2 MiB stay unmapped: NULL */
		dev[i] = i * BLOCK | DEVICE | D_BLOCK;
	uint64_t end = ram_base + ram_size;
	for (uint64_t a = ram_base & ~(BLOCK - 1); a < end; a += BLOCK) {
		pte_t *l2 = l2_of(a);
		if (!l2)
			panic("mmu: no page tables for RAM at 0x%lx", (unsigned long)a);
		l2[(a / BLOCK) % ENTRIES] = a | NORMAL_RW | D_BLOCK;
	}
	/* The image on 4 KiB pages with their rights (W^X). */
	for (uintptr_t a = image_start & ~(PAGE - 1); a < rodata_end; a += PAGE) {
		pte_t *l3 = l3_of(a);
		if (!l3)
			panic("mmu: no page tables for the image");
		l3[(a / PAGE) % ENTRIES] = a | image_attrs(a, text_end, rodata_end) | D_TABLE;
	}
	__asm__ volatile("dsb ish; msr ttbr0_el1, %0; isb" ::"r"(l1) : "memory");
	tlb_flush_all();
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
	for (uintptr_t p = a; p < a + len; p += PAGE) {
		pte_t *l3 = l3_of(p);
		if (!l3) {
			err = -ENOMEM;
			break;
		}
		l3[(p / PAGE) % ENTRIES] = prot ? (p | NORMAL_RW | D_TABLE) : 0;
		__asm__ volatile("dsb ishst; tlbi vaae1is, %0" ::"r"(p >> 12) : "memory");
	}
	__asm__ volatile("dsb ish; isb" ::: "memory");
	__atomic_store_n(&map_lock, 0, __ATOMIC_RELEASE);
	irq_restore(flags);
	return err;
}

int arch_mmu_mapped(uintptr_t addr)
{
	pte_t e = l1[addr / GIB % ENTRIES];

	if (!(e & D_VALID))
		return 0;
	e = next_table(e)[(addr / BLOCK) % ENTRIES];
	if ((e & 3) != D_TABLE)
		return e & D_VALID;
	return next_table(e)[(addr / PAGE) % ENTRIES] & D_VALID;
}
