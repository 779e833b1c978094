/*
 * Fault injection for tests (CONFIG_FAULT_INJECT), chosen at boot with a
 * kernel option (words before "--" on the command line):
 *   inject=alloc:N          the N-th allocation fails
 *   inject=alloc:N:THREAD   the N-th allocation of the thread named THREAD
 *                           fails (e.g. "terminal", a driver's thread)
 *   inject=call:FUNC:N      the N-th call of the application's function
 *                           FUNC panics (its thread crashes)
 * Allocations are counted from the start-up hooks on, in every thread
 * (not in interrupt handlers): every entry point of the malloc family
 * counts, the C library's internal ones included. The application is built
 * with -finstrument-functions in this mode; the kernel is not, so only the
 * application's own calls count.
 *
 * An option that does not parse stops the boot with a message: a test
 * that asked for a fault and ran without it would pass for nothing.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/fault_inject.h>
#include <kernel/boot.h>
#include <kernel/ksyms.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <kernel/sched.h>

static long alloc_target, alloc_count;
static char alloc_thread[THREAD_NAME_MAX];
static uintptr_t call_target;
static long call_n, call_count;
static char call_name[64];
static volatile int armed;

/* @retval 1 this allocation must fail */
int fault_inject_alloc(void)
{
	struct thread *t;

	if (!alloc_target || !__atomic_load_n(&armed, __ATOMIC_ACQUIRE) || sched_in_irq())
		return 0;
	if (alloc_thread[0]) {
		t = current_thread();
		if (!t || strcmp(t->name, alloc_thread))
			return 0;
	}
	return __atomic_add_fetch(&alloc_count, 1, __ATOMIC_RELAXED) == alloc_target;
}

__attribute__((no_instrument_function)) void __cyg_profile_func_enter(void *fn, void *site)
{
	(void)site;
	if ((uintptr_t)fn != call_target || !call_target)
		return;
	long n = __atomic_add_fetch(&call_count, 1, __ATOMIC_RELAXED);
	if (n == call_n)
		panic("injected fault in %s (call %ld)", call_name, n);
}

__attribute__((no_instrument_function)) void __cyg_profile_func_exit(void *fn, void *site)
{
	(void)fn;
	(void)site;
}

/* A count: decimal digits only, from 1 to LONG_MAX. @end gets what follows.
 * @retval the count, or 0 when @s is not one */
static long parse_count(const char *s, const char **end)
{
	long n = 0;

	if (*s < '0' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (LONG_MAX - (*s - '0')) / 10)
			return 0;
		n = n * 10 + (*s - '0');
	}
	*end = s;
	return n;
}

/* @retval NULL parsed; else why not */
static const char *parse_alloc(const char *arg)
{
	const char *end;

	alloc_target = parse_count(arg, &end);
	if (!alloc_target)
		return "N must be a whole number from 1";
	if (!*end)
		return NULL;
	if (*end != ':' || !end[1] || strlen(end + 1) >= sizeof(alloc_thread)) {
		alloc_target = 0;
		return "the thread name after N must have 1 to 15 characters";
	}
	strcpy(alloc_thread, end + 1);
	return NULL;
}

static const char *parse_call(const char *arg)
{
	const char *colon = strrchr(arg, ':'), *end;

	if (!colon || colon == arg || (size_t)(colon - arg) >= sizeof(call_name))
		return "expected call:FUNC:N";
	snprintf(call_name, sizeof(call_name), "%.*s", (int)(colon - arg), arg);
	call_n = parse_count(colon + 1, &end);
	if (!call_n || *end)
		return "N must be a whole number from 1";
	call_target = ksyms_address(call_name);
	if (!call_target)
		return "no such function in the symbol table";
	return NULL;
}

/* Called by kernel_main() before the start-up hooks. */
void fault_inject_arm(void)
{
	const char *why = NULL;
	char opt[96];
	int r = kernel_option("inject", opt, sizeof(opt));

	if (r == -ENOENT)
		return;
	if (r < 0)
		why = "too long";
	else if (!strncmp(opt, "alloc:", 6))
		why = parse_alloc(opt + 6);
	else if (!strncmp(opt, "call:", 5))
		why = parse_call(opt + 5);
	else
		why = "the kinds are alloc:N, alloc:N:THREAD and call:FUNC:N";
	if (why) {
		kprintf("inject: refused '%s': %s; stopping\n", r < 0 ? "(option)" : opt, why);
		kernel_exit(EXIT_FAILURE);
	}
	__atomic_store_n(&armed, 1, __ATOMIC_RELEASE);
}
