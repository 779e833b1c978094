/*
 * Reading directories: 32-byte entries in the fixed root region or along
 * a cluster chain, long names assembled from their UTF-16 entries (order
 * and checksum checked: a broken sequence is ignored and the short name
 * used, as the specification asks), case-insensitive lookup, and the
 * fields of a short entry (clusters, times).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <kernel/log.h>

#include "fat.h"

/* The sector that holds byte @off of directory @d.
 * @retval 0; -ENOENT past the end; -EIO */
static int dir_sector(struct fat_fs *fs, struct fat_dir *d, uint32_t off, uint64_t *sector)
{
	uint32_t c;

	if (off >= FAT_MAX_DIR_BYTES)
		return -ENOENT;
	if (!d->cluster) {
		if (off >= fs->root_entries * FAT_DIRENT_SIZE)
			return -ENOENT;
		*sector = fs->root_start + off / fs->bps;
		return 0;
	}
	if (fs->ix)
		fat_index_prime(fs, d, off);
	int r = fat_walk(fs, d, off / fs->csize, &c);
	if (r < 0)
		return r;
	*sector = fat_cluster_sector(fs, c) + off % fs->csize / fs->bps;
	return 0;
}

/* Hold the block with byte @off of @d in *b (kept across calls while the
 * same), and return a pointer to the entry. @retval 0; -ENOENT; -EIO */
static int dir_entry(struct fat_fs *fs, struct fat_dir *d, uint32_t off, struct bbuf **b,
		     uint8_t **ent)
{
	uint64_t sector;
	int r = dir_sector(fs, d, off, &sector);

	if (r < 0)
		return r;
	if (!*b || (*b)->block != sector) {
		bcache_put(*b);
		*b = NULL;
		r = bcache_get(fs->bc, sector, b);
		if (r < 0) {
			log_warn("fat: cannot read directory sector %llu (%d)",
				 (unsigned long long)sector, r);
			return -EIO;
		}
	}
	*ent = (*b)->data + off % fs->bps;
	return 0;
}

int fat_dir_read(struct fat_fs *fs, struct fat_dir *d, uint32_t off, uint8_t ent[FAT_DIRENT_SIZE])
{
	struct bbuf *b = NULL;
	uint8_t *p;
	int r = dir_entry(fs, d, off, &b, &p);

	if (r == 0)
		memcpy(ent, p, FAT_DIRENT_SIZE);
	bcache_put(b);
	return r;
}

int fat_dir_update(struct fat_fs *fs, struct fat_dir *d, uint32_t off,
		   int (*fn)(uint8_t *ent, void *arg), void *arg)
{
	struct bbuf *b = NULL;
	uint8_t *ent;
	int r = dir_entry(fs, d, off, &b, &ent);

	if (r < 0)
		return r == -ENOENT ? -EIO : r;
	uint8_t copy[FAT_DIRENT_SIZE];
	memcpy(copy, ent, sizeof(copy));
	if (fn(copy, arg) && memcmp(copy, ent, sizeof(copy))) {
		bcache_dirty(b);
		memcpy(ent, copy, sizeof(copy));
	}
	bcache_put(b);
	return 0;
}

/* Long-name assembly state across entries. */
struct lfn_state {
	int expect; /* the order number the next entry must have; 0: none */
	int count;
	uint8_t sum;
	uint32_t start;
	uint16_t units[20 * 13];
};

