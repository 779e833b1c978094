/*
 * linuxu: the kernel as an ordinary Linux process, for fast tests, sanitizers
 * and debuggers. The whole platform contract in one file: the console is
 * stdin/stdout, memory one anonymous mapping, time the host's clocks, the
 * timer interrupt SIGALRM, CPU exceptions the host's fault signals.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <musl_offsets.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/boot.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <platform.h>

#include <plat/irq.h>

#include "host.h"
#include "linuxu.h"

#define MEMORY_SIZE (256ul << 20)
#define HOST_SA_SIGINFO 0x4
#define HOST_SA_ONSTACK 0x08000000
#define HOST_SA_RESTORER 0x04000000
#define HOST_SA_NODEFER 0x40000000
#define HOST_ARCH_SET_FS 0x1002
#define HOST_POLLIN 0x1
#define HOST_POLLHUP 0x10

struct host_sigaction {
	void (*handler)(int, siginfo_t *, void *);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

extern void linuxu_sigreturn(void);

volatile int linuxu_irq_on;
volatile int linuxu_irq_pending;
void *linuxu_percpu;
static int have_fsgsbase; /* the host lets us write %fs base directly */

static char cmdline[1024];
static void *memory;
static void (*timer_handler)(void);
static uint64_t cycles_hz;
static uint8_t fault_stack[65536] __attribute__((aligned(16)));

/* ------------------------------------------------------------- console */

static void host_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		long n = host_syscall(HOST_WRITE, fd, buf, len);
		if (n <= 0)
			return; /* the descriptor is gone: nothing sensible left to do */
		buf += n;
		len -= n;
	}
}

void plat_console_write(const char *buf, size_t len)
{
	host_write_all(1, buf, len);
}

/* The kernel's messages go where a Linux program's diagnostics go: the
 * application's standard output stays its own. */
void plat_log_write(const char *buf, size_t len)
{
	host_write_all(2, buf, len);
}

long plat_console_read(char *buf, size_t len)
{
	struct {
		int fd;
		short events, revents;
	} pfd = {0, HOST_POLLIN, 0};

	if (host_syscall(HOST_POLL, &pfd, 1, 0) <= 0)
		return 0;
	long n = host_syscall(HOST_READ, 0, buf, len);
	if (n == 0 || (n < 0 && (pfd.revents & HOST_POLLHUP)))
		return -1;
	return n < 0 ? 0 : n;
}

const char *plat_cmdline(void)
{
	return cmdline;
}

void plat_memory_foreach(void (*fn)(void *start, size_t len, void *arg), void *arg)
{
	fn(memory, MEMORY_SIZE, arg);
}

/* --------------------------------------------------------------- time */

