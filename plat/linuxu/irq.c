/* linuxu interrupts: host signals stand for them (SIGALRM the timer,
 * SIGIO the devices' host descriptors), masked and replayed by a software
 * flag; the handlers run on the interrupted thread's stack when it has room.
 * Also the host signal set-up, faults included (fault.c handles them). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <musl_offsets.h>
#include <arch/trap.h>
#include <kernel/compiler.h>
#include <kernel/sched.h>
#include <platform.h>

#include <plat/irq.h>

#include "host.h"
#include "linuxu.h"

volatile int linuxu_irq_on;
volatile int linuxu_irq_pending;

struct host_sigaction {
	void (*handler)(int, siginfo_t *, void *);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

extern void linuxu_sigreturn(void);

static uint8_t fault_stack[65536] __attribute__((aligned(16)));

/* Two host signals are interrupts: SIGALRM the timer, SIGIO the host
 * descriptors of devices (linuxu_irq_fd()). One that arrives while
 * interrupts are masked sets its bit in linuxu_irq_pending, replayed when
 * they are enabled again or when the CPU idles. Device handlers exist only
 * with a host-descriptor device (the network backend); without one this
 * code is compiled out. */
#define HAVE_DEVICE_IRQS (IS_ENABLED(CONFIG_VIRTIO_NET) || IS_ENABLED(CONFIG_UNILIB_FS))
#define DEVICE_IRQS_MAX 4

static struct {
	void (*fn)(void *arg);
	void *arg;
} device_irqs[DEVICE_IRQS_MAX];
static unsigned device_irq_count;

/* Run the handlers of the interrupts in @which, as the hardware would:
 * interrupts off, in interrupt context. SIGIO says only that some device
 * descriptor is ready, so every device handler runs (a shared line). */
static void irq_run(int which)
{
	linuxu_irq_on = 0;
	sched_irq_enter();
	if ((which & LINUXU_IRQ_TIMER) && linuxu_timer_handler)
		linuxu_timer_handler();
	if (HAVE_DEVICE_IRQS && (which & LINUXU_IRQ_DEVICE))
		for (unsigned i = 0; i < device_irq_count; i++)
			device_irqs[i].fn(device_irqs[i].arg);
	sched_irq_leave();
}

/* The end of an interrupt: the scheduler may switch threads right here,
 * inside the signal handler, on the interrupted thread's stack. The host
 * keeps the interrupt signals blocked while a handler runs; the handler
 * unblocks them before this (the thread switched to must take ticks),
 * when a new one can only be noted: interrupts are still off. */
static void irq_exit(void)
{
	sched_irq_exit();
	linuxu_irq_on = 1;
}

/* Interrupts are on again with some pending: run them. The exchange takes
 * every bit at once; a signal after it sets a bit again and this loops. */
void linuxu_irq_replay(void)
{
	int which;

	while ((which = __atomic_exchange_n(&linuxu_irq_pending, 0, __ATOMIC_RELAXED))) {
		irq_run(which);
		irq_exit();
	}
}

static void host_sigmask(int how, uint64_t mask)
{
	host_syscall6(HOST_RT_SIGPROCMASK, how, (long)&mask, 0, 8, 0, 0);
}

#define IRQ_SIGNALS (1ull << (SIGALRM - 1) | (HAVE_DEVICE_IRQS ? 1ull << (SIGIO - 1) : 0))

/* An interrupt handler runs on the interrupted thread's stack, below the
 * frame the host pushed there (with the CPU's whole vector state: some
 * kilobytes). The host delivers a signal whose frame does not fit as a
 * SIGSEGV, and the signal is lost; a handler that runs into the guard page
 * faults in interrupt context. So a handler runs only when the stack has
 * room for itself and for one more host frame (a signal arriving once
 * they are unblocked, which is only noted); otherwise the interrupt waits,
 * noted, and the timer retries it soon: the thread either returns to
 * shallower depths or overflows, which is its own fault. */
#define IRQ_HANDLER_STACK 2048
#define IRQ_RETRY_US 100
size_t linuxu_host_frame_size = 4096; /* AT_MINSIGSTKSZ, the red zone, alignment */

