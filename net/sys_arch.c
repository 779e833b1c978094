/* lwIP's operating-system layer (lwip/sys.h) on the C library's threads:
 * semaphores are sem_t, mutexes pthread mutexes (with priority
 * inheritance: the core lock is taken by threads of every priority), a
 * mailbox a ring of pointers under a mutex with two condition variables on
 * the monotonic clock. Every wait is an ordinary futex wait, so a thread
 * blocked in the stack can be killed like any other.
 *
 * Memory the stack keeps (mailboxes, transmit data) comes from the kernel
 * heap: a thread that calls send() and then crashes must not take with it
 * the segments still queued on its connection. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <kernel/log.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/thread.h>
#include <plat/percpu.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <platform.h>

#include "lwip/sys.h"
#include "lwip/tcpip.h"

struct net_mbox {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	unsigned head, count, size;
	void *slot[];
};

void *net_mem_alloc(size_t size)
{
	return mm_heap_alloc(mm_kernel_heap(), size);
}

void *net_mem_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = net_mem_alloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void net_mem_free(void *p)
{
	mm_free(p);
}

uint32_t net_random32(void)
{
	/* xorshift seeded from the clock: ports and initial sequence numbers
	 * need to differ between boots, not to resist an attacker. */
	static uint64_t state;
	uint64_t x = __atomic_load_n(&state, __ATOMIC_RELAXED);

	if (!x)
		x = plat_time_ns() * 0x9e3779b97f4a7c15ull | 1;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	__atomic_store_n(&state, x, __ATOMIC_RELAXED);
	return (uint32_t)(x >> 16);
}

