/* Process-level calls in a unikernel: one process, always "pid 1", run by
 * root, with no signals to deliver. A fatal signal sent to oneself (abort,
 * raise(SIGSEGV)) is a crash. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/utsname.h>
#include <kernel/boot.h>
#include <kernel/panic.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <platform.h>

static long sys_exit_group(long status)
{
	kernel_exit((int)status);
}

static __attribute__((unused)) long sys_return_zero(void)
{
	return 0;
}

/* The C library applies set*id() and setrlimit() to every thread by running
 * the change in each one (its __synccall, by signals). Credentials and
 * limits here belong to the process: one run of the change, by the caller,
 * applies to all threads. */
void __synccall(void (*func)(void *), void *ctx);
void __synccall(void (*func)(void *), void *ctx)
{
	func(ctx);
}

static long sys_getpid(void)
{
	return 1;
}

static __attribute__((unused)) long sys_kill_self(long pid_or_tid, long sig)
{
	(void)pid_or_tid;
	if (sig == 0)
		return 0;
	if (sig == SIGABRT || sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	    sig == SIGKILL || sig == SIGTERM || sig == SIGQUIT)
		panic("fatal signal %ld raised", sig);
	return 0; /* other signals have no handler to run: ignored */
}

static __attribute__((unused)) long sys_tgkill(long tgid, long tid, long sig)
{
	(void)tgid;
	return sys_kill_self(tid, sig);
}

static long sys_uname(struct utsname *uu)
{
	struct utsname u = {
	    .sysname = "Unishyper",
	    .nodename = "unishyper",
	    .release = "0.1",
	    .version = "unikernel",
	    .machine = CONFIG_ARCH_NAME,
	};

	return copy_to_user(uu, &u, sizeof(u));
}

static long sys_getrandom(unsigned char *buf, size_t len, unsigned flags)
{
	static uint64_t state;

	(void)flags;
	if (user_check_write(buf, len))
		return -EFAULT;
	if (!state)
		state = plat_cycles() | 1;
	for (size_t i = 0; i < len; i++) {
		/* xorshift64*, reseeded by the cycle counter: not cryptographic */
		state ^= state >> 12;
		state ^= state << 25;
		state ^= state >> 27;
		state ^= plat_cycles();
		buf[i] = (state * 2685821657736338717ull) >> 56;
	}
	return len;
}

SYSCALL(exit_group, sys_exit_group);
SYSCALL(getpid, sys_getpid);
#ifndef CONFIG_PROCESS_CALLS
SYSCALL(getuid, sys_return_zero);
SYSCALL(geteuid, sys_return_zero);
SYSCALL(getgid, sys_return_zero);
SYSCALL(getegid, sys_return_zero);
#endif
#ifndef CONFIG_SIGNALS
SYSCALL(rt_sigprocmask, sys_return_zero);
SYSCALL(rt_sigaction, sys_return_zero);
SYSCALL(kill, sys_kill_self);
SYSCALL(tkill, sys_kill_self);
SYSCALL(tgkill, sys_tgkill);
#endif
SYSCALL(uname, sys_uname);
SYSCALL(getrandom, sys_getrandom);
