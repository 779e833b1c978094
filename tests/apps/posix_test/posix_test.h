/* posix_test's checks: one [PASS]/[FAIL] line each. */
#ifndef POSIX_TEST_H
#define POSIX_TEST_H

#include <errno.h>
#include <stdio.h>

extern int failed;

#define CHECK(name, cond)                                                                          \
	do {                                                                                       \
		if (cond) {                                                                        \
			printf("[PASS] posix.%s\n", name);                                         \
		} else {                                                                           \
			printf("[FAIL] posix.%s: %s (errno %d)\n", name, #cond, errno);            \
			failed++;                                                                  \
		}                                                                                  \
	} while (0)

void signal_checks(void);
void call_checks(void);
void pair_checks(void);
void tcp_checks(void);
int tcp_sigpipe_default(void);
void sigpipe_checks(void);
int wait_for_intr(int handler);

#endif
