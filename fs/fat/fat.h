/*
 * Shared inside fs/fat: the mounted volume, the nodes, and the helpers of
 * each part (mount, table, names, directories, file data, VFS glue).
 *
 * Everything here runs under the volume's mutex (fat_fs.lock), taken by
 * the VFS operations in fat_vfs.c. Every cluster number read from the disk
 * is checked with fat_valid() before it is used, and every walk along a
 * chain is bounded by the cluster count, so a damaged volume can make an
 * operation fail with -EIO but never loop or touch a block outside it.
 */
#ifndef FS_FAT_H
#define FS_FAT_H

#include <pthread.h>
#include <stdint.h>
#include <fs/bcache.h>
#include <fs/vfs.h>

#define FAT_DIRENT_SIZE 32
#define FAT_MAX_FILE 0xffffffffu
#define FAT_MAX_DIR_BYTES (65536u * FAT_DIRENT_SIZE)
#define FAT_NAME_MAX 255    /* UTF-16 units of a long name */
#define FAT_TAIL_MAX 65536u /* numeric tails ~1.. (a directory holds 65536 entries) */

/* attribute bits of a directory entry */
#define FAT_ATTR_RO 0x01
#define FAT_ATTR_HIDDEN 0x02
#define FAT_ATTR_SYSTEM 0x04
#define FAT_ATTR_VOLUME 0x08
#define FAT_ATTR_DIR 0x10
#define FAT_ATTR_ARCHIVE 0x20
#define FAT_ATTR_LFN 0x0f

/* FAT entry values, normalised to the FAT32 width by fat_get() */
#define FAT_FREE 0
#define FAT_BAD 0x0ffffff7u
#define FAT_EOC 0x0fffffffu

struct fat_node;
struct fat_index;

struct fat_fs {
	pthread_mutex_t lock; /* recursive: release may run inside an op */
	struct blkdev *dev;
	struct bcache *bc;
	struct vfs_mount *mnt;
	int bits;	      /* 12, 16 or 32 */
	uint32_t bps;	      /* bytes per sector = cache block */
	uint32_t spc;	      /* sectors per cluster */
	uint32_t csize;	      /* bytes per cluster */
	uint32_t fat_start;   /* first sector of the first FAT */
	uint32_t fat_sectors; /* per FAT */
	uint32_t nfats;
	int active_fat;	       /* -1: all copies mirrored */
	uint32_t root_start;   /* FAT12/16: first sector of the root region */
	uint32_t root_entries; /* FAT12/16 */
	uint32_t root_cluster; /* FAT32 */
	uint32_t data_start;   /* sector of cluster 2 */
	uint32_t nclusters;    /* valid clusters: 2 .. nclusters + 1 */
	uint32_t fsinfo;       /* FSInfo sector, 0 if none */
	uint32_t free_count;   /* 0xffffffff: not known yet */
	uint32_t next_free;    /* search hint */
	int fsinfo_dirty;
	struct fat_node *nodes; /* referenced nodes with a directory entry */
	struct fat_node *root;
	struct fat_index *ix; /* directory indexes, most recently used first */
};

/* Where a directory's entries are: a fixed region (FAT12/16 root, cluster
 * 0) or a cluster chain. */
struct fat_dir {
	uint32_t cluster; /* first cluster; 0 for the FAT12/16 root */
	/* last position found, to walk on from instead of from the start */
	uint32_t pos_index, pos_cluster;
};

struct fat_node {
	struct vfs_node vn;
	struct fat_fs *fs;
	/* the entry, in directory @parent (first cluster; 0 for a FAT12/16
	 * root) at byte @ent_off, its long name from @lfn_off */
	uint32_t parent;
	uint32_t ent_off, lfn_off;
	uint32_t first; /* first cluster, 0 when empty */
	uint32_t size;	/* bytes; for directories the chain's bytes */
	uint32_t nclus; /* chain length */
	uint32_t last;	/* last cluster of the chain, 0 when empty */
	int is_dir;
	int is_root;
	int unlinked;	     /* no directory entry: free the chain at release */
	int entry_dirty;     /* size or chain changed since the entry was written */
	struct fat_dir walk; /* cached chain position for data */
	struct fat_node *next;
};

