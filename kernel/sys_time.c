/* Clocks and sleeps. */
#include <errno.h>
#include <time.h>
#include <kernel/compiler.h>
#include <kernel/resource.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <platform.h>

/* The time @ns to the application's timespec. @retval 0, -EFAULT */
static int timespec_out(uint64_t ns, struct timespec *uts)
{
	struct timespec ts = {.tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC};

	return copy_to_user(uts, &ts, sizeof(ts));
}

static long sys_clock_gettime(long clk, struct timespec *ts)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return timespec_out(plat_realtime_ns(), ts);
	case CLOCK_PROCESS_CPUTIME_ID:
		if (IS_ENABLED(CONFIG_PROCESS_CALLS))
			return timespec_out(process_cpu_ns(), ts);
		return timespec_out(time_now_ns(), ts);
	case CLOCK_THREAD_CPUTIME_ID:
		if (IS_ENABLED(CONFIG_PROCESS_CALLS))
			return timespec_out(thread_cpu_ns(), ts);
		return timespec_out(time_now_ns(), ts);
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return timespec_out(time_now_ns(), ts);
	default:
		return -EINVAL;
	}
}

static long sys_clock_getres(long clk, struct timespec *ts)
{
	(void)clk;
	return ts ? timespec_out(1, ts) : 0;
}

static int timespec_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long)NSEC_PER_SEC;
}

static long sys_clock_nanosleep(long clk, long flags, const struct timespec *ureq,
				struct timespec *rem)
{
	struct timespec req;
	uint64_t deadline, ns;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (!timespec_valid(&req))
		return -EINVAL;
	ns = req.tv_sec * NSEC_PER_SEC + req.tv_nsec;
	if (flags & TIMER_ABSTIME) {
		deadline = ns;
		if (clk == CLOCK_REALTIME)
			deadline = time_now_ns() + (ns - plat_realtime_ns());
	} else {
		deadline = time_now_ns() + ns;
	}
	if (time_sleep_until(deadline) == 0)
		return 0; /* rem is written only when the sleep is cut short */
	if (rem && !(flags & TIMER_ABSTIME)) {
		uint64_t now = time_now_ns();
		if (timespec_out(deadline > now ? deadline - now : 0, rem))
			return -EFAULT;
	}
	return -EINTR;
}

static long sys_nanosleep(const struct timespec *req, struct timespec *rem)
{
	return sys_clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);
}

/* No signals reach a thread, so pause() waits for ever (or for a kill,
 * which every sleep notices). */
static __attribute__((unused)) long sys_pause(void)
{
	for (;;)
		thread_sleep_ms(3600 * 1000);
	return 0;
}

#ifndef CONFIG_SIGNALS
SYSCALL(pause, sys_pause);
#endif
SYSCALL(clock_gettime, sys_clock_gettime);
SYSCALL(clock_getres, sys_clock_getres);
SYSCALL(clock_nanosleep, sys_clock_nanosleep);
SYSCALL(nanosleep, sys_nanosleep);
