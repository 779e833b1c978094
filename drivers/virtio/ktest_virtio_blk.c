/* In-kernel tests of the first disk (blkdev_first()), whichever driver
 * provides it: virtio-blk on microvm, the host file on linuxu. They write,
 * so they run only on a scratch disk: one whose last sector starts with
 * SCRATCH_MAGIC (tests/apps/blk_test writes it, tools/run.sh's DISK= images
 * from mkdisk.sh never have it). Without such a disk they pass trivially.
 * A read-only scratch disk is checked for -EROFS instead. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <dev/blkdev.h>
#include <kernel/ktest.h>

/* tools/mkdisk.sh --scratch writes it; tests/apps/blk_test checks it too. */
#define SCRATCH_MAGIC "UNISHYPER SCRATCH DISK"
#define THREADS 4
#define THREAD_FIRST 1024 /* sectors: thread i uses [1024 + 64 i, +64) */
#define THREAD_SECTORS 64
#define ROUNDS 16
/* 4 MiB and a bit: more than one request at virtio-blk's default limits
 * (16 segments of 256 KiB), each of several segments. */
#define BIG_BYTES ((4u << 20) + 4096)

/* The scratch disk, or NULL (the test then has nothing to do). */
static struct blkdev *blk_test_disk(void)
{
	static char sec[4096] __attribute__((aligned(512)));
	struct blkdev *d = blkdev_first();

	if (!d || d->sector_size > sizeof(sec) ||
	    d->sectors < THREAD_FIRST + THREADS * THREAD_SECTORS + BIG_BYTES / d->sector_size + 1)
		return NULL;
	if (blkdev_read(d, d->sectors - 1, sec, 1))
		return NULL;
	return memcmp(sec, SCRATCH_MAGIC, sizeof(SCRATCH_MAGIC) - 1) ? NULL : d;
}

/* A pattern that differs per sector, per byte and per @seed. */
static void fill(uint8_t *p, uint64_t sector, uint32_t count, uint32_t size, uint32_t seed)
{
	for (uint64_t s = 0; s < count; s++)
		for (uint32_t i = 0; i < size; i++)
			p[s * size + i] = (uint8_t)((sector + s) * 131 + i * 7 + seed);
}

TEST(blk, write_read_back)
{
	struct blkdev *d = blk_test_disk();

	if (!d || d->readonly)
		return;
	uint32_t n = 8, ss = d->sector_size;
	uint8_t *out = aligned_alloc(4096, n * ss), *in = aligned_alloc(4096, n * ss);
	EXPECT(out && in);
	fill(out, 1, n, ss, 1);
	EXPECT_EQ(blkdev_write(d, 1, out, n), 0);
	memset(in, 0, n * ss);
	EXPECT_EQ(blkdev_read(d, 1, in, n), 0);
	EXPECT(memcmp(in, out, n * ss) == 0);
	/* One sector in the middle, unaligned in the buffer's memory. */
	EXPECT_EQ(blkdev_read(d, 4, in + 3, 1), 0);
	EXPECT(memcmp(in + 3, out + 3 * ss, ss) == 0);
	EXPECT_EQ(blkdev_flush(d), 0);
	free(out);
	free(in);
}

TEST(blk, out_of_range_is_einval)
{
	struct blkdev *d = blk_test_disk();
	static char buf[4096];

	if (!d)
		return;
	EXPECT_EQ(blkdev_read(d, d->sectors, buf, 1), -EINVAL);
	EXPECT_EQ(blkdev_read(d, d->sectors - 1, buf, 2), -EINVAL);
	EXPECT_EQ(blkdev_read(d, UINT64_MAX, buf, 1), -EINVAL);
	EXPECT_EQ(blkdev_read(d, 1, buf, UINT32_MAX), -EINVAL);
	EXPECT_EQ(blkdev_read(d, d->sectors - 1, buf, 1), 0);
}

/* Bigger than one request takes: split into several, each of several
 * segments; the end of the range is the disk's last data sector. */
TEST(blk, big_transfer_is_split)
{
	struct blkdev *d = blk_test_disk();

	if (!d || d->readonly)
		return;
	uint32_t ss = d->sector_size, n = BIG_BYTES / ss;
	uint64_t first = d->sectors - 1 - n;
	uint8_t *out = aligned_alloc(4096, (size_t)n * ss), *in = malloc((size_t)n * ss + 1);
	EXPECT(out && in);
	fill(out, first, n, ss, 2);
	EXPECT_EQ(blkdev_write(d, first, out, n), 0);
	memset(in, 0, (size_t)n * ss + 1);
	EXPECT_EQ(blkdev_read(d, first, in + 1, n), 0);
	EXPECT(memcmp(in + 1, out, (size_t)n * ss) == 0);
	free(out);
	free(in);
}

struct worker {
	struct blkdev *d;
	uint64_t first;
	int errors;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint32_t ss = w->d->sector_size;
	uint8_t *out = malloc(THREAD_SECTORS * ss), *in = malloc(THREAD_SECTORS * ss);

	if (!out || !in) {
		w->errors++;
		goto out;
	}
	for (uint32_t r = 0; r < ROUNDS; r++) {
		uint32_t n = 1 + (r * 13) % THREAD_SECTORS; /* 1..64 sectors */
		fill(out, w->first, n, ss, r + (uint32_t)w->first);
		if (blkdev_write(w->d, w->first, out, n))
			w->errors++;
		if (blkdev_read(w->d, w->first, in, n) || memcmp(in, out, (size_t)n * ss))
			w->errors++;
	}
out:
	free(out);
	free(in);
	return NULL;
}

TEST(blk, concurrent_threads_on_separate_ranges)
{
	struct blkdev *d = blk_test_disk();
	struct worker w[THREADS];
	pthread_t t[THREADS];

	if (!d || d->readonly)
		return;
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){d, THREAD_FIRST + (uint64_t)i * THREAD_SECTORS, 0};
		EXPECT_EQ(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		EXPECT_EQ(pthread_join(t[i], NULL), 0);
		EXPECT_EQ(w[i].errors, 0);
	}
	EXPECT_EQ(blkdev_flush(d), 0);
}

TEST(blk, readonly_refuses_writes)
{
	struct blkdev *d = blk_test_disk();
	static char buf[4096];

	if (!d || !d->readonly)
		return;
	EXPECT_EQ(blkdev_write(d, 1, buf, 1), -EROFS);
	EXPECT_EQ(blkdev_read(d, 1, buf, 1), 0);
	EXPECT_EQ(blkdev_flush(d), 0);
}
