/*
 * A write-back block cache over a struct blkdev, for file systems.
 *
 * A cache holds a fixed number of buffers of one block size (a multiple of
 * the device's sector size); block N covers device sectors
 * [N * k, N * k + k) with k = block_size / sector_size. Unreferenced
 * buffers are recycled least recently used first. Modified buffers are
 * written when they are recycled or at bcache_sync(), in the order the
 * file system asks for: changes made before a bcache_order() reach the
 * disk before any change made after it (a new cluster's contents before
 * the link to it, a cleared entry before its clusters are freed); changes
 * between two bcache_order() calls go out in ascending block order, runs
 * of consecutive blocks as one request. A power cut at any write leaves
 * the disk with every change of some epochs and part of the next one.
 *
 * Thread safety: every call may come from any thread; the cache's state is
 * under one mutex, which is held across device transfers. The contents of
 * a buffer are the caller's to serialise (a file system's mount lock).
 */
#ifndef FS_BCACHE_H
#define FS_BCACHE_H

#include <stdint.h>
#include <dev/blkdev.h>

struct bcache;

/* One cached block. Only @block and @data are for the caller; @data is
 * valid from bcache_get() to bcache_put(). */
struct bbuf {
	uint64_t block;
	uint8_t *data;
	/* private to the cache */
	int refs;
	int dirty;
	uint64_t epoch; /* of the last change, when dirty */
	int data_only;	/* dirty through bcache_dirty_data() only */
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
/* Read the @n blocks from @block into @buf for a caller that wants them
 * once (a large file read): cached blocks (dirty ones included) are
 * copied from the cache, each run of the others goes straight from the
 * device into @buf as one request, without the cache lock held and
 * without taking buffers from what is cached. The caller keeps the blocks
 * from changing meanwhile (a file system's lock).
 * @retval 0; -EINVAL past the end; -EIO */
int bcache_read_direct(struct bcache *c, uint64_t block, uint32_t n, void *buf);
/* Like bcache_get() for a block the caller is about to overwrite whole:
 * not read; a block not cached comes zero-filled. */
int bcache_get_new(struct bcache *c, uint64_t block, struct bbuf **out);
/* The contents are about to change: call this before changing them, so
 * that older contents which later changes may depend on can be written
 * first. The buffer is then written back later, after every change made
 * before the last bcache_order(). */
void bcache_dirty(struct bbuf *b);
/* Like bcache_dirty() for file contents, which no later change depends
 * on but which must not reach the disk before what came before them (a
 * cluster's old use ending): a block still dirty as file contents keeps
 * its epoch, so appends to it cost no early write. */
void bcache_dirty_data(struct bbuf *b);
/* A write-ordering point: changes after it reach the disk after those
 * before it. Cheap; does no I/O by itself. */
void bcache_order(struct bcache *c);
/* Drop the reference of bcache_get(); NULL is ignored. */
void bcache_put(struct bbuf *b);

/* Write every dirty buffer (in order, see above), then flush the device.
 * @retval 0; -EIO (buffers that failed stay dirty) */
int bcache_sync(struct bcache *c);

/* Counters for tests and statistics. */
struct bcache_stats {
	uint64_t hits, misses, reads, writes;
};
void bcache_stats_get(struct bcache *c, struct bcache_stats *out);

#endif
