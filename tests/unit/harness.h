/* The host unit tests' harness: CHECK() ends the running test with the
 * first failed condition, and each test prints one line, [PASS] or
 * [FAIL] SUITE.NAME (why), which tests/run.sh counts. */
#ifndef UNIT_HARNESS_H
#define UNIT_HARNESS_H

#include <stdio.h>

static int t_failed, t_nfail;
static char t_why[512];

#define CHECK(e)                                                                                   \
	do {                                                                                       \
		if (!(e)) {                                                                        \
			t_fail(__FILE__, __LINE__, #e);                                            \
			return;                                                                    \
		}                                                                                  \
	} while (0)

static inline void t_fail(const char *file, int line, const char *expr)
{
	if (!t_failed)
		snprintf(t_why, sizeof(t_why), "%s:%d: %s", file, line, expr);
	t_failed = 1;
}

/* The line for the test that just ran. */
static inline void t_report(const char *suite, const char *name)
{
	if (t_failed) {
		printf("[FAIL] %s.%s (%s)\n", suite, name, t_why);
		t_nfail++;
	} else {
		printf("[PASS] %s.%s\n", suite, name);
	}
	fflush(stdout);
}

static inline void t_run(const char *suite, const char *name, void (*fn)(void))
{
	t_failed = 0;
	fn();
	t_report(suite, name);
}

#endif
