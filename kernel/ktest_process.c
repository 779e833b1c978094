/* In-kernel tests of the process-level calls (kernel/sys_resource.c,
 * sys_process.c): values, never error codes returned as values. */
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include <kernel/file.h>
#include <kernel/ktest.h>

#ifdef CONFIG_PROCESS_CALLS

TEST(process, identity_of_the_one_process)
{
	EXPECT_EQ(getpid(), 1);
	EXPECT_EQ(getppid(), 0);
	EXPECT_EQ(getpgrp(), 1);
	EXPECT_EQ(getsid(0), 1);
	EXPECT_EQ(setsid(), -1);
	EXPECT_EQ(errno, EPERM);
	EXPECT_EQ(getpgid(77), -1);
	EXPECT_EQ(errno, ESRCH);
}

TEST(process, limits_read_and_lowered)
{
	struct rlimit r;

	EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &r), 0);
	EXPECT_EQ(r.rlim_cur, FD_MAX);
	EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &r), 0); /* must not wait for other threads */
	r.rlim_max = r.rlim_cur = FD_MAX * 2;
	EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &r), -1);
	EXPECT_EQ(errno, EPERM);
	EXPECT_EQ(getrlimit(RLIMIT_CORE, &r), 0);
	EXPECT_EQ(r.rlim_cur, 0);
	EXPECT_EQ(getrlimit(99, &r), -1);
	EXPECT_EQ(errno, EINVAL);
}

TEST(process, cpu_time_moves_with_work_only)
{
	struct timespec a, b;
	struct rusage ru;
	volatile unsigned long spin = 0;

	EXPECT_EQ(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a), 0);
	clock_t c0 = clock();
	while (clock() - c0 < CLOCKS_PER_SEC / 100)
		spin++; /* about 10 ms of work */
	EXPECT_EQ(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b), 0);
	EXPECT(b.tv_sec > a.tv_sec || b.tv_nsec > a.tv_nsec);
	/* A sleeping thread gains no CPU time of its own: less than the
	 * time that passed (by at least the sleep, however busy the host). */
	struct timespec wa, wb;
	EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC, &wa), 0);
	EXPECT_EQ(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a), 0);
	usleep(30000);
	EXPECT_EQ(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b), 0);
	EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC, &wb), 0);
	long long cpu = (b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec);
	long long wall = (wb.tv_sec - wa.tv_sec) * 1000000000ll + (wb.tv_nsec - wa.tv_nsec);
	EXPECT(cpu + 20000000 <= wall);
	EXPECT_EQ(getrusage(RUSAGE_SELF, &ru), 0);
	EXPECT(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0);
	EXPECT(ru.ru_maxrss > 0);
}

TEST(process, times_sysinfo_and_unknown_calls)
{
	struct tms t;
	struct sysinfo si;

	EXPECT(times(&t) >= 0);
	EXPECT_EQ(sysinfo(&si), 0);
	EXPECT(si.totalram > 0 && si.freeram > 0 && si.freeram <= si.totalram);
#ifdef SYS_fork
	EXPECT_EQ(syscall(SYS_fork), -1);
#else
	EXPECT_EQ(syscall(SYS_kexec_load, 0, 0, 0, 0), -1); /* aarch64 has no fork */
#endif
	EXPECT_EQ(errno, ENOSYS);
	EXPECT_EQ(sysinfo((void *)1), -1);
	EXPECT_EQ(errno, EFAULT);
}

#endif
