/* The descriptor-level transfer calls, for every kind of file: each one
 * looks the descriptor up, takes a reference for the duration, and calls
 * the kind's operation. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/uio.h>
#include <signal.h>
#include <unistd.h>
#include <kernel/compiler.h>
#include <kernel/file.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

#define IOV_MAX_COUNT 1024

static long do_read(struct file *f, void *buf, size_t len)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (user_check_write(buf, len))
		return -EFAULT;
	if (f->ops->read)
		return f->ops->read(f, buf, len);
	return f->ops->getdents ? -EISDIR : -EINVAL;
}

long file_write_epipe(long r)
{
	/* A write with no reader left: SIGPIPE to the writer, as on Linux
	 * (its default ends the system; ignored, the write fails EPIPE). */
	if (IS_ENABLED(CONFIG_SIGNALS) && r == -EPIPE)
		signal_send_thread(current_thread(), SIGPIPE);
	return r;
}

static long do_write(struct file *f, const void *buf, size_t len)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (user_check_read(buf, len))
		return -EFAULT;
	return file_write_epipe(f->ops->write ? f->ops->write(f, buf, len) : -EINVAL);
}

static long sys_read(long fd, void *buf, size_t len)
{
	struct file *f = fd_get((int)fd);

	if (!f)
		return -EBADF;
	long r = len ? do_read(f, buf, len) : 0;
	file_put(f);
	return r;
}

static long sys_write(long fd, const void *buf, size_t len)
{
	struct file *f = fd_get((int)fd);

	if (!f)
		return -EBADF;
	long r = do_write(f, buf, len);
	file_put(f);
	return r;
}

/* Vectors: one buffer after the other; a short transfer ends the call, as
 * a short read or write of one buffer would. */
static long do_vector(long fd, const struct iovec *uiov, long n, int writing)
{
	long total = 0;
	struct iovec iov;

	if (n < 0 || n > IOV_MAX_COUNT)
		return -EINVAL;
	struct file *f = fd_get((int)fd);
	if (!f)
		return -EBADF;
	for (long i = 0; i < n; i++) {
		long r = copy_from_user(&iov, &uiov[i], sizeof(iov));
		if (!r && !iov.iov_len)
			continue;
		if (!r)
			r = writing ? do_write(f, iov.iov_base, iov.iov_len)
				    : do_read(f, iov.iov_base, iov.iov_len);
		if (r < 0) {
			if (!total)
				total = r;
			break;
		}
		total += r;
		if ((size_t)r < iov.iov_len)
			break;
	}
	file_put(f);
	return total;
}

static long sys_readv(long fd, const struct iovec *iov, long n)
{
	return do_vector(fd, iov, n, 0);
}

static long sys_writev(long fd, const struct iovec *iov, long n)
{
	return do_vector(fd, iov, n, 1);
}

/* pread and pwrite: at @off, the file's offset untouched. */
static long positioned(long fd, void *buf, size_t len, long off, int writing)
{
	struct file *f = fd_get((int)fd);
	long r;

	if (!f)
		return -EBADF;
	if (off < 0)
		r = -EINVAL;
	else if ((f->flags & O_ACCMODE) == (writing ? O_RDONLY : O_WRONLY))
		r = -EBADF;
	else if (writing ? user_check_read(buf, len) : user_check_write(buf, len))
		r = -EFAULT;
	else if (writing)
		r = f->ops->pwrite ? f->ops->pwrite(f, buf, len, off) : -ESPIPE;
	else
		r = f->ops->pread ? f->ops->pread(f, buf, len, off) : -ESPIPE;
	file_put(f);
	return r;
}

static long sys_pread64(long fd, void *buf, size_t len, long off)
{
	return positioned(fd, buf, len, off, 0);
}

static long sys_pwrite64(long fd, const void *buf, size_t len, long off)
{
	return positioned(fd, (void *)(uintptr_t)buf, len, off, 1); /* only read */
}

static long sys_lseek(long fd, long off, long whence)
{
	struct file *f = fd_get((int)fd);
	long long base;
	long r;

	if (!f)
		return -EBADF;
	if (!f->ops->size) {
		file_put(f);
		return -ESPIPE;
	}
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (long long)f->pos;
		break;
	case SEEK_END:
		base = f->ops->size(f);
		break;
	default:
		base = -EINVAL;
	}
	if (base < 0)
		r = base;
	else if (base + off < 0)
		r = -EINVAL;
	else
		r = (long)(f->pos = base + off);
	if (r >= 0 && whence == SEEK_SET && off == 0)
		f->dir_pos = 0, f->dir_dots = 0; /* rewinddir() */
	file_put(f);
	return r;
}

static long sys_ioctl(long fd, unsigned long req, void *arg)
{
	struct file *f = fd_get((int)fd);

	if (!f)
		return -EBADF;
	long r = f->ops->ioctl ? f->ops->ioctl(f, req, arg) : -ENOTTY;
	file_put(f);
	return r;
}

static long sys_fstat(long fd, struct stat *ust)
{
	struct file *f = fd_get((int)fd);
	struct stat st;

	if (!f)
		return -EBADF;
	long r = f->ops->fstat ? f->ops->fstat(f, &st) : -EINVAL;
	file_put(f);
	if (!r && copy_to_user(ust, &st, sizeof(st)))
		r = -EFAULT;
	return r;
}

static long sys_fsync(long fd)
{
	struct file *f = fd_get((int)fd);

	if (!f)
		return -EBADF;
	long r = f->ops->fsync ? f->ops->fsync(f) : 0;
	file_put(f);
	return r;
}

static long sys_ftruncate(long fd, long size)
{
	struct file *f = fd_get((int)fd);
	long r;

	if (!f)
		return -EBADF;
	if (size < 0)
		r = -EINVAL;
	else if ((f->flags & O_ACCMODE) == O_RDONLY)
		r = -EBADF;
	else
		r = f->ops->ftruncate ? f->ops->ftruncate(f, size) : -EINVAL;
	file_put(f);
	return r;
}

static long sys_getdents64(long fd, void *buf, size_t len)
{
	struct file *f = fd_get((int)fd);

	if (!f)
		return -EBADF;
	long r = !f->ops->getdents	      ? -ENOTDIR
		 : user_check_write(buf, len) ? -EFAULT
					      : f->ops->getdents(f, buf, len);
	file_put(f);
	return r;
}

SYSCALL(read, sys_read);
SYSCALL(write, sys_write);
SYSCALL(readv, sys_readv);
SYSCALL(writev, sys_writev);
SYSCALL(pread64, sys_pread64);
SYSCALL(pwrite64, sys_pwrite64);
SYSCALL(lseek, sys_lseek);
SYSCALL(ioctl, sys_ioctl);
SYSCALL(fstat, sys_fstat);
SYSCALL(fsync, sys_fsync);
SYSCALL(fdatasync, sys_fsync);
SYSCALL(ftruncate, sys_ftruncate);
SYSCALL(getdents64, sys_getdents64);
