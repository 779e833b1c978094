/*
 * The block cache (include/fs/bcache.h): a hash table of buffers by
 * block number and an LRU list of the unreferenced ones. Buffers are
 * allocated once, at creation; a miss recycles the least recently used
 * unreferenced buffer, writing back all dirty buffers first if it is
 * dirty, so that writes always go out in ascending block order.
 *
 * Device requests are few and large, since each costs an interrupt (and
 * under a hypervisor VM exits): runs of consecutive dirty blocks go out as
 * one write through a staging buffer, and a miss reads ahead the following
 * blocks that are not cached into clean buffers, for sequential reads.
 *
 * Write order: every dirty buffer carries the epoch in which it was last
 * changed; bcache_order() closes the current epoch. Write-back goes epoch
 * by epoch, ascending blocks (and coalesced runs) inside one. A buffer
 * still dirty from an older epoch that is about to change again while a
 * younger epoch holds dirty buffers (which may depend on its old
 * contents) is written out first, together with everything of its epoch
 * and before: its old contents reach the disk before anything that came
 * after them, its new contents after everything they may depend on.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/kmutex.h>
#include <fs/bcache.h>
#include <kernel/log.h>

#define STAGE_BYTES (64u << 10) /* one device request at most */
#define READ_AHEAD_BYTES (32u << 10)

struct bcache {
	pthread_mutex_t lock;
	struct blkdev *dev;
	uint32_t block_size;
	uint32_t spb; /* device sectors per block */
	uint64_t nblocks;
	unsigned nbufs;
	unsigned hmask;
	struct bbuf **hash;
	struct bbuf *bufs;
	struct bbuf **sorted; /* scratch for write-back */
	struct bbuf lru;      /* list head: next is the oldest */
	uint8_t *mem;
	uint8_t *stage; /* STAGE_BYTES for coalesced transfers */
	unsigned stage_blocks;
	uint64_t seq_next; /* the block after the last miss: reads look sequential */
	uint64_t epoch;	   /* the current epoch: changes made now get it */
	uint64_t dirty_hi; /* the youngest epoch of a dirty buffer */
	int epoch_used;	   /* a buffer was dirtied in the current epoch */
	struct bcache_stats stats;
};

static unsigned hash_of(const struct bcache *c, uint64_t block)
{
	return (unsigned)((block * 0x9e3779b97f4a7c15ull) >> 32) & c->hmask;
}

static void lru_unlink(struct bbuf *b)
{
	if (!b->lru_next)
		return;
	b->lru_prev->lru_next = b->lru_next;
	b->lru_next->lru_prev = b->lru_prev;
	b->lru_prev = b->lru_next = NULL;
}

static void lru_append(struct bcache *c, struct bbuf *b)
{
	b->lru_prev = c->lru.lru_prev;
	b->lru_next = &c->lru;
	c->lru.lru_prev->lru_next = b;
	c->lru.lru_prev = b;
}

static void hash_remove(struct bcache *c, struct bbuf *b)
{
	struct bbuf **pp = &c->hash[hash_of(c, b->block)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == b) {
			*pp = b->hnext;
			break;
		}
	}
	b->hnext = NULL;
	b->valid = 0;
}

static struct bbuf *hash_find(struct bcache *c, uint64_t block)
{
	for (struct bbuf *b = c->hash[hash_of(c, block)]; b; b = b->hnext)
		if (b->block == block)
			return b;
	return NULL;
}

