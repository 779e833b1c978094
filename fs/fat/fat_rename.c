/*
 * rename: the new entry (or the replaced target's, rewritten in place)
 * reaches the disk before the old one is cleared, so that a power cut
 * never loses the file: at worst both names remain, sharing its clusters.
 * A moved directory's ".." is pointed at its new parent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/kmutex.h>
#include <kernel/log.h>

#include "fat.h"

#define NODE(vn) ((struct fat_node *)(vn)->priv)
#define MAX_DEPTH 4096

static int read_dotdot(uint8_t *ent, void *arg)
{
	memcpy(arg, ent, FAT_DIRENT_SIZE);
	return 0;
}

/* Whether directory @dir (a cluster, 0 for the root) is @victim or lies
 * below it, following ".." entries. @retval 1; 0; -EIO */
static int is_below(struct fat_fs *fs, uint32_t dir, uint32_t victim)
{
	uint8_t ent[FAT_DIRENT_SIZE];

	for (int depth = 0; depth < MAX_DEPTH; depth++) {
		if (dir == victim)
			return 1;
		if (!dir || (fs->bits == 32 && dir == fs->root_cluster))
			return 0;
		struct fat_dir d = {.cluster = dir};
		int r = fat_dir_update(fs, &d, FAT_DIRENT_SIZE, read_dotdot, ent);
		if (r < 0)
			return r;
		if (memcmp(ent, "..         ", 11)) {
			log_warn("fat: directory at cluster %u has no \"..\"", dir);
			return -EIO;
		}
		dir = fat_entry_first(fs, ent);
		if (dir && !fat_valid(fs, dir))
			return -EIO;
	}
	log_warn("fat: directories nest deeper than %d (a loop?)", MAX_DEPTH);
	return -EIO;
}

static int set_dotdot(uint8_t *ent, void *arg)
{
	fat_entry_set_first(ent, *(uint32_t *)arg);
	return 1;
}

struct rename_ctx {
	struct fat_fs *fs;
	struct fat_node *od, *nd;
	struct fat_dir odir, ndir;
	struct fat_entry old, target;
	int has_target;
	int same; /* the new name is the old entry's (a change of case) */
};

/* Everything that can refuse the rename, before anything changes. */
static int rename_check(struct rename_ctx *c, const char *oname, size_t olen, const char *nname,
			size_t nlen)
{
	struct fat_fs *fs = c->fs;
	uint16_t u[FAT_NAME_MAX + 1];
	int n = fat_utf8_to16(nname, nlen, u, FAT_NAME_MAX + 1);
	int r = n < 0 ? n : fat_name_check(u, n);

	if (r < 0)
		return r;
	r = fat_dir_find(fs, &c->odir, oname, olen, &c->old);
	if (r < 0)
		return r == -ENAMETOOLONG ? -ENOENT : r;
	r = fat_dir_find(fs, &c->ndir, nname, nlen, &c->target);
	if (r < 0 && r != -ENOENT)
		return r;
	c->same = !r && c->ndir.cluster == c->odir.cluster && c->target.off == c->old.off;
	c->has_target = !r && !c->same;
	int odir = !!(c->old.attr & FAT_ATTR_DIR);
	if (odir) {
		if (!fat_valid(fs, c->old.first))
			return -EIO;
		r = is_below(fs, c->ndir.cluster, c->old.first);
		if (r)
			return r < 0 ? r : -EINVAL;
	}
	if (!c->has_target)
		return 0;
	if (odir != !!(c->target.attr & FAT_ATTR_DIR))
		return odir ? -ENOTDIR : -EISDIR;
	if (odir) {
		struct fat_dir sub = {.cluster = c->target.first};
		r = fat_valid(fs, c->target.first) ? fat_dir_empty(fs, &sub) : -EIO;
		if (r <= 0)
			return r < 0 ? r : -ENOTEMPTY;
	}
	return 0;
}

