/*
 * socketpair(AF_UNIX, SOCK_STREAM): two connected ends between the threads
 * of the one process, made of two pipes (kernel/pipe.c), one each way. An
 * end reads from one pipe and writes to the other, so each direction has a
 * pipe's semantics: reads block while empty and return 0 once the peer is
 * gone, writes block while full and fail with EPIPE once it is gone. A
 * gone peer is also POLLRDHUP (and POLLHUP), which programs such as nginx
 * probe for with epoll.
 *
 * Only stream pairs in AF_UNIX; other families and types are what Linux
 * answers when a family cannot make pairs (EAFNOSUPPORT, EOPNOTSUPP).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/pipe.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

struct sp_end {
	struct pipe *in, *out;
};

static long sp_read(struct file *f, void *buf, size_t len)
{
	struct sp_end *e = f->priv;

	return pipe_read(e->in, buf, len, f->flags & O_NONBLOCK);
}

static long sp_write(struct file *f, const void *buf, size_t len)
{
	struct sp_end *e = f->priv;

	return pipe_write(e->out, buf, len, f->flags & O_NONBLOCK);
}

static short sp_poll(struct file *f, short events)
{
	struct sp_end *e = f->priv;
	short in = pipe_poll(e->in, (short)(events | POLLIN), 1);
	short out = pipe_poll(e->out, events, 0);
	short got = (short)((in & (POLLIN | POLLRDNORM)) | (out & (POLLOUT | POLLWRNORM)));

	/* The peer closed: reads see the end of the stream, and writes fail. */
	if (in & POLLHUP)
		got |= POLLIN | POLLRDNORM | POLLRDHUP | POLLHUP;
	return got & (events | POLLHUP | POLLERR);
}

static int sp_fstat(struct file *f, struct stat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFSOCK | 0777;
	return 0;
}

static int sp_ioctl(struct file *f, unsigned long req, void *arg)
{
	struct sp_end *e = f->priv;

	if (req != FIONREAD)
		return -ENOTTY;
	int n = (int)pipe_unread(e->in);
	return copy_to_user(arg, &n, sizeof(n));
}

static void sp_release(struct file *f)
{
	struct sp_end *e = f->priv;

	pipe_close_end(e->in, 1);
	pipe_close_end(e->out, 0);
	mm_free(e);
}

static const struct file_ops sp_ops = {
	.read = sp_read,
	.write = sp_write,
	.poll = sp_poll,
	.fstat = sp_fstat,
	.ioctl = sp_ioctl,
	.release = sp_release,
};

/* Two ends over two fresh pipes; NULL when memory runs out. */
static int make_ends(struct sp_end *ends[2])
{
	struct pipe *p[2] = {pipe_create(), pipe_create()};

	ends[0] = mm_heap_alloc(mm_kernel_heap(), sizeof(struct sp_end));
	ends[1] = mm_heap_alloc(mm_kernel_heap(), sizeof(struct sp_end));
	if (p[0] && p[1] && ends[0] && ends[1]) {
		*ends[0] = (struct sp_end){.in = p[0], .out = p[1]};
		*ends[1] = (struct sp_end){.in = p[1], .out = p[0]};
		return 0;
	}
	for (int i = 0; i < 2; i++) {
		if (p[i]) {
			pipe_close_end(p[i], 1);
			pipe_close_end(p[i], 0);
		}
		mm_free(ends[i]);
	}
	return -ENOMEM;
}

static long sys_socketpair(long domain, long type, long protocol, int *usv)
{
	int fds[2] = {-1, -1}, flags = (int)type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct sp_end *ends[2];
	long r;

	if (domain == AF_INET || domain == AF_INET6)
		return -EOPNOTSUPP; /* a family of sockets that come alone */
	if (domain != AF_UNIX)
		return -EAFNOSUPPORT;
	if (((int)type & ~flags) != SOCK_STREAM || (protocol && protocol != PF_UNIX))
		return -EOPNOTSUPP;
	if (user_check_write(usv, sizeof(fds)))
		return -EFAULT;
	r = make_ends(ends);
	if (r < 0)
		return r;
	int fl = O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0);
	fds[0] = fd_open_new(&sp_ops, fl, ends[0], flags & SOCK_CLOEXEC);
	if (fds[0] < 0) {
		if (fds[0] == -ENOMEM)
			sp_release(&(struct file){.priv = ends[0]});
		sp_release(&(struct file){.priv = ends[1]});
		return fds[0];
	}
	fds[1] = fd_open_new(&sp_ops, fl, ends[1], flags & SOCK_CLOEXEC);
	if (fds[1] < 0) {
		if (fds[1] == -ENOMEM)
			sp_release(&(struct file){.priv = ends[1]});
		syscall_dispatch(SYS_close, fds[0], 0, 0, 0, 0, 0);
		return fds[1];
	}
	return copy_to_user(usv, fds, sizeof(fds));
}
SYSCALL(socketpair, sys_socketpair);
