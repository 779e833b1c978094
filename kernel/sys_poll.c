/* poll, ppoll, select and pselect6 over every kind of descriptor.
 *
 * Each kind reports its readiness without waiting (file_ops.poll); a
 * waiter sleeps on one generation counter that any kind bumps with
 * file_poll_notify() when its state may have changed (a segment arrived,
 * a connection closed, a key was pressed), then looks at all its files
 * again. A change between the look and the sleep moves the counter, and
 * the futex wait then returns at once, so no wake-up is lost. Waits are
 * also cut into slices of POLL_SLICE_MS: a kind that cannot notify (the
 * console of a machine whose receive interrupt is not routed) is still
 * seen, only later.
 *
 * Cost: one scan of the caller's descriptors per event anywhere, which
 * suits the few descriptors a unikernel's server polls; a server with
 * thousands would want an event queue per waiter.
 *
 * file_poll_notify() may run in an interrupt handler (the console's). */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>
#include <kernel/file.h>
#include <kernel/poll.h>
#include <kernel/mm.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <platform.h>

#define POLL_SLICE_MS 50
#define FUTEX_WAIT_PRIVATE (0 | 128) /* Linux's FUTEX_WAIT | FUTEX_PRIVATE_FLAG */
#define POLL_FDS_MAX FD_MAX

static int generation;
static int waiters;

void file_poll_notify(void)
{
	__atomic_add_fetch(&generation, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&waiters, __ATOMIC_SEQ_CST))
		futex_wake_addr(&generation, INT_MAX);
}

static short file_readiness(int fd, short events)
{
	if (fd < 0)
		return 0; /* poll() skips negative descriptors */
	struct file *f = fd_get(fd);
	if (!f)
		return POLLNVAL;
	short got = f->ops->poll ? f->ops->poll(f, events | POLLERR | POLLHUP)
				 : (short)(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
	file_put(f);
	return got & (events | POLLERR | POLLHUP | POLLNVAL);
}

static int scan(struct pollfd *fds, unsigned n)
{
	int ready = 0;

	for (unsigned i = 0; i < n; i++) {
		fds[i].revents = file_readiness(fds[i].fd, fds[i].events);
		if (fds[i].revents)
			ready++;
	}
	return ready;
}

int poll_generation(void)
{
	return __atomic_load_n(&generation, __ATOMIC_SEQ_CST);
}

int poll_wait_change(int gen, uint64_t deadline_ns)
{
	uint64_t now = plat_time_ns();

	if (now >= deadline_ns)
		return -ETIMEDOUT;
	uint64_t wait = deadline_ns - now;
	if (wait > POLL_SLICE_MS * 1000000ull)
		wait = POLL_SLICE_MS * 1000000ull;
	struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)wait};
	__atomic_add_fetch(&waiters, 1, __ATOMIC_SEQ_CST);
	long r = syscall(SYS_futex, &generation, FUTEX_WAIT_PRIVATE, gen, &ts, 0, 0);
	__atomic_sub_fetch(&waiters, 1, __ATOMIC_SEQ_CST);
	return r < 0 && errno == EINTR ? -EINTR : 0;
}

/* @deadline_ns 0: return at once; UINT64_MAX: no limit.
 * @retval the number of ready descriptors; -EINTR */
static int poll_until(struct pollfd *fds, unsigned n, uint64_t deadline_ns)
{
	for (;;) {
		int gen = poll_generation();
		int ready = scan(fds, n);
		if (ready || !deadline_ns)
			return ready;
		int r = poll_wait_change(gen, deadline_ns);
		if (r)
			return r == -ETIMEDOUT ? 0 : r;
	}
}

uint64_t poll_deadline_after_ns(uint64_t ns)
{
	uint64_t now = plat_time_ns();

	return ns > UINT64_MAX - now - 1 ? UINT64_MAX : now + ns;
}

static long do_poll(struct pollfd *ufds, unsigned long n, uint64_t deadline)
{
	if (n > POLL_FDS_MAX)
		return -EINVAL;
	/* The scan writes revents straight into the array. */
	if (user_check_write(ufds, n * sizeof(*ufds)))
		return -EFAULT;
	return poll_until(ufds, (unsigned)n, deadline);
}

static long sys_poll(long fds, long n, long timeout_ms)
{
	uint64_t deadline = timeout_ms < 0 ? UINT64_MAX
			    : timeout_ms == 0
				? 0
				: poll_deadline_after_ns((uint64_t)timeout_ms * 1000000);
	return do_poll((struct pollfd *)fds, (unsigned long)n, deadline);
}
SYSCALL(poll, sys_poll);

static int timespec_deadline(const struct timespec *uts, uint64_t *deadline)
{
	struct timespec ts;

	if (!uts) {
		*deadline = UINT64_MAX;
		return 0;
	}
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	uint64_t ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	*deadline = ns ? poll_deadline_after_ns(ns) : 0;
	return 0;
}

