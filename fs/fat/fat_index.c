/*
 * Directory indexes: for each recently used directory, its names (long,
 * short shown as text, and the short entry's raw 11 bytes) in a hash table
 * of entry offsets, and a bitmap of its used slots. Built by one pass over
 * the directory on first use, then kept in step by fat_dir_add() and
 * fat_dir_remove() (the only calls that change names), so that finding a
 * name, a free run of slots and a free numeric tail costs the same in a
 * directory of 10 entries and of 10,000. A hash match is only a candidate:
 * the entry is read back (through the block cache) and compared, so a
 * collision can cost time but never give a wrong answer. A directory's
 * index goes when its clusters are freed; at most IX_MAX directories keep
 * one (least recently used goes first).
 *
 * An index is shared by every thread that uses the directory and outlives
 * the one that built it: its memory comes from the kernel heap, which a
 * crashed thread's release does not touch.
 */
#include <errno.h>
#include <string.h>
#include <kernel/mm.h>

#include "fat.h"

#define IX_MAX 8 /* directories with an index at most */
#define IX_EMPTY 0xffffffffu
#define IX_GONE 0xfffffffeu
#define RAW_BIT 0x80000000u /* hashes of raw short names */

struct ix_slot {
	uint32_t hash;
	uint32_t off;	  /* of the short entry; IX_EMPTY, IX_GONE */
	uint32_t lfn_off; /* of its first long-name entry, or off */
};

struct fat_index {
	struct fat_index *next;
	uint32_t cluster;
	uint32_t nslots; /* slots of directory space */
	uint32_t end;	 /* the end marker's slot, or nslots */
	uint32_t hint;	 /* no free slot below */
	uint32_t last_cluster;
	uint32_t *chain; /* the directory's clusters, in order */
	uint32_t nchain, chain_cap;
	uint64_t *used; /* bit per slot */
	uint32_t words; /* of used */
	struct ix_slot *tab;
	uint32_t mask, fill; /* fill: live and gone slots */
	uint8_t tail_basis[11];
	unsigned tail_next;
};

static void *ix_alloc(size_t size)
{
	return mm_heap_alloc(mm_kernel_heap(), size);
}

static void *ix_zalloc(size_t size)
{
	void *p = ix_alloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* Grow @p from @old to @size bytes (kernel heap, contents kept). */
static void *ix_grow(void *p, size_t old, size_t size)
{
	void *q = ix_alloc(size);

	if (q && p)
		memcpy(q, p, old);
	if (q)
		mm_free(p);
	return q;
}

static uint32_t hash16(const uint16_t *s, int n)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < n; i++) {
		uint16_t c = fat_fold(s[i]);
		h = (h ^ (c & 0xff)) * 16777619u;
		h = (h ^ (c >> 8)) * 16777619u;
	}
	return h & ~RAW_BIT;
}

static uint32_t hash_raw(const uint8_t raw[11])
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < 11; i++)
		h = (h ^ raw[i]) * 16777619u;
	return h | RAW_BIT;
}

static void set_used(struct fat_index *ix, uint32_t from, uint32_t n, int used)
{
	for (uint32_t i = from; i < from + n && i < ix->words * 64; i++) {
		if (used)
			ix->used[i / 64] |= 1ull << i % 64;
		else
			ix->used[i / 64] &= ~(1ull << i % 64);
	}
}

/* Room for @nslots slots in the bitmap. @retval 0; -ENOMEM */
static int reserve(struct fat_index *ix, uint32_t nslots)
{
	uint32_t words = (nslots + 63) / 64;

	if (words <= ix->words)
		return 0;
	words = words < 2 * ix->words ? 2 * ix->words : words;
	uint64_t *u = ix_grow(ix->used, ix->words * sizeof(*u), words * sizeof(*u));
	if (!u)
		return -ENOMEM;
	memset(u + ix->words, 0, (words - ix->words) * sizeof(*u));
	ix->used = u;
	ix->words = words;
	return 0;
}

