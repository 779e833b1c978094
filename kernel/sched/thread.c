/*
 * Thread records: creation (the C library's __clone, under both
 * pthread_create() and thread_spawn()), exit, reaping, and lookup by id.
 *
 * A thread's record outlives it until its C-library side is gone too: a
 * joinable thread's until it is joined, a detached one's until it has
 * switched off its stack. Each thread has its own heap (mm_current_heap()
 * returns it), so what it allocated is known when it ends.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <string.h>
#include <musl_offsets.h>
#include <kernel/fault.h>
#include <kernel/zone.h>
#include <kernel/zone_gate.h>
#include <kernel/file.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <platform.h>

extern size_t __pthread_tsd_size; /* the C library's: 0 without pthread_key_create */

#define HASH_SIZE 64
#define BACKOFF_MAX_MS 1000

static spinlock_t threads_lock = SPINLOCK_INIT;
static struct thread *hash[HASH_SIZE];
static struct thread *all_head;
static int next_tid = 1;
static unsigned nthreads;

extern char __libc[]; /* the C library's global state, seen through offsets */

/* musl's struct pthread, seen through the offsets its build computed. */
static inline int musl_detach_state(const struct thread *t)
{
	return __atomic_load_n((int *)((char *)t->tls + MUSL_PTHREAD_DETACH_STATE),
			       __ATOMIC_ACQUIRE);
}

struct mm_heap *mm_current_heap(void)
{
	struct cpu *c = this_cpu();

	if (!c || c->in_irq || !c->current)
		return mm_kernel_heap();
	return &c->current->heap;
}

/* Caller holds threads_lock (or accepts a racy answer). */
struct thread *thread_lookup(int tid)
{
	for (struct thread *t = hash[tid % HASH_SIZE]; t; t = t->hash_next)
		if (t->tid == tid)
			return t;
	return NULL;
}

struct thread *thread_alloc(const char *name, int prio, uint64_t affinity)
{
	struct thread *t = mm_heap_memalign(mm_kernel_heap(), 64, sizeof(*t));

	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	strncpy(t->name, name ? name : "thread", THREAD_NAME_MAX - 1);
	t->prio = t->base_prio = prio;
	t->affinity = affinity ? affinity : THREAD_CPU_ANY;
	t->state = THREAD_READY;
	return t;
}

void thread_register(struct thread *t)
{
	unsigned long flags = spin_lock_irqsave(&threads_lock);

	do {
		t->tid = next_tid++;
		if (next_tid <= 0)
			next_tid = 2;
	} while (thread_lookup(t->tid) && t->tid != 1);
	t->hash_next = hash[t->tid % HASH_SIZE];
	hash[t->tid % HASH_SIZE] = t;
	t->all_next = all_head;
	t->all_prev = NULL;
	if (all_head)
		all_head->all_prev = t;
	all_head = t;
	nthreads++;
	spin_unlock_irqrestore(&threads_lock, flags);
	mm_heap_init(&t->heap, t->tid);
}

/* threads_lock held. */
static void thread_unregister_locked(struct thread *t)
{
	struct thread **pp = &hash[t->tid % HASH_SIZE];

	while (*pp && *pp != t)
		pp = &(*pp)->hash_next;
	if (*pp)
		*pp = t->hash_next;
	if (t->all_prev)
		t->all_prev->all_next = t->all_next;
	else
		all_head = t->all_next;
	if (t->all_next)
		t->all_next->all_prev = t->all_prev;
	nthreads--;
}

/* The memory of an unregistered, finished thread goes back: its kernel
 * stack, the region __unmapself() named, the record. */
static void thread_free(struct thread *t)
{
	if (t->unmap_base)
		sys_munmap_region(t->unmap_base, t->unmap_size, 0);
	if (t->stack)
		sched_stack_free(t->stack, t->stack_size);
	mm_free(t);
}

/* Unregister and free @t if it is still registered and has finished
 * exiting; exactly one caller wins. */
static void thread_reap_if_done(int tid, struct thread *t)
{
	unsigned long flags = spin_lock_irqsave(&threads_lock);
	int reap = thread_lookup(tid) == t && t->exit_done;

	if (reap)
		thread_unregister_locked(t);
	spin_unlock_irqrestore(&threads_lock, flags);
	if (reap)
		thread_free(t);
}