static uint64_t host_clock_ns(long clock)
{
	struct timespec ts;

	host_syscall(HOST_CLOCK_GETTIME, clock, &ts, 0);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static uint64_t start_ns;

/* Counted from process start, as the machine platforms count from boot. */
uint64_t plat_time_ns(void)
{
	return host_clock_ns(CLOCK_MONOTONIC) - start_ns;
}

uint64_t plat_realtime_ns(void)
{
	return host_clock_ns(CLOCK_REALTIME);
}

uint64_t plat_cycles(void)
{
	return arch_rdtsc();
}

/* The host does not say its TSC rate: measure it against the host clock,
 * once, when first needed. */
uint64_t plat_cycles_hz(void)
{
	if (!cycles_hz) {
		uint64_t n0 = plat_time_ns(), c0 = arch_rdtsc(), n1;
		while ((n1 = plat_time_ns()) - n0 < 2000000)
			;
		cycles_hz = (arch_rdtsc() - c0) * NSEC_PER_SEC / (n1 - n0);
	}
	return cycles_hz;
}

void plat_timer_set_handler(void (*handler)(void))
{
	timer_handler = handler;
}

/* The deadline last asked for (0: none): plat_idle() arms it again. */
static uint64_t armed_deadline_ns;

static void host_timer_set(uint64_t deadline_ns)
{
	struct {
		struct {
			long sec, usec;
		} interval, value;
	} it = {{0, 0}, {0, 0}};

	if (deadline_ns) {
		uint64_t now = plat_time_ns();
		uint64_t us = deadline_ns > now ? (deadline_ns - now + 999) / 1000 : 1;
		it.value.sec = us / 1000000;
		it.value.usec = us % 1000000;
	}
	host_syscall(HOST_SETITIMER, 0 /* ITIMER_REAL */, &it, 0);
}

void plat_timer_arm(uint64_t deadline_ns)
{
	armed_deadline_ns = deadline_ns;
	host_timer_set(deadline_ns);
}

/* ---------------------------------------------------------- interrupts */

/* Two host signals are interrupts: SIGALRM the timer, SIGIO the host
 * descriptors of devices (linuxu_irq_fd()). One that arrives while
 * interrupts are masked sets its bit in linuxu_irq_pending, replayed when
 * they are enabled again or when the CPU idles. Device handlers exist only
 * with a host-descriptor device (the network backend); without one this
 * code is compiled out. */
#define IRQ_TIMER 1
#define IRQ_DEVICE 2
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
	if ((which & IRQ_TIMER) && timer_handler)
		timer_handler();
	if (HAVE_DEVICE_IRQS && (which & IRQ_DEVICE))
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
static size_t host_frame_size = 4096; /* AT_MINSIGSTKSZ, the red zone, alignment */

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
	return sp - lo >= host_frame_size + IRQ_HANDLER_STACK;
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

	if (!linuxu_irq_on || (t && t->plat_word >= IRQ_FRAMES_MAX) ||
	    (t && !irq_stack_room(t))) {
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
	armed_deadline_ns = 0; /* a one-shot timer: it fired, nothing is armed */
	irq_signal(IRQ_TIMER);
}

static void on_sigio(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	(void)info;
	(void)uc;
	irq_signal(IRQ_DEVICE);
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
		if (armed_deadline_ns)
			host_timer_set(armed_deadline_ns);
		uint64_t none = 0;
		host_syscall(HOST_RT_SIGSUSPEND, &none, 8, 0);
	}
	host_sigmask(SIG_UNBLOCK, IRQ_SIGNALS);
	int which = __atomic_exchange_n(&linuxu_irq_pending, 0, __ATOMIC_RELAXED);
	if (which)
		irq_run(which);
}

/* ------------------------------------------------------------- faults */

#define HOST_SI_KERNEL 0x80

/* A SIGSEGV the host raised itself (no fault address, stale trap number)
 * while the thread's stack pointer is within a signal frame of its end:
 * the host could not push the frame of an interrupt signal there, and
 * that signal is gone. It is the thread's stack overflow, as on a machine
 * an interrupt whose frame meets the guard page is; the frame is made to
 * say so (a write into the guard page). The lost interrupt is marked
 * pending by the caller (a spurious run of a handler does no harm). */
static int signal_frame_lost(struct trap_frame *f, uint64_t *addr)
{
	struct cpu *c = this_cpu();
	struct thread *t = c ? c->current : NULL;
	size_t size;
	uintptr_t lo = t ? stack_low(t, &size) : 0;

	if (!lo || f->rsp < lo || f->rsp >= lo + host_frame_size + IRQ_HANDLER_STACK)
		return 0;
	f->vector = TRAP_PAGE_FAULT;
	f->error = 6; /* a write, page not present */
	*addr = lo - 8;
	return 1;
}

static void on_fault(int sig, siginfo_t *info, void *ucp)
{
	ucontext_t *uc = ucp;
	greg_t *g = uc->uc_mcontext.gregs;
	struct trap_frame f = {
		.r15 = g[REG_R15], .r14 = g[REG_R14], .r13 = g[REG_R13], .r12 = g[REG_R12],
		.r11 = g[REG_R11], .r10 = g[REG_R10], .r9 = g[REG_R9],	 .r8 = g[REG_R8],
		.rbp = g[REG_RBP], .rdi = g[REG_RDI], .rsi = g[REG_RSI], .rdx = g[REG_RDX],
		.rcx = g[REG_RCX], .rbx = g[REG_RBX], .rax = g[REG_RAX], .vector = g[REG_TRAPNO],
		.error = g[REG_ERR], .rip = g[REG_RIP], .rflags = g[REG_EFL], .rsp = g[REG_RSP],
	};

	uint64_t addr = (uint64_t)(uintptr_t)info->si_addr;

	/* The software interrupt flag stands in for the CPU's in the frame. */
	f.rflags = (f.rflags & ~0x200ul) | (linuxu_irq_on ? 0x200ul : 0);
	linuxu_irq_on = 0;
	if (sig == SIGSEGV && info->si_code == HOST_SI_KERNEL && signal_frame_lost(&f, &addr))
		__atomic_fetch_or(&linuxu_irq_pending, IRQ_TIMER | IRQ_DEVICE, __ATOMIC_RELAXED);
	arch_fault(&f, addr);
	/* Recovered (a hook, or a thread sent to its fault exit): resume
	 * where the frame now points, with its interrupt flag. */
	g[REG_RIP] = f.rip;
	g[REG_RSP] = f.rsp;
	g[REG_RBP] = f.rbp;
	g[REG_RDI] = f.rdi;
	g[REG_RSI] = f.rsi;
	g[REG_RAX] = f.rax;
	linuxu_irq_on = (f.rflags >> 9) & 1;
}

