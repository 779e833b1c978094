/* Run queue lists shared by the policies: one FIFO list per level and a
 * bitmap of the non-empty levels. */
#ifndef SCHED_RUNQUEUE_H
#define SCHED_RUNQUEUE_H

#include <kernel/sched.h>

static inline void rq_push_tail(struct cpu *c, struct thread *t, int level)
{
	t->rq_next = NULL;
	t->rq_prev = c->rq_tail[level];
	if (c->rq_tail[level])
		c->rq_tail[level]->rq_next = t;
	else
		c->rq_head[level] = t;
	c->rq_tail[level] = t;
	c->prio_bitmap |= 1u << level;
	t->queued = 1;
	c->nr_ready++;
}

static inline void rq_unlink(struct cpu *c, struct thread *t, int level)
{
	if (t->rq_prev)
		t->rq_prev->rq_next = t->rq_next;
	else
		c->rq_head[level] = t->rq_next;
	if (t->rq_next)
		t->rq_next->rq_prev = t->rq_prev;
	else
		c->rq_tail[level] = t->rq_prev;
	if (!c->rq_head[level])
		c->prio_bitmap &= ~(1u << level);
	t->rq_next = t->rq_prev = NULL;
	t->queued = 0;
	c->nr_ready--;
}

#endif
