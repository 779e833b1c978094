/*
 * Sleeps and timeouts: each CPU keeps the deadlines of the threads that
 * blocked on it in one sorted list and programs its timer for the earliest
 * of them, or for the end of the running thread's time slice. The timer is
 * reprogrammed only when that earliest time changes, since under a
 * hypervisor every reprogramming is a VM exit.
 */
#include <kernel/sched.h>
#include <platform.h>

static void timer_insert(struct cpu *c, struct sched_timer *tm)
{
	struct sched_timer **pp = &c->timers, *prev = NULL;

	while (*pp && (*pp)->deadline_ns <= tm->deadline_ns) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	tm->next = *pp;
	tm->prev = prev;
	if (*pp)
		(*pp)->prev = tm;
	*pp = tm;
	tm->cpu = c;
}

static void timer_unlink(struct cpu *c, struct sched_timer *tm)
{
	if (tm->prev)
		tm->prev->next = tm->next;
	else
		c->timers = tm->next;
	if (tm->next)
		tm->next->prev = tm->prev;
	tm->next = tm->prev = NULL;
	tm->cpu = NULL;
}

/* @retval 1 it was still queued (so it had not fired) */
static int timer_cancel(struct sched_timer *tm)
{
	struct cpu *c = __atomic_load_n(&tm->cpu, __ATOMIC_ACQUIRE);
	int was = 0;

	if (!c)
		return 0;
	spin_lock(&c->timer_lock);
	if (tm->cpu == c) {
		timer_unlink(c, tm);
		was = 1;
	}
	spin_unlock(&c->timer_lock);
	return was;
}

void sched_timer_rearm(struct cpu *c)
{
	uint64_t when = c->timers ? c->timers->deadline_ns : 0;
	uint64_t tick = c->tick_ns, wd = c->wd_tick_ns;

	if (tick && (!when || tick < when))
		when = tick;
	if (wd && (!when || wd < when))
		when = wd;
	if (when != c->armed_ns) {
		c->armed_ns = when;
		plat_timer_arm(when);
	}
}

int sched_block(uint64_t deadline_ns)
{
	struct cpu *c = this_cpu();
	struct thread *t = c->current;

	if (deadline_ns) {
		t->timer.deadline_ns = deadline_ns;
		spin_lock(&c->timer_lock);
		timer_insert(c, &t->timer);
		if (c->timers == &t->timer)
			sched_timer_rearm(c);
		spin_unlock(&c->timer_lock);
	}
	schedule();
	if (!deadline_ns)
		return 0;
	return !timer_cancel(&t->timer);
}

void sched_timers_run(void)
{
	struct cpu *c = this_cpu();
	uint64_t now = plat_time_ns();

	c->armed_ns = 0; /* it fired */
	spin_lock(&c->timer_lock);
	while (c->timers && c->timers->deadline_ns <= now) {
		struct sched_timer *tm = c->timers;
		timer_unlink(c, tm);
		sched_wakeup(container_of(tm, struct thread, timer));
	}
	struct thread *cur = c->current;
	if (c->tick_ns && c->tick_ns <= now) {
		if (cur && cur != c->idle && sched_rq_top_prio(c) >= cur->prio) {
			/* A whole slice without a switch: next in line. */
			if (c->switches == c->tick_switches)
				c->need_resched = 1;
			c->tick_switches = c->switches;
			c->tick_ns = now + sched_slice_ns();
		} else {
			c->tick_ns = 0; /* nobody to share with: tickless again */
		}
	}
	if (IS_ENABLED(CONFIG_WATCHDOG))
		watchdog_tick(c, now);
	sched_timer_rearm(c);
	spin_unlock(&c->timer_lock);
}
