/*
 * Changing directories: adding an entry (its long-name entries, a unique
 * short name with a numeric tail, room found among free slots or made by
 * growing the directory), removing one, and the emptiness test.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/log.h>

#include "fat.h"

#define TAIL_MAX FAT_TAIL_MAX

/* What one pass over a directory found for a new entry. */
struct slot_scan {
	const uint8_t *basis;
	uint8_t *tails;	    /* bitmap: tail numbers taken */
	int basis_taken;    /* an entry has the basis itself as short name */
	uint32_t need;	    /* slots wanted */
	uint32_t run_start; /* a free run of @need slots, or of run_len at the end */
	uint32_t run_len;
	uint32_t end;	     /* bytes of directory space scanned */
	uint32_t end_marker; /* offset of the first 0x00 entry, or end */
	uint32_t last_cluster;
};

static void note_name(struct slot_scan *s, const uint8_t *ent)
{
	if (!memcmp(ent, s->basis, 11))
		s->basis_taken = 1;
	/* "PREFIX~N" with the basis's extension: N is taken if the tail
	 * rebuilt from the basis gives exactly this name */
	int t = 7;
	while (t > 0 && ent[t] == ' ')
		t--;
	int d = t;
	while (d > 0 && ent[d] >= '0' && ent[d] <= '9')
		d--;
	if (d == t || ent[d] != '~' || t - d > 6)
		return;
	unsigned num = 0;
	for (int i = d + 1; i <= t; i++)
		num = num * 10 + (ent[i] - '0');
	uint8_t cand[11];
	if (!num || num >= TAIL_MAX)
		return;
	fat_sfn_tail(s->basis, num, cand);
	if (!memcmp(cand, ent, 11))
		s->tails[num / 8] |= (uint8_t)(1u << num % 8);
}

/* One pass: names in use and a run of free slots. @retval 0; -EIO */
static int scan(struct fat_fs *fs, struct fat_dir *d, struct slot_scan *s)
{
	uint32_t off = 0, run = 0, start = 0;
	struct bbuf *b = NULL;
	int r = 0, ended = 0;

	s->run_len = 0;
	s->end_marker = UINT32_MAX;
	for (;; off += FAT_DIRENT_SIZE) {
		uint64_t sector;
		if (!d->cluster) {
			if (off >= fs->root_entries * FAT_DIRENT_SIZE)
				break;
			sector = fs->root_start + off / fs->bps;
		} else {
			uint32_t c;
			r = fat_walk(fs, d, off / fs->csize, &c);
			if (r == -ENOENT || off >= FAT_MAX_DIR_BYTES) {
				r = 0;
				break;
			}
			if (r < 0)
				break;
			s->last_cluster = c;
			sector = fat_cluster_sector(fs, c) + off % fs->csize / fs->bps;
		}
		if (!b || b->block != sector) {
			bcache_put(b);
			b = NULL;
			if (bcache_get(fs->bc, sector, &b) < 0) {
				r = -EIO;
				break;
			}
		}
		const uint8_t *ent = b->data + off % fs->bps;
		if (!ended && ent[0] == 0) {
			ended = 1;
			s->end_marker = off;
		}
		if (ended || ent[0] == 0xe5) {
			if (!run++)
				start = off;
			if (run >= s->need && !s->run_len) {
				s->run_start = start;
				s->run_len = run;
			}
			continue;
		}
		run = 0;
		if ((ent[11] & 0x3f) != FAT_ATTR_LFN)
			note_name(s, ent);
	}
	bcache_put(b);
	s->end = off;
	if (!r && !s->run_len && run) {
		s->run_start = start; /* a partial run at the end: grow from it */
		s->run_len = run;
	}
	return r;
}

/* Make room for @s->need slots: grow the directory by zeroed clusters. */
static int grow(struct fat_fs *fs, struct fat_dir *d, struct slot_scan *s)
{
	if (!s->run_len || s->run_start + s->run_len * FAT_DIRENT_SIZE != s->end) {
		s->run_start = s->end;
		s->run_len = 0;
	}
	while (s->run_len < s->need) {
		uint32_t c;
		if (!d->cluster || s->end + fs->csize > FAT_MAX_DIR_BYTES)
			return -ENOSPC;
		/* Zeroed and ended before it is linked: the directory
		 * never holds garbage on the disk. */
		int r = fat_alloc(fs, 0, &c);
		if (r < 0)
			return r;
		r = fat_zero_cluster(fs, c);
		if (r < 0)
			return r;
		bcache_order(fs->bc);
		r = fat_set(fs, s->last_cluster, c);
		if (r < 0)
			return r;
		s->last_cluster = c;
		s->end += fs->csize;
		s->run_len += fs->csize / FAT_DIRENT_SIZE;
	}
	return 0;
}

