// unit-sources: kernel/mm/tlsf.c kernel/mm/map.c kernel/mm/slab.c kernel/mm/large.c kernel/mm/heap.c kernel/mm/stats.c kernel/mm/release.c kernel/mm/check.c
/* Attribution: per-heap accounting, release after a crash, abandon on exit. */
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

static struct mm_heap *running;

struct mm_heap *mm_current_heap(void)
{
	return running ? running : mm_kernel_heap();
}

#define REGION_SIZE ((size_t)16 << 20)
static char *region;
static struct mm_heap heap_a, heap_b;
static struct mm_stats base;

static struct mm_stats stats(void)
{
	struct mm_stats s;

	mm_stats_get(&s);
	return s;
}

/* Baseline taken once the slab map has its nodes, so that a heap given
 * back in full restores the free byte count exactly.
 */
static void run(const char *name, void (*fn)(void))
{
	t_failed = 0;
	t_corruptions = 0;
	mm_init();
	if (mm_add_region(region, REGION_SIZE))
		abort();
	mm_map_set(region, false);
	mm_map_set(region + REGION_SIZE - 1, false);
	base = stats();
	mm_heap_init(&heap_a, 1);
	mm_heap_init(&heap_b, 2);
	running = &heap_a;
	fn();
	if (!t_failed && t_corruptions)
		snprintf(t_why, sizeof(t_why), "unexpected mm_corruption calls: %d", t_corruptions),
		    t_failed = 1;
	t_report("mm", name);
}

static size_t pick_size(int i)
{
	static const size_t sizes[] = {1, 16, 40, 64, 100, 200, 500, 1000, 1024, 1500, 5000, 70000};

	return sizes[i % (sizeof(sizes) / sizeof(sizes[0]))];
}

static void test_heap_used(void)
{
	void *p[200];
	size_t sum = 0, peak;
	int i;

	for (i = 0; i < 200; i++) {
		p[i] = mm_heap_alloc(&heap_a, pick_size(i));
		CHECK(p[i] && mm_owner_of(p[i]) == 1);
		sum += mm_usable_size(p[i]);
	}
	CHECK(mm_heap_used(&heap_a) == sum);
	CHECK(mm_heap_used(&heap_b) == 0);
	CHECK(stats().used == sum);
	CHECK(stats().nheaps == 4);
	peak = mm_heap_peak(&heap_a);
	CHECK(peak >= sum);
	for (i = 0; i < 200; i++)
		mm_free(p[i]);
	CHECK(mm_heap_used(&heap_a) == 0);
	CHECK(mm_heap_peak(&heap_a) == peak);
}

/* Allocate a mix on heap_a, some pages, some blocks freed by heap_b. */
static void populate(void **p, int n)
{
	int i;

	running = &heap_a;
	for (i = 0; i < n; i++) {
		p[i] =
		    i % 50 == 7 ? mm_pages_alloc(&heap_a, 3) : mm_heap_alloc(&heap_a, pick_size(i));
		if (p[i])
			memset(p[i], 0x77, mm_usable_size(p[i]));
	}
	running = &heap_b;
	for (i = 0; i < n; i += 5)
		mm_free(p[i]);
	running = &heap_a;
}

/* The owner died in the middle of an allocation: its free lists and counts
 * are garbage. Release must still return every byte.
 */
static void test_release_after_crash(void)
{
	static void *p[2000];
	struct mm_slab *s;
	struct mm_stats now;
	unsigned int c;

	populate(p, 2000);
	CHECK(stats().used > base.used);
	for (c = 0; c < MM_NCLASSES; c++) {
		s = heap_a.cur[c];
		if (s == &mm_empty_slab)
			continue;
		/* Popped the head but not yet stored the new one. */
		s->free = (void **)0x10;
		s->nused = 12345;
	}
	heap_a.partial[3] = (struct mm_slab *)0x20;
	heap_a.full[5] = (struct mm_slab *)0x30;
	mm_heap_release_all(&heap_a);
	now = stats();
	CHECK(now.used == base.used);
	CHECK(now.free == base.free);
	CHECK(now.largest_free == base.largest_free);
	CHECK(now.slab_bytes == base.slab_bytes);
	CHECK(now.large_count == base.large_count);
	CHECK(now.nheaps == base.nheaps + 1);
	CHECK(mm_heap_used(&heap_a) == 0);
	/* The heap can be used again once registered anew. */
	mm_heap_init(&heap_a, 1);
	CHECK((p[0] = mm_heap_alloc(&heap_a, 64)) != NULL);
	mm_free(p[0]);
}

/* The owner exited: blocks it handed out stay valid, and belong to the
 * kernel heap now.
 */
