/* Refinements of the static identity map that entry code switched on: the
 * page at address 0 is left unmapped so that a NULL dereference faults; the
 * image's code is read-only and everything else no-execute (W^X,
 * x86_paging_protect_image); x86_paging_protect() takes single pages away
 * (stack guards), splitting the 1 GiB and 2 MiB pages around them on
 * demand. All CPUs share these tables. Tables live in pages of their own
 * (.bss.pagetables, then the heap). */
#include <errno.h>
#include <stdint.h>
#include <arch/smp.h>
#include <arch/x86.h>
#include <kernel/compiler.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>
#include <platform.h>

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_U 0x4ull
#define PTE_PS 0x80ull
#define PTE_PAT_4K 0x80ull	/* in a 4 KiB entry, PAT is where PS is above */
#define PTE_PAT_LARGE 0x1000ull /* in a 2 MiB or 1 GiB entry */
#define PTE_G 0x100ull
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define PTE_PKEY_SHIFT 59
#define PTE_PKEY (0xfull << PTE_PKEY_SHIFT)

/* With zones every page is a "user" page (U set at every level): protection
 * keys apply to user pages only, in ring 0 too. Nothing else changes, since
 * neither SMEP nor SMAP is on. */
#define PTE_LINK (PTE_P | PTE_W | (IS_ENABLED(CONFIG_ZONE) ? PTE_U : 0))

#define PAGE_4K 0x1000ull
#define PAGE_2M 0x200000ull
#define PAGE_1G 0x40000000ull
#define VA_LIMIT (1ull << 39) /* the identity map is PML4 entry 0 */
#define RESERVE_PAGES 4	      /* tables for the first splits, before the heap exists */
#define INVLPG_MAX 64	      /* above this many pages one full flush is cheaper */

extern uint64_t boot_pml4[512];

static uint64_t pd_low[512] __attribute__((aligned(4096), section(".bss.pagetables")));
static uint64_t pt_low[512] __attribute__((aligned(4096), section(".bss.pagetables")));
static uint64_t reserve[RESERVE_PAGES][512]
    __attribute__((aligned(4096), section(".bss.pagetables")));

static spinlock_t lock = SPINLOCK_INIT;
static unsigned reserve_next;
static uint64_t *spare; /* page-table pages to use, linked through word 0 */
static long nspare;

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

static uint64_t *table_of(uint64_t entry)
{
	return (uint64_t *)(uintptr_t)(entry & PTE_ADDR);
}

/* The leaf entry for @va and its level (3: 1 GiB, 2: 2 MiB, 1: 4 KiB); NULL
 * when an entry above 4 KiB is not present (we only ever clear 4 KiB ones). */
static uint64_t *walk(uintptr_t va, int *level)
{
	uint64_t *e = &boot_pml4[va >> 39 & 511];

	if (!(*e & PTE_P))
		return NULL;
	for (*level = 3; *level > 1; --*level) {
		e = &table_of(*e)[va >> (3 + 9 * *level) & 511]; /* 30, 21 */
		if (!(*e & PTE_P))
			return NULL;
		if (*e & PTE_PS)
			return e;
	}
	return &table_of(*e)[va >> 12 & 511];
}

uint64_t x86_pte_get(uintptr_t va, uint64_t *page_size)
{
	int level;
	uint64_t *e = va < VA_LIMIT ? walk(va, &level) : NULL;

	*page_size = e ? PAGE_4K << (9 * (level - 1)) : 0;
	return e ? __atomic_load_n(e, __ATOMIC_RELAXED) : 0;
}

/* Table pages that taking [start, end) away needs: one per 2 MiB page it
 * touches, plus one per 1 GiB page it touches. -EINVAL if part of it is not
 * mapped at all. */
static long tables_needed(uintptr_t start, uintptr_t end)
{
	long n = 0;

	for (uintptr_t va = ALIGN_DOWN(start, PAGE_2M); va < end; va += PAGE_2M) {
		int level;
		if (!walk(va, &level))
			return -EINVAL;
		if (level == 3 && (va <= start || va % PAGE_1G == 0))
			n++; /* the 1 GiB page's new page directory */
		if (level >= 2)
			n++; /* the 2 MiB page's new page table */
	}
	return n;
}

/* Have at least @n pages in the spare list; what was taken stays there on
 * failure, for the next call. */
static int spares_get(long n)
{
	while (nspare < n) {
		uint64_t *p = reserve_next < RESERVE_PAGES ? reserve[reserve_next++]
							   : mm_pages_alloc(mm_kernel_heap(), 1);
		if (!p)
			return -ENOMEM;
		*(uint64_t **)p = spare;
		spare = p;
		nspare++;
	}
	return 0;
}

/* Replace the large page *e by a table of pages one level smaller with the
 * same translation and attributes. The table is complete before it is
 * linked, so another CPU walking now sees the large page or the whole table,
 * which translate alike; the stale large TLB entries are equivalent too. */
