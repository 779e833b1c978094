/* Process identity, limits and usage in a unikernel: one process (pid 1,
 * no parent, its own session and group), limits that describe the kernel
 * (descriptors, the default stack), and CPU time from the scheduler's
 * accounting. Each call answers as Linux would for such a process, so that
 * programs which ask get a value, never an error code as the value. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/resource.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>

#define CLOCK_TICKS_PER_SEC 100 /* sysconf(_SC_CLK_TCK) under musl */

uint64_t thread_cpu_ns(void)
{
	struct thread_info i;

	thread_fill_info(current_thread(), &i);
	return i.runtime_ns;
}

/* Every CPU's time since boot less its idle thread's. */
uint64_t process_cpu_ns(void)
{
	uint64_t now = time_now_ns(), busy = 0;
	struct thread_info i;

	for (unsigned n = 0; n < SCHED_MAX_CPUS; n++) {
		struct cpu *c = sched_cpus[n];
		if (!c || !c->idle)
			continue;
		thread_fill_info(c->idle, &i);
		busy += now > i.runtime_ns ? now - i.runtime_ns : 0;
	}
	return busy ? busy : now;
}

static long sys_getppid(void)
{
	return 0; /* started by no process */
}

static long sys_getpgid(long pid)
{
	return pid == 0 || pid == 1 ? 1 : -ESRCH;
}

static long sys_getpgrp(void)
{
	return 1;
}

static long sys_setsid(void)
{
	return -EPERM; /* already the leader of its group and session */
}

static long sys_setpgid(long pid, long pgid)
{
	return (pid == 0 || pid == 1) && (pgid == 0 || pgid == 1) ? 0 : -EPERM;
}

static struct rlimit limit_of(int resource)
{
	struct rlimit r = {RLIM_INFINITY, RLIM_INFINITY};

	if (resource == RLIMIT_NOFILE)
		r.rlim_cur = r.rlim_max = FD_MAX;
	else if (resource == RLIMIT_STACK)
		r.rlim_cur = THREAD_STACK_DEFAULT;
	else if (resource == RLIMIT_CORE)
		r.rlim_cur = r.rlim_max = 0;
	return r;
}

/* Limits can be read; setting one to what it is (or lower) is accepted
 * and changes nothing the kernel enforces. */
static long sys_prlimit64(long pid, long resource, const struct rlimit *unew, struct rlimit *uold)
{
	struct rlimit now, want;

	if (pid != 0 && pid != 1)
		return -ESRCH;
	if (resource < 0 || resource >= RLIM_NLIMITS)
		return -EINVAL;
	now = limit_of((int)resource);
	if (unew) {
		if (copy_from_user(&want, unew, sizeof(want)))
			return -EFAULT;
		if (want.rlim_cur > want.rlim_max)
			return -EINVAL;
		if (want.rlim_max > now.rlim_max)
			return -EPERM;
	}
	return uold ? copy_to_user(uold, &now, sizeof(now)) : 0;
}

static long sys_getrlimit(long resource, struct rlimit *uold)
{
	return sys_prlimit64(0, resource, NULL, uold);
}

static long sys_setrlimit(long resource, const struct rlimit *unew)
{
	return sys_prlimit64(0, resource, unew, NULL);
}

static struct timeval to_timeval(uint64_t ns)
{
	return (struct timeval){.tv_sec = ns / NSEC_PER_SEC, .tv_usec = ns % NSEC_PER_SEC / 1000};
}

static long sys_getrusage(long who, struct rusage *uru)
{
	struct rusage ru;

	if (who != RUSAGE_SELF && who != RUSAGE_THREAD && who != RUSAGE_CHILDREN)
		return -EINVAL;
	memset(&ru, 0, sizeof(ru));
	if (who != RUSAGE_CHILDREN) {
		ru.ru_utime = to_timeval(who == RUSAGE_THREAD ? thread_cpu_ns() : process_cpu_ns());
		struct mm_stats m;
		mm_stats_get(&m);
		ru.ru_maxrss = (long)(m.peak / 1024);
	}
	return copy_to_user(uru, &ru, sizeof(ru));
}

static long sys_times(struct tms *ut)
{
	uint64_t ticks_ns = NSEC_PER_SEC / CLOCK_TICKS_PER_SEC;
	struct tms t = {.tms_utime = (clock_t)(process_cpu_ns() / ticks_ns)};

	if (ut && copy_to_user(ut, &t, sizeof(t)))
		return -EFAULT;
	return (long)(time_now_ns() / ticks_ns);
}

static long sys_sysinfo(struct sysinfo *uinfo)
{
	struct sysinfo s;
	struct mm_stats m;

	mm_stats_get(&m);
	memset(&s, 0, sizeof(s));
	s.uptime = (long)(time_now_ns() / NSEC_PER_SEC);
	s.totalram = m.total;
	s.freeram = m.free;
	s.procs = 1;
	s.mem_unit = 1;
	return copy_to_user(uinfo, &s, sizeof(s));
}

/* Nice values: one process, so they change nothing; thread priorities are
 * set with sched_setparam or thread_set_priority. */
static long sys_getpriority(long which, long who)
{
	(void)who;
	return which >= PRIO_PROCESS && which <= PRIO_USER
		   ? 20
		   : -EINVAL; /* nice 0, as Linux encodes it */
}

static long sys_setpriority(long which, long who, long nice)
{
	(void)who;
	(void)nice;
	return which >= PRIO_PROCESS && which <= PRIO_USER ? 0 : -EINVAL;
}

SYSCALL(getppid, sys_getppid);
SYSCALL(getpgid, sys_getpgid);
SYSCALL(getsid, sys_getpgid);
SYSCALL(getpgrp, sys_getpgrp);
SYSCALL(setsid, sys_setsid);
SYSCALL(setpgid, sys_setpgid);
SYSCALL(prlimit64, sys_prlimit64);
SYSCALL(getrlimit, sys_getrlimit);
SYSCALL(setrlimit, sys_setrlimit);
SYSCALL(getrusage, sys_getrusage);
SYSCALL(times, sys_times);
SYSCALL(sysinfo, sys_sysinfo);
SYSCALL(getpriority, sys_getpriority);
SYSCALL(setpriority, sys_setpriority);
