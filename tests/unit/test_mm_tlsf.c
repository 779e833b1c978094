// unit-sources: kernel/mm/tlsf.c kernel/mm/map.c kernel/mm/slab.c kernel/mm/large.c kernel/mm/heap.c kernel/mm/stats.c kernel/mm/release.c kernel/mm/check.c
/* The general heap: fits, splitting, merging, alignment, limits, regions. */
#include <stdint.h>
#include <stdio.h>
#include "harness.h"
#include <stdlib.h>
#include <string.h>
#include <kernel/mm.h>
#include "../../kernel/mm/mm_internal.h"

static int t_corruptions;

void mm_corruption(const char *what, const void *p)
{
	(void)what;
	(void)p;
	t_corruptions++;
}

#define REGION_SIZE ((size_t)4 << 20)
static char *region;

static struct mm_stats stats(void)
{
	struct mm_stats s;

	mm_stats_get(&s);
	return s;
}

/* Fresh allocator over the aligned test region. */
static void fresh(size_t len)
{
	mm_init();
	t_corruptions = 0;
	if (mm_add_region(region, len))
		abort();
}

static void run(const char *name, void (*fn)(void))
{
	t_failed = 0;
	fresh(REGION_SIZE);
	fn();
	if (!t_failed && t_corruptions)
		snprintf(t_why, sizeof(t_why), "unexpected mm_corruption calls: %d", t_corruptions),
		    t_failed = 1;
	t_report("mm", name);
}

static struct mm_heap *kh(void)
{
	return mm_kernel_heap();
}

/* A region holds one free block: everything but the descriptor and end
 * sentinel.
 */
static void test_fresh_region(void)
{
	struct mm_stats s = stats();

	CHECK(s.total == REGION_SIZE);
	CHECK(s.free == REGION_SIZE - 48);
	CHECK(s.largest_free == s.free);
	CHECK(s.used == 0);
	CHECK(s.nheaps == 2 /* the kernel heap and the shared heap */);
}

