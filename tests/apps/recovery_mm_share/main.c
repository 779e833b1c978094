/* Memory and descriptors a crashed thread had handed to another thread
 * (tests/recovery/mm.sh). A worker, restarted after each crash, hands main
 * a block or a descriptor and crashes; its next life takes memory or
 * opens a file of its own, and main checks what it holds:
 *
 *   recovery_mm_share KIND [CYCLES [no-baseline]]
 *     mem        blocks from mm_shared_alloc() and moved with mm_share()
 *                survive the crash: main reads what the worker wrote
 *     mem-plain  a plain malloc() block: freed with the crashed heap
 *                (prints what main then reads; asserts nothing)
 *     fd-used    main writes to the worker's file before the crash; after
 *                it the number is reserved: main's write gets EBADF and
 *                the next life's file gets another number
 *     fd-shared  the worker hands the file over with fd_share(): it stays
 *                open, main's write lands in it
 * Needs a FAT disk (DISK=). Prints "recovery_mm_share: ok" when memory
 * and descriptors are back at their baseline and no write went astray
 * ("no-baseline": the heap's not checked, for SMP runs; see mm.sh). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <kernel/fault.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/thread.h>

#define BLOCK 64
#define NAMES 4

static const char *kind;
static int cycles;
static volatile int life, published, acked;
static char *volatile block;
static volatile int handed_fd = -1;
static volatile int zero;
static char *volatile sink;

__attribute__((noinline)) static void crash_null(void)
{
	*(volatile int *)(long)zero = 1;
}

static void name_of(char *out, int k)
{
	sprintf(out, "/share%d.txt", k % NAMES);
}

static void wait_for(volatile int *v, int value)
{
	while (__atomic_load_n(v, __ATOMIC_ACQUIRE) < value)
		thread_sleep_us(100);
}

/* Each life: take back memory the last crash freed (same size, filled),
 * then hand something to main and crash. */
static void *worker(void *arg)
{
	int k = __atomic_add_fetch(&life, 1, __ATOMIC_ACQ_REL);
	char name[32];
	char *p;

	static char *fill[64];

	(void)arg;
	for (int i = 0; i < 64; i++) {
		fill[i] = malloc(BLOCK);
		memset(fill[i], 'X', BLOCK);
	}
	if (kind[0] == 'm') {
		if (!strcmp(kind, "mem-plain"))
			p = malloc(BLOCK);
		else if (k % 2)
			p = mm_shared_alloc(BLOCK);
		else
			p = mm_share(malloc(BLOCK)); /* before the pointer is published */
		snprintf(p, BLOCK, "life %d", k);
		block = p;
	} else {
		name_of(name, k);
		int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644);
		if (fd < 0) {
			printf("recovery_mm_share: open %s: %s\n", name, strerror(errno));
			return NULL;
		}
		if (!strcmp(kind, "fd-shared"))
			fd_share(fd);
		handed_fd = fd;
	}
	__atomic_store_n(&published, k, __ATOMIC_RELEASE);
	if (k > cycles) { /* the last life ends normally */
		for (int i = 0; i < 64; i++)
			free(fill[i]);
		return NULL;
	}
	wait_for(&acked, k);
	crash_null();
	return NULL;
}

static int open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < FD_MAX; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

static long size_of(int k)
{
	char name[32];
	struct stat st;

	name_of(name, k);
	return stat(name, &st) ? -1 : (long)st.st_size;
}

/* One cycle seen from main. @retval 0 as it should be */
static int check_cycle(int k, int *reused)
{
	if (kind[0] == 'm') {
		char *p = block;
		char want[BLOCK];

		snprintf(want, sizeof(want), "life %d", k);
		__atomic_store_n(&acked, k, __ATOMIC_RELEASE);
		wait_for(&published, k + 1); /* the next life has allocated */
		if (strcmp(p, want)) {
			(*reused)++;
			if (*reused == 1)
				printf("recovery_mm_share: block of life %d now reads \"%.8s\"\n",
				       k, p);
		}
		if (strcmp(kind, "mem-plain"))
			free(p);
		return strcmp(kind, "mem-plain") && *reused;
	}
	int fd = handed_fd, used = !strcmp(kind, "fd-used");
	if (used && write(fd, "main\n", 5) != 5)
		return 1;
	__atomic_store_n(&acked, k, __ATOMIC_RELEASE);
	wait_for(&published, k + 1); /* the next life has opened its file */
	long r = write(fd, "late\n", 5);
	int err = errno;
	if (handed_fd == fd)
		(*reused)++;
	if (size_of(k + 1) != 0 || (used ? r != -1 || err != EBADF : r != 5)) {
		printf("recovery_mm_share: life %d: write %ld (%s), next file %ld bytes\n", k, r,
		       strerror(err), size_of(k + 1));
		return 1;
	}
	/* fd-used: main's line before the crash; fd-shared: its late one. */
	if (size_of(k) != 5) {
		printf("recovery_mm_share: life %d: its file has %ld bytes\n", k, size_of(k));
		return 1;
	}
	return close(fd) != 0;
}

int main(int argc, char **argv)
{
	kind = argc > 1 ? argv[1] : "mem";
	cycles = argc > 2 ? atoi(argv[2]) : 10;
	struct mm_stats before = {0}, after;
	int fds = open_fds(), bad = 0, reused = 0;

	struct thread_attr wa = {.name = "worker",
				 .detached = 1,
				 .stack_size = 32768,
				 .restart_max = THREAD_RESTART_ALWAYS};
	thread_spawn(&wa, worker, NULL);
	for (int k = 1; k <= cycles && !bad; k++) {
		wait_for(&published, k);
		/* The baseline once crashes have filled the stack cache
		 * (which keeps freed stacks for the next spawn, counted as
		 * used; with several CPUs, on each), with no block of the
		 * cycle's handed out yet. */
		if (k == 10)
			mm_stats_get(&before);
		bad = check_cycle(k, &reused);
		if (bad)
			printf("recovery_mm_share: cycle %d went wrong\n", k);
	}
	if (kind[0] == 'f' && handed_fd >= 0)
		close(handed_fd); /* the last life's */
	else if (strcmp(kind, "mem-plain") && block)
		free(block);
	thread_sleep_ms(20);
	mm_stats_get(&after);
	int fds_after = open_fds();
	printf("recovery_mm_share: %s: %llu faults, %d lives, %d blocks changed or numbers reused, "
	       "descriptors %d -> %d, used %zu -> %zu, shared heap %zu\n",
	       kind, (unsigned long long)fault_count(), life, reused, fds, fds_after, before.used,
	       after.used, mm_heap_used(mm_shared_heap()));
	/* The stack cache keeps freed stacks, counted as used: it may hold a
	 * worker stack or two more than at the baseline. A leak would grow
	 * with the cycles instead. */
	long slack = 2 * (32768L + 4096) + 1024;
	int baseline = argc <= 3 || strcmp(argv[3], "no-baseline");
	int ok = !bad && fault_count() == (uint64_t)cycles && fds_after == fds &&
		 (!baseline || (long)after.used <= (long)before.used + slack) &&
		 !mm_heap_used(mm_shared_heap());
	printf("recovery_mm_share: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
