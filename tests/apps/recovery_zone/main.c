/* Zones, tested from the application's side.
 *
 *   recovery_zone kernel     a thread writes each of: kernel code, the run
 *                            queue, the timer list, a kernel heap header,
 *                            its own thread's flags, the zone switch itself;
 *                            each is a recorded fault, nothing changed
 *   recovery_zone zones      zone A writes and reads zone B's buffer: both
 *                            faults, B's data intact; the shared zone works
 *                            from both
 *   recovery_zone calls      system calls of every family from inside a zone
 *   recovery_zone loop N     N violations, each thread restarted: memory and
 *                            zones back where they started
 * Where the CPU has no protection keys, every mode checks that the zone
 * calls still work and prints "recovery_zone: zones unavailable".
 * Ends with "recovery_zone: ok" and exit status 0. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <kernel/fault.h>
#include <kernel/mm.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/zone.h>

#ifdef CONFIG_ZONE
extern bool zone_on; /* the kernel's switch: a target */
#endif

static int failures;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("recovery_zone: FAILED %s: ", #cond);                               \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static struct fault_record last_fault(void)
{
	static struct fault_record r[FAULT_LOG_SIZE];
	int n = fault_log_get(r, FAULT_LOG_SIZE);

	return n ? r[n - 1] : (struct fault_record){0};
}

/* Start fn in zone @zone, never restarted, and wait for its end. */
static void run_in(int zone, void *(*fn)(void *), void *arg)
{
	struct thread_attr a = {
	    .name = "writer", .zone = zone, .restart_max = THREAD_RESTART_NEVER};
	int tid = thread_spawn(&a, fn, arg);

	CHECK(tid > 0, "spawn: %d", tid);
	if (tid > 0)
		thread_join(tid, NULL);
}

/* ------------------------------------------------------------ kernel */

static volatile char *target;

static void *write_target(void *arg)
{
	(void)arg;
	*target ^= 0x5a;
	return NULL;
}

static void expect_violation(const char *what, volatile char *p, const char *kind)
{
	uint64_t before = fault_count();
	char old = *p; /* reading the kernel is allowed */

	target = p;
	run_in(ZONE_SHARED, write_target, NULL);
	struct fault_record r = last_fault();
	CHECK(fault_count() == before + 1, "%s: %llu faults, expected one", what,
	      (unsigned long long)(fault_count() - before));
	CHECK(!strcmp(r.kind, kind), "%s: kind \"%s\"", what, r.kind);
	CHECK(*p == old, "%s: changed", what);
	printf("recovery_zone: %s: %s%s%s\n", what, r.kind, r.message[0] ? ": " : "", r.message);
}

static void *sleeper(void *arg)
{
	thread_sleep_ms(20);
	return arg;
}

static void mode_kernel(void)
{
	struct cpu *c = this_cpu();
	void *kobj = mm_kernel_zalloc(64);

	/* A thread asleep on the timer list while the others fault. */
	struct thread_attr sa = {.name = "sleeper", .zone = ZONE_SHARED};
	int sleeper_tid = thread_spawn(&sa, sleeper, (void *)7);

	expect_violation("kernel code", (volatile char *)(void *)thread_spawn, "zone violation");
	expect_violation("run queue", (volatile char *)&c->rq_head[THREAD_PRIO_DEFAULT],
			 "zone violation");
	expect_violation("timer list", (volatile char *)&c->timers, "zone violation");
	expect_violation("kernel heap header", (volatile char *)kobj - 8, "zone violation");
	expect_violation("kernel heap object", (volatile char *)kobj, "zone violation");
	expect_violation("thread flags", (volatile char *)&current_thread()->flags,
			 "zone violation");
#ifdef CONFIG_ZONE
	expect_violation("zone switch", (volatile char *)&zone_on, "zone violation");
	/* The fault log: the latest record, found by its contents among the
	 * kernel's variables (reading them is allowed). */
	extern char __kbss_start[], __kbss_end[];
	struct fault_record last = last_fault();
	char *log = NULL;
	for (char *p = __kbss_start; !log && p + sizeof(last) <= __kbss_end; p += 8)
		if (!memcmp(p, &last, sizeof(last)))
			log = p;
	CHECK(log != NULL, "the fault log not found");
	if (log)
		expect_violation("fault log", (volatile char *)log + 24, "zone violation");
#endif
	mm_free(kobj);
	void *v = NULL;
	CHECK(thread_join(sleeper_tid, &v) == 0 && v == (void *)7, "the sleeper did not wake");
	struct thread_info ti;
	CHECK(thread_info_get(thread_self(), &ti) == 0 && !(ti.flags & THREAD_F_PROTECTED),
	      "main's flags changed");
}

/* ------------------------------------------------------------- zones */

#define BUF 4096
static char *b_buf;	      /* zone B's, published through the shared zone */
static volatile int *b_stack; /* a word on zone B's stack */
static char *shared_buf;      /* zone_alloc(ZONE_SHARED) */
static volatile int b_ready, b_done;

static void *zone_b(void *arg)
{
	(void)arg;
	volatile int local = 42;
	b_stack = &local;
	b_buf = malloc(BUF);
	memset(b_buf, 'B', BUF);
	shared_buf[1] = 'b';
	__atomic_store_n(&b_ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&b_done, __ATOMIC_ACQUIRE))
		thread_sleep_ms(1);
	int intact = 1;
	for (int i = 0; i < BUF; i++)
		intact &= b_buf[i] == 'B';
	free(b_buf);
	intact &= local == 42;
	return (void *)(long)intact;
}

