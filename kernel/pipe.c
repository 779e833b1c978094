/*
 * Pipes between the threads of the one process (pipe, pipe2): a ring of
 * PIPE_SIZE bytes in the kernel heap, so that it outlives the thread that
 * made it, with a read end and a write end that are ordinary descriptors.
 *
 * Linux semantics: a read returns what is there (at least one byte),
 * blocks while the pipe is empty and a writer is left, and returns 0 once
 * none is; a write of at most PIPE_BUF bytes goes in whole or not at all,
 * a longer one may be split; a write with no reader left is -EPIPE. Both
 * ends answer poll. A thread waits on the pipe's own sequence word (a
 * futex), which moves on every change, so no wake-up is lost.
 *
 * The ring is under a kernel lock (include/kernel/kmutex.h); the
 * application's buffer was checked by the system call before.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>
#include <kernel/file.h>
#include <kernel/kmutex.h>
#include <kernel/mm.h>
#include <kernel/pipe.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

#define PIPE_SIZE (64u << 10)

struct pipe {
	pthread_mutex_t lock;
	size_t head, len; /* the oldest byte, and how many */
	int readers, writers;
	int seq; /* moves on every change; waiters sleep on it */
	char buf[PIPE_SIZE];
};

struct pipe *pipe_create(void)
{
	struct pipe *p = mm_heap_alloc(mm_kernel_heap(), sizeof(*p));

	if (!p)
		return NULL;
	memset(p, 0, offsetof(struct pipe, buf));
	pthread_mutex_init(&p->lock, NULL);
	p->readers = p->writers = 1;
	return p;
}

/* Called with the lock held, after a change. */
static void changed(struct pipe *p)
{
	__atomic_add_fetch(&p->seq, 1, __ATOMIC_SEQ_CST);
}

static void wake(struct pipe *p)
{
	futex_wake_addr(&p->seq, INT_MAX);
	file_poll_notify();
}

/* Copy @len bytes from @skip bytes past the oldest into @buf (lock held). */
static void copy_out(struct pipe *p, size_t skip, char *buf, size_t len)
{
	size_t at = (p->head + skip) % PIPE_SIZE;
	size_t first = PIPE_SIZE - at < len ? PIPE_SIZE - at : len;

	memcpy(buf, p->buf + at, first);
	memcpy(buf + first, p->buf, len - first);
}

/* Fill the buffers in order with what is there (lock held); the bytes
 * stay with @peek. @retval bytes copied */
static size_t take(struct pipe *p, const struct iovec *iov, size_t cnt, int peek)
{
	size_t done = 0;

	for (size_t i = 0; i < cnt && done < p->len; i++) {
		size_t n = iov[i].iov_len < p->len - done ? iov[i].iov_len : p->len - done;
		copy_out(p, done, iov[i].iov_base, n);
		done += n;
	}
	if (done && !peek) {
		p->head = (p->head + done) % PIPE_SIZE;
		p->len -= done;
		changed(p);
	}
	return done;
}

long pipe_readv(struct pipe *p, const struct iovec *iov, size_t cnt, int flags)
{
	size_t want = 0;

	for (size_t i = 0; i < cnt; i++)
		want |= iov[i].iov_len;
	if (!want)
		return 0;
	for (;;) {
		int seq = __atomic_load_n(&p->seq, __ATOMIC_SEQ_CST);
		kmutex_lock(&p->lock);
		size_t n = take(p, iov, cnt, flags & PIPE_PEEK);
		int writers = p->writers;
		kmutex_unlock(&p->lock);
		if (n) {
			if (!(flags & PIPE_PEEK))
				wake(p);
			return (long)n;
		}
		if (!writers)
			return 0;
		if (flags & PIPE_NONBLOCK)
			return -EAGAIN;
		if (futex_wait_addr(&p->seq, seq))
			return -EINTR;
	}
}

long pipe_read(struct pipe *p, void *buf, size_t len, int nonblock)
{
	struct iovec one = {buf, len};

	return pipe_readv(p, &one, 1, nonblock ? PIPE_NONBLOCK : 0);
}

/* Copy in what fits now; all of @len or nothing when it is at most
 * PIPE_BUF. @retval bytes copied, -EPIPE */
static long put_some(struct pipe *p, const char *buf, size_t len)
{
	if (!p->readers)
		return -EPIPE;
	size_t room = PIPE_SIZE - p->len;
	if (len <= PIPE_BUF && room < len)
		return 0;
	size_t n = len < room ? len : room;
	size_t tail = (p->head + p->len) % PIPE_SIZE;
	size_t first = PIPE_SIZE - tail < n ? PIPE_SIZE - tail : n;
	memcpy(p->buf + tail, buf, first);
	memcpy(p->buf, buf + first, n - first);
	p->len += n;
	if (n)
		changed(p);
	return (long)n;
}

