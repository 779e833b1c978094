/* The Unilib transport on linuxu: 9P messages over a TCP connection to a
 * 9P2000.L server on the host's loopback (Debian's diod, started by
 * tools/run.sh), named by the host environment variable
 *
 *   UNISHYPER_UNILIB=tcp:PORT[:EXPORT]    127.0.0.1:PORT, attaching EXPORT
 *
 * Replies come in any order: the socket is signal-driven
 * (linuxu_irq_fd()), and its interrupt handler reads whatever has arrived,
 * a header then a body, straight into the buffer of the request waiting
 * with that tag, then wakes it. Senders write whole messages under a lock.
 *
 * Anything the server does that breaks the protocol (a reply for no
 * waiting request, a size beyond the buffer) and the end of the
 * connection make the connection broken: every waiting request fails with
 * -EIO at once. So does a request that has no reply within the
 * transport's timeout_ms: the connection is dropped rather than its tag
 * kept, so a late reply can never reach a later request with that tag.
 * The next request connects again; if that works, it returns -ENOTCONN
 * after bumping the generation, and the 9P client makes a new session. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kernel/initcall.h>
#include <kernel/kmutex.h>
#include <kernel/log.h>
#include <kernel/unilib.h>
#include <plat/irq.h>

#include "host.h"
#include "linuxu.h"

#define HOST_CONNECT 42
#define HOST_SETSOCKOPT 54
#define HOST_IPPROTO_TCP 6
#define HOST_TCP_NODELAY 1
#define HOST_SIGIO 29
#define LOOPBACK 0x7f000001u
#define SOCK_MSIZE (128u * 1024 + 24)
#define HDR 7

struct pending {
	void *rx;
	size_t cap;
	long result;
	int waiting;
	sem_t done;
};

static struct {
	struct unilib_transport t;
	long fd; /* -1: not connected */
	int broken;
	int irq_attached;
	uint16_t port;
	char aname[256];
	pthread_mutex_t send_lock;	      /* sending, connecting */
	struct pending pend[UNILIB_TAGS + 1]; /* the last: UNILIB_NOTAG */
	/* The reply being received (the interrupt handler's alone). */
	uint8_t hdr[HDR];
	size_t got;
	uint32_t size;
	struct pending *cur;
} s = {.fd = -1, .send_lock = PTHREAD_MUTEX_INITIALIZER};

static unsigned slot_of(uint16_t tag)
{
	return tag == UNILIB_NOTAG ? UNILIB_TAGS : tag;
}

/* Interrupts off: fail every waiting request, stop reading. */
static void broken_locked(const char *why)
{
	if (!s.broken)
		log_warn("unilib: host 9P connection lost (%s)", why);
	s.broken = 1;
	s.got = 0;
	s.cur = NULL;
	for (unsigned i = 0; i <= UNILIB_TAGS; i++)
		if (s.pend[i].waiting) {
			s.pend[i].waiting = 0;
			s.pend[i].result = -EIO;
			sem_post(&s.pend[i].done);
		}
}

/* A whole header arrived: find its request. @retval 0; -1 broken */
static int reply_begin(void)
{
	uint16_t tag;

	memcpy(&s.size, s.hdr, 4);
	memcpy(&tag, s.hdr + 5, 2);
	unsigned i = tag == UNILIB_NOTAG ? UNILIB_TAGS : tag;
	if (i > UNILIB_TAGS || !s.pend[i].waiting || s.size < HDR || s.size > s.pend[i].cap) {
		broken_locked("a reply with a bad tag or size");
		return -1;
	}
	s.cur = &s.pend[i];
	memcpy(s.cur->rx, s.hdr, HDR);
	return 0;
}

/* The interrupt handler: read all that has arrived. */
static void sock_irq(void *arg)
{
	(void)arg;
	while (s.fd >= 0 && !s.broken) {
		uint8_t *dst = s.got < HDR ? s.hdr + s.got : (uint8_t *)s.cur->rx + s.got;
		size_t want = s.got < HDR ? HDR - s.got : s.size - s.got;
		long n = want ? host_syscall(HOST_READ, s.fd, dst, want) : 0;
		if (n == -EAGAIN || n == -EINTR)
			return;
		if (want && n <= 0) {
			broken_locked(n == 0 ? "closed by the server" : "read error");
			return;
		}
		s.got += (size_t)n;
		if (s.got == HDR && !s.cur && reply_begin())
			return;
		if (s.cur && s.got == s.size) {
			s.cur->result = s.size;
			s.cur->waiting = 0;
			sem_post(&s.cur->done);
			s.cur = NULL;
			s.got = 0;
		}
	}
}