void *thread_init_boot(size_t stack_size)
{
	struct thread *t = thread_alloc("main", THREAD_PRIO_DEFAULT, THREAD_CPU_ANY);
	size_t size = ALIGN_UP(stack_size, MM_PAGE_SIZE);

	BUG_ON(!t);
	thread_register(t); /* tid 1, as the C library's main thread expects */
	sched_boot_thread_ready(t);
	void *stack = sched_stack_alloc(size);
	if (!stack)
		return NULL;
	t->stack = stack;
	t->stack_size = size;
	return (char *)stack + size;
}

/* ------------------------------------------------------------ creation */

/* What pthread_create() hands __clone() (lib/musl/patches): the start
 * routine, its argument, the attributes (NULL for a C11 thread). */
struct musl_start_args {
	void *(*fn)(void *);
	void *arg;
	const pthread_attr_t *attr;
};

/* A pthread_create() thread keeps how to start it again after a crash, and
 * the restart policy its attributes carry (pthread_attr_setrestart_np). */
static void note_pthread_start(struct thread *t, const struct musl_start_args *sa)
{
	int max = 0;
	unsigned window = 0, backoff = 0;

	t->user_fn = sa->fn;
	t->user_arg = sa->arg;
	t->flags |= THREAD_F_PTHREAD | (sa->attr ? 0 : THREAD_F_C11);
	if (sa->attr)
		pthread_attr_getrestart_np(sa->attr, &max, &window, &backoff);
	t->attr.restart_max = max ? max : THREAD_RESTART_DEFAULT;
	t->attr.restart_window_ms = window;
	t->attr.restart_backoff_ms = backoff;
	t->restart_window_start_ns = plat_time_ns();
}

/* Zones: the zone a new thread runs in (its attributes', else its
 * creator's; the kernel's threads the kernel's). */
static int new_thread_zone(struct thread *self, const struct thread_attr *a,
			   const struct musl_start_args *sa)
{
	int asked = 0;

	if (!IS_ENABLED(CONFIG_ZONE))
		return 0;
	if (a)
		asked = a->zone;
	else if (sa && sa->attr)
		pthread_attr_getzone_np(sa->attr, &asked);
	return zone_for_new_thread(self, asked, a && (a->flags & THREAD_F_KERNEL));
}

/* Zones: a thread's stack is its zone's, but the pages at its top that
 * hold its thread block (the C library's struct pthread, TLS, thread-
 * specific values, and the start arguments below them) are the shared
 * zone's, since the C library's threads write each other's blocks (the
 * thread list, joins). The thread's own frames start below those pages.
 * Only stacks known to be whole pages are re-keyed: thread_spawn()'s and
 * those the C library mapped (a closed guard page below). @stack is where
 * its frames would start; returns where they do. */
static void *thread_stack_zones(struct thread *t, void *stack)
{
	if (!zone_on || !t->tls)
		return stack;
	char *tp = t->tls;
	uintptr_t lo = ALIGN_DOWN((uintptr_t)stack, MM_PAGE_SIZE);
	uintptr_t hi =
	    ALIGN_UP((uintptr_t)tp + MUSL_PTHREAD_SIZE + __pthread_tsd_size, MM_PAGE_SIZE);
	uintptr_t bottom = (uintptr_t) * (char **)(tp + MUSL_PTHREAD_STACK) -
			   *(size_t *)(tp + MUSL_PTHREAD_STACK_SIZE);
	bool whole = t->stack ? bottom == (uintptr_t)t->stack
			      : bottom % MM_PAGE_SIZE == 0 && mem_is_closed(bottom - 1);
	if (!whole || bottom >= lo || hi - bottom > (64u << 20)) {
		log_warn("zone: thread %d's stack is not its own pages: left as it is", t->tid);
		return stack;
	}
	zone_tag((void *)bottom, lo - bottom, t->zone);
	zone_tag((void *)lo, hi - lo, ZONE_SHARED);
	return (void *)lo;
}

/*
 * The C library's thread creation (pthread_create): run fn(arg) on @stack
 * with thread pointer @tls. The attributes of a thread_spawn() in progress
 * in the calling thread apply; otherwise the new thread inherits the
 * caller's priority and affinity, as POSIX's default does.
 */
