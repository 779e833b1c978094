/*
 * More transfer calls over the descriptor operations of kernel/sys_file.c:
 * positioned vectors (preadv, pwritev), sendfile between any two
 * descriptors, and the advice and preallocation calls.
 *
 * sendfile copies through a kernel buffer: there is no page cache to hand
 * to the network, so it saves the application only its own copy and the
 * system calls. A short write ends the call, and the input offset moves by
 * what was written, as on Linux.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/uio.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

#define IOV_MAX_COUNT 1024
#define SENDFILE_CHUNK (64u << 10)

/* preadv/pwritev: one buffer after the other at advancing offsets. */
static long do_pvector(long fd, const struct iovec *uiov, long n, long off, int writing)
{
	long total = 0, r = 0;
	struct iovec iov;

	if (n < 0 || n > IOV_MAX_COUNT || off < 0)
		return -EINVAL;
	struct file *f = fd_get((int)fd);
	if (!f)
		return -EBADF;
	int mode = f->flags & O_ACCMODE;
	if (writing ? mode == O_RDONLY : mode == O_WRONLY)
		r = -EBADF;
	else if (writing ? !f->ops->pwrite : !f->ops->pread)
		r = -ESPIPE;
	for (long i = 0; !r && i < n; i++) {
		r = copy_from_user(&iov, &uiov[i], sizeof(iov));
		if (r || !iov.iov_len)
			continue;
		r = writing ? user_check_read(iov.iov_base, iov.iov_len)
			    : user_check_write(iov.iov_base, iov.iov_len);
		if (!r)
			r = writing ? file_write_epipe(
					  f->ops->pwrite(f, iov.iov_base, iov.iov_len, off + total))
				    : f->ops->pread(f, iov.iov_base, iov.iov_len, off + total);
		if (r > 0) {
			total += r;
			r = (size_t)r < iov.iov_len; /* short: stop here */
		}
	}
	file_put(f);
	return total ? total : r < 0 ? r : 0;
}

static long sys_preadv(long fd, const struct iovec *iov, long n, long off)
{
	return do_pvector(fd, iov, n, off, 0);
}

static long sys_pwritev(long fd, const struct iovec *iov, long n, long off)
{
	return do_pvector(fd, iov, n, off, 1);
}

/* One chunk from @in (at *@off, or its position) to @out.
 * @retval bytes written; 0 at the input's end; negative error */
static long send_chunk(struct file *out, struct file *in, char *buf, size_t len, uint64_t *off)
{
	long got = off ? in->ops->pread(in, buf, len, *off) : in->ops->read(in, buf, len);

	if (got <= 0)
		return got;
	long put = file_write_epipe(out->ops->write(out, buf, (size_t)got));
	if (put < 0)
		return put;
	if (off)
		*off += (uint64_t)put;
	else if (put < got && in->ops->size)
		in->pos -= (uint64_t)(got - put); /* what was not sent is read again */
	return put;
}

static long do_sendfile(struct file *out, struct file *in, uint64_t *off, size_t count)
{
	if ((out->flags & O_ACCMODE) == O_RDONLY || (in->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!out->ops->write || (off ? !in->ops->pread : !in->ops->read))
		return off && in->ops->read ? -ESPIPE : -EINVAL;
	size_t chunk = count < SENDFILE_CHUNK ? count : SENDFILE_CHUNK;
	char *buf = chunk ? mm_heap_alloc(mm_kernel_heap(), chunk) : NULL;
	if (chunk && !buf)
		return -ENOMEM;
	long total = 0, r = 0;
	while ((size_t)total < count) {
		size_t want = count - (size_t)total < chunk ? count - (size_t)total : chunk;
		r = send_chunk(out, in, buf, want, off);
		if (r <= 0)
			break;
		total += r;
		if ((size_t)r < want)
			break; /* the output is full: a non-blocking socket */
	}
	mm_free(buf);
	return total ? total : r;
}

static long sys_sendfile(long out_fd, long in_fd, int64_t *uoff, size_t count)
{
	int64_t off = 0;

	if (uoff && copy_from_user(&off, uoff, sizeof(off)))
		return -EFAULT;
	if (off < 0)
		return -EINVAL;
	if (count > 0x7ffff000)
		count = 0x7ffff000; /* Linux's cap on one transfer */
	struct file *out = fd_get((int)out_fd), *in = fd_get((int)in_fd);
	long r = out && in ? do_sendfile(out, in, uoff ? (uint64_t *)&off : NULL, count) : -EBADF;
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	if (uoff && r >= 0 && copy_to_user(uoff, &off, sizeof(off)))
		r = -EFAULT;
	return r;
}

/* Advice changes nothing here (no page cache), but the arguments are
 * checked as Linux checks them. */
static long sys_fadvise64(long fd, long off, long len, long advice)
{
	(void)off;
	struct file *f = fd_get((int)fd);

	if (!f)
		return -EBADF;
	long r = !f->ops->size && f->ops->poll	       ? -ESPIPE
		 : len < 0 || advice < 0 || advice > 5 ? -EINVAL
						       : 0;
	file_put(f);
	return r;
}

/* Mode 0 only: the file grows to cover [off, off + len) (FAT allocates
 * what a size needs); a range inside it is already allocated. */
static long sys_fallocate(long fd, long mode, long off, long len)
{
	struct file *f = fd_get((int)fd);
	long r;

	if (!f)
		return -EBADF;
	if (off < 0 || len <= 0)
		r = -EINVAL;
	else if (mode)
		r = -EOPNOTSUPP;
	else if ((f->flags & O_ACCMODE) == O_RDONLY)
		r = -EBADF;
	else if (!f->ops->size || !f->ops->ftruncate)
		r = f->ops->getdents ? -EISDIR : -ENODEV;
	else {
		long long size = f->ops->size(f);
		r = size < 0		? size
		    : size >= off + len ? 0
					: f->ops->ftruncate(f, (uint64_t)(off + len));
	}
	file_put(f);
	return r;
}

SYSCALL(preadv, sys_preadv);
SYSCALL(pwritev, sys_pwritev);
SYSCALL(sendfile, sys_sendfile);
SYSCALL(fadvise64, sys_fadvise64);
SYSCALL(fallocate, sys_fallocate);
