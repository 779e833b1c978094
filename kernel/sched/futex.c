/*
 * Futexes: the one blocking primitive under the C library's mutexes,
 * condition variables, semaphores, joins and once-calls, with Linux's
 * semantics (one address space, so "private" and "shared" are the same).
 *
 * Waiters sit in a hash of buckets by address, each under its own lock.
 * A waiter is removed from its bucket by whoever wakes it; a waiter that
 * finds itself still queued after it runs again timed out or was
 * interrupted, and removes itself. So a wake-up is never lost to a timeout
 * that races with it: it counts as a wake-up.
 *
 * Priority-inheritance futexes (FUTEX_LOCK_PI, pthread mutexes with
 * PTHREAD_PRIO_INHERIT) keep their waiters in priority order on one list
 * under sched_pi_lock; an owner runs at the highest priority of the
 * threads blocked on the locks it holds, through chains of owners.
 */
#include <errno.h>
#include <limits.h>
#include <time.h>
#include <musl_offsets.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <kernel/time.h>
#include <platform.h>

/* Linux's futex ABI (linux/futex.h, which the C library does not ship). */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_WAITERS 0x80000000
#define FUTEX_OWNER_DIED 0x40000000
#define FUTEX_TID_MASK 0x3fffffff
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

#define NBUCKETS 256
#define PI_CHAIN_MAX 16

struct futex_waiter {
	int *addr;
	struct thread *t;
	uint32_t bitset;
	int queued;
	struct futex_waiter *next, *prev;
	struct thread *pi_owner;		/* PI: the owner this waiter boosts */
	struct futex_waiter *pi_next, *pi_prev; /* PI: in pi_owner->pi_waiters */
};

struct bucket {
	spinlock_t lock;
	struct futex_waiter *head, *tail;
} __attribute__((aligned(64)));

static struct bucket buckets[NBUCKETS];
static spinlock_t pi_lock = SPINLOCK_INIT;
static struct futex_waiter *pi_head; /* every PI waiter, by priority */

static struct bucket *bucket_of(const int *addr)
{
	uintptr_t a = (uintptr_t)addr >> 2;

	return &buckets[(a ^ (a >> 8) ^ (a >> 16)) % NBUCKETS];
}

static void bucket_add(struct bucket *b, struct futex_waiter *w)
{
	w->next = NULL;
	w->prev = b->tail;
	if (b->tail)
		b->tail->next = w;
	else
		b->head = w;
	b->tail = w;
	w->queued = 1;
}

static void bucket_del(struct bucket *b, struct futex_waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		b->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		b->tail = w->prev;
	w->queued = 0;
}

/* Deadline for a relative timeout; 0 for none. */
static int rel_deadline(const struct timespec *ts, uint64_t *deadline)
{
	*deadline = 0;
	if (!ts)
		return 0;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	uint64_t ns = (uint64_t)ts->tv_sec > UINT64_MAX / NSEC_PER_SEC / 2
			  ? UINT64_MAX / 2
			  : ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
	*deadline = plat_time_ns() + ns + 1;
	return 0;
}

/* Deadline for an absolute timeout on @clk (FUTEX_WAIT_BITSET, LOCK_PI). */
static int abs_deadline(const struct timespec *ts, int realtime, uint64_t *deadline)
{
	*deadline = 0;
	if (!ts)
		return 0;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	uint64_t at = ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
	uint64_t now = plat_time_ns();
	if (realtime) {
		uint64_t rt = plat_realtime_ns();
		at = at > rt ? now + (at - rt) : now;
	}
	*deadline = at ? at : 1;
	return 0;
}

/* Block after queueing @w in @b (whose lock is held, interrupts off).
 * @retval 0 woken; -ETIMEDOUT; -EINTR (woken by thread_wake or a kill) */
static int wait_queued(struct bucket *b, struct futex_waiter *w, uint64_t deadline)
{
	struct thread *t = w->t;

	t->state = THREAD_BLOCKED;
	spin_unlock(&b->lock);
	int timed_out = sched_block(deadline);
	if (!__atomic_load_n(&w->queued, __ATOMIC_ACQUIRE))
		return 0;
	spin_lock(&b->lock);
	int still = w->queued;
	if (still)
		bucket_del(b, w);
	spin_unlock(&b->lock);
	if (!still)
		return 0;
	return timed_out || (deadline && plat_time_ns() >= deadline) ? -ETIMEDOUT : -EINTR;
}