int __clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	KERNEL_ENTRY();
	struct thread *self = current_thread();
	const struct thread_attr *a = self->spawn_attr;
	va_list ap;

	va_start(ap, arg);
	int *ptid = va_arg(ap, int *);
	void *tls = va_arg(ap, void *);
	int *ctid = va_arg(ap, int *);
	va_end(ap);

	struct thread *t = a ? thread_alloc(a->name, a->priority, a->affinity)
			     : thread_alloc("thread", self->base_prio, self->affinity);
	if (!t)
		return -EAGAIN;
	if (a) {
		t->flags = a->flags;
		t->attr = *a;
		t->attr.name = NULL;
		t->user_fn = self->spawn_fn;
		t->user_arg = self->spawn_arg;
		t->stack = self->spawn_stack;
		t->stack_size = self->spawn_stack_size;
		t->restarts = self->spawn_restarts;
		t->restart_window_start_ns = self->spawn_window_start_ns;
		t->restart_window_base = self->spawn_window_base;
	} else if ((flags & CLONE_THREAD) && arg)
		note_pthread_start(t, arg);
	if (flags & CLONE_SETTLS)
		t->tls = (char *)tls - MUSL_TP_ADJ; /* the thread block (TLS variant I: below tp) */
	if (t->tls && musl_detach_state(t) == MUSL_DT_DETACHED)
		t->flags |= THREAD_F_DETACHED; /* pthread_attr_setdetachstate() */
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_tid = ctid;
	t->start_fn = (void *(*)(void *))(void *)fn;
	t->start_arg = arg;
	t->cpu = a && a->affinity ? (unsigned)__builtin_ctzll(a->affinity) : self->cpu;
	zone_thread_set(t, new_thread_zone(self, a, (flags & CLONE_THREAD) ? arg : NULL));
	t->sp = sched_thread_context(t, thread_stack_zones(t, stack));
	thread_register(t);
	zone_thread_set(t, t->zone); /* its heap, registered above */
	if (flags & CLONE_PARENT_SETTID)
		*ptid = t->tid;
	self->spawn_tid = t->tid;
	if (t->flags & THREAD_F_IDLE) {
		sched_cpus[t->cpu]->idle = t;
		t->prio = t->base_prio = THREAD_PRIO_IDLE;
	} else {
		sched_start_thread(t);
		sched_preempt_point();
	}
	return t->tid;
}

static int spawn(const struct thread_attr *attr, void *(*fn)(void *), void *arg, unsigned restarts,
		 uint64_t window_start_ns, unsigned window_base)
{
	struct thread *self = current_thread();
	size_t size =
	    ALIGN_UP(attr->stack_size ? attr->stack_size : THREAD_STACK_DEFAULT, MM_PAGE_SIZE);
	pthread_attr_t pa;
	pthread_t pt;

	void *stack = sched_stack_alloc(size);
	if (!stack)
		return -EAGAIN;
	pthread_attr_init(&pa);
	pthread_attr_setstack(&pa, stack, size);
	if (attr->detached)
		pthread_attr_setdetachstate(&pa, PTHREAD_CREATE_DETACHED);
	self->spawn_attr = attr;
	self->spawn_tid = 0;
	self->spawn_fn = fn;
	self->spawn_arg = arg;
	self->spawn_stack = stack;
	self->spawn_stack_size = size;
	self->spawn_restarts = restarts;
	self->spawn_window_base = window_base;
	self->spawn_window_start_ns = window_start_ns ? window_start_ns : plat_time_ns();
	/* The new thread owns the stack from its first instruction (__clone):
	 * it may run, crash and be freed before pthread_create() returns. */
	int r = pthread_create(&pt, &pa, fn, arg);
	self->spawn_attr = NULL;
	if (r) {
		sched_stack_free(stack, size);
		return -r;
	}
	return self->spawn_tid;
}

int thread_spawn(const struct thread_attr *attr, void *(*fn)(void *), void *arg)
{
	KERNEL_ENTRY();
	struct thread_attr a = attr ? *attr : (struct thread_attr){0};

	if (!a.priority)
		a.priority = THREAD_PRIO_DEFAULT;
	if (a.priority < THREAD_PRIO_MIN || a.priority > THREAD_PRIO_MAX)
		return -EINVAL;
	if (a.affinity && !(a.affinity & sched_online_mask()))
		return -EINVAL;
	/* The kernel's own threads are only the kernel's to make. */
	a.flags &= THREAD_F_PROTECTED | (KERNEL_CALLER_IS_KERNEL() ? THREAD_F_KERNEL : 0);
	if (a.detached)
		a.flags |= THREAD_F_DETACHED;
	if (!a.restart_max)
		a.restart_max = THREAD_RESTART_DEFAULT;
	return spawn(&a, fn, arg, 0, 0, 0);
}

