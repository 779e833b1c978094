/*
 * The scheduler core: per-CPU run queues, the switch, wake-ups across CPUs,
 * preemption at interrupt exit, idle CPUs that halt and steal work.
 *
 * Each CPU's run queue is guarded by cpu->lock, held with interrupts off
 * and across the switch itself: the thread switched to releases it
 * (finish_switch). A thread that blocks sets its state first and then calls
 * schedule(); a wake-up in between turns it READY again, and schedule()
 * then simply keeps or requeues it, so no wake-up is lost. A thread may be
 * queued on another CPU while its old CPU is still saving its registers:
 * on_cpu stays set until the save is complete, and whoever switches to it
 * waits for that.
 */
#include <errno.h>
#include <string.h>
#include <arch.h>
#include <kernel/initcall.h>
#include <kernel/zone_gate.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/time.h>
#include <platform.h>

struct cpu *sched_cpus[SCHED_MAX_CPUS];
static struct cpu boot_cpu;
static unsigned ncpus = 1;
static uint64_t online_mask = 1;

unsigned sched_cpu_count(void)
{
	return ncpus;
}

uint64_t sched_online_mask(void)
{
	return __atomic_load_n(&online_mask, __ATOMIC_ACQUIRE);
}

static inline void cpu_relax(void)
{
	arch_cpu_relax();
}

static void account_switch(struct cpu *c, struct thread *prev, struct thread *next)
{
	uint64_t now = plat_cycles();

	prev->runtime_cycles += now - prev->ran_since_cycles;
	next->ran_since_cycles = now;
	c->switches++;
}

/* @c's current thread must now share the CPU with an equal: start the
 * round-robin tick if it is not running. c->lock held. */
static int start_rr_tick(struct cpu *c)
{
	if (c->tick_ns || !sched_slice_ns())
		return 0;
	c->tick_ns = plat_time_ns() + sched_slice_ns();
	c->tick_switches = c->switches;
	return 1;
}

/* Second half of every switch, on the new thread's stack. */
static void finish_switch(struct cpu *c, struct thread *prev)
{
	spin_unlock(&c->lock);
	if (!prev)
		return;
	if (prev->state == THREAD_EXITED) {
		__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
		thread_finish_exit(prev);
		return;
	}
	__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
}