static long futex_wait(int *addr, int val, uint64_t deadline, uint32_t bitset)
{
	struct bucket *b = bucket_of(addr);
	struct futex_waiter w = {.addr = addr, .t = current_thread(), .bitset = bitset};

	if (!bitset)
		return -EINVAL;
	unsigned long flags = irq_save();
	spin_lock(&b->lock);
	if (__atomic_load_n(addr, __ATOMIC_SEQ_CST) != val) {
		spin_unlock(&b->lock);
		irq_restore(flags);
		return -EAGAIN;
	}
	bucket_add(b, &w);
	int r = wait_queued(b, &w, deadline);
	irq_restore(flags);
	return r;
}

static int wake_locked(struct bucket *b, int *addr, int count, uint32_t bitset)
{
	int n = 0;

	for (struct futex_waiter *w = b->head, *next; w && n < count; w = next) {
		next = w->next;
		if (w->addr != addr || !(w->bitset & bitset) || w->pi_owner)
			continue;
		bucket_del(b, w);
		sched_wakeup(w->t);
		n++;
	}
	return n;
}

static int futex_wake(int *addr, int count, uint32_t bitset)
{
	struct bucket *b = bucket_of(addr);

	if (!bitset)
		return -EINVAL;
	if (count <= 0)
		return 0;
	unsigned long flags = irq_save();
	spin_lock(&b->lock);
	int n = b->head ? wake_locked(b, addr, count, bitset) : 0;
	spin_unlock(&b->lock);
	irq_restore(flags);
	if (n)
		sched_preempt_point();
	return n;
}

int futex_wake_addr(int *addr, int count)
{
	return futex_wake(addr, count, FUTEX_BITSET_MATCH_ANY);
}

int futex_wait_addr(int *addr, int val)
{
	int r = (int)futex_wait(addr, val, 0, FUTEX_BITSET_MATCH_ANY);

	return r == -EINTR ? -EINTR : 0;
}

/* Wake up to @nwake waiters on @a1 and move up to @nmove of the rest to
 * @a2 (a condition variable's broadcast moves them to the mutex). */
static long futex_requeue(int *a1, int nwake, int nmove, int *a2, const int *cmp)
{
	struct bucket *b1 = bucket_of(a1), *b2 = bucket_of(a2);
	int n = 0, moved = 0;

	if (nwake < 0 || nmove < 0)
		return -EINVAL;
	unsigned long flags = irq_save();
	/* Two buckets: lock in address order. */
	if (b1 < b2) {
		spin_lock(&b1->lock);
		spin_lock(&b2->lock);
	} else {
		spin_lock(&b2->lock);
		if (b1 != b2)
			spin_lock(&b1->lock);
	}
	if (cmp && __atomic_load_n(a1, __ATOMIC_SEQ_CST) != *cmp) {
		n = -EAGAIN;
		goto out;
	}
	n = wake_locked(b1, a1, nwake, FUTEX_BITSET_MATCH_ANY);
	for (struct futex_waiter *w = b1->head, *next; w && moved < nmove; w = next) {
		next = w->next;
		if (w->addr != a1 || w->pi_owner)
			continue;
		bucket_del(b1, w);
		w->addr = a2;
		bucket_add(b2, w);
		moved++;
	}
out:
	spin_unlock(&b1->lock);
	if (b1 != b2)
		spin_unlock(&b2->lock);
	irq_restore(flags);
	if (n > 0)
		sched_preempt_point();
	return n < 0 ? n : n + moved;
}

/* ------------------------------------------------ priority inheritance */

static struct thread *thread_by_tid(int tid)
{
	return tid > 0 ? thread_lookup(tid) : NULL;
}

/* Effective priority: its own, or the highest of the threads waiting on
 * locks it owns. pi_lock held. */
static int pi_prio(struct thread *t)
{
	int p = t->base_prio;

	for (struct futex_waiter *w = t->pi_waiters; w; w = w->pi_next)
		if (w->t->prio > p)
			p = w->t->prio;
	return p;
}