/* A directory entry read by fat_dir_next(). */
struct fat_entry {
	uint8_t raw[FAT_DIRENT_SIZE]; /* the short entry */
	uint32_t off;		      /* byte offset of the short entry */
	uint32_t lfn_off;	      /* of its first long-name entry, or off */
	uint32_t first;		      /* first cluster */
	uint32_t size;
	uint8_t attr;
	char name[256]; /* UTF-8 */
	uint16_t name16[FAT_NAME_MAX + 1];
	int len16;
};

static inline uint16_t fat_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t fat_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void fat_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void fat_put32(uint8_t *p, uint32_t v)
{
	fat_put16(p, (uint16_t)v);
	fat_put16(p + 2, (uint16_t)(v >> 16));
}

static inline int fat_valid(const struct fat_fs *fs, uint32_t c)
{
	return c >= 2 && c <= fs->nclusters + 1;
}

static inline uint64_t fat_cluster_sector(const struct fat_fs *fs, uint32_t c)
{
	return fs->data_start + (uint64_t)(c - 2) * fs->spc;
}

/* fat_mount.c */
int fat_register(void);
int fat_sync_fs(struct fat_fs *fs);

/* fat_table.c */
/* The entry of cluster @c, normalised: FAT_FREE, FAT_BAD, FAT_EOC, or the
 * next cluster (any other value, unchecked). @retval 0; -EIO */
int fat_get(struct fat_fs *fs, uint32_t c, uint32_t *val);
/* Set the entry of @c in every FAT copy. @retval 0; -EIO */
int fat_set(struct fat_fs *fs, uint32_t c, uint32_t val);
/* The cluster after @c: *next = 0 at the end of the chain.
 * @retval 0; -EIO a free, bad or out-of-range link (logged) */
int fat_next(struct fat_fs *fs, uint32_t c, uint32_t *next);
/* Walk the chain from @first: its length and last cluster.
 * @retval 0; -EIO bad link or a loop (longer than the volume) */
int fat_chain_len(struct fat_fs *fs, uint32_t first, uint32_t *len, uint32_t *last);
/* Allocate one cluster marked end-of-chain, linked after @prev unless
 * @prev is 0. @retval 0; -ENOSPC; -EIO */
int fat_alloc(struct fat_fs *fs, uint32_t prev, uint32_t *out);
/* Whether the entries of @a and @b lie in one FAT sector (of each copy),
 * so that they reach the disk together. */
int fat_same_sector(const struct fat_fs *fs, uint32_t a, uint32_t b);
/* fat_alloc() for a chain nothing reaches yet (@prev is its last cluster):
 * no order between the new end and the link, both lost clusters until
 * the chain is linked. */
int fat_alloc_more(struct fat_fs *fs, uint32_t prev, uint32_t *out);
/* Free the chain from @first. @retval 0; -EIO (what was freed stays so) */
int fat_free_chain(struct fat_fs *fs, uint32_t first);
/* How many of the clusters after @c follow it in order (c -> c+1 -> ...),
 * at most @max. */
uint32_t fat_contig(struct fat_fs *fs, uint32_t c, uint32_t max);
/* Count the free clusters (fills fs->free_count). @retval 0; -EIO */
int fat_count_free(struct fat_fs *fs);
/* The @index-th cluster of the chain of @d (walking on from its cache).
 * @retval 0; -ENOENT the chain is shorter; -EIO */
int fat_walk(struct fat_fs *fs, struct fat_dir *d, uint32_t index, uint32_t *out);

/* fat_name.c */
/* UTF-8 to UTF-16. @retval units; -EINVAL bad UTF-8; -ENAMETOOLONG */
int fat_utf8_to16(const char *s, size_t len, uint16_t *out, int max);
/* UTF-16 to NUL-terminated UTF-8 in @out (@size bytes).
 * @retval bytes; -EINVAL lone surrogate; -ENAMETOOLONG */
int fat_utf16_to8(const uint16_t *s, int n, char *out, size_t size);
uint16_t fat_fold(uint16_t c);
int fat_name_eq(const uint16_t *a, int alen, const uint16_t *b, int blen);
uint8_t fat_sfn_checksum(const uint8_t sfn[11]);
/* The short name of @raw as UTF-8 ("README.TXT", lower case where the
 * entry's case bits say so). */
