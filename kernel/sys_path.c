/*
 * Path calls that the C library leans on beyond fs/sys_fs.c: readlink and
 * readlinkat (realpath() asks each component of a path whether it is a
 * symbolic link), and fstatfs.
 *
 * The file systems here (FAT) have no symbolic links, so readlink answers
 * as Linux does for every file that is not one: EINVAL when the path
 * exists, ENOENT or ENOTDIR when it does not.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <fs/vfs.h>

#ifndef MSDOS_SUPER_MAGIC
#define MSDOS_SUPER_MAGIC 0x4d44
#endif

static long do_readlink(int dirfd, const char *upath, long bufsiz)
{
	if (bufsiz <= 0)
		return -EINVAL;
	char *path = mm_heap_alloc(mm_kernel_heap(), PATH_MAX);
	if (!path)
		return -ENOMEM;
	long r = strncpy_from_user(path, upath, PATH_MAX);
	if (r >= PATH_MAX)
		r = -ENAMETOOLONG;
	else if (r == 0)
		r = -ENOENT;
	if (r < 0)
		goto out;
	if (path[0] != '/' && dirfd != AT_FDCWD) {
		/* Relative to a directory descriptor: whatever the name is,
		 * it is no symbolic link. */
		struct file *f = fd_get(dirfd);
		r = !f ? -EBADF : f->ops->getdents ? -EINVAL : -ENOTDIR;
		file_put(f);
		goto out;
	}
	struct stat st;
	r = vfs_stat(path, &st);
	if (r == 0)
		r = -EINVAL;
out:
	mm_free(path);
	return r;
}

static long sys_readlink(const char *path, char *buf, long bufsiz)
{
	(void)buf;
	return do_readlink(AT_FDCWD, path, bufsiz);
}

static long sys_readlinkat(long dirfd, const char *path, char *buf, long bufsiz)
{
	(void)buf;
	return do_readlink((int)dirfd, path, bufsiz);
}

static long sys_fstatfs(long fd, struct statfs *out)
{
	struct file *f = fd_get((int)fd);
	struct vfs_node *n = f ? vfs_file_node(f) : NULL;
	struct vfs_statfs v;
	struct statfs st;
	long r = !f ? -EBADF : n ? n->mnt->type->statfs(n->mnt, &v) : 0;

	file_put(f);
	if (r)
		return r;
	/* A pipe, socket or the console: a file system of no blocks. */
	memset(&st, 0, sizeof(st));
	st.f_bsize = st.f_frsize = 4096;
	st.f_namelen = 255;
	if (n) {
		st.f_type = MSDOS_SUPER_MAGIC;
		st.f_bsize = st.f_frsize = v.block_size;
		st.f_blocks = v.blocks;
		st.f_bfree = st.f_bavail = v.blocks_free;
	}
	return copy_to_user(out, &st, sizeof(st));
}

SYSCALL(readlink, sys_readlink);
SYSCALL(readlinkat, sys_readlinkat);
SYSCALL(fstatfs, sys_fstatfs);
