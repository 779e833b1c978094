/* The runaway-thread watchdog (CONFIG_WATCHDOG), on one CPU:
 *
 *   recovery_watchdog loop N    a thread above main's priority loops
 *                               without waiting in each of N lives, holding
 *                               memory, an open file and a robust mutex;
 *                               each life is caught, recorded as "runaway"
 *                               and restarted; life N+1 ends normally. A
 *                               counter below everyone must keep counting,
 *                               and at the end the heap, the descriptors,
 *                               the mutex and the file system are back.
 *   recovery_watchdog yield     a thread that only yields is a runaway too
 *   recovery_watchdog beat      long work that beats, or is exempt, is not
 *   recovery_watchdog main      main() looping stops the system
 *   recovery_watchdog rate      (a measurement, not a test) loop
 *                               iterations in 1 s of an exempt main, to
 *                               compare the watchdog's looks with none
 *
 * The file system (a FAT disk) is used when there is one. Prints
 * "recovery_watchdog: ok" and exits 0 when all held. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <kernel/fault.h>
#include <kernel/mm.h>
#include <kernel/thread.h>
#include <kernel/watchdog.h>
#include <platform.h>

static volatile int starts, cycles;
static volatile unsigned long ticks, spins;
static pthread_mutex_t shared;
static int have_fs;

static int open_descriptors(void)
{
	int n = 0;

	for (int fd = 0; fd < 64; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

static void *counter(void *arg)
{
	(void)arg;
	watchdog_set_budget(0, WATCHDOG_EXEMPT); /* a loaded host must not fail it */
	for (;;) {
		ticks++;
		thread_sleep_us(200);
	}
	return NULL;
}

/* Never waits. It reads the clock now and then: on linuxu that is a host
 * system call, and a host that is slow to interrupt a process spinning in
 * user mode (this machine's nested VM under load held SIGALRM pending for
 * seconds) hands the timer signal over there. Still a runaway. */
__attribute__((noinline, noreturn)) static void spin_forever(void)
{
	for (;;)
		if (!(++spins & 0xffff))
			(void)plat_time_ns();
}

