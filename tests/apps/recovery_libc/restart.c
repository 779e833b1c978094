/* pthread_create() threads are restarted by their policy, in place: the
 * same start routine and argument, the same tid and pthread_t, a fresh
 * thread block; pthread_join() waits for the last life. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>
#include <kernel/thread.h>
#include "recovery_libc.h"

struct life {
	int crashes; /* crash in the first N lives, then return */
	int lives;
	int tid;
	pthread_t self;
	int same;  /* every life saw the first life's tid and pthread_t */
	int fresh; /* every life found its thread block as new */
};

static _Thread_local int tls_seven = 7;
static _Thread_local char tls_zeroes[32];
static pthread_key_t key;

static void *lives_worker(void *arg)
{
	struct life *l = arg;

	if (l->lives++ == 0) {
		l->tid = thread_self();
		l->self = pthread_self();
	}
	l->same &= l->tid == thread_self() && pthread_equal(l->self, pthread_self());
	l->fresh &= tls_seven == 7 && !tls_zeroes[5] && !pthread_getspecific(key);
	tls_seven = 8;
	tls_zeroes[5] = 1;
	pthread_setspecific(key, malloc(64));
	void *p[8];
	for (int i = 0; i < 8; i++) /* the life's memory, released at its crash */
		l->fresh &= (p[i] = malloc(100 + i * 300)) != NULL;
	if (l->lives <= l->crashes)
		crash_now();
	for (int i = 0; i < 8; i++) /* the last life frees what it took */
		free(p[i]);
	free(pthread_getspecific(key));
	return (void *)(long)(1000 + l->lives);
}

/* Create a worker with @policy (NULL: no attributes) and join it. */
static long run(struct life *l, const pthread_attr_t *policy)
{
	pthread_t t;
	void *v = NULL;

	l->lives = 0;
	l->same = l->fresh = 1;
	check(pthread_create(&t, policy, lives_worker, l) == 0, "pthread_create");
	check(pthread_join(t, &v) == 0, "pthread_join");
	check(l->same, "every life has the same tid and pthread_t");
	check(l->fresh, "every life starts with fresh TLS and no thread-specific values");
	return (long)v;
}

static void expect(long got, long want, int lives, int want_lives, const char *what)
{
	if (got != want || lives != want_lives) {
		printf("recovery_libc: %s: joined %ld after %d lives, expected %ld after %d\n",
		       what, got, lives, want, want_lives);
		failures++;
	}
}

static int c11_lives;

static int c11_worker(void *arg)
{
	(void)arg;
	if (++c11_lives == 1)
		crash_now();
	return 77;
}

static void policies(void)
{
	pthread_attr_t a;
	struct life l = {.crashes = 3};
	int max;
	unsigned w, b;
	long got;

	pthread_attr_init(&a);
	check(pthread_attr_setrestart_np(&a, -3, 0, 0) == EINVAL, "a bad policy is refused");
	check(pthread_attr_setrestart_np(&a, 3, 0, 0) == 0, "setrestart_np");
	check(pthread_attr_getrestart_np(&a, &max, &w, &b) == 0 && max == 3, "getrestart_np");
	got = run(&l, &a);
	expect(got, 1004, l.lives, 4, "3 restarts allowed, 3 crashes");

	l.crashes = 5; /* the default policy: 5 restarts */
	got = run(&l, NULL);
	expect(got, 1006, l.lives, 6, "default policy, 5 crashes");

	pthread_attr_setrestart_np(&a, THREAD_RESTART_NEVER, 0, 0);
	l.crashes = 1;
	got = run(&l, &a);
	expect(got, (long)THREAD_EXIT_CRASHED, l.lives, 1, "never");
	pthread_attr_setrestart_np(&a, 0, 0, 0); /* 0 restarts: never too */
	got = run(&l, &a);
	expect(got, (long)THREAD_EXIT_CRASHED, l.lives, 1, "0 restarts");

	pthread_attr_setrestart_np(&a, 2, 0, 1); /* with a back-off */
	l.crashes = 2;
	got = run(&l, &a);
	expect(got, 1003, l.lives, 3, "2 restarts with a back-off");

	thrd_t ct;
	int res = 0;
	check(thrd_create(&ct, c11_worker, NULL) == thrd_success, "thrd_create");
	check(thrd_join(ct, &res) == thrd_success && res == 77 && c11_lives == 2,
	      "a C11 thread is restarted and joined");
}

int restart_mode(int cycles)
{
	pthread_attr_t a;

	pthread_key_create(&key, NULL);
	policies();
	/* A crash loop in one thread: its heap goes back at every restart. */
	struct life l = {.crashes = 3};
	long got;
	pthread_attr_init(&a);
	pthread_attr_setrestart_np(&a, THREAD_RESTART_ALWAYS, 0, 0);
	run(&l, &a); /* the baseline after one such thread (caches filled) */
	size_t heap0 = heap_used();
	int fds0 = open_fds();
	l.crashes = cycles;
	got = run(&l, &a);
	expect(got, 1001 + cycles, l.lives, cycles + 1, "always, crash loop");
	check(heap_used() == heap0, "heap back at its baseline");
	check(open_fds() == fds0, "descriptors back at their baseline");
	printf("recovery_libc: restart: %d restarts in place, heap %zu -> %zu\n", cycles, heap0,
	       heap_used());
	return 0;
}

static void *always_crash(void *arg)
{
	int *lives = arg;

	printf("recovery_libc: life %d\n", ++*lives);
	crash_now();
	return NULL;
}

/* At most 2 restarts: the third crash stops the system (status 125). */
int restart_limit_mode(void)
{
	pthread_attr_t a;
	pthread_t t;
	static int lives;

	pthread_attr_init(&a);
	pthread_attr_setrestart_np(&a, 2, 0, 0);
	pthread_create(&t, &a, always_crash, &lives);
	pthread_join(t, NULL);
	printf("recovery_libc: the system went on after the limit\n");
	return 1;
}
