/* The preemptive priority scheduler: the highest ready priority runs; a
 * thread woken at a higher priority than the running one preempts it at
 * once; threads of one priority take turns, one time slice each. Picking
 * is one find-first-set on the bitmap of non-empty levels. */
#include <kernel/sched.h>

#include "runqueue.h"

#define SLICE_NS (10 * 1000 * 1000ull)

void sched_rq_add(struct cpu *c, struct thread *t)
{
	rq_push_tail(c, t, t->prio);
}

void sched_rq_remove(struct cpu *c, struct thread *t)
{
	rq_unlink(c, t, t->prio);
}

int sched_rq_top_prio(const struct cpu *c)
{
	return c->prio_bitmap ? 31 - __builtin_clz(c->prio_bitmap) : -1;
}

struct thread *sched_rq_pick(struct cpu *c)
{
	int top = sched_rq_top_prio(c);
	struct thread *cur = c->current;

	if (top < 0)
		return NULL;
	/* A running thread that is still ready (a yield, a preemption) was
	 * queued at the back of its level just before this call. */
	(void)cur;
	struct thread *t = c->rq_head[top];
	rq_unlink(c, t, top);
	return t;
}

int sched_should_preempt(const struct thread *running, const struct thread *waking)
{
	return !running || waking->prio > running->prio;
}

uint64_t sched_slice_ns(void)
{
	return SLICE_NS;
}
