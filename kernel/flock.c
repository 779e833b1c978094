/*
 * File locks.
 *
 * POSIX record locks (fcntl F_SETLK, F_SETLKW, F_GETLK) belong to a
 * process, and a process never conflicts with itself: in a system that is
 * one process, every such lock is granted at once and F_GETLK always finds
 * the range free. That is Linux's own answer for a lone process, and what
 * SQLite's default VFS expects (it arbitrates between connections of one
 * process itself).
 *
 * flock() locks belong to an open file description: two open()s of the
 * same file conflict even in one process. They are kept in a small table
 * keyed by the file's (st_dev, st_ino) and the description's id, and go
 * when the description's last reference does (file_put calls
 * flock_release), so a crashed thread's locks go with its descriptors.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/file.h>
#include <unistd.h>
#include <kernel/file.h>
#include <kernel/flock.h>
#include <kernel/mm.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

struct flock_entry {
	dev_t dev;
	ino_t ino;
	uint64_t file_id;
	int exclusive;
	struct flock_entry *next;
};

static struct flock_entry *held;
static spinlock_t lock = SPINLOCK_INIT;
static int seq; /* moves when a lock goes: blocked flock() calls look again */

static int file_key(struct file *f, dev_t *dev, ino_t *ino)
{
	struct stat st;

	if (!f->ops->fstat || f->ops->fstat(f, &st))
		return -EINVAL;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

/* ------------------------------------------------------- record locks */

static int valid_flock(const struct flock *l)
{
	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK && l->l_type != F_UNLCK)
		return -EINVAL;
	if (l->l_whence != SEEK_SET && l->l_whence != SEEK_CUR && l->l_whence != SEEK_END)
		return -EINVAL;
	return 0;
}

long file_lock_fcntl(struct file *f, int cmd, void *uarg)
{
	struct flock l;

	if (copy_from_user(&l, uarg, sizeof(l)))
		return -EFAULT;
	int r = valid_flock(&l);
	if (r)
		return r;
	if ((l.l_type == F_RDLCK && (f->flags & O_ACCMODE) == O_WRONLY) ||
	    (l.l_type == F_WRLCK && (f->flags & O_ACCMODE) == O_RDONLY))
		return cmd == F_GETLK ? 0 : -EBADF;
	if (cmd == F_GETLK) {
		l.l_type = F_UNLCK; /* no other process holds anything */
		return copy_to_user(uarg, &l, sizeof(l));
	}
	return 0; /* F_SETLK, F_SETLKW: granted */
}

/* ------------------------------------------------------------- flock */

/* Lock held. @retval an entry of another description that conflicts */
static struct flock_entry *conflict(dev_t dev, ino_t ino, uint64_t id, int exclusive)
{
	for (struct flock_entry *e = held; e; e = e->next)
		if (e->dev == dev && e->ino == ino && e->file_id != id &&
		    (exclusive || e->exclusive))
			return e;
	return NULL;
}

static struct flock_entry **find(uint64_t id)
{
	struct flock_entry **pp = &held;

	while (*pp && (*pp)->file_id != id)
		pp = &(*pp)->next;
	return pp;
}

/* Drop the description's lock, if any. */
static void unlock_id(uint64_t id)
{
	unsigned long flags = spin_lock_irqsave(&lock);
	struct flock_entry **pp = find(id), *e = *pp;

	if (e)
		*pp = e->next;
	spin_unlock_irqrestore(&lock, flags);
	if (e) {
		mm_free(e);
		__atomic_add_fetch(&seq, 1, __ATOMIC_SEQ_CST);
		futex_wake_addr(&seq, INT_MAX);
	}
}

void flock_release(struct file *f)
{
	unlock_id(f->id);
}

/* Take or convert the lock. @retval 0, -EWOULDBLOCK (held elsewhere) */
static int try_lock(struct file *f, dev_t dev, ino_t ino, int exclusive, struct flock_entry **spare)
{
	unsigned long flags = spin_lock_irqsave(&lock);
	int r = -EWOULDBLOCK;

	if (!conflict(dev, ino, f->id, exclusive)) {
		struct flock_entry *e = *find(f->id);
		if (!e) {
			e = *spare;
			*spare = NULL;
			*e = (struct flock_entry){
			    .dev = dev, .ino = ino, .file_id = f->id, .next = held};
			held = e;
		}
		e->exclusive = exclusive;
		r = 0;
	}
	spin_unlock_irqrestore(&lock, flags);
	return r;
}

static long sys_flock(long fd, long op)
{
	int exclusive = (op & ~LOCK_NB) == LOCK_EX;
	dev_t dev;
	ino_t ino;
	long r;

	if ((op & ~LOCK_NB) != LOCK_SH && !exclusive && (op & ~LOCK_NB) != LOCK_UN)
		return -EINVAL;
	struct file *f = fd_get((int)fd);
	if (!f)
		return -EBADF;
	if ((op & ~LOCK_NB) == LOCK_UN) {
		unlock_id(f->id);
		r = 0;
		goto out;
	}
	if ((r = file_key(f, &dev, &ino)))
		goto out;
	struct flock_entry *spare = mm_heap_alloc(mm_kernel_heap(), sizeof(*spare));
	if (!spare) {
		r = -ENOMEM;
		goto out;
	}
	f->flocked = 1;
	for (;;) {
		int s = __atomic_load_n(&seq, __ATOMIC_SEQ_CST);
		r = try_lock(f, dev, ino, exclusive, &spare);
		if (r != -EWOULDBLOCK || (op & LOCK_NB))
			break;
		if (futex_wait_addr(&seq, s)) {
			r = -EINTR;
			break;
		}
	}
	mm_free(spare);
out:
	file_put(f);
	return r;
}

SYSCALL(flock, sys_flock);
