/* Thread micro-benchmark inside the unikernel: the kernel's threads
 * (thread_spawn, thread_yield) and musl's mutexes and semaphores on its
 * futexes, timed with the TSC. The same measurements run on the host with
 * Linux pthreads (tools/bench/thread_host.c). */
#include <stdint.h>
#include <stdio.h>
#include <kernel/thread.h>
#include <thread_bench.h>

static uint64_t cycles(void)
{
#if defined(__aarch64__)
	/* the generic timer's count (62.5 MHz on QEMU virt), not CPU cycles */
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0; isb" : "=r"(v)::"memory");
	return v;
#elif defined(__riscv)
	/* the time CSR (10 MHz on QEMU virt), not CPU cycles: under TCG the
	 * cycle CSR counts host clock ticks at a rate nobody states */
	uint64_t v;

	__asm__ volatile("fence; rdtime %0; fence" : "=r"(v)::"memory");
	return v;
#else
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
#endif
}

static void *spawn(void *(*fn)(void *), void *arg, int cpu)
{
	struct thread_attr a = {.name = "bench", .affinity = 1ull << cpu, .stack_size = 16384};
	int tid = thread_spawn(&a, fn, arg);

	return tid > 0 ? (void *)(intptr_t)tid : NULL;
}

static void join(void *t)
{
	thread_join((int)(intptr_t)t, NULL);
}

static void pin_self(int cpu)
{
	thread_set_affinity(0, 1ull << cpu);
}

static void report(const char *line)
{
	printf("%s\n", line);
}

int main(void)
{
	const struct thread_bench_ops ops = {
	    .name = "unishyper",
	    .spawn = spawn,
	    .join = join,
	    .yield = thread_yield,
	    .pin_self = pin_self,
	    .ncpus = sched_cpu_count() > 1 ? 2 : 1,
	    .cycles = cycles,
	    .report = report,
	};

	thread_bench_run(&ops);
	return 0;
}
