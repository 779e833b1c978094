/* In-kernel tests of plat_mem_protect() on the identity map: the page goes
 * and comes back, and splitting the 2 MiB or 1 GiB page around it keeps
 * every neighbour mapped to the same address with the same attributes. */
#include <errno.h>
#include <stdint.h>
#include <arch/x86.h>
#include <kernel/compiler.h>
#include <kernel/ktest.h>
#include <kernel/zone.h>
#include <kernel/mm.h>
#include <platform.h>

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_ADDR 0x000ffffffffff000ull
#define PAGE 4096ull
#define SIZE_2M 0x200000ull
#define SIZE_1G 0x40000000ull

static uint64_t pte(uintptr_t va, uint64_t *size)
{
	return x86_pte_get(va, size);
}

/* Every 4 KiB page of the 2 MiB region at @region except @skip is present,
 * writable, and maps its own address. @retval number of pages that are not */
static unsigned bad_neighbours(uintptr_t region, uintptr_t skip)
{
	unsigned bad = 0;

	for (uintptr_t va = region; va < region + SIZE_2M; va += PAGE) {
		uint64_t size, e = pte(va, &size);
		if (va != skip &&
		    (size != PAGE || !(e & PTE_P) || !(e & PTE_W) || (e & PTE_ADDR) != va))
			bad++;
	}
	return bad;
}

TEST(paging, protect_rejects_bad_arguments)
{
	uint8_t *p = mm_pages_alloc(mm_kernel_heap(), 1);
	uint64_t size;

	EXPECT(p != NULL);
	EXPECT_EQ(plat_mem_protect(p + 1, PAGE, 0), -EINVAL);
	EXPECT_EQ(plat_mem_protect(p, 100, 0), -EINVAL);
	EXPECT_EQ(plat_mem_protect(NULL, PAGE, 1), -EINVAL); /* NULL must keep faulting */
	EXPECT_EQ(plat_mem_protect((void *)(1ull << 40), PAGE, 0), -EINVAL);
	EXPECT_EQ(plat_mem_protect((void *)-PAGE, 2 * PAGE, 0), -EINVAL); /* wraps */
	EXPECT_EQ(plat_mem_protect(p, 0, 0), 0);
	EXPECT(pte((uintptr_t)p, &size) & PTE_P);
	mm_pages_free(p);
}

/* A whole 2 MiB page in [p, p + len) that no earlier test split (splits
 * are kept), or 0. */
static uintptr_t unsplit_region(uint8_t *p, size_t len)
{
	uint64_t size;

	for (uintptr_t r = ALIGN_UP((uintptr_t)p, SIZE_2M); r + SIZE_2M <= (uintptr_t)p + len;
	     r += SIZE_2M)
		if (pte(r, &size) && size == SIZE_2M)
			return r;
	return 0;
}

TEST(paging, protect_splits_a_2m_page_and_restores)
{
	/* 8 MiB: three whole 2 MiB pages at least, and the other test splits
	 * at most two. */
	uint8_t *big = mm_pages_alloc(mm_kernel_heap(), 2048);
	uintptr_t region = big ? unsplit_region(big, 2048 * PAGE) : 0;
	if (!region && zone_available()) { /* zones map all memory with 4 KiB pages */
		mm_pages_free(big);
		return;
	}
	EXPECT(region != 0);
	if (!region) {
		mm_pages_free(big);
		return;
	}
	uintptr_t page = region + 5 * PAGE;
	uint64_t size, before = pte(page, &size);
	for (uintptr_t va = region; va < region + SIZE_2M; va += PAGE)
		*(volatile uint8_t *)va = (uint8_t)(va >> 12);

	EXPECT_EQ(plat_mem_protect((void *)page, PAGE, 0), 0);
	uint64_t e = pte(page, &size);
	EXPECT_EQ(size, PAGE);
	EXPECT(!(e & PTE_P));
	EXPECT_EQ(e & PTE_ADDR, page);
	EXPECT_EQ(bad_neighbours(region, page), 0);
	EXPECT_EQ(*(volatile uint8_t *)(page - PAGE), (uint8_t)((page - PAGE) >> 12));
	EXPECT_EQ(*(volatile uint8_t *)(page + PAGE), (uint8_t)((page + PAGE) >> 12));
	EXPECT_EQ(*(volatile uint8_t *)(region + SIZE_2M - PAGE),
		  (uint8_t)((region + SIZE_2M - PAGE) >> 12));
	/* The 4 KiB entries keep the 2 MiB page's attributes (but PS). */
	EXPECT_EQ(pte(page + PAGE, &size) & 0x11eull, before & 0x11eull);

	EXPECT_EQ(plat_mem_protect((void *)page, PAGE, 1), 0);
	EXPECT(pte(page, &size) & PTE_P);
	EXPECT_EQ(*(volatile uint8_t *)page, (uint8_t)(page >> 12));
	EXPECT_EQ(bad_neighbours(region, 0), 0);
	mm_pages_free(big);
}

