/* Fault recovery, shown and measured: a worker thread crashes in the way
 * argv[1] names, over and over, while a counter thread keeps counting. The
 * worker holds memory, a robust mutex and the stdout lock's neighbour
 * (printf) each time; after the crashes the mutex is recovered and the
 * heap is where it started.
 *
 *   fault_demo KIND [CYCLES]      KIND: null, write, divide, ud2, gp,
 *                                 overflow, abort, assert, panic
 * Prints "fault_demo: ok" and exits 0 when every crash was recovered, the
 * counter never stopped, and nothing leaked. */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/fault.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/thread.h>
#include <platform.h>

static const char *kind;
/* Recovery time: from the crashing instruction's neighbourhood to the
 * replacement's first line, in TSC cycles. */
static volatile uint64_t crash_tsc;
static uint64_t recovery[1024];
static volatile int nrecovery;

static uint64_t tsc(void)
{
#if defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
#elif defined(__riscv)
	uint64_t v;

	__asm__ volatile("rdtime %0" : "=r"(v)::"memory");
	return v;
#else
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
#endif
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}
static volatile int starts;
static volatile unsigned long ticks;
static pthread_mutex_t shared;
static volatile int zero;

__attribute__((noinline)) static void crash_null(void)
{
	*(volatile int *)(long)zero = 1;
}

__attribute__((noinline)) static void crash_write(void)
{
	*(volatile int *)(0x10 + (long)zero) = 2; /* a write just past NULL */
}

__attribute__((noinline)) static void crash_divide(void)
{
	unsigned q = 100, d = zero;

#if defined(__aarch64__)
	/* aarch64 divides by zero without a fault (the quotient is 0) */
	__asm__ volatile("udiv %w0, %w0, %w1" : "+r"(q) : "r"(d));
#elif defined(__riscv)
	/* and so does riscv64 (the quotient is all ones) */
	__asm__ volatile("divuw %0, %0, %1" : "+r"(q) : "r"(d));
#else
	unsigned r = 0;
	__asm__ volatile("divl %2" : "+a"(q), "+d"(r) : "r"(d));
#endif
}

__attribute__((noinline)) static void crash_gp(void)
{
	/* A non-canonical address: general protection on bare metal. */
	*(volatile int *)0x8000000000000000ul = 3;
}

static volatile int deep = 1;

__attribute__((noinline)) static int crash_overflow(int n)
{
	volatile char frame[512];

	frame[0] = (char)n;
	return (deep ? crash_overflow(n + 1) : 0) + frame[0];
}

static void crash(void)
{
	if (!strcmp(kind, "null"))
		crash_null();
	else if (!strcmp(kind, "write"))
		crash_write();
	else if (!strcmp(kind, "divide"))
		crash_divide();
	else if (!strcmp(kind, "ud2"))
#if defined(__aarch64__)
		__asm__ volatile("udf #0");
#elif defined(__riscv)
		__asm__ volatile("unimp");
#else
		__asm__ volatile("ud2");
#endif
	else if (!strcmp(kind, "gp"))
		crash_gp();
	else if (!strcmp(kind, "overflow"))
		crash_overflow(0);
	else if (!strcmp(kind, "abort"))
		abort();
	else if (!strcmp(kind, "assert"))
		assert(zero == 42);
	else
		panic("worker gives up (%d)", starts);
}

/* Each life: take memory and the mutex, then crash holding both. */
static void *worker(void *arg)
{
	int cycles = (int)(long)arg;
	uint64_t now = tsc();

	if (crash_tsc && nrecovery < 1024)
		recovery[nrecovery++] = now - crash_tsc;
	if (__atomic_add_fetch(&starts, 1, __ATOMIC_ACQ_REL) > cycles)
		return NULL; /* done: end normally */
	for (int i = 0; i < 8; i++)
		if (!malloc(100 + i * 500))
			return NULL;
	pthread_mutex_lock(&shared);
	crash_tsc = tsc();
	crash();
	return NULL;
}

static void *counter(void *arg)
{
	(void)arg;
	for (;;) {
		ticks++;
		thread_sleep_us(200);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	kind = argc > 1 ? argv[1] : "null";
	int cycles = argc > 2 ? atoi(argv[2]) : 10;
	pthread_mutexattr_t ma;
	struct mm_stats before, after;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&shared, &ma);
	struct thread_attr ca = {.name = "counter", .detached = 1};
	thread_spawn(&ca, counter, NULL);
	thread_sleep_ms(5);
	unsigned long t0 = ticks;

	struct thread_attr wa = {.name = "worker",
				 .detached = 1,
				 .stack_size = 32768,
				 .restart_max = THREAD_RESTART_ALWAYS};
	thread_spawn(&wa, worker, (void *)(long)cycles);
	/* The baseline once two crashes have filled the stack cache (which
	 * keeps freed stacks for the next spawn, counted as used). */
	while (__atomic_load_n(&starts, __ATOMIC_ACQUIRE) < 3)
		thread_sleep_ms(1);
	thread_sleep_ms(5);
	mm_stats_get(&before);
	/* Wait until the worker's last life ended normally. */
	for (int i = 0; i < 60000 && __atomic_load_n(&starts, __ATOMIC_ACQUIRE) <= cycles; i++)
		thread_sleep_ms(1);
	thread_sleep_ms(20);

	int m = pthread_mutex_lock(&shared);
	if (m == EOWNERDEAD) {
		pthread_mutex_consistent(&shared);
		m = 0;
	}
	pthread_mutex_unlock(&shared);
	mm_stats_get(&after);
	uint64_t faults = fault_count();
	printf(
	    "fault_demo: %s: %llu faults recorded, %d starts, counter +%lu, heap used %zu -> %zu, "
	    "mutex %s\n",
	    kind, (unsigned long long)faults, starts, ticks - t0, before.used, after.used,
	    m ? strerror(m) : "recovered");
	int ok = faults == (uint64_t)cycles && starts == cycles + 1 && ticks > t0 && m == 0 &&
		 after.used <= before.used + 1024;
	if (nrecovery > 0) {
		qsort(recovery, nrecovery, sizeof(recovery[0]), cmp_u64);
		uint64_t med = recovery[nrecovery / 2], hz = plat_cycles_hz();
		printf("fault_demo: recovery median %llu cycles (%llu.%02llu us), p99 %llu cycles "
		       "over %d\n",
		       (unsigned long long)med, (unsigned long long)(med * 1000000 / hz),
		       (unsigned long long)(med * 100000000 / hz % 100),
		       (unsigned long long)recovery[nrecovery * 99 / 100], nrecovery);
	}
	printf("fault_demo: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
