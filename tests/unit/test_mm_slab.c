// unit-sources: kernel/mm/tlsf.c kernel/mm/map.c kernel/mm/slab.c kernel/mm/large.c kernel/mm/heap.c kernel/mm/stats.c kernel/mm/release.c kernel/mm/check.c
/* Slabs: class boundaries, reuse, remote frees, misuse detection. */
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

/* Stands in for the thread module: the heap of the "running thread". */
static struct mm_heap *running;

struct mm_heap *mm_current_heap(void)
{
	return running ? running : mm_kernel_heap();
}

#define REGION_SIZE ((size_t)8 << 20)
static char *region;
static struct mm_heap heap_a, heap_b;

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
	mm_init();
	if (mm_add_region(region, REGION_SIZE))
		abort();
	mm_heap_init(&heap_a, 1);
	mm_heap_init(&heap_b, 2);
	running = &heap_a;
	fn();
	if (!t_failed && t_corruptions)
		snprintf(t_why, sizeof(t_why), "unexpected mm_corruption calls: %d", t_corruptions),
		    t_failed = 1;
	t_report("mm", name);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

static void test_class_table(void)
{
	size_t size;
	unsigned int c;

	for (c = 1; c < MM_NCLASSES; c++) {
		CHECK(mm_class_size[c] > mm_class_size[c - 1]);
		CHECK(mm_class_size[c] % 16 == 0);
		/* At most 25% spacing, so at most 20% of an object is waste. */
		CHECK(mm_class_size[c] * 4 <= mm_class_size[c - 1] * 5 || mm_class_size[c] <= 128);
	}
	CHECK(mm_class_size[MM_NCLASSES - 1] == MM_SMALL_MAX);
	for (size = 0; size <= MM_SMALL_MAX; size++) {
		c = mm_small_class[(size + 15) >> 4];
		CHECK(mm_class_size[c] >= size);
		CHECK(c == 0 || mm_class_size[c - 1] < size);
	}
}

/* Each class at its size, one byte more than the class below, and one byte
 * past the last class.
 */
static void test_class_boundaries(void)
{
	unsigned int c;
	size_t sizes[3];
	char *p;
	int i;

	for (c = 0; c < MM_NCLASSES; c++) {
		sizes[0] = mm_class_size[c];
		sizes[1] = c ? mm_class_size[c - 1] + 1u : 1;
		sizes[2] = c ? mm_class_size[c - 1] + 16u : 0;
		for (i = 0; i < 3; i++) {
			p = mm_heap_alloc(&heap_a, sizes[i]);
			CHECK(p && (uintptr_t)p % 16 == 0);
			CHECK(mm_map_is_slab(p));
			CHECK(mm_usable_size(p) == mm_class_size[c]);
			CHECK(mm_owner_of(p) == 1);
			memset(p, 0x5a, mm_class_size[c]);
			CHECK(stats().class_live[c] == 1);
			mm_free(p);
			CHECK(stats().class_live[c] == 0);
		}
	}
	p = mm_heap_alloc(&heap_a, MM_SMALL_MAX + 1);
	CHECK(p && !mm_map_is_slab(p));
	CHECK(mm_usable_size(p) >= MM_SMALL_MAX + 1);
	CHECK(stats().large_count == 1);
	mm_free(p);
	CHECK(stats().used == 0 && stats().large_count == 0);
}

#define MANY 3000