TEST(paging, protect_across_2m_pages)
{
	uint8_t *big = mm_pages_alloc(mm_kernel_heap(), 1536); /* two whole 2 MiB pages */
	EXPECT(big != NULL);
	if (!big)
		return;
	uintptr_t border = ALIGN_UP((uintptr_t)big, SIZE_2M) + SIZE_2M;
	uint64_t size;

	EXPECT_EQ(plat_mem_protect((void *)(border - PAGE), 2 * PAGE, 0), 0);
	EXPECT(!(pte(border - PAGE, &size) & PTE_P));
	EXPECT(!(pte(border, &size) & PTE_P));
	EXPECT_EQ(bad_neighbours(border - SIZE_2M, border - PAGE), 0);
	EXPECT_EQ(bad_neighbours(border, border), 0);
	EXPECT_EQ(plat_mem_protect((void *)(border - PAGE), 2 * PAGE, 1), 0);
	EXPECT_EQ(bad_neighbours(border - SIZE_2M, 0) + bad_neighbours(border, 0), 0);
	mm_pages_free(big);
}

/* Beyond the RAM the identity map goes on in 1 GiB pages (2 MiB ones on
 * CPUs without them): split one; only page table entries are looked at. */
TEST(paging, protect_splits_a_1g_page)
{
	uintptr_t gib = 16 * SIZE_1G, page = gib + 3 * SIZE_2M + 7 * PAGE;
	uint64_t size, e = pte(gib, &size);

	if (!e)
		gib = 2 * SIZE_1G, page = gib + 3 * SIZE_2M + 7 * PAGE;
	EXPECT(pte(page, &size) & PTE_P);
	EXPECT_EQ(plat_mem_protect((void *)page, PAGE, 0), 0);
	EXPECT(!(pte(page, &size) & PTE_P));
	EXPECT_EQ(size, PAGE);
	EXPECT_EQ(bad_neighbours(gib + 3 * SIZE_2M, page), 0);
	/* The other 2 MiB pages of that GiB stay whole and in place. */
	e = pte(gib, &size);
	EXPECT_EQ(size, SIZE_2M);
	EXPECT((e & PTE_P) && (e & PTE_ADDR) == gib);
	e = pte(gib + SIZE_1G - PAGE, &size);
	EXPECT_EQ(size, SIZE_2M);
	EXPECT((e & PTE_P) && (e & PTE_ADDR) == gib + SIZE_1G - SIZE_2M);
	EXPECT_EQ(plat_mem_protect((void *)page, PAGE, 1), 0);
	EXPECT(pte(page, &size) & PTE_P);
}

/* W^X (x86_paging_protect_image): code read-only and executable, constants
 * read-only and no-execute, data, heap and the AP trampoline's page (once
 * every CPU is up) writable and no-execute. */
#define PTE_NX (1ull << 63)
static const char wx_constant[] = "read-only";
static char wx_variable[64];

static int rights_are(uintptr_t va, int writable, int executable)
{
	uint64_t size, e = pte(va, &size);

	return (e & PTE_P) && (!!(e & PTE_W)) == writable && (!(e & PTE_NX)) == executable;
}

TEST(paging, image_is_w_xor_x)
{
	uint8_t *heap = mm_pages_alloc(mm_kernel_heap(), 1);

	EXPECT(rights_are((uintptr_t)x86_pte_get, 0, 1));
	EXPECT(rights_are((uintptr_t)wx_constant, 0, 0));
	EXPECT(rights_are((uintptr_t)wx_variable, 1, 0));
	EXPECT(rights_are((uintptr_t)&heap, 1, 0)); /* this thread's stack */
	EXPECT(heap && rights_are((uintptr_t)heap, 1, 0));
	EXPECT(rights_are(0x8000, 1, 0));
	EXPECT_EQ(x86_paging_set_rights((uintptr_t)x86_pte_get & ~(PAGE - 1), PAGE, X86_PAGE_WRITE),
		  -EINVAL);
	if (heap) {
		EXPECT_EQ(x86_paging_set_rights((uintptr_t)heap, PAGE, X86_PAGE_EXEC), 0);
		EXPECT(rights_are((uintptr_t)heap, 0, 1));
		EXPECT_EQ(x86_paging_set_rights((uintptr_t)heap, PAGE, X86_PAGE_WRITE), 0);
		EXPECT(rights_are((uintptr_t)heap, 1, 0));
		mm_pages_free(heap);
	}
}
