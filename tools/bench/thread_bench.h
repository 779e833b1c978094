/* Thread micro-benchmark, portable between the kernel and a host: the same
 * measurements over pthreads-like operations that the caller supplies.
 *
 * thread_bench_run() prints one line per measurement, in TSC cycles:
 *   yield median=95 p99=120          one switch to another ready thread
 *   spawn median=... p99=...         create until the new thread runs
 *   create_join median=... p99=...   create, run an empty thread, join
 *   mutex median=... p99=...         uncontended lock + unlock
 *   sem_pingpong_local median=...    post -> woken waiter, both on CPU 0
 *   sem_pingpong_cross median=...    the same, waiter on CPU 1 (needs 2 CPUs)
 * Cycle counts include the timer's own overhead (reported first).
 */
#ifndef THREAD_BENCH_H
#define THREAD_BENCH_H

#include <stdint.h>

struct thread_bench_ops {
	const char *name;
	/* Start fn(arg) on @cpu (the only CPU it may use); NULL on failure. */
	void *(*spawn)(void *(*fn)(void *), void *arg, int cpu);
	void (*join)(void *thread);
	void (*yield)(void);
	void (*pin_self)(int cpu);
	int ncpus;
	uint64_t (*cycles)(void);
	void (*report)(const char *line);
};

void thread_bench_run(const struct thread_bench_ops *ops);

#endif
