/*
 * Nodes: one struct fat_node per file while it is referenced, found by the
 * place of its directory entry (directory cluster, entry offset), which
 * rename updates. A node is checked when it is made: its chain must be
 * whole and long enough for its size, so later reads cannot run off it.
 *
 * vfs_node_put() drops the last reference without the volume lock, then
 * calls release, which takes it: a lookup in between must not revive the
 * node, so references are taken here only while the count is nonzero, and
 * a node found at zero is unhashed and replaced.
 */
#include <errno.h>
#include <stdlib.h>
#include <kernel/kmutex.h>
#include <kernel/log.h>
#include <kernel/mm.h>

#include "fat.h"

static int try_get(struct fat_node *n)
{
	int v = __atomic_load_n(&n->vn.refs, __ATOMIC_RELAXED);

	while (v > 0)
		if (__atomic_compare_exchange_n(&n->vn.refs, &v, v + 1, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return 1;
	return 0;
}

struct fat_node *fat_node_cached(struct fat_fs *fs, uint32_t parent, uint32_t ent_off)
{
	for (struct fat_node *n = fs->nodes; n; n = n->next)
		if (n->parent == parent && n->ent_off == ent_off)
			return n;
	return NULL;
}

void fat_node_unhash(struct fat_node *n)
{
	for (struct fat_node **pp = &n->fs->nodes; *pp; pp = &(*pp)->next) {
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	}
	n->next = NULL;
}

void fat_node_dir(const struct fat_node *n, struct fat_dir *d)
{
	*d = (struct fat_dir){.cluster = n->first};
}

static void node_init(struct fat_fs *fs, struct fat_node *n, int is_dir, uint8_t attr)
{
	n->fs = fs;
	n->is_dir = is_dir;
	n->vn.ops = &fat_node_ops;
	n->vn.mnt = fs->mnt;
	n->vn.refs = 1;
	n->vn.priv = n;
	n->vn.mode = (is_dir ? S_IFDIR | 0777 : S_IFREG | 0666) & ~(attr & FAT_ATTR_RO ? 0222 : 0);
}

/* The entry's chain against its type and size. @retval 0; -EIO */
static int node_check(struct fat_fs *fs, struct fat_node *n, const struct fat_entry *e)
{
	uint32_t need;

	if (n->is_dir && !e->first) {
		log_warn("fat: directory \"%s\" has no cluster", e->name);
		return -EIO;
	}
	if (e->first && !fat_valid(fs, e->first)) {
		log_warn("fat: \"%s\" starts at invalid cluster %u", e->name, e->first);
		return -EIO;
	}
	if (!e->first) {
		if (e->size) {
			log_warn("fat: \"%s\" has %u bytes but no cluster", e->name, e->size);
			return -EIO;
		}
		return 0;
	}
	/* a directory with an index: its chain is known */
	if (n->is_dir && fat_index_chain(fs, e->first, &n->nclus, &n->last) == 0)
		return 0;
	int r = fat_chain_len(fs, e->first, &n->nclus, &n->last);
	if (r < 0)
		return r;
	need = (uint32_t)(((uint64_t)e->size + fs->csize - 1) / fs->csize);
	if (!n->is_dir && n->nclus < need) {
		log_warn("fat: \"%s\": %u bytes in %u clusters", e->name, e->size, n->nclus);
		return -EIO;
	}
	return 0;
}

/* Nodes are shared by every file open on them and cached: they come from
 * the kernel heap, not the heap of the thread that happened to open them
 * first, which a crash of that thread would take back under them. */
static struct fat_node *node_alloc(void)
{
	return mm_kernel_zalloc(sizeof(struct fat_node));
}

int fat_node_get(struct fat_fs *fs, uint32_t parent, const struct fat_entry *e,
		 struct fat_node **out)
{
	struct fat_node *n = fat_node_cached(fs, parent, e->off);

	if (n) {
		if (try_get(n)) {
			*out = n;
			return 0;
		}
		fat_node_unhash(n); /* being released: make a new one */
	}
	n = node_alloc();
	if (!n)
		return -ENOMEM;
	node_init(fs, n, !!(e->attr & FAT_ATTR_DIR), e->attr);
	n->parent = parent;
	n->ent_off = e->off;
	n->lfn_off = e->lfn_off;
	n->first = e->first;
	int r = node_check(fs, n, e);
	if (r < 0) {
		free(n);
		return r;
	}
	n->size = n->is_dir ? n->nclus * fs->csize : e->size;
	n->next = fs->nodes;
	fs->nodes = n;
	*out = n;
	return 0;
}

int fat_root_node(struct fat_fs *fs, struct vfs_mount *m)
{
	struct fat_node *n = node_alloc();

	if (!n)
		return -ENOMEM;
	fs->mnt = m;
	node_init(fs, n, 1, 0);
	n->is_root = 1;
	n->ent_off = UINT32_MAX;
	n->first = fs->bits == 32 ? fs->root_cluster : 0;
	fs->root = n;
	m->root = &n->vn;
	return 0;
}

static void fat_release(struct vfs_node *vn)
{
	struct fat_node *n = vn->priv;
	struct fat_fs *fs = n->fs;

	if (n->is_root)
		return; /* freed by unmount */
	kmutex_lock(&fs->lock);
	if (!n->unlinked && n->entry_dirty && fat_node_store(n, 1) < 0)
		log_warn("fat: the entry of a file at cluster %u is not up to date", n->first);
	if (n->unlinked && n->first && fat_free_chain(fs, n->first) < 0)
		log_warn("fat: clusters of a removed file from %u are lost", n->first);
	else if (!n->unlinked)
		fat_node_unhash(n);
	kmutex_unlock(&fs->lock);
	free(n);
}

const struct vfs_node_ops fat_node_ops = {
    .lookup = fat_op_lookup,
    .create = fat_op_create,
    .mkdir = fat_op_mkdir,
    .unlink = fat_op_unlink,
    .rmdir = fat_op_rmdir,
    .rename = fat_op_rename,
    .read = fat_op_read,
    .write = fat_op_write,
    .truncate = fat_op_truncate,
    .getattr = fat_op_getattr,
    .readdir = fat_op_readdir,
    .fsync = fat_op_fsync,
    .release = fat_release,
};
