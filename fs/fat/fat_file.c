/*
 * File data: reads and writes along the cluster chain (through the block
 * cache, a sector at a time), growing the chain on writes past its end,
 * and truncation. A new cluster is linked into the FAT before the
 * directory entry is changed to count it, and that entry is written at
 * fsync, sync, the file's release or truncation rather than at every write;
 * a shrinking file's entry is written to the disk before its clusters are
 * freed, so a power cut leaves at most lost clusters.
 */
#include <errno.h>
#include <string.h>
#include <kernel/log.h>

#include "fat.h"

static int store_entry(uint8_t *ent, void *arg)
{
	struct fat_node *n = arg;

	fat_entry_set_first(ent, n->first);
	if (!n->is_dir)
		fat_put32(ent + 28, n->size);
	return 1;
}

static int store_touch(uint8_t *ent, void *arg)
{
	store_entry(ent, arg);
	fat_entry_touch(ent);
	ent[11] |= FAT_ATTR_ARCHIVE;
	return 1;
}

int fat_node_store(struct fat_node *n, int touch)
{
	struct fat_dir d = {.cluster = n->parent};

	if (n->unlinked || n->is_root)
		return 0;
	bcache_order(n->fs->bc);
	int r = fat_dir_update(n->fs, &d, n->ent_off, touch ? store_touch : store_entry, n);
	if (!r)
		n->entry_dirty = 0;
	return r;
}

int fat_store_dirty(struct fat_fs *fs)
{
	int r = 0;

	for (struct fat_node *n = fs->nodes; n; n = n->next)
		if (n->entry_dirty && fat_node_store(n, 1) < 0)
			r = -EIO;
	return r;
}

/* The sector holding byte @off of @n's data. @retval 0; -EIO */
static int data_sector(struct fat_node *n, uint64_t off, uint64_t *sector)
{
	struct fat_fs *fs = n->fs;
	uint32_t c;

	n->walk.cluster = n->first;
	int r = fat_walk(fs, &n->walk, (uint32_t)(off / fs->csize), &c);
	if (r == -ENOENT) {
		log_warn("fat: file chain from %u ends before byte %llu", n->first,
			 (unsigned long long)off);
		r = -EIO;
	}
	if (r < 0)
		return r;
	*sector = fat_cluster_sector(fs, c) + off % fs->csize / fs->bps;
	return 0;
}

#define DIRECT_MIN 8	/* sectors: shorter reads go through the cache */
#define DIRECT_MAX 2048 /* sectors in one request at most (1 MiB of 512) */

/* Whole sectors from @off (sector-aligned), at most @max, that lie in
 * consecutive clusters: *sector, and the count. @retval count; negative */
static long direct_run(struct fat_node *n, uint64_t off, uint32_t max, uint64_t *sector)
{
	struct fat_fs *fs = n->fs;
	int r = data_sector(n, off, sector);

	if (r < 0)
		return r;
	uint32_t c = n->walk.pos_cluster;
	uint32_t k = fs->spc - (uint32_t)(off % fs->csize) / fs->bps;
	if (k < max) {
		uint32_t m = fat_contig(fs, c, (max - k + fs->spc - 1) / fs->spc);
		k += m * fs->spc;
		n->walk.pos_index += m; /* the walk goes on from the run's end */
		n->walk.pos_cluster = c + m;
	}
	return k < max ? k : max;
}

long fat_file_read(struct fat_node *n, void *buf, size_t len, uint64_t off)
{
	struct fat_fs *fs = n->fs;
	size_t done = 0;

	if (off >= n->size)
		return 0;
	if (len > n->size - off)
		len = n->size - off;
	while (done < len) {
		uint64_t sector;
		struct bbuf *b;
		uint32_t in = (uint32_t)(off % fs->bps);
		size_t whole = (len - done) / fs->bps;
		if (!in && whole >= DIRECT_MIN) {
			/* many whole sectors: straight from the device */
			long k = direct_run(
			    n, off, whole < DIRECT_MAX ? (uint32_t)whole : DIRECT_MAX, &sector);
			if (k > 0 && bcache_read_direct(fs->bc, sector, (uint32_t)k,
							(uint8_t *)buf + done) < 0)
				k = -EIO;
			if (k < 0)
				return done ? (long)done : k;
			done += (size_t)k * fs->bps;
			off += (uint64_t)k * fs->bps;
			continue;
		}
		size_t k = fs->bps - in < len - done ? fs->bps - in : len - done;
		int r = data_sector(n, off, &sector);
		if (!r && bcache_get(fs->bc, sector, &b) < 0)
			r = -EIO;
		if (r < 0)
			return done ? (long)done : r;
		memcpy((uint8_t *)buf + done, b->data + in, k);
		bcache_put(b);
		done += k;
		off += k;
	}
	return (long)done;
}

