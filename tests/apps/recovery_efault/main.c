/* Bad pointers handed to system calls: every call that takes a pointer
 * returns -1/EFAULT for an address that is NULL, in the NULL page,
 * non-canonical, unmapped, or a closed (PROT_NONE) page, and leaves every
 * kernel lock free: afterwards the file system answers, the calls work with
 * good pointers, and memory and descriptors are at their baseline.
 *
 *   recovery_efault [CYCLES]     the checks, in a worker thread, CYCLES
 *                                times (default 10); needs a FAT disk
 *   recovery_efault klock        a fault in kernel code holding a kernel
 *                                lock: the system stops with a message
 * Prints "[FAIL] ..." for each call that did not give EFAULT, and
 * "recovery_efault: ok" at the end when everything held. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <kernel/fault.h>
#include <kernel/kmutex.h>
#include <kernel/mm.h>
#include <kernel/thread.h>

#define FILE_PATH "/efault.txt"

static void *closed_page; /* PROT_NONE */
static int failures;
static const char *bad_names[] = {"NULL", "0x1", "non-canonical", "unmapped", "closed page"};
static void *bad[5];

static void expect_efault(const char *what, const char *which, long r)
{
	if (r == -1 && errno == EFAULT)
		return;
	if (failures++ < 20)
		printf("[FAIL] %s with %s: returned %ld, errno %d (%s)\n", what, which, r, errno,
		       strerror(errno));
}

/* Each call with each bad pointer, in the argument that takes it. */
static void check_all(int fd, int dirfd)
{
	char buf[256];
	struct stat st;
	struct iovec iov = {buf, sizeof(buf)};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		void *p = bad[i];
		const char *b = bad_names[i];
		struct iovec biov = {p, 64};
		expect_efault("read(file)", b, syscall(SYS_read, fd, p, 10));
		expect_efault("write(file)", b, syscall(SYS_write, fd, p, 4096));
		expect_efault("write(stdout)", b, syscall(SYS_write, 1, p, 10));
		expect_efault("pread", b, syscall(SYS_pread64, fd, p, 10, 0));
		expect_efault("pwrite", b, syscall(SYS_pwrite64, fd, p, 10, 0));
		expect_efault("readv(iov)", b, syscall(SYS_readv, fd, p, 1));
		expect_efault("readv(base)", b, syscall(SYS_readv, fd, &biov, 1));
		expect_efault("writev(base)", b, syscall(SYS_writev, fd, &biov, 1));
		expect_efault("fstat", b, syscall(SYS_fstat, fd, p));
#ifdef SYS_stat
		expect_efault("stat(buf)", b, syscall(SYS_stat, "/", p));
		expect_efault("stat(path)", b, syscall(SYS_stat, p, &st));
		expect_efault("open(path)", b, syscall(SYS_open, p, O_RDONLY));
		expect_efault("mkdir", b, syscall(SYS_mkdir, p, 0755));
		expect_efault("unlink", b, syscall(SYS_unlink, p));
		expect_efault("rename(to)", b, syscall(SYS_rename, FILE_PATH, p));
#else /* aarch64, riscv64: only the *at calls exist (riscv64: renameat2) */
		expect_efault("newfstatat(buf)", b, syscall(SYS_newfstatat, AT_FDCWD, "/", p, 0));
		expect_efault("openat(path)", b, syscall(SYS_openat, AT_FDCWD, p, O_RDONLY));
		expect_efault("mkdirat", b, syscall(SYS_mkdirat, AT_FDCWD, p, 0755));
		expect_efault("unlinkat", b, syscall(SYS_unlinkat, AT_FDCWD, p, 0));
#ifdef SYS_renameat
		expect_efault("renameat(to)", b,
			      syscall(SYS_renameat, AT_FDCWD, FILE_PATH, AT_FDCWD, p));
#else
		expect_efault("renameat2(to)", b,
			      syscall(SYS_renameat2, AT_FDCWD, FILE_PATH, AT_FDCWD, p, 0));
#endif
#endif
		expect_efault("newfstatat(path)", b, syscall(SYS_newfstatat, AT_FDCWD, p, &st, 0));
		expect_efault("chdir", b, syscall(SYS_chdir, p));
		expect_efault("getcwd", b, syscall(SYS_getcwd, p, 100));
		expect_efault("statfs", b, syscall(SYS_statfs, "/", p));
		expect_efault("getdents64", b, syscall(SYS_getdents64, dirfd, p, 256));
		expect_efault("clock_gettime", b, syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p));
		if (p) /* clock_getres(clk, NULL) is allowed */
			expect_efault("clock_getres", b,
				      syscall(SYS_clock_getres, CLOCK_MONOTONIC, p));
		expect_efault("nanosleep(req)", b, syscall(SYS_nanosleep, p, NULL));
		expect_efault("clock_nanosleep", b,
			      syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, p, NULL));
		expect_efault("uname", b, syscall(SYS_uname, p));
		expect_efault("getrandom", b, syscall(SYS_getrandom, p, 16, 0));
