/*
 * The virtual file system: what a file system driver (fs/fat,
 * fs/unilib) provides, and what the rest of the kernel calls.
 *
 * A driver registers a struct vfs_fs_type; mounting a block device gives a
 * struct vfs_mount whose root is a struct vfs_node. Nodes are reference
 * counted (vfs_node_get/put); a driver returns the same node for the same
 * file while any reference to it lives, so every open of a file sees one
 * size. The VFS resolves paths ("." and ".." included), owns the file
 * descriptors and the mount table, and calls the node operations without
 * holding any lock: a driver serialises its own state (a mutex per mount is
 * enough). Operations may block; none is called from an interrupt.
 *
 * Names passed to drivers are UTF-8, one path component, never "." or "..",
 * never containing '/', 1..255 bytes. Errors are negative errno values.
 */
#ifndef FS_VFS_H
#define FS_VFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <dev/blkdev.h>

struct vfs_node;
struct vfs_mount;

struct vfs_dirent {
	uint64_t ino;
	unsigned char type; /* DT_REG or DT_DIR (<dirent.h>) */
	char name[256];	    /* UTF-8, NUL-terminated */
};

struct vfs_statfs {
	char type[8];	     /* "fat12", "fat16", "fat32" */
	uint64_t block_size; /* allocation unit (a FAT cluster) in bytes */
	uint64_t blocks;     /* all data blocks */
	uint64_t blocks_free;
};

struct vfs_node_ops {
	/* Find @name in directory @dir; *out gets a new reference.
	 * @retval 0; -ENOENT; -ENOTDIR; -EIO */
	int (*lookup)(struct vfs_node *dir, const char *name, size_t len, struct vfs_node **out);
	/* Make an empty regular file; *out gets a new reference.
	 * @retval 0; -EEXIST; -ENOSPC; -ENAMETOOLONG; -EINVAL (a name the
	 * file system cannot hold) */
	int (*create)(struct vfs_node *dir, const char *name, size_t len, struct vfs_node **out);
	int (*mkdir)(struct vfs_node *dir, const char *name, size_t len);
	/* Remove a regular file (-EISDIR for a directory). A node still
	 * referenced stays usable until its last reference goes. */
	int (*unlink)(struct vfs_node *dir, const char *name, size_t len);
	/* Remove an empty directory (-ENOTEMPTY, -ENOTDIR). */
	int (*rmdir)(struct vfs_node *dir, const char *name, size_t len);
	/* POSIX rename within one mount: an existing target file is replaced,
	 * an existing empty target directory too (-ENOTEMPTY otherwise);
	 * moving a directory into itself is -EINVAL. */
	int (*rename)(struct vfs_node *odir, const char *oname, size_t olen, struct vfs_node *ndir,
		      const char *nname, size_t nlen);
	/* @retval bytes transferred (0 at end of file for read); -EISDIR;
	 * -ENOSPC; -EFBIG (past the file system's largest file); -EIO */
	long (*read)(struct vfs_node *n, void *buf, size_t len, uint64_t off);
	long (*write)(struct vfs_node *n, const void *buf, size_t len, uint64_t off);
	int (*truncate)(struct vfs_node *n, uint64_t size);
	int (*getattr)(struct vfs_node *n, struct stat *st);
	/* The entry at or after *pos (an opaque cursor starting at 0), not
	 * "." or "..": fill *out and advance *pos.
	 * @retval 1 an entry; 0 the end; negative an error */
	int (*readdir)(struct vfs_node *dir, uint64_t *pos, struct vfs_dirent *out);
	/* Write this file's data and metadata to the device. */
	int (*fsync)(struct vfs_node *n);
	/* The last reference went: free the node (and, if it was unlinked,
	 * its data). */
	void (*release)(struct vfs_node *n);
};

struct vfs_node {
	const struct vfs_node_ops *ops;
	struct vfs_mount *mnt;
	int refs;      /* vfs_node_get/put only */
	uint32_t mode; /* S_IFREG or S_IFDIR, plus permission bits */
	void *priv;    /* the driver's */
};

struct vfs_fs_type {
	const char *name; /* "fat" */
	/* Recognise and mount @m->dev: set m->root (one reference) and
	 * m->priv. Must not write to the device when it refuses it.
	 * @retval 0; -EINVAL not this file system, or damaged (the reason
	 * logged with log_warn); -EIO; -ENOMEM */
	int (*mount)(struct vfs_mount *m);
	/* Write back everything and flush the device. */
	int (*sync)(struct vfs_mount *m);
	/* Called after sync, once no node of the mount is referenced but
	 * the root: free everything. */
	int (*unmount)(struct vfs_mount *m);
	int (*statfs)(struct vfs_mount *m, struct vfs_statfs *out);
	struct vfs_fs_type *next;
};

struct vfs_mount {
	const struct vfs_fs_type *type;
	struct blkdev *dev;
	struct vfs_node *root;
	void *priv;    /* the driver's */
	char path[64]; /* where it is mounted: "/" */
	struct vfs_mount *next;
};

static inline void vfs_node_get(struct vfs_node *n)
{
	__atomic_add_fetch(&n->refs, 1, __ATOMIC_RELAXED);
}

static inline void vfs_node_put(struct vfs_node *n)
{
	if (n && __atomic_sub_fetch(&n->refs, 1, __ATOMIC_ACQ_REL) == 0)
		n->ops->release(n);
}

/* Add a file system type (from an INITCALL_CORE hook). */
void vfs_register_fs(struct vfs_fs_type *type);

/* Mount @dev at @path ("/" or an existing empty directory) with the
 * first registered type that recognises it (or @type_name).
 * @retval 0; -EINVAL nothing recognises it; -EBUSY already mounted */
int vfs_mount(struct blkdev *dev, const char *path, const char *type_name);
/* Write back every mount (on poweroff, `sync`). */
int vfs_sync_all(void);

/* Path-level calls for kernel code and the shell, with the current
 * directory of the (single) process. */
int vfs_open(const char *path, int flags, int mode); /* a file descriptor */
int vfs_stat(const char *path, struct stat *st);
int vfs_statfs(const char *path, struct vfs_statfs *out);
/* The node behind an open file of a mounted file system, or NULL (the
 * file is of another kind); valid while the file is. */
struct file;
struct vfs_node *vfs_file_node(struct file *f);

#endif