static void test_exact_fit(void)
{
	size_t whole = stats().free, span_b;
	char *a, *b, *c, *d;

	/* A request that needs exactly the whole block takes all of it. */
	a = mm_tlsf_alloc(whole - 8, 16, 0);
	CHECK(a);
	CHECK(stats().free == 0);
	CHECK(mm_tlsf_span(a) == whole);
	CHECK(mm_tlsf_alloc(1, 16, 0) == NULL);
	CHECK(mm_tlsf_free(a) == 0);
	CHECK(stats().free == whole && stats().largest_free == whole);

	/* A hole between used blocks is reused by a request of its exact size. */
	a = mm_tlsf_alloc(1000, 16, 0);
	b = mm_tlsf_alloc(3064, 16, 0);
	c = mm_tlsf_alloc(1000, 16, 0);
	CHECK(a && b && c);
	CHECK(b == a + mm_tlsf_span(a) && c == b + mm_tlsf_span(b));
	/* 3072 starts a class, so the search cannot skip to a larger one. */
	span_b = mm_tlsf_span(b);
	CHECK(span_b == 3072);
	CHECK(mm_tlsf_free(b) == 0);
	d = mm_tlsf_alloc(span_b - 8, 16, 0);
	CHECK(d == b);
	CHECK(mm_tlsf_usable(d) == span_b - 8);
	CHECK(mm_tlsf_free(a) == 0 && mm_tlsf_free(c) == 0 && mm_tlsf_free(d) == 0);
	CHECK(stats().free == whole && stats().largest_free == whole);
	/* Freeing twice is refused. */
	CHECK(mm_tlsf_free(d) == -1);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

#define NBLK 96

/* Allocate blocks of mixed sizes, free them in the order @order gives, and
 * check one free block covers the region again.
 */
static void split_and_merge(const int *order, size_t whole, int *ok)
{
	void *p[NBLK];
	int i;

	*ok = 0;
	for (i = 0; i < NBLK; i++) {
		p[i] = mm_tlsf_alloc(16 + (i * 7919) % 30000, 16, 0);
		if (!p[i])
			return;
		memset(p[i], i, mm_tlsf_usable(p[i]));
	}
	for (i = 0; i < NBLK; i++)
		if (mm_tlsf_free(p[order[i]]))
			return;
	*ok = stats().free == whole && stats().largest_free == whole;
}

static void test_split_coalesce(void)
{
	size_t whole = stats().free;
	int order[NBLK], i, j, t, round, ok;

	for (round = 0; round < 40; round++) {
		for (i = 0; i < NBLK; i++)
			order[i] = i;
		if (round == 1) {
			for (i = 0; i < NBLK; i++)
				order[i] = NBLK - 1 - i;
		} else if (round == 2) {
			for (i = 0; i < NBLK; i++)
				order[i] = i < NBLK / 2 ? 2 * i : 2 * (i - NBLK / 2) + 1;
		} else if (round > 2) {
			for (i = NBLK - 1; i > 0; i--) {
				j = rnd() % (i + 1);
				t = order[i];
				order[i] = order[j];
				order[j] = t;
			}
		}
		split_and_merge(order, whole, &ok);
		CHECK(ok);
	}
}

/* Every one of the 720 orders of freeing six neighbours, with a used block
 * at each end so merging at the edges is exercised too.
 */
static void test_every_order(void)
{
	size_t whole = stats().free, sizes[6] = {24, 100, 3000, 40, 1000, 200};
	int perm[6] = {0, 1, 2, 3, 4, 5}, c[6] = {0}, i, k, t, n = 0;
	void *p[6], *lo, *hi;

	lo = mm_tlsf_alloc(64, 16, 0);
	for (;;) {
		for (k = 0; k < 6; k++)
			CHECK((p[k] = mm_tlsf_alloc(sizes[k], 16, 0)) != NULL);
		hi = mm_tlsf_alloc(64, 16, 0);
		CHECK(hi == (char *)p[5] + mm_tlsf_span(p[5]));
		for (k = 0; k < 6; k++)
			CHECK(mm_tlsf_free(p[perm[k]]) == 0);
		/* One free block again, from the end of lo up to hi. */
		CHECK(mm_tlsf_span(p[0]) == (size_t)((char *)hi - (char *)p[0]));
		CHECK(stats().free == whole - mm_tlsf_span(lo) - mm_tlsf_span(hi));
		CHECK(mm_tlsf_free(hi) == 0);
		CHECK(stats().free == whole - mm_tlsf_span(lo));
		n++;
		/* Next permutation (Heap's algorithm, iterative). */
		for (i = 1; i < 6 && c[i] >= i; i++)
			c[i] = 0;
		if (i == 6)
			break;
		k = i % 2 ? c[i] : 0;
		t = perm[k];
		perm[k] = perm[i];
		perm[i] = t;
		c[i]++;
	}
	CHECK(n == 720);
	CHECK(mm_tlsf_free(lo) == 0);
	CHECK(stats().free == whole && stats().largest_free == whole);
}

/* Freeing two neighbours leaves one block that holds both. */
static void test_neighbours_merge(void)
{
	char *a = mm_tlsf_alloc(500, 16, 0), *b = mm_tlsf_alloc(700, 16, 0);
	char *c = mm_tlsf_alloc(808, 16, 0), *d = mm_tlsf_alloc(100, 16, 0), *e;
	size_t both;

	CHECK(a && b && c && d);
	both = mm_tlsf_span(b) + mm_tlsf_span(c);
	/* 720 + 816 = 1536, a class boundary: the merged block is an exact fit. */
	CHECK(both == 1536);
	CHECK(mm_tlsf_free(c) == 0);
	CHECK(mm_tlsf_free(b) == 0);
	e = mm_tlsf_alloc(both - 8, 16, 0);
	CHECK(e == b);
	CHECK(mm_tlsf_span(e) == both);
}

static void test_alignment(void)
{
	size_t whole = stats().free, align, size;
	void *p[65];
	int n = 0, i;

	for (align = 16; align <= 4096; align *= 2) {
		for (size = 1; size < 20000; size = size * 3 + 5) {
			void *q = mm_heap_memalign(kh(), align, size);

			CHECK(q && (uintptr_t)q % align == 0);
			CHECK(mm_usable_size(q) >= size);
			memset(q, 0xa5, mm_usable_size(q));
			if (size > MM_SMALL_MAX && n < 64)
				p[n++] = q;
			else
				mm_free(q);
		}
		/* The general heap alone, with a gap before the aligned spot. */
		p[n] = mm_tlsf_alloc(100, align, 32);
		CHECK(p[n] && ((uintptr_t)p[n] + 32) % align == 0);
		CHECK(mm_tlsf_free(p[n]) == 0);
	}
	CHECK(stats().used > 0);
	for (i = 0; i < n; i++)
		mm_free(p[i]);
	CHECK(stats().used == 0);
	mm_heap_collect(kh());
	/* Only the slab map's nodes stay taken. */
	CHECK(stats().slab_bytes == 0);
	CHECK(stats().free >= whole - 16384);
}

static void test_zero_and_huge(void)
{
	void *a = mm_heap_alloc(kh(), 0), *b = mm_heap_alloc(kh(), 0);

	CHECK(a && b && a != b);
	CHECK(mm_usable_size(a) >= 1);
	CHECK(mm_heap_alloc(kh(), SIZE_MAX) == NULL);
	CHECK(mm_heap_alloc(kh(), SIZE_MAX - 15) == NULL);
	CHECK(mm_heap_alloc(kh(), SIZE_MAX / 2) == NULL);
	CHECK(mm_heap_alloc(kh(), REGION_SIZE) == NULL);
	CHECK(mm_heap_memalign(kh(), (size_t)1 << 40, 16) == NULL);
	CHECK(mm_heap_memalign(kh(), 48, 16) == NULL);
	CHECK(mm_heap_memalign(kh(), 0, 16) == NULL);
	CHECK(mm_pages_alloc(kh(), 0) == NULL);
	CHECK(mm_pages_alloc(kh(), SIZE_MAX / 4096) == NULL);
	CHECK(mm_tlsf_alloc(SIZE_MAX, 16, 0) == NULL);
	mm_free(NULL);
	mm_pages_free(NULL);
	mm_free(a);
	mm_free(b);
	CHECK(stats().used == 0);
}

static void test_oom(void)
{
	static void *p[256];
	size_t whole = stats().free;
	int n = 0, big, i, again;

	for (; n < 256 && (p[n] = mm_heap_alloc(kh(), 60000)); n++)
		memset(p[n], n, 60000);
	big = n;
	CHECK(big > 0 && big < 256);
	CHECK(mm_heap_alloc(kh(), 60000) == NULL);
	CHECK(stats().largest_free < 60000);
	while (n < 256 && (p[n] = mm_heap_alloc(kh(), 2000)))
		n++;
	CHECK(n < 256);
	/* No room for a slab: small requests fail cleanly too. */
	CHECK(mm_heap_alloc(kh(), 64) == NULL);
	mm_free(p[0]);
	CHECK((p[0] = mm_heap_alloc(kh(), 64)) != NULL);
	mm_free(p[0]);
	mm_heap_collect(kh());
	for (i = 1; i < n; i++)
		mm_free(p[i]);
	CHECK(stats().used == 0);
	/* The slab map's nodes were carved from the heap; nothing else stays. */
	CHECK(stats().free > whole - 16384);
	CHECK(stats().largest_free < whole);
	for (again = 0; again < big && (p[again] = mm_heap_alloc(kh(), 60000)); again++)
		;
	CHECK(again == big);
	for (i = 0; i < again; i++)
		mm_free(p[i]);
}

static void test_regions(void)
{
	static char extra[3][100000] __attribute__((aligned(16)));
	void *p[16], *big;
	size_t one, total;
	int n, i;

	mm_init();
	CHECK(mm_add_region(extra[0], sizeof(extra[0])) == 0);
	one = stats().largest_free;
	CHECK(mm_add_region(extra[1], sizeof(extra[1])) == 0);
	CHECK(mm_add_region(extra[2], sizeof(extra[2])) == 0);
	CHECK(mm_add_region(extra[2], 16) == -22);
	total = stats().free;
	CHECK(stats().total == sizeof(extra));
	CHECK(total == 3 * one && stats().largest_free == one);
	/* No block spans two regions, even adjacent ones. */
	CHECK(mm_heap_alloc(kh(), one) == NULL);
	big = mm_heap_alloc(kh(), one - 100);
	CHECK(big);
	for (n = 0; n < 16 && (p[n] = mm_heap_alloc(kh(), 30000)); n++)
		;
	CHECK(n == 6);
	for (i = 0; i < n; i++)
		mm_free(p[i]);
	mm_free(big);
	CHECK(stats().free == total && stats().largest_free == one);
}

static void test_realloc_in_place(void)
{
	char *p = mm_heap_alloc(kh(), 10000), *q;
	int i;

	CHECK(p);
	for (i = 0; i < 10000; i++)
		p[i] = (char)i;
	q = mm_realloc(p, 50000);
	CHECK(q == p);
	CHECK(mm_usable_size(q) >= 50000);
	q = mm_realloc(p, 5000);
	CHECK(q == p);
	CHECK(mm_usable_size(q) >= 5000 && mm_usable_size(q) < 6000);
	for (i = 0; i < 5000; i++)
		CHECK(q[i] == (char)i);
	q = mm_realloc(p, 100);
	CHECK(q != p && mm_map_is_slab(q));
	for (i = 0; i < 100; i++)
		CHECK(q[i] == (char)i);
	mm_free(q);
	CHECK(stats().used == 0);
}

static void test_peak(void)
{
	void *p = mm_heap_alloc(kh(), 200000);
	size_t after;

	CHECK(p);
	after = stats().total - stats().free;
	mm_free(p);
	CHECK(stats().peak >= after && after >= 200000);
}

int main(void)
{
	region = aligned_alloc(REGION_SIZE, REGION_SIZE); /* within one GiB: one map leaf */
	if (!region)
		return 2;
	run("tlsf_fresh_region", test_fresh_region);
	run("tlsf_exact_fit", test_exact_fit);
	run("tlsf_split_coalesce", test_split_coalesce);
	run("tlsf_every_order", test_every_order);
	run("tlsf_neighbours_merge", test_neighbours_merge);
	run("tlsf_alignment", test_alignment);
	run("tlsf_zero_and_huge", test_zero_and_huge);
	run("tlsf_oom", test_oom);
	run("tlsf_regions", test_regions);
	run("tlsf_realloc_in_place", test_realloc_in_place);
	run("tlsf_peak", test_peak);
	free(region);
	return t_nfail != 0;
}