/* The replaced target's node loses its entry, or its clusters are freed
 * now. @t: its node, found before the entry was taken over. */
static void drop_target(struct rename_ctx *c, struct fat_node *t)
{
	if (t) {
		t->unlinked = 1;
		fat_node_unhash(t);
	} else if (c->target.first && fat_free_chain(c->fs, c->target.first) < 0) {
		log_warn("fat: clusters of replaced \"%s\" are lost", c->target.name);
	}
}

/* The target's short entry takes the moved entry's attributes, times,
 * cluster and size in place (one sector write replaces it); its names
 * stay, the long one equal to the new name but for case. */
static int take_over(uint8_t *ent, void *arg)
{
	const uint8_t *src = arg;

	ent[11] = src[11];
	memcpy(ent + 13, src + 13, FAT_DIRENT_SIZE - 13);
	return 1;
}

/* The new entry reaches the disk before the old one is cleared: a power
 * cut in between leaves both names on the same clusters, never neither;
 * a replaced target's clusters are freed after both. */
static int rename_do(struct rename_ctx *c, const char *nname, size_t nlen)
{
	struct fat_fs *fs = c->fs;
	struct fat_entry *ne = malloc(sizeof(*ne));
	struct fat_node *moved = fat_node_cached(fs, c->odir.cluster, c->old.off);
	struct fat_node *t = NULL;
	int r;

	if (!ne)
		return -ENOMEM;
	if (c->has_target) {
		t = fat_node_cached(fs, c->ndir.cluster, c->target.off);
		r = fat_dir_update(fs, &c->ndir, c->target.off, take_over, c->old.raw);
		ne->off = c->target.off;
		ne->lfn_off = c->target.lfn_off;
	} else {
		r = c->same ? fat_dir_add_lfn(fs, &c->ndir, nname, nlen, c->old.raw, ne)
			    : fat_dir_add(fs, &c->ndir, nname, nlen, c->old.raw, ne);
	}
	if (r < 0)
		goto out;
	bcache_order(fs->bc);
	r = fat_dir_remove(fs, &c->odir, c->old.lfn_off, c->old.off);
	if (r < 0)
		goto out;
	bcache_order(fs->bc);
	if (c->has_target)
		drop_target(c, t);
	if (moved) {
		moved->parent = c->ndir.cluster;
		moved->ent_off = ne->off;
		moved->lfn_off = ne->lfn_off;
	}
	if ((c->old.attr & FAT_ATTR_DIR) && c->odir.cluster != c->ndir.cluster) {
		uint32_t up = c->nd->is_root ? 0 : c->ndir.cluster;
		struct fat_dir sub = {.cluster = c->old.first};
		r = fat_dir_update(fs, &sub, FAT_DIRENT_SIZE, set_dotdot, &up);
	}
out:
	free(ne);
	return r;
}

int fat_op_rename(struct vfs_node *odir, const char *oname, size_t olen, struct vfs_node *ndir,
		  const char *nname, size_t nlen)
{
	struct rename_ctx *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	c->od = NODE(odir);
	c->nd = NODE(ndir);
	c->fs = c->od->fs;
	kmutex_lock(&c->fs->lock);
	if (c->fs->dev->readonly)
		r = -EROFS;
	else if (!c->od->is_dir || !c->nd->is_dir)
		r = -ENOTDIR;
	else if (c->od->unlinked || c->nd->unlinked)
		r = -ENOENT;
	else
		r = 0;
	fat_node_dir(c->od, &c->odir);
	fat_node_dir(c->nd, &c->ndir);
	if (!r)
		r = rename_check(c, oname, olen, nname, nlen);
	if (!r && c->same && strlen(c->old.name) == nlen && !memcmp(c->old.name, nname, nlen))
		goto out; /* nothing changes */
	if (!r)
		r = rename_do(c, nname, nlen);
out:
	kmutex_unlock(&c->fs->lock);
	free(c);
	return r;
}
