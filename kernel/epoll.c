/*
 * epoll over the kernel's poll machinery (include/kernel/poll.h). An epoll
 * descriptor holds an interest list: (descriptor, its file, events, data).
 * epoll_wait looks at every entry's readiness, as poll does, and sleeps on
 * the poll generation while nothing is ready.
 *
 * Edge-triggered entries (EPOLLET) are reported when they are ready and
 * something changed anywhere since their last report (the generation moved):
 * a program that reads until EAGAIN, as edge-triggered programs must, is
 * woken for every new arrival, and an entry that stays ready is not
 * reported again while nothing happens. EPOLLONESHOT entries are disarmed
 * by their report until EPOLL_CTL_MOD.
 *
 * Cost: one pass over the interest list per wake-up, as poll(); enough for
 * the few hundred connections a unikernel's server holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/epoll.h>
#include <kernel/file.h>
#include <kernel/kmutex.h>
#include <kernel/mm.h>
#include <kernel/poll.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

#define EPOLL_MAX_EVENTS 1024
#define EPOLL_EVENT_BITS (EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDNORM | EPOLLWRNORM | EPOLLRDHUP)

/* An entry names its descriptor and the file's id, not the file: closing
 * the descriptor ends the file (a socket closes) and the entry with it,
 * as on Linux; a new file under the same number is not mistaken for it. */
struct interest {
	int fd;
	uint64_t file_id;
	uint32_t events;
	uint64_t data;
	int reported_gen; /* EPOLLET: the generation of the last report */
	int reported;
	int disarmed; /* EPOLLONESHOT, reported */
	struct interest *next;
};

struct epoll {
	pthread_mutex_t lock;
	struct interest *list;
};

static const struct file_ops epoll_ops;

static struct interest *find(struct epoll *ep, int fd, uint64_t id)
{
	for (struct interest *i = ep->list; i; i = i->next)
		if (i->fd == fd && i->file_id == id)
			return i;
	return NULL;
}

static void unlink_free(struct epoll *ep, struct interest *i)
{
	for (struct interest **pp = &ep->list; *pp; pp = &(*pp)->next)
		if (*pp == i) {
			*pp = i->next;
			break;
		}
	mm_free(i);
}

/* Readiness of one entry, as poll() sees it, in epoll's bits; -1 when its
 * file was closed (the entry goes). */