/* The lowest usable address of @t's stack and its size, or 0 (the boot
 * context's host stack): the guarded one thread_spawn() gave it, or the
 * one the C library's pthread_create() allocated and recorded in its
 * thread block. */
static uintptr_t stack_low(const struct thread *t, size_t *size)
{
	if (t->stack) {
		*size = t->stack_size;
		return (uintptr_t)t->stack;
	}
	if (t->tls) {
		uintptr_t top = *(uintptr_t *)((char *)t->tls + MUSL_PTHREAD_STACK);
		*size = *(size_t *)((char *)t->tls + MUSL_PTHREAD_STACK_SIZE);
		if (top && *size && *size < top)
			return top - *size;
	}
	return 0;
}

static int irq_stack_room(const struct thread *t)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	size_t size;
	uintptr_t lo = stack_low(t, &size);

	if (!lo || sp < lo || sp >= lo + size)
		return 1; /* not a stack the kernel knows: the host's own */
	return sp - lo >= linuxu_host_frame_size + IRQ_HANDLER_STACK;
}

static void irq_retry_soon(void)
{
	struct {
		long isec, iusec, sec, usec;
	} it = {0, 0, 0, IRQ_RETRY_US};

	host_syscall(HOST_SETITIMER, 0 /* ITIMER_REAL */, &it, 0);
}

/* A signal handler's body: run now, or note it for later. An interrupt
 * that arrived while this one ran (masked) is replayed before returning,
 * not left until something enables interrupts again. Frames can still
 * nest in the few instructions between "interrupts on" and the return: a
 * thread holds at most IRQ_FRAMES_MAX; past that a signal is only noted,
 * and runs at the next enable, tick or idle. */
#define IRQ_FRAMES_MAX 2

static void irq_signal(int which)
{
	struct cpu *c = this_cpu();
	struct thread *t = c ? c->current : NULL;

	if (!linuxu_irq_on || (t && t->plat_word >= IRQ_FRAMES_MAX) || (t && !irq_stack_room(t))) {
		__atomic_fetch_or(&linuxu_irq_pending, which, __ATOMIC_RELAXED);
		if (linuxu_irq_on)
			irq_retry_soon(); /* no room: nothing else would run it */
		return;
	}
	if (t)
		t->plat_word++;
	irq_run(which);
	host_sigmask(SIG_UNBLOCK, IRQ_SIGNALS);
	irq_exit(); /* may switch threads: t is the one whose stack this is */
	if (linuxu_irq_pending)
		linuxu_irq_replay();
	if (t)
		t->plat_word--;
}

static void on_sigalrm(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	(void)info;
	(void)uc;
	linuxu_armed_deadline_ns = 0; /* a one-shot timer: it fired, nothing is armed */
	irq_signal(LINUXU_IRQ_TIMER);
}

static void on_sigio(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	(void)info;
	(void)uc;
	irq_signal(LINUXU_IRQ_DEVICE);
}

void plat_idle(void)
{
	/* Block the interrupt signals while looking at the pending flag, then
	 * wait with them unblocked in one step: none can fall in between. */
	host_sigmask(SIG_BLOCK, IRQ_SIGNALS);
	if (!linuxu_irq_pending) {
		/* Idle only with the host timer surely armed: a timer signal
		 * the host lost would otherwise leave every sleeper asleep for
		 * ever (one host call per idle period). */
		if (linuxu_armed_deadline_ns)
			linuxu_host_timer_set(linuxu_armed_deadline_ns);
		uint64_t none = 0;
		host_syscall(HOST_RT_SIGSUSPEND, &none, 8, 0);
	}
	host_sigmask(SIG_UNBLOCK, IRQ_SIGNALS);
	int which = __atomic_exchange_n(&linuxu_irq_pending, 0, __ATOMIC_RELAXED);
	if (which)
		irq_run(which);
}

