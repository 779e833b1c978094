/* In-kernel tests of threads, the scheduler and synchronization. They run
 * on one CPU and on several: tests that depend on order pin their threads
 * to CPU 0. With the cooperative scheduler (CONFIG_SCHED_FIFO) busy threads
 * yield now and then, and the order checks expect FIFO order. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <platform.h>

#define MS 1000000ull

static uint64_t now_ns(void)
{
	return plat_time_ns();
}

/* Wait until thread @tid is in @state with priority @prio (0: any). The
 * bound (10,000 sleeps, 10 s at least) is only a hang guard: an emulated
 * CPU on a loaded host may take long. @retval 1 it got there */
static int wait_for_state(int tid, enum thread_state state, int prio)
{
	struct thread_info info;

	for (int i = 0; i < 10000; i++) {
		if (thread_info_get(tid, &info) == 0 && info.state == state &&
		    (!prio || info.priority == prio))
			return 1;
		thread_sleep_ms(1);
	}
	return 0;
}

static void *return_arg_plus_one(void *arg)
{
	return (char *)arg + 1;
}

TEST(thread, spawn_and_join_return_value)
{
	struct thread_attr a = {.name = "adder"};
	int tid = thread_spawn(&a, return_arg_plus_one, (void *)41);
	void *v = NULL;

	EXPECT(tid > 1);
	EXPECT_EQ(thread_join(tid, &v), 0);
	EXPECT_EQ((long)v, 42);
	EXPECT_EQ(thread_join(tid, &v), -ESRCH); /* the record went with the join */
}

TEST(thread, pthread_create_and_join)
{
	pthread_t t;
	void *v = NULL;

	EXPECT_EQ(pthread_create(&t, NULL, return_arg_plus_one, (void *)6), 0);
	EXPECT_EQ(pthread_join(t, &v), 0);
	EXPECT_EQ((long)v, 7);
}

TEST(thread, bad_attributes_are_refused)
{
	struct thread_attr a = {.priority = THREAD_PRIO_MAX + 1};

	EXPECT_EQ(thread_spawn(&a, return_arg_plus_one, NULL), -EINVAL);
	a.priority = 0;
	a.affinity = 1ull << 63;
	EXPECT_EQ(thread_spawn(&a, return_arg_plus_one, NULL), -EINVAL);
	EXPECT_EQ(thread_join(thread_self(), NULL), -EDEADLK);
	EXPECT_EQ(thread_join(999999, NULL), -ESRCH);
}

TEST(thread, many_spawns_give_back_their_memory)
{
	struct mm_stats before, after;

	/* Warm the stack cache and the slabs first. */
	for (int i = 0; i < 4; i++)
		thread_join(thread_spawn(NULL, return_arg_plus_one, NULL), NULL);
	mm_stats_get(&before);
	for (int i = 0; i < 200; i++) {
		int tid = thread_spawn(NULL, return_arg_plus_one, NULL);
		EXPECT(tid > 0);
		EXPECT_EQ(thread_join(tid, NULL), 0);
	}
	for (int i = 0; i < 50; i++) {
		pthread_t t;
		EXPECT_EQ(pthread_create(&t, NULL, return_arg_plus_one, NULL), 0);
		EXPECT_EQ(pthread_join(t, NULL), 0);
	}
	mm_stats_get(&after);
	EXPECT(after.used <= before.used + 16384);
}

static volatile int detached_ran;

static void *set_flag(void *arg)
{
	(void)arg;
	__atomic_store_n(&detached_ran, 1, __ATOMIC_RELEASE);
	return NULL;
}

TEST(thread, detached_thread_runs_and_vanishes)
{
	struct thread_attr a = {.detached = 1};
	int tid = thread_spawn(&a, set_flag, NULL);

	EXPECT(tid > 0);
	for (int i = 0; i < 1000 && !__atomic_load_n(&detached_ran, __ATOMIC_ACQUIRE); i++)
		thread_sleep_ms(1);
	EXPECT_EQ(detached_ran, 1);
	/* Its record goes once it has switched away for the last time. */
	struct thread_info info;
	for (int i = 0; i < 1000 && thread_info_get(tid, &info) == 0; i++)
		thread_sleep_ms(1);
	EXPECT_EQ(thread_info_get(tid, &info), -ESRCH);
	EXPECT_EQ(thread_join(tid, NULL), -ESRCH);
}

