/* Allocator micro-benchmark: single-operation latency distributions and
 * batch throughput for a few sizes. See alloc_bench.h.
 *
 * Single mode times each call on its own, in rounds: ROUND allocations,
 * then their ROUND frees, so the allocator sees a small live set rather
 * than one block bouncing. Batch mode times BATCH allocations in one go,
 * then BATCH frees, and divides the median repetition by BATCH.
 */
#include <stdio.h>
#include <stdlib.h>
#include "alloc_bench.h"

#define SAMPLES 100000
#define WARMUP_ROUNDS 1000
#define ROUND 16
#define BATCH 1000
#define BATCH_REPS 101
/* Caps a batch's live memory, for machines with little of it. */
#define BATCH_BYTES ((size_t)16 << 20)

static const size_t sizes[] = {16, 64, 256, 1024, 4096, 65536};

struct bench {
	const struct alloc_bench_ops *ops;
	uint32_t *alloc_t; /* SAMPLES cycle counts each */
	uint32_t *free_t;
	void **ptrs; /* BATCH pointers */
};

static void report_oom(const struct bench *b, const char *mode, size_t size)
{
	char line[96];

	snprintf(line, sizeof(line), "alloc size=%lu mode=%s error=out-of-memory",
		 (unsigned long)size, mode);
	b->ops->report(line);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts @t in place and reports its median and 99th percentile after
 * @prefix.
 */
static void report_dist(const struct bench *b, const char *prefix, uint32_t *t, size_t n)
{
	char line[128];

	qsort(t, n, sizeof(*t), cmp_u32);
	snprintf(line, sizeof(line), "%s median=%lu p99=%lu", prefix, (unsigned long)t[n / 2],
		 (unsigned long)t[n * 99 / 100]);
	b->ops->report(line);
}

static uint32_t clamp32(uint64_t x)
{
	return x > UINT32_MAX ? UINT32_MAX : (uint32_t)x;
}

static void timer_overhead(struct bench *b)
{
	uint64_t t0, t1;
	size_t i;

	for (i = 0; i < SAMPLES; i++) {
		t0 = b->ops->cycles();
		t1 = b->ops->cycles();
		b->alloc_t[i] = clamp32(t1 - t0);
	}
	report_dist(b, "timer overhead", b->alloc_t, SAMPLES);
}

/* One round: ROUND timed allocations, a byte written to each, then ROUND
 * timed frees. Records at @k unless @k is NULL (warm-up).
 * @retval 0 done; -1 out of memory
 */
static int single_round(struct bench *b, size_t size, size_t *k)
{
	const struct alloc_bench_ops *o = b->ops;
	uint64_t t0, t1;
	int i, j;

	for (i = 0; i < ROUND; i++) {
		t0 = o->cycles();
		b->ptrs[i] = o->malloc(size);
		t1 = o->cycles();
		if (!b->ptrs[i])
			goto fail;
		*(volatile char *)b->ptrs[i] = 1;
		if (k)
			b->alloc_t[*k + i] = clamp32(t1 - t0);
	}
	for (i = 0; i < ROUND; i++) {
		t0 = o->cycles();
		o->free(b->ptrs[i]);
		t1 = o->cycles();
		if (k)
			b->free_t[*k + i] = clamp32(t1 - t0);
	}
	if (k)
		*k += ROUND;
	return 0;
fail:
	for (j = 0; j < i; j++)
		o->free(b->ptrs[j]);
	return -1;
}

static void single(struct bench *b, size_t size)
{
	char prefix[64];
	size_t k = 0;
	int r;

	for (r = 0; r < WARMUP_ROUNDS; r++)
		if (single_round(b, size, NULL))
			goto fail;
	while (k + ROUND <= SAMPLES)
		if (single_round(b, size, &k))
			goto fail;
	snprintf(prefix, sizeof(prefix), "alloc size=%lu mode=single", (unsigned long)size);
	report_dist(b, prefix, b->alloc_t, k);
	snprintf(prefix, sizeof(prefix), "free size=%lu mode=single", (unsigned long)size);
	report_dist(b, prefix, b->free_t, k);
	return;
fail:
	report_oom(b, "single", size);
}

/* Median over the repetitions, so that an interrupt in one of them does
 * not count; reported per operation with one decimal.
 */
static void report_batch(const struct bench *b, const char *op, size_t size, size_t n, uint32_t *t)
{
	char line[128];
	uint64_t x10;

	qsort(t, BATCH_REPS, sizeof(*t), cmp_u32);
	x10 = (uint64_t)t[BATCH_REPS / 2] * 10 / n;
	snprintf(line, sizeof(line), "%s size=%lu mode=batch n=%lu per_op=%llu.%llu", op,
		 (unsigned long)size, (unsigned long)n, (unsigned long long)x10 / 10,
		 (unsigned long long)x10 % 10);
	b->ops->report(line);
}

static void batch(struct bench *b, size_t size)
{
	const struct alloc_bench_ops *o = b->ops;
	size_t n = BATCH_BYTES / size < BATCH ? BATCH_BYTES / size : BATCH, i, got;
	uint64_t t0, t1, t2;
	int rep;

	for (rep = -1; rep < BATCH_REPS; rep++) {
		t0 = o->cycles();
		for (i = 0; i < n; i++)
			if (!(b->ptrs[i] = o->malloc(size)))
				break;
		t1 = o->cycles();
		got = i;
		for (i = 0; i < got; i++)
			o->free(b->ptrs[i]);
		t2 = o->cycles();
		if (got < n) {
			report_oom(b, "batch", size);
			return;
		}
		if (rep >= 0) { /* the first repetition warms up */
			b->alloc_t[rep] = clamp32(t1 - t0);
			b->free_t[rep] = clamp32(t2 - t1);
		}
	}
	report_batch(b, "alloc", size, n, b->alloc_t);
	report_batch(b, "free", size, n, b->free_t);
}

void alloc_bench_run(const struct alloc_bench_ops *ops)
{
	struct bench b = {.ops = ops};
	char line[128];
	size_t i;

	snprintf(line, sizeof(line), "bench allocator=%s samples=%d round=%d", ops->name, SAMPLES,
		 ROUND);
	ops->report(line);
	b.alloc_t = ops->malloc(SAMPLES * sizeof(uint32_t));
	b.free_t = ops->malloc(SAMPLES * sizeof(uint32_t));
	b.ptrs = ops->malloc(BATCH * sizeof(void *));
	if (!b.alloc_t || !b.free_t || !b.ptrs) {
		ops->report("bench error=out-of-memory");
		goto out;
	}
	timer_overhead(&b);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		single(&b, sizes[i]);
		batch(&b, sizes[i]);
	}
out:
	ops->free(b.alloc_t);
	ops->free(b.free_t);
	ops->free(b.ptrs);
}
