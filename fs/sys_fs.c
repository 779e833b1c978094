/* The path-level Linux calls on top of the VFS. Directory descriptors as
 * the base of a relative path (the *at calls' dirfd) are not supported:
 * only AT_FDCWD, or an absolute path. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <kernel/file.h>
#include <kernel/syscall.h>
#include <kernel/vfs.h>

#include "vfs_internal.h"

#ifndef AT_REMOVEDIR
#define AT_REMOVEDIR 0x200
#endif
#define MSDOS_SUPER_MAGIC 0x4d44

static int dirfd_ok(long dirfd, const char *path)
{
	if (!path)
		return -EFAULT;
	return dirfd == AT_FDCWD || path[0] == '/' ? 0 : -EBADF;
}

static long sys_openat(long dirfd, const char *path, long flags, long mode)
{
	int r = dirfd_ok(dirfd, path);

	return r < 0 ? r : vfs_open(path, (int)flags, (int)mode);
}

static long sys_open(const char *path, long flags, long mode)
{
	return sys_openat(AT_FDCWD, path, flags, mode);
}

static long sys_creat(const char *path, long mode)
{
	return vfs_open(path, O_CREAT | O_WRONLY | O_TRUNC, (int)mode);
}

int vfs_stat(const char *path, struct stat *st)
{
	struct vfs_node *n;
	int r = vfs_lookup_path(path, &n);

	if (r < 0)
		return r;
	r = n->ops->getattr(n, st);
	vfs_node_put(n);
	return r;
}

static long sys_newfstatat(long dirfd, const char *path, struct stat *st, long flags)
{
	if ((flags & AT_EMPTY_PATH) && path && !*path)
		return syscall_dispatch(SYS_fstat, dirfd, (long)st, 0, 0, 0, 0);
	int r = dirfd_ok(dirfd, path);
	return r < 0 ? r : vfs_stat(path, st);
}

static long sys_stat(const char *path, struct stat *st)
{
	return vfs_stat(path, st);
}

static long sys_access(const char *path, long mode)
{
	struct stat st;

	(void)mode; /* everything is readable and writable by the one user */
	return vfs_stat(path, &st);
}

static long sys_faccessat(long dirfd, const char *path, long mode)
{
	int r = dirfd_ok(dirfd, path);

	return r < 0 ? r : sys_access(path, mode);
}

/* The operations that change a directory: parent and name, then the call. */
static long on_parent(const char *path, int (*op)(struct vfs_node *, const char *, size_t))
{
	char name[VFS_NAME_MAX + 1];
	struct vfs_node *dir;
	int r = vfs_walk_parent(path, &dir, name);

	if (r < 0)
		return r;
	r = op(dir, name, strlen(name));
	vfs_node_put(dir);
	return r;
}

static int do_mkdir(struct vfs_node *dir, const char *name, size_t len)
{
	return dir->ops->mkdir(dir, name, len);
}

static int do_rmdir(struct vfs_node *dir, const char *name, size_t len)
{
	return dir->ops->rmdir(dir, name, len);
}

static int do_unlink(struct vfs_node *dir, const char *name, size_t len)
{
	return dir->ops->unlink(dir, name, len);
}

static long sys_mkdir(const char *path, long mode)
{
	(void)mode;
	long r = on_parent(path, do_mkdir);
	return r == -EBUSY ? -EEXIST : r;
}

static long sys_mkdirat(long dirfd, const char *path, long mode)
{
	int r = dirfd_ok(dirfd, path);

	return r < 0 ? r : sys_mkdir(path, mode);
}

static long sys_rmdir(const char *path)
{
	return on_parent(path, do_rmdir);
}

static long sys_unlink(const char *path)
{
	long r = on_parent(path, do_unlink);
	return r == -EBUSY ? -EISDIR : r;
}

static long sys_unlinkat(long dirfd, const char *path, long flags)
{
	int r = dirfd_ok(dirfd, path);

	if (r < 0)
		return r;
	return flags & AT_REMOVEDIR ? sys_rmdir(path) : sys_unlink(path);
}

