// unit-sources: fs/bcache.c tests/unit/fat_hostdev.c tests/unit/kmutex_host.c
/* The block cache: hits and LRU recycling, references, write-back in
 * ascending block order with a flush, write order across bcache_order()
 * points, read errors that leave nothing cached, and threads sharing one
 * cache. */
#include <pthread.h>
#include <fs/bcache.h>
#include "fat_harness.h"

#define NSECT 1024

static uint8_t disk[NSECT * 512];
static struct hostdev hd;

static struct bcache *fresh(unsigned nbufs)
{
	for (size_t i = 0; i < sizeof(disk); i++)
		disk[i] = (uint8_t)(i / 512);
	hostdev_mem(&hd, disk, sizeof(disk));
	return bcache_create(&hd.bd, 1024, nbufs);
}

static void test_get_put(void)
{
	struct bcache *c = fresh(8);
	struct bbuf *b, *b2;
	struct bcache_stats st;

	CHECK(c);
	CHECK(bcache_create(&hd.bd, 700, 8) == NULL && bcache_create(&hd.bd, 1024, 2) == NULL);
	CHECK(bcache_get(c, 3, &b) == 0 && b->data[0] == 6 && b->data[1023] == 7);
	CHECK(bcache_get(c, 3, &b2) == 0 && b2 == b);
	bcache_put(b2);
	bcache_put(b);
	CHECK(bcache_get(c, NSECT / 2, &b) == -EINVAL);
	bcache_stats_get(c, &st);
	/* one request, which also read ahead into the other clean buffers */
	CHECK(st.hits == 1 && st.misses == 1 && hd.nreads == 1 && st.reads >= 1);
	/* every buffer referenced: no room */
	struct bbuf *held[8];
	for (int i = 0; i < 8; i++)
		CHECK(bcache_get(c, 10 + i, &held[i]) == 0);
	CHECK(bcache_get(c, 100, &b) == -ENOMEM);
	for (int i = 0; i < 8; i++)
		bcache_put(held[i]);
	/* the least recently used goes first: 10 was put first */
	CHECK(bcache_get(c, 100, &b) == 0);
	bcache_put(b);
	long reads = hd.nreads;
	CHECK(bcache_get(c, 17, &b) == 0 && hd.nreads == reads);
	bcache_put(b);
	CHECK(bcache_get(c, 10, &b) == 0 && hd.nreads == reads + 1);
	bcache_put(b);
	CHECK(bcache_get_new(c, 200, &b) == 0 && b->data[5] == 0 && hd.nreads == reads + 1);
	bcache_put(b);
	bcache_destroy(c);
}

static void test_write_back(void)
{
	struct bcache *c = fresh(16);
	struct bbuf *b;
	static const int order[] = {9, 2, 30, 5, 1, 12};

	for (int i = 0; i < 6; i++) {
		CHECK(bcache_get(c, order[i], &b) == 0);
		memset(b->data, 0xa0 + i, 1024);
		bcache_dirty(b);
		bcache_put(b);
	}
	CHECK(hd.nwrites == 0 && disk[9 * 1024] == 18);
	CHECK(bcache_sync(c) == 0);
	/* blocks 1 and 2 are adjacent: one request for both */
	CHECK(hd.nwrites == 5 && hd.ordered && hd.nflushes == 1);
	CHECK(disk[9 * 1024] == 0xa0 && disk[12 * 1024 + 1023] == 0xa5);
	CHECK(bcache_sync(c) == 0 && hd.nwrites == 5);
	/* a dirty buffer recycled writes all dirty ones, in order */
	for (int i = 0; i < 16; i++) {
		CHECK(bcache_get(c, 300 - i, &b) == 0);
		b->data[0] = 1;
		bcache_dirty(b);
		bcache_put(b);
	}
	CHECK(bcache_get(c, 400, &b) == 0);
	bcache_put(b);
	/* 285..300 are consecutive: one request */
	CHECK(hd.nwrites == 6 && hd.ordered && disk[285 * 1024] == 1 && disk[300 * 1024] == 1);
	/* a failed write stays dirty */
	CHECK(bcache_get(c, 50, &b) == 0);
	b->data[0] = 0x77;
	bcache_dirty(b);
	bcache_put(b);
	hd.fail_writes = 0;
	CHECK(bcache_sync(c) == -EIO && disk[50 * 1024] != 0x77);
	hd.fail_writes = -1;
	CHECK(bcache_sync(c) == 0 && disk[50 * 1024] == 0x77);
	bcache_destroy(c);
}

static void put_byte(struct bcache *c, uint64_t blk, uint8_t v)
{
	struct bbuf *b;

	CHECK(bcache_get(c, blk, &b) == 0);
	bcache_dirty(b); /* before the change */
	b->data[0] = v;
	bcache_put(b);
}

