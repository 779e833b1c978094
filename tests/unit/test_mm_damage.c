// unit-sources: kernel/mm/tlsf.c kernel/mm/map.c kernel/mm/slab.c kernel/mm/large.c kernel/mm/heap.c kernel/mm/stats.c kernel/mm/release.c kernel/mm/check.c
/* Damaged heaps: a crashed thread's heap is taken back without trusting
 * what it left (overflows over block headers, scribbled slab headers,
 * broken lists), misuse is named, and damaged free lists are set aside.
 */
#include <stdint.h>
#include <stdio.h>
#include "harness.h"
#include <stdlib.h>
#include <string.h>
#include <kernel/mm.h>
#include "../../kernel/mm/mm_internal.h"

static int t_corruptions, t_damaged;
static size_t t_damaged_bytes;
static char t_what[64];

void mm_corruption(const char *what, const void *p)
{
	(void)p;
	snprintf(t_what, sizeof(t_what), "%s", what);
	t_corruptions++;
}

void mm_heap_damaged(int owner_id, size_t bytes, unsigned int overflows)
{
	(void)owner_id;
	(void)overflows;
	t_damaged++;
	t_damaged_bytes = bytes;
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

static void run(const char *name, void (*fn)(void))
{
	t_failed = 0;
	t_corruptions = 0;
	t_damaged = 0;
	t_damaged_bytes = 0;
	t_what[0] = 0;
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
	t_report("mm", name);
}

/* Two large blocks of heap_a, the second right after the first. */
static void neighbours(char **lo, char **hi)
{
	char *a = mm_heap_alloc(&heap_a, 4000), *b = mm_heap_alloc(&heap_a, 4000);

	*lo = a < b ? a : b;
	*hi = a < b ? b : a;
}

static void test_overflow_into_next(void)
{
	char *lo, *hi, *other;

	for (int i = 0; i < 10; i++)
		mm_heap_alloc(&heap_a, 100 + i * 300);
	neighbours(&lo, &hi);
	CHECK(hi - lo == 4048);
	other = mm_heap_alloc(&heap_b, 5000);
	memset(lo, 0x41, 4048 + 16); /* over hi's block and list headers */
	mm_heap_release_all(&heap_a);
	CHECK(t_damaged == 1 && t_damaged_bytes == 4048);
	CHECK(stats().quarantined == 4048 && stats().quarantines == 1);
	CHECK(stats().free + 4048 + mm_tlsf_span(other - 32) == base.free);
	/* The rest of the system goes on: the general heap still works. */
	for (int i = 0; i < 100; i++)
		mm_free(mm_heap_alloc(&heap_b, 3000 + i * 64));
	mm_free(other);
	CHECK(stats().free + 4048 == base.free);
	CHECK(t_corruptions == 0);
}

/* The damaged block is the last one from both ends: the walk from the
 * tail must not stop at the first (head) node. */
static void test_overflow_head_and_tail(void)
{
	char *lo, *hi;

	neighbours(&lo, &hi);
	CHECK(hi - lo == 4048);
	memset(lo, 0x41, 4048 + 16);
	mm_heap_release_all(&heap_a);
	CHECK(stats().quarantined == 4048 && stats().free + 4048 == base.free);
}

static void test_scribbled_slab(void)
{
	char *a = mm_heap_alloc(&heap_a, 64), *big = mm_heap_alloc(&heap_a, 3000);

	mm_heap_alloc(&heap_a, 200);
	mm_heap_alloc(&heap_a, 900);
	memset((void *)((uintptr_t)a & ~(uintptr_t)(MM_SLAB_SIZE - 1)), 0x5a, MM_SLAB_HDR);
	memset(big, 0x77, 3000);
	mm_heap_release_all(&heap_a);
	/* Only the list header was hit: everything goes back. */
	CHECK(t_damaged == 1 && t_damaged_bytes == 0);
	CHECK(stats().quarantined == 0 && stats().free == base.free);
}

/* Two damaged slabs: what lies between them stays, and is counted. */
static void test_two_damaged_slabs(void)
{
	char *p[4];

	for (int i = 0; i < 4; i++)
		p[i] = mm_heap_alloc(&heap_a, 16 + 16 * i); /* four classes, four slabs */
	memset((void *)((uintptr_t)p[1] & ~(uintptr_t)(MM_SLAB_SIZE - 1)), 0, MM_SLAB_HDR);
	memset((void *)((uintptr_t)p[2] & ~(uintptr_t)(MM_SLAB_SIZE - 1)), 0, MM_SLAB_HDR);
	mm_heap_release_all(&heap_a);
	CHECK(t_damaged == 1 && t_damaged_bytes == 2 * MM_SLAB_SIZE);
	CHECK(stats().quarantined == 2 * MM_SLAB_SIZE);
	CHECK(stats().free + 2 * MM_SLAB_SIZE == base.free);
}

/* A list that loops back on itself is cut, not followed forever. */
static void test_looping_list(void)
{
	struct mm_large *l1, *l2;
	char *a = mm_heap_alloc(&heap_a, 5000), *b = mm_heap_alloc(&heap_a, 5000);

	l1 = (struct mm_large *)b - 1; /* the head */
	l2 = (struct mm_large *)a - 1;
	l2->next = l1;
	mm_heap_release_all(&heap_a);
	CHECK(t_damaged == 1);
	CHECK(stats().free + stats().quarantined == base.free);
}

/* An overflow into a free block: the next allocation that meets the block
 * sets its list aside instead of following its links. */
static void test_damaged_free_list(void)
{
	char *a = mm_heap_alloc(&heap_a, 4000), *b = mm_heap_alloc(&heap_a, 4000), *c;
	char *lo = a < b ? a : b, *hi = a < b ? b : a;

	CHECK(hi - lo == 4048);
	mm_heap_alloc(&heap_a, 4000); /* keeps hi's block from merging onwards */
	mm_free(hi);
	memset(lo, 0x41, 4048 + 32);	  /* over the free block's size and links */
	c = mm_heap_alloc(&heap_a, 3900); /* its class is the free block's */
	CHECK(c != NULL && c != hi);
	CHECK(stats().dropped_lists >= 1);
	mm_free(lo); /* its free neighbour is not merged: not trusted */
	CHECK(t_corruptions == 0);
}

static void test_double_free_named(void)
{
	void *s = mm_heap_alloc(&heap_a, 48), *l = mm_heap_alloc(&heap_a, 5000);
	char *m = mm_heap_alloc(&heap_a, 200);
	int x;

	mm_free(s);
	mm_free(s);
	CHECK(t_corruptions == 1 && !strcmp(t_what, "double free"));
	mm_free(l);
	mm_free(l);
	CHECK(t_corruptions == 2 && !strcmp(t_what, "double free"));
	mm_free(m + 16);
	CHECK(t_corruptions == 3 && !strcmp(t_what, "invalid free"));
	mm_free(&x);
	CHECK(t_corruptions == 4 && !strcmp(t_what, "invalid free"));
	/* The kernel heap's double free is reported once its lock is off. */
	s = mm_heap_alloc(mm_kernel_heap(), 48);
	running = &heap_b;
	mm_free(s);
	mm_free(s);
	CHECK(t_corruptions == 5 && !strcmp(t_what, "double free"));
	CHECK(mm_kernel_heap()->lock.locked == 0);
}

int main(void)
{
	region = aligned_alloc(1 << 16, REGION_SIZE);
	if (!region)
		return 2;
	run("damage_overflow_into_next", test_overflow_into_next);
	run("damage_overflow_head_and_tail", test_overflow_head_and_tail);
	run("damage_scribbled_slab", test_scribbled_slab);
	run("damage_two_slabs", test_two_damaged_slabs);
	run("damage_looping_list", test_looping_list);
	run("damage_free_list", test_damaged_free_list);
	run("damage_double_free_named", test_double_free_named);
	free(region);
	return t_nfail != 0;
}
