/*
 * The VFS node operations (include/fs/vfs.h) over the FAT parts. Each
 * takes the volume's mutex for its whole length. A removed file or
 * directory still referenced keeps its clusters until its last reference
 * goes (fat_release); its directory entry is cleared, and written to the
 * disk, before any cluster is freed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/kmutex.h>
#include <kernel/log.h>

#include "fat.h"

#define NODE(vn) ((struct fat_node *)(vn)->priv)

static void lock(struct fat_fs *fs)
{
	kmutex_lock(&fs->lock);
}

static void unlock(struct fat_fs *fs)
{
	kmutex_unlock(&fs->lock);
}

/* A read-only device refuses changes before the cache takes them. */
static int writable(struct fat_fs *fs)
{
	return fs->dev->readonly ? -EROFS : 0;
}

/* A directory node still in the tree, as a fat_dir. @retval 0; -ENOENT;
 * -ENOTDIR */
static int as_dir(struct fat_node *n, struct fat_dir *d)
{
	if (!n->is_dir)
		return -ENOTDIR;
	if (n->unlinked)
		return -ENOENT;
	fat_node_dir(n, d);
	return 0;
}

int fat_op_lookup(struct vfs_node *dir, const char *name, size_t len, struct vfs_node **out)
{
	struct fat_node *dn = NODE(dir), *n;
	struct fat_fs *fs = dn->fs;
	struct fat_entry *e = malloc(sizeof(*e));
	struct fat_dir d;

	if (!e)
		return -ENOMEM;
	lock(fs);
	int r = as_dir(dn, &d);
	if (!r)
		r = fat_dir_find(fs, &d, name, len, e);
	if (!r)
		r = fat_node_get(fs, d.cluster, e, &n);
	if (!r)
		*out = &n->vn;
	unlock(fs);
	free(e);
	return r == -ENAMETOOLONG ? -ENOENT : r;
}

/* Add @name to @dn with the short entry @tmpl; *e describes the result.
 * @retval 0; -EEXIST; errors of fat_dir_add() */
static int add_entry(struct fat_node *dn, const char *name, size_t len, const uint8_t *tmpl,
		     struct fat_entry *e)
{
	struct fat_dir d;
	int r = as_dir(dn, &d);

	if (r < 0)
		return r;
	r = fat_dir_find(dn->fs, &d, name, len, e);
	if (r == 0)
		return -EEXIST;
	if (r != -ENOENT)
		return r;
	return fat_dir_add(dn->fs, &d, name, len, tmpl, e);
}

int fat_op_create(struct vfs_node *dir, const char *name, size_t len, struct vfs_node **out)
{
	struct fat_node *dn = NODE(dir), *n;
	struct fat_entry *e = malloc(sizeof(*e));
	uint8_t tmpl[FAT_DIRENT_SIZE];

	if (!e)
		return -ENOMEM;
	fat_entry_init(tmpl, FAT_ATTR_ARCHIVE, 0, 0);
	lock(dn->fs);
	int r = writable(dn->fs);
	if (!r)
		r = add_entry(dn, name, len, tmpl, e);
	if (!r)
		r = fat_node_get(dn->fs, dn->first, e, &n);
	if (!r)
		*out = &n->vn;
	unlock(dn->fs);
	free(e);
	return r;
}

/* A new directory's first cluster: zeroed, with "." and "..". */
static int new_dir_cluster(struct fat_fs *fs, uint32_t parent, uint32_t *out)
{
	uint8_t dot[FAT_DIRENT_SIZE];
	struct bbuf *b;
	uint32_t c;
	int r = fat_alloc(fs, 0, &c);

	if (!r)
		r = fat_zero_cluster(fs, c);
	if (!r && bcache_get(fs->bc, fat_cluster_sector(fs, c), &b) < 0)
		r = -EIO;
	if (r < 0)
		return r;
	bcache_dirty(b);
	fat_entry_init(dot, FAT_ATTR_DIR, c, 0);
	dot[0] = '.';
	memcpy(b->data, dot, sizeof(dot));
	/* ".." of a directory in the root says 0, even on FAT32 */
	fat_entry_set_first(dot, parent == fs->root_cluster && fs->bits == 32 ? 0 : parent);
	dot[1] = '.';
	memcpy(b->data + FAT_DIRENT_SIZE, dot, sizeof(dot));
	bcache_put(b);
	*out = c;
	return 0;
}

