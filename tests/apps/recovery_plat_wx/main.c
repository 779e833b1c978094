/* W^X: the kernel's code and constants cannot be changed, data cannot be
 * run. A worker, life after life, patches a kernel function (fault_count,
 * to return 0), writes into a constant string, or jumps into a data
 * buffer (static, heap, its stack). Each attempt must be a recorded fault
 * of the worker, which is restarted; afterwards fault_count() still counts,
 * its code and the string are unchanged, and the heap is at its baseline.
 *
 *   recovery_plat_wx [CYCLES]      (default 10; kinds taken in turn)
 * Prints "wx: ok" and exits 0. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/fault.h>
#include <kernel/mm.h>
#include <kernel/thread.h>

#define KINDS 5
static const char *const kind_names[KINDS] = {"patch-text", "write-const", "exec-static",
					      "exec-heap", "exec-stack"};
static const char greeting[] = "constant greeting";
static uint8_t static_code[16] = {0xc3}; /* ret, in .data */
static volatile int starts;
static volatile int attempted[KINDS];
/* xor %eax,%eax; ret: fault_count() would say there were no faults. */
static const uint8_t patch[] = {0x31, 0xc0, 0xc3};

typedef void (*fn_t)(void);

static void attempt(int kind)
{
	uint8_t stack_code[16] = {0xc3};
	uint8_t *heap_code;

	switch (kind) {
	case 0:
		memcpy((void *)(uintptr_t)fault_count, patch, sizeof(patch));
		break;
	case 1:
		((volatile char *)(uintptr_t)greeting)[0] = 'X';
		break;
	case 2:
		((fn_t)(void *)static_code)();
		break;
	case 3:
		heap_code = malloc(64);
		if (heap_code) {
			heap_code[0] = 0xc3;
			((fn_t)(void *)heap_code)();
		}
		break;
	default:
		((fn_t)(void *)stack_code)();
		break;
	}
}

static void *worker(void *arg)
{
	int n = __atomic_add_fetch(&starts, 1, __ATOMIC_ACQ_REL);

	if (n > (int)(long)arg)
		return NULL;
	int kind = (n - 1) % KINDS;
	attempted[kind]++;
	void *held = malloc(100 * n % 3000 + 16); /* memory the crash must give back */
	__asm__ volatile("" ::"r"(held));
	attempt(kind);
	printf("wx: %s did not fault\n", kind_names[kind]);
	exit(1);
}

/* The kinds the fault log holds now, counted by name. */
static void check_log(int *rodata_writes, int *nx_execs)
{
	struct fault_record r[16];
	int n = fault_log_get(r, 16);

	*rodata_writes = *nx_execs = 0;
	for (int i = 0; i < n; i++) {
		*rodata_writes += !strcmp(r[i].kind, "write to read-only page");
		*nx_execs += !strcmp(r[i].kind, "execute of no-exec page");
	}
}

int main(int argc, char **argv)
{
	int cycles = argc > 1 ? atoi(argv[1]) : 10;
	uint8_t code_before[sizeof(patch)];
	struct mm_stats before, after;

	memcpy(code_before, (const void *)(uintptr_t)fault_count, sizeof(code_before));
	struct thread_attr wa = {
	    .name = "worker", .detached = 1, .restart_max = THREAD_RESTART_ALWAYS};
	thread_spawn(&wa, worker, (void *)(long)cycles);
	while (__atomic_load_n(&starts, __ATOMIC_ACQUIRE) < (cycles < 3 ? cycles : 3))
		thread_sleep_ms(1);
	thread_sleep_ms(5);
	mm_stats_get(&before);
	while (__atomic_load_n(&starts, __ATOMIC_ACQUIRE) <= cycles)
		thread_sleep_ms(1);
	thread_sleep_ms(20);
	mm_stats_get(&after);

	uint64_t faults = fault_count();
	int writes, execs;
	check_log(&writes, &execs);
	int code_same =
	    !memcmp(code_before, (const void *)(uintptr_t)fault_count, sizeof(code_before));
	printf("wx: %llu faults in %d lives; last 16: %d writes to read-only, %d executes of "
	       "no-exec; fault_count code %s; greeting \"%s\"; heap used %zu -> %zu\n",
	       (unsigned long long)faults, starts - 1, writes, execs,
	       code_same ? "unchanged" : "CHANGED", greeting, before.used, after.used);
	/* Freed stacks wait in the stack cache, counted as used: with two
	 * CPUs the cache may hold one or two more at the end than at the
	 * baseline. A leak would grow with the lives (1,000 stacks). */
	size_t slack = 2 * (THREAD_STACK_DEFAULT + 4096) + 1024;
	int ok = faults == (uint64_t)cycles && code_same &&
		 !strcmp(greeting, "constant greeting") &&
		 writes + execs == (cycles < 16 ? cycles : 16) && after.used <= before.used + slack;
	if (after.used > before.used + slack)
		printf("wx: heaps %zu -> %zu, large blocks %zu -> %zu, slab bytes %zu -> %zu\n",
		       before.nheaps, after.nheaps, before.large_count, after.large_count,
		       before.slab_bytes, after.slab_bytes);
	printf("wx: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
