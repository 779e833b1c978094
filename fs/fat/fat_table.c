/*
 * The file allocation table: entries of 12, 16 or 32 bits, every copy
 * kept identical (or only the active one when FAT32 mirroring is off),
 * chains, allocation with the FSInfo next-free hint and free count.
 */
#include <errno.h>
#include <kernel/log.h>

#include "fat.h"

/* Read (@write = 0) or write @n bytes at byte @off of FAT copy @copy. */
static int fat_bytes(struct fat_fs *fs, uint32_t copy, uint32_t off, uint8_t *p, int n, int write)
{
	uint64_t base = fs->fat_start + (uint64_t)copy * fs->fat_sectors;
	struct bbuf *b = NULL;
	int r = 0;

	for (int i = 0; i < n; i++) {
		uint64_t sector = base + (off + i) / fs->bps;
		if (!b || b->block != sector) {
			bcache_put(b);
			b = NULL;
			r = bcache_get(fs->bc, sector, &b);
			if (r < 0) {
				log_warn("fat: cannot read FAT sector %llu (%d)",
					 (unsigned long long)sector, r);
				return -EIO;
			}
		}
		uint8_t *q = &b->data[(off + i) % fs->bps];
		if (write) {
			if (*q != p[i]) {
				bcache_dirty(b);
				*q = p[i];
			}
		} else {
			p[i] = *q;
		}
	}
	bcache_put(b);
	return 0;
}

static uint32_t entry_offset(const struct fat_fs *fs, uint32_t c)
{
	return fs->bits == 12 ? c + c / 2 : c * (fs->bits / 8);
}

int fat_get(struct fat_fs *fs, uint32_t c, uint32_t *val)
{
	uint8_t p[4] = {0};
	uint32_t v;
	uint32_t copy = fs->active_fat < 0 ? 0 : (uint32_t)fs->active_fat;
	int r = fat_bytes(fs, copy, entry_offset(fs, c), p, fs->bits == 32 ? 4 : 2, 0);

	if (r < 0)
		return r;
	if (fs->bits == 12) {
		v = fat_le16(p);
		v = (c & 1) ? v >> 4 : v & 0xfff;
		if (v >= 0xff7)
			v = v == 0xff7 ? FAT_BAD : FAT_EOC;
	} else if (fs->bits == 16) {
		v = fat_le16(p);
		if (v >= 0xfff7)
			v = v == 0xfff7 ? FAT_BAD : FAT_EOC;
	} else {
		v = fat_le32(p) & 0x0fffffff;
		if (v >= 0x0ffffff8)
			v = FAT_EOC;
	}
	*val = v;
	return 0;
}

int fat_set(struct fat_fs *fs, uint32_t c, uint32_t val)
{
	uint32_t off = entry_offset(fs, c);
	int n = fs->bits == 32 ? 4 : 2;

	for (uint32_t copy = 0; copy < fs->nfats; copy++) {
		uint8_t p[4];
		if (fs->active_fat >= 0 && copy != (uint32_t)fs->active_fat)
			continue;
		int r = fat_bytes(fs, copy, off, p, n, 0);
		if (r < 0)
			return r;
		if (fs->bits == 12) {
			uint16_t v = fat_le16(p), x = val & 0xfff;
			v = (c & 1) ? (uint16_t)((v & 0x000f) | x << 4)
				    : (uint16_t)((v & 0xf000) | x);
			fat_put16(p, v);
		} else if (fs->bits == 16) {
			fat_put16(p, (uint16_t)val);
		} else {
			/* the top four bits are reserved: keep them */
			fat_put32(p, (fat_le32(p) & 0xf0000000) | (val & 0x0fffffff));
		}
		r = fat_bytes(fs, copy, off, p, n, 1);
		if (r < 0)
			return r;
	}
	return 0;
}

int fat_next(struct fat_fs *fs, uint32_t c, uint32_t *next)
{
	uint32_t v;
	int r = fat_get(fs, c, &v);

	if (r < 0)
		return r;
	if (v == FAT_EOC) {
		*next = 0;
		return 0;
	}
	if (!fat_valid(fs, v)) {
		log_warn("fat: cluster %u links to %s %#x", c,
			 v == FAT_FREE	? "free"
			 : v == FAT_BAD ? "bad"
					: "invalid",
			 v);
		return -EIO;
	}
	*next = v;
	return 0;
}

int fat_chain_len(struct fat_fs *fs, uint32_t first, uint32_t *len, uint32_t *last)
{
	uint32_t n = 0, c = first, prev = 0;

	while (c) {
		if (!fat_valid(fs, c) || n >= fs->nclusters) {
			log_warn("fat: chain from %u: %s", first,
				 n >= fs->nclusters ? "loops" : "invalid cluster");
			return -EIO;
		}
		prev = c;
		n++;
		int r = fat_next(fs, c, &c);
		if (r < 0)
			return r;
	}
	*len = n;
	*last = prev;
	return 0;
}

