/*
 * Fault recovery (include/kernel/fault.h). A thread that faults is
 * recorded into a ring of the last FAULT_LOG_SIZE faults and printed, then
 * made to continue in fault_thread_exit() on a clean stack, where it gives
 * back what it holds and ends like any thread (pthread_exit), after its
 * replacement was started by the restart policy.
 *
 * What a crashed thread held goes back as follows: its heap (every block
 * it allocated) at its last switch (mm_heap_release_all instead of the
 * hand-over an ordinary exit does); files it opened; the C library's
 * stdio locks it held; robust and priority-inheritance mutexes (their
 * waiters see EOWNERDEAD); waits and timers (it is running, so it is in
 * none). Every mutex records its owner (lib/musl/patches), so all are
 * given back; FILEs it opened are dropped, their buffers with them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <musl_offsets.h>
#include <kernel/fault.h>
#include <kernel/zone_gate.h>
#include <kernel/file.h>
#include <kernel/ksyms.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <platform.h>

static struct fault_record ring[FAULT_LOG_SIZE];
static uint64_t nrecords;
static spinlock_t ring_lock = SPINLOCK_INIT;

extern char __libc[]; /* the C library's global state, seen through offsets */

/* Full console reports for the first faults and then every hundredth: a
 * thread crashing in a loop must not bury the console (each byte of it a
 * VM exit). The ring keeps every record. */
int fault_should_print(void)
{
	uint64_t n = fault_count();

	return n < 8 || n % 100 == 0;
}

uint64_t fault_count(void)
{
	return __atomic_load_n(&nrecords, __ATOMIC_RELAXED);
}

int fault_log_get(struct fault_record *out, int max)
{
	KERNEL_ENTRY();
	unsigned long flags = spin_lock_irqsave(&ring_lock);
	uint64_t n = nrecords < FAULT_LOG_SIZE ? nrecords : FAULT_LOG_SIZE;
	int k = 0;

	for (uint64_t i = nrecords - n; i < nrecords && k < max; i++)
		out[k++] = ring[i % FAULT_LOG_SIZE];
	spin_unlock_irqrestore(&ring_lock, flags);
	return k;
}

/* The main thread is the application itself: nobody would restart it,
 * so its crash stops the system, as a fault in the kernel does. */
static int recoverable(const struct cpu *c, int irqs_were_on)
{
	return c && c->current && !c->in_irq && irqs_were_on && c->current->tid != 1 &&
	       !(c->current->flags & THREAD_F_IDLE) && !c->current->crashing;
}

/* A fault in kernel code that holds a kernel lock (include/kernel/kmutex.h):
 * the state the lock guards may be half changed, so the thread cannot just
 * end; the caller panics after this line. */
static void kernel_lock_fault(const struct thread *t)
{
	kprintf("fault in kernel code: thread %d (%s) holds %u kernel lock%s; "
		"the system stops rather than run on state changed halfway\n",
		t->tid, t->name, t->klocks, t->klocks == 1 ? "" : "s");
}

/* The faulting pc, a return address not yet in a frame record (a leaf
 * function's), then the frame records from @fp. */
static int collect_backtrace(const struct fault_info *i, uintptr_t *out, int max)
{
	int n = 0;

	if (i->pc)
		out[n++] = i->pc;
	if (i->ret && n < max)
		out[n++] = i->ret;
	return n + arch_backtrace(i->fp, out + n, max - n);
}

/* Is @addr in the guard page below @t's stack? */
static int in_guard_of(const struct thread *t, uintptr_t addr)
{
	return t->stack && addr >= (uintptr_t)t->stack - MM_PAGE_SIZE && addr < (uintptr_t)t->stack;
}

int fault_in_stack_guard(uintptr_t addr)
{
	struct cpu *c = this_cpu();
	struct thread *t = c ? c->current : NULL;

	return t && in_guard_of(t, addr);
}

static const char *classify(const struct thread *t, const struct fault_info *i)
{
	int guard = in_guard_of(t, i->addr);

	if (guard || (i->class == ARCH_FAULT_STACK && mem_is_closed(i->addr)) ||
	    (i->class == ARCH_FAULT_PAGE && mem_is_closed(i->addr) && i->addr + 4096 > i->sp &&
	     i->addr < i->sp + 4096))
		return "stack overflow";
	if (i->class == ARCH_FAULT_PAGE && i->addr < 4096)
		return "null pointer";
	return i->kind;
}

static struct fault_record *record(struct cpu *c, const struct fault_info *i, const char *msg)
{
	struct thread *t = c->current;
	unsigned long flags = spin_lock_irqsave(&ring_lock);
	struct fault_record *r = &ring[nrecords % FAULT_LOG_SIZE];

