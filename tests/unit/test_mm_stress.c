// unit-sources: kernel/mm/tlsf.c kernel/mm/map.c kernel/mm/slab.c kernel/mm/large.c kernel/mm/heap.c kernel/mm/stats.c kernel/mm/release.c kernel/mm/check.c
/* Random operations against a reference model.
 *
 * Four thread heaps and the kernel heap allocate, free (often another
 * heap's blocks), realloc and, now and then, exit or crash. Every block is
 * filled with a pattern from its id and checked before it is freed or
 * moved; live blocks must never overlap; the statistics must match the
 * model's sums. MM_SEED picks the seed, MM_OPS the number of operations.
 */
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

#define NHEAPS 5 /* 0 is the kernel heap */
#define MAXLIVE 4000
#define REGION_SIZE ((size_t)96 << 20)

static struct mm_heap thread_heaps[NHEAPS];
static struct mm_heap *heaps[NHEAPS];
static struct mm_heap *running;

struct mm_heap *mm_current_heap(void)
{
	return running;
}

struct blk {
	uint64_t *p;
	size_t usable;
	uint32_t id;
	int heap;
};

static struct blk live[MAXLIVE];
static int nlive;
static uint32_t next_id;
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t pattern(uint32_t id, size_t word)
{
	return ((uint64_t)id << 32 | word) * 0x9e3779b97f4a7c15ULL;
}

static void fill(struct blk *b)
{
	size_t i;

	for (i = 0; i < b->usable / 8; i++)
		b->p[i] = pattern(b->id, i);
}

/* Whether the first @bytes of @b still hold its pattern. */
static bool intact(const struct blk *b, size_t bytes)
{
	size_t i;

	for (i = 0; i < bytes / 8; i++)
		if (b->p[i] != pattern(b->id, i))
			return false;
	return true;
}

static size_t random_size(void)
{
	unsigned int r = rnd() % 100;

	if (r < 70)
		return rnd() % 257;
	if (r < 90)
		return 257 + rnd() % 3840;
	if (r < 98)
		return 4097 + rnd() % 61440;
	return 65537 + rnd() % 240000;
}

static void op_alloc(int h)
{
	struct blk *b = &live[nlive];
	size_t size = random_size(), align = 0;
	void *p;

	if (rnd() % 100 < 15) {
		align = (size_t)16 << rnd() % 9;
		p = mm_heap_memalign(heaps[h], align, size);
	} else {
		p = mm_heap_alloc(heaps[h], size);
	}
	CHECK(p != NULL);
	CHECK(align == 0 || (uintptr_t)p % align == 0);
	b->p = p;
	b->usable = mm_usable_size(p);
	CHECK(b->usable >= size && b->usable >= 8);
	CHECK(mm_owner_of(p) == heaps[h]->owner_id);
	b->id = next_id++;
	b->heap = h;
	fill(b);
	nlive++;
}

static void op_free(int h, int i)
{
	struct blk *b = &live[i];

	CHECK(intact(b, b->usable));
	CHECK(mm_owner_of(b->p) == heaps[b->heap]->owner_id);
	running = heaps[h];
	mm_free(b->p);
	live[i] = live[--nlive];
}

static void op_realloc(int h, int i)
{
	struct blk *b = &live[i];
	size_t size = random_size(), keep;
	void *p;

	CHECK(intact(b, b->usable));
	running = heaps[h];
	p = mm_realloc(b->p, size);
	CHECK(p != NULL);
	keep = b->usable < size ? b->usable : size;
	if (p != b->p)
		b->heap = h;
	b->p = p;
	CHECK(intact(b, keep));
	b->usable = mm_usable_size(p);
	CHECK(b->usable >= size);
	CHECK(mm_owner_of(p) == heaps[b->heap]->owner_id);
	b->id = next_id++;
	fill(b);
}

/* Thread @h exits (blocks go to the kernel) or crashes (blocks vanish),
 * and a new thread takes its slot.
 */
static void op_thread_end(int h, bool crash)
{
	int i;

	running = heaps[0];
	if (crash)
		mm_heap_release_all(heaps[h]);
	else
		mm_heap_abandon(heaps[h]);
	for (i = 0; i < nlive; i++) {
		if (live[i].heap != h)
			continue;
		if (crash)
			live[i--] = live[--nlive];
		else
			live[i].heap = 0;
	}
	mm_heap_init(heaps[h], h);
}

