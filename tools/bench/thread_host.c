/* The thread benchmark against Linux pthreads on the host. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "thread_bench.h"

static uint64_t cycles(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static void *spawn(void *(*fn)(void *), void *arg, int cpu)
{
	pthread_attr_t a;
	cpu_set_t set;
	pthread_t *t = malloc(sizeof(*t));

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_attr_init(&a);
	pthread_attr_setaffinity_np(&a, sizeof(set), &set);
	if (pthread_create(t, &a, fn, arg)) {
		perror("pthread_create");
		exit(1);
	}
	pthread_attr_destroy(&a);
	return t;
}

static void join(void *t)
{
	pthread_join(*(pthread_t *)t, NULL);
	free(t);
}

static void yield(void)
{
	sched_yield();
}

static void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void report(const char *line)
{
	printf("%s\n", line);
}

int main(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	const struct thread_bench_ops ops = {
	    .name = "linux",
	    .spawn = spawn,
	    .join = join,
	    .yield = yield,
	    .pin_self = pin_self,
	    .ncpus = n > 1 ? 2 : 1,
	    .cycles = cycles,
	    .report = report,
	};

	thread_bench_run(&ops);
	return 0;
}
