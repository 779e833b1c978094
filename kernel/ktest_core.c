/* In-kernel tests of the foundation: system calls, the C library on top of
 * them, TLS, time, the command line and the symbol table. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <kernel/ksyms.h>
#include <kernel/ktest.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <platform.h>

#include "cmdline.h"

TEST(syscall, write_returns_count)
{
	EXPECT_EQ(write(1, "", 0), 0);
	EXPECT_EQ(syscall_dispatch(SYS_write, 1, (long)"", 0, 0, 0, 0), 0);
}

TEST(syscall, unknown_is_enosys_with_errno)
{
	errno = 0;
	EXPECT_EQ(syscall(SYS_reboot, 0, 0, 0), -1);
	EXPECT_EQ(errno, ENOSYS);
}

TEST(syscall, bad_descriptor_sets_errno)
{
	errno = 0;
	EXPECT_EQ(write(77, "x", 1), -1);
	EXPECT_EQ(errno, EBADF);
}

TEST(libc, formats_integers_and_floats)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d %x %.3f %s %e", -42, 0xbeef, 3.14159, "ok", 1e10);
	EXPECT(!strcmp(buf, "-42 beef 3.142 ok 1.000000e+10"));
	EXPECT(fabs(strtod("2.5e-3", NULL) - 0.0025) < 1e-12);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

TEST(libc, qsort_and_malloc)
{
	int *v = malloc(1000 * sizeof(int));

	EXPECT(v != NULL);
	for (int i = 0; i < 1000; i++)
		v[i] = (i * 7919) % 1000;
	qsort(v, 1000, sizeof(int), cmp_int);
	for (int i = 0; i < 1000; i++)
		if (v[i] != i) {
			EXPECT(v[i] == i);
			break;
		}
	free(v);
}

static _Thread_local int tls_counter = 5;
static _Thread_local char tls_zeroes[64];

TEST(tls, initial_values_and_writes)
{
	EXPECT_EQ(tls_counter, 5);
	tls_counter++;
	EXPECT_EQ(tls_counter, 6);
	for (size_t i = 0; i < sizeof(tls_zeroes); i++)
		EXPECT_EQ(tls_zeroes[i], 0);
	tls_counter = 5;
}

TEST(time, monotonic_advances)
{
	struct timespec a, b;

	EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	for (volatile int i = 0; i < 100000; i++)
		;
	EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC, &b), 0);
	EXPECT(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec > a.tv_nsec));
}

TEST(time, realtime_is_after_2024)
{
	struct timespec ts;

	EXPECT_EQ(clock_gettime(CLOCK_REALTIME, &ts), 0);
	EXPECT(ts.tv_sec > 1704067200); /* 2024-01-01 */
}

/* The sleep is woken by the timer interrupt: a sleep that returns on time
 * shows the interrupt arrived, one that returns early shows it is wrong. */
TEST(time, sleep_lasts_as_asked)
{
	uint64_t t0 = time_now_ns();
	struct timespec req = {0, 20 * 1000 * 1000};

	EXPECT_EQ(nanosleep(&req, NULL), 0);
	uint64_t slept = time_now_ns() - t0;
	EXPECT(slept >= 20 * 1000 * 1000);
	EXPECT(slept < 200 * 1000 * 1000);
}

TEST(time, cycles_match_clock)
{
	uint64_t n0 = time_now_ns(), c0 = plat_cycles();

	while (time_now_ns() - n0 < 5 * 1000 * 1000)
		;
	uint64_t ns = time_cycles_to_ns(plat_cycles() - c0);
	EXPECT(ns > 4 * 1000 * 1000 && ns < 7 * 1000 * 1000);
}

TEST(cmdline, splits_quotes_and_kernel_options)
{
	char *argv[8], buf[64];

	EXPECT_EQ(cmdline_split("a  'b c' \"d\"", buf, sizeof(buf), argv, 7), 4);
	EXPECT(!strcmp(argv[1], "a") && !strcmp(argv[2], "b c") && !strcmp(argv[3], "d"));
	EXPECT(argv[4] == NULL);
	EXPECT_EQ(cmdline_split("loglevel=3 -- x", buf, sizeof(buf), argv, 7), 2);
	EXPECT(!strcmp(argv[1], "x"));
	EXPECT_EQ(cmdline_split("", buf, sizeof(buf), argv, 7), 1);
	EXPECT_EQ(cmdline_split("1 2 3 4 5 6 7 8 9", buf, sizeof(buf), argv, 4), 4);
	EXPECT(argv[4] == NULL);
}

TEST(ksyms, names_kernel_functions)
{
	uintptr_t off = 1;
	const char *name = ksyms_lookup((uintptr_t)ktest_run + 3, &off);

	EXPECT(name && !strcmp(name, "ktest_run"));
	EXPECT_EQ(off, 3);
	EXPECT_EQ(ksyms_address("ktest_run"), (uintptr_t)ktest_run);
	EXPECT(ksyms_lookup(0x10, &off) == NULL);
}
