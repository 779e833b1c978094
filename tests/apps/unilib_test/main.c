/* Unilib-fs tests driven from the host (tests/unilib/run.sh), on the host
 * directory mounted at /:
 *   unilib_test threads T N   T threads each write N files /tT/fN, read
 *                             them back; the host checks them too
 *   unilib_test hostread      read /from_host.txt that the host wrote
 *   unilib_test escape        try to leave the shared directory: [PASS]
 *                             for each attempt refused
 *   unilib_test fids          a thread crashes with 40 files open: the
 *                             fids held on the server come back down
 *   unilib_test loss          write and read until the server goes
 *                             ("lost" at the first error, which must be
 *                             EIO), then until it is back ("back");
 *                             "loss gone": the directory is removed, any
 *                             error at once will do
 *   unilib_test readonly      the host shares the directory read-only:
 *                             reads work, changes fail with EROFS
 *   unilib_test hostile N [T] N calls in each of T threads at once
 *                             (default 1) against a server that breaks the
 *                             protocol or never answers: each fails with
 *                             EIO
 *   unilib_test late N        the first call's reply comes after the
 *                             deadline: EIO; the N - 1 after it get their
 *                             own replies (ENOENT), never the late one
 * Ends with "unilib_test: <mode> ok" and status 0, or status 1. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <kernel/thread.h>
#include <kernel/unilib.h>

static int failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("unilib_test: FAIL %s (line %d, errno %s)\n", #cond, __LINE__,      \
			       strerror(errno));                                                   \
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);                        \
		}                                                                                  \
	} while (0)

static void content(char *buf, size_t n, int t, int i)
{
	for (size_t k = 0; k < n; k++)
		buf[k] = (char)('a' + (t * 7 + i * 13 + (int)k) % 26);
}

static size_t size_of(int t, int i)
{
	return 100 + (size_t)((t * 977 + i * 131) % 3000);
}

static int files_per_thread;

static void *writer(void *arg)
{
	int t = (int)(long)arg;
	char path[64], buf[4096], got[4096];

	snprintf(path, sizeof(path), "/t%d", t);
	CHECK(mkdir(path, 0755) == 0);
	for (int i = 0; i < files_per_thread; i++) {
		size_t n = size_of(t, i);
		snprintf(path, sizeof(path), "/t%d/f%d", t, i);
		content(buf, n, t, i);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		CHECK(fd >= 0 && write(fd, buf, n) == (ssize_t)n && close(fd) == 0);
	}
	for (int i = 0; i < files_per_thread; i++) {
		size_t n = size_of(t, i);
		snprintf(path, sizeof(path), "/t%d/f%d", t, i);
		content(buf, n, t, i);
		int fd = open(path, O_RDONLY);
		ssize_t r = fd < 0 ? -1 : read(fd, got, sizeof(got));
		CHECK(r == (ssize_t)n && !memcmp(buf, got, n));
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

static void do_threads(int threads, int files)
{
	pthread_t th[64];
	struct unilib_fs_stats st;

	files_per_thread = files;
	if (threads > 64)
		threads = 64;
	for (int t = 0; t < threads; t++)
		CHECK(pthread_create(&th[t], NULL, writer, (void *)(long)t) == 0);
	for (int t = 0; t < threads; t++)
		pthread_join(th[t], NULL);
	unilib_fs_stats(&st);
	printf(
	    "unilib_test: %d threads x %d files, %ld requests, at most %ld in flight, %ld fids\n",
	    threads, files, st.requests, st.max_in_flight, st.fids);
	CHECK(st.errors == 0);
}

static void do_hostread(void)
{
	char buf[256] = {0};
	int fd = open("/from_host.txt", O_RDONLY);

	CHECK(fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0);
	printf("unilib_test: host says: %s", buf);
	close(fd);
	FILE *f = fopen("/from_guest.txt", "w");
	CHECK(f && fprintf(f, "written by the guest\n") > 0 && fclose(f) == 0);
}

static void refused(const char *what, int r)
{
	if (r < 0) {
		printf("[PASS] %s refused (%s)\n", what, strerror(errno));
	} else {
		printf("[FAIL] %s was allowed\n", what);
		failures++;
	}
}

static void do_escape(void)
{
	char buf[64];
	int fd;

	/* ".." at the root stays at the root: this is the shared directory's
	 * own file, never the one beside it. */
	fd = open("/../outside.txt", O_RDONLY);
	refused("open /../outside.txt", fd);
	if (fd >= 0)
		close(fd);
	refused("open ../../outside.txt", open("../../outside.txt", O_RDWR));
	refused("open link to an outside file", fd = open("/link_file", O_RDONLY));
	refused("write through link to an outside file", open("/link_file", O_WRONLY | O_TRUNC));
	refused("open through link to an outside dir", open("/link_dir/outside.txt", O_RDONLY));
	refused("create through link to an outside dir",
		open("/link_dir/new.txt", O_WRONLY | O_CREAT, 0644));
	refused("unlink through link to an outside dir", unlink("/link_dir/outside.txt"));
	/* Lands inside (the host checks nothing appeared beside the share). */
	CHECK(rename("/inside.txt", "/../moved.txt") == 0 && access("/moved.txt", F_OK) == 0);
	CHECK(rename("/moved.txt", "/inside.txt") == 0);
	fd = open("/inside.txt", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) >= 0);
	close(fd);
}

static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

static int opened;

static void *opener(void *arg)
{
	(void)arg;
	for (int i = 0; i < 40; i++) {
		char p[32];
		snprintf(p, sizeof(p), "/fid%d", i);
		if (open(p, O_RDWR | O_CREAT, 0644) >= 0)
			opened++;
	}
	*(volatile int *)0 = 1; /* crash with them open */
	return NULL;
}

