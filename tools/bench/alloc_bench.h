/* Allocator micro-benchmark, portable between the kernel and a host.
 *
 * The caller supplies the allocator, a cycle counter and a line printer;
 * alloc_bench_run() prints lines such as
 *   timer overhead median=21 p99=24
 *   alloc size=64 mode=single median=23 p99=40
 *   free size=64 mode=single median=20 p99=31
 *   alloc size=64 mode=batch n=1000 per_op=12.3
 * Cycle counts include the timer's own overhead; it is reported, not
 * subtracted.
 */
#ifndef ALLOC_BENCH_H
#define ALLOC_BENCH_H

#include <stddef.h>
#include <stdint.h>

struct alloc_bench_ops {
	const char *name; /* printed in the first line */
	void *(*malloc)(size_t size);
	void (*free)(void *p);
	/* A serialising cycle counter: reads must not move across the code
	 * they bracket (x86: lfence; rdtsc; lfence).
	 */
	uint64_t (*cycles)(void);
	void (*report)(const char *line);
};

void alloc_bench_run(const struct alloc_bench_ops *ops);

#endif