static void split(uint64_t *e, int level)
{
	uint64_t *t = spare, old = *e;

	BUG_ON(!nspare);
	spare = *(uint64_t **)t;
	nspare--;
	uint64_t size = level == 3 ? PAGE_2M : PAGE_4K;
	uint64_t base = old & PTE_ADDR & ~(size * 512 - 1);
	uint64_t attrs = old & (0xfffull | PTE_NX);
	if (level == 3)
		attrs |= old & PTE_PAT_LARGE;
	else
		attrs = (attrs & ~PTE_PS) | (old & PTE_PAT_LARGE ? PTE_PAT_4K : 0);
	for (uint64_t i = 0; i < 512; i++)
		t[i] = (base + i * size) | attrs;
	__atomic_store_n(e, (uintptr_t)t | PTE_LINK, __ATOMIC_RELEASE);
}

static uint64_t *split_to_4k(uintptr_t va)
{
	int level;
	uint64_t *e = walk(va, &level);

	while (level > 1) {
		split(e, level);
		e = walk(va, &level);
	}
	return e;
}

/* Waiting for the lock with interrupts off, this CPU may be the one the
 * holder waits for: answer its flush requests meanwhile. */
static unsigned long paging_lock(void)
{
	unsigned long flags = irq_save();

	while (!spin_trylock(&lock)) {
		x86_tlb_service();
		__builtin_ia32_pause();
	}
	return flags;
}

/* Taking pages away: local invlpg (which also drops a large page's entry
 * that covered them, and the paging-structure caches), then every other
 * CPU. Giving them back needs no flush anywhere: x86 caches no translation
 * from a non-present entry (SDM 4.10.4.3), so the next access walks the
 * tables and finds the page. Split tables are kept when pages come back. */
int x86_paging_protect(void *addr, size_t len, int prot)
{
	uintptr_t start = (uintptr_t)addr, end = start + len;

	if ((start | len) % PAGE_4K || end < start || start < PAGE_4K || end > VA_LIMIT)
		return -EINVAL; /* page 0 stays unmapped: NULL must fault */
	if (!len)
		return 0;
	unsigned long flags = paging_lock();
	long need = tables_needed(start, end);
	int ret = need < 0 ? (int)need : prot ? 0 : spares_get(need);
	if (ret)
		goto out;
	for (uintptr_t va = start; va < end; va += PAGE_4K) {
		if (prot) {
			int level;
			uint64_t *e = walk(va, &level);
			if (level == 1)
				__atomic_or_fetch(e, PTE_P, __ATOMIC_RELEASE);
		} else {
			__atomic_and_fetch(split_to_4k(va), ~PTE_P, __ATOMIC_RELEASE);
		}
	}
	if (!prot) {
		if (len / PAGE_4K > INVLPG_MAX)
			x86_tlb_flush_all();
		else
			for (uintptr_t va = start; va < end; va += PAGE_4K)
				__asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
		x86_tlb_shootdown();
	}
out:
	spin_unlock(&lock);
	irq_restore(flags);
	return ret;
}

/* ------------------------------------------------------------------ W^X */

/* What each page of the identity map may be used for: the image's code is
 * read and executed, never written (CR0.WP makes that hold in ring 0 too);
 * its read-only data is only read; everything else (data, the heap and
 * with it every stack, devices) is read and written, never executed. */
static uintptr_t wx_text, wx_text_end, wx_ro_end;

enum wx_kind { WX_DATA, WX_TEXT, WX_RODATA, WX_MIXED };

static enum wx_kind wx_kind_of(uintptr_t va, uint64_t size)
{
	uintptr_t end = va + size;

	if (end <= wx_text || va >= wx_ro_end)
		return WX_DATA;
	if (va >= wx_text && end <= wx_text_end)
		return WX_TEXT;
	if (va >= wx_text_end && end <= wx_ro_end)
		return WX_RODATA;
	return WX_MIXED;
}

static void wx_set(uint64_t *e, enum wx_kind k)
{
	uint64_t v = *e & ~(PTE_W | PTE_NX);

	if (IS_ENABLED(CONFIG_ZONE))
		v |= PTE_U;
	if (k == WX_DATA)
		v |= PTE_W | PTE_NX;
	else if (k == WX_RODATA)
		v |= PTE_NX;
	*e = v;
}

/* Each present leaf under @table (entries of @size bytes from @base) gets
 * the rights of what it maps; a large page that maps code and something
 * else is split first. */
static void wx_table(uint64_t *table, uint64_t base, uint64_t size)
{
	for (uint64_t i = 0; i < 512; i++) {
		uint64_t *e = &table[i], va = base + i * size;
		if (!(*e & PTE_P) || va >= VA_LIMIT)
			continue;
		int leaf = size == PAGE_4K || (*e & PTE_PS);
		enum wx_kind k = wx_kind_of(va, size);
		if (leaf && k != WX_MIXED) {
			wx_set(e, k);
			continue;
		}
		if (leaf) {
			if (spares_get(1))
				panic("paging: no page table for the image's rights");
			split(e, size == PAGE_1G ? 3 : 2);
		}
		*e |= PTE_LINK;
		wx_table(table_of(*e), va, size / 512);
	}
}

