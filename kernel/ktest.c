/* The in-kernel test runner (CONFIG_KTEST). */
#include <stdio.h>
#include <string.h>
#include <kernel/ktest.h>
#include <kernel/log.h>

extern const struct ktest __start_ush_ktests[], __stop_ush_ktests[];

static int current_failed;

void ktest_fail(const char *file, int line, const char *expr)
{
	if (!current_failed)
		kprintf("  %s:%d: %s\n", file, line, expr);
	current_failed++;
}

void ktest_fail_eq(const char *file, int line, const char *expr, long long a, long long b)
{
	if (!current_failed)
		kprintf("  %s:%d: %s (%lld != %lld)\n", file, line, expr, a, b);
	current_failed++;
}

static int matches(const struct ktest *t, const char *prefix)
{
	char full[128];

	if (!prefix || !*prefix)
		return 1;
	snprintf(full, sizeof(full), "%s.%s", t->suite, t->name);
	return !strncmp(full, prefix, strlen(prefix));
}

int ktest_run(const char *prefix)
{
	int passed = 0, failed = 0;

	for (const struct ktest *t = __start_ush_ktests; t < __stop_ush_ktests; t++) {
		if (!matches(t, prefix))
			continue;
		current_failed = 0;
		t->fn();
		kprintf("[%s] %s.%s\n", current_failed ? "FAIL" : "PASS", t->suite, t->name);
		if (current_failed)
			failed++;
		else
			passed++;
	}
	kprintf("ktest: %d passed, %d failed\n", passed, failed);
	return failed;
}