	memset(r, 0, sizeof(*r));
	r->seq = ++nrecords;
	r->time_ns = plat_time_ns();
	r->tid = t->tid;
	memcpy(r->name, t->name, THREAD_NAME_MAX);
	r->cpu = c->id;
	snprintf(r->kind, sizeof(r->kind), "%s", classify(t, i));
	r->addr = i->addr;
	r->pc = i->pc;
	r->sp = i->sp;
	if (msg)
		snprintf(r->message, sizeof(r->message), "%s", msg);
	r->nframes = collect_backtrace(i, r->backtrace, FAULT_BACKTRACE_MAX);
	r->first_is_pc = i->pc != 0;
	r->restarts = t->restarts;
	snprintf(r->action, sizeof(r->action), "ending");
	spin_unlock_irqrestore(&ring_lock, flags);
	return r;
}

static void print_record(const struct fault_record *r)
{
	kprintf("fault #%llu: thread %d (%s) on CPU %u: %s", (unsigned long long)r->seq, r->tid,
		r->name, r->cpu, r->kind);
	if (r->message[0])
		kprintf(": %s", r->message);
	else
		kprintf(" at 0x%lx", (unsigned long)r->addr);
	kprintf("\nbacktrace:\n");
	for (int k = 0; k < r->nframes; k++) {
		uintptr_t off;
		/* A return address may be just past a call at the very end
		 * of a function that never returns: look up the call. */
		int ret = k || !r->first_is_pc;
		const char *name = ksyms_lookup(r->backtrace[k] - ret, &off);
		kprintf("  #%d 0x%016lx %s+0x%lx\n", k, (unsigned long)r->backtrace[k],
			name ? name : "?", name ? off + ret : 0);
	}
}

/* A clean stack for the exit path: just below the thread's TLS block
 * (the C library puts it at the top of the stack; the old frames are
 * dead). */
static uintptr_t exit_stack(struct thread *t)
{
	size_t tls_size = *(size_t *)(__libc + MUSL_LIBC_TLS_SIZE);
	uintptr_t sp = ((uintptr_t)t->tls - tls_size - 256) & ~15ul;
	if (t->stack &&
	    (sp < (uintptr_t)t->stack + 4096 || sp > (uintptr_t)t->stack + t->stack_size))
		sp = (uintptr_t)t->stack + t->stack_size / 2;
	return sp;
}

static void set_action(struct fault_record *r, const char *fmt, int arg)
{
	unsigned long flags = spin_lock_irqsave(&ring_lock);

	snprintf(r->action, sizeof(r->action), fmt, arg);
	spin_unlock_irqrestore(&ring_lock, flags);
}

int fault_note(int tid, const char *fmt, ...)
{
	unsigned long flags = spin_lock_irqsave(&ring_lock);
	uint64_t n = nrecords < FAULT_LOG_SIZE ? nrecords : FAULT_LOG_SIZE;
	struct fault_record *r = NULL;
	va_list ap;

	for (uint64_t i = nrecords; i > nrecords - n && !r; i--)
		if (ring[(i - 1) % FAULT_LOG_SIZE].tid == tid)
			r = &ring[(i - 1) % FAULT_LOG_SIZE];
	if (r) {
		va_start(ap, fmt);
		vsnprintf(r->note, sizeof(r->note), fmt, ap);
		va_end(ap);
	}
	spin_unlock_irqrestore(&ring_lock, flags);
	if (r && (r->seq < 8 || r->seq % 100 == 0))
		kprintf("fault #%llu: thread %d: %s\n", (unsigned long long)r->seq, tid, r->note);
	return r ? 0 : -ENOENT;
}

/* Stdio locks (the C library's FILE locks hold the owner's tid): a thread
 * that crashed or was killed inside printf must not leave the console
 * locked for everyone else. */
static void unlock_file_of(FILE *f, int tid)
{
	int *lock = (int *)((char *)f + MUSL_FILE_LOCK);
	int v = __atomic_load_n(lock, __ATOMIC_ACQUIRE);

	if (v > 0 && (v & ~MUSL_FILE_MAYBE_WAITERS) == tid) {
		__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
		futex_wake_addr(lock, 1);
	}
}

FILE **__ofl_lock(void); /* the C library's open-file list, under its lock */
void __ofl_unlock(void);

/* The FILEs @tid opened (fopen, fdopen, fmemopen, open_memstream: their
 * memory is in its heap, which goes back whole at its last switch) leave
 * the C library's open-file list, or the next fopen() reuses the address
 * and fflush(NULL) and exit() loop on the list. Data still buffered in
 * them is dropped: flushing would run stdio code on a structure the crash
 * may have left half-updated, and a crashed process loses its buffers on
 * Linux too. What reached write() stays; the descriptors are closed by
 * fd_close_owned(). A killed thread's FILEs go the same way. */
static void drop_files_of(int tid, int heap_released)
{
	FILE **head = __ofl_lock();
	int n = 0;

	for (FILE *f = *head, *next; f && n < 100000; f = next, n++) {
		FILE **fprev = (FILE **)((char *)f + MUSL_FILE_PREV);
		FILE **fnext = (FILE **)((char *)f + MUSL_FILE_NEXT);
		next = *fnext;
		if (mm_owner_of(f) != tid)
			continue;
		if (*fprev)
			*(FILE **)((char *)*fprev + MUSL_FILE_NEXT) = next;
		if (next)
			*(FILE **)((char *)next + MUSL_FILE_PREV) = *fprev;
		if (*head == f)
			*head = next;
		*fprev = *fnext = NULL;
		/* A killed thread's heap is handed on, not released: its
		 * FILEs (each one allocation, the FILE first) go now. */
		if (!heap_released)
			free(f);
	}
	__ofl_unlock();
}

