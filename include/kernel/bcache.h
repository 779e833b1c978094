/*
 * A write-back block cache over a struct blkdev, for file systems.
 *
 * A cache holds a fixed number of buffers of one block size (a multiple of
 * the device's sector size); block N covers device sectors
 * [N * k, N * k + k) with k = block_size / sector_size. Unreferenced
 * buffers are recycled least recently used first. Modified buffers are
 * written when they are recycled or at bcache_sync(), always all dirty
 * buffers together in ascending block order, so that a file system which
 * keeps its tables below its data (FAT) reaches the disk tables first.
 *
 * Thread safety: every call may come from any thread; the cache's state is
 * under one mutex, which is held across device transfers. The contents of
 * a buffer are the caller's to serialise (a file system's mount lock).
 */
#ifndef KERNEL_BCACHE_H
#define KERNEL_BCACHE_H

#include <stdint.h>
#include <kernel/blkdev.h>

struct bcache;

/* One cached block. Only @block and @data are for the caller; @data is
 * valid from bcache_get() to bcache_put(). */
struct bbuf {
	uint64_t block;
	uint8_t *data;
	/* private to the cache */
	int refs;
	int dirty;
	int valid;
	struct bbuf *hnext;		  /* hash chain */
	struct bbuf *lru_prev, *lru_next; /* unreferenced buffers, oldest first */
	struct bcache *cache;
};

/* A cache of @nbufs buffers of @block_size bytes over @dev.
 * @retval NULL @block_size is not a multiple of the sector size, @nbufs < 4,
 *         or out of memory */
struct bcache *bcache_create(struct blkdev *dev, uint32_t block_size, unsigned nbufs);
/* Free the cache without writing anything: sync first. No buffer may be
 * referenced. */
void bcache_destroy(struct bcache *c);

/* Block @block, read from the device unless cached, with a reference.
 * @retval 0 *out is the buffer
 * @retval -EINVAL @block is past the end of the device
 * @retval -EIO the device failed (nothing is cached for the block)
 * @retval -ENOMEM every buffer is referenced */
int bcache_get(struct bcache *c, uint64_t block, struct bbuf **out);
/* Like bcache_get() for a block the caller is about to overwrite whole:
 * not read; a block not cached comes zero-filled. */
int bcache_get_new(struct bcache *c, uint64_t block, struct bbuf **out);
/* The contents changed: write them back later. */
void bcache_dirty(struct bbuf *b);
/* Drop the reference of bcache_get(); NULL is ignored. */
void bcache_put(struct bbuf *b);

/* Write every dirty buffer (ascending block order), then flush the device.
 * @retval 0; -EIO (buffers that failed stay dirty) */
int bcache_sync(struct bcache *c);

/* Counters for tests and statistics. */
struct bcache_stats {
	uint64_t hits, misses, reads, writes;
};
void bcache_stats_get(struct bcache *c, struct bcache_stats *out);

#endif