void x86_paging_protect_image(uintptr_t text, uintptr_t text_end, uintptr_t rodata_end)
{
	BUG_ON((text | text_end | rodata_end) % PAGE_4K || text >= text_end ||
	       text_end > rodata_end);
	unsigned long flags = paging_lock();
	wx_text = text;
	wx_text_end = text_end;
	wx_ro_end = rodata_end;
	boot_pml4[0] |= PTE_LINK;
	wx_table(table_of(boot_pml4[0]), 0, PAGE_1G);
	x86_tlb_flush_all();
	spin_unlock(&lock);
	irq_restore(flags);
}

/* The rights of pages outside the image, changed at run time (the AP
 * trampoline, code that is written and then run): always a step that takes
 * rights away from every CPU's TLB, as x86_paging_protect() does. */
int x86_paging_set_rights(uintptr_t va, size_t len, int rights)
{
	uintptr_t end = va + len;
	int ret;

	if ((va | len) % PAGE_4K || end < va || va < PAGE_4K || end > VA_LIMIT ||
	    (end > wx_text && va < wx_ro_end))
		return -EINVAL; /* the image's rights are fixed */
	unsigned long flags = paging_lock();
	long need = tables_needed(va, end);
	ret = need < 0 ? (int)need : spares_get(need);
	if (ret)
		goto out;
	for (uintptr_t p = va; p < end; p += PAGE_4K) {
		uint64_t *e = split_to_4k(p);
		uint64_t v = *e & ~(PTE_W | PTE_NX);
		v |= (rights & X86_PAGE_WRITE ? PTE_W : 0) | (rights & X86_PAGE_EXEC ? 0 : PTE_NX);
		__atomic_store_n(e, v, __ATOMIC_RELEASE);
	}
	x86_tlb_flush_all();
	x86_tlb_shootdown();
out:
	spin_unlock(&lock);
	irq_restore(flags);
	return ret;
}

/* ------------------------------------------------------- protection keys */

/* Every page of [start, end) mapped by its own 4 KiB entry, so that keys
 * can be given page by page later without allocating (a key changes while
 * the allocator's lock may be held). */
int x86_paging_split_4k(uintptr_t start, uintptr_t end)
{
	start = ALIGN_DOWN(start, PAGE_4K);
	end = ALIGN_UP(end, PAGE_4K);
	if (start < PAGE_4K || end > VA_LIMIT || end <= start)
		return -EINVAL;
	unsigned long flags = paging_lock();
	long need = tables_needed(start, end);
	int ret = need < 0 ? (int)need : spares_get(need);
	for (uintptr_t va = start; !ret && va < end; va += PAGE_2M - va % PAGE_2M)
		split_to_4k(va);
	x86_tlb_flush_all();
	x86_tlb_shootdown();
	spin_unlock(&lock);
	irq_restore(flags);
	return ret;
}

/* Give [va, va + len) protection key @key (0..15), or make it a supervisor
 * page, where keys do not apply (X86_KEY_SUPERVISOR). The pages must have
 * been split (x86_paging_split_4k). Every CPU drops the old entries: a key
 * is cached with the translation. */
int x86_paging_set_key(uintptr_t va, size_t len, int key)
{
	uintptr_t end = va + len;
	int ret = 0;

	if ((va | len) % PAGE_4K || end < va || va < PAGE_4K || end > VA_LIMIT || key > 15)
		return -EINVAL;
	unsigned long flags = paging_lock();
	for (uintptr_t p = va; p < end; p += PAGE_4K) {
		int level;
		uint64_t *e = walk(p, &level);
		if (!e || level != 1) {
			ret = -EINVAL;
			break;
		}
		uint64_t v = *e & ~PTE_PKEY;
		v = key < 0 ? v & ~PTE_U : (v | PTE_U) | (uint64_t)key << PTE_PKEY_SHIFT;
		__atomic_store_n(e, v, __ATOMIC_RELEASE);
	}
	if (len / PAGE_4K > INVLPG_MAX)
		x86_tlb_flush_all();
	else
		for (uintptr_t p = va; p < end; p += PAGE_4K)
			__asm__ volatile("invlpg (%0)" ::"r"(p) : "memory");
	x86_tlb_shootdown();
	spin_unlock(&lock);
	irq_restore(flags);
	return ret;
}

int x86_paging_key_of(uintptr_t va)
{
	uint64_t size, e = x86_pte_get(va, &size);

	if (!(e & PTE_P))
		return -1;
	return e & PTE_U ? (int)(e >> PTE_PKEY_SHIFT & 15) : X86_KEY_SUPERVISOR;
}
