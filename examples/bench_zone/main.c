/* What zones cost: system calls, a yield between threads of different
 * zones and of one zone, a spawn, malloc/free, and the gate's bare PKRU
 * writes, in TSC cycles (median and p99 of single operations). Built with
 * and without CONFIG_ZONE by tools/bench/zone_bench.sh; needs a FAT disk
 * (a 1-byte write to a file). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <kernel/thread.h>
#include <kernel/zone.h>

#define N 2000

static uint64_t samples[N];

static uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *name, int n)
{
	qsort(samples, (size_t)n, sizeof(samples[0]), cmp);
	printf("bench_zone: %s median=%llu p99=%llu\n", name, (unsigned long long)samples[n / 2],
	       (unsigned long long)samples[n * 99 / 100]);
}

#define TIME(name, stmt)                                                                           \
	do {                                                                                       \
		for (int i_ = 0; i_ < N; i_++) {                                                   \
			uint64_t t0_ = tsc();                                                      \
			stmt;                                                                      \
			samples[i_] = tsc() - t0_;                                                 \
		}                                                                                  \
		report(name, N);                                                                   \
	} while (0)

static volatile int stop;

static void *yielder(void *arg)
{
	(void)arg;
	while (!stop)
		thread_yield();
	return NULL;
}

/* A round trip to another thread and back, halved, with the other thread
 * in zone @zone. */
static void yield_to(const char *name, int zone)
{
	struct thread_attr a = {.name = "yielder", .zone = zone, .affinity = 1};
	stop = 0;
	int tid = thread_spawn(&a, yielder, NULL);
	for (int i = 0; i < 10; i++)
		thread_yield();
	for (int i = 0; i < N; i++) {
		uint64_t t0 = tsc();
		thread_yield();
		samples[i] = (tsc() - t0) / 2;
	}
	report(name, N);
	stop = 1;
	thread_join(tid, NULL);
}

static void *nothing(void *arg)
{
	return arg;
}

int main(void)
{
	int fd = open("/bench_zone.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
	char c = 'x';

	printf("bench_zone: zones %s\n", zone_available() ? "on" : "off");
	TIME("timer", (void)0);
	TIME("getpid", syscall(SYS_getpid));
	TIME("getppid", syscall(SYS_getppid));
	TIME("pwrite_1", pwrite(fd, &c, 1, 0));
	TIME(
	    "malloc_free_64", do {
		    void *volatile p_ = malloc(64);
		    free(p_);
	    } while (0));
	int other = zone_create("other");
	yield_to("yield_same_zone", zone_self());
	yield_to("yield_other_zone", other);
	for (int i = 0; i < N / 10; i++) {
		struct thread_attr a = {.name = "spawned", .zone = other};
		uint64_t t0 = tsc();
		int tid = thread_spawn(&a, nothing, NULL);
		samples[i] = tsc() - t0;
		thread_join(tid, NULL);
	}
	report("spawn", N / 10);
	if (zone_available()) {
		for (int i = 0; i < N; i++)
			samples[i] = zone_gate_pair_cycles();
		report("gate_pair", N);
	}
	close(fd);
	printf("bench_zone: done\n");
	return 0;
}