void fat_sfn_to_name(const uint8_t raw[FAT_DIRENT_SIZE], char *out, size_t size);
/* The same as UTF-16 (at most 12 units). @retval units */
int fat_sfn_to16(const uint8_t raw[FAT_DIRENT_SIZE], uint16_t out[12]);
/* Check a new name. @retval 0; -EINVAL characters FAT cannot hold */
int fat_name_check(const uint16_t *name, int n);
/* The basis short name of @name (spec "basis-name"); *lossy when a long
 * name entry is needed. */
void fat_sfn_basis(const uint16_t *name, int n, uint8_t sfn[11], int *lossy);
/* Put the tail ~@num into @sfn made from @basis. */
void fat_sfn_tail(const uint8_t basis[11], unsigned num, uint8_t sfn[11]);

/* fat_dir.c */
/* The next used entry at or after byte *pos of @d: fill @e and move *pos
 * past it. Volume labels and orphan long names are skipped.
 * @retval 1 an entry; 0 the end; -EIO */
int fat_dir_next(struct fat_fs *fs, struct fat_dir *d, uint32_t *pos, struct fat_entry *e);
/* Find @name (case-insensitive, long or short name). "." and ".." never
 * match. @retval 0; -ENOENT; -EIO; -EINVAL/-ENAMETOOLONG for the name */
int fat_dir_find(struct fat_fs *fs, struct fat_dir *d, const char *name, size_t len,
		 struct fat_entry *e);
/* Read/modify the 32 bytes at byte @off of @d through the cache: @fn is
 * called on them and the block is marked dirty when it returns nonzero.
 * @retval 0; -EIO */
int fat_dir_update(struct fat_fs *fs, struct fat_dir *d, uint32_t off,
		   int (*fn)(uint8_t *ent, void *arg), void *arg);
/* Add an entry for @name with the short entry @tmpl (name bytes filled
 * here). On return @e describes it. @retval 0; -ENOSPC; -EINVAL; -EIO */
int fat_dir_add(struct fat_fs *fs, struct fat_dir *d, const char *name, size_t len,
		const uint8_t tmpl[FAT_DIRENT_SIZE], struct fat_entry *e);
/* Like fat_dir_add() with a long name always, so that the new entry can
 * be added while an old one with the same name (but for case) exists. */
int fat_dir_add_lfn(struct fat_fs *fs, struct fat_dir *d, const char *name, size_t len,
		    const uint8_t tmpl[FAT_DIRENT_SIZE], struct fat_entry *e);
/* Mark the entries [lfn_off, off] deleted. @retval 0; -EIO */
int fat_dir_remove(struct fat_fs *fs, struct fat_dir *d, uint32_t lfn_off, uint32_t off);
/* @retval 1 only ".", ".." and deleted entries; 0 not empty; -EIO */
int fat_dir_empty(struct fat_fs *fs, struct fat_dir *d);
/* A short entry template: attributes, times now, cluster, size. */
void fat_entry_init(uint8_t ent[FAT_DIRENT_SIZE], uint8_t attr, uint32_t first, uint32_t size);
void fat_entry_touch(uint8_t ent[FAT_DIRENT_SIZE]);
uint32_t fat_entry_first(const struct fat_fs *fs, const uint8_t ent[FAT_DIRENT_SIZE]);
void fat_entry_set_first(uint8_t ent[FAT_DIRENT_SIZE], uint32_t c);
/* Zero the cluster @c on disk (through the cache). @retval 0; -EIO */
int fat_zero_cluster(struct fat_fs *fs, uint32_t c);

/* The 32 bytes at byte @off of @d. @retval 0; -EIO (or -ENOENT past the end) */
int fat_dir_read(struct fat_fs *fs, struct fat_dir *d, uint32_t off, uint8_t ent[FAT_DIRENT_SIZE]);

/* fat_index.c: names and free slots of directories (see there) */
/* The index of @d, built now if it has none. NULL: no memory or an I/O
 * error (the callers then scan the directory). */
struct fat_index *fat_index_get(struct fat_fs *fs, struct fat_dir *d);
/* The index of directory @cluster if it has one, NULL otherwise. */
struct fat_index *fat_index_peek(struct fat_fs *fs, uint32_t cluster);
void fat_index_drop(struct fat_fs *fs, uint32_t cluster);
void fat_index_drop_all(struct fat_fs *fs);
/* Find @want (case-insensitive, long or short name). @retval 0; -ENOENT */
int fat_index_find(struct fat_fs *fs, struct fat_dir *d, struct fat_index *ix, const uint16_t *want,
		   int n, struct fat_entry *e);
