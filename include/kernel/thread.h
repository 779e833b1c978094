/*
 * Threads: the kernel's unit of execution. Every thread is also a C-library
 * thread (it has musl's thread block as its TLS), so pthread calls, errno
 * and _Thread_local work in all of them, whichever way they were created:
 * pthread_create() or thread_spawn().
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define THREAD_NAME_MAX 16

/* Priorities: a larger number runs first. Threads of one priority share
 * the CPU round-robin (with the priority scheduler). */
#define THREAD_PRIO_MIN 1
#define THREAD_PRIO_DEFAULT 10
#define THREAD_PRIO_MAX 31
#define THREAD_PRIO_IDLE 0 /* reserved for the idle threads */

#define THREAD_STACK_DEFAULT (64u << 10)
#define THREAD_CPU_ANY (~0ull)

enum thread_state {
	THREAD_READY,	 /* runnable, waiting for a CPU */
	THREAD_RUNNING,	 /* on a CPU now */
	THREAD_BLOCKED,	 /* waiting for an event (lock, I/O, join), maybe with a timeout */
	THREAD_SLEEPING, /* waiting for time alone */
	THREAD_EXITED,	 /* finished; its record waits for a join */
};

/* Flags of struct thread_info. */
#define THREAD_F_PROTECTED 0x1 /* cannot be killed (idle threads, the terminal) */
#define THREAD_F_IDLE 0x2
#define THREAD_F_DETACHED 0x4
#define THREAD_F_PTHREAD 0x8 /* made by pthread_create(): restarted in place */
#define THREAD_F_C11 0x10    /* made by thrd_create() */
#define THREAD_F_KERNEL 0x20 /* the kernel's own thread: kernel zone (from kernel code only) */

/* Restart policy after a crash (a CPU exception, panic, assert or abort in
 * the thread). The default, as the original design's thread wrapper:
 * restart up to THREAD_RESTART_DEFAULT times over the thread's life. When
 * the limit is passed the system stops with a message (exit status 125). */
#define THREAD_RESTART_DEFAULT 5
#define THREAD_RESTART_NEVER (-1) /* a crash ends the thread, the system goes on */
#define THREAD_RESTART_ALWAYS (-2)

/* A thread made by pthread_create() (or thrd_create()) follows the same
 * policy. After a crash it starts its routine again with the same
 * argument as the same thread: same tid, same pthread_t, a fresh thread
 * block (TLS image, no thread-specific values) and an empty heap. A joiner
 * waits for its last life: it gets that life's return value, or
 * THREAD_EXIT_CRASHED when a crash ended it by the policy. The main thread
 * (tid 1) is never restarted: its crash stops the system. */

/* The value thread_join() and pthread_join() get from a thread that
 * crashed and was not restarted. */
#define THREAD_EXIT_CRASHED ((void *)-2l)

/* What thread_spawn() takes. Zero-initialised fields take the defaults. */
struct thread_attr {
	const char *name;	     /* NULL: "thread" */
	int priority;		     /* 0: THREAD_PRIO_DEFAULT */
	size_t stack_size;	     /* 0: THREAD_STACK_DEFAULT; rounded up to pages */
	uint64_t affinity;	     /* bit n: may run on CPU n; 0: any CPU */
	int detached;		     /* no join: the record goes when the thread ends */
	unsigned flags;		     /* THREAD_F_PROTECTED */
	int restart_max;	     /* 0: THREAD_RESTART_DEFAULT; _NEVER; _ALWAYS; or N */
	unsigned restart_window_ms;  /* count restarts within this window (0: ever) */
	unsigned restart_backoff_ms; /* wait before a restart, doubling each time (max 1 s) */
	int zone;		     /* include/kernel/zone.h: 0 the creator's zone */
};

/* A snapshot of one thread, for ps and the tests. */
struct thread_info {
	int tid;
	char name[THREAD_NAME_MAX];
	enum thread_state state;
	int priority;
	int cpu; /* the CPU it runs on or last ran on */
	uint64_t affinity;
	uint64_t runtime_ns; /* time spent running */
	unsigned restarts;   /* times this thread (by name and function) was restarted */
	unsigned flags;
	size_t heap_used; /* bytes of its live heap allocations */
	int zone;	  /* include/kernel/zone.h */
};

/* Start fn(arg) in a new thread.
 * @retval >0 the new thread's id
 * @retval -EAGAIN out of memory for its stack or record
 * @retval -EINVAL bad priority or an affinity with no CPU the machine has */
int thread_spawn(const struct thread_attr *attr, void *(*fn)(void *), void *arg);

/* Wait for thread @tid to end and collect its value.
 * @retval 0 done (*value set when value is not NULL)
 * @retval -ESRCH no such thread; -EINVAL detached; -EDEADLK joining oneself */
int thread_join(int tid, void **value);
int thread_detach(int tid);

/* End the calling thread with @value (what thread_join() returns). */
__attribute__((noreturn)) void thread_exit(void *value);

int thread_self(void);
void thread_yield(void);
/* Sleep at least @ns nanoseconds (thread_sleep_us/ms for convenience). */
void thread_sleep_ns(uint64_t ns);
static inline void thread_sleep_us(uint64_t us)
{
	thread_sleep_ns(us * 1000);
}
static inline void thread_sleep_ms(uint64_t ms)
{
	thread_sleep_ns(ms * 1000000);
}

int thread_set_priority(int tid, int priority);
int thread_set_affinity(int tid, uint64_t cpus);
int thread_set_name(int tid, const char *name);

/* Fill @out with up to @max threads, in thread id order.
 * @retval the number of entries filled */
int thread_snapshot(struct thread_info *out, int max);
/* @retval 0 filled; -ESRCH no such thread */
int thread_info_get(int tid, struct thread_info *out);

/* End thread @tid at once, as if it had called thread_exit(-1).
 * @retval 0 done; -ESRCH no such thread; -EPERM a protected thread;
 * -EBUSY it is the calling thread */
int thread_kill(int tid);

/* Make a blocked or sleeping thread @tid ready now, as if its wait had
 * timed out ("run TID" in the shell).
 * @retval 0 woken; -ESRCH no such thread; -EINVAL it was not waiting */
int thread_wake(int tid);

/* Non-portable thread attributes: the restart policy of the threads
 * pthread_create() makes with @attr. @max: THREAD_RESTART_NEVER (or 0),
 * THREAD_RESTART_ALWAYS, or at most N restarts, counted within
 * @window_ms (0: over the thread's life); @backoff_ms: wait before a
 * restart, doubling each time (at most 1 s). pthread_attr_init() gives the
 * default, THREAD_RESTART_DEFAULT restarts.
 * @retval 0 set; EINVAL a bad @max (a positive error, as pthread_attr_*) */
int pthread_attr_setrestart_np(pthread_attr_t *attr, int max, unsigned window_ms,
			       unsigned backoff_ms);
/* @max gets 0 for the default. @retval 0 */
int pthread_attr_getrestart_np(const pthread_attr_t *attr, int *max, unsigned *window_ms,
			       unsigned *backoff_ms);

/* "ready", "running", ... */
const char *thread_state_name(enum thread_state state);

/* Number of CPUs the scheduler runs on. */
unsigned sched_cpu_count(void);

#endif