/* Several slabs' worth of one class: distinct, inside slabs, reused. */
static void test_fill_and_reuse(void)
{
	static uintptr_t first[MANY], second[MANY];
	size_t size = 100, slab_bytes;
	int i;

	for (i = 0; i < MANY; i++) {
		char *p = mm_heap_alloc(&heap_a, size);

		CHECK(p);
		memset(p, i, size);
		first[i] = (uintptr_t)p;
	}
	CHECK(stats().used == MANY * 112);
	CHECK(mm_heap_used(&heap_a) == MANY * 112);
	slab_bytes = stats().slab_bytes;
	CHECK(slab_bytes >= MANY * 112 && slab_bytes < MANY * 112 * 2);
	for (i = 0; i < MANY; i++)
		CHECK(*(char *)first[i] == (char)i);
	qsort(first, MANY, sizeof(first[0]), cmp_ptr);
	for (i = 1; i < MANY; i++)
		CHECK(first[i] - first[i - 1] >= 112);
	for (i = 0; i < MANY; i++)
		mm_free((void *)first[i]);
	CHECK(stats().used == 0);
	/* Empty slabs went back, except the current one. */
	CHECK(stats().slab_bytes == MM_SLAB_SIZE);
	for (i = 0; i < MANY; i++)
		second[i] = (uintptr_t)mm_heap_alloc(&heap_a, size);
	CHECK(stats().slab_bytes == slab_bytes);
	for (i = 0; i < MANY; i++)
		mm_free((void *)second[i]);
}

/* Three slabs' worth of every class, each object filled: objects stay
 * inside their slab, clear of its header and of the next block's header.
 */
static void test_every_class_full(void)
{
	static uint64_t *objs[3 * 1024];
	unsigned int c, n, i, j, words;
	uintptr_t off;

	for (c = 0; c < MM_NCLASSES; c++) {
		words = mm_class_size[c] / 8;
		n = 3 * (MM_SLAB_SIZE / mm_class_size[c]);
		for (i = 0; i < n; i++) {
			objs[i] = mm_heap_alloc(&heap_a, mm_class_size[c]);
			CHECK(objs[i]);
			off = (uintptr_t)objs[i] - (uintptr_t)mm_slab_of(objs[i]);
			CHECK(off >= MM_SLAB_HDR && off + mm_class_size[c] <= MM_SLAB_SIZE - 16);
			for (j = 0; j < words; j++)
				objs[i][j] = (uint64_t)i << 32 | j;
		}
		for (i = 0; i < n; i++)
			for (j = 0; j < words; j++)
				CHECK(objs[i][j] == ((uint64_t)i << 32 | j));
		for (i = 0; i < n; i++)
			mm_free(objs[i]);
	}
	CHECK(stats().used == 0);
}

/* Objects freed by another heap go on the remote list; the owner takes
 * them back once its local list is dry, and reuses exactly those.
 */
static void test_remote_free(void)
{
	static uintptr_t mine[MANY], again[MANY], slabs[MANY];
	size_t slab_bytes;
	int i;

	for (i = 0; i < MANY; i++)
		mine[i] = (uintptr_t)mm_heap_alloc(&heap_a, 48);
	slab_bytes = stats().slab_bytes;
	running = &heap_b;
	for (i = 0; i < MANY; i++)
		mm_free((void *)mine[i]);
	CHECK(mm_slab_of((void *)mine[0])->remote != 0);
	/* Remote frees count as freed at once. */
	CHECK(stats().used == 0);
	CHECK(mm_heap_used(&heap_a) == 0);
	CHECK(stats().slab_bytes == slab_bytes);
	running = &heap_a;
	for (i = 0; i < MANY; i++)
		again[i] = (uintptr_t)mm_heap_alloc(&heap_a, 48);
	CHECK(stats().slab_bytes == slab_bytes);
	/* Only the slabs of the first round serve the second. */
	for (i = 0; i < MANY; i++)
		slabs[i] = (uintptr_t)mm_slab_of((void *)mine[i]);
	qsort(slabs, MANY, sizeof(slabs[0]), cmp_ptr);
	for (i = 0; i < MANY; i++) {
		uintptr_t s = (uintptr_t)mm_slab_of((void *)again[i]);

		CHECK(bsearch(&s, slabs, MANY, sizeof(slabs[0]), cmp_ptr));
	}
	/* Half freed remotely, half locally; collect gives all slabs back. */
	for (i = 0; i < MANY; i++) {
		running = i % 2 ? &heap_b : &heap_a;
		mm_free((void *)again[i]);
	}
	running = &heap_a;
	CHECK(stats().used == 0);
	mm_heap_collect(&heap_a);
	CHECK(stats().slab_bytes == 0);
}