/* Make the chain at least @need clusters long: the new clusters as a
 * chain of their own, then (ordered after it) the link from the file's
 * last cluster. @retval 0; -ENOSPC; -EIO (what was allocated is linked) */
static int extend(struct fat_node *n, uint32_t need)
{
	struct fat_fs *fs = n->fs;
	uint32_t first = 0, last = 0, count = 0;
	int r = 0, apart = 0;

	while (n->nclus + count < need) {
		uint32_t c;
		r = last ? fat_alloc_more(fs, last, &c) : fat_alloc(fs, 0, &c);
		if (r < 0)
			break;
		if (!first)
			first = c;
		last = c;
		count++;
		apart |= n->last && !fat_same_sector(fs, n->last, c);
	}
	if (!count)
		return r;
	/* Only a link to entries in other sectors needs them first (the
	 * entry's own first cluster waits for fat_node_store's order). */
	if (apart)
		bcache_order(fs->bc);
	if (n->last) {
		int l = fat_set(fs, n->last, first);
		if (l < 0)
			return l; /* the new chain is lost clusters */
	} else {
		n->first = first;
	}
	n->last = last;
	n->nclus += count;
	return r;
}

/* Write at @off <= size: @buf, or zeros when NULL. */
static long write_range(struct fat_node *n, const void *buf, size_t len, uint64_t off)
{
	struct fat_fs *fs = n->fs;
	size_t done = 0;
	int r = extend(n, (uint32_t)((off + len + fs->csize - 1) / fs->csize));

	if (r < 0) {
		/* write what fits */
		uint64_t room = (uint64_t)n->nclus * fs->csize;
		if (room <= off)
			return r;
		len = room - off;
	}
	while (done < len) {
		uint64_t sector;
		struct bbuf *b;
		uint32_t in = (uint32_t)(off % fs->bps);
		size_t k = fs->bps - in < len - done ? fs->bps - in : len - done;
		r = data_sector(n, off, &sector);
		if (!r) {
			/* a whole sector, or one past the data: no need to read */
			int fresh = k == fs->bps || (in == 0 && off >= n->size);
			r = fresh ? bcache_get_new(fs->bc, sector, &b)
				  : bcache_get(fs->bc, sector, &b);
			r = r < 0 ? -EIO : 0;
		}
		if (r < 0)
			break;
		bcache_dirty_data(b);
		if (buf)
			memcpy(b->data + in, (const uint8_t *)buf + done, k);
		else
			memset(b->data + in, 0, k);
		bcache_put(b);
		done += k;
		off += k;
		if (off > n->size)
			n->size = (uint32_t)off;
	}
	/* The entry follows later (fat_node_store), after the clusters and
	 * contents it counts: a stream of writes is not held up by it. */
	n->entry_dirty = 1;
	if (!done)
		return r;
	return (long)done;
}

long fat_file_write(struct fat_node *n, const void *buf, size_t len, uint64_t off)
{
	if (!len)
		return 0;
	if (off >= FAT_MAX_FILE)
		return -EFBIG;
	if (len > FAT_MAX_FILE - off)
		len = FAT_MAX_FILE - off;
	if (off > n->size) {
		size_t gap = off - n->size;
		long r = write_range(n, NULL, gap, n->size);
		if (r < 0 || (size_t)r < gap)
			return r < 0 ? r : -ENOSPC;
	}
	return write_range(n, buf, len, off);
}

int fat_file_truncate(struct fat_node *n, uint64_t size)
{
	struct fat_fs *fs = n->fs;
	uint32_t keep = (uint32_t)((size + fs->csize - 1) / fs->csize), cut = 0, free_from;
	int r;

	if (size > FAT_MAX_FILE)
		return -EFBIG;
	if (size >= n->size) {
		long w = size > n->size ? write_range(n, NULL, size - n->size, n->size) : 0;
		if (w < 0)
			return (int)w;
		if ((uint64_t)w < size - n->size)
			return -ENOSPC;
		return fat_node_store(n, 1);
	}
	if (keep) {
		n->walk.cluster = n->first;
		r = fat_walk(fs, &n->walk, keep - 1, &cut);
		if (!r)
			r = fat_next(fs, cut, &free_from);
		if (r < 0)
			return r == -ENOENT ? -EIO : r;
	} else {
		free_from = n->first;
		n->first = 0;
	}
	n->size = (uint32_t)size;
	n->walk = (struct fat_dir){0};
	/* The entry reaches the disk before the clusters are freed. */
	r = fat_node_store(n, 1);
	if (r < 0)
		return r;
	bcache_order(fs->bc);
	if (cut)
		r = fat_set(fs, cut, FAT_EOC);
	if (!r && free_from)
		r = fat_free_chain(fs, free_from);
	n->nclus = keep;
	n->last = cut;
	return r;
}