/* A SIGSEGV the host raised itself (no fault address, stale trap number)
 * while the thread's stack pointer is within a signal frame of its end:
 * the host could not push the frame of an interrupt signal there, and
 * that signal is gone. It is the thread's stack overflow, as on a machine
 * an interrupt whose frame meets the guard page is; the frame is made to
 * say so (a write into the guard page). The lost interrupt is marked
 * pending by the caller (a spurious run of a handler does no harm). */
int linuxu_signal_frame_lost(struct trap_frame *f, uint64_t *addr)
{
	struct cpu *c = this_cpu();
	struct thread *t = c ? c->current : NULL;
	size_t size;
	uintptr_t lo = t ? stack_low(t, &size) : 0;

	if (!lo || f->rsp < lo || f->rsp >= lo + linuxu_host_frame_size + IRQ_HANDLER_STACK)
		return 0;
	f->vector = TRAP_PAGE_FAULT;
	f->error = 6; /* a write, page not present */
	*addr = lo - 8;
	return 1;
}

/* @mask: the signals the host holds back while the handler runs. */
void linuxu_sigaction(int sig, void (*handler)(int, siginfo_t *, void *), unsigned long flags,
		      uint64_t mask)
{
	struct host_sigaction sa = {
	    .handler = handler,
	    .flags = flags | HOST_SA_SIGINFO | HOST_SA_RESTORER,
	    .restorer = linuxu_sigreturn,
	    .mask = mask,
	};

	host_syscall6(HOST_RT_SIGACTION, sig, (long)&sa, 0, 8, 0, 0);
}

/* The device signal goes to this process (the kernel's only host
 * thread); the handler is in the table before the first signal can come. */
int linuxu_irq_fd(long fd, void (*handler)(void *arg), void *arg)
{
	long pid, r;

	if (!HAVE_DEVICE_IRQS)
		return -ENOSYS; /* irq_run() would never call the handler */
	if (device_irq_count == DEVICE_IRQS_MAX)
		return -ENOSPC;
	pid = host_syscall(HOST_GETPID, 0, 0, 0);
	if ((r = host_syscall(HOST_FCNTL, fd, HOST_F_SETOWN, pid)) < 0 ||
	    (r = host_syscall(HOST_FCNTL, fd, HOST_F_SETSIG, SIGIO)) < 0)
		return (int)r;
	unsigned long flags = irq_save();
	device_irqs[device_irq_count].fn = handler;
	device_irqs[device_irq_count].arg = arg;
	device_irq_count++;
	irq_restore(flags);
	/* Restarting keeps the host calls of other drivers (console writes)
	 * from failing with EINTR now that signals come at any time. */
	if (device_irq_count == 1)
		linuxu_sigaction(SIGIO, on_sigio, HOST_SA_RESTART, IRQ_SIGNALS);
	r = host_syscall(HOST_FCNTL, fd, HOST_F_SETFL, HOST_O_NONBLOCK | HOST_O_ASYNC);
	return r < 0 ? (int)r : 0;
}

void linuxu_signals_init(void)
{
	struct {
		void *sp;
		int flags;
		size_t size;
	} ss = {fault_stack, 0, sizeof(fault_stack)};

	/* Faults run on a stack of their own, so a stack overflow can report. */
	host_syscall(HOST_SIGALTSTACK, &ss, 0, 0);
	/* Interrupts stay off the fault stack: the host holds them until
	 * the faulting context (or the one the fault handler resumes) runs
	 * again, and delivers them there. */
	linuxu_sigaction(SIGALRM, on_sigalrm, 0, IRQ_SIGNALS);
	linuxu_sigaction(SIGSEGV, linuxu_on_fault, HOST_SA_ONSTACK | HOST_SA_NODEFER, IRQ_SIGNALS);
	linuxu_sigaction(SIGBUS, linuxu_on_fault, HOST_SA_ONSTACK | HOST_SA_NODEFER, IRQ_SIGNALS);
	linuxu_sigaction(SIGILL, linuxu_on_fault, HOST_SA_ONSTACK | HOST_SA_NODEFER, IRQ_SIGNALS);
	linuxu_sigaction(SIGFPE, linuxu_on_fault, HOST_SA_ONSTACK | HOST_SA_NODEFER, IRQ_SIGNALS);
}