void schedule(void)
{
	struct cpu *c = this_cpu();
	struct thread *prev = c->current, *next;
	int waited = prev->state != THREAD_RUNNING; /* blocking, sleeping or exiting */
	int rearm = 0;

	spin_lock(&c->lock);
	c->need_resched = 0;
	if (prev->state == THREAD_RUNNING && prev != c->idle) {
		prev->state = THREAD_READY;
		sched_rq_add(c, prev);
	}
	next = sched_rq_pick(c);
	if (!next)
		next = c->idle;
	if (next == prev) {
		prev->state = THREAD_RUNNING;
		spin_unlock(&c->lock);
		return;
	}
	while (__atomic_load_n(&next->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax();
	if (prev == c->idle)
		prev->state = THREAD_READY;
	next->state = THREAD_RUNNING;
	next->on_cpu = 1;
	next->cpu = c->id;
	c->current = next;
	account_switch(c, prev, next);
	if (sched_rq_top_prio(c) >= next->prio && next != c->idle)
		rearm = start_rr_tick(c);
	if (IS_ENABLED(CONFIG_WATCHDOG)) {
		/* A wait starts a new CPU budget. */
		if (waited) {
			prev->wd_mark_cycles = prev->runtime_cycles;
			prev->wd_fired = 0;
		}
		if (next != c->idle)
			rearm |= watchdog_cpu_busy(c);
	}
	if (rearm)
		sched_timer_rearm(c);
	plat_set_thread_pointer(next->tls);
	prev = arch_context_switch(&prev->sp, next->sp, prev);
	/* Back on this thread's stack, possibly on another CPU. */
	c = this_cpu();
	finish_switch(c, prev);
}

/* A thread's very first instructions (arch_thread_trampoline). */
static void thread_entry(struct thread *prev)
{
	struct cpu *c = this_cpu();
	struct thread *self = c->current;

	finish_switch(c, prev);
	irq_enable();
	int (*fn)(void *) = (int (*)(void *))(void *)self->start_fn;
	zone_enter_app(); /* the C library's thread start is application code */
	fn(self->start_arg);
	/* musl's thread start never returns (it calls pthread_exit). */
	irq_disable();
	self->state = THREAD_EXITED;
	sched_exit_current();
}

void *sched_thread_context(struct thread *t, void *stack_top)
{
	(void)t;
	return arch_context_init(stack_top, thread_entry);
}

__attribute__((noreturn)) void sched_exit_current(void)
{
	struct thread *t = current_thread();

	BUG_ON(irq_enabled());
	t->state = THREAD_EXITED;
	schedule();
	panic("exited thread %d was scheduled again", t->tid);
}

/* Where should a thread that becomes ready run? Its last CPU keeps its
 * cache warm; an idle allowed CPU beats a busy one. */
static struct cpu *select_cpu(struct thread *t)
{
	uint64_t allowed = t->affinity & sched_online_mask();
	struct cpu *last = sched_cpus[t->cpu];

	if (!allowed)
		allowed = 1; /* the CPUs it may use went away: CPU 0 is always there */
	if (last && (allowed >> t->cpu & 1) &&
	    (last->current == last->idle || last->current->prio < t->prio))
		return last;
	for (unsigned i = 0; i < ncpus; i++) {
		struct cpu *c = sched_cpus[i];
		if ((allowed >> i & 1) && c && c->current == c->idle && !c->nr_ready)
			return c;
	}
	if (last && (allowed >> t->cpu & 1))
		return last;
	return sched_cpus[__builtin_ctzll(allowed)];
}

static void enqueue_and_kick(struct thread *t)
{
	struct cpu *c = select_cpu(t);

	spin_lock(&c->lock);
	t->cpu = c->id;
	sched_rq_add(c, t);
	struct thread *cur = c->current;
	int kick = sched_should_preempt(cur, t), rearm = 0;
	if (kick) {
		c->need_resched = 1;
	} else if (t->prio == cur->prio) {
		rearm = start_rr_tick(c);
	}
	if (rearm && c == this_cpu())
		sched_timer_rearm(c);
	spin_unlock(&c->lock);
	if ((kick || rearm) && c != this_cpu())
		plat_ipi_send(c->id);
}

int sched_wakeup(struct thread *t)
{
	int s = __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);

	do {
		if (s != THREAD_BLOCKED && s != THREAD_SLEEPING)
			return 0;
	} while (!__atomic_compare_exchange_n(&t->state, &s, THREAD_READY, 0, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	unsigned long flags = irq_save();
	enqueue_and_kick(t);
	irq_restore(flags);
	return 1;
}

void sched_start_thread(struct thread *t)
{
	unsigned long flags = irq_save();

	t->state = THREAD_READY;
	enqueue_and_kick(t);
	irq_restore(flags);
}

/* Lock the run queue of the CPU that @t belongs to, following it if it
 * moves meanwhile. */
static struct cpu *lock_thread_cpu(struct thread *t)
{
	for (;;) {
		struct cpu *c = sched_cpus[t->cpu];
		spin_lock(&c->lock);
		if (c == sched_cpus[t->cpu])
			return c;
		spin_unlock(&c->lock);
	}
}

void sched_set_prio(struct thread *t, int prio)
{
	unsigned long flags = irq_save();
	struct cpu *c = lock_thread_cpu(t);
	int kick = 0;

	if (t->queued) {
		sched_rq_remove(c, t);
		t->prio = prio;
		sched_rq_add(c, t);
		kick = sched_should_preempt(c->current, t);
	} else {
		int lowered = prio < t->prio;
		t->prio = prio;
		kick = t == c->current && lowered && sched_rq_top_prio(c) > prio;
	}
	if (kick)
		c->need_resched = 1;
	spin_unlock(&c->lock);
	if (kick && c != this_cpu())
		plat_ipi_send(c->id);
	irq_restore(flags);
}

/* Interrupt a thread running on another CPU so that it reschedules (and
 * notices a kill). */
void sched_kick_thread(struct thread *t)
{
	unsigned long flags = irq_save();
	struct cpu *c = lock_thread_cpu(t);

	c->need_resched = 1;
	spin_unlock(&c->lock);
	if (c != this_cpu())
		plat_ipi_send(c->id);
	irq_restore(flags);
}

/* After a switch back into a thread that was asked to die: make it exit
 * on its own stack, from a point where it holds no kernel lock. */
void sched_check_killed(void)
{
	struct thread *t = current_thread();

	if (__builtin_expect(t->kill_pending, 0) && !(t->flags & THREAD_F_PROTECTED) &&
	    t->state == THREAD_RUNNING)
		thread_die_killed();
}

void sched_irq_enter(void)
{
	struct cpu *c = this_cpu();

	if (c)
		c->in_irq++;
}

void sched_irq_leave(void)
{
	struct cpu *c = this_cpu();

	if (c)
		c->in_irq--;
}

void sched_irq_exit(void)
{
	struct cpu *c = this_cpu();

	if (!c || !c->current)
		return;
	if (c->need_resched) {
		c->in_irq = 0;
		schedule();
	}
	if (c->current->kill_pending) {
		this_cpu()->in_irq = 0;
		sched_check_killed();
	}
	if (IS_ENABLED(CONFIG_WATCHDOG) && this_cpu()->current->wd_fired &&
	    !this_cpu()->current->in_syscall) {
		this_cpu()->in_irq = 0;
		watchdog_fire(); /* returns only if it is no longer a runaway */
	}
	/* A signal for a thread that was running application code (no system
	 * call, no kernel lock): its handler runs here, on its stack, above
	 * the interrupted frame, as a preemption would. */
	struct thread *t = this_cpu()->current;
	if (IS_ENABLED(CONFIG_SIGNALS) && !t->in_syscall && !t->klocks &&
	    __builtin_expect(signal_deliverable(t), 0)) {
		this_cpu()->in_irq = 0;
		irq_enable();
		signal_deliver();
		irq_disable();
	}
}

/* A place where a thread may be preempted right away (interrupts on). */
void sched_preempt_point(void)
{
	struct cpu *c = this_cpu();

	if (c && c->need_resched && !c->in_irq && irq_enabled()) {
		irq_disable();
		schedule();
		irq_enable();
	}
}

void thread_yield(void)
{
	KERNEL_ENTRY();
	irq_disable();
	schedule();
	irq_enable();
	sched_check_killed();
}

/* ---------------------------------------------------------------- idle */

/* Take a ready thread from the busiest other CPU. trylock only: two idle
 * CPUs stealing from each other must not deadlock. */
static int steal_work(struct cpu *self)
{
	for (unsigned i = 1; i < ncpus; i++) {
		struct cpu *v = sched_cpus[(self->id + i) % ncpus];
		if (!v || v->nr_ready < 1 || !spin_trylock(&v->lock))
			continue;
		struct thread *t = NULL;
		for (int p = SCHED_NPRIO - 1; p > 0 && !t; p--) {
			for (struct thread *x = v->rq_head[p]; x; x = x->rq_next) {
				if ((x->affinity >> self->id & 1) && !x->on_cpu) {
					t = x;
					break;
				}
			}
		}
		/* Leave a lone thread where it is if its CPU is idle: it is
		 * about to run it. */
		if (t && !(v->current == v->idle && v->nr_ready == 1))
			sched_rq_remove(v, t);
		else
			t = NULL;
		spin_unlock(&v->lock);
		if (t) {
			spin_lock(&self->lock);
			t->cpu = self->id;
			sched_rq_add(self, t);
			spin_unlock(&self->lock);
			return 1;
		}
	}
	return 0;
}

static int idle_thread_main(void *arg)
{
	(void)arg;
	for (;;) {
		irq_disable();
		struct cpu *c = this_cpu();
		if (!c->nr_ready && !c->need_resched && ncpus > 1)
			steal_work(c);
		if (c->nr_ready || c->need_resched) {
			schedule();
		} else {
			uint64_t t0 = plat_time_ns();
			plat_idle();
			c->idle_ns += plat_time_ns() - t0;
		}
		irq_enable();
	}
	return 0;
}

/* ------------------------------------------------------------ start-up */

static void ipi_handler(void)
{
	/* The reason (a wake-up, a kill) is already in need_resched, which
	 * sched_irq_exit() acts on; a new time slice needs the timer set. */
	sched_timer_rearm(this_cpu());
}

static void timer_handler(void)
{
	sched_timers_run();
}

static void cpu_init(struct cpu *c, unsigned id)
{
	c->self = c;
	c->id = id;
	sched_cpus[id] = c;
}

/* First thing at boot, before the C library: the boot context becomes
 * thread 1 on CPU 0. */
void sched_early_init(void)
{
	cpu_init(&boot_cpu, 0);
	percpu_set(&boot_cpu);
}

void sched_boot_thread_ready(struct thread *t)
{
	struct cpu *c = &boot_cpu;

	t->state = THREAD_RUNNING;
	t->on_cpu = 1;
	t->cpu = 0;
	t->ran_since_cycles = plat_cycles();
	c->current = t;
}

static void ap_entry(unsigned id)
{
	struct cpu *c = sched_cpus[id];
	void *dead_sp;

	percpu_set(c);
	plat_timer_set_handler(timer_handler);
	spin_lock(&c->lock);
	c->current = c->idle;
	c->idle->state = THREAD_RUNNING;
	c->idle->on_cpu = 1;
	c->idle->cpu = id;
	c->idle->ran_since_cycles = plat_cycles();
	plat_set_thread_pointer(c->idle->tls);
	__atomic_or_fetch(&online_mask, 1ull << id, __ATOMIC_RELEASE);
	/* The boot stack is not used again. */
	arch_context_switch(&dead_sp, c->idle->sp, NULL);
	__builtin_unreachable();
}

#define AP_BOOT_STACK 8192

static int sched_init(void)
{
	unsigned n = IS_ENABLED(CONFIG_SCHED_SMP) ? plat_cpu_count() : 1;

	plat_timer_set_handler(timer_handler);
	plat_ipi_set_handler(ipi_handler);
	if (n > SCHED_MAX_CPUS)
		n = SCHED_MAX_CPUS;
	for (unsigned i = 1; i < n; i++) {
		struct cpu *c = mm_heap_memalign(mm_kernel_heap(), 64, sizeof(*c));
		if (!c)
			break;
		memset(c, 0, sizeof(*c));
		cpu_init(c, i);
	}
	for (unsigned i = 0; i < n && sched_cpus[i]; i++) {
		if (thread_spawn_idle(i, idle_thread_main) < 0)
			panic("sched: no memory for CPU %u's idle thread", i);
		ncpus = i + 1;
	}
	for (unsigned i = 1; i < ncpus; i++) {
		void *stack = mm_heap_alloc(mm_kernel_heap(), AP_BOOT_STACK);
		if (!stack || plat_cpu_start(i, ap_entry, (char *)stack + AP_BOOT_STACK) < 0) {
			log_warn("sched: CPU %u did not start", i);
			continue;
		}
		while (!(sched_online_mask() >> i & 1))
			cpu_relax();
	}
	log_debug("sched: %u CPUs, %s", __builtin_popcountll(sched_online_mask()),
		  CONFIG_SCHED_NAME);
	return 0;
}
INITCALL(INITCALL_CORE, sched_init);
