/* A worker crashes holding a mutex of each kind while another thread is
 * blocked on it (in pthread_mutex_lock, or in pthread_cond_wait about to
 * take it back); every other cycle nobody waits and main's trylock comes
 * next. Whoever takes it next must get EOWNERDEAD and go on. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <kernel/thread.h>
#include "recovery_libc.h"

static pthread_mutex_t m;
static pthread_cond_t cv;
static sem_t held, go;
static int robust, recursive, waiting, signalled;

/* After EOWNERDEAD: a robust mutex must be made consistent, the others
 * are usable again after an unlock. */
static void recover(int r)
{
	if (r == EOWNERDEAD && robust)
		check(pthread_mutex_consistent(&m) == 0, "pthread_mutex_consistent");
}

static void *holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	if (recursive)
		pthread_mutex_lock(&m);
	sem_post(&held);
	sem_wait(&go);
	crash_now();
	return NULL;
}

static void *lock_waiter(void *arg)
{
	(void)arg;
	int r = pthread_mutex_lock(&m);
	recover(r);
	pthread_mutex_unlock(&m);
	return (void *)(long)r;
}

/* Holds the mutex, signals and crashes: the waiter wakes into a mutex
 * whose owner is dead. */
static void *signal_holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	signalled = 1;
	pthread_cond_signal(&cv);
	crash_now();
	return NULL;
}

static void *cond_waiter(void *arg)
{
	int r = pthread_mutex_lock(&m);

	(void)arg;
	waiting = 1;
	while (!signalled && r == 0)
		r = pthread_cond_wait(&cv, &m);
	recover(r);
	pthread_mutex_unlock(&m);
	return (void *)(long)r;
}

static void wait_blocked(int tid)
{
	struct thread_info info;

	while (thread_info_get(tid, &info) == 0 && info.state != THREAD_BLOCKED)
		thread_yield();
}

static void join_expect(int tid, void *want, const char *what)
{
	void *v = NULL;

	check(thread_join(tid, &v) == 0, "join");
	if (v != want) {
		printf("recovery_libc: %s: got %ld, expected %ld\n", what, (long)v, (long)want);
		failures++;
	}
}

static void lock_cycle(int i)
{
	int h = spawn_once("holder", holder, NULL), w = 0;

	sem_wait(&held);
	if (i & 1) {
		w = spawn_once("waiter", lock_waiter, NULL);
		wait_blocked(w);
	}
	sem_post(&go);
	join_expect(h, THREAD_EXIT_CRASHED, "holder");
	if (w) {
		join_expect(w, (void *)(long)EOWNERDEAD, "blocked waiter");
		return;
	}
	int r = pthread_mutex_trylock(&m);
	check(r == EOWNERDEAD, "trylock after the owner died gives EOWNERDEAD");
	recover(r);
	pthread_mutex_unlock(&m);
}

static void cond_cycle(void)
{
	waiting = signalled = 0;
	int w = spawn_once("waiter", cond_waiter, NULL);
	for (;;) { /* waiting is set under the mutex, which cond_wait drops */
		pthread_mutex_lock(&m);
		int in = waiting;
		pthread_mutex_unlock(&m);
		if (in)
			break;
		thread_yield();
	}
	int h = spawn_once("holder", signal_holder, NULL);
	join_expect(h, THREAD_EXIT_CRASHED, "holder");
	join_expect(w, (void *)(long)EOWNERDEAD, "condition waiter");
}

static int init_mutex(const char *kind)
{
	pthread_mutexattr_t ma;

	pthread_mutexattr_init(&ma);
	if (!strcmp(kind, "recursive"))
		pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	else if (!strcmp(kind, "errorcheck"))
		pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	else if (!strcmp(kind, "robust"))
		pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	else if (!strcmp(kind, "pi"))
		pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
	else if (strcmp(kind, "normal"))
		return -1;
	robust = !strcmp(kind, "robust");
	recursive = !strcmp(kind, "recursive");
	if (!strcmp(kind, "normal"))
		m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	else
		pthread_mutex_init(&m, &ma);
	return 0;
}

int mutex_mode(int cond, const char *kind, int cycles)
{
	if (init_mutex(kind)) {
		printf("recovery_libc: unknown mutex kind %s\n", kind);
		return 1;
	}
	pthread_cond_init(&cv, NULL);
	sem_init(&held, 0, 0);
	sem_init(&go, 0, 0);
	size_t heap0 = 0;
	int fds0 = 0;
	for (int i = -4; i < cycles && !failures; i++) {
		if (i == 0) { /* the stack cache is full: the baseline */
			heap0 = heap_used();
			fds0 = open_fds();
		}
		if (cond)
			cond_cycle();
		else
			lock_cycle(i);
	}
	check(pthread_mutex_lock(&m) == 0, "the mutex is usable after the crashes");
	check(pthread_mutex_unlock(&m) == 0, "and unlocks");
	check(heap_used() == heap0, "heap back at its baseline");
	check(open_fds() == fds0, "descriptors back at their baseline");
	printf("recovery_libc: %s %s: %d owners crashed, heap %zu -> %zu\n",
	       cond ? "cond" : "mutex", kind, cycles, heap0, heap_used());
	return 0;
}
