/*
 * The runaway-thread watchdog (include/kernel/watchdog.h).
 *
 * A thread's CPU time is already counted at every switch (runtime_cycles);
 * schedule() notes the count whenever the thread waits (wd_mark_cycles),
 * so what it ran since is one subtraction. While a CPU runs anything but
 * its idle thread, the timer interrupt looks at the running thread every
 * quarter budget: on a busy CPU that is four interrupts per budget, on an
 * idle one nothing, and a switch never reprograms the timer for it. A
 * runaway is caught between one and one and a quarter budgets.
 *
 * Time is the cycle counter, which also runs while the host does not run
 * this machine (linuxu's process or QEMU's vCPU thread taken off the CPU
 * on a loaded host). Such a pause shows as a look that comes late, since
 * a busy CPU always has one due within a quarter budget: the lateness is
 * not counted against the running thread. What a pause can still add is
 * under a quarter budget, so a thread that runs less than three quarters
 * of its budget between waits is never taken for a runaway.
 *
 * The verdict cannot be carried out in the interrupt handler: the thread
 * is flagged (wd_fired) and ends at the interrupt's exit, on its own
 * stack, the way a killed thread does (fault_thread_runaway()).
 */
#include <errno.h>
#include <stdlib.h>
#include <kernel/boot.h>
#include <kernel/zone_gate.h>
#include <kernel/fault.h>
#include <kernel/initcall.h>
#include <kernel/log.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <kernel/watchdog.h>
#include <platform.h>

#define MIN_PERIOD_NS 1000000ull

static unsigned budget_ms;     /* 0: off */
static uint64_t budget_cycles; /* the same in plat_cycles() */
static uint64_t period_ns;     /* between two looks at a busy CPU */

static uint64_t ms_to_cycles(unsigned ms)
{
	return (uint64_t)ms * plat_cycles_hz() / 1000;
}

static uint64_t ns_to_cycles(uint64_t ns)
{
	return (uint64_t)((unsigned __int128)ns * plat_cycles_hz() / 1000000000u);
}

/* CPU time @t has used since it last waited; @t is running. */
static uint64_t ran_cycles(const struct thread *t)
{
	return t->runtime_cycles + (plat_cycles() - t->ran_since_cycles) - t->wd_mark_cycles;
}

static uint64_t budget_of(const struct thread *t)
{
	return t->wd_budget_cycles ? t->wd_budget_cycles : budget_cycles;
}

/* Idle and protected threads (the terminal, the network stack's) are
 * never runaways; nor is a thread already on its way out. */
static int watched(const struct thread *t)
{
	return budget_cycles && !(t->flags & (THREAD_F_IDLE | THREAD_F_PROTECTED)) &&
	       t->wd_budget_cycles != UINT64_MAX && !t->crashing && !t->kill_pending &&
	       t->state == THREAD_RUNNING;
}

int watchdog_cpu_busy(struct cpu *c)
{
	if (!budget_cycles || c->wd_tick_ns)
		return 0;
	c->wd_tick_ns = plat_time_ns() + period_ns;
	return 1;
}

void watchdog_tick(struct cpu *c, uint64_t now)
{
	struct thread *t = c->current;

	if (!c->wd_tick_ns || c->wd_tick_ns > now)
		return;
	if (!t || t == c->idle) {
		c->wd_tick_ns = 0; /* idle: no looks until a thread runs */
		return;
	}
	uint64_t late = ns_to_cycles(now - c->wd_tick_ns), ran = ran_cycles(t);
	c->wd_tick_ns = now + period_ns;
	/* A late look: the machine was paused; that time was nobody's. */
	if (late > ran)
		late = ran;
	t->wd_mark_cycles += late;
	if (watched(t) && ran - late > budget_of(t))
		t->wd_fired = 1;
}

void watchdog_fire(void)
{
	struct thread *t = current_thread();

	t->wd_fired = 0;
	if (!watched(t))
		return;
	uint64_t ran_ns = time_cycles_to_ns(ran_cycles(t));
	uint64_t pause_ns = time_cycles_to_ns(budget_of(t));
	/* Judged once: a tick pending when interrupts come back on must not
	 * judge it again on its way out. */
	t->wd_budget_cycles = UINT64_MAX;
	fault_thread_runaway((unsigned long)(ran_ns / 1000000), pause_ns,
			     __builtin_frame_address(0));
}

void watchdog_heartbeat(void)
{
	KERNEL_ENTRY();
	unsigned long flags = irq_save();
	struct thread *t = current_thread();

	if (t) {
		t->wd_mark_cycles = t->runtime_cycles + (plat_cycles() - t->ran_since_cycles);
		t->wd_fired = 0;
	}
	irq_restore(flags);
}

int watchdog_set_budget(int tid, unsigned ms)
{
	KERNEL_ENTRY();
	struct thread *t = tid ? thread_lookup(tid) : current_thread();

	if (!t || t->state == THREAD_EXITED)
		return -ESRCH;
	t->wd_budget_cycles = ms == WATCHDOG_EXEMPT ? UINT64_MAX : ms ? ms_to_cycles(ms) : 0;
	return 0;
}

unsigned watchdog_budget_ms(void)
{
	return budget_ms;
}

/* The budget from the kernel option watchdog=MS or Kconfig; then the
 * first look at the boot CPU, which runs main. At the application's level,
 * just before main(): start-up code is not the watchdog's concern. */
static int watchdog_init(void)
{
	unsigned long ms = CONFIG_WATCHDOG_BUDGET_MS;
	char opt[24], *end;

	if (kernel_option("watchdog", opt, sizeof(opt)) == 0) {
		unsigned long v = strtoul(opt, &end, 10);
		if (end == opt || *end || v >= WATCHDOG_EXEMPT)
			log_warn("watchdog: '%s' is not a number of ms, keeping %lu", opt, ms);
		else
			ms = v;
	}
	if (!ms) {
		log_info("watchdog: off");
		return 0;
	}
	budget_ms = ms;
	period_ns = ms * 1000000ull / 4;
	if (period_ns < MIN_PERIOD_NS)
		period_ns = MIN_PERIOD_NS;
	budget_cycles = ms_to_cycles(ms);

	unsigned long flags = irq_save();
	struct cpu *c = this_cpu();
	struct thread *t = c->current;
	/* Start-up ran before there was a budget: count from here. */
	t->wd_mark_cycles = t->runtime_cycles + (plat_cycles() - t->ran_since_cycles);
	spin_lock(&c->timer_lock);
	if (c->current != c->idle && watchdog_cpu_busy(c))
		sched_timer_rearm(c);
	spin_unlock(&c->timer_lock);
	irq_restore(flags);
	/* The boot thread ran start-up with interrupts off, and nothing on
	 * its way to main() turns them on: main() must take the timer's
	 * interrupt for a loop in it to be seen. */
	irq_enable();
	log_info("watchdog: %lu ms", ms);
	return 0;
}
INITCALL(INITCALL_APP, watchdog_init);
