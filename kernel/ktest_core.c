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

/* The sleep is woken by the timer interrupt: a sleep that returns early
 * shows the interrupt is wrong, one that never returns that it is missing.
 * How late it may return is not bounded here (a loaded host delays it
 * without any fault of the kernel's): the bound is only a hang guard. */
TEST(time, sleep_lasts_as_asked)
{
	uint64_t t0 = time_now_ns();
	struct timespec req = {0, 20 * 1000 * 1000};

	EXPECT_EQ(nanosleep(&req, NULL), 0);
	uint64_t slept = time_now_ns() - t0;
	EXPECT(slept >= 20 * 1000 * 1000);
	EXPECT(slept < 30ull * 1000 * 1000 * 1000);
}

/* Read the clock, the cycle counter and the clock again; the pair counts
 * only if nothing came between the two clock reads (an interrupt, the
 * host taking the CPU away). @retval 1 a clean pair in *ns, *cycles */
static int clock_pair(uint64_t *ns, uint64_t *cycles)
{
	for (int i = 0; i < 100; i++) {
		uint64_t a = time_now_ns(), c = plat_cycles(), b = time_now_ns();
		if (b - a < 50 * 1000) {
			*ns = a + (b - a) / 2;
			*cycles = c;
			return 1;
		}
	}
	return 0;
}

/* Both clocks measure one interval, bracketed by clean pairs: a pause of
 * the machine inside the interval lengthens both alike, so the ratio holds
 * however loaded the host is. The best of a few windows must be within
 * 5 % (the pairs' uncertainty is at most 2 x 50 us over 5 ms). */
TEST(time, cycles_match_clock)
{
	double best = 1e9;

	for (int w = 0; w < 5 && best > 0.05; w++) {
		uint64_t n0, c0, n1, c1;
		if (!clock_pair(&n0, &c0))
			continue;
		while (time_now_ns() - n0 < 5 * 1000 * 1000)
			;
		if (!clock_pair(&n1, &c1))
			continue;
		double ratio = (double)time_cycles_to_ns(c1 - c0) / (double)(n1 - n0);
		if (fabs(ratio - 1) < best)
			best = fabs(ratio - 1);
	}
	EXPECT(best < 0.05);
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