void net_diag(const char *fmt, ...)
{
	char line[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_debug("lwip: %s", line);
}

void net_assert_failed(const char *msg, const char *file, int line)
{
	panic("lwip: assertion \"%s\" failed at %s:%d", msg, file, line);
}

#ifdef CONFIG_NET_CHECK_LOCKING
/* sys_mutex_lock() records the holder; before tcpip_init() makes the
 * lock, there are no other threads. */
void net_assert_core_locked(void)
{
	if (!lock_tcpip_core.valid)
		return;
	int owner = __atomic_load_n(&lock_tcpip_core.owner, __ATOMIC_RELAXED);
	if (owner != thread_self())
		panic("lwip: core entered without the core lock (held by %d)", owner);
}
#endif

void sys_init(void)
{
}

u32_t sys_now(void)
{
	return (u32_t)(plat_time_ns() / 1000000);
}

/* ---- light-weight protection: short sections (pool lists, reference
 * counts) that may nest. A spinlock with interrupts off, re-entered by the
 * CPU that holds it. */

static spinlock_t prot_lock = SPINLOCK_INIT;
static void *prot_owner; /* struct cpu of the holder */
static unsigned prot_depth;

sys_prot_t sys_arch_protect(void)
{
	unsigned long flags = irq_save();
	void *me = percpu_get(); /* this CPU */

	if (__atomic_load_n(&prot_owner, __ATOMIC_RELAXED) == me) {
		prot_depth++;
		return flags;
	}
	spin_lock(&prot_lock);
	prot_owner = me;
	return flags;
}

void sys_arch_unprotect(sys_prot_t flags)
{
	if (prot_depth) {
		prot_depth--;
	} else {
		__atomic_store_n(&prot_owner, NULL, __ATOMIC_RELAXED);
		spin_unlock(&prot_lock);
	}
	irq_restore(flags);
}

/* ---- semaphores */

err_t sys_sem_new(sys_sem_t *s, u8_t count)
{
	if (sem_init(&s->sem, 0, count))
		return ERR_MEM;
	s->valid = 1;
	return ERR_OK;
}

void sys_sem_free(sys_sem_t *s)
{
	sem_destroy(&s->sem);
	s->valid = 0;
}

void sys_sem_signal(sys_sem_t *s)
{
	sem_post(&s->sem);
}

static void deadline_after(struct timespec *ts, clockid_t clock, u32_t ms)
{
	clock_gettime(clock, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

/* @retval milliseconds waited; SYS_ARCH_TIMEOUT */
u32_t sys_arch_sem_wait(sys_sem_t *s, u32_t timeout_ms)
{
	u32_t start = sys_now();

	if (!timeout_ms) {
		while (sem_wait(&s->sem))
			;
		return sys_now() - start;
	}
	/* sem_timedwait() counts on CLOCK_REALTIME. */
	struct timespec deadline;
	deadline_after(&deadline, CLOCK_REALTIME, timeout_ms);
	while (sem_timedwait(&s->sem, &deadline))
		if (errno == ETIMEDOUT)
			return SYS_ARCH_TIMEOUT;
	return sys_now() - start;
}

/* ---- mutexes */

err_t sys_mutex_new(sys_mutex_t *m)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	/* Robust: a thread that crashes inside the stack (its receive
	 * thread, say) must not leave the core lock held for ever. */
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	int r = pthread_mutex_init(&m->mutex, &a);
	pthread_mutexattr_destroy(&a);
	if (r)
		return ERR_MEM;
	m->valid = 1;
	return ERR_OK;
}

void sys_mutex_lock(sys_mutex_t *m)
{
	if (pthread_mutex_lock(&m->mutex) == EOWNERDEAD) {
		/* Its owner crashed (the fault is on record): what it was
		 * changing may be half done, but a stack that goes on is
		 * worth more than one stopped for ever. */
		log_warn("lwip: a thread died holding a stack lock; going on");
		pthread_mutex_consistent(&m->mutex);
	}
	m->owner = thread_self();
}

void sys_mutex_unlock(sys_mutex_t *m)
{
	m->owner = 0;
	pthread_mutex_unlock(&m->mutex);
}

void sys_mutex_free(sys_mutex_t *m)
{
	pthread_mutex_destroy(&m->mutex);
	m->valid = 0;
}

/* ---- mailboxes */

err_t sys_mbox_new(sys_mbox_t *mb, int size)
{
	pthread_condattr_t ca;
	struct net_mbox *m;

	if (size <= 0)
		size = 64;
	m = net_mem_calloc(1, sizeof(*m) + sizeof(void *) * (size_t)size);
	if (!m)
		return ERR_MEM;
	m->size = (unsigned)size;
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->not_empty, &ca);
	pthread_cond_init(&m->not_full, &ca);
	pthread_condattr_destroy(&ca);
	*mb = m;
	return ERR_OK;
}

void sys_mbox_free(sys_mbox_t *mb)
{
	struct net_mbox *m = *mb;

	if (!m)
		return;
	if (m->count)
		log_warn("lwip: mailbox freed with %u messages", m->count);
	pthread_cond_destroy(&m->not_empty);
	pthread_cond_destroy(&m->not_full);
	pthread_mutex_destroy(&m->lock);
	net_mem_free(m);
	*mb = NULL;
}

static void put_locked(struct net_mbox *m, void *msg)
{
	m->slot[(m->head + m->count) % m->size] = msg;
	m->count++;
	/* A signal per message, not only on empty -> non-empty: several
	 * threads may wait (workers in accept() on one listener), and
	 * messages posted before the first woken one runs must wake the
	 * others too. Without waiters this is a load and a branch. */
	pthread_cond_signal(&m->not_empty);
}

void sys_mbox_post(sys_mbox_t *mb, void *msg)
{
	struct net_mbox *m = *mb;

	pthread_mutex_lock(&m->lock);
	while (m->count == m->size)
		pthread_cond_wait(&m->not_full, &m->lock);
	put_locked(m, msg);
	pthread_mutex_unlock(&m->lock);
}

err_t sys_mbox_trypost(sys_mbox_t *mb, void *msg)
{
	struct net_mbox *m = *mb;
	err_t r = ERR_MEM;

	pthread_mutex_lock(&m->lock);
	if (m->count < m->size) {
		put_locked(m, msg);
		r = ERR_OK;
	}
	pthread_mutex_unlock(&m->lock);
	return r;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mb, void *msg)
{
	/* Nothing posts from an interrupt handler: drivers wake a thread. */
	return sys_mbox_trypost(mb, msg);
}

static void *take_locked(struct net_mbox *m)
{
	void *msg = m->slot[m->head];

	m->head = (m->head + 1) % m->size;
	m->count--;
	pthread_cond_signal(&m->not_full); /* as in put_locked() */
	return msg;
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mb, void **msg, u32_t timeout_ms)
{
	struct net_mbox *m = *mb;
	u32_t start = sys_now();
	struct timespec deadline;

	if (timeout_ms)
		deadline_after(&deadline, CLOCK_MONOTONIC, timeout_ms);
	pthread_mutex_lock(&m->lock);
	while (!m->count) {
		int r = timeout_ms ? pthread_cond_timedwait(&m->not_empty, &m->lock, &deadline)
				   : pthread_cond_wait(&m->not_empty, &m->lock);
		if (r == ETIMEDOUT && !m->count) {
			pthread_mutex_unlock(&m->lock);
			return SYS_ARCH_TIMEOUT;
		}
	}
	void *got = take_locked(m);
	pthread_mutex_unlock(&m->lock);
	if (msg)
		*msg = got;
	return sys_now() - start;
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mb, void **msg)
{
	struct net_mbox *m = *mb;
	u32_t r = SYS_MBOX_EMPTY;

	pthread_mutex_lock(&m->lock);
	if (m->count) {
		void *got = take_locked(m);
		if (msg)
			*msg = got;
		r = 0;
	}
	pthread_mutex_unlock(&m->lock);
	return r;
}

/* ---- threads: protected from `kill` (the stack's own state lives in
 * them) and restarted if they crash. */

struct thread_start {
	lwip_thread_fn fn;
	void *arg;
};

static void *thread_entry(void *p)
{
	struct thread_start s = *(struct thread_start *)p;

	net_mem_free(p);
	s.fn(s.arg);
	return NULL;
}

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg, int stacksize, int prio)
{
	struct thread_start *s = net_mem_alloc(sizeof(*s));
	if (!s)
		panic("lwip: no memory for thread %s", name);
	s->fn = fn;
	s->arg = arg;
	struct thread_attr attr = {
	    .name = name,
	    .priority = prio,
	    .stack_size = stacksize > 0 ? (size_t)stacksize : 0,
	    .detached = 1,
	    .flags = THREAD_F_PROTECTED | THREAD_F_KERNEL,
	};
	int tid = thread_spawn(&attr, thread_entry, s);
	if (tid < 0)
		panic("lwip: cannot start thread %s (%d)", name, tid);
	return tid;
}