struct lfn_fill {
	const uint16_t *name;
	int n, ord, last;
	uint8_t sum;
};

static int write_lfn(uint8_t *ent, void *arg)
{
	static const uint8_t pos[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
	struct lfn_fill *f = arg;

	memset(ent, 0, FAT_DIRENT_SIZE);
	ent[0] = (uint8_t)(f->ord | (f->last ? 0x40 : 0));
	ent[11] = FAT_ATTR_LFN;
	ent[13] = f->sum;
	for (int i = 0; i < 13; i++) {
		int k = (f->ord - 1) * 13 + i;
		uint16_t u = k < f->n ? f->name[k] : k == f->n ? 0 : 0xffff;
		fat_put16(ent + pos[i], u);
	}
	return 1;
}

static int write_raw(uint8_t *ent, void *arg)
{
	memcpy(ent, arg, FAT_DIRENT_SIZE);
	return 1;
}

static int clear_first(uint8_t *ent, void *arg)
{
	(void)arg;
	if (!ent[0])
		return 0;
	ent[0] = 0;
	return 1;
}

/* The short name for @name16: the basis, or the basis with the lowest
 * free numeric tail. @retval 0; -EEXIST the exact short name is taken;
 * -ENOSPC no tail free */
static int pick_sfn(struct slot_scan *s, int lossy, uint8_t sfn[11])
{
	if (!lossy && !s->basis_taken) {
		memcpy(sfn, s->basis, 11);
		return 0;
	}
	for (unsigned n = 1; n < TAIL_MAX; n++) {
		if (!(s->tails[n / 8] & (1u << n % 8))) {
			fat_sfn_tail(s->basis, n, sfn);
			return 0;
		}
	}
	return -ENOSPC;
}

/* Whether @name is exactly what the short name @sfn shows. */
static int sfn_exact(const char *name, size_t len, const uint8_t sfn[11])
{
	uint8_t raw[FAT_DIRENT_SIZE] = {0};
	char shown[48];

	memcpy(raw, sfn, 11);
	fat_sfn_to_name(raw, shown, sizeof(shown));
	return strlen(shown) == len && !memcmp(shown, name, len);
}

static int write_entries(struct fat_fs *fs, struct fat_dir *d, struct slot_scan *s,
			 const uint16_t *name16, int n16, const uint8_t *ent)
{
	struct lfn_fill f = {.name = name16, .n = n16, .sum = fat_sfn_checksum(ent)};
	uint32_t nlfn = s->need - 1, off = s->run_start;
	uint32_t after = off + s->need * FAT_DIRENT_SIZE;
	int r = 0;

	/* Slots past the end marker may hold anything: keep the marker
	 * after the new entry, on the disk before the entry. */
	if (s->end_marker != UINT32_MAX && after > s->end_marker && after < s->end) {
		r = fat_dir_update(fs, d, after, clear_first, NULL);
		bcache_order(fs->bc);
	}
	for (uint32_t i = 0; i < nlfn && !r; i++, off += FAT_DIRENT_SIZE) {
		f.ord = (int)(nlfn - i);
		f.last = i == 0;
		r = fat_dir_update(fs, d, off, write_lfn, &f);
	}
	if (!r)
		r = fat_dir_update(fs, d, off, write_raw, (void *)(uintptr_t)ent);
	return r;
}

/* Room and short name from the directory's index: no pass over it. */
static int plan_indexed(struct fat_fs *fs, struct fat_dir *d, struct fat_index *ix,
			struct slot_scan *s, int lossy, uint8_t sfn[11])
{
	uint32_t start, len;

	fat_index_room(ix, s->need, &start, &len);
	s->run_start = start * FAT_DIRENT_SIZE;
	s->run_len = len;
	fat_index_space(ix, &s->end, &s->end_marker, &s->last_cluster);
	return fat_index_pick_sfn(fs, d, ix, s->basis, lossy, sfn, &s->basis_taken);
}

/* Room and short name from one pass over the directory. */
static int plan_scanned(struct fat_fs *fs, struct fat_dir *d, struct slot_scan *s, int lossy,
			uint8_t sfn[11])
{
	s->tails = calloc(TAIL_MAX / 8, 1);
	if (!s->tails)
		return -ENOMEM;
	int r = scan(fs, d, s);
	if (!r)
		r = pick_sfn(s, lossy, sfn);
	free(s->tails);
	return r;
}

static int add(struct fat_fs *fs, struct fat_dir *d, const char *name, size_t len,
	       const uint8_t tmpl[FAT_DIRENT_SIZE], struct fat_entry *e, int force_lfn)
{
	uint16_t name16[FAT_NAME_MAX + 1];
	uint8_t basis[11], ent[FAT_DIRENT_SIZE];
	int lossy, n16 = fat_utf8_to16(name, len, name16, FAT_NAME_MAX + 1);

	if (n16 < 0)
		return n16;
	int r = fat_name_check(name16, n16);
	if (r < 0)
		return r;
	fat_sfn_basis(name16, n16, basis, &lossy);
	struct slot_scan s = {.basis = basis};
	int need_lfn = force_lfn || lossy || !sfn_exact(name, len, basis);
	s.need = 1 + (need_lfn ? (uint32_t)(n16 + 12) / 13 : 0);
	struct fat_index *ix = fat_index_get(fs, d);
	r = ix ? plan_indexed(fs, d, ix, &s, lossy, ent) : plan_scanned(fs, d, &s, lossy, ent);
	if (!r && !need_lfn && memcmp(ent, basis, 11))
		r = -EEXIST;
	if (!r && (s.run_len < s.need))
		r = grow(fs, d, &s);
	if (r < 0)
		goto out;
	memcpy(ent + 11, tmpl + 11, FAT_DIRENT_SIZE - 11);
	ent[12] = 0; /* case bits: the long name keeps the case */
	r = write_entries(fs, d, &s, name16, n16, ent);
	if (r < 0)
		goto out;
	memcpy(e->raw, ent, sizeof(ent));
	e->off = s.run_start + (s.need - 1) * FAT_DIRENT_SIZE;
	e->lfn_off = s.run_start;
	e->attr = ent[11];
	e->first = fat_entry_first(fs, ent);
	e->size = fat_le32(ent + 28);
	memcpy(e->name16, name16, n16 * sizeof(uint16_t));
	e->len16 = n16;
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	if (ix && fat_index_added(fs, ix, e, s.end / FAT_DIRENT_SIZE, s.last_cluster) < 0)
		fat_index_drop(fs, d->cluster);
	return 0;
out:
	if (ix) /* what reached the directory is not known: build anew */
		fat_index_drop(fs, d->cluster);
	return r;
}

int fat_dir_add(struct fat_fs *fs, struct fat_dir *d, const char *name, size_t len,
		const uint8_t tmpl[FAT_DIRENT_SIZE], struct fat_entry *e)
{
	return add(fs, d, name, len, tmpl, e, 0);
}

int fat_dir_add_lfn(struct fat_fs *fs, struct fat_dir *d, const char *name, size_t len,
		    const uint8_t tmpl[FAT_DIRENT_SIZE], struct fat_entry *e)
{
	return add(fs, d, name, len, tmpl, e, 1);
}

static int mark_deleted(uint8_t *ent, void *arg)
{
	(void)arg;
	ent[0] = 0xe5;
	return 1;
}

int fat_dir_remove(struct fat_fs *fs, struct fat_dir *d, uint32_t lfn_off, uint32_t off)
{
	struct fat_index *ix = fat_index_peek(fs, d->cluster);

	if (ix) {
		struct fat_entry *e = malloc(sizeof(*e));
		uint32_t pos = lfn_off;
		if (e && fat_dir_next(fs, d, &pos, e) == 1 && e->off == off &&
		    e->lfn_off == lfn_off)
			fat_index_removed(ix, e);
		else
			fat_index_drop(fs, d->cluster);
		free(e);
	}
	for (uint32_t o = lfn_off; o <= off; o += FAT_DIRENT_SIZE) {
		int r = fat_dir_update(fs, d, o, mark_deleted, NULL);
		if (r < 0)
			return r;
	}
	return 0;
}

int fat_dir_empty(struct fat_fs *fs, struct fat_dir *d)
{
	struct fat_entry *e = malloc(sizeof(*e));
	uint32_t pos = 0;

	if (!e)
		return -ENOMEM;
	int r = fat_dir_next(fs, d, &pos, e);
	free(e);
	return r < 0 ? r : !r;
}