static int chain_add(struct fat_index *ix, uint32_t c)
{
	if (ix->nchain == ix->chain_cap) {
		uint32_t cap = ix->chain_cap ? 2 * ix->chain_cap : 16;
		uint32_t *p = ix_grow(ix->chain, ix->chain_cap * sizeof(*p), cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		ix->chain = p;
		ix->chain_cap = cap;
	}
	ix->chain[ix->nchain++] = c;
	return 0;
}

static int tab_insert(struct fat_index *ix, uint32_t hash, uint32_t off, uint32_t lfn_off);

/* Twice the table when it is more than half full. @retval 0; -ENOMEM */
static int tab_grow(struct fat_index *ix)
{
	if ((ix->fill + 1) * 2 <= ix->mask + 1)
		return 0;
	struct ix_slot *old = ix->tab;
	uint32_t n = ix->mask + 1, size = n * 2;
	ix->tab = ix_alloc(size * sizeof(*ix->tab));
	if (!ix->tab) {
		ix->tab = old;
		return -ENOMEM;
	}
	memset(ix->tab, 0xff, size * sizeof(*ix->tab));
	ix->mask = size - 1;
	ix->fill = 0;
	for (uint32_t i = 0; i < n; i++)
		if (old[i].off < IX_GONE)
			tab_insert(ix, old[i].hash, old[i].off, old[i].lfn_off);
	mm_free(old);
	return 0;
}

static int tab_insert(struct fat_index *ix, uint32_t hash, uint32_t off, uint32_t lfn_off)
{
	if (tab_grow(ix) < 0)
		return -ENOMEM;
	uint32_t i = hash & ix->mask;
	while (ix->tab[i].off < IX_GONE)
		i = (i + 1) & ix->mask;
	if (ix->tab[i].off == IX_EMPTY)
		ix->fill++;
	ix->tab[i] = (struct ix_slot){hash, off, lfn_off};
	return 0;
}

static void tab_remove(struct fat_index *ix, uint32_t hash, uint32_t off)
{
	for (uint32_t i = hash & ix->mask; ix->tab[i].off != IX_EMPTY; i = (i + 1) & ix->mask) {
		if (ix->tab[i].hash == hash && ix->tab[i].off == off) {
			ix->tab[i].off = IX_GONE;
			return;
		}
	}
}

/* The names of entry @e: its long name, its short name as text, its raw
 * short name. */
static int names_of(const struct fat_entry *e, uint32_t h[3])
{
	uint16_t s16[12];
	int n = 0, k = fat_sfn_to16(e->raw, s16);

	if (e->lfn_off != e->off)
		h[n++] = hash16(e->name16, e->len16);
	h[n++] = hash16(s16, k);
	h[n++] = hash_raw(e->raw);
	return n;
}

static int index_entry(struct fat_index *ix, const struct fat_entry *e)
{
	uint32_t h[3];
	int n = names_of(e, h);

	for (int i = 0; i < n; i++)
		if (tab_insert(ix, h[i], e->off, e->lfn_off) < 0)
			return -ENOMEM;
	set_used(ix, e->lfn_off / FAT_DIRENT_SIZE, (e->off - e->lfn_off) / FAT_DIRENT_SIZE + 1, 1);
	return 0;
}

static void index_free(struct fat_index *ix)
{
	if (ix) {
		mm_free(ix->chain);
		mm_free(ix->used);
		mm_free(ix->tab);
		mm_free(ix);
	}
}

/* Slots in use (any entry but free and end), the end marker, the size and
 * the last cluster: one pass over the raw entries. */
static int scan_slots(struct fat_fs *fs, struct fat_dir *d, struct fat_index *ix)
{
	uint32_t off = 0;
	int r = 0, ended = 0;

	ix->end = UINT32_MAX;
	for (;; off += FAT_DIRENT_SIZE) {
		uint32_t c;
		if (d->cluster) {
			r = fat_walk(fs, d, off / fs->csize, &c);
			if (r == -ENOENT || off >= FAT_MAX_DIR_BYTES) {
				r = 0;
				break;
			}
			if (r < 0)
				break;
			if (off % fs->csize == 0 && (r = chain_add(ix, c)) < 0)
				break;
			ix->last_cluster = c;
		} else if (off >= fs->root_entries * FAT_DIRENT_SIZE) {
			break;
		}
		if (ended)
			continue; /* past the end marker: free, only counted */
		uint8_t raw[FAT_DIRENT_SIZE];
		if ((r = fat_dir_read(fs, d, off, raw)) < 0)
			break;
		if (raw[0] == 0) {
			ended = 1;
			ix->end = off / FAT_DIRENT_SIZE;
			continue;
		}
		if ((r = reserve(ix, off / FAT_DIRENT_SIZE + 1)) < 0)
			break;
		if (raw[0] != 0xe5)
			set_used(ix, off / FAT_DIRENT_SIZE, 1, 1);
	}
	ix->nslots = off / FAT_DIRENT_SIZE;
	if (ix->end == UINT32_MAX)
		ix->end = ix->nslots;
	return r < 0 ? r : reserve(ix, ix->nslots + 1);
}

static int build(struct fat_fs *fs, struct fat_dir *d, struct fat_index *ix)
{
	struct fat_entry *e = ix_alloc(sizeof(*e));
	uint32_t pos = 0;
	int r;

	ix->tab = ix_alloc(64 * sizeof(*ix->tab));
	if (!e || !ix->tab) {
		mm_free(e);
		return -ENOMEM;
	}
	memset(ix->tab, 0xff, 64 * sizeof(*ix->tab));
	ix->mask = 63;
	r = scan_slots(fs, d, ix);
	while (!r && (r = fat_dir_next(fs, d, &pos, e)) == 1)
		r = index_entry(ix, e);
	mm_free(e);
	return r;
}

struct fat_index *fat_index_get(struct fat_fs *fs, struct fat_dir *d)
{
	struct fat_index **pp = &fs->ix, *ix;
	unsigned n = 0;

	for (; (ix = *pp); pp = &ix->next, n++) {
		if (ix->cluster == d->cluster) {
			*pp = ix->next; /* to the front */
			ix->next = fs->ix;
			fs->ix = ix;
			return ix;
		}
		if (n + 2 == IX_MAX && ix->next) { /* room for the new one */
			index_free(ix->next);
			ix->next = NULL;
		}
	}
	ix = ix_zalloc(sizeof(*ix));
	if (!ix)
		return NULL;
	ix->cluster = d->cluster;
	struct fat_dir walk = {.cluster = d->cluster};
	if (build(fs, &walk, ix) < 0) {
		index_free(ix);
		return NULL;
	}
	ix->next = fs->ix;
	fs->ix = ix;
	return ix;
}

struct fat_index *fat_index_peek(struct fat_fs *fs, uint32_t cluster)
{
	for (struct fat_index *ix = fs->ix; ix; ix = ix->next)
		if (ix->cluster == cluster)
			return ix;
	return NULL;
}

void fat_index_prime(struct fat_fs *fs, struct fat_dir *d, uint32_t off)
{
	struct fat_index *ix = d->cluster ? fat_index_peek(fs, d->cluster) : NULL;

	if (!ix || !ix->nchain)
		return;
	uint32_t k = off / fs->csize;
	if (k >= ix->nchain)
		k = ix->nchain - 1;
	d->pos_index = k;
	d->pos_cluster = ix->chain[k];
}

int fat_index_chain(struct fat_fs *fs, uint32_t cluster, uint32_t *len, uint32_t *last)
{
	struct fat_index *ix = cluster ? fat_index_peek(fs, cluster) : NULL;

	if (!ix || !ix->nchain)
		return -ENOENT;
	*len = ix->nchain;
	*last = ix->chain[ix->nchain - 1];
	return 0;
}

void fat_index_space(const struct fat_index *ix, uint32_t *end, uint32_t *end_marker,
		     uint32_t *last_cluster)
{
	*end = ix->nslots * FAT_DIRENT_SIZE;
	*end_marker = ix->end < ix->nslots ? ix->end * FAT_DIRENT_SIZE : UINT32_MAX;
	*last_cluster = ix->last_cluster;
}

void fat_index_drop(struct fat_fs *fs, uint32_t cluster)
{
	for (struct fat_index **pp = &fs->ix, *ix; (ix = *pp); pp = &ix->next) {
		if (ix->cluster == cluster) {
			*pp = ix->next;
			index_free(ix);
			return;
		}
	}
}

void fat_index_drop_all(struct fat_fs *fs)
{
	while (fs->ix)
		fat_index_drop(fs, fs->ix->cluster);
}

/* Whether the candidate at @s is entry with a name equal to @want. */
static int is_name(struct fat_fs *fs, struct fat_dir *d, const struct ix_slot *s,
		   const uint16_t *want, int n, struct fat_entry *e)
{
	uint32_t pos = s->lfn_off;

	if (fat_dir_next(fs, d, &pos, e) != 1 || e->off != s->off)
		return 0;
	if (fat_name_eq(want, n, e->name16, e->len16))
		return 1;
	uint16_t s16[12];
	int k = fat_sfn_to16(e->raw, s16);
	return e->lfn_off != e->off && fat_name_eq(want, n, s16, k);
}

int fat_index_find(struct fat_fs *fs, struct fat_dir *d, struct fat_index *ix, const uint16_t *want,
		   int n, struct fat_entry *e)
{
	uint32_t h = hash16(want, n);

	for (uint32_t i = h & ix->mask; ix->tab[i].off != IX_EMPTY; i = (i + 1) & ix->mask)
		if (ix->tab[i].hash == h && ix->tab[i].off < IX_GONE &&
		    is_name(fs, d, &ix->tab[i], want, n, e))
			return 0;
	return -ENOENT;
}

/* Whether a short entry has exactly the 11 bytes @raw. */
static int sfn_taken(struct fat_fs *fs, struct fat_dir *d, struct fat_index *ix,
		     const uint8_t raw[11])
{
	uint32_t h = hash_raw(raw);
	uint8_t ent[FAT_DIRENT_SIZE];

	for (uint32_t i = h & ix->mask; ix->tab[i].off != IX_EMPTY; i = (i + 1) & ix->mask)
		if (ix->tab[i].hash == h && ix->tab[i].off < IX_GONE &&
		    (fat_dir_read(fs, d, ix->tab[i].off, ent) < 0 || !memcmp(ent, raw, 11)))
			return 1; /* unreadable: taken, to be safe */
	return 0;
}

int fat_index_pick_sfn(struct fat_fs *fs, struct fat_dir *d, struct fat_index *ix,
		       const uint8_t basis[11], int lossy, uint8_t sfn[11], int *basis_taken)
{
	*basis_taken = sfn_taken(fs, d, ix, basis);
	if (!lossy && !*basis_taken) {
		memcpy(sfn, basis, 11);
		return 0;
	}
	/* Numeric tails: on from the last one given for this basis. */
	unsigned n = memcmp(ix->tail_basis, basis, 11) ? 1 : ix->tail_next;
	for (unsigned tries = 1; tries < FAT_TAIL_MAX; tries++, n++) {
		if (n >= FAT_TAIL_MAX)
			n = 1;
		fat_sfn_tail(basis, n, sfn);
		if (!sfn_taken(fs, d, ix, sfn)) {
			memcpy(ix->tail_basis, basis, 11);
			ix->tail_next = n + 1;
			return 0;
		}
	}
	return -ENOSPC;
}

int fat_index_room(struct fat_index *ix, uint32_t need, uint32_t *start, uint32_t *len)
{
	uint32_t i = ix->hint, run = 0, first_free = UINT32_MAX;

	while (i < ix->nslots) {
		if (!run && i % 64 == 0 && ix->used[i / 64] == ~0ull) {
			i += 64; /* a full word */
			continue;
		}
		if (ix->used[i / 64] & (1ull << i % 64)) {
			run = 0;
		} else {
			if (first_free == UINT32_MAX)
				first_free = i;
			if (!run++)
				*start = i;
			if (run >= need)
				break;
		}
		i++;
	}
	ix->hint = first_free == UINT32_MAX ? ix->nslots : first_free;
	if (!run)
		*start = ix->nslots;
	*len = run; /* when short of @need: a free run at the end to grow from */
	return run >= need;
}

int fat_index_added(struct fat_fs *fs, struct fat_index *ix, const struct fat_entry *e,
		    uint32_t nslots, uint32_t last_cluster)
{
	uint32_t after = e->off / FAT_DIRENT_SIZE + 1;

	if (reserve(ix, nslots + 1) < 0)
		return -ENOMEM;
	/* clusters the directory grew by */
	while (ix->cluster && ix->nchain && ix->nchain < nslots * FAT_DIRENT_SIZE / fs->csize) {
		uint32_t next;
		if (fat_next(fs, ix->chain[ix->nchain - 1], &next) < 0 || !next ||
		    chain_add(ix, next) < 0)
			return -ENOMEM;
	}
	ix->nslots = nslots;
	ix->last_cluster = last_cluster;
	if (after > ix->end)
		ix->end = after < nslots ? after : nslots;
	else if (ix->end > nslots)
		ix->end = nslots;
	return index_entry(ix, e);
}

void fat_index_removed(struct fat_index *ix, const struct fat_entry *e)
{
	uint32_t h[3];
	int n = names_of(e, h);

	for (int i = 0; i < n; i++)
		tab_remove(ix, h[i], e->off);
	set_used(ix, e->lfn_off / FAT_DIRENT_SIZE, (e->off - e->lfn_off) / FAT_DIRENT_SIZE + 1, 0);
	if (e->lfn_off / FAT_DIRENT_SIZE < ix->hint)
		ix->hint = e->lfn_off / FAT_DIRENT_SIZE;
}