/* Re-derive priorities along the chain of owners starting at @t. */
static void pi_propagate(struct thread *t)
{
	for (int depth = 0; t && depth < PI_CHAIN_MAX; depth++) {
		int p = pi_prio(t);
		if (p == t->prio)
			return;
		sched_set_prio(t, p);
		t = t->blocked_on ? t->blocked_on->pi_owner : NULL;
	}
}

static void pi_owner_add(struct thread *owner, struct futex_waiter *w)
{
	w->pi_owner = owner;
	w->pi_prev = NULL;
	w->pi_next = owner->pi_waiters;
	if (owner->pi_waiters)
		owner->pi_waiters->pi_prev = w;
	owner->pi_waiters = w;
}

static void pi_owner_del(struct futex_waiter *w)
{
	if (w->pi_prev)
		w->pi_prev->pi_next = w->pi_next;
	else
		w->pi_owner->pi_waiters = w->pi_next;
	if (w->pi_next)
		w->pi_next->pi_prev = w->pi_prev;
	w->pi_owner = NULL;
}

/* The PI waiters list: highest priority first, FIFO within a priority. */
static void pi_list_add(struct futex_waiter *w)
{
	struct futex_waiter **pp = &pi_head, *prev = NULL;

	while (*pp && (*pp)->t->prio >= w->t->prio) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	w->next = *pp;
	w->prev = prev;
	if (*pp)
		(*pp)->prev = w;
	*pp = w;
	w->queued = 1;
}

static void pi_list_del(struct futex_waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		pi_head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->queued = 0;
}

static int pi_has_waiters(const int *addr, const struct futex_waiter *except)
{
	for (struct futex_waiter *w = pi_head; w; w = w->next)
		if (w->addr == addr && w != except)
			return 1;
	return 0;
}

static long futex_lock_pi(int *addr, uint64_t deadline, int trylock)
{
	struct thread *self = current_thread();
	struct futex_waiter w = {.addr = addr, .t = self, .bitset = ~0u};
	unsigned long flags = irq_save();
	long r;

	spin_lock(&pi_lock);
	for (;;) {
		int v = __atomic_load_n(addr, __ATOMIC_SEQ_CST);
		int owner_tid = v & FUTEX_TID_MASK;
		if (owner_tid == self->tid) {
			r = -EDEADLK;
			goto out;
		}
		if (!owner_tid) {
			/* Free (perhaps its owner died): take it, keeping the
			 * waiters bit if others wait. */
			int nv = self->tid | (v & FUTEX_OWNER_DIED) |
				 (pi_has_waiters(addr, NULL) ? FUTEX_WAITERS : 0);
			if (__atomic_compare_exchange_n(addr, &v, nv, 0, __ATOMIC_SEQ_CST,
							__ATOMIC_SEQ_CST)) {
				r = 0;
				goto out;
			}
			continue;
		}
		if (trylock) {
			r = -EBUSY;
			goto out;
		}
		struct thread *owner = thread_by_tid(owner_tid);
		if (!owner || owner->state == THREAD_EXITED) {
			r = -ESRCH; /* a lock word naming no live thread */
			goto out;
		}
		if (!(v & FUTEX_WAITERS) &&
		    !__atomic_compare_exchange_n(addr, &v, v | FUTEX_WAITERS, 0, __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST))
			continue;
		pi_list_add(&w);
		pi_owner_add(owner, &w);
		self->blocked_on = &w;
		pi_propagate(owner);
		break;
	}
	self->state = THREAD_BLOCKED;
	spin_unlock(&pi_lock);
	int timed_out = sched_block(deadline);
	spin_lock(&pi_lock);
	self->blocked_on = NULL;
	if (!w.queued) {
		r = 0; /* the unlocker made us the owner */
		goto out;
	}
	/* Timed out or interrupted: leave, and un-boost the owner. */
	struct thread *owner = w.pi_owner;
	pi_list_del(&w);
	pi_owner_del(&w);
	if (!pi_has_waiters(addr, NULL))
		__atomic_and_fetch(addr, ~FUTEX_WAITERS, __ATOMIC_SEQ_CST);
	pi_propagate(owner);
	r = timed_out || (deadline && plat_time_ns() >= deadline) ? -ETIMEDOUT : -EINTR;
out:
	spin_unlock(&pi_lock);
	irq_restore(flags);
	return r;
}

