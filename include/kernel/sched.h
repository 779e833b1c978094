/*
 * The scheduler's inside view: the thread record, the per-CPU state and the
 * blocking primitives the rest of the kernel builds waits on (futexes,
 * sleeps, joins, the console). Applications use include/kernel/thread.h or
 * pthreads instead.
 *
 * Locks, outermost first (never take an earlier one while holding a later):
 *   sched_pi_lock  >  futex bucket  >  cpu->timer_lock  >  cpu->lock
 *   threads_lock stands alone (nothing else is taken under it but cpu->lock).
 * All are spinlocks held with interrupts off.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdint.h>
#include <kernel/compiler.h>
#include <kernel/mm.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <plat/percpu.h>

#define SCHED_MAX_CPUS 64
#define SCHED_NPRIO (THREAD_PRIO_MAX + 1)

struct cpu;
struct fault_record;

/* One entry in a CPU's time-ordered queue: a thread's sleep or timeout. */
struct sched_timer {
	uint64_t deadline_ns;
	struct sched_timer *next, *prev;
	struct cpu *cpu; /* whose queue holds it; NULL when not queued */
};

struct thread {
	void *sp;	    /* saved stack pointer while switched out */
	void *tls;	    /* the thread pointer: musl's struct pthread */
	uint32_t pkru;	    /* its code's key rights (zones; 0: all, the kernel's) */
	int zone;	    /* include/kernel/zone.h */
	volatile int state; /* enum thread_state */
	int tid;
	int prio; /* effective: base_prio raised by priority inheritance */
	int base_prio;
	unsigned cpu; /* the CPU whose run queue holds it, or that runs it */
	uint64_t affinity;
	volatile int on_cpu; /* still executing (even while switching out) */
	volatile int kill_pending;
	unsigned long plat_word; /* the platform's own, per thread (linuxu: interrupt frames) */
	unsigned flags;		 /* THREAD_F_* */
	unsigned restarts;
	struct thread *rq_next, *rq_prev; /* run queue links */
	int queued;			  /* on a run queue */
	struct sched_timer timer;
	uint64_t runtime_cycles, ran_since_cycles; /* plat_cycles(): cheap on every switch */

	/* Exit and reaping. */
	int *clear_tid;	   /* CLONE_CHILD_CLEARTID: zeroed and woken at exit */
	void *robust_list; /* set_robust_list(): held robust and PI mutexes */
	void *unmap_base;  /* __unmapself(): memory to free once off its stack */
	size_t unmap_size;
	void *stack; /* a kernel-managed stack (thread_spawn), or NULL */
	size_t stack_size;
	void *(*start_fn)(void *);
	void *start_arg;
	const struct thread_attr *spawn_attr; /* the attributes thread_spawn() is applying */
	int spawn_tid;			      /* what __clone() made for it */
	int exit_done;			      /* thread_finish_exit() ran (threads_lock) */

	/* Priority inheritance: PI futex waiters blocked on locks this thread owns. */
	struct futex_waiter *pi_waiters;
	struct futex_waiter *blocked_on; /* the PI wait this thread is in, if any */

	/* Crash recovery: how to start it again (thread_spawn threads). */
	void *(*user_fn)(void *);
	void *user_arg;
	struct thread_attr attr; /* as spawned, name copied below */
	uint64_t restart_window_start_ns;
	unsigned restart_window_base;	/* restarts when the window began */
	int crashing;			/* in its crash exit: a second fault ends it at once */
	int crashed;			/* its heap is released, not handed on, at exit */
	struct fault_record *fault_rec; /* the record its crash exit completes */
	/* What thread_spawn() in this thread is asking __clone() for. */
	void *(*spawn_fn)(void *);
	void *spawn_arg;
	void *spawn_stack; /* its guarded stack, known to the child before it runs */
	size_t spawn_stack_size;
	unsigned spawn_restarts, spawn_window_base;
	uint64_t spawn_window_start_ns;