/* ------------------------------------------------------------ priority */

static int order[8];
static int norder;
static spinlock_t order_lock = SPINLOCK_INIT;

static void *record_priority(void *arg)
{
	unsigned long f = spin_lock_irqsave(&order_lock);

	order[norder++] = (int)(long)arg;
	spin_unlock_irqrestore(&order_lock, f);
	return NULL;
}

TEST(sched, higher_priority_runs_first)
{
	int prios[] = {5, 20, 12, 3}, tids[4];
	int self = thread_self();

	norder = 0;
	thread_set_affinity(self, 1);
	thread_set_priority(self, THREAD_PRIO_MAX);
	for (int i = 0; i < 4; i++) {
		struct thread_attr a = {.priority = prios[i], .affinity = 1};
		tids[i] = thread_spawn(&a, record_priority, (void *)(long)prios[i]);
	}
	EXPECT_EQ(norder, 0); /* none ran: the creator outranks them */
	thread_set_priority(self, THREAD_PRIO_MIN);
	if (IS_ENABLED(CONFIG_SCHED_PRIO)) {
		/* Lowering ourselves below all of them lets them run, best
		 * first. */
		EXPECT_EQ(norder, 4);
		EXPECT_EQ(order[0], 20);
		EXPECT_EQ(order[1], 12);
		EXPECT_EQ(order[2], 5);
		EXPECT_EQ(order[3], 3);
	} else {
		/* Cooperative: nothing runs until we yield, then in the order
		 * they became ready. */
		EXPECT_EQ(norder, 0);
		thread_yield();
		EXPECT_EQ(norder, 4);
		for (int i = 0; i < 4; i++)
			EXPECT_EQ(order[i], prios[i]);
	}
	thread_set_priority(self, THREAD_PRIO_DEFAULT);
	thread_set_affinity(self, 0);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(thread_join(tids[i], NULL), 0);
}

static volatile int spin_stop;

static void *count_until_stopped(void *arg)
{
	volatile uint64_t *count = arg;

	while (!__atomic_load_n(&spin_stop, __ATOMIC_ACQUIRE))
		if (++*count % 1024 == 0 && !IS_ENABLED(CONFIG_SCHED_PRIO))
			thread_yield();
	return NULL;
}

/* Neither of two threads of one priority starves: each is seen to make
 * progress again and again while the other spins too. Checked by turns
 * observed, not by how the time was split (that is a matter of the host's
 * load, and of make bench). */
TEST(sched, equal_priorities_share_the_cpu)
{
	static volatile uint64_t counts[2];
	uint64_t last[2] = {0, 0};
	int tids[2], rounds = 0;

	spin_stop = 0;
	counts[0] = counts[1] = 0;
	for (int i = 0; i < 2; i++) {
		struct thread_attr a = {.priority = 5, .affinity = 1};
		tids[i] = thread_spawn(&a, count_until_stopped, (void *)(uintptr_t)&counts[i]);
	}
	/* Main (priority 10) looks every 5 ms; a round ends when both moved
	 * since the last one. 10,000 looks are a hang guard. */
	for (int i = 0; i < 10000 && rounds < 5; i++) {
		thread_sleep_ms(5);
		uint64_t now[2] = {counts[0], counts[1]};
		if (now[0] != last[0] && now[1] != last[1]) {
			rounds++;
			last[0] = now[0];
			last[1] = now[1];
		}
	}
	__atomic_store_n(&spin_stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++)
		EXPECT_EQ(thread_join(tids[i], NULL), 0);
	EXPECT_EQ(rounds, 5);
}

TEST(sched, sleep_lasts_at_least_as_asked)
{
	for (int ms = 1; ms <= 20; ms *= 4) {
		uint64_t t0 = now_ns();
		thread_sleep_ms(ms);
		uint64_t took = now_ns() - t0;
		EXPECT(took >= ms * MS);
		/* A hang guard only: a loaded host may run it late. */
		EXPECT(took < ms * MS + 30000 * MS);
	}
	struct timespec ts = {0, 3 * MS};
	uint64_t t0 = now_ns();
	EXPECT_EQ(nanosleep(&ts, NULL), 0);
	EXPECT(now_ns() - t0 >= 3 * MS);
}