int thread_spawn_idle(unsigned cpu, int (*fn)(void *))
{
	char name[THREAD_NAME_MAX] = "idle";
	struct thread_attr a = {
	    .name = name,
	    .priority = THREAD_PRIO_MIN,
	    .stack_size = 16384,
	    .affinity = 1ull << cpu,
	    .detached = 1,
	    .flags = THREAD_F_IDLE | THREAD_F_PROTECTED | THREAD_F_DETACHED | THREAD_F_KERNEL,
	};

	if (cpu)
		name[4] = '0' + cpu % 10, name[5] = 0;
	return spawn(&a, (void *(*)(void *))(void *)fn, NULL, 0, 0, 0);
}

/* ---------------------------------------------------------------- exit */

/* SYS_exit: the C library's thread exit has run; only the kernel side is
 * left. */
__attribute__((noreturn)) void thread_exit_kernel(void)
{
	struct thread *t = current_thread();

	futex_exit_release(t);
	irq_disable();
	sched_exit_current();
}

/* musl's __unmapself: free the calling detached thread's memory (which
 * holds its stack) and exit. The freeing waits until it is off that stack. */
__attribute__((noreturn)) void __unmapself(void *base, size_t size)
{
	KERNEL_ENTRY();
	struct thread *t = current_thread();

	t->unmap_base = base;
	t->unmap_size = size;
	thread_exit_kernel();
}

void thread_finish_exit(struct thread *t)
{
	int *ctid = t->clear_tid;

	/* A crashed thread's blocks are all taken back; an ordinary exit
	 * hands those still in use to the kernel heap. */
	if (t->crashed)
		mm_heap_release_all(&t->heap);
	else
		mm_heap_abandon(&t->heap);
	/* Detached: nobody will join, so the record goes now. The decision
	 * and the unregistering are one step under the lock, against a
	 * thread_detach() racing with this exit. */
	unsigned long flags = spin_lock_irqsave(&threads_lock);
	t->exit_done = 1;
	int reap = t->unmap_base || (t->flags & THREAD_F_DETACHED);
	if (reap)
		thread_unregister_locked(t);
	spin_unlock_irqrestore(&threads_lock, flags);
	if (reap)
		thread_free(t);
	/* Last: a joiner waits for this word and then frees the thread's
	 * memory, record included. */
	if (ctid) {
		__atomic_store_n(ctid, 0, __ATOMIC_RELEASE);
		futex_wake_addr(ctid, 1);
	}
}

/* A thread region goes back to the heap (a joiner's munmap): the records
 * of exited threads whose thread block lived there go with it. */
void thread_region_unmapped(void *addr, size_t len)
{
	struct thread *dead[8];
	unsigned n = 0;
	unsigned long flags = spin_lock_irqsave(&threads_lock);

	for (struct thread *t = all_head, *next; t && n < 8; t = next) {
		next = t->all_next;
		if (t->exit_done && (char *)t->tls >= (char *)addr &&
		    (char *)t->tls < (char *)addr + len) {
			thread_unregister_locked(t);
			dead[n++] = t;
		}
	}
	spin_unlock_irqrestore(&threads_lock, flags);
	while (n)
		thread_free(dead[--n]);
}

/* Whether [addr, addr + len) holds the thread block of a thread that has
 * exited: the C library's stack mapping, which its joiner unmaps. */
bool thread_region_exited(void *addr, size_t len)
{
	bool hit = false;
	unsigned long flags = spin_lock_irqsave(&threads_lock);

	for (struct thread *t = all_head; t && !hit; t = t->all_next)
		hit = t->exit_done && (char *)t->tls >= (char *)addr &&
		      (char *)t->tls < (char *)addr + len;
	spin_unlock_irqrestore(&threads_lock, flags);
	return hit;
}

/* ---------------------------------------------------------------- join */

/* Thread @tid for a join or detach: its record and thread pointer.
 * @retval 0; -ESRCH none; -EINVAL detached or idle */
