/*
 * Fault injection for tests (CONFIG_FAULT_INJECT), chosen at boot with a
 * kernel option (words before "--" on the command line):
 *   inject=alloc:N          the application's N-th allocation fails
 *   inject=call:FUNC:N      the N-th call of the application's function
 *                           FUNC panics (its thread crashes)
 * The application is built with -finstrument-functions in this mode; the
 * kernel is not, so only the application's own calls count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/boot.h>
#include <kernel/initcall.h>
#include <kernel/ksyms.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <kernel/sched.h>

static long alloc_target, alloc_count;
static uintptr_t call_target;
static long call_n, call_count;
static char call_name[64];
static volatile int armed; /* from main() on: the application's calls only */

void fault_inject_arm(void)
{
	__atomic_store_n(&armed, 1, __ATOMIC_RELEASE);
}

/* @retval 1 this allocation must fail */
int fault_inject_alloc(void)
{
	if (!alloc_target || !__atomic_load_n(&armed, __ATOMIC_ACQUIRE) || sched_in_irq())
		return 0;
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

static int fault_inject_init(void)
{
	char opt[96];

	if (kernel_option("inject", opt, sizeof(opt)) < 0)
		return 0;
	if (!strncmp(opt, "alloc:", 6)) {
		alloc_target = atol(opt + 6);
	} else if (!strncmp(opt, "call:", 5) && strchr(opt + 5, ':')) {
		char *colon = strchr(opt + 5, ':');
		snprintf(call_name, sizeof(call_name), "%.*s", (int)(colon - (opt + 5)), opt + 5);
		call_n = atol(colon + 1);
		call_target = ksyms_address(call_name);
		if (!call_target)
			log_warn("inject: no function %s in the symbol table", call_name);
	} else {
		log_warn("inject: '%s' is not alloc:N or call:FUNC:N", opt);
	}
	return 0;
}
INITCALL(INITCALL_CORE, fault_inject_init);
