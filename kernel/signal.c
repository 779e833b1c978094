/* Signals (include/kernel/signal.h). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <arch.h>
#include <kernel/boot.h>
#include <kernel/zone_gate.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/spinlock.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/uaccess.h>

#define NSIGNALS 64
#define BIT(sig) (1ull << ((sig)-1))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))
/* Default action: ignore these; end the thread as a crash for the
 * "core" ones; end the whole system for the rest. */
#define DEFAULT_IGNORE (BIT(SIGCHLD) | BIT(SIGURG) | BIT(SIGWINCH) | BIT(SIGCONT))
#define DEFAULT_CRASH                                                                              \
	(BIT(SIGABRT) | BIT(SIGSEGV) | BIT(SIGBUS) | BIT(SIGILL) | BIT(SIGFPE) | BIT(SIGSYS) |     \
	 BIT(SIGTRAP) | BIT(SIGQUIT) | BIT(SIGXCPU) | BIT(SIGXFSZ))

/* The C library's struct k_sigaction (what rt_sigaction passes). */
struct k_sigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

uint64_t signal_process_pending;
static struct k_sigaction actions[NSIGNALS + 1];
static spinlock_t lock = SPINLOCK_INIT;

static int valid(int sig)
{
	return sig >= 1 && sig <= NSIGNALS;
}

/* Wake @t if it waits, so that its call ends (EINTR) and it takes the
 * signal on the way out; or make its CPU look at it soon. */
static void nudge(struct thread *t)
{
	if (!sched_wakeup(t))
		sched_kick_thread(t);
}

int signal_send_thread(struct thread *t, int sig)
{
	if (!valid(sig))
		return -EINVAL;
	if (t->flags & THREAD_F_PROTECTED)
		return -EPERM;
	__atomic_or_fetch(&t->sig_pending, BIT(sig), __ATOMIC_SEQ_CST);
	if (!(t->sig_blocked & BIT(sig)))
		nudge(t);
	return 0;
}

/* An application thread that can take @sig now: main first, then one
 * running on a CPU. Racy by design: a thread that blocks the signal
 * meanwhile keeps it pending until it unblocks it. */
static struct thread *taker(int sig)
{
	struct thread *main = thread_lookup(1);

	if (main && main->state != THREAD_EXITED && !(main->sig_blocked & BIT(sig)))
		return main;
	for (unsigned c = 0; c < SCHED_MAX_CPUS; c++) {
		struct cpu *cpu = sched_cpus[c];
		struct thread *t = cpu ? cpu->current : NULL;
		if (t && !(t->flags & THREAD_F_PROTECTED) && !(t->sig_blocked & BIT(sig)))
			return t;
	}
	return NULL;
}

/* The chosen thread gets it, as on Linux (main first); with none that
 * can take it now, the process keeps it for the first that unblocks it. */
int signal_send_process(int sig)
{
	if (!valid(sig))
		return -EINVAL;
	struct thread *t = taker(sig);
	if (t)
		return signal_send_thread(t, sig);
	__atomic_or_fetch(&signal_process_pending, BIT(sig), __ATOMIC_SEQ_CST);
	return 0;
}

/* Take one deliverable signal off @t's or the process's pending set.
 * @retval the signal, or 0 */
static int take_one(struct thread *t)
{
	for (;;) {
		uint64_t mine =
		    __atomic_load_n(&t->sig_pending, __ATOMIC_ACQUIRE) & ~t->sig_blocked;
		uint64_t proc =
		    __atomic_load_n(&signal_process_pending, __ATOMIC_ACQUIRE) & ~t->sig_blocked;
		if (!mine && !proc)
			return 0;
		uint64_t *set = mine ? &t->sig_pending : &signal_process_pending;
		int sig = __builtin_ctzll(mine ? mine : proc) + 1;
		if (__atomic_fetch_and(set, ~BIT(sig), __ATOMIC_ACQ_REL) & BIT(sig))
			return sig; /* else another thread took it: look again */
	}
}