#ifdef SYS_poll
		expect_efault("poll", b, syscall(SYS_poll, p, 1, 0));
		if (p) /* with no sets, select() only sleeps */
			expect_efault("select(readfds)", b,
				      syscall(SYS_select, 2, p, NULL, NULL, NULL));
#else
		struct timespec zero_ts = {0, 0};
		expect_efault("ppoll", b, syscall(SYS_ppoll, p, 1, &zero_ts, NULL, 8));
		if (p)
			expect_efault("pselect6(readfds)", b,
				      syscall(SYS_pselect6, 2, p, NULL, NULL, &zero_ts, NULL));
#endif
		expect_efault("sched_getaffinity", b, syscall(SYS_sched_getaffinity, 0, 8, p));
		expect_efault("futex", b,
			      syscall(SYS_futex, (long)p & ~3l, 0 /* WAIT */, 1, NULL, NULL, 0));
	}
	(void)iov;
}

/* The same calls with good pointers work afterwards. */
static int check_good(int fd)
{
	char buf[16] = {0};
	struct stat st;
	struct timespec ts;

	if (syscall(SYS_pwrite64, fd, "efault", 6, 0) != 6 ||
	    syscall(SYS_pread64, fd, buf, 6, 0) != 6 || memcmp(buf, "efault", 6))
		return -1;
	if (stat("/", &st) || !S_ISDIR(st.st_mode) || stat(FILE_PATH, &st) || st.st_size != 6)
		return -2;
	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return -3;
	return 0;
}

static int open_count(void)
{
	int n = 0;

	for (int fd = 0; fd < 256; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

static void *worker(void *arg)
{
	int cycles = (int)(long)arg;
	int fd = open(FILE_PATH, O_RDWR | O_CREAT, 0644);
	int dirfd = open("/", O_RDONLY | O_DIRECTORY);

	if (fd < 0 || dirfd < 0) {
		printf("[FAIL] open: %s\n", strerror(errno));
		failures++;
		return NULL;
	}
	for (int c = 0; c < cycles; c++)
		check_all(fd, dirfd);
	if (check_good(fd)) {
		printf("[FAIL] good calls after the bad ones\n");
		failures++;
	}
	close(dirfd);
	close(fd);
	return NULL;
}

static pthread_mutex_t a_kernel_lock = PTHREAD_MUTEX_INITIALIZER;

static void *klock_worker(void *arg)
{
	(void)arg;
	kmutex_lock(&a_kernel_lock);
	*(volatile int *)(long)failures = 1; /* NULL: failures is 0 */
	return NULL;
}

int main(int argc, char **argv)
{
	struct mm_stats before, after;

	if (argc > 1 && !strcmp(argv[1], "klock")) {
		struct thread_attr a = {.name = "worker"};
		thread_join(thread_spawn(&a, klock_worker, NULL), NULL);
		printf("recovery_efault: klock: the system went on\n");
		return 1;
	}
	int cycles = argc > 1 ? atoi(argv[1]) : 10;
	closed_page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad[0] = NULL;
	bad[1] = (void *)1;
	bad[2] = (void *)0x8000000000000000ul;
	bad[3] = (void *)(1ul << 46);
	bad[4] = closed_page;
	if (closed_page == MAP_FAILED) {
		printf("[FAIL] mmap PROT_NONE\n");
		return 1;
	}
	/* One round first: the stack cache and the file's clusters then
	 * count in the baseline. */
	struct thread_attr a = {.name = "worker"};
	thread_join(thread_spawn(&a, worker, (void *)1l), NULL);
	mm_stats_get(&before);
	int fds_before = open_count();
	thread_join(thread_spawn(&a, worker, (void *)(long)cycles), NULL);
	mm_stats_get(&after);
	int fds_after = open_count();
	printf("recovery_efault: %d cycles, %d failures, %llu faults, heap used %zu -> %zu, "
	       "descriptors %d -> %d\n",
	       cycles, failures, (unsigned long long)fault_count(), before.used, after.used,
	       fds_before, fds_after);
	int ok = !failures && !fault_count() && after.used <= before.used + 1024 &&
		 fds_after == fds_before && unlink(FILE_PATH) == 0;
	printf("recovery_efault: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