static void *zone_a_write(void *arg)
{
	(void)arg;
	shared_buf[0] = 'a';
	b_buf[100] = 'A'; /* the stale pointer */
	return NULL;
}

static void *zone_a_write_stack(void *arg)
{
	(void)arg;
	*b_stack = 0;
	return NULL;
}

static void *zone_a_read(void *arg)
{
	(void)arg;
	return (void *)(long)b_buf[200];
}

static void mode_zones(void)
{
	int a = zone_create("sensor-a"), b = zone_create("sensor-b");

	CHECK(a > 0 && a < ZONE_SHARED && b > 0 && b < ZONE_SHARED && a != b, "zones %d %d", a, b);
	shared_buf = zone_alloc(ZONE_SHARED, BUF);
	CHECK(shared_buf != NULL, "zone_alloc");
	struct thread_attr ba = {.name = "zone-b", .zone = b};
	int tb = thread_spawn(&ba, zone_b, NULL);
	while (!__atomic_load_n(&b_ready, __ATOMIC_ACQUIRE))
		thread_sleep_ms(1);
	uint64_t before = fault_count();
	run_in(a, zone_a_write, NULL);
	struct fault_record r = last_fault();
	CHECK(fault_count() == before + 1 && !strcmp(r.kind, "zone violation"), "A writing B: %s",
	      r.kind);
	CHECK(strstr(r.message, "wrote") && strstr(r.message, "sensor-b"), "message \"%s\"",
	      r.message);
	printf("recovery_zone: A wrote B: %s: %s\n", r.kind, r.message);
	run_in(a, zone_a_read, NULL);
	r = last_fault();
	CHECK(fault_count() == before + 2 && strstr(r.message, "read"), "A reading B: %s",
	      r.message);
	printf("recovery_zone: A read B: %s: %s\n", r.kind, r.message);
	run_in(a, zone_a_write_stack, NULL);
	r = last_fault();
	CHECK(fault_count() == before + 3 && strstr(r.message, "sensor-b"),
	      "A writing B's stack: %s", r.message);
	printf("recovery_zone: A wrote B's stack: %s: %s\n", r.kind, r.message);
	__atomic_store_n(&b_done, 1, __ATOMIC_RELEASE);
	void *intact = NULL;
	thread_join(tb, &intact);
	CHECK(intact == (void *)1, "B's data changed");
	CHECK(shared_buf[0] == 'a' && shared_buf[1] == 'b', "shared zone: %c%c", shared_buf[0],
	      shared_buf[1]);
	struct zone_info zi[ZONE_MAX];
	int n = zone_snapshot(zi, ZONE_MAX), viol = 0;
	for (int i = 0; i < n; i++)
		if (zi[i].id == a)
			viol = (int)zi[i].violations;
	CHECK(viol == 3, "zone A's violations: %d", viol);
	free(shared_buf);
	/* Keys run out: the shared zone, said once. */
	int made = 2, z;
	while ((z = zone_create("more")) != ZONE_SHARED && made < 20)
		made++;
	CHECK(made == 14 && zone_create("again") == ZONE_SHARED, "%d zones made", made);
	printf("recovery_zone: %d application zones, then the shared one\n", made);
}