TEST(sched, yield_alone_returns)
{
	for (int i = 0; i < 1000; i++)
		thread_yield();
	EXPECT_EQ(sched_yield(), 0);
}

/* ----------------------------------------------------------- kill, run */

static sem_t never;

static void *wait_forever(void *arg)
{
	(void)arg;
	sem_wait(&never);
	return (void *)1;
}

/* @retval -EINTR the sleep was cut short (time_sleep_until) */
static void *sleep_long(void *arg)
{
	(void)arg;
	return (void *)(long)time_sleep_until(now_ns() + 600000 * MS);
}

TEST(thread, kill_ends_a_blocked_thread)
{
	void *v = NULL;

	sem_init(&never, 0, 0);
	int tid = thread_spawn(NULL, wait_forever, NULL);
	EXPECT(wait_for_state(tid, THREAD_BLOCKED, 0));
	EXPECT_EQ(thread_kill(tid), 0);
	EXPECT_EQ(thread_join(tid, &v), 0);
	EXPECT_EQ((long)v, -1);
	EXPECT_EQ(thread_kill(tid), -ESRCH);
	EXPECT_EQ(thread_kill(thread_self()), -EBUSY);
}

TEST(thread, kill_ends_a_running_thread)
{
	static volatile uint64_t count;
	void *v = NULL;

	spin_stop = 0;
	int tid = thread_spawn(NULL, count_until_stopped, (void *)(uintptr_t)&count);
	thread_sleep_ms(5);
	EXPECT_EQ(thread_kill(tid), 0);
	EXPECT_EQ(thread_join(tid, &v), 0);
	EXPECT_EQ((long)v, -1);
}

TEST(thread, protected_threads_cannot_be_killed)
{
	struct thread_attr a = {.flags = THREAD_F_PROTECTED};

	sem_init(&never, 0, 0);
	int tid = thread_spawn(&a, wait_forever, NULL);
	thread_sleep_ms(2);
	EXPECT_EQ(thread_kill(tid), -EPERM);
	sem_post(&never);
	EXPECT_EQ(thread_join(tid, NULL), 0);
	EXPECT_EQ(thread_kill(999999), -ESRCH);
}

TEST(thread, wake_cuts_a_sleep_short)
{
	void *v = NULL;
	int tid = thread_spawn(NULL, sleep_long, NULL);

	EXPECT(wait_for_state(tid, THREAD_SLEEPING, 0));
	EXPECT_EQ(thread_wake(tid), 0);
	EXPECT_EQ(thread_join(tid, &v), 0);
	EXPECT_EQ((long)v, -EINTR);
	EXPECT_EQ(thread_wake(thread_self()), -EINVAL);
}

/* ------------------------------------------------------------------ TLS */

static _Thread_local int tls_value = 7;

static void *check_tls(void *arg)
{
	int mine = (int)(long)arg;

	if (tls_value != 7)
		return (void *)1;
	tls_value = mine;
	errno = mine;
	for (int i = 0; i < 20; i++) {
		thread_yield();
		if (tls_value != mine || errno != mine)
			return (void *)2;
	}
	return NULL;
}

TEST(thread, tls_and_errno_are_per_thread)
{
	int tids[6];

	tls_value = 100;
	for (int i = 0; i < 6; i++) {
		struct thread_attr a = {.affinity = 1};
		tids[i] = thread_spawn(&a, check_tls, (void *)(long)(i + 1));
	}
	for (int i = 0; i < 6; i++) {
		void *v = (void *)9;
		EXPECT_EQ(thread_join(tids[i], &v), 0);
		EXPECT_EQ((long)v, 0);
	}
	EXPECT_EQ(tls_value, 100);
}

/* ------------------------------------------------------ synchronization */

#define WORKERS 4
#define ROUNDS 20000

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long locked_counter;
static long atomic_counter;

static void *add_many(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&counter_lock);
		locked_counter++;
		pthread_mutex_unlock(&counter_lock);
		__atomic_fetch_add(&atomic_counter, 1, __ATOMIC_RELAXED);
		if (i % 1000 == 0)
			thread_yield();
	}
	return NULL;
}

