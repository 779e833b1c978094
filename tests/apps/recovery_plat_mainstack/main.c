/* main() on a stack of its own. Deep recursion in main (about 1 KiB per
 * frame, as an interpreter's nested calls) fits in its 256 KiB stack while
 * timer interrupts come and go, and leaves the kernel's data intact; a
 * runaway recursion is reported as a stack overflow and stops the system
 * (exit status 125), as any crash of main does.
 *
 *   recovery_plat_mainstack deep [DEPTH]   recurse DEPTH (200) frames, twice
 *   recovery_plat_mainstack runaway        recurse until the guard page */
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/fault.h>
#include <kernel/thread.h>

static volatile int runaway;
static volatile unsigned long ticks;

__attribute__((noinline)) static long recurse(int n)
{
	volatile char frame[1000];

	memset((char *)(uintptr_t)frame, n & 0xff, sizeof(frame));
	if (n == 0 && !runaway)
		return frame[0];
	return recurse(n - 1) + frame[n % sizeof(frame)];
}

static void *ticker(void *arg)
{
	(void)arg;
	for (;;) {
		ticks++;
		thread_sleep_us(50);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "deep";
	int depth = argc > 2 ? atoi(argv[2]) : 200;
	struct thread_attr ta = {.name = "ticker", .detached = 1};

	thread_spawn(&ta, ticker, NULL);
	if (!strcmp(mode, "runaway")) {
		runaway = 1;
		printf("mainstack: runaway recursion\n");
		fflush(stdout);
		recurse(1);
		printf("mainstack: survived a runaway recursion?\n");
		return 1;
	}
	long a = recurse(depth);
	thread_sleep_ms(2);
	long b = recurse(depth);
	/* The kernel still works: threads, sleeps, locks and the fault log. */
	unsigned long t0 = ticks;
	thread_sleep_ms(5);
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	int ok = a == b && ticks > t0 && fault_count() == 0;
	printf("mainstack: %d frames of 1 KiB, twice: %s\n", depth, ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