int fat_op_mkdir(struct vfs_node *dir, const char *name, size_t len)
{
	struct fat_node *dn = NODE(dir);
	struct fat_fs *fs = dn->fs;
	struct fat_entry *e = malloc(sizeof(*e));
	uint8_t tmpl[FAT_DIRENT_SIZE];
	struct fat_dir d;
	uint32_t c = 0;

	if (!e)
		return -ENOMEM;
	lock(fs);
	int r = writable(fs);
	if (!r)
		r = as_dir(dn, &d);
	if (!r) {
		r = fat_dir_find(fs, &d, name, len, e);
		r = r == 0 ? -EEXIST : r == -ENOENT ? 0 : r;
	}
	/* The cluster and its FAT entry first, then the entry naming it. */
	if (!r)
		r = new_dir_cluster(fs, dn->first, &c);
	if (!r) {
		bcache_order(fs->bc);
		fat_entry_init(tmpl, FAT_ATTR_DIR, c, 0);
		r = fat_dir_add(fs, &d, name, len, tmpl, e);
		if (r < 0)
			fat_free_chain(fs, c);
	}
	unlock(fs);
	free(e);
	return r;
}

/* Remove entry @e of @dn: clear it on the disk, then free its clusters,
 * or leave them to the release of a node that is still referenced. */
static int remove_entry(struct fat_node *dn, const struct fat_entry *e)
{
	struct fat_fs *fs = dn->fs;
	struct fat_dir d;
	struct fat_node *n = fat_node_cached(fs, dn->first, e->off);

	fat_node_dir(dn, &d);
	int r = fat_dir_remove(fs, &d, e->lfn_off, e->off);
	if (r < 0)
		return r;
	bcache_order(fs->bc); /* the entry is gone before its clusters */
	if (n) {
		n->unlinked = 1;
		fat_node_unhash(n);
		return 0;
	}
	if (e->first && fat_valid(fs, e->first) && fat_free_chain(fs, e->first) < 0)
		log_warn("fat: \"%s\" removed, some of its clusters are lost", e->name);
	return 0;
}

static int remove_op(struct vfs_node *dir, const char *name, size_t len, int want_dir)
{
	struct fat_node *dn = NODE(dir);
	struct fat_fs *fs = dn->fs;
	struct fat_entry *e = malloc(sizeof(*e));
	struct fat_dir d;

	if (!e)
		return -ENOMEM;
	lock(fs);
	int r = writable(fs);
	if (!r)
		r = as_dir(dn, &d);
	if (!r)
		r = fat_dir_find(fs, &d, name, len, e);
	if (!r && !(e->attr & FAT_ATTR_DIR) != !want_dir)
		r = want_dir ? -ENOTDIR : -EISDIR;
	if (!r && want_dir) {
		struct fat_dir sub = {.cluster = e->first};
		r = fat_valid(fs, e->first) ? fat_dir_empty(fs, &sub) : -EIO;
		r = r == 1 ? 0 : r == 0 ? -ENOTEMPTY : r;
	}
	if (!r)
		r = remove_entry(dn, e);
	unlock(fs);
	free(e);
	return r == -ENAMETOOLONG ? -ENOENT : r;
}

int fat_op_unlink(struct vfs_node *dir, const char *name, size_t len)
{
	return remove_op(dir, name, len, 0);
}

int fat_op_rmdir(struct vfs_node *dir, const char *name, size_t len)
{
	return remove_op(dir, name, len, 1);
}