TEST(sync, mutex_and_atomic_counts_are_exact)
{
	int tids[WORKERS];

	locked_counter = atomic_counter = 0;
	for (int i = 0; i < WORKERS; i++)
		tids[i] = thread_spawn(NULL, add_many, NULL);
	for (int i = 0; i < WORKERS; i++)
		EXPECT_EQ(thread_join(tids[i], NULL), 0);
	EXPECT_EQ(locked_counter, (long)WORKERS * ROUNDS);
	EXPECT_EQ(atomic_counter, (long)WORKERS * ROUNDS);
}

TEST(sync, recursive_and_errorcheck_mutexes)
{
	pthread_mutexattr_t ma;
	pthread_mutex_t m;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&m, &ma);
	EXPECT_EQ(pthread_mutex_lock(&m), 0);
	EXPECT_EQ(pthread_mutex_lock(&m), 0);
	EXPECT_EQ(pthread_mutex_unlock(&m), 0);
	EXPECT_EQ(pthread_mutex_unlock(&m), 0);
	EXPECT_EQ(pthread_mutex_unlock(&m), EPERM);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&m, &ma);
	EXPECT_EQ(pthread_mutex_lock(&m), 0);
	EXPECT_EQ(pthread_mutex_lock(&m), EDEADLK);
	EXPECT_EQ(pthread_mutex_unlock(&m), 0);
}

static pthread_mutex_t held_mutex = PTHREAD_MUTEX_INITIALIZER;

static void *timedlock_held(void *arg)
{
	struct timespec at;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &at);
	at.tv_nsec += 20 * MS;
	if (at.tv_nsec >= 1000000000) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000;
	}
	return (void *)(long)pthread_mutex_timedlock(&held_mutex, &at);
}

TEST(sync, mutex_timedlock_times_out)
{
	void *v = NULL;

	pthread_mutex_lock(&held_mutex);
	int tid = thread_spawn(NULL, timedlock_held, NULL);
	EXPECT_EQ(thread_join(tid, &v), 0);
	EXPECT_EQ((long)v, ETIMEDOUT);
	pthread_mutex_unlock(&held_mutex);
}

/* Priority inheritance: a low-priority owner runs at the priority of the
 * high-priority thread waiting for its lock. */
static pthread_mutex_t pi_mutex;
static sem_t pi_go;

static void *low_owner(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pi_mutex);
	sem_wait(&pi_go);
	pthread_mutex_unlock(&pi_mutex);
	return NULL;
}

static void *high_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pi_mutex);
	pthread_mutex_unlock(&pi_mutex);
	return NULL;
}

TEST(sync, priority_inheritance_boosts_the_owner)
{
	pthread_mutexattr_t ma;
	struct thread_info info;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&pi_mutex, &ma);
	sem_init(&pi_go, 0, 0);
	struct thread_attr low = {.priority = 4}, high = {.priority = 25};
	int lo = thread_spawn(&low, low_owner, NULL);
	EXPECT(wait_for_state(lo, THREAD_BLOCKED, 0)); /* holds it, waits for pi_go */
	int hi = thread_spawn(&high, high_waiter, NULL);
	EXPECT(wait_for_state(hi, THREAD_BLOCKED, 0));
	EXPECT(wait_for_state(lo, THREAD_BLOCKED, 25)); /* boosted */
	EXPECT_EQ(thread_info_get(lo, &info), 0);
	EXPECT_EQ(info.priority, 25);
	sem_post(&pi_go);
	EXPECT_EQ(thread_join(hi, NULL), 0);
	EXPECT_EQ(thread_join(lo, NULL), 0);
}

#define PC_ROUNDS 20000

static sem_t items, slots;
static int ring[8];
static unsigned ring_head, ring_tail;
static long consumed_sum;

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= PC_ROUNDS; i++) {
		sem_wait(&slots);
		ring[ring_head++ % 8] = i;
		sem_post(&items);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= PC_ROUNDS; i++) {
		sem_wait(&items);
		consumed_sum += ring[ring_tail++ % 8];
		sem_post(&slots);
	}
	return NULL;
}

