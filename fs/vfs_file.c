/*
 * Files of mounted file systems as descriptors see them: open() and the
 * struct file_ops of a VFS node. The node does the work; this layer keeps
 * the offset, O_APPEND, the access mode and the directory cursor.
 *
 * A node does not know its name, so an open directory also keeps the
 * normalised path it was opened by: fchdir() goes there, provided that
 * path still names the same node.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <kernel/kmutex.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <fs/vfs.h>

#include "vfs_internal.h"

/* The private value of an open directory (dir_file_ops); a file's is its
 * node. */
struct dir_open {
	struct vfs_node *node;
	char path[];
};

static const struct file_ops dir_file_ops;

static struct vfs_node *node_of(struct file *f)
{
	return f->ops == &dir_file_ops ? ((struct dir_open *)f->priv)->node : f->priv;
}

/* One lock for every O_APPEND write: the size and the write must not be
 * separated by another thread's append. */
static pthread_mutex_t append_lock = PTHREAD_MUTEX_INITIALIZER;

static long node_pread(struct file *f, void *buf, size_t len, uint64_t off)
{
	struct vfs_node *n = node_of(f);

	return S_ISDIR(n->mode) ? -EISDIR : n->ops->read(n, buf, len, off);
}

static long node_pwrite(struct file *f, const void *buf, size_t len, uint64_t off)
{
	struct vfs_node *n = node_of(f);

	return S_ISDIR(n->mode) ? -EISDIR : n->ops->write(n, buf, len, off);
}

static long long node_size(struct file *f)
{
	struct stat st;
	int r = node_of(f)->ops->getattr(node_of(f), &st);

	return r < 0 ? r : st.st_size;
}

static long node_read(struct file *f, void *buf, size_t len)
{
	long r = node_pread(f, buf, len, f->pos);

	if (r > 0)
		f->pos += r;
	return r;
}

static long node_write(struct file *f, const void *buf, size_t len)
{
	long r;

	if (f->flags & O_APPEND) {
		kmutex_lock(&append_lock);
		long long size = node_size(f);
		r = size < 0 ? size : node_pwrite(f, buf, len, size);
		if (r > 0)
			f->pos = size + r;
		kmutex_unlock(&append_lock);
		return r;
	}
	r = node_pwrite(f, buf, len, f->pos);
	if (r > 0)
		f->pos += r;
	return r;
}

static int node_fstat(struct file *f, struct stat *st)
{
	return node_of(f)->ops->getattr(node_of(f), st);
}

static int node_fsync(struct file *f)
{
	return node_of(f)->ops->fsync(node_of(f));
}

static int node_ftruncate(struct file *f, uint64_t size)
{
	struct vfs_node *n = node_of(f);

	return S_ISDIR(n->mode) ? -EISDIR : n->ops->truncate(n, size);
}

/* One linux_dirent64 record; @retval its length, or 0 when it does not fit. */
static size_t put_dirent(void *buf, size_t room, uint64_t ino, uint64_t next, unsigned char type,
			 const char *name)
{
	struct {
		uint64_t ino;
		int64_t off;
		unsigned short reclen;
		unsigned char type;
		char name[];
	} *d = buf;
	size_t namelen = strlen(name);
	size_t reclen = (offsetof(__typeof__(*d), name) + namelen + 1 + 7) & ~7ul;

	if (reclen > room)
		return 0;
	d->ino = ino ? ino : 1;
	d->off = (int64_t)next;
	d->reclen = (unsigned short)reclen;
	d->type = type;
	memcpy(d->name, name, namelen + 1);
	return reclen;
}

static long node_getdents(struct file *f, void *buf, size_t len)
{
	struct vfs_node *n = node_of(f);
	struct vfs_dirent ent;
	size_t used = 0;

	if (!S_ISDIR(n->mode))
		return -ENOTDIR;
	while (f->dir_dots < 2) {
		size_t r = put_dirent((char *)buf + used, len - used, 1, 0, DT_DIR,
				      f->dir_dots ? ".." : ".");
		if (!r)
			return used ? (long)used : -EINVAL;
		used += r;
		f->dir_dots++;
	}
	for (;;) {
		uint64_t pos = f->dir_pos;
		int r = n->ops->readdir(n, &pos, &ent);
		if (r < 0)
			return used ? (long)used : r;
		if (r == 0)
			break;
		size_t w =
		    put_dirent((char *)buf + used, len - used, ent.ino, pos, ent.type, ent.name);
		if (!w)
			return used ? (long)used : -EINVAL;
		used += w;
		f->dir_pos = pos; /* only once the entry is in the buffer */
	}
	return used;
}

