/* The C side of every exception (vectors.S): interrupts go to the
 * platform's controller, with preemption at their exit; synchronous
 * exceptions are faults. A fault in an application-memory accessor resumes
 * at its fixup; one in a thread is recorded and the thread recovered or
 * ended (kernel/fault.c); anything else dumps the registers and panics with
 * a backtrace from the faulting frame. */
#include <stdint.h>
#include <arch/trap.h>
#include <kernel/compiler.h>
#include <kernel/fault.h>
#include <kernel/ksyms.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>

#define SPSR_I (1ul << 7)

extern const char arch_vectors[], arch_trap_entry_end[];

/* A fault while an exception entry saves its frame: an interrupt found the
 * thread's stack used up and pushed into its guard page. */
static int in_trap_entry(uintptr_t pc)
{
	return pc >= (uintptr_t)arch_vectors && pc < (uintptr_t)arch_trap_entry_end;
}

void arch_trap_init(void)
{
	__asm__ volatile("msr vbar_el1, %0; isb" ::"r"(arch_vectors) : "memory");
}

static unsigned ec_of(const struct trap_frame *f)
{
	return (f->esr >> 26) & 0x3f;
}

static int is_abort(unsigned ec)
{
	return ec == 0x20 || ec == EC_IABT_CUR || ec == 0x24 || ec == EC_DABT_CUR;
}

static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case EC_UNKNOWN:
		return "undefined instruction";
	case 0x07:
		return "floating point access trap";
	case 0x15:
		return "svc";
	case 0x20:
	case EC_IABT_CUR:
		return "instruction abort";
	case EC_PC_ALIGN:
		return "pc alignment fault";
	case 0x24:
	case EC_DABT_CUR:
		return "data abort";
	case EC_SP_ALIGN:
		return "sp alignment fault";
	case 0x2c:
		return "floating point exception";
	case 0x2f:
		return "SError";
	case EC_BRK:
		return "breakpoint (brk)";
	default:
		return "exception";
	}
}

/* The fault status code of an abort (ISS bits 5:0), in words. */
static const char *fsc_name(unsigned fsc)
{
	switch (fsc >> 2) {
	case 1:
		return "page not present (translation fault)";
	case 2:
		return "access flag fault";
	case 3:
		return "permission fault";
	default:
		return fsc == 0x21 ? "alignment fault" : "other abort";
	}
}

static const char *trap_kind_name(const struct trap_frame *f)
{
	static const char *const names[4] = {"sync", "IRQ", "FIQ", "SError"};

	return names[f->kind & 3];
}

void arch_dump_frame(const struct trap_frame *f)
{
	uintptr_t off;
	const char *sym = ksyms_lookup(f->elr, &off);
	unsigned ec = ec_of(f);

	kprintf("\nFAULT: %s (%s exception, ESR 0x%lx: EC 0x%x, ISS 0x%lx) at pc 0x%lx %s+0x%lx\n",
		ec_name(ec), trap_kind_name(f), (unsigned long)f->esr, ec,
		(unsigned long)(f->esr & 0x1ffffff), (unsigned long)f->elr, sym ? sym : "?",
		sym ? off : 0);
	if (is_abort(ec))
		kprintf("  fault address (FAR) 0x%016lx: %s, %s\n", (unsigned long)f->far,
			ec == EC_IABT_CUR || ec == 0x20 ? "instruction fetch"
			: (f->esr & (1u << 6))		? "write"
							: "read",
			fsc_name(f->esr & 0x3f));
	for (int i = 0; i < 30; i += 4) {
		for (int j = i; j < i + 4 && j < 31; j++)
			kprintf("%s x%-2d %016lx", j == i ? " " : "", j, (unsigned long)f->x[j]);
		kprintf("\n");
	}
	kprintf("  sp %016lx spsr %016lx\n", (unsigned long)f->sp, (unsigned long)f->spsr);
	thread_fault_report(is_abort(ec) ? f->far : 0);
}

static enum arch_fault_class fault_class(const struct trap_frame *f)
{
	unsigned ec = ec_of(f);

	if (is_abort(ec))
		return ARCH_FAULT_PAGE;
	if (ec == EC_UNKNOWN || ec == EC_BRK)
		return ARCH_FAULT_INVALID_OPCODE;
	if (ec == EC_PC_ALIGN || ec == EC_SP_ALIGN)
		return ARCH_FAULT_PROTECTION;
	return ARCH_FAULT_OTHER;
}

static const char *fault_kind(const struct trap_frame *f)
{
	unsigned ec = ec_of(f);

	if (is_abort(ec) && fault_in_stack_guard(f->far))
		return "stack overflow";
	if (is_abort(ec) && ((f->esr & 0x3f) >> 2) == 3)
		return ec == EC_IABT_CUR      ? "execute of no-exec page"
		       : (f->esr & (1u << 6)) ? "write to read-only page"
					      : "read of no-access page";
	return ec == EC_DABT_CUR ? "page fault" : ec_name(ec);
}

/* A fault in a thread that can be recovered continues in the kernel's
 * fault exit on a clean stack, with interrupts on. */
static int recover_thread(struct trap_frame *f)
{
	struct fault_info info = {
	    .kind = fault_kind(f),
	    .class = fault_class(f),
	    .addr = is_abort(ec_of(f)) ? f->far : 0,
	    .pc = f->elr,
	    .sp = f->sp,
	    .fp = f->x[29],
	    /* An interrupt entry that overflowed was taken with them on; the
	     * interrupt itself, not yet acknowledged, stays pending. */
	    .irqs_were_on = !(f->spsr & SPSR_I) || in_trap_entry(f->elr),
	};
	uintptr_t pc, sp;

	if (!(f->kind & TRAP_FROM_SP0) || !fault_thread(&info, &pc, &sp))
		return 0;
	f->elr = pc;
	f->sp = sp;
	f->x[29] = 0;
	f->x[30] = 0;
	f->spsr &= ~SPSR_I;
	return 1;
}

void arch_fault(struct trap_frame *f)
{
	unsigned long fixup = uaccess_fixup(f->elr);

	if (fixup && is_abort(ec_of(f))) {
		f->elr = fixup;
		return;
	}
	int loud = fault_should_print();
	if (loud)
		arch_dump_frame(f);
	if (recover_thread(f))
		return;
	if (!loud)
		arch_dump_frame(f);
	/* Faulting in a function's first two instructions, the return
	 * address is still only in the link register. */
	uintptr_t off = 0;
	uintptr_t lr = ksyms_lookup(f->elr, &off) && off < 8 ? f->x[30] : 0;
	panic_at(f->elr, lr, (void *)f->x[29], "fatal %s",
		 fault_in_stack_guard(f->sp) ? "stack overflow" : fault_kind(f));
}

void trap_handler(struct trap_frame *f)
{
	switch (f->kind & 3) {
	case TRAP_IRQ:
		if (!(f->kind & TRAP_FROM_SP0) && (f->spsr & 0xf) == 4) {
			sched_irq_enter();
			plat_irq_dispatch();
			sched_irq_leave();
			/* Preempt here, on the interrupted thread's stack: its
			 * registers are in *f until it is switched back. */
			sched_irq_exit();
			return;
		}
		break;
	case TRAP_SYNC:
		if ((f->spsr & 0xf) == 4) /* from EL1t: a thread's or the kernel's code */
			return arch_fault(f);
		break;
	}
	arch_dump_frame(f);
	panic_at(f->elr, 0, (void *)f->x[29], "unexpected %s exception on the exception stack",
		 trap_kind_name(f));
}