	char name[THREAD_NAME_MAX];
	struct thread *all_next, *all_prev, *hash_next;
	struct mm_heap heap;
	unsigned klocks; /* kernel sleeping locks held (include/kernel/kmutex.h) */
	/* Signals (kernel/signal.c): bit n-1 stands for signal n. */
	uint64_t sig_pending, sig_blocked;
	uint64_t sig_saved_blocked; /* rt_sigsuspend: restored after delivery */
	int sig_suspended;
	unsigned in_syscall; /* nesting of syscall_dispatch() */
	void *sig_altstack;  /* sigaltstack(): base, size, flags */
	size_t sig_altsize;
	int sig_altflags;

	/* The watchdog (CONFIG_WATCHDOG, kernel/sched/watchdog.c). */
	uint64_t wd_mark_cycles;   /* runtime_cycles when it last waited or beat */
	uint64_t wd_budget_cycles; /* 0: the system's; UINT64_MAX: exempt */
	volatile int wd_fired;	   /* over budget: ends at its next interrupt exit */
};

/* Per-CPU state; %gs (or the platform's equivalent) points at it. */
struct cpu {
	struct cpu *self;
	unsigned id;
	int in_irq;
	volatile int need_resched;
	struct thread *current;
	struct thread *idle;
	struct thread *prev; /* switched out, to finish on the new thread's stack */
	spinlock_t lock;     /* the run queue */
	unsigned nr_ready;
	uint32_t prio_bitmap; /* bit p: a ready thread of priority p */
	struct thread *rq_head[SCHED_NPRIO], *rq_tail[SCHED_NPRIO];
	spinlock_t timer_lock;
	struct sched_timer *timers; /* sorted by deadline */
	uint64_t armed_ns;	    /* what the hardware timer is set to, 0 none */
	/* Round robin: while threads share the top priority, a tick every
	 * time slice; one that finds no switch since the last preempts. */
	uint64_t tick_ns;
	uint64_t tick_switches;
	uint64_t idle_ns, idle_since_ns;
	uint64_t switches;
	uint64_t wd_tick_ns; /* the watchdog's next look at this CPU, 0 none */
};

extern struct cpu *sched_cpus[SCHED_MAX_CPUS];

static inline struct cpu *this_cpu(void)
{
	return percpu_get();
}

static inline struct thread *current_thread(void)
{
	return this_cpu()->current;
}

/* ---- scheduling policy (kernel/sched/policy_*.c, one chosen by Kconfig) */

/* Put @t (READY) on @c's run queue; at the back of its level unless it was
 * preempted before its slice ended. */
void sched_rq_add(struct cpu *c, struct thread *t);
void sched_rq_remove(struct cpu *c, struct thread *t);
/* The thread to run next on @c, taken off the queue; NULL when empty. */
struct thread *sched_rq_pick(struct cpu *c);
/* Whether @waking, becoming ready on @c, should preempt @running. */
int sched_should_preempt(const struct thread *running, const struct thread *waking);
/* Time slice for round robin (0: none, run until blocking or yielding). */
uint64_t sched_slice_ns(void);
/* Highest ready priority on @c (-1 when the queue is empty). */
int sched_rq_top_prio(const struct cpu *c);

/* ---- core (kernel/sched/core.c) */

/* Give up the CPU. The caller may have set current->state to BLOCKED or
 * SLEEPING (then it stays off the run queue until sched_wakeup()), or left
 * it RUNNING (a yield). Interrupts must be off; they are off on return. */
void schedule(void);

/* Make a BLOCKED or SLEEPING thread READY and queue it.
 * @retval 1 woken; 0 it was not waiting (someone else woke it first) */
int sched_wakeup(struct thread *t);

/* Queue a thread that was never run (state READY) for the first time. */
void sched_start_thread(struct thread *t);

/* Change the effective priority, moving @t within its run queue. */
void sched_set_prio(struct thread *t, int prio);

/* Leave the CPU for good: the thread is EXITED; the next thread on this CPU
 * finishes it (clears its tid word, frees its stack) once off its stack. */
__attribute__((noreturn)) void sched_exit_current(void);

/* Interrupt context, as the platform's (or the arch's) interrupt entry
 * sees it: enter before the handlers run, leave once they have. */
void sched_irq_enter(void);
void sched_irq_leave(void);
/* Interrupt exit: switch if a wake-up or the time slice asked for it. The
 * platform calls it after acknowledging the interrupt, interrupts off. */
void sched_irq_exit(void);

