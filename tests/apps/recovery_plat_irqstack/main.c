/* Interrupts that find a thread's stack nearly used up. A worker recurses
 * slowly into its guard page, life after life, while a ticker thread keeps
 * the timer firing every few microseconds: many timer interrupts arrive
 * when the worker has only a few hundred bytes of stack left. Each crash
 * must be recorded as the worker's stack overflow and recovered; no tick
 * may be lost (the system would sleep for ever) and no interrupt handler
 * may run out of stack (the system would panic).
 *
 *   recovery_plat_irqstack [CYCLES]
 * Prints "irqstack: ok" and exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <kernel/fault.h>
#include <kernel/mm.h>
#include <kernel/thread.h>

static volatile int starts;
static volatile unsigned long ticks;
static volatile int deep = 1;

/* Slow enough that ticks land at every depth, down to the last bytes. */
__attribute__((noinline)) static int descend(int n)
{
	volatile char frame[200];

	frame[0] = (char)n;
	for (volatile int i = 0; i < 300; i++)
		;
	return (deep ? descend(n + 1) : 0) + frame[0];
}

static void *worker(void *arg)
{
	if (__atomic_add_fetch(&starts, 1, __ATOMIC_ACQ_REL) > (int)(long)arg)
		return NULL;
	descend(0);
	return NULL;
}

static void *ticker(void *arg)
{
	(void)arg;
	for (;;) {
		ticks++;
		thread_sleep_us(10);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int cycles = argc > 1 ? atoi(argv[1]) : 100;
	struct mm_stats before, after;

	struct thread_attr ta = {.name = "ticker", .detached = 1};
	thread_spawn(&ta, ticker, NULL);
	struct thread_attr wa = {.name = "worker",
				 .detached = 1,
				 .stack_size = 16384,
				 .restart_max = THREAD_RESTART_ALWAYS};
	thread_spawn(&wa, worker, (void *)(long)cycles);
	while (__atomic_load_n(&starts, __ATOMIC_ACQUIRE) < 3)
		thread_sleep_ms(1);
	thread_sleep_ms(5);
	mm_stats_get(&before);
	unsigned long t0 = ticks;
	while (__atomic_load_n(&starts, __ATOMIC_ACQUIRE) <= cycles)
		thread_sleep_ms(1);
	thread_sleep_ms(20);
	mm_stats_get(&after);
	uint64_t faults = fault_count();
	printf("irqstack: %llu faults, %d starts, ticker +%lu, heap used %zu -> %zu\n",
	       (unsigned long long)faults, starts, ticks - t0, before.used, after.used);
	int ok = faults == (uint64_t)cycles && ticks > t0 && after.used <= before.used + 1024;
	printf("irqstack: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
