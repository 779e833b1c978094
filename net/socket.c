/* BSD sockets as descriptors: each socket is a struct file whose private
 * value is the lwIP socket behind it, so read, write, close, fcntl, dup
 * and poll work on it like on any descriptor, and the system calls below
 * (socket, bind, connect, ...) are lwIP's with Linux's structures, which
 * lwIP reads directly (net_socket_headers.h).
 *
 * O_NONBLOCK lives in the file (fcntl sets it there): each call passes it
 * on to lwIP as MSG_DONTWAIT or as the socket's own non-blocking mode, so
 * a blocking call blocks only its thread.
 *
 * poll() and select() learn about changes through lwIP's per-connection
 * event callback: sockets.c installs one on each connection, and we put a
 * wrapper in front of it that calls file_poll_notify() after it.
 *
 * A TCP send that cannot go (the connection shut down for writing, reset,
 * never made) fails with EPIPE and raises SIGPIPE unless MSG_NOSIGNAL
 * says not to, as on Linux (send_result). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <kernel/compiler.h>
#include <kernel/file.h>
#include <kernel/pipe.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

#include "lwip/api.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip/sockets.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "net_internal.h"

static netconn_callback lwip_event_callback;

/* Whether the peer's FIN has come, by lwIP socket: a reset after it means
 * the peer closed and then refused our data, which Linux reports to a
 * send as EPIPE (the reset found the connection in CLOSE_WAIT), not as
 * ECONNRESET. Written under the core lock: by the event callback, and by
 * install() for a new socket. */
static unsigned char fin_seen[NUM_SOCKETS];

static void event_then_notify(struct netconn *conn, enum netconn_evt evt, u16_t len)
{
	/* A receive event of no bytes on a live connection is its FIN (the
	 * one of a reset comes once pcb.tcp is gone, a listener's is a new
	 * connection). An accepted connection has no socket yet: install()
	 * looks at its state. */
	if (evt == NETCONN_EVT_RCVPLUS && !len && NETCONNTYPE_GROUP(conn->type) == NETCONN_TCP &&
	    conn->pcb.tcp && conn->pcb.tcp->state != LISTEN &&
	    conn->socket - LWIP_SOCKET_OFFSET >= 0 &&
	    conn->socket - LWIP_SOCKET_OFFSET < NUM_SOCKETS)
		fin_seen[conn->socket - LWIP_SOCKET_OFFSET] = 1;
	lwip_event_callback(conn, evt, len);
	file_poll_notify();
}

/* A new socket @s: whether its peer's FIN came already (an accepted
 * connection in CLOSE_WAIT). */
static void fin_track(int s)
{
	struct lwip_sock *sock = lwip_socket_dbg_get_socket(s);

	LOCK_TCPIP_CORE();
	struct netconn *c = sock ? sock->conn : NULL;
	fin_seen[s - LWIP_SOCKET_OFFSET] = c && NETCONNTYPE_GROUP(c->type) == NETCONN_TCP &&
					   c->pcb.tcp && c->pcb.tcp->state == CLOSE_WAIT;
	UNLOCK_TCPIP_CORE();
}

/* Put our wrapper in front of the callback of the connection behind @s.
 * Connections accepted on a listening socket inherit it. */
static void hook_events(int s)
{
	struct lwip_sock *sock = lwip_socket_dbg_get_socket(s);

	if (!sock || !sock->conn)
		return;
	netconn_callback cb = sock->conn->callback;
	if (!cb || cb == event_then_notify)
		return;
	if (!lwip_event_callback)
		lwip_event_callback = cb;
	sock->conn->callback = event_then_notify;
}

static int sock_of(struct file *f)
{
	return (int)(intptr_t)f->priv;
}

static int nonblock(struct file *f)
{
	return (__atomic_load_n(&f->flags, __ATOMIC_RELAXED) & O_NONBLOCK) != 0;
}

/* lwIP reports failure as -1 with errno set. */
static long ret_errno(long r)
{
	return r < 0 ? -errno : r;
}

/* lwIP answers a receive on a TCP socket that is not connected (never
 * was, or listens) with EAGAIN; Linux says ENOTCONN. Looked at only on
 * that error path. */