TEST(sync, semaphore_producer_consumer_loses_nothing)
{
	sem_init(&items, 0, 0);
	sem_init(&slots, 0, 8);
	ring_head = ring_tail = 0;
	consumed_sum = 0;
	int p = thread_spawn(NULL, producer, NULL);
	int c = thread_spawn(NULL, consumer, NULL);
	EXPECT_EQ(thread_join(p, NULL), 0);
	EXPECT_EQ(thread_join(c, NULL), 0);
	EXPECT_EQ(consumed_sum, (long)PC_ROUNDS * (PC_ROUNDS + 1) / 2);
}

TEST(sync, semaphore_timedwait_times_out)
{
	sem_t s;
	struct timespec at;

	sem_init(&s, 0, 0);
	clock_gettime(CLOCK_REALTIME, &at);
	at.tv_nsec += 10 * MS;
	if (at.tv_nsec >= 1000000000) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000;
	}
	uint64_t t0 = now_ns();
	EXPECT_EQ(sem_timedwait(&s, &at), -1);
	EXPECT_EQ(errno, ETIMEDOUT);
	EXPECT(now_ns() - t0 >= 9 * MS);
}

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int cv_ready;

static void *wait_for_ready(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cv_lock);
	while (!cv_ready)
		pthread_cond_wait(&cv, &cv_lock);
	pthread_mutex_unlock(&cv_lock);
	return (void *)1;
}

TEST(sync, condition_broadcast_wakes_all_and_timedwait_times_out)
{
	int tids[5];
	struct timespec at;

	cv_ready = 0;
	for (int i = 0; i < 5; i++)
		tids[i] = thread_spawn(NULL, wait_for_ready, NULL);
	thread_sleep_ms(5);
	pthread_mutex_lock(&cv_lock);
	cv_ready = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&cv_lock);
	for (int i = 0; i < 5; i++) {
		void *v = NULL;
		EXPECT_EQ(thread_join(tids[i], &v), 0);
		EXPECT_EQ((long)v, 1);
	}
	pthread_mutex_lock(&cv_lock);
	clock_gettime(CLOCK_REALTIME, &at);
	at.tv_nsec += 10 * MS;
	if (at.tv_nsec >= 1000000000) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000;
	}
	EXPECT_EQ(pthread_cond_timedwait(&cv, &cv_lock, &at), ETIMEDOUT);
	pthread_mutex_unlock(&cv_lock);
}

/* ----------------------------------------------------------------- SMP */

static volatile int seen_cpu[SCHED_MAX_CPUS];

static void *note_cpu(void *arg)
{
	(void)arg;
	seen_cpu[this_cpu()->id] = 1;
	return NULL;
}

TEST(smp, affinity_is_respected_on_every_cpu)
{
	unsigned n = sched_cpu_count();

	memset((void *)(uintptr_t)seen_cpu, 0, sizeof(seen_cpu));
	for (unsigned cpu = 0; cpu < n; cpu++) {
		struct thread_attr a = {.affinity = 1ull << cpu};
		int tid = thread_spawn(&a, note_cpu, NULL);
		EXPECT(tid > 0);
		EXPECT_EQ(thread_join(tid, NULL), 0);
		EXPECT_EQ(seen_cpu[cpu], 1);
		for (unsigned other = 0; other < n; other++)
			if (other != cpu)
				EXPECT_EQ(seen_cpu[other], 0);
		seen_cpu[cpu] = 0;
	}
}

static volatile int holding_stdout;

static void *hold_stdout(void *arg)
{
	(void)arg;
	flockfile(stdout);
	holding_stdout = 1;
	for (;;)
		thread_sleep_ms(1000);
	return NULL;
}

TEST(thread, kill_gives_back_the_stdout_lock)
{
	int tid = thread_spawn(NULL, hold_stdout, NULL);

	while (!holding_stdout)
		thread_sleep_ms(1);
	EXPECT_EQ(thread_kill(tid), 0);
	EXPECT_EQ(thread_join(tid, NULL), 0);
	EXPECT_EQ(ftrylockfile(stdout), 0); /* would be busy forever otherwise */
	funlockfile(stdout);
}