/* @mask: the signals the host holds back while the handler runs. */
static void host_sigaction(int sig, void (*handler)(int, siginfo_t *, void *), unsigned long flags,
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

#define HOST_F_SETFL 4
#define HOST_F_SETOWN 8
#define HOST_F_SETSIG 10
#define HOST_O_NONBLOCK 04000
#define HOST_O_ASYNC 020000
#define HOST_SA_RESTART 0x10000000

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
		host_sigaction(SIGIO, on_sigio, HOST_SA_RESTART, IRQ_SIGNALS);
	r = host_syscall(HOST_FCNTL, fd, HOST_F_SETFL, HOST_O_NONBLOCK | HOST_O_ASYNC);
	return r < 0 ? (int)r : 0;
}

static void signals_init(void)
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
	host_sigaction(SIGALRM, on_sigalrm, 0, IRQ_SIGNALS);
	host_sigaction(SIGSEGV, on_fault, HOST_SA_ONSTACK | HOST_SA_NODEFER, IRQ_SIGNALS);
	host_sigaction(SIGBUS, on_fault, HOST_SA_ONSTACK | HOST_SA_NODEFER, IRQ_SIGNALS);
	host_sigaction(SIGILL, on_fault, HOST_SA_ONSTACK | HOST_SA_NODEFER, IRQ_SIGNALS);
	host_sigaction(SIGFPE, on_fault, HOST_SA_ONSTACK | HOST_SA_NODEFER, IRQ_SIGNALS);
}

/* ------------------------------------------------------ start and stop */

/* ------------------------------------------------------------ terminal */

/* With the shell, a terminal on stdin goes to raw mode, as a serial
 * console is: the shell's line editor echoes and edits itself (arrows,
 * history). Ctrl-C still ends the process; the mode is restored on every
 * way out. */
#define HOST_TCGETS 0x5401
#define HOST_TCSETS 0x5402
#define HOST_ICANON 0x2
#define HOST_ECHO 0x8
#define HOST_ICRNL 0x100
#define HOST_VMIN 6
#define HOST_VTIME 5

struct host_termios {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line, cc[19];
};

static struct host_termios saved_tty;
static int tty_raw;

static void tty_restore(void)
{
	if (tty_raw)
		host_syscall(HOST_IOCTL, 0, HOST_TCSETS, &saved_tty);
	tty_raw = 0;
}

static void on_quit_signal(int sig, siginfo_t *info, void *uc)
{
	(void)info;
	(void)uc;
	tty_restore();
	host_syscall(HOST_EXIT_GROUP, 128 + sig, 0, 0);
}

static void tty_init(void)
{
	struct host_termios t;

	if (!IS_ENABLED(CONFIG_SHELL) || host_syscall(HOST_IOCTL, 0, HOST_TCGETS, &saved_tty) < 0)
		return; /* not a terminal: piped input stays as it is */
	t = saved_tty;
	t.lflag &= ~(HOST_ICANON | HOST_ECHO);
	t.iflag &= ~HOST_ICRNL;
	t.cc[HOST_VMIN] = 1;
	t.cc[HOST_VTIME] = 0;
	if (host_syscall(HOST_IOCTL, 0, HOST_TCSETS, &t) == 0)
		tty_raw = 1;
	host_sigaction(SIGINT, on_quit_signal, 0, 0);
	host_sigaction(SIGTERM, on_quit_signal, 0, 0);
	host_sigaction(SIGHUP, on_quit_signal, 0, 0);
}

void plat_poweroff(int status)
{
	tty_restore();
	host_syscall(HOST_EXIT_GROUP, status, 0, 0);
	__builtin_unreachable();
}