/* Hand a PI lock at @addr owned by @self to its best waiter (or free it).
 * @died: the owner is gone (robust list), so the new owner is told.
 * pi_lock held. */
static void pi_handoff(struct thread *self, int *addr, int died)
{
	struct futex_waiter *best = NULL;

	for (struct futex_waiter *w = pi_head; w; w = w->next)
		if (w->addr == addr) {
			best = w;
			break;
		}
	if (!best) {
		__atomic_store_n(addr, died ? FUTEX_OWNER_DIED : 0, __ATOMIC_SEQ_CST);
		return;
	}
	pi_list_del(best);
	pi_owner_del(best);
	/* The rest now wait for the new owner. */
	for (struct futex_waiter *w = self->pi_waiters, *next; w; w = next) {
		next = w->pi_next;
		if (w->addr == addr) {
			pi_owner_del(w);
			pi_owner_add(best->t, w);
		}
	}
	int nv = best->t->tid | (died ? FUTEX_OWNER_DIED : 0) |
		 (pi_has_waiters(addr, NULL) ? FUTEX_WAITERS : 0);
	__atomic_store_n(addr, nv, __ATOMIC_SEQ_CST);
	pi_propagate(best->t);
	sched_wakeup(best->t);
}

static long futex_unlock_pi(int *addr)
{
	struct thread *self = current_thread();
	unsigned long flags = irq_save();
	long r = 0;

	spin_lock(&pi_lock);
	int v = __atomic_load_n(addr, __ATOMIC_SEQ_CST);
	if ((v & FUTEX_TID_MASK) != self->tid) {
		r = -EPERM;
	} else {
		pi_handoff(self, addr, 0);
		pi_propagate(self);
	}
	spin_unlock(&pi_lock);
	irq_restore(flags);
	sched_preempt_point();
	return r;
}

/* --------------------------------------------------------- robust list */

struct robust_list {
	struct robust_list *next;
};

struct robust_list_head {
	struct robust_list list;
	long futex_offset;
	struct robust_list *list_op_pending;
};

/* @entry's lock word, if @t owns it, becomes "owner died" (with the
 * waiters bit kept) and one waiter is woken; a PI lock with waiters goes
 * straight to the best of them. Whatever the mutex's type: every C-library
 * mutex records its owner and is on its list (lib/musl/patches). */
