/* linuxu faults: the host's SIGSEGV, SIGBUS, SIGILL and SIGFPE become the
 * CPU exceptions they stand for, handed to the architecture's fault path
 * (arch_fault) on a stack of their own; a recovered thread resumes where
 * the frame now points. */
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>
#include <arch/trap.h>

#include "host.h"
#include "linuxu.h"

#define HOST_SI_KERNEL 0x80

void linuxu_on_fault(int sig, siginfo_t *info, void *ucp)
{
	ucontext_t *uc = ucp;
	greg_t *g = uc->uc_mcontext.gregs;
	struct trap_frame f = {
	    .r15 = g[REG_R15],
	    .r14 = g[REG_R14],
	    .r13 = g[REG_R13],
	    .r12 = g[REG_R12],
	    .r11 = g[REG_R11],
	    .r10 = g[REG_R10],
	    .r9 = g[REG_R9],
	    .r8 = g[REG_R8],
	    .rbp = g[REG_RBP],
	    .rdi = g[REG_RDI],
	    .rsi = g[REG_RSI],
	    .rdx = g[REG_RDX],
	    .rcx = g[REG_RCX],
	    .rbx = g[REG_RBX],
	    .rax = g[REG_RAX],
	    .vector = g[REG_TRAPNO],
	    .error = g[REG_ERR],
	    .rip = g[REG_RIP],
	    .rflags = g[REG_EFL],
	    .rsp = g[REG_RSP],
	};

	uint64_t addr = (uint64_t)(uintptr_t)info->si_addr;

	/* The software interrupt flag stands in for the CPU's in the frame. */
	f.rflags = (f.rflags & ~0x200ul) | (linuxu_irq_on ? 0x200ul : 0);
	linuxu_irq_on = 0;
	if (sig == SIGSEGV && info->si_code == HOST_SI_KERNEL &&
	    linuxu_signal_frame_lost(&f, &addr))
		__atomic_fetch_or(&linuxu_irq_pending, LINUXU_IRQ_TIMER | LINUXU_IRQ_DEVICE,
				  __ATOMIC_RELAXED);
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