static int cmp_blk(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct blk *)a)->p;
	uintptr_t y = (uintptr_t)((const struct blk *)b)->p;

	return x < y ? -1 : x > y;
}

/* No two live blocks overlap, and the accounting matches the model. */
static void check_model(void)
{
	static struct blk sorted[MAXLIVE];
	size_t used = 0, per_heap[NHEAPS] = {0};
	struct mm_stats st;
	int i;

	memcpy(sorted, live, nlive * sizeof(live[0]));
	qsort(sorted, nlive, sizeof(sorted[0]), cmp_blk);
	for (i = 1; i < nlive; i++)
		CHECK((char *)sorted[i - 1].p + sorted[i - 1].usable <= (char *)sorted[i].p);
	for (i = 0; i < nlive; i++) {
		used += live[i].usable;
		per_heap[live[i].heap] += live[i].usable;
	}
	mm_stats_get(&st);
	CHECK(st.used == used);
	CHECK(st.total - st.free >= used);
	for (i = 0; i < NHEAPS; i++)
		CHECK(mm_heap_used(heaps[i]) == per_heap[i]);
}

/* Phases of 20,000 operations alternate between growing the live set
 * (towards MAXLIVE) and shrinking it.
 */
static void one_op(long n)
{
	int h = rnd() % NHEAPS, r = rnd() % 1000;
	int alloc = (n / 20000) % 2 ? 400 : 600;

	running = heaps[h];
	if (r < 2)
		op_thread_end(1 + rnd() % (NHEAPS - 1), r == 0);
	else if (r < 4)
		mm_heap_collect(heaps[h]);
	else if (nlive == 0 || (r < alloc && nlive < MAXLIVE))
		op_alloc(h);
	else if (r < 850)
		op_free(h, rnd() % nlive);
	else
		op_realloc(h, rnd() % nlive);
}

static void test_stress(long ops, struct mm_stats *base)
{
	struct mm_stats end;
	long n;
	int i;

	for (n = 0; n < ops && !t_failed; n++) {
		one_op(n);
		if (n % 1000 == 999 && !t_failed)
			check_model();
	}
	CHECK(!t_failed);
	check_model();
	CHECK(!t_failed);
	while (nlive && !t_failed)
		op_free(rnd() % NHEAPS, rnd() % nlive);
	CHECK(!t_failed);
	for (i = 0; i < NHEAPS; i++) {
		running = heaps[i];
		mm_heap_collect(heaps[i]);
	}
	mm_stats_get(&end);
	CHECK(end.used == 0);
	CHECK(end.slab_bytes == 0);
	CHECK(end.free == base->free);
	CHECK(end.largest_free == base->largest_free);
	CHECK(t_corruptions == 0);
}

int main(void)
{
	const char *seed_env = getenv("MM_SEED"), *ops_env = getenv("MM_OPS");
	uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : 20240601;
	long ops = ops_env ? atol(ops_env) : 250000;
	struct mm_stats base;
	char *region = aligned_alloc(1 << 16, REGION_SIZE);
	int i;

	if (!region)
		return 2;
	rng = seed ? seed : 1;
	printf("# mm.stress seed=%llu ops=%ld (MM_SEED, MM_OPS override)\n",
	       (unsigned long long)seed, ops);
	mm_init();
	if (mm_add_region(region, REGION_SIZE / 3) ||
	    mm_add_region(region + REGION_SIZE / 3, REGION_SIZE - REGION_SIZE / 3))
		return 2;
	heaps[0] = mm_kernel_heap();
	running = heaps[0];
	/* Give the slab map its nodes before the baseline. */
	mm_map_set(region, false);
	mm_map_set(region + REGION_SIZE - 1, false);
	mm_stats_get(&base);
	for (i = 1; i < NHEAPS; i++) {
		heaps[i] = &thread_heaps[i];
		mm_heap_init(heaps[i], i);
	}
	test_stress(ops, &base);
	t_report("mm", "stress_random");
	free(region);
	return t_failed;
}
