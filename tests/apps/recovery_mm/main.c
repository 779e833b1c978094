/* Damaged heaps and misuse of free(), repeated: a worker thread damages its
 * heap or misuses free() in the way argv[1] names, then crashes (or is
 * stopped by the allocator), over and over, while a counter thread runs.
 *
 *   recovery_mm KIND [CYCLES [no-baseline]]
 *     overflow  a large block overflows into the next block's headers,
 *               then a NULL write
 *     scribble  a slab header and a free object's link are overwritten,
 *               then a NULL write
 *     dfree     a small object freed twice; dfree-large: a large one
 *     badfree   free() of a pointer into the middle of a block
 *     small     4 bytes written past a 100-byte block, then freed (only
 *               CONFIG_HEAP_CHECK notices)
 * Prints one line of figures and "recovery_mm: ok" when every crash was
 * recovered, the counter ran, and the heap is back at its baseline but
 * for what was quarantined ("no-baseline": not checked, for SMP runs,
 * where the worker's stacks leak in any crash loop; see mm.sh). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/fault.h>
#include <kernel/mm.h>
#include <kernel/thread.h>

/* The stack cache keeps freed stacks for the next spawn, counted as
 * used: it may hold a worker stack or two more than at the baseline. A
 * leak would grow with the cycles instead. */
#define SLACK (2 * (32768L + 4096) + 1024)

static const char *kind;
static volatile int starts, zero;
static volatile unsigned long ticks;
static void *volatile sink;

__attribute__((noinline)) static void crash_null(void)
{
	*(volatile int *)(long)zero = 1;
}

/* Two large blocks, one right after the other: the first's overflow runs
 * over the second's block and list headers, and nothing else. Blocks are
 * taken until two in a row are neighbours: earlier crashes left holes
 * (beside the blocks they quarantined) that are filled first. */
__attribute__((noinline)) static void overflow(void)
{
	char *prev = NULL, *p;

	for (int i = 0; i < 8192 && (p = malloc(4000)); i++, prev = p) {
		/* 4000 rounded up, and the headers (and a guard with
		 * CONFIG_HEAP_CHECK): nothing else fits between. */
		if (prev && p - prev > 4000 && p - prev < 4100) {
			volatile char *spill = prev;
			for (long k = 0; k < p - prev + 16; k++)
				spill[k] = 0x41;
			crash_null();
		}
	}
	printf("recovery_mm: no two neighbouring blocks\n");
	crash_null();
}

__attribute__((noinline)) static void scribble(void)
{
	char *a = malloc(64);

	sink = malloc(64);
	free(sink);
	*(uintptr_t *)sink = 0x4141414141414141ul; /* the free list's link */
	volatile char *hdr = (char *)((uintptr_t)a & ~(uintptr_t)16383);

	for (int i = 0; i < 128; i++) /* the slab's header */
		hdr[i] = 0x5a;
	crash_null();
}

__attribute__((noinline)) static void small_overflow(void)
{
	char *p = malloc(100);
	size_t n = 100 + 4 * (1 - zero);

	memset(p, 1, n);
	sink = p;
	free(sink);
}

static void misuse(void)
{
	char *p;

	if (!strcmp(kind, "overflow")) {
		overflow();
	} else if (!strcmp(kind, "scribble")) {
		scribble();
	} else if (!strcmp(kind, "dfree") || !strcmp(kind, "dfree-large")) {
		sink = malloc(kind[5] ? 5000 : 48);
		free(sink);
		free(sink);
	} else if (!strcmp(kind, "badfree")) {
		p = malloc(200);
		sink = p + 16;
		free(sink);
	} else if (!strcmp(kind, "small")) {
		small_overflow();
	}
	crash_null(); /* misuse that went unnoticed: still a crash */
}

static void *worker(void *arg)
{
	int cycles = (int)(long)arg;

	if (__atomic_add_fetch(&starts, 1, __ATOMIC_ACQ_REL) > cycles)
		return NULL;
	for (int i = 0; i < 6; i++)
		sink = malloc(100 + i * 700);
	misuse();
	return NULL;
}

/* How many of the last records say the heap was found damaged. */
static int damaged_notes(int *n)
{
	static struct fault_record r[FAULT_LOG_SIZE];
	int k = 0;

	*n = fault_log_get(r, FAULT_LOG_SIZE);
	for (int i = 0; i < *n; i++)
		k += !strncmp(r[i].note, "heap damaged", 12);
	return k;
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
	kind = argc > 1 ? argv[1] : "overflow";
	int cycles = argc > 2 ? atoi(argv[2]) : 10;
	struct mm_stats before, after;

	struct thread_attr ca = {.name = "counter", .detached = 1};
	thread_spawn(&ca, counter, NULL);
	thread_sleep_ms(5);
	unsigned long t0 = ticks;
	struct thread_attr wa = {.name = "worker",
				 .detached = 1,
				 .stack_size = 32768,
				 .restart_max = THREAD_RESTART_ALWAYS};
	thread_spawn(&wa, worker, (void *)(long)cycles);
	/* The baseline once crashes have filled the stack cache (which
	 * keeps freed stacks for the next spawn, counted as used; with
	 * several CPUs, on each). */
	while (__atomic_load_n(&starts, __ATOMIC_ACQUIRE) < 10)
		thread_sleep_ms(1);
	thread_sleep_ms(5);
	mm_stats_get(&before);
	for (int i = 0; i < 120000 && __atomic_load_n(&starts, __ATOMIC_ACQUIRE) <= cycles; i++)
		thread_sleep_ms(1);
	thread_sleep_ms(20);
	mm_stats_get(&after);
	uint64_t faults = fault_count();
	long used = (long)after.used - (long)before.used;
	long lost = (long)before.free - (long)after.free;
	long quarantined = (long)(after.quarantined - before.quarantined);
	int damaged = (int)(after.quarantines - before.quarantines);
	printf("recovery_mm: %s: %llu faults, %d starts, counter +%lu, used %+ld, free %+ld, "
	       "quarantined %ld bytes in %d heaps (%zu in all)\n",
	       kind, (unsigned long long)faults, starts, ticks - t0, used, -lost, quarantined,
	       damaged, after.quarantined);
	/* Back at the baseline but for what was set aside (and SLACK), and
	 * at most one slab's worth of it per crash. */
	int nrec, notes = damaged_notes(&nrec);
	int must_damage = !strcmp(kind, "overflow") || !strcmp(kind, "scribble");
	int baseline = argc <= 3 || strcmp(argv[3], "no-baseline");
	int ok = faults == (uint64_t)cycles && starts == cycles + 1 && ticks > t0 &&
		 (!baseline || (used <= SLACK && lost <= quarantined + SLACK)) &&
		 quarantined <= (long)damaged * 16384 && (must_damage ? notes == nrec : notes == 0);
	printf("recovery_mm: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