static void default_action(int sig)
{
	if (BIT(sig) & DEFAULT_IGNORE)
		return;
	if (BIT(sig) & DEFAULT_CRASH)
		panic("fatal signal %d (%s) raised", sig, strsignal(sig));
	kprintf("terminated by signal %d (%s)\n", sig, strsignal(sig));
	/* An interrupt from the terminal ends with a shell's 128 + 2. */
	kernel_exit(sig == SIGINT ? 128 + SIGINT : 125);
}

typedef void (*handler_info_t)(int, siginfo_t *, void *);

struct call {
	struct k_sigaction a;
	int sig;
	siginfo_t info;
	ucontext_t uc;
};

/* The handler is the application's code: it runs with its thread's
 * rights (zones), and the kernel's come back after it. */
static void call_handler(void *p)
{
	struct call *c = p;

	zone_enter_app();
	if (c->a.flags & SA_SIGINFO)
		((handler_info_t)c->a.handler)(c->sig, &c->info, &c->uc);
	else
		((void (*)(int))c->a.handler)(c->sig);
	zone_enter_kernel();
}

static int on_altstack(const struct thread *t)
{
	char here;

	return (char *)&here >= (char *)t->sig_altstack &&
	       (char *)&here < (char *)t->sig_altstack + t->sig_altsize;
}

/* Run @sig's handler on the current thread, with its mask. @retval
 * 1 it asked for system calls to restart */
static int run_handler(struct thread *t, int sig)
{
	struct call c = {.sig = sig};
	unsigned long flags = spin_lock_irqsave(&lock);

	c.a = actions[sig];
	if (c.a.handler != SIG_DFL && c.a.handler != SIG_IGN && (c.a.flags & SA_RESETHAND))
		actions[sig].handler = SIG_DFL;
	spin_unlock_irqrestore(&lock, flags);
	if (c.a.handler == SIG_IGN)
		return 0;
	if (c.a.handler == SIG_DFL) {
		default_action(sig);
		return 0;
	}
	c.info.si_signo = sig;
	c.info.si_code = SI_USER;
	c.info.si_pid = 1;
	uint64_t saved = t->sig_blocked;
	t->sig_blocked |= (c.a.mask | ((c.a.flags & SA_NODEFER) ? 0 : BIT(sig))) & ~UNBLOCKABLE;
	c.uc.uc_sigmask.__bits[0] = saved;
	if ((c.a.flags & SA_ONSTACK) && t->sig_altstack && !(t->sig_altflags & SS_DISABLE) &&
	    !on_altstack(t))
		arch_call_on_stack((char *)t->sig_altstack + t->sig_altsize, call_handler, &c);
	else
		call_handler(&c);
	t->sig_blocked = saved;
	return (c.a.flags & SA_RESTART) != 0;
}

int signal_deliver(void)
{
	struct thread *t = current_thread();
	int restart = 0, sig;

	if (t->flags & THREAD_F_PROTECTED)
		return 0;
	while ((sig = take_one(t))) {
		restart |= run_handler(t, sig);
		if (t->sig_suspended) {
			/* sigsuspend(): its mask ends with the first handler. */
			t->sig_blocked = t->sig_saved_blocked;
			t->sig_suspended = 0;
		}
	}
	return restart;
}

/* ------------------------------------------------------- system calls */