static long recv_errno(struct file *f)
{
	int e = errno, type = 0;
	socklen_t len = sizeof(type);
	struct sockaddr_in peer;
	socklen_t plen = sizeof(peer);

	if (e == EAGAIN && lwip_getsockopt(sock_of(f), SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	    type == SOCK_STREAM && lwip_getpeername(sock_of(f), (struct sockaddr *)&peer, &plen))
		e = ENOTCONN;
	return -e;
}

static long recv_result(struct file *f, long r)
{
	return r < 0 ? recv_errno(f) : r;
}

static long sock_read(struct file *f, void *buf, size_t len)
{
	return recv_result(f, lwip_recv(sock_of(f), buf, len, nonblock(f) ? MSG_DONTWAIT : 0));
}

static int is_tcp(struct file *f)
{
	int type = 0;
	socklen_t len = sizeof(type);

	return lwip_getsockopt(sock_of(f), SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	       type == SOCK_STREAM;
}

/* A send's result as Linux gives it on TCP: a socket that cannot send
 * (never connected, listening, shut down for writing, or closed by a
 * reset already reported) is EPIPE, where lwIP says ENOTCONN; and so is a
 * reset after the peer's FIN. ECONNRESET stays for a reset while
 * established, reported once. The caller raises SIGPIPE for EPIPE. */
static long send_result(struct file *f, long r)
{
	int e = errno;

	if (r >= 0)
		return r;
	if ((e == ENOTCONN || (e == ECONNRESET && fin_seen[sock_of(f) - LWIP_SOCKET_OFFSET])) &&
	    is_tcp(f))
		return -EPIPE;
	return -e;
}

static long sock_write(struct file *f, const void *buf, size_t len)
{
	return send_result(f, lwip_send(sock_of(f), buf, len, nonblock(f) ? MSG_DONTWAIT : 0));
}

static int sock_ioctl(struct file *f, unsigned long req, void *arg)
{
	int on;

	if (req == FIONBIO) {
		/* The file's flag is the one every call follows. */
		if (copy_from_user(&on, arg, sizeof(on)))
			return -EFAULT;
		if (on)
			__atomic_or_fetch(&f->flags, O_NONBLOCK, __ATOMIC_RELAXED);
		else
			__atomic_and_fetch(&f->flags, ~O_NONBLOCK, __ATOMIC_RELAXED);
		return 0;
	}
	/* lwIP's own requests (FIONREAD) write one int. */
	if (user_check_write(arg, sizeof(int)))
		return -EFAULT;
	return (int)ret_errno(lwip_ioctl(sock_of(f), (long)req, arg));
}

static int sock_fstat(struct file *f, struct stat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFSOCK | 0777;
	st->st_blksize = 4096;
	return 0;
}

static short sock_poll(struct file *f, short events)
{
	struct pollfd p = {.fd = sock_of(f), .events = events};

	if (lwip_poll(&p, 1, 0) < 0)
		return POLLNVAL;
	return p.revents;
}

static void sock_release(struct file *f)
{
	lwip_close(sock_of(f));
	file_poll_notify();
}

static const struct file_ops socket_ops = {
    .read = sock_read,
    .write = sock_write,
    .ioctl = sock_ioctl,
    .fstat = sock_fstat,
    .poll = sock_poll,
    .release = sock_release,
};

/* A descriptor for the new lwIP socket @s (closed on failure).
 * @retval the descriptor; -ENOMEM; -EMFILE */
static long install(int s, int flags)
{
	struct file *f = file_alloc(&socket_ops, O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0),
				    (void *)(intptr_t)s);
	if (!f) {
		lwip_close(s);
		return -ENOMEM;
	}
	hook_events(s);
	fin_track(s);
	int fd = fd_install(f, 0, (flags & SOCK_CLOEXEC) != 0);
	if (fd < 0)
		file_put(f); /* closes s */
	return fd;
}

/* The socket behind descriptor @fd with a reference, or NULL with *err
 * set: -EBADF, or -ENOTSOCK for a descriptor of another kind. */
static struct file *socket_get(long fd, long *err)
{
	struct file *f = fd_get((int)fd);

	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if (f->ops != &socket_ops) {
		file_put(f);
		*err = -ENOTSOCK;
		return NULL;
	}
	return f;
}

/* Bring lwIP's own non-blocking mode in line with the file's, for the
 * calls that take no flags (connect, accept). */
static void sync_nonblock(struct file *f)
{
	lwip_fcntl(sock_of(f), F_SETFL, nonblock(f) ? O_NONBLOCK : 0);
}

#define WITH_SOCKET(fd, expr)                                                                      \
	({                                                                                         \
		long err_;                                                                         \
		struct file *f = socket_get(fd, &err_);                                            \
		if (f) {                                                                           \
			err_ = (expr);                                                             \
			file_put(f);                                                               \
		}                                                                                  \
		err_;                                                                              \
	})

/* Application memory is checked before lwIP sees it (lwIP copies under its
 * core lock): a bad pointer is -EFAULT, never a fault inside the stack. */
static int check_buf(long p, size_t len, int writing)
{
	return writing ? user_check_write((void *)p, len) : user_check_read((const void *)p, len);
}

/* An address of @len bytes that the call reads (bind, connect, sendto). */
static int check_addr_in(long addr, long len)
{
	if (len < 0)
		return -EINVAL;
	return addr ? check_buf(addr, (size_t)len, 0) : 0;
}

/* An address the call fills in, with its value-result length. */
static int check_addr_out(long addr, long ulen)
{
	socklen_t len;

	if (!addr && !ulen)
		return 0;
	if (copy_from_user(&len, (const void *)ulen, sizeof(len)) ||
	    user_check_write((void *)ulen, sizeof(len)))
		return -EFAULT;
	return addr ? check_buf(addr, len, 1) : 0;
}

/* A message header, its name, vector and control buffers; @out: the call
 * writes them (recvmsg) rather than reads them. */
static int check_msg(long umsg, int out)
{
	struct msghdr m;
	struct iovec iov;

	if (copy_from_user(&m, (const void *)umsg, sizeof(m)) ||
	    (out && check_buf(umsg, sizeof(m), 1)))
		return -EFAULT;
	if ((size_t)m.msg_iovlen > 1024)
		return -EMSGSIZE;
	if ((m.msg_name && check_buf((long)m.msg_name, m.msg_namelen, out)) ||
	    (m.msg_control && check_buf((long)m.msg_control, m.msg_controllen, out)))
		return -EFAULT;
	for (size_t i = 0; i < (size_t)m.msg_iovlen; i++)
		if (copy_from_user(&iov, &m.msg_iov[i], sizeof(iov)) ||
		    check_buf((long)iov.iov_base, iov.iov_len, out))
			return -EFAULT;
	return 0;
}

static long sys_socket(long domain, long type, long protocol)
{
	int flags = (int)type & (SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (domain != AF_INET && domain != AF_INET6)
		return -EAFNOSUPPORT;
	int s =
	    lwip_socket((int)domain, (int)type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), (int)protocol);
	if (s < 0)
		return -errno;
	return install(s, flags);
}
SYSCALL(socket, sys_socket);

/* socketpair() is kernel/socketpair.c's: AF_UNIX pairs need no network. */

static long sys_bind(long fd, long addr, long len)
{
	if (check_addr_in(addr, len))
		return -EFAULT;
	return WITH_SOCKET(
	    fd, ret_errno(lwip_bind(sock_of(f), (const struct sockaddr *)addr, (socklen_t)len)));
}
SYSCALL(bind, sys_bind);

static long sys_listen(long fd, long backlog)
{
	/* Connections beyond the backlog wait for the peer's next SYN, as
	 * on Linux; beyond lwIP's accept queue they would be reset. */
	if (backlog > DEFAULT_ACCEPTMBOX_SIZE)
		backlog = DEFAULT_ACCEPTMBOX_SIZE;
	return WITH_SOCKET(fd, ret_errno(lwip_listen(sock_of(f), (int)backlog)));
}
SYSCALL(listen, sys_listen);

static long do_accept(struct file *f, struct sockaddr *addr, socklen_t *len, int flags)
{
	sync_nonblock(f);
	int s = lwip_accept(sock_of(f), addr, len);
	if (s < 0)
		return -errno;
	return install(s, flags);
}

static long sys_accept4(long fd, long addr, long len, long flags)
{
	if (check_addr_out(addr, len))
		return -EFAULT;
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	return WITH_SOCKET(fd, do_accept(f, (struct sockaddr *)addr, (socklen_t *)len, (int)flags));
}
SYSCALL(accept4, sys_accept4);

static long sys_accept(long fd, long addr, long len)
{
	return sys_accept4(fd, addr, len, 0);
}
SYSCALL(accept, sys_accept);

static long do_connect(struct file *f, const struct sockaddr *addr, socklen_t len)
{
	sync_nonblock(f);
	long r = ret_errno(lwip_connect(sock_of(f), addr, len));
	file_poll_notify();
	return r;
}

static long sys_connect(long fd, long addr, long len)
{
	if (check_addr_in(addr, len))
		return -EFAULT;
	return WITH_SOCKET(fd, do_connect(f, (const struct sockaddr *)addr, (socklen_t)len));
}
SYSCALL(connect, sys_connect);

static int msg_flags(struct file *f, long flags)
{
	return (int)flags | (nonblock(f) ? MSG_DONTWAIT : 0);
}

/* The socket calls on an end of socketpair() (kernel/socketpair.c). */
#define PAIR_CALL(fd, call)                                                                        \
	do {                                                                                       \
		struct file *pf_ = IS_ENABLED(CONFIG_PIPE) ? socketpair_get(fd) : NULL;            \
		if (pf_) {                                                                         \
			long r_ = call;                                                            \
			file_put(pf_);                                                             \
			return r_;                                                                 \
		}                                                                                  \
	} while (0)

static long sys_sendto(long fd, long buf, long len, long flags, long addr, long alen)
{
	PAIR_CALL(fd,
		  socketpair_send(pf_, (const void *)buf, (size_t)len, (int)flags, addr && alen));
	if (check_buf(buf, (size_t)len, 0) || check_addr_in(addr, alen))
		return -EFAULT;
	/* MSG_NOSIGNAL is ours: EPIPE without SIGPIPE. */
	long r = WITH_SOCKET(
	    fd, send_result(f, lwip_sendto(sock_of(f), (const void *)buf, (size_t)len,
					   msg_flags(f, flags & ~(long)MSG_NOSIGNAL),
					   (const struct sockaddr *)addr, (socklen_t)alen)));
	return flags & MSG_NOSIGNAL ? r : file_write_epipe(r);
}
SYSCALL(sendto, sys_sendto);

static long sys_recvfrom(long fd, long buf, long len, long flags, long addr, long alen)
{
	PAIR_CALL(fd, socketpair_recv(pf_, (void *)buf, (size_t)len, (int)flags));
	if (check_buf(buf, (size_t)len, 1) || check_addr_out(addr, alen))
		return -EFAULT;
	return WITH_SOCKET(
	    fd,
	    recv_result(f, lwip_recvfrom(sock_of(f), (void *)buf, (size_t)len, msg_flags(f, flags),
					 (struct sockaddr *)addr, (socklen_t *)alen)));
}
SYSCALL(recvfrom, sys_recvfrom);

static long sys_sendmsg(long fd, long msg, long flags)
{
	PAIR_CALL(fd, socketpair_sendmsg(pf_, (const struct msghdr *)msg, (int)flags));
	if (check_msg(msg, 0))
		return -EFAULT;
	long r = WITH_SOCKET(
	    fd, send_result(f, lwip_sendmsg(sock_of(f), (const struct msghdr *)msg,
					    msg_flags(f, flags & ~(long)MSG_NOSIGNAL))));
	return flags & MSG_NOSIGNAL ? r : file_write_epipe(r);
}
SYSCALL(sendmsg, sys_sendmsg);

static long sys_recvmsg(long fd, long msg, long flags)
{
	PAIR_CALL(fd, socketpair_recvmsg(pf_, (struct msghdr *)msg, (int)flags));
	if (check_msg(msg, 1))
		return -EFAULT;
	return WITH_SOCKET(fd, recv_result(f, lwip_recvmsg(sock_of(f), (struct msghdr *)msg,
							   msg_flags(f, flags))));
}
SYSCALL(recvmsg, sys_recvmsg);

static long sys_shutdown(long fd, long how)
{
	PAIR_CALL(fd, socketpair_shutdown(pf_, (int)how));
	long r = WITH_SOCKET(fd, ret_errno(lwip_shutdown(sock_of(f), (int)how)));
	file_poll_notify();
	return r;
}
SYSCALL(shutdown, sys_shutdown);

static long sys_getsockname(long fd, long addr, long len)
{
	if (check_addr_out(addr, len))
		return -EFAULT;
	return WITH_SOCKET(
	    fd, ret_errno(lwip_getsockname(sock_of(f), (struct sockaddr *)addr, (socklen_t *)len)));
}
SYSCALL(getsockname, sys_getsockname);

static long sys_getpeername(long fd, long addr, long len)
{
	if (check_addr_out(addr, len))
		return -EFAULT;
	return WITH_SOCKET(
	    fd, ret_errno(lwip_getpeername(sock_of(f), (struct sockaddr *)addr, (socklen_t *)len)));
}
SYSCALL(getpeername, sys_getpeername);

static long sys_setsockopt(long fd, long level, long name, long val, long len)
{
	long bad = check_addr_in(val, len);
	if (bad)
		return bad;
	return WITH_SOCKET(fd, ret_errno(lwip_setsockopt(sock_of(f), (int)level, (int)name,
							 (const void *)val, (socklen_t)len)));
}
SYSCALL(setsockopt, sys_setsockopt);

static long sys_getsockopt(long fd, long level, long name, long val, long len)
{
	if (check_addr_out(val, len))
		return -EFAULT;
	return WITH_SOCKET(fd, ret_errno(lwip_getsockopt(sock_of(f), (int)level, (int)name,
							 (void *)val, (socklen_t *)len)));
}
SYSCALL(getsockopt, sys_getsockopt);