static void do_fids(void)
{
	struct unilib_fs_stats before, during, after;
	pthread_attr_t a;
	pthread_t th;

	unilib_fs_stats(&before);
	pthread_attr_init(&a);
	pthread_attr_setrestart_np(&a, THREAD_RESTART_NEVER, 0, 0);
	CHECK(pthread_create(&th, &a, opener, NULL) == 0);
	pthread_join(th, NULL);
	unilib_fs_stats(&during);
	/* The files are closed by the crash exit itself; no one else
	 * touched them, so nothing stays reserved. Their fids are given back
	 * by the clunk thread: wait for it (bounded, 10 s). */
	for (int i = 0; i < 200; i++) {
		unilib_fs_stats(&after);
		if (after.fids == before.fids)
			break;
		pause_ms(50);
	}
	printf("unilib_test: fids before %ld, opened %d, after the crash %ld\n", before.fids,
	       opened, after.fids);
	CHECK(opened == 40);
	CHECK(after.fids == before.fids);
}

static int roundtrip(int i)
{
	char buf[32], got[32];
	int n = snprintf(buf, sizeof(buf), "round %d\n", i);
	int fd = open("/loss.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	int ok = write(fd, buf, n) == n && pread(fd, got, sizeof(got), 0) == n;
	int err = errno;
	close(fd);
	errno = err;
	return ok ? 0 : -1;
}

/* Bounded: 600 rounds of 50 ms at most in each phase. @gone: the host's
 * directory is removed rather than the server stopped: any error will do
 * (the host says why), and it does not come back. */
static void do_loss(int gone)
{
	int i = 0, err = 0;

	for (; i < 600 && roundtrip(i) == 0; i++) {
		if (i == 3) {
			printf("unilib_test: up\n");
			fflush(stdout);
		}
		pause_ms(50);
	}
	err = errno;
	printf("unilib_test: lost after %d rounds: %s\n", i, strerror(err));
	fflush(stdout);
	CHECK(i < 600 && (err == EIO || (gone && err)));
	if (gone)
		return;
	struct stat st;
	CHECK(stat("/", &st) == 0 || errno == EIO);
	for (i = 0; i < 600 && roundtrip(i) != 0; i++)
		pause_ms(50);
	CHECK(i < 600);
	printf("unilib_test: back after %d tries\n", i);
}

static void expect_erofs(const char *what, int r)
{
	if (r < 0 && errno == EROFS) {
		printf("[PASS] %s: EROFS\n", what);
	} else {
		printf("[FAIL] %s: %d (%s), want EROFS\n", what, r, strerror(errno));
		failures++;
	}
}

static void do_readonly(void)
{
	char buf[64];
	int fd = open("/from_host.txt", O_RDONLY);

	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) > 0);
	close(fd);
	expect_erofs("create", open("/new.txt", O_WRONLY | O_CREAT, 0644));
	/* The VFS opens nothing on the host until the first transfer. */
	fd = open("/from_host.txt", O_WRONLY);
	expect_erofs("write", fd < 0 ? fd : (int)write(fd, "x", 1));
	close(fd);
	expect_erofs("mkdir", mkdir("/newdir", 0755));
	expect_erofs("unlink", unlink("/from_host.txt"));
}

static int hostile_calls;

static void *hostile_thread(void *arg)
{
	struct stat st;

	for (int i = 0; i < hostile_calls; i++) {
		int r = stat("/anything", &st);
		printf("unilib_test: hostile %ld.%d: %s\n", (long)arg, i,
		       r ? strerror(errno) : "answered");
		CHECK(r != 0 && errno == EIO);
	}
	return NULL;
}

static void do_hostile(int n, int threads)
{
	pthread_t th[8];

	hostile_calls = n;
	if (threads < 1 || threads > 8)
		threads = 1;
	for (int t = 1; t < threads; t++)
		CHECK(pthread_create(&th[t], NULL, hostile_thread, (void *)(long)t) == 0);
	hostile_thread((void *)0L);
	for (int t = 1; t < threads; t++)
		pthread_join(th[t], NULL);
}

static void do_late(int n)
{
	struct stat st;

	for (int i = 0; i < n; i++) {
		int r = stat("/anything", &st);
		printf("unilib_test: late %d: %s\n", i, r ? strerror(errno) : "answered");
		CHECK(r != 0 && errno == (i ? ENOENT : EIO));
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "threads";

	if (!strcmp(mode, "threads"))
		do_threads(argc > 2 ? atoi(argv[2]) : 8, argc > 3 ? atoi(argv[3]) : 200);
	else if (!strcmp(mode, "hostread"))
		do_hostread();
	else if (!strcmp(mode, "escape"))
		do_escape();
	else if (!strcmp(mode, "fids"))
		do_fids();
	else if (!strcmp(mode, "loss"))
		do_loss(argc > 2 && !strcmp(argv[2], "gone"));
	else if (!strcmp(mode, "readonly"))
		do_readonly();
	else if (!strcmp(mode, "hostile"))
		do_hostile(argc > 2 ? atoi(argv[2]) : 1, argc > 3 ? atoi(argv[3]) : 1);
	else if (!strcmp(mode, "late"))
		do_late(argc > 2 ? atoi(argv[2]) : 2);
	else {
		printf("unilib_test: unknown mode %s\n", mode);
		return 2;
	}
	if (failures) {
		printf("unilib_test: %s: %d failures\n", mode, failures);
		return 1;
	}
	printf("unilib_test: %s ok\n", mode);
	return 0;
}