long fat_op_read(struct vfs_node *vn, void *buf, size_t len, uint64_t off)
{
	struct fat_node *n = NODE(vn);

	if (n->is_dir)
		return -EISDIR;
	lock(n->fs);
	long r = fat_file_read(n, buf, len, off);
	unlock(n->fs);
	return r;
}

long fat_op_write(struct vfs_node *vn, const void *buf, size_t len, uint64_t off)
{
	struct fat_node *n = NODE(vn);

	if (n->is_dir)
		return -EISDIR;
	lock(n->fs);
	long r = writable(n->fs);
	if (!r)
		r = fat_file_write(n, buf, len, off);
	unlock(n->fs);
	return r;
}

int fat_op_truncate(struct vfs_node *vn, uint64_t size)
{
	struct fat_node *n = NODE(vn);

	if (n->is_dir)
		return -EISDIR;
	lock(n->fs);
	int r = writable(n->fs);
	if (!r)
		r = fat_file_truncate(n, size);
	unlock(n->fs);
	return r;
}

/* Seconds since 1970 of a FAT date and time. */
static time_t fat_time(uint16_t date, uint16_t time)
{
	int y = 1980 + (date >> 9), m = (date >> 5) & 15, d = date & 31;

	if (m < 1 || m > 12 || d < 1)
		return 0;
	/* days from civil (proleptic Gregorian), March-based year */
	y -= m <= 2;
	int era = y / 400, yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long days = era * 146097L + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
	return days * 86400 + (time >> 11) * 3600 + ((time >> 5) & 63) * 60 + (time & 31) * 2;
}

static int copy_entry(uint8_t *ent, void *arg)
{
	memcpy(arg, ent, FAT_DIRENT_SIZE);
	return 0;
}

int fat_op_getattr(struct vfs_node *vn, struct stat *st)
{
	struct fat_node *n = NODE(vn);
	struct fat_fs *fs = n->fs;
	uint8_t ent[FAT_DIRENT_SIZE] = {0};
	int r = 0;

	lock(fs);
	if (!n->unlinked && !n->is_root) {
		struct fat_dir d = {.cluster = n->parent};
		r = fat_dir_update(fs, &d, n->ent_off, copy_entry, ent);
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = vn->mode;
	st->st_nlink = 1;
	st->st_ino = n->is_root ? 1 : ((uint64_t)n->parent + 1) << 32 | n->ent_off >> 5;
	st->st_size = n->size;
	st->st_blksize = fs->csize;
	st->st_blocks = (blkcnt_t)n->nclus * (fs->csize / 512);
	st->st_mtime = st->st_ctime = fat_time(fat_le16(ent + 24), fat_le16(ent + 22));
	st->st_atime = fat_time(fat_le16(ent + 18), 0);
	unlock(fs);
	return r;
}

int fat_op_readdir(struct vfs_node *vn, uint64_t *pos, struct vfs_dirent *out)
{
	struct fat_node *n = NODE(vn);
	struct fat_entry *e = malloc(sizeof(*e));
	struct fat_dir d;

	if (!e)
		return -ENOMEM;
	lock(n->fs);
	int r = as_dir(n, &d);
	uint32_t p = *pos > FAT_MAX_DIR_BYTES ? FAT_MAX_DIR_BYTES : (uint32_t)*pos;
	if (r == -ENOENT)
		r = 0; /* a removed directory is empty */
	else if (!r)
		r = fat_dir_next(n->fs, &d, &p, e);
	if (r == 1) {
		out->ino = ((uint64_t)d.cluster + 1) << 32 | e->off >> 5;
		out->type = e->attr & FAT_ATTR_DIR ? DT_DIR : DT_REG;
		memcpy(out->name, e->name, sizeof(out->name));
		*pos = p;
	}
	unlock(n->fs);
	free(e);
	return r;
}

int fat_op_fsync(struct vfs_node *vn)
{
	struct fat_fs *fs = NODE(vn)->fs;

	lock(fs);
	int r = fat_sync_fs(fs);
	unlock(fs);
	return r;
}