long pipe_write(struct pipe *p, const void *buf, size_t len, int nonblock)
{
	size_t done = 0;

	while (done < len) {
		int seq = __atomic_load_n(&p->seq, __ATOMIC_SEQ_CST);
		kmutex_lock(&p->lock);
		long n = put_some(p, (const char *)buf + done, len - done);
		kmutex_unlock(&p->lock);
		if (n < 0)
			return done ? (long)done : n;
		if (n > 0) {
			wake(p);
			done += (size_t)n;
			continue;
		}
		if (nonblock)
			return done ? (long)done : -EAGAIN;
		if (futex_wait_addr(&p->seq, seq))
			return done ? (long)done : -EINTR;
	}
	return (long)done;
}

short pipe_poll(struct pipe *p, short events, int reading)
{
	short got = 0;

	kmutex_lock(&p->lock);
	if (reading) {
		if (p->len)
			got |= POLLIN | POLLRDNORM;
		if (!p->writers)
			got |= POLLHUP;
	} else {
		if (!p->readers)
			got |= POLLERR;
		else if (PIPE_SIZE - p->len >= PIPE_BUF)
			got |= POLLOUT | POLLWRNORM;
	}
	kmutex_unlock(&p->lock);
	return got & (events | POLLHUP | POLLERR);
}

size_t pipe_unread(struct pipe *p)
{
	return __atomic_load_n(&p->len, __ATOMIC_RELAXED);
}

void pipe_close_end(struct pipe *p, int reading)
{
	kmutex_lock(&p->lock);
	if (reading)
		p->readers--;
	else
		p->writers--;
	int last = !p->readers && !p->writers;
	changed(p);
	kmutex_unlock(&p->lock);
	wake(p);
	if (last) {
		pthread_mutex_destroy(&p->lock);
		mm_free(p);
	}
}

/* ------------------------------------------------- descriptors */

static long end_read(struct file *f, void *buf, size_t len)
{
	return pipe_read(f->priv, buf, len, f->flags & O_NONBLOCK);
}

static long end_write(struct file *f, const void *buf, size_t len)
{
	return pipe_write(f->priv, buf, len, f->flags & O_NONBLOCK);
}

static short read_end_poll(struct file *f, short events)
{
	return pipe_poll(f->priv, events, 1);
}

static short write_end_poll(struct file *f, short events)
{
	return pipe_poll(f->priv, events, 0);
}

static int end_fstat(struct file *f, struct stat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFIFO | 0600;
	st->st_blksize = PIPE_BUF;
	return 0;
}

static int end_ioctl(struct file *f, unsigned long req, void *arg)
{
	if (req != FIONREAD)
		return -ENOTTY;
	int n = (f->flags & O_ACCMODE) == O_RDONLY ? (int)pipe_unread(f->priv) : 0;
	return copy_to_user(arg, &n, sizeof(n));
}

static void read_end_release(struct file *f)
{
	pipe_close_end(f->priv, 1);
}

static void write_end_release(struct file *f)
{
	pipe_close_end(f->priv, 0);
}

static const struct file_ops read_end_ops = {
    .read = end_read,
    .fstat = end_fstat,
    .ioctl = end_ioctl,
    .poll = read_end_poll,
    .release = read_end_release,
};

static const struct file_ops write_end_ops = {
    .write = end_write,
    .fstat = end_fstat,
    .ioctl = end_ioctl,
    .poll = write_end_poll,
    .release = write_end_release,
};

static long sys_pipe2(int *ufds, long flags)
{
	int fds[2] = {-1, -1};
	struct file *rf = NULL, *wf = NULL;
	long r = -ENOMEM;

	if (flags & ~(O_NONBLOCK | O_CLOEXEC | O_DIRECT))
		return -EINVAL;
	if (user_check_write(ufds, sizeof(fds)))
		return -EFAULT;
	struct pipe *p = pipe_create();
	if (!p)
		return -ENOMEM;
	int fl = (int)flags & O_NONBLOCK;
	rf = file_alloc(&read_end_ops, O_RDONLY | fl, p);
	wf = rf ? file_alloc(&write_end_ops, O_WRONLY | fl, p) : NULL;
	if (!wf)
		goto out;
	fds[0] = fd_install(rf, 0, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -1 : fd_install(wf, 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		r = -EMFILE;
		goto out;
	}
	return copy_to_user(ufds, fds, sizeof(fds));
out:
	/* Nothing installed stays: each end goes with its last reference. */
	if (fds[0] >= 0)
		syscall_dispatch(SYS_close, fds[0], 0, 0, 0, 0, 0);
	else if (rf)
		file_put(rf);
	else
		pipe_close_end(p, 1);
	if (wf)
		file_put(wf);
	else
		pipe_close_end(p, 0);
	return r;
}

static long sys_pipe(int *ufds)
{
	return sys_pipe2(ufds, 0);
}

SYSCALL(pipe, sys_pipe);
SYSCALL(pipe2, sys_pipe2);
