/*
 * Operations on threads by id (include/kernel/thread.h): priority,
 * affinity, names, sleeps, kill, wake, and the snapshots behind `ps`.
 */
#include <errno.h>
#include <string.h>
#include <kernel/sched.h>
#include <kernel/zone_gate.h>
#include <kernel/time.h>
#include <platform.h>

/* The thread table is read without its lock here: records are freed only
 * after their thread exited and was joined, which these callers race with
 * no more than with the thread's own exit. Writers take the run queue lock
 * where the scheduler reads the field. */
static struct thread *find(int tid)
{
	return tid == 0 ? current_thread() : thread_lookup(tid);
}

int thread_set_priority(int tid, int priority)
{
	KERNEL_ENTRY();
	struct thread *t = find(tid);

	if (!t || t->state == THREAD_EXITED)
		return -ESRCH;
	if (priority < THREAD_PRIO_MIN || priority > THREAD_PRIO_MAX || (t->flags & THREAD_F_IDLE))
		return -EINVAL;
	t->base_prio = priority;
	/* Inherited priority stays until the lock is released. */
	sched_set_prio(t, priority > t->prio || !t->pi_waiters ? priority : t->prio);
	sched_preempt_point();
	return 0;
}

int thread_set_affinity(int tid, uint64_t cpus)
{
	KERNEL_ENTRY();
	struct thread *t = find(tid);

	if (!t || t->state == THREAD_EXITED)
		return -ESRCH;
	if (!cpus)
		cpus = THREAD_CPU_ANY;
	if (!(cpus & sched_online_mask()) || (t->flags & THREAD_F_IDLE))
		return -EINVAL;
	t->affinity = cpus;
	if (t == current_thread() && !(cpus >> this_cpu()->id & 1)) {
		/* Move now: yield with ourselves queued on an allowed CPU. */
		irq_disable();
		t->state = THREAD_SLEEPING;
		sched_wakeup(t);
		schedule();
		irq_enable();
	}
	return 0;
}

int thread_set_name(int tid, const char *name)
{
	KERNEL_ENTRY();
	struct thread *t = find(tid);

	if (!t)
		return -ESRCH;
	if (!name)
		return -EINVAL;
	strncpy(t->name, name, THREAD_NAME_MAX - 1);
	t->name[THREAD_NAME_MAX - 1] = '\0';
	return 0;
}

/* @retval 0 slept the whole time; -EINTR woken early (thread_wake). */
int time_sleep_until(uint64_t deadline_ns)
{
	struct cpu *c = this_cpu();

	if (!c || !c->current || c->in_irq) {
		/* Before the scheduler, or in an interrupt: the CPU waits. */
		unsigned long flags = irq_save();
		while (plat_time_ns() < deadline_ns) {
			plat_timer_arm(deadline_ns);
			plat_idle();
		}
		irq_restore(flags);
		return 0;
	}
	if (plat_time_ns() >= deadline_ns)
		return 0;
	unsigned long flags = irq_save();
	c->current->state = THREAD_SLEEPING;
	int timed_out = sched_block(deadline_ns);
	irq_restore(flags);
	sched_check_killed(); /* a kernel-API sleep passes no system-call exit */
	return timed_out || plat_time_ns() >= deadline_ns ? 0 : -EINTR;
}

void thread_sleep_ns(uint64_t ns)
{
	KERNEL_ENTRY();
	time_sleep_until(plat_time_ns() + ns);
}

void thread_fill_info(const struct thread *t, struct thread_info *out)
{
	memset(out, 0, sizeof(*out));
	out->tid = t->tid;
	memcpy(out->name, t->name, THREAD_NAME_MAX);
	out->state = t->state;
	out->priority = t->prio;
	out->cpu = t->cpu;
	out->affinity = t->affinity;
	uint64_t cycles = t->runtime_cycles;
	if (t->state == THREAD_RUNNING)
		cycles += plat_cycles() - t->ran_since_cycles;
	out->runtime_ns = time_cycles_to_ns(cycles);
	out->restarts = t->restarts;
	out->flags = t->flags;
	out->zone = t->zone;
	out->heap_used = t->state == THREAD_EXITED ? 0 : mm_heap_used(&t->heap);
}

int thread_info_get(int tid, struct thread_info *out)
{
	KERNEL_ENTRY();
	struct thread *t = find(tid);

	if (!t)
		return -ESRCH;
	thread_fill_info(t, out);
	return 0;
}

int thread_kill(int tid)
{
	KERNEL_ENTRY();
	struct thread *t = find(tid);

	if (!t || t->state == THREAD_EXITED || t->kill_pending)
		return -ESRCH;
	if (t->flags & THREAD_F_PROTECTED)
		return -EPERM;
	if (t == current_thread())
		return -EBUSY;
	t->kill_pending = 1;
	if (!sched_wakeup(t))
		sched_kick_thread(t);
	return 0;
}

int thread_wake(int tid)
{
	KERNEL_ENTRY();
	struct thread *t = find(tid);

	if (!t || t->state == THREAD_EXITED)
		return -ESRCH;
	if (t->state != THREAD_BLOCKED && t->state != THREAD_SLEEPING)
		return -EINVAL;
	return sched_wakeup(t) ? 0 : -EINVAL;
}

const char *thread_state_name(enum thread_state state)
{
	static const char *const names[] = {
	    [THREAD_READY] = "ready",	  [THREAD_RUNNING] = "running",
	    [THREAD_BLOCKED] = "blocked", [THREAD_SLEEPING] = "sleeping",
	    [THREAD_EXITED] = "exited",
	};

	return (unsigned)state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

/* The restart policy rides in words of pthread_attr_t that the C library
 * leaves unused (its own fields end at __i[9]); pthread_attr_init() zeroes
 * them, which reads as the default. pthread_create() passes the attributes
 * on to __clone(). */
#define ATTR_RESTART_MAX 10
#define ATTR_RESTART_WINDOW 11
#define ATTR_RESTART_BACKOFF 12

int pthread_attr_setrestart_np(pthread_attr_t *attr, int max, unsigned window_ms,
			       unsigned backoff_ms)
{
	if (max < THREAD_RESTART_ALWAYS)
		return EINVAL;
	attr->__u.__i[ATTR_RESTART_MAX] = max ? max : THREAD_RESTART_NEVER;
	attr->__u.__i[ATTR_RESTART_WINDOW] = (int)window_ms;
	attr->__u.__i[ATTR_RESTART_BACKOFF] = (int)backoff_ms;
	return 0;
}

int pthread_attr_getrestart_np(const pthread_attr_t *attr, int *max, unsigned *window_ms,
			       unsigned *backoff_ms)
{
	*max = attr->__u.__i[ATTR_RESTART_MAX];
	*window_ms = (unsigned)attr->__u.__i[ATTR_RESTART_WINDOW];
	*backoff_ms = (unsigned)attr->__u.__i[ATTR_RESTART_BACKOFF];
	return 0;
}