/* The short name for a new entry (see pick_sfn in fat_dir_add.c).
 * @retval 0; -ENOSPC */
int fat_index_pick_sfn(struct fat_fs *fs, struct fat_dir *d, struct fat_index *ix,
		       const uint8_t basis[11], int lossy, uint8_t sfn[11], int *basis_taken);
/* The first run of @need free slots (*start, *len, in slots): 1; or 0 and
 * the free run at the end (*len may be 0), to grow from. */
int fat_index_room(struct fat_index *ix, uint32_t need, uint32_t *start, uint32_t *len);
/* The directory space and end marker, for fat_dir_add(). */
void fat_index_space(const struct fat_index *ix, uint32_t *end, uint32_t *end_marker,
		     uint32_t *last_cluster);
/* Entry @e was written; the directory is now @nslots slots long, its last
 * cluster @last_cluster. @retval 0; -ENOMEM (drop the index) */
int fat_index_added(struct fat_fs *fs, struct fat_index *ix, const struct fat_entry *e,
		    uint32_t nslots, uint32_t last_cluster);
/* Point @d's walk at the cluster holding byte @off, when an index knows
 * the chain: no walk from the start in a long directory. */
void fat_index_prime(struct fat_fs *fs, struct fat_dir *d, uint32_t off);
/* Length and last cluster of directory @cluster's chain, if it has an
 * index. @retval 0; -ENOENT no index */
int fat_index_chain(struct fat_fs *fs, uint32_t cluster, uint32_t *len, uint32_t *last);
/* Entry @e is being removed. */
void fat_index_removed(struct fat_index *ix, const struct fat_entry *e);

/* fat_file.c */
long fat_file_read(struct fat_node *n, void *buf, size_t len, uint64_t off);
/* Write @len bytes of @buf (zeros when NULL) at @off, growing the chain. */
long fat_file_write(struct fat_node *n, const void *buf, size_t len, uint64_t off);
int fat_file_truncate(struct fat_node *n, uint64_t size);
/* Write the node's first cluster, size and modification time to its entry,
 * ordered after everything changed before (its clusters, their contents).
 * Writes leave this to fsync, sync, the node's release and truncation. */
int fat_node_store(struct fat_node *n, int touch);
/* fat_node_store() for every node whose entry is behind. @retval 0; -EIO */
int fat_store_dirty(struct fat_fs *fs);

/* fat_node.c */
/* The node of entry @e of directory @parent, cached or new (a reference).
 * @retval 0; -ENOMEM; -EIO (its chain is damaged) */
int fat_node_get(struct fat_fs *fs, uint32_t parent, const struct fat_entry *e,
		 struct fat_node **out);
struct fat_node *fat_node_cached(struct fat_fs *fs, uint32_t parent, uint32_t ent_off);
/* A directory's view for the fat_dir_* calls. */
void fat_node_dir(const struct fat_node *n, struct fat_dir *d);
int fat_root_node(struct fat_fs *fs, struct vfs_mount *m);
void fat_node_unhash(struct fat_node *n);
extern const struct vfs_node_ops fat_node_ops;

/* fat_vfs.c, fat_rename.c: the node operations */
int fat_op_lookup(struct vfs_node *, const char *, size_t, struct vfs_node **);
int fat_op_create(struct vfs_node *, const char *, size_t, struct vfs_node **);
int fat_op_mkdir(struct vfs_node *, const char *, size_t);
int fat_op_unlink(struct vfs_node *, const char *, size_t);
int fat_op_rmdir(struct vfs_node *, const char *, size_t);
int fat_op_rename(struct vfs_node *, const char *, size_t, struct vfs_node *, const char *, size_t);
long fat_op_read(struct vfs_node *, void *, size_t, uint64_t);
long fat_op_write(struct vfs_node *, const void *, size_t, uint64_t);
int fat_op_truncate(struct vfs_node *, uint64_t);
int fat_op_getattr(struct vfs_node *, struct stat *);
int fat_op_readdir(struct vfs_node *, uint64_t *, struct vfs_dirent *);
int fat_op_fsync(struct vfs_node *);

#endif