static void robust_release(struct thread *t, struct robust_list *entry, long offset)
{
	int *addr = (int *)((char *)entry + offset);
	int v = __atomic_load_n(addr, __ATOMIC_SEQ_CST);

	if ((v & FUTEX_TID_MASK) != t->tid)
		return;
	unsigned long flags = irq_save();
	spin_lock(&pi_lock);
	int pi = pi_has_waiters(addr, NULL);
	if (pi)
		pi_handoff(t, addr, 1);
	else
		__atomic_store_n(addr, (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED, __ATOMIC_SEQ_CST);
	spin_unlock(&pi_lock);
	irq_restore(flags);
	if (!pi)
		futex_wake_addr(addr, 1);
}

/* The dying thread's list: the one it registered, else the C library's
 * in its thread block (private mutexes never register it). */
static struct robust_list_head *robust_head(struct thread *t)
{
	if (t->robust_list)
		return t->robust_list;
	return t->tls ? (struct robust_list_head *)((char *)t->tls + MUSL_PTHREAD_ROBUST_LIST)
		      : NULL;
}

/* Release every mutex a dying thread still holds, as Linux does for robust
 * ones at thread exit: each is marked owner-died and one waiter woken, who
 * gets EOWNERDEAD. The list lives in the thread's memory: walked
 * defensively, bounded against loops, then emptied, so that the C
 * library's own walk in pthread_exit() finds nothing (it would otherwise
 * overwrite a lock already handed to a waiter). */
void futex_exit_release(struct thread *t)
{
	struct robust_list_head *head = robust_head(t);

	if (head) {
		long off = head->futex_offset ? head->futex_offset : MUSL_MUTEX_LOCK_FROM_NEXT;
		/* Bit 0 of a link marks a PI entry in Linux's ABI; robust_release()
		 * finds PI waiters by address instead. */
		uintptr_t link = (uintptr_t)head->list.next;
		for (int n = 0; n < 2048; n++) {
			struct robust_list *e = (struct robust_list *)(link & ~1ul);
			if (!e || e == &head->list)
				break;
			uintptr_t next = (uintptr_t)e->next;
			robust_release(t, e, off);
			link = next;
		}
		uintptr_t pend = (uintptr_t)head->list_op_pending;
		if (pend & ~1ul)
			robust_release(t, (struct robust_list *)(pend & ~1ul), off);
		head->list.next = &head->list;
		head->list_op_pending = NULL;
	}
	/* PI waiters still boosting it (locks it took outside the list). */
	unsigned long flags = irq_save();
	spin_lock(&pi_lock);
	while (t->pi_waiters)
		pi_handoff(t, t->pi_waiters->addr, 1);
	spin_unlock(&pi_lock);
	irq_restore(flags);
	t->robust_list = NULL;
}

static long sys_set_robust_list(void *head, size_t len)
{
	if (len != sizeof(struct robust_list_head))
		return -EINVAL;
	current_thread()->robust_list = head;
	return 0;
}

/* The C library asks before it makes a mutex robust. */
static long sys_get_robust_list(long tid, void **head, size_t *len)
{
	struct thread *t = tid ? thread_lookup((int)tid) : current_thread();

	if (!t)
		return -ESRCH;
	size_t size = sizeof(struct robust_list_head);
	if (copy_to_user(head, &t->robust_list, sizeof(*head)) ||
	    copy_to_user(len, &size, sizeof(size)))
		return -EFAULT;
	return 0;
}

/* ------------------------------------------------------------- syscall */

static long sys_futex(int *addr, long op, long val, const struct timespec *ts, int *addr2,
		      long val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	int realtime = op & FUTEX_CLOCK_REALTIME;
	uint64_t deadline;
	struct timespec kts;
	int r;

	if ((uintptr_t)addr & 3)
		return -EINVAL;
	/* The words are checked before any futex lock is taken (the
	 * operations below read and swap them under spinlocks). */
	if (user_check_write(addr, sizeof(*addr)))
		return -EFAULT;
	if ((cmd == FUTEX_REQUEUE || cmd == FUTEX_CMP_REQUEUE) &&
	    user_check_write(addr2, sizeof(*addr2)))
		return -EFAULT;
	if (ts && (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI)) {
		if (copy_from_user(&kts, ts, sizeof(kts)))
			return -EFAULT;
		ts = &kts;
	}
	switch (cmd) {
	case FUTEX_WAIT:
		if ((r = rel_deadline(ts, &deadline)))
			return r;
		return futex_wait(addr, (int)val, deadline, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		if ((r = abs_deadline(ts, realtime, &deadline)))
			return r;
		return futex_wait(addr, (int)val, deadline, (uint32_t)val3);
	case FUTEX_WAKE:
		return futex_wake(addr, val > INT_MAX ? INT_MAX : (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(addr, (int)val, (uint32_t)val3);
	case FUTEX_REQUEUE:
		return futex_requeue(addr, (int)val, (int)(long)ts, addr2, NULL);
	case FUTEX_CMP_REQUEUE: {
		int cmp = (int)val3;
		return futex_requeue(addr, (int)val, (int)(long)ts, addr2, &cmp);
	}
	case FUTEX_LOCK_PI:
		if ((r = abs_deadline(ts, 1, &deadline)))
			return r;
		return futex_lock_pi(addr, deadline, 0);
	case FUTEX_TRYLOCK_PI:
		return futex_lock_pi(addr, 0, 1);
	case FUTEX_UNLOCK_PI:
		return futex_unlock_pi(addr);
	default:
		return -ENOSYS;
	}
}

SYSCALL(futex, sys_futex);
SYSCALL(set_robust_list, sys_set_robust_list);
SYSCALL(get_robust_list, sys_get_robust_list);