/* The kernel heap is shared and locked; thread heaps free into it remotely. */
static void test_kernel_heap(void)
{
	struct mm_heap *k = mm_kernel_heap();
	void *p[100];
	int i;

	running = NULL;
	for (i = 0; i < 100; i++) {
		p[i] = mm_heap_alloc(k, 200);
		CHECK(p[i] && mm_owner_of(p[i]) == 0);
	}
	running = &heap_a;
	for (i = 0; i < 50; i++)
		mm_free(p[i]);
	running = NULL;
	for (i = 50; i < 100; i++)
		mm_free(p[i]);
	CHECK(stats().used == 0);
	mm_heap_collect(k);
	CHECK(stats().slab_bytes == 0);
}

static void test_misuse(void)
{
	char *p = mm_heap_alloc(&heap_a, 64), *q, *r, *big;
	long on_stack;

	mm_free(p);
	mm_free(p);
	CHECK(t_corruptions == 1);
	q = mm_heap_alloc(&heap_a, 64);
	r = mm_heap_alloc(&heap_a, 64);
	CHECK(q == p && r != q);
	/* Freed by another heap, then again by the owner. */
	running = &heap_b;
	mm_free(q);
	running = &heap_a;
	mm_free(q);
	CHECK(t_corruptions == 2);
	mm_free(r + 16);
	CHECK(t_corruptions == 3);
	mm_free(&on_stack);
	CHECK(t_corruptions == 4);
	big = mm_heap_alloc(&heap_a, 5000);
	mm_free(big);
	mm_free(big);
	CHECK(t_corruptions == 5);
	mm_free(r);
	CHECK(t_corruptions == 5);
	t_corruptions = 0;
	CHECK(stats().used == 0);
}

static void test_small_memalign(void)
{
	size_t align, size;
	void *p;

	for (align = 32; align <= 128; align *= 2) {
		for (size = 1; size <= 512; size += 37) {
			p = mm_heap_memalign(&heap_a, align, size);
			CHECK(p && (uintptr_t)p % align == 0 && mm_map_is_slab(p));
			CHECK(mm_usable_size(p) >= size);
			mm_free(p);
		}
	}
	p = mm_heap_memalign(&heap_a, 256, 100);
	CHECK(p && (uintptr_t)p % 256 == 0);
	mm_free(p);
	CHECK(stats().used == 0);
}

static void test_slab_realloc(void)
{
	char *p = mm_heap_alloc(&heap_a, 100), *q;
	int i;

	for (i = 0; i < 100; i++)
		p[i] = (char)i;
	CHECK(mm_realloc(p, 112) == p);
	CHECK(mm_realloc(p, 60) == p);
	q = mm_realloc(p, 20);
	CHECK(q != p && mm_usable_size(q) == 32);
	for (i = 0; i < 20; i++)
		CHECK(q[i] == (char)i);
	p = mm_realloc(q, 3000);
	CHECK(p && !mm_map_is_slab(p));
	for (i = 0; i < 20; i++)
		CHECK(p[i] == (char)i);
	mm_free(p);
	CHECK(stats().used == 0);
}

int main(void)
{
	region = aligned_alloc(1 << 16, REGION_SIZE);
	if (!region)
		return 2;
	run("slab_class_table", test_class_table);
	run("slab_class_boundaries", test_class_boundaries);
	run("slab_fill_and_reuse", test_fill_and_reuse);
	run("slab_every_class_full", test_every_class_full);
	run("slab_remote_free", test_remote_free);
	run("slab_kernel_heap", test_kernel_heap);
	run("slab_misuse", test_misuse);
	run("slab_memalign", test_small_memalign);
	run("slab_realloc", test_slab_realloc);
	free(region);
	return t_nfail != 0;
}