/* ------------------------------------------------------------- calls */

static void *child(void *arg)
{
	char *p = malloc(100);
	strcpy(p, "child");
	free(p);
	return (void *)(long)(zone_self() == (long)arg);
}

static void *calls(void *arg)
{
	int zone = (int)(long)arg, ok = 1;
	char buf[64];
	struct timespec ts;

	ok &= zone_self() == zone;
	ok &= printf("recovery_zone: hello from zone %d\n", zone_self()) > 0;
	ok &= clock_gettime(CLOCK_MONOTONIC, &ts) == 0;
	ok &= nanosleep(&(struct timespec){0, 1000000}, NULL) == 0;
	ok &= getpid() > 0;
	int fd = open("/zone.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
	ok &= fd >= 0 && write(fd, "zoned", 5) == 5 && lseek(fd, 0, SEEK_SET) == 0 &&
	      read(fd, buf, sizeof(buf)) == 5 && !memcmp(buf, "zoned", 5) && close(fd) == 0;
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(5555)};
	socklen_t sl = sizeof(sin);
	ok &= s >= 0 && bind(s, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	      getsockname(s, (struct sockaddr *)&sin, &sl) == 0 && ntohs(sin.sin_port) == 5555 &&
	      close(s) == 0;
	int p[2];
	ok &= pipe(p) == 0 && write(p[1], "x", 1) == 1 && read(p[0], buf, 1) == 1 &&
	      close(p[0]) == 0 && close(p[1]) == 0;
	/* A system call must not write for the thread where it may not. */
	ok &= read(0, (void *)(uintptr_t)&this_cpu()->need_resched, 1) == -1 && errno == EFAULT;
	ok &= clock_gettime(CLOCK_MONOTONIC, (void *)this_cpu()) == -1 && errno == EFAULT;
	pthread_t pt;
	void *r = NULL;
	ok &= pthread_create(&pt, NULL, child, arg) == 0 && pthread_join(pt, &r) == 0 && r;
	char *m = malloc(100000); /* a large block, in the zone */
	memset(m, 1, 100000);
	free(m);
	return (void *)(long)ok;
}

static void *nothing(void *arg)
{
	char *p = malloc(1000);
	p[999] = 1;
	free(p);
	return arg;
}

static void mode_calls(void)
{
	int z = zone_create("caller");
	struct thread_attr a = {.name = "caller", .zone = z};
	void *ok = NULL;
	int tid = thread_spawn(&a, calls, (void *)(long)z);

	thread_join(tid, &ok);
	CHECK(ok == (void *)1, "system calls from zone %d", z);
	a.zone = ZONE_SHARED;
	tid = thread_spawn(&a, calls, (void *)(long)ZONE_SHARED);
	thread_join(tid, &ok);
	CHECK(ok == (void *)1, "system calls from the shared zone");
	/* pthread_create() into another zone, joined from the shared one:
	 * its stack is its zone's, and the joiner still unmaps it. */
	struct mm_stats s0, s1;
	pthread_attr_t pa;
	pthread_attr_init(&pa);
	pthread_attr_setzone_np(&pa, z);
	for (int i = 0; i < 21; i++) {
		if (i == 1)
			mm_stats_get(&s0);
		pthread_t pt;
		void *r = NULL;
		CHECK(pthread_create(&pt, &pa, nothing, (void *)5) == 0 &&
			  pthread_join(pt, &r) == 0 && r == (void *)5,
		      "pthread in zone %d", z);
	}
	mm_stats_get(&s1);
	CHECK(s1.used == s0.used, "pthreads in a zone: heap used %zu -> %zu", s0.used, s1.used);
}

/* -------------------------------------------------------------- loop */

static volatile int lives, lives_max;

static void *violator(void *arg)
{
	(void)arg;
	if (lives >= lives_max)
		return NULL;
	char *p = malloc(64 + lives % 5000); /* held at the crash */
	p[0] = 1;
	__atomic_add_fetch(&lives, 1, __ATOMIC_RELAXED);
	*(void *volatile *)&this_cpu()->timers = NULL;
	return NULL;
}

/* @n lives of a thread in zone @z that each write the timer list. */
static void violate(int z, int n)
{
	uint64_t f0 = fault_count();
	struct thread_attr a = {
	    .name = "violator", .zone = z, .detached = 1, .restart_max = THREAD_RESTART_ALWAYS};
	static struct thread_info ti[64];

	lives = 0;
	lives_max = n;
	thread_spawn(&a, violator, NULL);
	while (fault_count() - f0 < (uint64_t)n)
		thread_sleep_ms(5);
	for (int i = 0, alive = 1; i < 1000 && alive; i++) { /* the last life returns */
		int nt = thread_snapshot(ti, 64);
		alive = 0;
		for (int k = 0; k < nt; k++)
			alive |= !strcmp(ti[k].name, "violator");
		thread_sleep_ms(5);
	}
	thread_sleep_ms(50);
}

static void mode_loop(int n)
{
	struct mm_stats s0, s1;
	struct zone_info z0[ZONE_MAX], z1[ZONE_MAX];
	int z = zone_create("looper");

	violate(z, 3); /* warm up: freed stacks wait in the kernel's cache */
	int nz0 = zone_snapshot(z0, ZONE_MAX);
	uint64_t f0 = fault_count();
	mm_stats_get(&s0);
	violate(z, n);
	mm_stats_get(&s1);
	int nz1 = zone_snapshot(z1, ZONE_MAX);
	CHECK(nz1 == nz0, "zones %d -> %d", nz0, nz1);
	/* Freed stacks wait in the kernel's cache, and the last life's may
	 * not be back yet: allow two stacks, a leak per violation would be
	 * @n times more. */
	CHECK(s1.used <= s0.used + 2 * (THREAD_STACK_DEFAULT + 8192), "heap used %zu -> %zu",
	      s0.used, s1.used);
	CHECK(fault_count() - f0 == (uint64_t)n && lives == n, "%d faults, %d lives",
	      (int)(fault_count() - f0), lives);
	printf("recovery_zone: %d violations, %d lives, heap used %zu -> %zu (large blocks %zu -> "
	       "%zu, quarantined %zu), zones %d -> %d\n",
	       (int)(fault_count() - f0), lives, s0.used, s1.used, s0.large_count, s1.large_count,
	       s1.quarantined, nz0, nz1);
}

#ifdef ZONE_STRAY_WRPKRU
/* For the build test: a PKRU write outside the gates must stop the build. */
void stray_wrpkru(void);
void stray_wrpkru(void)
{
	__asm__ volatile("xorl %%ecx, %%ecx; xorl %%edx, %%edx; xorl %%eax, %%eax; wrpkru" ::
			     : "rax", "rcx", "rdx");
}
#endif

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "kernel";
#ifdef ZONE_STRAY_WRPKRU
	if (argc > 99)
		stray_wrpkru();
#endif

	if (!zone_available()) {
		CHECK(zone_create("x") == ZONE_SHARED, "zone_create without keys");
		char *p = zone_alloc(ZONE_SHARED, 10);
		CHECK(p && !p[9], "zone_alloc without keys");
		free(p);
		printf("recovery_zone: zones unavailable\n");
	} else if (!strcmp(mode, "kernel")) {
		mode_kernel();
	} else if (!strcmp(mode, "zones")) {
		mode_zones();
	} else if (!strcmp(mode, "calls")) {
		mode_calls();
	} else if (!strcmp(mode, "loop")) {
		mode_loop(argc > 2 ? atoi(argv[2]) : 100);
	} else {
		printf("recovery_zone: unknown mode %s\n", mode);
		return 2;
	}
	if (failures)
		return 1;
	printf("recovery_zone: ok\n");
	return 0;
}
