/* Standard input, output and error: the console, as a kind of file that
 * descriptors 0, 1 and 2 name from boot on. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <kernel/console.h>
#include <kernel/file.h>
#include <kernel/initcall.h>
#include <kernel/panic.h>
#include <kernel/uaccess.h>
#include <platform.h>

/* Standard error is the platform's log stream (on linuxu the host's
 * standard error): the descriptor opened as 2 at boot says so in priv. */
#define CONSOLE_STDERR ((void *)2)

static long console_file_write(struct file *f, const void *buf, size_t len)
{
	if (f->priv == CONSOLE_STDERR)
		plat_log_write(buf, len);
	else
		plat_console_write(buf, len);
	return len;
}

/* Blocks until at least one byte has arrived, as a terminal read does. */
static long console_file_read(struct file *f, void *buf, size_t len)
{
	(void)f;
	long n = console_read(buf, len);
	return n < 0 ? 0 : n; /* closed input reads as end of file */
}

/* The C library asks for the window size to decide whether stdout is a
 * terminal (line-buffered); the console is one. */
static int console_ioctl(struct file *f, unsigned long req, void *arg)
{
	(void)f;
	if (req == TIOCGWINSZ) {
		struct winsize ws = {.ws_row = 24, .ws_col = 80};
		return copy_to_user(arg, &ws, sizeof(ws));
	}
	return -ENOTTY;
}

static int console_fstat(struct file *f, struct stat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0620;
	st->st_blksize = 1024;
	st->st_rdev = 0x0501; /* /dev/console's numbers */
	return 0;
}

static short console_file_poll(struct file *f, short events)
{
	(void)f;
	short got = POLLOUT | POLLWRNORM;
	if ((events & (POLLIN | POLLRDNORM)) && console_poll())
		got |= POLLIN | POLLRDNORM;
	return got;
}

static const struct file_ops console_ops = {
    .poll = console_file_poll,
    .read = console_file_read,
    .write = console_file_write,
    .ioctl = console_ioctl,
    .fstat = console_fstat,
};

static int console_fds_init(void)
{
	static const int modes[3] = {O_RDWR, O_RDWR, O_RDWR}; /* as a terminal */

	for (int fd = 0; fd < 3; fd++) {
		struct file *f =
		    file_alloc(&console_ops, modes[fd], fd == 2 ? CONSOLE_STDERR : NULL);
		BUG_ON(!f || fd_install(f, fd, 0) != fd);
	}
	return 0;
}
INITCALL(INITCALL_ARCH, console_fds_init);
