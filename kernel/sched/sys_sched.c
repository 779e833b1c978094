/* The Linux thread and scheduling calls the C library makes, mapped onto
 * the scheduler: a Linux real-time priority 1..31 is a thread priority. */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

static struct thread *target(long tid)
{
	return tid == 0 ? current_thread() : thread_lookup((int)tid);
}

static long sys_set_tid_address(int *ctid)
{
	struct thread *t = current_thread();

	/* Written at the thread's exit, by the scheduler: only a word that
	 * can be written now is kept (Linux ignores a bad one, too). */
	t->clear_tid = ctid && !user_check_write(ctid, sizeof(*ctid)) ? ctid : NULL;
	return t->tid;
}

static long sys_gettid(void)
{
	return current_thread()->tid;
}

static long sys_exit(long status)
{
	(void)status;
	thread_exit_kernel();
}

static long sys_sched_yield(void)
{
	thread_yield();
	return 0;
}

static long sys_sched_setaffinity(long tid, size_t len, const uint64_t *mask)
{
	uint64_t m = 0;

	if (!target(tid))
		return -ESRCH;
	if (copy_from_user(&m, mask, len < sizeof(m) ? len : sizeof(m)))
		return -EFAULT;
	return thread_set_affinity(target(tid)->tid, m);
}

static long sys_sched_getaffinity(long tid, size_t len, uint64_t *mask)
{
	struct thread *t = target(tid);

	if (!t)
		return -ESRCH;
	if (len < sizeof(uint64_t) || len % sizeof(long))
		return -EINVAL;
	uint64_t m = t->affinity & sched_online_mask();
	return copy_to_user(mask, &m, sizeof(m)) ?: (long)sizeof(uint64_t);
}

static long sys_sched_setparam(long tid, const struct sched_param *up)
{
	struct thread *t = target(tid);
	struct sched_param p;

	if (!t)
		return -ESRCH;
	if (copy_from_user(&p, up, sizeof(p)))
		return -EFAULT;
	int prio = p.sched_priority ? p.sched_priority : THREAD_PRIO_DEFAULT;
	return thread_set_priority(t->tid, prio);
}

static long sys_sched_setscheduler(long tid, long policy, const struct sched_param *p)
{
	if (policy != SCHED_OTHER && policy != SCHED_FIFO && policy != SCHED_RR)
		return -EINVAL;
	return sys_sched_setparam(tid, p);
}

static long sys_sched_getparam(long tid, struct sched_param *up)
{
	struct thread *t = target(tid);

	if (!t)
		return -ESRCH;
	struct sched_param p = {.sched_priority = t->base_prio};
	return copy_to_user(up, &p, sizeof(p));
}

static long sys_sched_getscheduler(long tid)
{
	return target(tid) ? SCHED_RR : -ESRCH;
}

static long sys_prio_max(long policy)
{
	(void)policy;
	return THREAD_PRIO_MAX;
}

static long sys_prio_min(long policy)
{
	(void)policy;
	return THREAD_PRIO_MIN;
}

static long sys_prctl(long op, unsigned long a2)
{
	struct thread *t = current_thread();

	switch (op) {
	case PR_SET_NAME: {
		char name[THREAD_NAME_MAX];
		long n = strncpy_from_user(name, (const char *)a2, sizeof(name));
		if (n == -ENAMETOOLONG) { /* Linux cuts the name */
			if (copy_from_user(name, (const void *)a2, sizeof(name) - 1))
				return -EFAULT;
			name[sizeof(name) - 1] = 0;
		} else if (n < 0) {
			return n;
		}
		return thread_set_name(t->tid, name);
	}
	case PR_GET_NAME:
		return copy_to_user((char *)a2, t->name, THREAD_NAME_MAX);
	default:
		return -EINVAL;
	}
}

SYSCALL(set_tid_address, sys_set_tid_address);
SYSCALL(gettid, sys_gettid);
SYSCALL(exit, sys_exit);
SYSCALL(sched_yield, sys_sched_yield);
SYSCALL(sched_setaffinity, sys_sched_setaffinity);
SYSCALL(sched_getaffinity, sys_sched_getaffinity);
SYSCALL(sched_setparam, sys_sched_setparam);
SYSCALL(sched_setscheduler, sys_sched_setscheduler);
SYSCALL(sched_getparam, sys_sched_getparam);
SYSCALL(sched_getscheduler, sys_sched_getscheduler);
SYSCALL(sched_get_priority_max, sys_prio_max);
SYSCALL(sched_get_priority_min, sys_prio_min);
SYSCALL(prctl, sys_prctl);
