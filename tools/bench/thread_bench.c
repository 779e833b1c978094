/* The measurements of thread_bench.h. Every sample is timed on its own
 * and the median and 99th percentile are reported. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "thread_bench.h"

#define SAMPLES 20000
#define SPAWN_SAMPLES 2000

static const struct thread_bench_ops *ops;
static uint64_t samples[SAMPLES];

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *s, int n)
{
	char line[128];

	qsort(s, n, sizeof(*s), cmp_u64);
	snprintf(line, sizeof(line), "%s median=%llu p99=%llu", what, (unsigned long long)s[n / 2],
		 (unsigned long long)s[n * 99 / 100]);
	ops->report(line);
}

/* ---- yield: two threads on CPU 0 take turns; each sample is one round
 * trip (two switches) halved. */
static volatile int yield_stop;

static void *yield_partner(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&yield_stop, __ATOMIC_ACQUIRE))
		ops->yield();
	return NULL;
}

static void bench_yield(void)
{
	yield_stop = 0;
	void *t = ops->spawn(yield_partner, NULL, 0);
	for (int i = 0; i < 100; i++)
		ops->yield(); /* let the partner start */
	for (int i = 0; i < SAMPLES; i++) {
		uint64_t t0 = ops->cycles();
		ops->yield();
		samples[i] = (ops->cycles() - t0) / 2;
	}
	__atomic_store_n(&yield_stop, 1, __ATOMIC_RELEASE);
	ops->join(t);
	report("yield", samples, SAMPLES);
}

/* ---- spawn and create+join, both threads on CPU 0. */
static volatile uint64_t started_at;

static void *note_start(void *arg)
{
	(void)arg;
	started_at = ops->cycles();
	return NULL;
}

static void *do_nothing(void *arg)
{
	return arg;
}

static void bench_spawn(void)
{
	for (int i = 0; i < SPAWN_SAMPLES; i++) {
		uint64_t t0 = ops->cycles();
		void *t = ops->spawn(note_start, NULL, 0);
		ops->join(t);
		samples[i] = started_at - t0;
	}
	report("spawn", samples, SPAWN_SAMPLES);
	for (int i = 0; i < SPAWN_SAMPLES; i++) {
		uint64_t t0 = ops->cycles();
		ops->join(ops->spawn(do_nothing, NULL, 0));
		samples[i] = ops->cycles() - t0;
	}
	report("create_join", samples, SPAWN_SAMPLES);
}

static void bench_mutex(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

	for (int i = 0; i < SAMPLES; i++) {
		uint64_t t0 = ops->cycles();
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
		samples[i] = ops->cycles() - t0;
	}
	report("mutex", samples, SAMPLES);
}

/* ---- semaphore ping-pong: the measuring thread posts "ping" and waits
 * for "pong"; each sample is the round trip halved: one post that wakes a
 * blocked thread, until that thread runs. */
static sem_t ping, pong;
static volatile int pp_rounds;

static void *ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < pp_rounds; i++) {
		sem_wait(&ping);
		sem_post(&pong);
	}
	return NULL;
}

static void bench_pingpong(const char *what, int cpu)
{
	int n = SAMPLES / 4;

	sem_init(&ping, 0, 0);
	sem_init(&pong, 0, 0);
	pp_rounds = n + 10;
	void *t = ops->spawn(ponger, NULL, cpu);
	for (int i = 0; i < 10; i++) {
		sem_post(&ping);
		sem_wait(&pong);
	}
	for (int i = 0; i < n; i++) {
		uint64_t t0 = ops->cycles();
		sem_post(&ping);
		sem_wait(&pong);
		samples[i] = (ops->cycles() - t0) / 2;
	}
	ops->join(t);
	report(what, samples, n);
}

void thread_bench_run(const struct thread_bench_ops *o)
{
	char line[96];

	ops = o;
	for (int i = 0; i < SAMPLES; i++) {
		uint64_t t0 = ops->cycles();
		samples[i] = ops->cycles() - t0;
	}
	qsort(samples, SAMPLES, sizeof(samples[0]), cmp_u64);
	snprintf(line, sizeof(line), "timer overhead median=%llu (%s, %d CPUs)",
		 (unsigned long long)samples[SAMPLES / 2], ops->name, ops->ncpus);
	ops->report(line);
	ops->pin_self(0);
	bench_yield();
	bench_spawn();
	bench_mutex();
	bench_pingpong("sem_pingpong_local", 0);
	if (ops->ncpus > 1)
		bench_pingpong("sem_pingpong_cross", 1);
}