static void test_abandon(void)
{
	static void *p[2000];
	size_t sum = 0;
	int i, j;

	populate(p, 2000);
	for (i = 0; i < 2000; i++)
		if (i % 5 && i % 3 == 0)
			mm_free(p[i]);
	for (i = 0; i < 2000; i++)
		if (i % 5 && i % 3)
			sum += mm_usable_size(p[i]);
	running = NULL;
	mm_heap_abandon(&heap_a);
	CHECK(stats().used == base.used + sum);
	CHECK(mm_heap_used(mm_kernel_heap()) == base.used + sum);
	for (i = 0; i < 2000; i++) {
		unsigned char *b = p[i];

		if (!(i % 5 && i % 3))
			continue;
		CHECK(mm_owner_of(b) == 0);
		for (j = 0; j < (int)mm_usable_size(b); j++)
			CHECK(b[j] == 0x77);
	}
	/* Freed partly by a thread, partly by the kernel; then all goes back. */
	for (i = 0; i < 2000; i++) {
		if (!(i % 5 && i % 3))
			continue;
		running = i % 2 ? &heap_b : NULL;
		mm_free(p[i]);
	}
	running = NULL;
	CHECK(stats().used == base.used);
	mm_heap_collect(mm_kernel_heap());
	mm_heap_collect(&heap_b);
	CHECK(stats().free == base.free);
	CHECK(stats().largest_free == base.largest_free);
}

/* A heap with nothing live gives everything back on exit. */
static void test_abandon_empty(void)
{
	void *p[500];
	int i;

	for (i = 0; i < 500; i++)
		p[i] = mm_heap_alloc(&heap_a, pick_size(i));
	for (i = 0; i < 500; i++)
		mm_free(p[i]);
	running = NULL;
	mm_heap_abandon(&heap_a);
	CHECK(stats().slab_bytes == base.slab_bytes);
	CHECK(stats().free == base.free);
	CHECK(stats().nheaps == base.nheaps + 1);
}

/* Blocks remote-freed into an abandoned heap's slab before and after the
 * kernel adopted it are all accounted for.
 */
static void test_abandon_remote(void)
{
	void *p[300];
	int i;

	for (i = 0; i < 300; i++)
		p[i] = mm_heap_alloc(&heap_a, 80);
	running = &heap_b;
	for (i = 0; i < 100; i++)
		mm_free(p[i]);
	mm_heap_abandon(&heap_a);
	CHECK(stats().used == base.used + 200 * 80);
	for (i = 100; i < 200; i++)
		mm_free(p[i]);
	CHECK(stats().used == base.used + 100 * 80);
	running = NULL;
	for (i = 200; i < 300; i++)
		mm_free(p[i]);
	CHECK(stats().used == base.used);
	mm_heap_collect(mm_kernel_heap());
	CHECK(stats().free == base.free);
}

static void test_pages(void)
{
	char *a = mm_pages_alloc(&heap_a, 1), *b = mm_pages_alloc(&heap_a, 16);
	long on_stack;

	CHECK(a && b);
	CHECK((uintptr_t)a % MM_PAGE_SIZE == 0 && (uintptr_t)b % MM_PAGE_SIZE == 0);
	CHECK(mm_usable_size(a) >= MM_PAGE_SIZE && mm_usable_size(b) >= 16 * MM_PAGE_SIZE);
	memset(a, 1, MM_PAGE_SIZE);
	memset(b, 2, 16 * MM_PAGE_SIZE);
	CHECK(mm_owner_of(b) == 1);
	mm_pages_free(a);
	mm_pages_free(b);
	CHECK(stats().used == base.used);
	mm_pages_free(&on_stack);
	CHECK(t_corruptions == 1);
	t_corruptions = 0;
}

static void test_kernel_heap_protected(void)
{
	mm_heap_release_all(mm_kernel_heap());
	mm_heap_abandon(mm_kernel_heap());
	CHECK(t_corruptions == 2);
	t_corruptions = 0;
	CHECK(mm_heap_alloc(mm_kernel_heap(), 10) != NULL);
}

int main(void)
{
	region = aligned_alloc(1 << 16, REGION_SIZE);
	if (!region)
		return 2;
	run("heap_used", test_heap_used);
	run("heap_release_after_crash", test_release_after_crash);
	run("heap_abandon", test_abandon);
	run("heap_abandon_empty", test_abandon_empty);
	run("heap_abandon_remote", test_abandon_remote);
	run("heap_pages", test_pages);
	run("heap_kernel_protected", test_kernel_heap_protected);
	free(region);
	return t_nfail != 0;
}
