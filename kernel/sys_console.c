/* Standard input, output and error: the console. Files and sockets take
 * other descriptors once the VFS is in. */
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <kernel/console.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <platform.h>

#include <plat/irq.h>

static int is_console(long fd)
{
	return fd >= 0 && fd <= 2;
}

static long sys_write(long fd, const char *buf, size_t len)
{
	if (!is_console(fd))
		return -EBADF;
	plat_console_write(buf, len);
	return len;
}

static long sys_writev(long fd, const struct iovec *iov, long iovcnt)
{
	long total = 0;

	if (!is_console(fd))
		return -EBADF;
	if (iovcnt < 0 || iovcnt > 1024)
		return -EINVAL;
	for (long i = 0; i < iovcnt; i++) {
		plat_console_write(iov[i].iov_base, iov[i].iov_len);
		total += iov[i].iov_len;
	}
	return total;
}

/* Blocks until at least one byte has arrived, as a terminal read does. */
static long sys_read(long fd, char *buf, size_t len)
{
	if (fd != 0)
		return -EBADF;
	if (!len)
		return 0;
	long n = console_read(buf, len);
	return n < 0 ? 0 : n; /* closed input reads as end of file */
}

static long sys_readv(long fd, const struct iovec *iov, long iovcnt)
{
	if (iovcnt < 1)
		return iovcnt == 0 ? 0 : -EINVAL;
	for (long i = 0; i < iovcnt; i++)
		if (iov[i].iov_len)
			return sys_read(fd, iov[i].iov_base, iov[i].iov_len);
	return 0;
}

/* The C library asks for the window size to decide whether stdout is a
 * terminal (line-buffered); the console is one. */
static long sys_ioctl(long fd, unsigned long req, void *arg)
{
	if (!is_console(fd))
		return -EBADF;
	if (req == TIOCGWINSZ) {
		struct winsize *ws = arg;
		ws->ws_row = 24;
		ws->ws_col = 80;
		ws->ws_xpixel = ws->ws_ypixel = 0;
		return 0;
	}
	return -ENOTTY;
}

static long sys_lseek(long fd)
{
	return is_console(fd) ? -ESPIPE : -EBADF;
}

static long sys_close(long fd)
{
	return is_console(fd) ? 0 : -EBADF;
}

SYSCALL(write, sys_write);
SYSCALL(writev, sys_writev);
SYSCALL(read, sys_read);
SYSCALL(readv, sys_readv);
SYSCALL(ioctl, sys_ioctl);
SYSCALL(lseek, sys_lseek);
SYSCALL(close, sys_close);
