/* linuxu time: the host's clocks, the TSC for cycles, and the timer
 * interrupt as a one-shot host timer (SIGALRM, irq.c). */
#include <time.h>
#include <arch/cpu.h>
#include <kernel/time.h>
#include <platform.h>

#include "host.h"
#include "linuxu.h"

static uint64_t host_clock_ns(long clock)
{
	struct timespec ts;

	host_syscall(HOST_CLOCK_GETTIME, clock, &ts, 0);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static uint64_t start_ns;
static uint64_t cycles_hz;
void (*linuxu_timer_handler)(void);

/* Counted from process start, as the machine platforms count from boot. */
uint64_t plat_time_ns(void)
{
	return host_clock_ns(CLOCK_MONOTONIC) - start_ns;
}

uint64_t plat_realtime_ns(void)
{
	return host_clock_ns(CLOCK_REALTIME);
}

uint64_t plat_cycles(void)
{
	return arch_rdtsc();
}

/* The host does not say its TSC rate: measure it against the host clock,
 * once, when first needed. */
uint64_t plat_cycles_hz(void)
{
	if (!cycles_hz) {
		uint64_t n0 = plat_time_ns(), c0 = arch_rdtsc(), n1;
		while ((n1 = plat_time_ns()) - n0 < 2000000)
			;
		cycles_hz = (arch_rdtsc() - c0) * NSEC_PER_SEC / (n1 - n0);
	}
	return cycles_hz;
}

void plat_timer_set_handler(void (*handler)(void))
{
	linuxu_timer_handler = handler;
}

/* The deadline last asked for (0: none): plat_idle() arms it again. */
uint64_t linuxu_armed_deadline_ns;

void linuxu_host_timer_set(uint64_t deadline_ns)
{
	struct {
		struct {
			long sec, usec;
		} interval, value;
	} it = {{0, 0}, {0, 0}};

	if (deadline_ns) {
		uint64_t now = plat_time_ns();
		uint64_t us = deadline_ns > now ? (deadline_ns - now + 999) / 1000 : 1;
		it.value.sec = us / 1000000;
		it.value.usec = us % 1000000;
	}
	host_syscall(HOST_SETITIMER, 0 /* ITIMER_REAL */, &it, 0);
}

void plat_timer_arm(uint64_t deadline_ns)
{
	linuxu_armed_deadline_ns = deadline_ns;
	linuxu_host_timer_set(deadline_ns);
}

void linuxu_time_init(void)
{
	start_ns = host_clock_ns(CLOCK_MONOTONIC);
}
