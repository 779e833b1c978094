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
#include <kernel/uaccess.h>
#include <fs/vfs.h>

#include "vfs_internal.h"

#ifndef AT_REMOVEDIR
#define AT_REMOVEDIR 0x200
#endif
#define MSDOS_SUPER_MAGIC 0x4d44

/* Every call works on a copy of the application's path, taken before any
 * lock: a bad pointer is -EFAULT here, never a fault in the VFS. */
typedef char kpath_t[VFS_PATH_MAX];

static int path_in(const char *upath, char *kpath)
{
	long r = strncpy_from_user(kpath, upath, VFS_PATH_MAX);

	return r < 0 ? (int)r : 0;
}

/* The copied path, and the *at calls' base directory. */
static int path_at(long dirfd, const char *upath, char *kpath)
{
	int r = path_in(upath, kpath);

	if (r < 0)
		return r;
	return dirfd == AT_FDCWD || kpath[0] == '/' ? 0 : -EBADF;
}

static long sys_openat(long dirfd, const char *path, long flags, long mode)
{
	kpath_t p;
	int r = path_at(dirfd, path, p);

	return r < 0 ? r : vfs_open(p, (int)flags, (int)mode);
}

static long sys_open(const char *path, long flags, long mode)
{
	return sys_openat(AT_FDCWD, path, flags, mode);
}

static long sys_creat(const char *path, long mode)
{
	return sys_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
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

static long sys_newfstatat(long dirfd, const char *path, struct stat *ust, long flags)
{
	struct stat st;
	kpath_t p;
	int r = path_in(path, p);

	if (r == 0 && !p[0] && (flags & AT_EMPTY_PATH))
		return syscall_dispatch(SYS_fstat, dirfd, (long)ust, 0, 0, 0, 0);
	if (r == 0)
		r = path_at(dirfd, path, p);
	if (r == 0)
		r = vfs_stat(p, &st);
	if (r == 0 && copy_to_user(ust, &st, sizeof(st)))
		r = -EFAULT;
	return r;
}

static long sys_stat(const char *path, struct stat *st)
{
	return sys_newfstatat(AT_FDCWD, path, st, 0);
}

static long sys_faccessat(long dirfd, const char *path, long mode)
{
	struct stat st;
	kpath_t p;
	int r = path_at(dirfd, path, p);

	(void)mode; /* everything is readable and writable by the one user */
	return r < 0 ? r : vfs_stat(p, &st);
}

static long sys_access(const char *path, long mode)
{
	return sys_faccessat(AT_FDCWD, path, mode);
}

/* The operations that change a directory: parent and name, then the call. */
static long on_parent(long dirfd, const char *upath,
		      int (*op)(struct vfs_node *, const char *, size_t))
{
	char name[VFS_NAME_MAX + 1];
	struct vfs_node *dir;
	kpath_t p;
	int r = path_at(dirfd, upath, p);

	if (r == 0)
		r = vfs_walk_parent(p, &dir, name);
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

static long sys_mkdirat(long dirfd, const char *path, long mode)
{
	(void)mode;
	long r = on_parent(dirfd, path, do_mkdir);
	return r == -EBUSY ? -EEXIST : r;
}

static long sys_mkdir(const char *path, long mode)
{
	return sys_mkdirat(AT_FDCWD, path, mode);
}

static long sys_unlinkat(long dirfd, const char *path, long flags)
{
	if (flags & AT_REMOVEDIR)
		return on_parent(dirfd, path, do_rmdir);
	long r = on_parent(dirfd, path, do_unlink);
	return r == -EBUSY ? -EISDIR : r;
}

static long sys_rmdir(const char *path)
{
	return sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

static long sys_unlink(const char *path)
{
	return sys_unlinkat(AT_FDCWD, path, 0);
}

/* Both paths copied already. */
static long do_rename(const char *from, const char *to)
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
	kpath_t f, t;
	int r = path_at(ofd, from, f);

	if (r == 0)
		r = path_at(nfd, to, t);
	if (r == 0 && flags)
		r = -EINVAL; /* RENAME_NOREPLACE and friends */
	return r < 0 ? r : do_rename(f, t);
}

static long sys_renameat(long ofd, const char *from, long nfd, const char *to)
{
	return sys_renameat2(ofd, from, nfd, to, 0);
}

static long sys_rename(const char *from, const char *to)
{
	return sys_renameat2(AT_FDCWD, from, AT_FDCWD, to, 0);
}

static long sys_truncate(const char *path, long size)
{
	struct vfs_node *n;
	kpath_t p;
	int r = path_in(path, p);

	if (r < 0)
		return r;
	if (size < 0)
		return -EINVAL;
	if ((r = vfs_lookup_path(p, &n)) < 0)
		return r;
	r = S_ISDIR(n->mode) ? -EISDIR : n->ops->truncate(n, size);
	vfs_node_put(n);
	return r;
}

static long sys_chdir(const char *path)
{
	kpath_t p;
	int r = path_in(path, p);

	return r < 0 ? r : vfs_chdir(p);
}

static long sys_fchdir(long fd)
{
	struct file *f = fd_get((int)fd);

	if (!f)
		return -EBADF;
	long r = vfs_fchdir(f);
	file_put(f);
	return r;
}

static long sys_getcwd(char *buf, size_t len)
{
	kpath_t cwd;
	int n = vfs_getcwd(cwd, sizeof(cwd));

	if (n > 0 && (size_t)n > len)
		return -ERANGE;
	if (n > 0 && copy_to_user(buf, cwd, (size_t)n))
		return -EFAULT;
	return n;
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
	struct statfs st;
	kpath_t p;
	int r = path_in(path, p);

	if (r == 0)
		r = vfs_statfs(p, &v);
	if (r == 0) {
		fill_statfs(&v, &st);
		if (copy_to_user(out, &st, sizeof(st)))
			r = -EFAULT;
	}
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
SYSCALL(fchdir, sys_fchdir);
SYSCALL(getcwd, sys_getcwd);
SYSCALL(statfs, sys_statfs);
SYSCALL(sync, sys_sync);
SYSCALL(umask, sys_umask);
SYSCALL(utimensat, sys_ignore);
SYSCALL(chmod, sys_ignore);
SYSCALL(fchmod, sys_ignore);
SYSCALL(fchmodat, sys_ignore);
SYSCALL(chown, sys_ignore);
SYSCALL(fchown, sys_ignore);
SYSCALL(lchown, sys_ignore);
SYSCALL(fchownat, sys_ignore);