/* Changes before an order point reach the disk first, whatever their
 * blocks; a failed write stops the later epochs; a block changed again
 * while a younger epoch waits goes out first with its old contents. */
static void test_order(void)
{
	struct bcache *c = fresh(64); /* nothing is recycled */

	put_byte(c, 40, 'A');
	bcache_order(c);
	put_byte(c, 3, 'B');
	put_byte(c, 4, 'b');
	bcache_order(c);
	bcache_order(c); /* nothing in between: no new epoch */
	put_byte(c, 20, 'C');
	hd.fail_writes = 1; /* one write goes through */
	CHECK(bcache_sync(c) == -EIO);
	CHECK(disk[40 * 1024] == 'A' && disk[3 * 1024] == 6 && disk[20 * 1024] == 40);
	hd.fail_writes = 1; /* 3+4 in one request, then 20 fails */
	CHECK(bcache_sync(c) == -EIO && disk[3 * 1024] == 'B' && disk[4 * 1024] == 'b');
	CHECK(disk[20 * 1024] == 40);
	hd.fail_writes = -1;
	CHECK(bcache_sync(c) == 0 && disk[20 * 1024] == 'C');

	long w = hd.nwrites;
	put_byte(c, 7, 'x');
	bcache_order(c);
	put_byte(c, 2, 'y');
	put_byte(c, 7, 'z'); /* 2 may depend on 7's 'x': 7 goes out now */
	CHECK(hd.nwrites == w + 1 && disk[7 * 1024] == 'x' && disk[2 * 1024] == 4);
	put_byte(c, 2, 'Y'); /* same epoch as 7's 'z': no write */
	CHECK(hd.nwrites == w + 1);
	hd.fail_writes = 1;
	CHECK(bcache_sync(c) == -EIO && disk[2 * 1024] == 'Y' && disk[7 * 1024] == 'x');
	hd.fail_writes = -1;
	CHECK(bcache_sync(c) == 0 && disk[7 * 1024] == 'z');
	bcache_destroy(c);
}

/* A direct read: cached blocks (a dirty one too) from the cache, each run
 * of the others as one device request, nothing new cached. */
static void test_read_direct(void)
{
	struct bcache *c = fresh(16);
	static uint8_t out[10 * 1024];
	struct bcache_stats st;

	put_byte(c, 104, 'D'); /* dirty, not on the disk */
	long reads = hd.nreads;
	CHECK(bcache_read_direct(c, 100, 10, out) == 0);
	/* 100..103 and 105..109: two requests */
	CHECK(hd.nreads == reads + 2);
	CHECK(out[0] == 200 && out[4 * 1024] == 'D' && out[4 * 1024 + 1] == 208);
	CHECK(out[9 * 1024 + 1023] == 219);
	bcache_stats_get(c, &st);
	CHECK(bcache_read_direct(c, 100, 10, out) == 0 && hd.nreads == reads + 4);
	CHECK(bcache_read_direct(c, NSECT / 2 - 2, 3, out) == -EINVAL);
	hd.fail_reads = 0;
	CHECK(bcache_read_direct(c, 100, 2, out) == -EIO);
	hd.fail_reads = -1;
	bcache_destroy(c);
}

static void test_read_error(void)
{
	struct bcache *c = fresh(4);
	struct bbuf *b;

	hd.fail_reads = 0;
	CHECK(bcache_get(c, 7, &b) == -EIO);
	hd.fail_reads = -1;
	CHECK(bcache_get(c, 7, &b) == 0 && b->data[0] == 14); /* read again, not cached */
	bcache_put(b);
	bcache_destroy(c);
}

static struct bcache *shared;
static int thread_bad;

static void *hammer(void *arg)
{
	uint32_t x = (uint32_t)(uintptr_t)arg * 7919 + 1;

	for (int i = 0; i < 20000; i++) {
		struct bbuf *b;
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		uint64_t blk = x % 64;
		if (bcache_get(shared, blk, &b) < 0) {
			thread_bad = 1;
			continue;
		}
		if (b->block != blk || b->data[0] != (uint8_t)(blk * 2))
			thread_bad = 1;
		bcache_put(b);
	}
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[4];

	shared = fresh(16);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hammer, (void *)(uintptr_t)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(!thread_bad);
	bcache_destroy(shared);
}

int main(void)
{
	t_quiet = 1;
	run("bcache.get_put", test_get_put);
	run("bcache.write_back", test_write_back);
	run("bcache.order", test_order);
	run("bcache.read_direct", test_read_direct);
	run("bcache.read_error", test_read_error);
	run("bcache.threads", test_threads);
	return t_nfail != 0;
}