/* @retval 0 all written; -EIO */
static int write_all(const uint8_t *p, size_t len)
{
	while (len) {
		long n = host_syscall(HOST_WRITE, s.fd, p, len);
		if (n == -EAGAIN) {
			struct {
				int fd;
				short events, revents;
			} pfd = {(int)s.fd, HOST_POLLOUT, 0};
			host_syscall(HOST_POLL, &pfd, 1, 100);
			continue;
		}
		if (n == -EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A new connection, signal-driven. Under send_lock. @retval 0; negative */
static int sock_connect(void)
{
	struct {
		uint16_t family, port;
		uint32_t addr;
		uint8_t zero[8];
	} sa = {HOST_AF_INET, __builtin_bswap16(s.port), __builtin_bswap32(LOOPBACK), {0}};
	int one = 1;
	long fd, r;

	if (s.fd >= 0)
		host_syscall(HOST_CLOSE, s.fd, 0, 0);
	s.fd = -1;
	fd = host_syscall(HOST_SOCKET, HOST_AF_INET, HOST_SOCK_STREAM | HOST_SOCK_CLOEXEC, 0);
	if (fd < 0)
		return (int)fd;
	if ((r = host_syscall(HOST_CONNECT, fd, &sa, sizeof(sa))) < 0) {
		host_syscall(HOST_CLOSE, fd, 0, 0);
		return (int)r;
	}
	host_syscall6(HOST_SETSOCKOPT, fd, HOST_IPPROTO_TCP, HOST_TCP_NODELAY, (long)&one, 4, 0);
	unsigned long flags = irq_save();
	s.fd = fd;
	s.broken = 0;
	s.got = 0;
	s.cur = NULL;
	irq_restore(flags);
	if (!s.irq_attached)
		r = linuxu_irq_fd(fd, sock_irq, NULL);
	else if ((r = host_syscall(HOST_FCNTL, fd, HOST_F_SETOWN,
				   host_syscall(HOST_GETPID, 0, 0, 0))) >= 0 &&
		 (r = host_syscall(HOST_FCNTL, fd, HOST_F_SETSIG, HOST_SIGIO)) >= 0)
		r = host_syscall(HOST_FCNTL, fd, HOST_F_SETFL, HOST_O_NONBLOCK | HOST_O_ASYNC);
	s.irq_attached = 1;
	return r < 0 ? (int)r : 0;
}

/* Wait for @p's reply, at most @ms ms (0: for ever).
 * @retval 0 posted; -ETIMEDOUT */
static int wait_reply(struct pending *p, uint32_t ms)
{
	struct timespec d;

	if (!ms) {
		while (sem_wait(&p->done) && errno == EINTR)
			;
		return 0;
	}
	/* sem_timedwait() counts on CLOCK_REALTIME. */
	clock_gettime(CLOCK_REALTIME, &d);
	d.tv_sec += ms / 1000;
	d.tv_nsec += (long)(ms % 1000) * 1000000;
	if (d.tv_nsec >= 1000000000) {
		d.tv_sec++;
		d.tv_nsec -= 1000000000;
	}
	while (sem_timedwait(&p->done, &d))
		if (errno == ETIMEDOUT)
			return -ETIMEDOUT;
	return 0;
}

static long sock_rpc(struct unilib_transport *t, uint16_t tag, const void *tx, size_t tx_len,
		     void *rx, size_t rx_cap)
{
	struct pending *p = &s.pend[slot_of(tag)];
	unsigned long flags;

	if (slot_of(tag) > UNILIB_TAGS || rx_cap < HDR)
		return -EINVAL;
	kmutex_lock(&s.send_lock);
	if (s.broken || s.fd < 0) {
		int r = sock_connect();
		if (!r)
			__atomic_add_fetch(&t->generation, 1, __ATOMIC_RELEASE);
		kmutex_unlock(&s.send_lock);
		return r ? -EIO : -ENOTCONN;
	}
	flags = irq_save();
	if (s.broken) { /* since the check above: a timeout, the server gone */
		irq_restore(flags);
		kmutex_unlock(&s.send_lock);
		return -EIO;
	}
	p->rx = rx;
	p->cap = rx_cap;
	p->result = -EIO;
	p->waiting = 1;
	irq_restore(flags);
	if (write_all(tx, tx_len)) {
		flags = irq_save();
		broken_locked("write error");
		irq_restore(flags);
	}
	kmutex_unlock(&s.send_lock);
	if (wait_reply(p, t->timeout_ms)) {
		flags = irq_save();
		if (p->waiting) {
			log_warn("unilib: no reply to 9P request type %u tag %u within %u ms",
				 ((const uint8_t *)tx)[4], tag, t->timeout_ms);
			broken_locked("a request timed out");
		}
		irq_restore(flags);
		/* Posted now, by the reply or by broken_locked(): take it, so
		 * the next request with this tag waits for its own. */
		wait_reply(p, 0);
	}
	return p->result;
}

/* "tcp:PORT[:EXPORT]" @retval 0; -EINVAL */
static int parse(const char *spec)
{
	char *end;

	if (strncmp(spec, "tcp:", 4))
		return -EINVAL;
	unsigned long port = strtoul(spec + 4, &end, 10);
	if (end == spec + 4 || !port || port > 65535 || (*end && *end != ':'))
		return -EINVAL;
	s.port = (uint16_t)port;
	if (*end && strlen(end + 1) >= sizeof(s.aname))
		return -EINVAL;
	strcpy(s.aname, *end ? end + 1 : "");
	return 0;
}

static int linuxu_unilib_init(void)
{
	const char *spec = linuxu_host_env("UNISHYPER_UNILIB");
	int r;

	if (!spec || !*spec)
		return 0;
	if ((r = parse(spec))) {
		log_error("unilib: UNISHYPER_UNILIB=%s: not tcp:PORT[:EXPORT]", spec);
		return r;
	}
	for (unsigned i = 0; i <= UNILIB_TAGS; i++)
		sem_init(&s.pend[i].done, 0, 0);
	kmutex_lock(&s.send_lock);
	r = sock_connect();
	kmutex_unlock(&s.send_lock);
	if (r) {
		log_error("unilib: cannot reach the host 9P server at 127.0.0.1:%u (%d)", s.port,
			  r);
		return r;
	}
	s.t = (struct unilib_transport){.name = "socket",
					.aname = s.aname,
					.msize = SOCK_MSIZE,
					.generation = 1,
					.rpc = sock_rpc};
	return unilib_transport_register(&s.t);
}

INITCALL(INITCALL_DRIVER, linuxu_unilib_init);