static long sys_rt_sigaction(long sig, const struct k_sigaction *uact, struct k_sigaction *uold,
			     long size)
{
	struct k_sigaction act, old;

	if (!valid((int)sig) || size != sizeof(uint64_t))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	if (uact && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	unsigned long flags = spin_lock_irqsave(&lock);
	old = actions[sig];
	if (uact) {
		act.mask &= ~UNBLOCKABLE;
		actions[sig] = act;
	}
	spin_unlock_irqrestore(&lock, flags);
	/* Setting SIG_IGN drops what was pending (POSIX). */
	if (uact && act.handler == SIG_IGN) {
		__atomic_and_fetch(&signal_process_pending, ~BIT(sig), __ATOMIC_RELAXED);
		__atomic_and_fetch(&current_thread()->sig_pending, ~BIT(sig), __ATOMIC_RELAXED);
	}
	return uold ? copy_to_user(uold, &old, sizeof(old)) : 0;
}

static long sys_rt_sigprocmask(long how, const uint64_t *uset, uint64_t *uold, long size)
{
	struct thread *t = current_thread();
	uint64_t set, old = t->sig_blocked;

	if (size != sizeof(uint64_t))
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		set &= ~UNBLOCKABLE;
		if (how == SIG_BLOCK)
			t->sig_blocked |= set;
		else if (how == SIG_UNBLOCK)
			t->sig_blocked &= ~set;
		else if (how == SIG_SETMASK)
			t->sig_blocked = set;
		else
			return -EINVAL;
	}
	return uold ? copy_to_user(uold, &old, sizeof(old)) : 0;
}

static long sys_rt_sigpending(uint64_t *uset, long size)
{
	struct thread *t = current_thread();
	uint64_t set = (t->sig_pending | signal_process_pending) & t->sig_blocked;

	if (size != sizeof(uint64_t))
		return -EINVAL;
	return copy_to_user(uset, &set, sizeof(set));
}

/* Sleep until a signal can be delivered. @retval -EINTR */
static long wait_for_signal(struct thread *t)
{
	while (!signal_deliverable(t))
		thread_sleep_ms(3600 * 1000);
	return -EINTR;
}

static long sys_rt_sigsuspend(const uint64_t *umask, long size)
{
	struct thread *t = current_thread();
	uint64_t mask;

	if (size != sizeof(uint64_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	t->sig_saved_blocked = t->sig_blocked;
	t->sig_suspended = 1;
	t->sig_blocked = mask & ~UNBLOCKABLE;
	return wait_for_signal(t);
}

static long sys_pause(void)
{
	return wait_for_signal(current_thread());
}

static long sys_sigaltstack(const stack_t *uss, stack_t *uold)
{
	struct thread *t = current_thread();
	stack_t ss,
	    old = {.ss_sp = t->sig_altstack,
		   .ss_size = t->sig_altsize,
		   .ss_flags = t->sig_altstack ? (on_altstack(t) ? SS_ONSTACK : 0) : SS_DISABLE};

	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		if (on_altstack(t))
			return -EPERM;
		if (ss.ss_flags & ~SS_DISABLE)
			return -EINVAL;
		if (!(ss.ss_flags & SS_DISABLE) && ss.ss_size < MINSIGSTKSZ)
			return -ENOMEM;
		t->sig_altstack = ss.ss_flags & SS_DISABLE ? NULL : ss.ss_sp;
		t->sig_altsize = ss.ss_size;
		t->sig_altflags = ss.ss_flags;
	}
	return uold ? copy_to_user(uold, &old, sizeof(old)) : 0;
}

static long sys_kill(long pid, long sig)
{
	if (pid != 1 && pid != 0 && pid != -1)
		return -ESRCH;
	if (sig == 0)
		return 0;
	return signal_send_process((int)sig);
}

static long sys_tkill(long tid, long sig)
{
	struct thread *t = thread_lookup((int)tid);

	if (!t || t->state == THREAD_EXITED)
		return -ESRCH;
	return sig ? signal_send_thread(t, (int)sig) : 0;
}

static long sys_tgkill(long tgid, long tid, long sig)
{
	return tgid == 1 ? sys_tkill(tid, sig) : -ESRCH;
}

SYSCALL(rt_sigaction, sys_rt_sigaction);
SYSCALL(rt_sigprocmask, sys_rt_sigprocmask);
SYSCALL(rt_sigpending, sys_rt_sigpending);
SYSCALL(rt_sigsuspend, sys_rt_sigsuspend);
SYSCALL(sigaltstack, sys_sigaltstack);
SYSCALL(pause, sys_pause);
SYSCALL(kill, sys_kill);
SYSCALL(tkill, sys_tkill);
SYSCALL(tgkill, sys_tgkill);
