/*
 * socketpair(AF_UNIX, SOCK_STREAM): two connected ends between the threads
 * of the one process, made of two pipes (kernel/pipe.c), one each way. An
 * end reads from one pipe and writes to the other, so each direction has a
 * pipe's semantics: reads block while empty and return 0 once the peer is
 * gone, writes block while full and fail with EPIPE once it is gone. A
 * gone peer is also POLLRDHUP (and POLLHUP), which programs such as nginx
 * probe for with epoll.
 *
 * send/recv and sendmsg/recvmsg take MSG_DONTWAIT, MSG_NOSIGNAL and
 * MSG_PEEK (the bytes stay), and a message's buffers in order. The pair
 * carries bytes only: a message with control data (SCM_RIGHTS) is refused
 * with EOPNOTSUPP; an address is EISCONN, as on Linux.
 *
 * Only stream pairs in AF_UNIX; other families and types are what Linux
 * answers when a family cannot make pairs (EAFNOSUPPORT, EOPNOTSUPP).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/pipe.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

struct sp_end {
	struct pipe *in, *out;
	int shut_rd, shut_wr; /* shutdown() closed that side already */
};

static long sp_read(struct file *f, void *buf, size_t len)
{
	struct sp_end *e = f->priv;

	return e->shut_rd ? 0 : pipe_read(e->in, buf, len, f->flags & O_NONBLOCK);
}

static long sp_write(struct file *f, const void *buf, size_t len)
{
	struct sp_end *e = f->priv;

	return e->shut_wr ? -EPIPE : pipe_write(e->out, buf, len, f->flags & O_NONBLOCK);
}