void plat_set_thread_pointer(void *tp)
{
	if (have_fsgsbase)
		__asm__ volatile("wrfsbase %0" ::"r"(tp) : "memory");
	else
		host_syscall(HOST_ARCH_PRCTL, HOST_ARCH_SET_FS, tp, 0);
}

/* ------------------------------------------------------------ one CPU */

unsigned plat_cpu_count(void)
{
	return 1;
}

int plat_cpu_start(unsigned cpu, void (*entry)(unsigned cpu), void *stack_top)
{
	(void)cpu;
	(void)entry;
	(void)stack_top;
	return -ENOSYS;
}

void plat_ipi_send(unsigned cpu)
{
	(void)cpu;
}

void plat_ipi_set_handler(void (*handler)(void))
{
	(void)handler;
}

int plat_mem_protect(void *addr, size_t len, int prot)
{
	if ((uintptr_t)addr % 4096 || len % 4096)
		return -EINVAL;
	long r = host_syscall(HOST_MPROTECT, addr, len, prot ? 3 /* RW */ : 0);
	return r < 0 ? (int)r : 0;
}

int plat_irq_attach(unsigned irq, void (*handler)(void *arg), void *arg)
{
	(void)irq;
	(void)handler;
	(void)arg;
	return -EINVAL;
}

int plat_virtio_mmio_foreach(void (*fn)(uintptr_t base, unsigned irq, void *arg), void *arg)
{
	(void)fn;
	(void)arg;
	return 0; /* disks are host files instead (blk.c) */
}

/* The host's environment: envp follows argv on the start stack. */
static char **host_envp;

const char *linuxu_host_env(const char *name)
{
	size_t n = strlen(name);

	for (char **e = host_envp; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

#define HOST_AT_HWCAP2 26
#define HOST_HWCAP2_FSGSBASE 2
#define HOST_AT_MINSIGSTKSZ 51

/* The auxiliary vector follows argv and envp on the start stack: the CPU's
 * features, and the size of a signal frame with this CPU's vector state. */
static void find_hwcaps(long *sp)
{
	long *p = sp + 1 + sp[0] + 1;

	while (*p)
		p++;
	for (p++; p[0]; p += 2)
		if (p[0] == HOST_AT_HWCAP2)
			have_fsgsbase = (p[1] & HOST_HWCAP2_FSGSBASE) != 0;
		else if (p[0] == HOST_AT_MINSIGSTKSZ && p[1] > 0 && p[1] < 65536)
			host_frame_size = p[1] + 128 + 64; /* + the red zone, + alignment */
}

/* The host's argv becomes the kernel command line, quoted so that the
 * kernel splits it back into the same words (kernel/cmdline.c): an
 * argument with blanks, quotes or backslashes goes in single quotes, a
 * quote inside it as '\''. */
static void build_cmdline(int argc, char **argv)
{
	size_t n = 0, room = sizeof(cmdline) - 8;

	for (int i = 1; i < argc && n < room; i++) {
		const char *a = argv[i];
		int quote = !*a || strpbrk(a, " \t\n'\"\\") != NULL;
		if (n)
			cmdline[n++] = ' ';
		if (quote)
			cmdline[n++] = '\'';
		for (; *a && n < room; a++) {
			if (*a == '\'' && quote) {
				memcpy(cmdline + n, "'\\''", 4);
				n += 4;
			} else {
				cmdline[n++] = *a;
			}
		}
		if (quote)
			cmdline[n++] = '\'';
	}
	cmdline[n] = '\0';
}

void linuxu_start(long *sp, uint64_t boot_cycles)
{
	start_ns = host_clock_ns(CLOCK_MONOTONIC);
	build_cmdline((int)sp[0], (char **)(sp + 1));
	host_envp = (char **)(sp + 1 + sp[0] + 1);
	find_hwcaps(sp);
	tty_init();
	signals_init();
	memory = (void *)host_syscall6(HOST_MMAP, 0, MEMORY_SIZE, 3 /* RW */,
				       0x22 | 0x4000 /* PRIVATE|ANON|NORESERVE */, -1, 0);
	if ((long)memory < 0 && (long)memory > -4096) {
		static const char msg[] = "linuxu: cannot map the kernel's memory\n";
		plat_log_write(msg, sizeof(msg) - 1);
		plat_poweroff(EXIT_PANIC);
	}
	kernel_start(boot_cycles);
}