struct bcache *bcache_create(struct blkdev *dev, uint32_t block_size, unsigned nbufs)
{
	if (!dev->sector_size || block_size < dev->sector_size || block_size % dev->sector_size ||
	    nbufs < 4)
		return NULL;
	struct bcache *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	unsigned hsize = 1;
	while (hsize < nbufs * 2)
		hsize <<= 1;
	c->dev = dev;
	c->block_size = block_size;
	c->spb = block_size / dev->sector_size;
	c->nblocks = dev->sectors / c->spb;
	c->nbufs = nbufs;
	c->hmask = hsize - 1;
	c->hash = calloc(hsize, sizeof(*c->hash));
	c->bufs = calloc(nbufs, sizeof(*c->bufs));
	c->sorted = calloc(nbufs, sizeof(*c->sorted));
	c->mem = malloc((size_t)nbufs * block_size);
	c->stage_blocks = block_size < STAGE_BYTES ? STAGE_BYTES / block_size : 1;
	c->stage = malloc((size_t)c->stage_blocks * block_size);
	if (!c->hash || !c->bufs || !c->sorted || !c->mem || !c->stage) {
		bcache_destroy(c);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	c->lru.lru_next = c->lru.lru_prev = &c->lru;
	for (unsigned i = 0; i < nbufs; i++) {
		c->bufs[i].data = c->mem + (size_t)i * block_size;
		c->bufs[i].cache = c;
		lru_append(c, &c->bufs[i]);
	}
	return c;
}

void bcache_destroy(struct bcache *c)
{
	if (!c)
		return;
	if (c->mem)
		pthread_mutex_destroy(&c->lock);
	free(c->hash);
	free(c->bufs);
	free(c->sorted);
	free(c->mem);
	free(c->stage);
	free(c);
}

static int cmp_block(const void *a, const void *b)
{
	const struct bbuf *x = *(struct bbuf *const *)a, *y = *(struct bbuf *const *)b;

	if (x->epoch != y->epoch)
		return x->epoch < y->epoch ? -1 : 1;
	return x->block < y->block ? -1 : x->block > y->block;
}

/* Write the run of @run consecutive buffers from c->sorted[@i], one
 * request. Under the lock. @retval 0; -EIO (they stay dirty) */
static int write_run(struct bcache *c, unsigned i, unsigned run)
{
	const void *src = c->sorted[i]->data;

	if (run > 1) {
		for (unsigned k = 0; k < run; k++)
			memcpy(c->stage + (size_t)k * c->block_size, c->sorted[i + k]->data,
			       c->block_size);
		src = c->stage;
	}
	int e = blkdev_write(c->dev, c->sorted[i]->block * c->spb, src, c->spb * run);
	if (e < 0) {
		log_warn("bcache: %s: write of blocks %llu+%u failed (%d)", c->dev->name,
			 (unsigned long long)c->sorted[i]->block, run, e);
		return -EIO;
	}
	c->stats.writes += run;
	for (unsigned k = 0; k < run; k++)
		c->sorted[i + k]->dirty = 0;
	return 0;
}

/* Write every dirty buffer of epoch @upto or older: oldest epoch first,
 * lowest block first inside one. A failure stops before the next epoch,
 * whose buffers may depend on the one that failed. Under the lock.
 * @retval 0; -EIO (the failed buffers and the later epochs stay dirty) */
static int write_upto(struct bcache *c, uint64_t upto)
{
	unsigned n = 0;
	int r = 0;

	for (unsigned i = 0; i < c->nbufs; i++)
		if (c->bufs[i].dirty && c->bufs[i].epoch <= upto)
			c->sorted[n++] = &c->bufs[i];
	qsort(c->sorted, n, sizeof(*c->sorted), cmp_block);
	for (unsigned i = 0, run; i < n; i += run) {
		if (r < 0 && c->sorted[i]->epoch != c->sorted[i - 1]->epoch)
			break;
		/* The run of consecutive blocks of one epoch starting here. */
		for (run = 1; i + run < n && run < c->stage_blocks &&
			      c->sorted[i + run]->epoch == c->sorted[i]->epoch &&
			      c->sorted[i + run]->block == c->sorted[i]->block + run;
		     run++)
			;
		if (write_run(c, i, run) < 0)
			r = -EIO;
	}
	return r;
}

static int write_dirty(struct bcache *c)
{
	return write_upto(c, UINT64_MAX);
}

/* An unreferenced buffer to hold a new block, removed from the hash, or
 * an error. Under the lock. */
static int take_victim(struct bcache *c, struct bbuf **out)
{
	struct bbuf *b = c->lru.lru_next;

	if (b == &c->lru)
		return -ENOMEM;
	if (b->dirty) {
		/* all of them, in order: one pass, long runs, and the
		 * buffers after this one are clean when their turn comes */
		int r = write_dirty(c);
		if (r < 0)
			return r;
	}
	lru_unlink(b);
	if (b->valid)
		hash_remove(c, b);
	*out = b;
	return 0;
}

/* Read @block into @b. When the misses look sequential (this one follows
 * the last), also the following uncached blocks that fit into one request,
 * into clean unreferenced buffers (read-ahead); scattered misses (tables,
 * directories) read one block and evict no more. Under the lock.
 * @retval 0; negative: the device failed on @block's request */
static int read_block(struct bcache *c, uint64_t block, struct bbuf *b)
{
	unsigned k = 1, max = READ_AHEAD_BYTES / c->block_size;

	if (max > c->stage_blocks)
		max = c->stage_blocks;
	if (block != c->seq_next)
		max = 1;
	c->seq_next = block + 1;
	while (k < max && block + k < c->nblocks && !hash_find(c, block + k) &&
	       c->lru.lru_next != &c->lru && !c->lru.lru_next->dirty)
		k++;
	if (k == 1)
		return blkdev_read(c->dev, block * c->spb, b->data, c->spb);
	int r = blkdev_read(c->dev, block * c->spb, c->stage, c->spb * k);
	if (r < 0)
		return r;
	memcpy(b->data, c->stage, c->block_size);
	c->seq_next = block + k;
	for (unsigned i = 1; i < k; i++) {
		struct bbuf *x = c->lru.lru_next;
		if (x == &c->lru || x->dirty || hash_find(c, block + i))
			break;
		lru_unlink(x);
		if (x->valid)
			hash_remove(c, x);
		memcpy(x->data, c->stage + (size_t)i * c->block_size, c->block_size);
		x->block = block + i;
		x->valid = 1;
		x->hnext = c->hash[hash_of(c, x->block)];
		c->hash[hash_of(c, x->block)] = x;
		lru_append(c, x);
	}
	c->stats.reads += k - 1;
	return 0;
}

static int get(struct bcache *c, uint64_t block, int fill, struct bbuf **out)
{
	struct bbuf *b;
	int r = 0;

	if (block >= c->nblocks)
		return -EINVAL;
	kmutex_lock(&c->lock);
	b = hash_find(c, block);
	if (b) {
		c->stats.hits++;
		if (b->refs++ == 0)
			lru_unlink(b);
		goto out;
	}
	c->stats.misses++;
	r = take_victim(c, &b);
	if (r < 0)
		goto out;
	if (fill) {
		r = read_block(c, block, b);
		if (r < 0) {
			/* Nothing half-read stays visible: back to the LRU
			 * head, invalid, for the next miss to take. */
			b->valid = 0;
			b->lru_next = c->lru.lru_next;
			b->lru_prev = &c->lru;
			c->lru.lru_next->lru_prev = b;
			c->lru.lru_next = b;
			r = r == -EINVAL ? -EINVAL : -EIO;
			goto out;
		}
		c->stats.reads++;
	} else {
		memset(b->data, 0, c->block_size);
	}
	b->block = block;
	b->refs = 1;
	b->dirty = 0;
	b->valid = 1;
	b->hnext = c->hash[hash_of(c, block)];
	c->hash[hash_of(c, block)] = b;
out:
	kmutex_unlock(&c->lock);
	if (!r)
		*out = b;
	return r;
}

int bcache_get(struct bcache *c, uint64_t block, struct bbuf **out)
{
	return get(c, block, 1, out);
}

int bcache_read_direct(struct bcache *c, uint64_t block, uint32_t n, void *buf)
{
	uint8_t *p = buf;
	uint32_t i = 0;

	if (block >= c->nblocks || n > c->nblocks - block)
		return -EINVAL;
	kmutex_lock(&c->lock);
	while (i < n) {
		struct bbuf *b = hash_find(c, block + i);
		if (b) {
			memcpy(p + (size_t)i * c->block_size, b->data, c->block_size);
			c->stats.hits++;
			i++;
			continue;
		}
		uint32_t k = 1;
		while (i + k < n && !hash_find(c, block + i + k))
			k++;
		c->stats.misses += k;
		c->stats.reads += k;
		kmutex_unlock(&c->lock);
		int r = blkdev_read(c->dev, (block + i) * c->spb, p + (size_t)i * c->block_size,
				    c->spb * k);
		if (r < 0)
			return -EIO;
		kmutex_lock(&c->lock);
		i += k;
	}
	kmutex_unlock(&c->lock);
	return 0;
}

int bcache_get_new(struct bcache *c, uint64_t block, struct bbuf **out)
{
	return get(c, block, 0, out);
}

/* Under the lock: @b joins the current epoch, its older contents written
 * first when a younger epoch may depend on them. */
static void dirty_now(struct bcache *c, struct bbuf *b)
{
	if (b->dirty && b->epoch < c->epoch && c->dirty_hi > b->epoch &&
	    write_upto(c, b->epoch) < 0)
		log_warn("bcache: %s: block %llu changes out of order", c->dev->name,
			 (unsigned long long)b->block);
	b->dirty = 1;
	b->epoch = c->epoch;
	c->dirty_hi = c->epoch;
	c->epoch_used = 1;
}

void bcache_dirty(struct bbuf *b)
{
	struct bcache *c = b->cache;

	kmutex_lock(&c->lock);
	dirty_now(c, b);
	b->data_only = 0;
	kmutex_unlock(&c->lock);
}

void bcache_dirty_data(struct bbuf *b)
{
	struct bcache *c = b->cache;

	kmutex_lock(&c->lock);
	/* Still dirty as file contents: it keeps its epoch (nothing
	 * depends on the old contents; going out early is allowed). */
	if (!b->dirty || !b->data_only)
		dirty_now(c, b);
	b->data_only = 1;
	kmutex_unlock(&c->lock);
}

void bcache_order(struct bcache *c)
{
	kmutex_lock(&c->lock);
	if (c->epoch_used) {
		c->epoch++;
		c->epoch_used = 0;
	}
	kmutex_unlock(&c->lock);
}

void bcache_put(struct bbuf *b)
{
	if (!b)
		return;
	struct bcache *c = b->cache;

	kmutex_lock(&c->lock);
	if (--b->refs == 0)
		lru_append(c, b);
	kmutex_unlock(&c->lock);
}

int bcache_sync(struct bcache *c)
{
	kmutex_lock(&c->lock);
	int r = write_dirty(c);
	kmutex_unlock(&c->lock);
	if (r < 0)
		return r;
	r = blkdev_flush(c->dev);
	return r < 0 ? -EIO : 0;
}

void bcache_stats_get(struct bcache *c, struct bcache_stats *out)
{
	kmutex_lock(&c->lock);
	*out = c->stats;
	kmutex_unlock(&c->lock);
}
