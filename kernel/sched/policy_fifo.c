/* The cooperative FIFO scheduler: threads run in the order they became
 * ready, each until it blocks, sleeps or yields. Priorities are recorded
 * but do not reorder anything; interrupts never switch threads, except to
 * wake an idle CPU. Smallest and most predictable; for run-to-completion
 * applications. */
#include <kernel/sched.h>

#include "runqueue.h"

#define FIFO_LEVEL 1

void sched_rq_add(struct cpu *c, struct thread *t)
{
	rq_push_tail(c, t, FIFO_LEVEL);
}

void sched_rq_remove(struct cpu *c, struct thread *t)
{
	rq_unlink(c, t, FIFO_LEVEL);
}

int sched_rq_top_prio(const struct cpu *c)
{
	return c->prio_bitmap ? FIFO_LEVEL : -1;
}

struct thread *sched_rq_pick(struct cpu *c)
{
	struct thread *t = c->rq_head[FIFO_LEVEL];

	if (t)
		rq_unlink(c, t, FIFO_LEVEL);
	return t;
}

int sched_should_preempt(const struct thread *running, const struct thread *waking)
{
	(void)waking;
	return !running || (running->flags & THREAD_F_IDLE);
}

uint64_t sched_slice_ns(void)
{
	return 0;
}