/* Is the caller an interrupt handler? */
static inline int sched_in_irq(void)
{
	struct cpu *c = this_cpu();

	return !c || c->in_irq;
}

/* ---- timers (kernel/sched/timer.c) */

/* Block the current thread (state already set, interrupts off) until
 * woken or until @deadline_ns (0: no deadline).
 * @retval 1 the deadline passed first; 0 woken */
int sched_block(uint64_t deadline_ns);
/* Run expired timers of this CPU and re-arm; interrupts off. */
void sched_timers_run(void);
/* Re-arm this CPU's hardware timer for its earliest need. */
void sched_timer_rearm(struct cpu *c);

/* ---- the watchdog (kernel/sched/watchdog.c, CONFIG_WATCHDOG) */

/* @c switches to a thread other than its idle one: make sure a check is
 * due. @retval 1 the timer must be re-armed. c->lock held. */
int watchdog_cpu_busy(struct cpu *c);
/* The timer interrupt: look at @c's running thread. */
void watchdog_tick(struct cpu *c, uint64_t now);
/* Interrupt or system-call exit: the running thread was found over its
 * budget. Not inside a system call: the kernel code it runs may hold a
 * lock that nobody would give back. */
void watchdog_fire(void);

/* ---- threads (kernel/sched/thread.c) */

struct thread *thread_lookup(int tid); /* under threads_lock by the caller or racy */
/* Finish a thread that switched out for the last time (called on the next
 * thread's stack with interrupts off). */
void thread_finish_exit(struct thread *t);
/* Create the record of the running boot context (tid 1, "main") and a
 * stack of @stack_size bytes for it, with a guard page below as any
 * thread's. Returns the top of that stack, for the boot code to move to,
 * or NULL (no memory: main stays on the boot stack). */
void *thread_init_boot(size_t stack_size);
struct thread *thread_alloc(const char *name, int prio, uint64_t affinity);
void thread_register(struct thread *t);

/* ---- futexes (kernel/sched/futex.c) */

int futex_wake_addr(int *addr, int count);
/* Kernel code waiting for a word to move: sleep while *@addr == @val, until
 * a futex_wake_addr() on it. @retval 0 woken or already moved: look again;
 * -EINTR the thread was interrupted (a kill, a signal) */
int futex_wait_addr(int *addr, int val);
/* The thread is dying: release the robust and PI mutexes it holds. */
void futex_exit_release(struct thread *t);

/* ---- odds and ends shared inside kernel/ */

void sched_early_init(void);			/* %gs and CPU 0, first thing at boot */
void sched_boot_thread_ready(struct thread *t); /* the boot context is running @t */
void sched_preempt_point(void);			/* switch now if a wake-up asked for it */
void sched_check_killed(void);		  /* end here if thread_kill() asked (no locks held) */
void sched_kick_thread(struct thread *t); /* make its CPU reschedule */
uint64_t sched_online_mask(void);
void *sched_thread_context(struct thread *t, void *stack_top);
void *sched_stack_alloc(size_t size);
void sched_stack_free(void *stack, size_t size);
int thread_spawn_idle(unsigned cpu, int (*fn)(void *));
__attribute__((noreturn)) void thread_exit_kernel(void); /* SYS_exit */
__attribute__((noreturn)) void thread_die_killed(void);
/* After a crash (kernel/fault.c): start what the policy says (see
 * kernel/sched/thread.c), or restart a pthread_create() thread as the
 * same thread. */
int fault_thread_start_replacement(struct thread *t, int *new_tid);
__attribute__((noreturn)) void thread_restart_in_place(struct thread *t);

/* The C library's calls into the kernel (lib/musl/patches): thread
 * creation, and a detached thread freeing its own stack as it ends. */
int __clone(int (*fn)(void *), void *stack, int flags, void *arg, ...);
__attribute__((noreturn)) void __unmapself(void *base, size_t size);

void thread_region_unmapped(void *addr, size_t len);
_Bool thread_region_exited(void *addr, size_t len);
void thread_fill_info(const struct thread *t, struct thread_info *out);
/* For fault reports: name the running thread, and say so when @fault_addr
 * is the guard page under its stack. */
void thread_fault_report(uintptr_t fault_addr);

#endif