/* Each life: take memory, a file and the mutex, then never wait again. */
static void *runaway(void *arg)
{
	(void)arg;
	if (__atomic_add_fetch(&starts, 1, __ATOMIC_ACQ_REL) > cycles)
		return NULL;
	for (int i = 0; i < 8; i++)
		if (!malloc(100 + i * 500))
			return NULL;
	if (have_fs) {
		int fd = open("/runaway.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0 && write(fd, "life\n", 5) != 5)
			return NULL;
	}
	pthread_mutex_lock(&shared);
	spin_forever();
	return NULL;
}

/* Every record in the log must be a runaway of the thread called so. */
static int log_is_runaways(void)
{
	static struct fault_record recs[FAULT_LOG_SIZE];
	int n = fault_log_get(recs, FAULT_LOG_SIZE);

	for (int i = 0; i < n; i++)
		if (strcmp(recs[i].kind, "runaway") || strcmp(recs[i].name, "runaway"))
			return 0;
	return n > 0;
}

static int fs_answers(void)
{
	struct stat st;
	char buf[8] = "";

	if (!have_fs)
		return 1;
	int fd = open("/after.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int ok = fd >= 0 && write(fd, "ok", 2) == 2 && lseek(fd, 0, SEEK_SET) == 0 &&
		 read(fd, buf, sizeof(buf)) == 2 && !strcmp(buf, "ok");
	if (fd >= 0)
		close(fd);
	return ok && stat("/", &st) == 0 && stat("/runaway.txt", &st) == 0;
}

static int run_loop(int n)
{
	pthread_mutexattr_t ma;
	struct mm_stats before, after;

	cycles = n;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&shared, &ma);
	int fds0 = open_descriptors();
	struct thread_attr ca = {.name = "counter", .priority = 2, .detached = 1};
	thread_spawn(&ca, counter, NULL);
	struct thread_attr ra = {.name = "runaway",
				 .priority = 20,
				 .detached = 1,
				 .stack_size = 32768,
				 .restart_max = THREAD_RESTART_ALWAYS};
	thread_spawn(&ra, runaway, NULL);
	/* The baseline once two lives have filled the stack cache. */
	while (__atomic_load_n(&starts, __ATOMIC_ACQUIRE) < 3)
		thread_sleep_ms(1);
	mm_stats_get(&before);
	unsigned long t0 = ticks;
	while (__atomic_load_n(&starts, __ATOMIC_ACQUIRE) <= n)
		thread_sleep_ms(1);
	thread_sleep_ms(20);
	int m = pthread_mutex_lock(&shared);
	if (m == EOWNERDEAD) {
		pthread_mutex_consistent(&shared);
		m = 0;
	}
	pthread_mutex_unlock(&shared);
	mm_stats_get(&after);
	int fds1 = open_descriptors(), fs = fs_answers();
	uint64_t faults = fault_count();
	printf(
	    "recovery_watchdog: loop: %llu runaways recorded, %d starts, counter +%lu, heap used "
	    "%zu -> %zu, descriptors %d -> %d, mutex %s, file system %s\n",
	    (unsigned long long)faults, starts, ticks - t0, before.used, after.used, fds0, fds1,
	    m ? strerror(m) : "recovered", fs ? "answers" : "FAILED");
	return faults == (uint64_t)n && starts == n + 1 && ticks > t0 && m == 0 &&
	       after.used <= before.used + 1024 && fds1 == fds0 && fs && log_is_runaways();
}

static volatile int yields_done;

static void *yielder(void *arg)
{
	(void)arg;
	if (__atomic_add_fetch(&starts, 1, __ATOMIC_ACQ_REL) > 1) {
		yields_done = 1;
		return NULL;
	}
	for (;;)
		sched_yield();
	return NULL;
}

/* Yielding at the top priority gives nothing to the threads below. */
static int run_yield(void)
{
	struct thread_attr a = {
	    .name = "runaway", .priority = 20, .detached = 1, .restart_max = THREAD_RESTART_ALWAYS};

	thread_spawn(&a, yielder, NULL);
	while (!yields_done)
		thread_sleep_ms(1);
	printf("recovery_watchdog: yield: %llu runaways recorded\n",
	       (unsigned long long)fault_count());
	return fault_count() == 1 && log_is_runaways();
}

/* Work of several budgets: one thread beats, one is exempt. */
static void *worker(void *arg)
{
	int beat = arg != NULL;
	uint64_t end = plat_time_ns() + 4ull * watchdog_budget_ms() * 1000000;

	if (!beat)
		watchdog_set_budget(0, WATCHDOG_EXEMPT);
	while (plat_time_ns() < end) {
		for (int i = 0; i < 1000; i++)
			spins++;
		if (beat)
			watchdog_heartbeat();
	}
	return NULL;
}

static int run_beat(void)
{
	struct thread_attr a = {.name = "beater", .priority = 20};
	int t1 = thread_spawn(&a, worker, (void *)1);
	a.name = "exempt";
	int t2 = thread_spawn(&a, worker, NULL);

	thread_join(t1, NULL);
	thread_join(t2, NULL);
	printf("recovery_watchdog: beat: %llu faults over %u ms of work each\n",
	       (unsigned long long)fault_count(), 4 * watchdog_budget_ms());
	return fault_count() == 0;
}

/* What the looks cost: iterations of an exempt loop in one second. */
static int run_rate(void)
{
	uint64_t end = plat_time_ns() + 1000000000ull;
	unsigned long n = 0;

	while (plat_time_ns() < end)
		for (int i = 0; i < 1000; i++)
			spins++, n++;
	printf("recovery_watchdog: rate: %lu iterations in 1 s\n", n);
	return 1;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "loop";
	struct stat st;
	int ok;

	if (strcmp(mode, "main"))
		watchdog_set_budget(0, WATCHDOG_EXEMPT); /* main only watches */
	have_fs = stat("/", &st) == 0;
	printf("recovery_watchdog: %s, budget %u ms, %s\n", mode, watchdog_budget_ms(),
	       have_fs ? "with a file system" : "no file system");
	if (!strcmp(mode, "loop"))
		ok = run_loop(argc > 2 ? atoi(argv[2]) : 10);
	else if (!strcmp(mode, "yield"))
		ok = run_yield();
	else if (!strcmp(mode, "beat"))
		ok = run_beat();
	else if (!strcmp(mode, "rate"))
		ok = run_rate();
	else if (!strcmp(mode, "main"))
		spin_forever();
	else
		ok = 0;
	printf("recovery_watchdog: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