int fat_same_sector(const struct fat_fs *fs, uint32_t a, uint32_t b)
{
	uint32_t n = fs->bits == 32 ? 4 : 2, oa = entry_offset(fs, a), ob = entry_offset(fs, b);

	return oa / fs->bps == ob / fs->bps && (oa + n - 1) / fs->bps == oa / fs->bps &&
	       (ob + n - 1) / fs->bps == ob / fs->bps;
}

static int alloc(struct fat_fs *fs, uint32_t prev, uint32_t *out, int ordered);

int fat_alloc(struct fat_fs *fs, uint32_t prev, uint32_t *out)
{
	return alloc(fs, prev, out, 1);
}

int fat_alloc_more(struct fat_fs *fs, uint32_t prev, uint32_t *out)
{
	return alloc(fs, prev, out, 0);
}

static int alloc(struct fat_fs *fs, uint32_t prev, uint32_t *out, int ordered)
{
	uint32_t c = fat_valid(fs, fs->next_free) ? fs->next_free : 2;
	int r;

	if (fs->free_count == 0)
		return -ENOSPC;
	for (uint32_t i = 0; i < fs->nclusters; i++, c++) {
		uint32_t v;
		if (c > fs->nclusters + 1)
			c = 2;
		r = fat_get(fs, c, &v);
		if (r < 0)
			return r;
		/* A FAT12 entry split across two sectors cannot change in
		 * one write: never allocated, a cut cannot tear it. */
		if (v != FAT_FREE ||
		    (fs->bits == 12 && entry_offset(fs, c) % fs->bps == fs->bps - 1))
			continue;
		/* The new end first, then the link to it: the chain is
		 * never open-ended on disk. */
		r = fat_set(fs, c, FAT_EOC);
		if (!r && prev) {
			if (ordered && !fat_same_sector(fs, prev, c))
				bcache_order(fs->bc);
			r = fat_set(fs, prev, c);
		}
		if (r < 0)
			return r;
		if (fs->free_count != 0xffffffff)
			fs->free_count--;
		fs->next_free = c + 1 > fs->nclusters + 1 ? 2 : c + 1;
		fs->fsinfo_dirty = 1;
		*out = c;
		return 0;
	}
	fs->free_count = 0;
	return -ENOSPC;
}

int fat_free_chain(struct fat_fs *fs, uint32_t first)
{
	uint32_t c = first, n = 0;

	fat_index_drop(fs, first); /* a directory's, if it was one */
	while (c) {
		uint32_t next;
		if (!fat_valid(fs, c) || n++ >= fs->nclusters) {
			log_warn("fat: freeing chain from %u: bad cluster %u", first, c);
			return -EIO;
		}
		int r = fat_next(fs, c, &next);
		if (r < 0)
			return r;
		r = fat_set(fs, c, FAT_FREE);
		if (r < 0)
			return r;
		if (fs->free_count != 0xffffffff && fs->free_count < fs->nclusters)
			fs->free_count++;
		fs->fsinfo_dirty = 1;
		c = next;
	}
	return 0;
}

uint32_t fat_contig(struct fat_fs *fs, uint32_t c, uint32_t max)
{
	uint32_t n = 0, per = fs->bits / 8, next;
	uint32_t copy = fs->active_fat < 0 ? 0 : (uint32_t)fs->active_fat;
	uint64_t base = fs->fat_start + (uint64_t)copy * fs->fat_sectors;
	struct bbuf *b = NULL;

	while (n < max && fs->bits == 12) {
		if (fat_next(fs, c + n, &next) < 0 || next != c + n + 1)
			return n;
		n++;
	}
	/* FAT16/32: whole entries in one sector, read with one buffer held */
	while (n < max) {
		uint32_t off = (c + n) * per;
		uint64_t sector = base + off / fs->bps;
		if (!b || b->block != sector) {
			bcache_put(b);
			b = NULL;
			if (bcache_get(fs->bc, sector, &b) < 0)
				break;
		}
		const uint8_t *p = b->data + off % fs->bps;
		uint32_t v = per == 4 ? fat_le32(p) & 0x0fffffff : fat_le16(p);
		if (v != c + n + 1 || !fat_valid(fs, v))
			break;
		n++;
	}
	bcache_put(b);
	return n;
}

int fat_count_free(struct fat_fs *fs)
{
	uint32_t n = 0;

	for (uint32_t c = 2; c <= fs->nclusters + 1; c++) {
		uint32_t v;
		int r = fat_get(fs, c, &v);
		if (r < 0)
			return r;
		n += v == FAT_FREE;
	}
	fs->free_count = n;
	return 0;
}

int fat_walk(struct fat_fs *fs, struct fat_dir *d, uint32_t index, uint32_t *out)
{
	uint32_t i = 0, c = d->cluster;

	if (index >= fs->nclusters)
		return -ENOENT;
	if (d->pos_cluster && d->pos_index <= index) {
		i = d->pos_index;
		c = d->pos_cluster;
	}
	if (!fat_valid(fs, c)) {
		log_warn("fat: chain starts at invalid cluster %u", c);
		return -EIO;
	}
	for (; i < index; i++) {
		int r = fat_next(fs, c, &c);
		if (r < 0)
			return r;
		if (!c)
			return -ENOENT;
	}
	d->pos_index = index;
	d->pos_cluster = c;
	*out = c;
	return 0;
}
