/*
 * eventfd: a 64-bit counter as a descriptor. A write adds to it (blocking
 * while it would pass 2^64 - 2), a read takes it whole, or one with
 * EFD_SEMAPHORE, blocking while it is 0. Readable while non-zero,
 * writable while 1 more fits. Waiters sleep on the counter's sequence
 * word, as pipes do.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/spinlock.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

#define COUNT_MAX (UINT64_MAX - 1)

struct eventfd {
	spinlock_t lock;
	uint64_t count;
	int semaphore;
	int seq;
};

static void changed(struct eventfd *e)
{
	__atomic_add_fetch(&e->seq, 1, __ATOMIC_SEQ_CST);
	futex_wake_addr(&e->seq, INT_MAX);
	file_poll_notify();
}

static long efd_read(struct file *f, void *buf, size_t len)
{
	struct eventfd *e = f->priv;

	if (len < sizeof(uint64_t))
		return -EINVAL;
	for (;;) {
		int seq = __atomic_load_n(&e->seq, __ATOMIC_SEQ_CST);
		unsigned long flags = spin_lock_irqsave(&e->lock);
		uint64_t v = e->count;
		if (v) {
			v = e->semaphore ? 1 : v;
			e->count -= v;
		}
		spin_unlock_irqrestore(&e->lock, flags);
		if (v) {
			changed(e);
			return copy_to_user(buf, &v, sizeof(v)) ?: (long)sizeof(v);
		}
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (futex_wait_addr(&e->seq, seq))
			return -EINTR;
	}
}

static long efd_write(struct file *f, const void *buf, size_t len)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	if (len < sizeof(v))
		return -EINVAL;
	if (copy_from_user(&v, buf, sizeof(v)))
		return -EFAULT;
	if (v == UINT64_MAX)
		return -EINVAL;
	for (;;) {
		int seq = __atomic_load_n(&e->seq, __ATOMIC_SEQ_CST);
		unsigned long flags = spin_lock_irqsave(&e->lock);
		int fits = COUNT_MAX - e->count >= v;
		if (fits)
			e->count += v;
		spin_unlock_irqrestore(&e->lock, flags);
		if (fits) {
			if (v)
				changed(e);
			return sizeof(v);
		}
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (futex_wait_addr(&e->seq, seq))
			return -EINTR;
	}
}

static short efd_poll(struct file *f, short events)
{
	struct eventfd *e = f->priv;
	uint64_t v = __atomic_load_n(&e->count, __ATOMIC_RELAXED);
	short got = (v ? POLLIN | POLLRDNORM : 0) | (v < COUNT_MAX ? POLLOUT | POLLWRNORM : 0);

	return got & events;
}

static int efd_fstat(struct file *f, struct stat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = 0600; /* an anonymous inode, as on Linux */
	return 0;
}

static void efd_release(struct file *f)
{
	mm_free(f->priv);
}

static const struct file_ops eventfd_ops = {
    .read = efd_read,
    .write = efd_write,
    .poll = efd_poll,
    .fstat = efd_fstat,
    .release = efd_release,
};

static long sys_eventfd2(long initval, long flags)
{
	if (flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC))
		return -EINVAL;
	struct eventfd *e = mm_heap_alloc(mm_kernel_heap(), sizeof(*e));
	if (!e)
		return -ENOMEM;
	*e = (struct eventfd){.lock = SPINLOCK_INIT,
			      .count = (uint32_t)initval,
			      .semaphore = !!(flags & EFD_SEMAPHORE)};
	int fd = fd_open_new(&eventfd_ops, O_RDWR | (flags & EFD_NONBLOCK ? O_NONBLOCK : 0), e,
			     flags & EFD_CLOEXEC);
	if (fd == -ENOMEM)
		mm_free(e);
	return fd;
}

static long sys_eventfd(long initval)
{
	return sys_eventfd2(initval, 0);
}

SYSCALL(eventfd, sys_eventfd);
SYSCALL(eventfd2, sys_eventfd2);