static int64_t readiness(struct interest *i)
{
	struct file *f = fd_get(i->fd);

	if (!f || f->id != i->file_id) {
		file_put(f);
		return -1;
	}
	short want = (short)(i->events & EPOLL_EVENT_BITS & 0xffff);
	short got = f->ops->poll ? f->ops->poll(f, want | POLLERR | POLLHUP)
				 : (short)(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
	file_put(f);
	return (uint32_t)(unsigned short)got & (i->events | EPOLLERR | EPOLLHUP);
}

/* One pass: fill up to @max events. */
static int collect(struct epoll *ep, struct epoll_event *out, int max, int gen)
{
	int n = 0;

	kmutex_lock(&ep->lock);
	for (struct interest *i = ep->list, *next; i && n < max; i = next) {
		next = i->next;
		if (i->disarmed)
			continue;
		int64_t got = readiness(i);
		if (got < 0)
			unlink_free(ep, i);
		if (got <= 0)
			continue;
		if ((i->events & EPOLLET) && i->reported && i->reported_gen == gen)
			continue;
		i->reported = 1;
		i->reported_gen = gen;
		if (i->events & EPOLLONESHOT)
			i->disarmed = 1;
		out[n].events = (uint32_t)got;
		out[n].data.u64 = i->data;
		n++;
	}
	kmutex_unlock(&ep->lock);
	return n;
}

static long do_wait(int epfd, struct epoll_event *uevents, int max, long timeout_ms)
{
	if (max <= 0)
		return -EINVAL;
	if (max > EPOLL_MAX_EVENTS)
		max = EPOLL_MAX_EVENTS;
	if (user_check_write(uevents, (size_t)max * sizeof(*uevents)))
		return -EFAULT;
	struct file *f = fd_get(epfd);
	if (!f)
		return -EBADF;
	long r = -EINVAL;
	if (f->ops != &epoll_ops)
		goto out;
	uint64_t deadline = timeout_ms < 0 ? UINT64_MAX
			    : timeout_ms == 0
				? 0
				: poll_deadline_after_ns((uint64_t)timeout_ms * 1000000);
	struct epoll_event *ev = mm_heap_alloc(mm_current_heap(), (size_t)max * sizeof(*ev));
	r = -ENOMEM;
	if (!ev)
		goto out;
	for (;;) {
		int gen = poll_generation();
		r = collect(f->priv, ev, max, gen);
		if (r || !deadline)
			break;
		int w = poll_wait_change(gen, deadline);
		if (w) {
			r = w == -ETIMEDOUT ? 0 : w;
			break;
		}
	}
	if (r > 0 && copy_to_user(uevents, ev, (size_t)r * sizeof(*ev)))
		r = -EFAULT;
	mm_free(ev);
out:
	file_put(f);
	return r;
}

static long sys_epoll_wait(long epfd, long events, long max, long timeout)
{
	return do_wait((int)epfd, (struct epoll_event *)events, (int)max, timeout);
}

/* The signal mask is ignored: signals are not delivered to threads. */
static long sys_epoll_pwait(long epfd, long events, long max, long timeout, long sigmask)
{
	(void)sigmask;
	return do_wait((int)epfd, (struct epoll_event *)events, (int)max, timeout);
}

/* ---------------------------------------------------------------- ctl */

static int ctl_locked(struct epoll *ep, int op, int fd, struct file *target,
		      const struct epoll_event *ev)
{
	struct interest *i = find(ep, fd, target->id);

	switch (op) {
	case EPOLL_CTL_ADD:
		if (i)
			return -EEXIST;
		i = mm_heap_alloc(mm_kernel_heap(), sizeof(*i));
		if (!i)
			return -ENOMEM;
		*i = (struct interest){.fd = fd,
				       .file_id = target->id,
				       .events = ev->events,
				       .data = ev->data.u64,
				       .next = ep->list};
		ep->list = i;
		return 0;
	case EPOLL_CTL_MOD:
		if (!i)
			return -ENOENT;
		i->events = ev->events;
		i->data = ev->data.u64;
		i->reported = i->disarmed = 0;
		return 0;
	case EPOLL_CTL_DEL:
		if (!i)
			return -ENOENT;
		unlink_free(ep, i);
		return 0;
	default:
		return -EINVAL;
	}
}

static long sys_epoll_ctl(long epfd, long op, long fd, long uev)
{
	struct epoll_event ev = {0};

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, (const void *)uev, sizeof(ev)))
		return -EFAULT;
	struct file *ef = fd_get((int)epfd), *target = fd_get((int)fd);
	long r = -EBADF;
	if (!ef || !target)
		goto out;
	r = -EINVAL;
	if (ef->ops != &epoll_ops || target == ef)
		goto out;
	r = -EPERM;
	if (!target->ops->poll && target->ops->getdents)
		goto out; /* directories cannot be waited for */
	struct epoll *ep = ef->priv;
	kmutex_lock(&ep->lock);
	r = ctl_locked(ep, (int)op, (int)fd, target, &ev);
	kmutex_unlock(&ep->lock);
	file_poll_notify(); /* a waiter looks at the new list */
out:
	if (ef)
		file_put(ef);
	if (target)
		file_put(target);
	return r;
}

/* ------------------------------------------------------------ the file */

static short epoll_file_poll(struct file *f, short events)
{
	struct epoll *ep = f->priv;
	int gen = poll_generation();
	int ready = 0;

	/* Ready when a wait would report something (without reporting it). */
	kmutex_lock(&ep->lock);
	for (struct interest *i = ep->list; i && !ready; i = i->next)
		ready = !i->disarmed && readiness(i) > 0 &&
			!((i->events & EPOLLET) && i->reported && i->reported_gen == gen);
	kmutex_unlock(&ep->lock);
	return ready ? events & (POLLIN | POLLRDNORM) : 0;
}

static void epoll_release(struct file *f)
{
	struct epoll *ep = f->priv;

	while (ep->list) {
		struct interest *i = ep->list;
		ep->list = i->next;
		mm_free(i);
	}
	pthread_mutex_destroy(&ep->lock);
	mm_free(ep);
}

static int epoll_fstat(struct file *f, struct stat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = 0600;
	return 0;
}

static const struct file_ops epoll_ops = {
    .poll = epoll_file_poll,
    .fstat = epoll_fstat,
    .release = epoll_release,
};

static long sys_epoll_create1(long flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	struct epoll *ep = mm_heap_alloc(mm_kernel_heap(), sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	memset(ep, 0, sizeof(*ep));
	pthread_mutex_init(&ep->lock, NULL);
	int fd = fd_open_new(&epoll_ops, O_RDWR, ep, flags & EPOLL_CLOEXEC);
	if (fd == -ENOMEM) {
		pthread_mutex_destroy(&ep->lock);
		mm_free(ep);
	}
	return fd;
}

static long sys_epoll_create(long size)
{
	return size <= 0 ? -EINVAL : sys_epoll_create1(0);
}

SYSCALL(epoll_create, sys_epoll_create);
SYSCALL(epoll_create1, sys_epoll_create1);
SYSCALL(epoll_ctl, sys_epoll_ctl);
SYSCALL(epoll_wait, sys_epoll_wait);
SYSCALL(epoll_pwait, sys_epoll_pwait);