static int joinable(int tid, struct thread **tp, void **ptp)
{
	unsigned long flags = spin_lock_irqsave(&threads_lock);
	struct thread *t = thread_lookup(tid);
	unsigned tflags = t ? t->flags : 0;

	*tp = t;
	*ptp = t ? t->tls : NULL;
	spin_unlock_irqrestore(&threads_lock, flags);
	if (!t)
		return -ESRCH;
	return tflags & (THREAD_F_DETACHED | THREAD_F_IDLE) ? -EINVAL : 0;
}

int thread_join(int tid, void **value)
{
	KERNEL_ENTRY();
	struct thread *t;
	void *pt;
	int e = joinable(tid, &t, &pt);

	if (e == -ESRCH)
		return e;
	if (t == current_thread())
		return -EDEADLK;
	if (e)
		return e;
	int r = pthread_join((pthread_t)pt, value);
	if (r)
		return -r;
	/* pthread_join() returned after the thread's last switch (its tid
	 * word is cleared last thing). A pthread_create() thread's record
	 * went with its memory; any other's goes now. */
	thread_reap_if_done(tid, t);
	return 0;
}

int thread_detach(int tid)
{
	KERNEL_ENTRY();
	struct thread *t;
	void *pt;
	int e = joinable(tid, &t, &pt);

	if (e)
		return e;
	/* If it had already ended, this joins it. */
	int r = pthread_detach((pthread_t)pt);
	if (r)
		return -r;
	unsigned long flags = spin_lock_irqsave(&threads_lock);
	int reap = thread_lookup(tid) == t;
	if (reap) {
		t->flags |= THREAD_F_DETACHED;
		reap = t->exit_done; /* else its exit sees the flag */
		if (reap)
			thread_unregister_locked(t);
	}
	spin_unlock_irqrestore(&threads_lock, flags);
	if (reap)
		thread_free(t);
	return 0;
}

__attribute__((noreturn)) void thread_exit(void *value)
{
	KERNEL_ENTRY();
	pthread_exit(value);
}

/* A killed thread ends here, on its own stack, interrupts on. */
__attribute__((noreturn)) void thread_die_killed(void)
{
	struct thread *t = current_thread();

	t->kill_pending = 0;
	irq_enable();
	log_debug("thread %d (%s) killed", t->tid, t->name);
	thread_release_held(t); /* its mutexes go at its exit (futex_exit_release) */
	pthread_exit((void *)-1l);
}

int thread_snapshot(struct thread_info *out, int max)
{
	KERNEL_ENTRY();
	int n = 0;
	unsigned long flags = spin_lock_irqsave(&threads_lock);

	for (struct thread *t = all_head; t && n < max; t = t->all_next) {
		/* Insert in tid order (the list is newest first). */
		int i = n++;
		while (i > 0 && out[i - 1].tid > t->tid) {
			out[i] = out[i - 1];
			i--;
		}
		thread_fill_info(t, &out[i]);
	}
	spin_unlock_irqrestore(&threads_lock, flags);
	return n;
}

/* After a crash: start the thread again as its policy says (the crashed
 * one then ends, or, made by pthread_create(), goes on in place).
 * @retval 2 to be restarted in place (thread_restart_in_place); 1 started
 * (*new_tid set); 0 the policy says no (or nothing to start); -1 the limit
 * is reached */
int fault_thread_start_replacement(struct thread *t, int *new_tid)
{
	struct thread_attr a = t->attr;
	uint64_t now = plat_time_ns(), window_start = t->restart_window_start_ns;
	unsigned base = t->restart_window_base;

	if (!t->user_fn || a.restart_max == THREAD_RESTART_NEVER)
		return 0;
	if (a.restart_window_ms && now - window_start > a.restart_window_ms * 1000000ull) {
		window_start = now; /* a new window: count from here */
		base = t->restarts;
	}
	unsigned restarts = t->restarts - base;
	if (a.restart_max != THREAD_RESTART_ALWAYS && restarts >= (unsigned)a.restart_max)
		return -1;
	if (a.restart_backoff_ms) {
		uint64_t ms = (uint64_t)a.restart_backoff_ms << (restarts < 10 ? restarts : 10);
		thread_sleep_ms(ms < BACKOFF_MAX_MS ? ms : BACKOFF_MAX_MS);
	}
	if (t->flags & THREAD_F_PTHREAD) {
		t->restart_window_start_ns = window_start;
		t->restart_window_base = base;
		return 2;
	}
	a.name = t->name;
	int tid = spawn(&a, t->user_fn, t->user_arg, t->restarts + 1, window_start, base);
	if (tid < 0)
		return 0;
	*new_tid = tid;
	return 1;
}