static const uint8_t lfn_pos[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

static void lfn_entry(struct lfn_state *s, const uint8_t *ent, uint32_t off)
{
	int ord = ent[0] & 0x3f;

	if (ent[0] & 0x40) {
		s->expect = 0;
		if (ord < 1 || ord > 20)
			return;
		s->count = ord;
		s->sum = ent[13];
		s->start = off;
	} else if (!s->expect || ord != s->expect || ent[13] != s->sum) {
		s->expect = 0;
		return;
	}
	for (int i = 0; i < 13; i++)
		s->units[(ord - 1) * 13 + i] = fat_le16(ent + lfn_pos[i]);
	s->expect = ord - 1;
	if (!s->expect)
		s->expect = -1; /* complete: the short entry must come next */
}

/* Take the assembled long name for short entry @e if it is complete,
 * belongs to it (checksum) and is a name the VFS can hold. */
static int lfn_take(struct lfn_state *s, struct fat_entry *e)
{
	int n = 0, max = s->count * 13;

	if (s->expect != -1 || s->sum != fat_sfn_checksum(e->raw))
		return 0;
	while (n < max && s->units[n])
		n++;
	if (n > FAT_NAME_MAX || fat_name_check(s->units, n) < 0 ||
	    fat_utf16_to8(s->units, n, e->name, sizeof(e->name)) < 0)
		return 0;
	memcpy(e->name16, s->units, n * sizeof(uint16_t));
	e->len16 = n;
	e->lfn_off = s->start;
	return 1;
}

static void fill_entry(struct fat_fs *fs, const uint8_t *ent, uint32_t off, struct fat_entry *e)
{
	memcpy(e->raw, ent, FAT_DIRENT_SIZE);
	e->off = e->lfn_off = off;
	e->attr = ent[11];
	e->first = fat_entry_first(fs, ent);
	e->size = fat_le32(ent + 28);
}

static void sfn_name(struct fat_entry *e)
{
	e->len16 = fat_sfn_to16(e->raw, e->name16);
	if (fat_utf16_to8(e->name16, e->len16, e->name, sizeof(e->name)) < 0)
		snprintf(e->name, sizeof(e->name), "_");
}

int fat_dir_next(struct fat_fs *fs, struct fat_dir *d, uint32_t *pos, struct fat_entry *e)
{
	struct lfn_state *s = &(struct lfn_state){0};
	struct bbuf *b = NULL;
	uint8_t *ent;
	int r;

	for (uint32_t off = *pos & ~31u;; off += FAT_DIRENT_SIZE) {
		r = dir_entry(fs, d, off, &b, &ent);
		if (r < 0 || ent[0] == 0) {
			*pos = off;
			r = r == -ENOENT ? 0 : r;
			break;
		}
		if (ent[0] == 0xe5) {
			s->expect = 0;
			continue;
		}
		if ((ent[11] & 0x3f) == FAT_ATTR_LFN) {
			lfn_entry(s, ent, off);
			continue;
		}
		/* volume labels; "." and ".." (no other short name starts
		 * with a dot) */
		if ((ent[11] & FAT_ATTR_VOLUME) || ent[0] == '.') {
			s->expect = 0;
			continue;
		}
		fill_entry(fs, ent, off, e);
		if (!lfn_take(s, e))
			sfn_name(e);
		*pos = off + FAT_DIRENT_SIZE;
		r = 1;
		break;
	}
	bcache_put(b);
	return r;
}

int fat_dir_find(struct fat_fs *fs, struct fat_dir *d, const char *name, size_t len,
		 struct fat_entry *e)
{
	uint16_t want[FAT_NAME_MAX + 1];
	uint32_t pos = 0;
	int n = fat_utf8_to16(name, len, want, FAT_NAME_MAX + 1), r;

	if (n == -EINVAL)
		return -ENOENT; /* no entry has a name that is not UTF-8 */
	if (n < 0 || n > FAT_NAME_MAX)
		return -ENAMETOOLONG;
	struct fat_index *ix = fat_index_get(fs, d);
	if (ix)
		return fat_index_find(fs, d, ix, want, n, e);
	while ((r = fat_dir_next(fs, d, &pos, e)) == 1) {
		if (fat_name_eq(want, n, e->name16, e->len16))
			return 0;
		if (e->lfn_off != e->off) {
			/* the short alias of a long name matches too */
			uint16_t s16[12];
			int k = fat_sfn_to16(e->raw, s16);
			if (fat_name_eq(want, n, s16, k))
				return 0;
		}
	}
	return r < 0 ? r : -ENOENT;
}

uint32_t fat_entry_first(const struct fat_fs *fs, const uint8_t ent[FAT_DIRENT_SIZE])
{
	uint32_t hi = fs->bits == 32 ? fat_le16(ent + 20) : 0;

	return hi << 16 | fat_le16(ent + 26);
}

void fat_entry_set_first(uint8_t ent[FAT_DIRENT_SIZE], uint32_t c)
{
	fat_put16(ent + 20, (uint16_t)(c >> 16));
	fat_put16(ent + 26, (uint16_t)c);
}

/* Now as FAT date and time (FAT keeps local time; ours is UTC). */
static void fat_now(uint16_t *date, uint16_t *time, uint8_t *tenths)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	time_t t = ts.tv_sec;
	gmtime_r(&t, &tm);
	if (tm.tm_year < 80) {
		*date = 1 << 5 | 1; /* 1980-01-01: the earliest date FAT has */
		*time = 0;
		*tenths = 0;
		return;
	}
	if (tm.tm_year > 207)
		tm.tm_year = 207;
	*date = (uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
	*time = (uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
	*tenths = (uint8_t)((tm.tm_sec & 1) * 100 + ts.tv_nsec / 10000000);
}

void fat_entry_touch(uint8_t ent[FAT_DIRENT_SIZE])
{
	uint16_t date, time;
	uint8_t tenths;

	fat_now(&date, &time, &tenths);
	fat_put16(ent + 22, time);
	fat_put16(ent + 24, date);
	fat_put16(ent + 18, date);
}

void fat_entry_init(uint8_t ent[FAT_DIRENT_SIZE], uint8_t attr, uint32_t first, uint32_t size)
{
	uint16_t date, time;
	uint8_t tenths;

	memset(ent, 0, FAT_DIRENT_SIZE);
	memset(ent, ' ', 11);
	fat_now(&date, &time, &tenths);
	ent[11] = attr;
	ent[13] = tenths;
	fat_put16(ent + 14, time);
	fat_put16(ent + 16, date);
	fat_put16(ent + 18, date);
	fat_put16(ent + 22, time);
	fat_put16(ent + 24, date);
	fat_entry_set_first(ent, first);
	fat_put32(ent + 28, size);
}

int fat_zero_cluster(struct fat_fs *fs, uint32_t c)
{
	uint64_t s = fat_cluster_sector(fs, c);

	for (uint32_t i = 0; i < fs->spc; i++) {
		struct bbuf *b;
		int r = bcache_get_new(fs->bc, s + i, &b);
		if (r < 0)
			return -EIO;
		bcache_dirty(b);
		memset(b->data, 0, fs->bps);
		bcache_put(b);
	}
	return 0;
}
