/*
 * The process's real-time interval timer (setitimer/getitimer ITIMER_REAL,
 * and alarm() through it): SIGALRM to the process at the deadline, then
 * every interval. A protected kernel thread, started on first use, sleeps
 * until the deadline; a change of the timer wakes it to look again.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/spinlock.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>

#define FUTEX_WAIT_BITSET_PRIVATE (9 | 128)
#define USEC 1000ull

static spinlock_t lock = SPINLOCK_INIT;
static uint64_t deadline_ns, interval_ns; /* 0: disarmed */
static int changes;			  /* the timer thread's futex word */
static int started;

static void *timer_thread(void *arg)
{
	(void)arg;
	for (;;) {
		int seen = __atomic_load_n(&changes, __ATOMIC_ACQUIRE);
		unsigned long flags = spin_lock_irqsave(&lock);
		uint64_t at = deadline_ns, now = time_now_ns();
		int fire = at && now >= at;
		if (fire)
			deadline_ns =
			    interval_ns ? at + interval_ns * ((now - at) / interval_ns + 1) : 0;
		spin_unlock_irqrestore(&lock, flags);
		if (fire) {
			signal_send_process(SIGALRM);
			continue;
		}
		struct timespec ts = {.tv_sec = (time_t)(at / NSEC_PER_SEC),
				      .tv_nsec = (long)(at % NSEC_PER_SEC)};
		syscall(SYS_futex, &changes, FUTEX_WAIT_BITSET_PRIVATE, seen, at ? &ts : NULL, NULL,
			~0u);
	}
	return NULL;
}

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * NSEC_PER_SEC + (uint64_t)tv->tv_usec * USEC;
}

static struct timeval ns_tv(uint64_t ns)
{
	return (struct timeval){.tv_sec = (time_t)(ns / NSEC_PER_SEC),
				.tv_usec = (suseconds_t)(ns % NSEC_PER_SEC / USEC)};
}

static struct itimerval current_value(void)
{
	uint64_t now = time_now_ns(), at = deadline_ns;

	return (struct itimerval){.it_value = ns_tv(at > now ? at - now
						    : at     ? 1000
							     : 0),
				  .it_interval = ns_tv(interval_ns)};
}

static long sys_getitimer(long which, struct itimerval *uv)
{
	if (which != ITIMER_REAL)
		return which == ITIMER_VIRTUAL || which == ITIMER_PROF ? -ENOSYS : -EINVAL;
	struct itimerval v = current_value();
	return copy_to_user(uv, &v, sizeof(v));
}

static long sys_setitimer(long which, const struct itimerval *unew, struct itimerval *uold)
{
	struct itimerval v, old;

	if (which != ITIMER_REAL)
		return which == ITIMER_VIRTUAL || which == ITIMER_PROF ? -ENOSYS : -EINVAL;
	if (copy_from_user(&v, unew, sizeof(v)))
		return -EFAULT;
	if (v.it_value.tv_usec < 0 || v.it_value.tv_usec >= 1000000 || v.it_value.tv_sec < 0 ||
	    v.it_interval.tv_usec < 0 || v.it_interval.tv_usec >= 1000000 ||
	    v.it_interval.tv_sec < 0)
		return -EINVAL;
	if (!__atomic_exchange_n(&started, 1, __ATOMIC_ACQ_REL)) {
		struct thread_attr a = {.name = "itimer",
					.priority = THREAD_PRIO_MAX,
					.detached = 1,
					.flags = THREAD_F_PROTECTED | THREAD_F_KERNEL};
		if (thread_spawn(&a, timer_thread, NULL) < 0) {
			started = 0;
			return -EAGAIN;
		}
	}
	unsigned long flags = spin_lock_irqsave(&lock);
	old = current_value();
	uint64_t value = tv_ns(&v.it_value);
	deadline_ns = value ? time_now_ns() + value : 0;
	interval_ns = value ? tv_ns(&v.it_interval) : 0;
	spin_unlock_irqrestore(&lock, flags);
	__atomic_add_fetch(&changes, 1, __ATOMIC_RELEASE);
	futex_wake_addr(&changes, INT_MAX);
	return uold ? copy_to_user(uold, &old, sizeof(old)) : 0;
}

static long sys_alarm(long seconds)
{
	struct itimerval v = {.it_value = {.tv_sec = seconds}}, old;
	long r = sys_setitimer(ITIMER_REAL, &v, &old);

	if (r)
		return r;
	return old.it_value.tv_sec +
	       (old.it_value.tv_usec >= 500000 || (!old.it_value.tv_sec && old.it_value.tv_usec));
}

SYSCALL(getitimer, sys_getitimer);
SYSCALL(setitimer, sys_setitimer);
SYSCALL(alarm, sys_alarm);