/* Called by the dying thread itself. The files it flockfile()d are on a
 * list in its thread block, which the C library's thread exit would mark
 * orphaned (locked for good): they are unlocked and the list emptied
 * first. The standard streams may also be held by a printf in progress.
 * Then the FILEs it opened are dropped (a killed thread's too). */
void release_stdio_locks(int tid)
{
	struct thread *t = current_thread();
	FILE **list = (FILE **)((char *)t->tls + MUSL_PTHREAD_STDIO_LOCKS);

	for (FILE *f = *list; f; f = *(FILE **)((char *)f + MUSL_FILE_NEXT_LOCKED))
		unlock_file_of(f, tid);
	*list = NULL;
	unlock_file_of(stdin, tid);
	unlock_file_of(stdout, tid);
	unlock_file_of(stderr, tid);
	drop_files_of(tid, t->crashed);
}

void thread_release_held(struct thread *t)
{
	release_stdio_locks(t->tid);
	fd_close_owned(t->tid);
}

/* Where a crashed thread continues, on a clean stack, interrupts on. A
 * pthread_create() thread that its policy restarts goes on here, in place
 * (same thread, same pthread_t); a thread_spawn() one is replaced by a new
 * thread and ends. */
static __attribute__((noreturn, used)) void fault_thread_exit(void)
{
	struct cpu *c = this_cpu();
	struct thread *t = c->current;
	struct fault_record *r = t->fault_rec;
	int new_tid = 0;

	t->crashing = 1;
	t->crashed = 1;
	thread_release_held(t);
	futex_exit_release(t);
	int r2 = fault_thread_start_replacement(t, &new_tid);
	if (r2 == 2)
		set_action(r, "restarted in place #%d", t->restarts + 1);
	else if (r2 > 0)
		set_action(r, "restarted as %d", new_tid);
	else if (r2 == 0)
		set_action(r, "ended", 0);
	else {
		set_action(r, "system stopped", 0);
		panic("thread %d (%s) crashed %u times: its restart limit is reached", t->tid,
		      t->name, t->restarts + 1);
	}
	if (r->seq < 8 || r->seq % 100 == 0)
		kprintf("fault #%llu: thread %d (%s) %s\n", (unsigned long long)r->seq, t->tid,
			t->name, r->action);
	if (r2 == 2)
		thread_restart_in_place(t);
	pthread_exit(THREAD_EXIT_CRASHED);
}

int fault_thread(const struct fault_info *info, uintptr_t *resume_pc, uintptr_t *resume_sp)
{
	struct cpu *c = this_cpu();

	if (!recoverable(c, info->irqs_were_on))
		return 0;
	if (c->current->klocks) {
		kernel_lock_fault(c->current);
		return 0;
	}
	int loud = fault_should_print();
	struct fault_record *r = record(c, info, info->message);
	if (loud)
		print_record(r);
	c->current->fault_rec = r;
	*resume_pc = (uintptr_t)fault_thread_exit;
	*resume_sp = exit_stack(c->current) - 8; /* as if called: keeps the ABI's alignment */
	return 1;
}

void fault_panic_in_thread(const char *message, void *fp)
{
	struct cpu *c = this_cpu();
	struct fault_info info = {
	    .kind = "panic",
	    .class = ARCH_FAULT_NONE,
	    .fp = (uintptr_t)fp,
	    .irqs_were_on = 1,
	};

	if (!recoverable(c, 1))
		return;
	if (c->current->klocks) {
		kernel_lock_fault(c->current);
		return;
	}
	int loud = fault_should_print();
	struct fault_record *r = record(c, &info, message);
	if (loud)
		print_record(r);
	c->current->fault_rec = r;
	irq_enable();
	fault_thread_exit();
}

/* The watchdog's verdict (include/kernel/fault.h). The record comes
 * first, so that `faults` shows the runaway during the pause. */
void fault_thread_runaway(unsigned long ran_ms, uint64_t pause_ns, void *fp)
{
	struct cpu *c = this_cpu();
	struct thread *t = c->current;
	struct fault_info info = {.kind = "runaway", .class = ARCH_FAULT_NONE, .fp = (uintptr_t)fp};
	char msg[48];

	snprintf(msg, sizeof(msg), "ran %lu ms without waiting", ran_ms);
	if (!recoverable(c, 1))
		panic("watchdog: thread %d (%s) %s", t->tid, t->name, msg);
	int loud = fault_should_print();
	struct fault_record *r = record(c, &info, msg);
	if (loud)
		print_record(r);
	t->fault_rec = r;
	irq_enable();
	if (pause_ns)
		thread_sleep_ns(pause_ns);
	fault_thread_exit();
}
