/* Clocks and sleeps. */
#include <errno.h>
#include <time.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <platform.h>

static void ns_to_timespec(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}

static long sys_clock_gettime(long clk, struct timespec *ts)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ns_to_timespec(plat_realtime_ns(), ts);
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		ns_to_timespec(time_now_ns(), ts);
		return 0;
	default:
		return -EINVAL;
	}
}

static long sys_clock_getres(long clk, struct timespec *ts)
{
	(void)clk;
	if (ts) {
		ts->tv_sec = 0;
		ts->tv_nsec = 1;
	}
	return 0;
}

static int timespec_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long)NSEC_PER_SEC;
}

static long sys_clock_nanosleep(long clk, long flags, const struct timespec *req,
				struct timespec *rem)
{
	uint64_t deadline, ns;

	if (!timespec_valid(req))
		return -EINVAL;
	ns = req->tv_sec * NSEC_PER_SEC + req->tv_nsec;
	if (flags & TIMER_ABSTIME) {
		deadline = ns;
		if (clk == CLOCK_REALTIME)
			deadline = time_now_ns() + (ns - plat_realtime_ns());
	} else {
		deadline = time_now_ns() + ns;
	}
	if (time_sleep_until(deadline) == 0) {
		if (rem)
			rem->tv_sec = rem->tv_nsec = 0;
		return 0;
	}
	if (rem && !(flags & TIMER_ABSTIME)) {
		uint64_t now = time_now_ns();
		ns_to_timespec(deadline > now ? deadline - now : 0, rem);
	}
	return -EINTR;
}

static long sys_nanosleep(const struct timespec *req, struct timespec *rem)
{
	return sys_clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);
}

/* No signals reach a thread, so pause() waits for ever (or for a kill,
 * which every sleep notices). */
static long sys_pause(void)
{
	for (;;)
		thread_sleep_ms(3600 * 1000);
	return 0;
}

SYSCALL(pause, sys_pause);
SYSCALL(clock_gettime, sys_clock_gettime);
SYSCALL(clock_getres, sys_clock_getres);
SYSCALL(clock_nanosleep, sys_clock_nanosleep);
SYSCALL(nanosleep, sys_nanosleep);
