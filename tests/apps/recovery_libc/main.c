/* Crashes that leave C-library state behind: a FILE the thread opened, a
 * mutex of each kind it held, a pthread_create() thread's restart.
 *
 *   recovery_libc file CYCLES        a worker fopen()s (and fmemopen()s,
 *                                    open_memstream()s), writes buffered
 *                                    data, crashes; then main uses stdio
 *   recovery_libc file-kill CYCLES   the same FILEs in a thread killed by
 *                                    thread_kill()
 *   recovery_libc mutex KIND CYCLES  KIND: normal, recursive, errorcheck,
 *                                    robust, pi; a worker crashes holding
 *                                    it while a waiter is blocked on it
 *   recovery_libc cond KIND CYCLES   the waiter is in pthread_cond_wait()
 *   recovery_libc restart CYCLES     pthread_create() threads and their
 *                                    restart policies (restart.c)
 *   recovery_libc restart-limit      restarted N times, then the limit
 *                                    stops the system
 * Each prints "recovery_libc: MODE ok" and returns 0 from main (exit()
 * flushes and walks every open FILE) when everything held. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <kernel/mm.h>
#include <kernel/thread.h>
#include "recovery_libc.h"

volatile int zero;

__attribute__((noinline)) void crash_now(void)
{
	*(volatile int *)(long)zero = 1;
}

int failures;

void check(int ok, const char *what)
{
	if (!ok) {
		printf("recovery_libc: FAILED: %s\n", what);
		failures++;
	}
}

size_t heap_used(void)
{
	struct mm_stats s;

	mm_stats_get(&s);
	return s.used;
}

int open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* A joinable thread_spawn() thread that its crash ends. */
int spawn_once(const char *name, void *(*fn)(void *), void *arg)
{
	struct thread_attr a = {.name = name, .restart_max = THREAD_RESTART_NEVER};

	return thread_spawn(&a, fn, arg);
}

/* -------------------------------------------------------------- FILEs */

static int have_disk;

/* Buffered writes that never reach write(): a crash drops them. */
static void *file_worker(void *arg)
{
	int i = (int)(long)arg;
	static char mem[64];
	char *ms = NULL;
	size_t ms_len = 0;

	if (have_disk) {
		FILE *f = fopen("/crash.txt", "w");
		if (!f)
			return (void *)1l;
		fprintf(f, "buffered line %d\n", i);
	}
	FILE *m = fmemopen(mem, sizeof(mem), "w");
	FILE *s = open_memstream(&ms, &ms_len);
	if (!m || !s)
		return (void *)2l;
	fprintf(m, "in memory %d", i);
	fprintf(s, "in a stream %d", i);
	crash_now();
	return NULL;
}

static int file_mode(int cycles)
{
	struct stat st;

	have_disk = stat("/", &st) == 0;
	size_t heap0 = 0;
	int fds0 = 0;
	/* The baseline after three cycles: the stack cache (freed stacks
	 * kept for the next spawn, counted as used) is full by then. */
	for (int i = -3; i < cycles; i++) {
		void *v = NULL;
		if (i == 0) {
			heap0 = heap_used();
			fds0 = open_fds();
		}
		int tid = spawn_once("filer", file_worker, (void *)(long)i);
		check(tid > 0 && thread_join(tid, &v) == 0, "spawn and join the worker");
		if (v != THREAD_EXIT_CRASHED) {
			printf("recovery_libc: worker %d ended with %p\n", i, v);
			failures++;
			break;
		}
	}
	check(heap_used() == heap0, "heap back at its baseline");
	check(open_fds() == fds0, "descriptors back at their baseline");
	if (have_disk) {
		check(stat("/crash.txt", &st) == 0 && st.st_size == 0,
		      "the crashed thread's buffered data was dropped");
		FILE *f = fopen("/after.txt", "w");
		check(f && fprintf(f, "after %d crashes\n", cycles) > 0, "fopen after the crashes");
		check(fflush(NULL) == 0, "fflush(NULL)");
		check(f && fclose(f) == 0, "fclose");
		check(stat("/after.txt", &st) == 0 && st.st_size > 0, "written after the crashes");
	}
	char buf[32];
	FILE *m = fmemopen(buf, sizeof(buf), "w");
	check(m && fprintf(m, "main") == 4, "fmemopen after the crashes");
	check(fflush(NULL) == 0, "fflush(NULL) with main's FILE open");
	printf("recovery_libc: file: %d crashes holding FILEs (disk %s), heap %zu -> %zu, fds %d "
	       "-> %d\n",
	       cycles, have_disk ? "yes" : "no", heap0, heap_used(), fds0, open_fds());
	return 0; /* m stays open: exit() flushes and closes it */
}

/* A killed thread's FILEs go too (its heap is handed on, not released:
 * they are freed one by one). */
static sem_t opened;

static void *file_sleeper(void *arg)
{
	char *ms = NULL;
	size_t ms_len = 0;
	FILE *s = open_memstream(&ms, &ms_len);

	(void)arg;
	if (have_disk) {
		FILE *f = fopen("/killed.txt", "w");
		if (f)
			fprintf(f, "buffered, then killed\n");
	}
	if (s)
		fprintf(s, "in a stream");
	sem_post(&opened);
	for (;;)
		thread_sleep_ms(1000);
	return NULL;
}

static int file_kill_mode(int cycles)
{
	struct stat st;

	have_disk = stat("/", &st) == 0;
	sem_init(&opened, 0, 0);
	int fds0 = open_fds();
	for (int i = 0; i < cycles; i++) {
		int tid = spawn_once("sleeper", file_sleeper, NULL);
		sem_wait(&opened);
		check(thread_kill(tid) == 0 && thread_join(tid, NULL) == 0, "kill and join");
	}
	check(open_fds() == fds0, "descriptors back at their baseline");
	check(fflush(NULL) == 0, "fflush(NULL) after the kills");
	FILE *f = have_disk ? fopen("/after.txt", "w") : NULL;
	check(!have_disk || (f && fclose(f) == 0), "fopen after the kills");
	printf("recovery_libc: file-kill: %d threads killed holding FILEs (disk %s)\n", cycles,
	       have_disk ? "yes" : "no");
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "file"))
		r = file_mode(argc > 2 ? atoi(argv[2]) : 10);
	else if (!strcmp(mode, "file-kill"))
		r = file_kill_mode(argc > 2 ? atoi(argv[2]) : 10);
	else if (!strcmp(mode, "mutex") || !strcmp(mode, "cond"))
		r = mutex_mode(mode[0] == 'c', argc > 2 ? argv[2] : "normal",
			       argc > 3 ? atoi(argv[3]) : 10);
	else if (!strcmp(mode, "restart"))
		r = restart_mode(argc > 2 ? atoi(argv[2]) : 10);
	else if (!strcmp(mode, "restart-limit"))
		r = restart_limit_mode();
	else {
		printf(
		    "usage: recovery_libc file|file-kill|mutex|cond|restart|restart-limit ...\n");
		return 2;
	}
	if (r || failures) {
		printf("recovery_libc: %s FAILED\n", mode);
		return 1;
	}
	printf("recovery_libc: %s ok\n", mode);
	return 0;
}