/* The signal mask is ignored: signals are not delivered to threads. */
static long sys_ppoll(long fds, long n, long ts, long sigmask)
{
	uint64_t deadline;
	(void)sigmask;
	int r = timespec_deadline((const struct timespec *)ts, &deadline);
	return r ? r : do_poll((struct pollfd *)fds, (unsigned long)n, deadline);
}
SYSCALL(ppoll, sys_ppoll);

/* The application's descriptor sets, copied in and out: the first @bytes
 * of each (the ones nfds covers), as Linux does. */
struct select_sets {
	fd_set *user[3];
	fd_set set[3];
	size_t bytes;
};

static int sets_in(struct select_sets *s, int nfds, fd_set *rd, fd_set *wr, fd_set *ex)
{
	s->user[0] = rd, s->user[1] = wr, s->user[2] = ex;
	s->bytes = ((size_t)nfds + 63) / 64 * 8;
	for (int i = 0; i < 3; i++) {
		FD_ZERO(&s->set[i]);
		if (s->user[i] && copy_from_user(&s->set[i], s->user[i], s->bytes))
			return -EFAULT;
	}
	return 0;
}

static int sets_out(const struct select_sets *s)
{
	for (int i = 0; i < 3; i++)
		if (s->user[i] && copy_to_user(s->user[i], &s->set[i], s->bytes))
			return -EFAULT;
	return 0;
}

static long do_select(int nfds, fd_set *urd, fd_set *uwr, fd_set *uex, uint64_t deadline)
{
	struct select_sets sets;

	if (nfds < 0 || nfds > FD_SETSIZE)
		return -EINVAL;
	if (sets_in(&sets, nfds, urd, uwr, uex))
		return -EFAULT;
	fd_set *rd = urd ? &sets.set[0] : NULL, *wr = uwr ? &sets.set[1] : NULL,
	       *ex = uex ? &sets.set[2] : NULL;
	if (nfds > POLL_FDS_MAX)
		nfds = POLL_FDS_MAX; /* no descriptor is numbered beyond */
	struct pollfd *fds = mm_heap_alloc(mm_current_heap(), sizeof(*fds) * (size_t)(nfds + 1));
	if (!fds)
		return -ENOMEM;
	unsigned n = 0;
	for (int fd = 0; fd < nfds; fd++) {
		short ev = (rd && FD_ISSET(fd, rd) ? POLLIN : 0) |
			   (wr && FD_ISSET(fd, wr) ? POLLOUT : 0) |
			   (ex && FD_ISSET(fd, ex) ? POLLPRI : 0);
		if (ev)
			fds[n++] = (struct pollfd){.fd = fd, .events = ev};
	}
	long r = poll_until(fds, n, deadline);
	if (r < 0)
		goto out;
	for (unsigned i = 0; i < n; i++)
		if (fds[i].revents & POLLNVAL) {
			r = -EBADF;
			goto out;
		}
	if (rd)
		FD_ZERO(rd);
	if (wr)
		FD_ZERO(wr);
	if (ex)
		FD_ZERO(ex);
	r = 0;
	for (unsigned i = 0; i < n; i++) {
		short got = fds[i].revents;
		int fd = fds[i].fd;
		/* Errors and hang-ups make a descriptor readable and writable
		 * (the call that follows reports them), as on Linux. */
		if (rd && (fds[i].events & POLLIN) && (got & (POLLIN | POLLERR | POLLHUP))) {
			FD_SET(fd, rd);
			r++;
		}
		if (wr && (fds[i].events & POLLOUT) && (got & (POLLOUT | POLLERR))) {
			FD_SET(fd, wr);
			r++;
		}
		if (ex && (fds[i].events & POLLPRI) && (got & POLLPRI)) {
			FD_SET(fd, ex);
			r++;
		}
	}
	if (sets_out(&sets))
		r = -EFAULT;
out:
	mm_free(fds);
	return r;
}

static long sys_select(long nfds, long rd, long wr, long ex, long tv_arg)
{
	struct timeval tv;
	uint64_t deadline = UINT64_MAX;

	if (tv_arg) {
		if (copy_from_user(&tv, (const void *)tv_arg, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		uint64_t ns = (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * 1000;
		deadline = ns ? poll_deadline_after_ns(ns) : 0;
	}
	return do_select((int)nfds, (fd_set *)rd, (fd_set *)wr, (fd_set *)ex, deadline);
}
SYSCALL(select, sys_select);

static long sys_pselect6(long nfds, long rd, long wr, long ex, long ts, long sigmask)
{
	uint64_t deadline;
	(void)sigmask;
	int r = timespec_deadline((const struct timespec *)ts, &deadline);
	return r ? r : do_select((int)nfds, (fd_set *)rd, (fd_set *)wr, (fd_set *)ex, deadline);
}
SYSCALL(pselect6, sys_pselect6);
