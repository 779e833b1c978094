/*
 * In-kernel tests. Any file may define tests:
 *
 *     TEST(mm, alloc_returns_aligned_memory) { EXPECT(p != NULL); ... }
 *
 * The test image (tests/apps/ktest) runs them all and prints one line per
 * test: "[PASS] suite.name" or "[FAIL] suite.name (file:line: expression)".
 * Tests are linked only when CONFIG_KTEST is on.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdint.h>

struct ktest {
	const char *suite;
	const char *name;
	void (*fn)(void);
};

#define TEST(suite, name)                                                                          \
	static void ktest_##suite##_##name(void);                                                  \
	static const struct ktest ktest_entry_##suite##_##name                                     \
	    __attribute__((used, section("ush_ktests"), aligned(8))) = {#suite, #name,             \
									ktest_##suite##_##name};   \
	static void ktest_##suite##_##name(void)

/* Record a failed check; the test goes on so one run shows every failure. */
void ktest_fail(const char *file, int line, const char *expr);

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond))                                                                       \
			ktest_fail(__FILE__, __LINE__, #cond);                                     \
	} while (0)

#define EXPECT_EQ(a, b)                                                                            \
	do {                                                                                       \
		long long __a = (long long)(a), __b = (long long)(b);                              \
		if (__a != __b)                                                                    \
			ktest_fail_eq(__FILE__, __LINE__, #a " == " #b, __a, __b);                 \
	} while (0)

void ktest_fail_eq(const char *file, int line, const char *expr, long long a, long long b);

/* Run every test whose "suite.name" starts with prefix (NULL or "": all).
 * @retval number of failed tests */
int ktest_run(const char *prefix);

#endif
