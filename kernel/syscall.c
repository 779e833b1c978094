/* System-call dispatch: one table indexed by the architecture's Linux
 * system-call number, filled at boot from the entries that modules register
 * with SYSCALL(). A call nobody registered returns -ENOSYS, with one warning
 * per number on the console. */
#include <errno.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <time.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <kernel/compiler.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/zone_gate.h>

#define SYSCALL_TABLE_SIZE 512

extern const struct syscall_entry __start_ush_syscalls[], __stop_ush_syscalls[];

static syscall_fn_t syscall_table[SYSCALL_TABLE_SIZE];

void syscall_init(void)
{
	for (const struct syscall_entry *e = __start_ush_syscalls; e < __stop_ush_syscalls; e++) {
		if (e->nr == SYSCALL_NR_NONE)
			continue;
		BUG_ON(e->nr < 0 || e->nr >= SYSCALL_TABLE_SIZE || syscall_table[e->nr]);
		syscall_table[e->nr] = e->fn;
	}
}

static long syscall_unknown(long n)
{
	static unsigned char reported[SYSCALL_TABLE_SIZE / 8];

	if (n >= 0 && n < SYSCALL_TABLE_SIZE && !(reported[n / 8] & (1 << (n % 8)))) {
		reported[n / 8] |= 1 << (n % 8);
		log_warn("system call %ld is not implemented: -ENOSYS", n);
	}
	return -ENOSYS;
}

/* A thread that was killed while blocked in a call ends on the way out of
 * it, holding no kernel lock. */
static void check_killed(void)
{
	struct cpu *c = this_cpu();

	if (c && !c->in_irq && c->current && c->current->kill_pending &&
	    !(c->current->flags & THREAD_F_PROTECTED))
		thread_die_killed();
}

/* The outermost call ends: handlers of signals that arrived run now
 * (include/kernel/signal.h). @retval 1 restart an -EINTR call */
static int leaving_kernel(long r)
{
	int restart = signal_deliver();

	return restart && r == -EINTR;
}

/* Zones: calls that write no kernel memory run with the caller's rights,
 * without the gate's two PKRU writes: the process and thread ids, and the
 * monotonic and real-time clocks (their result goes through copy_to_user,
 * which the caller's rights check like the caller's own stores). They are
 * neither counted as system calls nor places where signals are taken. */
static bool needs_no_gate(long n, long a1)
{
	switch (n) {
	case SYS_getpid:
	case SYS_gettid:
		return true;
	case SYS_clock_gettime:
		return a1 == CLOCK_MONOTONIC || a1 == CLOCK_REALTIME;
	default:
		return false;
	}
}

long syscall_dispatch(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	if (zone_on && needs_no_gate(n, a1))
		return syscall_table[n](a1, a2, a3, a4, a5, a6);
	KERNEL_ENTRY();
	struct cpu *c = this_cpu();
	struct thread *t = c && !c->in_irq ? c->current : NULL;
	long r;

again:
	if (t)
		t->in_syscall++;
	if (__builtin_expect((unsigned long)n < SYSCALL_TABLE_SIZE && syscall_table[n] != 0, 1))
		r = syscall_table[n](a1, a2, a3, a4, a5, a6);
	else
		r = syscall_unknown(n);
	if (t && !--t->in_syscall) {
		if (IS_ENABLED(CONFIG_WATCHDOG) && t->wd_fired)
			watchdog_fire(); /* a runaway verdict waits for the way out */
		if (IS_ENABLED(CONFIG_SIGNALS) && __builtin_expect(signal_deliverable(t), 0) &&
		    leaving_kernel(r))
			goto again;
	}
	check_killed();
	return r;
}
