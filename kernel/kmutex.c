/* Kernel sleeping locks, counted per thread (include/kernel/kmutex.h). */
#include <kernel/kmutex.h>
#include <kernel/sched.h>

static struct thread *self(void)
{
	struct cpu *c = this_cpu();

	return c ? c->current : NULL;
}

void kmutex_lock(pthread_mutex_t *m)
{
	pthread_mutex_lock(m);
	struct thread *t = self();
	if (t)
		t->klocks++;
}

void kmutex_unlock(pthread_mutex_t *m)
{
	struct thread *t = self();

	if (t && t->klocks)
		t->klocks--;
	pthread_mutex_unlock(m);
}

unsigned kmutex_held(void)
{
	struct thread *t = self();

	return t ? t->klocks : 0;
}