/* The thread block as a new thread has it: the TLS image copied afresh
 * (.tdata) and zeroed (.tbss), no cleanup handlers (their frames are gone),
 * no thread-specific values or locale or dlerror buffer (they pointed into
 * the released heap), cancellation enabled. */
static void reset_thread_block(struct thread *t)
{
	char *tp = t->tls;

	for (char *m = *(char **)(__libc + MUSL_LIBC_TLS_HEAD); m; m = *(char **)m) {
		char *image = *(char **)(m + MUSL_TLS_MODULE_IMAGE);
		size_t len = *(size_t *)(m + MUSL_TLS_MODULE_LEN);
		size_t size = *(size_t *)(m + MUSL_TLS_MODULE_SIZE);
		size_t off = *(size_t *)(m + MUSL_TLS_MODULE_OFFSET);
		/* Variant II (x86_64): blocks below the thread block; variant I
		 * (aarch64): above it, after struct pthread. */
		char *block = MUSL_TLS_ABOVE_TP ? tp + MUSL_PTHREAD_SIZE + off : tp - off;
		memcpy(block, image, len);
		memset(block + len, 0, size - len);
	}
	*(void **)(tp + MUSL_PTHREAD_CANCELBUF) = NULL;
	*(unsigned char *)(tp + MUSL_PTHREAD_CANCELDISABLE) = 0;
	*(unsigned char *)(tp + MUSL_PTHREAD_CANCELASYNC) = 0;
	*(int *)(tp + MUSL_PTHREAD_CANCEL) = 0;
	*(int *)(tp + MUSL_PTHREAD_ERRNO_VAL) = 0;
	*(void **)(tp + MUSL_PTHREAD_LOCALE) = __libc + MUSL_LIBC_GLOBAL_LOCALE;
	*(void **)(tp + MUSL_PTHREAD_DLERROR_BUF) = NULL;
	void **tsd = *(void ***)(tp + MUSL_PTHREAD_TSD);
	if (tsd && __pthread_tsd_size)
		memset(tsd, 0, __pthread_tsd_size);
}

/* A crashed pthread_create() thread starts its routine again, as the same
 * thread (tid and pthread_t): its joiner waits for the last life. What it
 * held was released by the crash exit; its heap goes back now, and what it
 * allocates from here on is the new life's. Runs on the crash exit's stack,
 * near the top of the thread's stack. */
__attribute__((noreturn)) void thread_restart_in_place(struct thread *t)
{
	mm_heap_release_all(&t->heap);
	mm_heap_init(&t->heap, t->tid);
	zone_thread_set(t, t->zone);
	reset_thread_block(t);
	t->restarts++;
	t->fault_rec = NULL;
	t->crashed = 0;
	t->crashing = 0;
	void *ret;
	zone_enter_app();
	if (t->flags & THREAD_F_C11)
		ret = (void *)(uintptr_t)((int (*)(void *))(void *)t->user_fn)(t->user_arg);
	else
		ret = t->user_fn(t->user_arg);
	pthread_exit(ret);
}

void thread_fault_report(uintptr_t fault_addr)
{
	struct cpu *c = this_cpu();
	struct thread *t = c ? c->current : NULL;

	if (!t)
		return;
	kprintf("  thread %d (%s) on CPU %u\n", t->tid, t->name, c->id);
	if (t->stack && fault_addr >= (uintptr_t)t->stack - MM_PAGE_SIZE &&
	    fault_addr < (uintptr_t)t->stack)
		kprintf("  stack overflow: 0x%lx is in the guard page below its %zu-byte stack\n",
			(unsigned long)fault_addr, t->stack_size);
	else if (mem_is_closed(fault_addr))
		kprintf(
		    "  0x%lx is in a guard page (a C library thread stack's, if it overflowed)\n",
		    (unsigned long)fault_addr);
}

int thread_self(void)
{
	struct thread *t = current_thread();

	return t ? t->tid : 1;
}