static long sys_rename(const char *from, const char *to)
{
	char oname[VFS_NAME_MAX + 1], nname[VFS_NAME_MAX + 1];
	struct vfs_node *odir, *ndir;
	int r = vfs_walk_parent(from, &odir, oname);

	if (r < 0)
		return r;
	if ((r = vfs_walk_parent(to, &ndir, nname)) < 0) {
		vfs_node_put(odir);
		return r;
	}
	if (odir->mnt != ndir->mnt)
		r = -EXDEV;
	else
		r = odir->ops->rename(odir, oname, strlen(oname), ndir, nname, strlen(nname));
	vfs_node_put(odir);
	vfs_node_put(ndir);
	return r;
}

static long sys_renameat2(long ofd, const char *from, long nfd, const char *to, long flags)
{
	int r = dirfd_ok(ofd, from);

	if (r == 0)
		r = dirfd_ok(nfd, to);
	if (r == 0 && flags)
		r = -EINVAL; /* RENAME_NOREPLACE and friends */
	return r < 0 ? r : sys_rename(from, to);
}

static long sys_renameat(long ofd, const char *from, long nfd, const char *to)
{
	return sys_renameat2(ofd, from, nfd, to, 0);
}

static long sys_truncate(const char *path, long size)
{
	struct vfs_node *n;
	int r;

	if (size < 0)
		return -EINVAL;
	if ((r = vfs_lookup_path(path, &n)) < 0)
		return r;
	r = S_ISDIR(n->mode) ? -EISDIR : n->ops->truncate(n, size);
	vfs_node_put(n);
	return r;
}

static long sys_chdir(const char *path)
{
	return vfs_chdir(path);
}

static long sys_getcwd(char *buf, size_t len)
{
	return vfs_getcwd(buf, len);
}

static void fill_statfs(const struct vfs_statfs *v, struct statfs *out)
{
	memset(out, 0, sizeof(*out));
	out->f_type = MSDOS_SUPER_MAGIC;
	out->f_bsize = out->f_frsize = v->block_size;
	out->f_blocks = v->blocks;
	out->f_bfree = out->f_bavail = v->blocks_free;
	out->f_namelen = VFS_NAME_MAX;
}

static long sys_statfs(const char *path, struct statfs *out)
{
	struct vfs_statfs v;
	int r = vfs_statfs(path, &v);

	if (r == 0)
		fill_statfs(&v, out);
	return r;
}

static long sys_sync(void)
{
	vfs_sync_all();
	return 0;
}

static long sys_umask(long mask)
{
	(void)mask;
	return 022;
}

static long sys_ignore(void)
{
	return 0; /* times and owners: FAT keeps no owners, times are set on write */
}

SYSCALL(open, sys_open);
SYSCALL(openat, sys_openat);
SYSCALL(creat, sys_creat);
SYSCALL(newfstatat, sys_newfstatat);
SYSCALL(stat, sys_stat);
SYSCALL(lstat, sys_stat);
SYSCALL(access, sys_access);
SYSCALL(faccessat, sys_faccessat);
SYSCALL(mkdir, sys_mkdir);
SYSCALL(mkdirat, sys_mkdirat);
SYSCALL(rmdir, sys_rmdir);
SYSCALL(unlink, sys_unlink);
SYSCALL(unlinkat, sys_unlinkat);
SYSCALL(rename, sys_rename);
SYSCALL(renameat, sys_renameat);
SYSCALL(renameat2, sys_renameat2);
SYSCALL(truncate, sys_truncate);
SYSCALL(chdir, sys_chdir);
SYSCALL(getcwd, sys_getcwd);
SYSCALL(statfs, sys_statfs);
SYSCALL(sync, sys_sync);
SYSCALL(umask, sys_umask);
SYSCALL(utimensat, sys_ignore);
SYSCALL(chmod, sys_ignore);
SYSCALL(fchmod, sys_ignore);
