/* The descriptor table. Descriptors are looked up on every read and write,
 * so the table is an array under one spinlock held for a few instructions;
 * files are reference counted so that a close racing with a read on another
 * thread frees nothing under the reader.
 *
 * A crashed thread's files are closed (fd_close_owned). One that another
 * thread had used leaves its number reserved: the survivor's next call
 * with it gets EBADF, never a file opened later under the same number,
 * until it close()s the number. A file given to the process with
 * fd_share() is not the opener's any more and stays open. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <kernel/compiler.h>
#include <kernel/file.h>
#include <kernel/flock.h>
#include <kernel/mm.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/syscall.h>

static struct file *table[FD_MAX];
/* A number closed by a crash while another thread used it: not free, and
 * no file behind it. */
static struct file reserved_slot;
#define FD_RESERVED (&reserved_slot)
static unsigned char cloexec_flag[FD_MAX];
static spinlock_t table_lock = SPINLOCK_INIT;
static uint64_t next_file_id;

struct file *file_alloc(const struct file_ops *ops, int flags, void *priv)
{
	struct file *f = mm_heap_alloc(mm_kernel_heap(), sizeof(*f));

	if (!f)
		return NULL;
	memset(f, 0, sizeof(*f));
	f->ops = ops;
	f->refs = 1;
	f->flags = flags;
	f->priv = priv;
	f->owner_tid = thread_self();
	f->id = __atomic_add_fetch(&next_file_id, 1, __ATOMIC_RELAXED);
	return f;
}

void file_get(struct file *f)
{
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
	if (f && __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		if (IS_ENABLED(CONFIG_FS) && f->flocked)
			flock_release(f);
		if (f->ops->release)
			f->ops->release(f);
		mm_free(f);
	}
}

int fd_install(struct file *f, int min, int cloexec)
{
	unsigned long flags = spin_lock_irqsave(&table_lock);

	for (int fd = min < 0 ? 0 : min; fd < FD_MAX; fd++) {
		if (!table[fd]) {
			table[fd] = f;
			cloexec_flag[fd] = !!cloexec;
			spin_unlock_irqrestore(&table_lock, flags);
			return fd;
		}
	}
	spin_unlock_irqrestore(&table_lock, flags);
	return -EMFILE;
}

int fd_open_new(const struct file_ops *ops, int flags, void *priv, int cloexec)
{
	struct file *f = file_alloc(ops, flags, priv);

	if (!f)
		return -ENOMEM;
	int fd = fd_install(f, 0, cloexec);
	if (fd < 0)
		file_put(f);
	return fd;
}

struct file *fd_get(int fd)
{
	struct file *f = NULL;

	if ((unsigned)fd >= FD_MAX)
		return NULL;
	int self = thread_self();
	unsigned long flags = spin_lock_irqsave(&table_lock);
	f = table[fd];
	if (f == FD_RESERVED) {
		f = NULL;
	} else if (f) {
		file_get(f);
		if (f->owner_tid != self)
			f->used_by_others = 1;
	}
	spin_unlock_irqrestore(&table_lock, flags);
	return f;
}

int fd_share(int fd)
{
	struct file *f;
	int r = -EBADF;

	if ((unsigned)fd >= FD_MAX)
		return r;
	unsigned long flags = spin_lock_irqsave(&table_lock);
	f = table[fd];
	if (f && f != FD_RESERVED) {
		f->owner_tid = 0;
		r = 0;
	}
	spin_unlock_irqrestore(&table_lock, flags);
	return r;
}

int fd_close_owned(int tid)
{
	int n = 0;

	for (int fd = 3; fd < FD_MAX; fd++) { /* the console stays */
		unsigned long flags = spin_lock_irqsave(&table_lock);
		struct file *f = table[fd];
		if (f && f != FD_RESERVED && f->owner_tid == tid)
			table[fd] = f->used_by_others ? FD_RESERVED : NULL;
		else
			f = NULL;
		spin_unlock_irqrestore(&table_lock, flags);
		if (f) {
			file_put(f);
			n++;
		}
	}
	return n;
}

/* ------------------------------------------------ descriptor calls */

static long sys_close(long fd)
{
	if ((unsigned long)fd >= FD_MAX)
		return -EBADF;
	unsigned long flags = spin_lock_irqsave(&table_lock);
	struct file *f = table[fd];
	table[fd] = NULL;
	spin_unlock_irqrestore(&table_lock, flags);
	if (!f)
		return -EBADF;
	if (f != FD_RESERVED) /* else: the number is free again */
		file_put(f);
	return 0;
}

/* dup2/dup3: @newfd is closed first if open; the two steps are one under
 * the lock so no other thread's open takes @newfd in between. */
static long dup_to(long oldfd, long newfd, int cloexec)
{
	if ((unsigned long)newfd >= FD_MAX)
		return -EBADF;
	struct file *f = fd_get((int)oldfd), *old;
	if (!f)
		return -EBADF;
	unsigned long flags = spin_lock_irqsave(&table_lock);
	old = table[newfd];
	table[newfd] = f;
	cloexec_flag[newfd] = !!cloexec;
	spin_unlock_irqrestore(&table_lock, flags);
	if (old != FD_RESERVED)
		file_put(old);
	return newfd;
}

static long sys_dup(long fd)
{
	struct file *f = fd_get((int)fd);

	if (!f)
		return -EBADF;
	int r = fd_install(f, 0, 0);
	if (r < 0)
		file_put(f);
	return r;
}

static long sys_dup2(long oldfd, long newfd)
{
	if (oldfd == newfd) {
		struct file *f = fd_get((int)oldfd);
		file_put(f);
		return f ? newfd : -EBADF;
	}
	return dup_to(oldfd, newfd, 0);
}

static long sys_dup3(long oldfd, long newfd, long flags)
{
	if (oldfd == newfd || (flags & ~O_CLOEXEC))
		return -EINVAL;
	return dup_to(oldfd, newfd, flags & O_CLOEXEC);
}

static long sys_fcntl(long fd, long cmd, long arg)
{
	struct file *f = fd_get((int)fd);
	long r = 0;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		file_get(f);
		r = fd_install(f, (int)arg, cmd == F_DUPFD_CLOEXEC);
		if (r < 0)
			file_put(f);
		break;
	case F_GETFD:
		r = cloexec_flag[fd] ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		cloexec_flag[fd] = (arg & FD_CLOEXEC) != 0;
		break;
	case F_GETFL:
		r = f->flags;
		break;
	case F_SETFL: /* only these may change, as on Linux */
		f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | (arg & (O_APPEND | O_NONBLOCK));
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		r = IS_ENABLED(CONFIG_FS) ? file_lock_fcntl(f, (int)cmd, (void *)arg) : -EINVAL;
		break;
	default:
		r = -EINVAL;
	}
	file_put(f);
	return r;
}

SYSCALL(close, sys_close);
SYSCALL(dup, sys_dup);
SYSCALL(dup2, sys_dup2);
SYSCALL(dup3, sys_dup3);
SYSCALL(fcntl, sys_fcntl);
