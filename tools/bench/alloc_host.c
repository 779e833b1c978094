/* Runs the allocator benchmark on the host: on the C library's malloc by
 * default, or with --ours on the kernel allocator built for the host, over
 * one large region. --kernel-heap uses the shared, locked kernel heap
 * instead of a thread heap.
 *
 * gcc -O2 -Iinclude -Itests/unit/shim tools/bench/alloc_host.c tools/bench/alloc_bench.c \
 *     kernel/mm/{tlsf,map,slab,large,heap,stats}.c -o build/alloc_host
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/mm.h>
#include "alloc_bench.h"

#define REGION_SIZE ((size_t)512 << 20)

static struct mm_heap bench_heap;
static int on_kernel_heap;

/* The benchmark runs as one "thread" with its own heap. */
struct mm_heap *mm_current_heap(void)
{
	return on_kernel_heap ? mm_kernel_heap() : &bench_heap;
}

static void *ours_malloc(size_t size)
{
	return mm_heap_alloc(mm_current_heap(), size);
}

static void ours_free(void *p)
{
	mm_free(p);
}

static uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static void print_line(const char *line)
{
	puts(line);
}

int main(int argc, char **argv)
{
	struct alloc_bench_ops ops = {
	    .name = "glibc",
	    .malloc = malloc,
	    .free = free,
	    .cycles = tsc,
	    .report = print_line,
	};
	void *region;
	int i, ours = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ours")) {
			ours = 1;
		} else if (!strcmp(argv[i], "--kernel-heap")) {
			ours = 1;
			on_kernel_heap = 1;
		} else {
			fprintf(stderr, "usage: %s [--ours | --kernel-heap]\n", argv[0]);
			return 2;
		}
	}
	if (ours) {
		region = aligned_alloc(1 << 16, REGION_SIZE);
		if (!region)
			return 1;
		mm_init();
		if (mm_add_region(region, REGION_SIZE))
			return 1;
		mm_heap_init(&bench_heap, 1);
		ops.name = on_kernel_heap ? "mm-kernel-heap" : "mm-thread-heap";
		ops.malloc = ours_malloc;
		ops.free = ours_free;
	}
	alloc_bench_run(&ops);
	return 0;
}