static short sp_poll(struct file *f, short events)
{
	struct sp_end *e = f->priv;
	short in = e->shut_rd ? POLLHUP : pipe_poll(e->in, (short)(events | POLLIN), 1);
	short out = e->shut_wr ? POLLERR : pipe_poll(e->out, events, 0);
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

	if (!e->shut_rd)
		pipe_close_end(e->in, 1);
	if (!e->shut_wr)
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

/* ------------------------------------- send, recv, shutdown on an end */

struct file *socketpair_get(long fd)
{
	struct file *f = fd_get((int)fd);

	if (f && f->ops != &sp_ops) {
		file_put(f);
		f = NULL;
	}
	return f;
}

#define FAST_IOV 8 /* buffers of a message kept on the stack */
#define SEND_FLAGS (MSG_DONTWAIT | MSG_NOSIGNAL | MSG_MORE | MSG_EOR)
#define RECV_FLAGS (MSG_DONTWAIT | MSG_PEEK | MSG_CMSG_CLOEXEC)

static int pair_nonblock(struct file *f, int flags)
{
	return (f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT);
}

/* Write the buffers one after the other (a kernel array; the buffers
 * checked), as writev does: a short write ends the call. */
static long sendv(struct file *f, const struct iovec *iov, size_t cnt, int flags)
{
	struct sp_end *e = f->priv;
	long done = 0;

	for (size_t i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		long r = e->shut_wr ? -EPIPE
				    : pipe_write(e->out, iov[i].iov_base, iov[i].iov_len,
						 pair_nonblock(f, flags));
		if (r < 0) {
			if (!done)
				done = r;
			break;
		}
		done += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return flags & MSG_NOSIGNAL ? done : file_write_epipe(done);
}

static long recvv(struct file *f, const struct iovec *iov, size_t cnt, int flags)
{
	struct sp_end *e = f->priv;

	if (e->shut_rd)
		return 0;
	return pipe_readv(e->in, iov, cnt,
			  (pair_nonblock(f, flags) ? PIPE_NONBLOCK : 0) |
			      (flags & MSG_PEEK ? PIPE_PEEK : 0));
}

long socketpair_send(struct file *f, const void *ubuf, size_t len, int flags, int named)
{
	struct iovec one = {(void *)(uintptr_t)ubuf, len};

	if (flags & ~SEND_FLAGS)
		return -EOPNOTSUPP;
	if (named)
		return -EISCONN; /* the pair is connected */
	if (user_check_read(ubuf, len))
		return -EFAULT;
	return sendv(f, &one, 1, flags);
}

long socketpair_recv(struct file *f, void *ubuf, size_t len, int flags)
{
	struct iovec one = {ubuf, len};

	if (flags & ~RECV_FLAGS)
		return -EOPNOTSUPP; /* MSG_WAITALL, MSG_OOB: not on pairs */
	if (user_check_write(ubuf, len))
		return -EFAULT;
	return recvv(f, &one, 1, flags);
}

/* The header of a sendmsg/recvmsg (into @m) and its buffers (into *@iov,
 * the caller's FAST_IOV of them, or else a heap array the caller frees),
 * each checked for the call's direction (@out: recvmsg writes them).
 * @retval 0; -EFAULT; -EMSGSIZE too many buffers; -EINVAL too many
 * bytes; -ENOMEM */
static long msg_in(const struct msghdr *umsg, struct msghdr *m, struct iovec **iov, int out)
{
	size_t total = 0;

	if (copy_from_user(m, umsg, sizeof(*m)) ||
	    (out && user_check_write((void *)(uintptr_t)umsg, sizeof(*m))))
		return -EFAULT;
	if ((size_t)m->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (m->msg_iovlen > FAST_IOV &&
	    !(*iov = mm_heap_alloc(mm_kernel_heap(), m->msg_iovlen * sizeof(struct iovec))))
		return -ENOMEM;
	if (copy_from_user(*iov, m->msg_iov, m->msg_iovlen * sizeof(struct iovec)))
		return -EFAULT;
	for (size_t i = 0; i < (size_t)m->msg_iovlen; i++) {
		struct iovec *v = &(*iov)[i];
		if (out ? user_check_write(v->iov_base, v->iov_len)
			: user_check_read(v->iov_base, v->iov_len))
			return -EFAULT;
		if (v->iov_len > SSIZE_MAX - total)
			return -EINVAL;
		total += v->iov_len;
	}
	return 0;
}

/* sendmsg: control data (SCM_RIGHTS and the like) is not carried, so a
 * message with any is refused whole; an empty control buffer is none. */
long socketpair_sendmsg(struct file *f, const struct msghdr *umsg, int flags)
{
	struct iovec fast[FAST_IOV], *iov = fast;
	struct msghdr m;
	long r = flags & ~SEND_FLAGS ? -EOPNOTSUPP : msg_in(umsg, &m, &iov, 0);

	if (r == 0 && m.msg_name && m.msg_namelen)
		r = -EISCONN;
	else if (r == 0 && m.msg_control && m.msg_controllen)
		r = -EOPNOTSUPP;
	if (r == 0)
		r = sendv(f, iov, m.msg_iovlen, flags);
	if (iov != fast)
		mm_free(iov);
	return r;
}

/* recvmsg: a peer with no name, no control data, no flags to report. */
long socketpair_recvmsg(struct file *f, struct msghdr *umsg, int flags)
{
	struct iovec fast[FAST_IOV], *iov = fast;
	struct msghdr m;
	long r = flags & ~RECV_FLAGS ? -EOPNOTSUPP : msg_in(umsg, &m, &iov, 1);

	if (r == 0)
		r = recvv(f, iov, m.msg_iovlen, flags);
	if (iov != fast)
		mm_free(iov);
	if (r >= 0) {
		m.msg_namelen = 0;
		m.msg_controllen = 0;
		m.msg_flags = 0;
		if (copy_to_user(umsg, &m, sizeof(m)))
			r = -EFAULT;
	}
	return r;
}

/* The peer sees the end of the stream (SHUT_WR), or this end reads no
 * more (SHUT_RD): the pipe's end closes early, once. */
long socketpair_shutdown(struct file *f, int how)
{
	struct sp_end *e = f->priv;

	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return -EINVAL;
	if (how != SHUT_WR && !__atomic_exchange_n(&e->shut_rd, 1, __ATOMIC_ACQ_REL))
		pipe_close_end(e->in, 1);
	if (how != SHUT_RD && !__atomic_exchange_n(&e->shut_wr, 1, __ATOMIC_ACQ_REL))
		pipe_close_end(e->out, 0);
	return 0;
}

#ifndef CONFIG_NET
/* Without the network these calls know only pairs (net/socket.c sends
 * pairs here otherwise). */
#define WITH_PAIR(fd, expr)                                                                        \
	({                                                                                         \
		struct file *f = socketpair_get(fd);                                               \
		long r_ = fd_get_ok(fd) ? -ENOTSOCK : -EBADF;                                      \
		if (f) {                                                                           \
			r_ = (expr);                                                               \
			file_put(f);                                                               \
		}                                                                                  \
		r_;                                                                                \
	})

static int fd_get_ok(long fd)
{
	struct file *f = fd_get((int)fd);

	file_put(f);
	return f != NULL;
}

static long sys_sendto(long fd, const void *buf, size_t len, long flags, const void *addr,
		       long alen)
{
	return WITH_PAIR(fd, socketpair_send(f, buf, len, (int)flags, addr && alen));
}

static long sys_recvfrom(long fd, void *buf, size_t len, long flags, void *addr, socklen_t *alen)
{
	long r = WITH_PAIR(fd, socketpair_recv(f, buf, len, (int)flags));
	socklen_t zero = 0;

	/* An unnamed peer: no address. */
	if (r >= 0 && addr && alen && copy_to_user(alen, &zero, sizeof(zero)))
		r = -EFAULT;
	return r;
}

static long sys_sendmsg(long fd, const struct msghdr *msg, long flags)
{
	return WITH_PAIR(fd, socketpair_sendmsg(f, msg, (int)flags));
}

static long sys_recvmsg(long fd, struct msghdr *msg, long flags)
{
	return WITH_PAIR(fd, socketpair_recvmsg(f, msg, (int)flags));
}

static long sys_shutdown(long fd, long how)
{
	return WITH_PAIR(fd, socketpair_shutdown(f, (int)how));
}

SYSCALL(sendto, sys_sendto);
SYSCALL(recvfrom, sys_recvfrom);
SYSCALL(sendmsg, sys_sendmsg);
SYSCALL(recvmsg, sys_recvmsg);
SYSCALL(shutdown, sys_shutdown);
#endif