static void node_release(struct file *f)
{
	vfs_node_put(node_of(f));
}

static void dir_release(struct file *f)
{
	vfs_node_put(node_of(f));
	mm_free(f->priv);
}

static const struct file_ops node_file_ops = {
    .read = node_read,
    .write = node_write,
    .pread = node_pread,
    .pwrite = node_pwrite,
    .size = node_size,
    .fstat = node_fstat,
    .fsync = node_fsync,
    .ftruncate = node_ftruncate,
    .getdents = node_getdents,
    .release = node_release,
};

/* A directory's operations are a file's: reads, writes and truncation
 * find a directory node and say so. */
static const struct file_ops dir_file_ops = {
    .read = node_read,
    .write = node_write,
    .pread = node_pread,
    .pwrite = node_pwrite,
    .size = node_size,
    .fstat = node_fstat,
    .fsync = node_fsync,
    .ftruncate = node_ftruncate,
    .getdents = node_getdents,
    .release = dir_release,
};

struct vfs_node *vfs_file_node(struct file *f)
{
	return f->ops == &node_file_ops || f->ops == &dir_file_ops ? node_of(f) : NULL;
}

int vfs_fchdir(struct file *f)
{
	struct dir_open *d = f->priv;

	return f->ops == &dir_file_ops ? vfs_set_cwd(d->path, d->node) : -ENOTDIR;
}

/* The open file of directory @n (the caller's reference goes to it once
 * made), which @path named. A function of its own: the normalised path
 * takes stack that vfs_open's lookup need not share.
 * @retval 0; -ENOMEM; -ENAMETOOLONG */
static __attribute__((noinline)) int dir_file(const char *path, struct vfs_node *n, int flags,
					      struct file **out)
{
	char abs[VFS_PATH_MAX];
	int r = vfs_normalize(path, abs, sizeof(abs));

	if (r < 0)
		return r;
	struct dir_open *d = mm_heap_alloc(mm_kernel_heap(), sizeof(*d) + strlen(abs) + 1);
	if (!d)
		return -ENOMEM;
	d->node = n;
	strcpy(d->path, abs);
	*out = file_alloc(&dir_file_ops, flags, d);
	if (!*out) {
		mm_free(d);
		return -ENOMEM;
	}
	return 0;
}

/* Find or (O_CREAT) make the node of @path. */
static int open_node(const char *path, int flags, struct vfs_node **out)
{
	char name[VFS_NAME_MAX + 1];
	struct vfs_node *dir;
	int r = vfs_lookup_path(path, out);

	if (r == 0)
		return (flags & O_CREAT) && (flags & O_EXCL) ? (vfs_node_put(*out), -EEXIST) : 0;
	if (r != -ENOENT || !(flags & O_CREAT))
		return r;
	if ((r = vfs_walk_parent(path, &dir, name)) < 0)
		return r;
	r = dir->ops->create(dir, name, strlen(name), out);
	if (r == -EEXIST && !(flags & O_EXCL))
		r = dir->ops->lookup(dir, name, strlen(name), out); /* another thread made it */
	vfs_node_put(dir);
	return r;
}

int vfs_open(const char *path, int flags, int mode)
{
	struct vfs_node *n;
	int acc = flags & O_ACCMODE;

	(void)mode; /* no owners or permissions on FAT */
	if (acc == 3)
		return -EINVAL;
	int r = open_node(path, flags, &n);
	if (r < 0)
		return r;
	if (S_ISDIR(n->mode) && (acc != O_RDONLY || (flags & O_CREAT))) {
		r = -EISDIR;
		goto fail;
	}
	if (!S_ISDIR(n->mode) && (flags & O_DIRECTORY)) {
		r = -ENOTDIR;
		goto fail;
	}
	if ((flags & O_TRUNC) && acc != O_RDONLY && (r = n->ops->truncate(n, 0)) < 0)
		goto fail;
	int fl = flags & (O_ACCMODE | O_APPEND | O_DIRECTORY);
	struct file *f = NULL;
	if (S_ISDIR(n->mode))
		r = dir_file(path, n, fl, &f);
	else if (!(f = file_alloc(&node_file_ops, fl, n)))
		r = -ENOMEM;
	if (!f)
		goto fail;
	r = fd_install(f, 0, flags & O_CLOEXEC);
	if (r < 0)
		file_put(f); /* puts the node too */
	return r;
fail:
	vfs_node_put(n);
	return r;
}
