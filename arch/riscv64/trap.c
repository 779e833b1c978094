/* The C side of every trap (trap_entry.S): interrupts go to the platform,
 * with preemption at their exit; exceptions are faults. A fault in an
 * application-memory accessor resumes at its fixup; one in a thread is
 * recorded and the thread recovered or ended (kernel/fault.c); anything
 * else dumps the registers and panics with a backtrace from the faulting
 * frame. */
#include <stdint.h>
#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <kernel/compiler.h>
#include <kernel/fault.h>
#include <kernel/ksyms.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>

#define EXC_STACK_SIZE 16384
#define MAX_HARTS 8

extern const char arch_trap_vector[], arch_trap_entry_end[];
extern const char __image_start[], __text_end[];

static struct riscv_hart harts[MAX_HARTS];
static uint8_t exc_stacks[MAX_HARTS][EXC_STACK_SIZE] __attribute__((aligned(16)));

/* A fault while a trap entry saves its frame: an interrupt found the
 * thread's stack used up and pushed into its guard page. */
static int in_trap_entry(uintptr_t pc)
{
	return pc >= (uintptr_t)arch_trap_vector && pc < (uintptr_t)arch_trap_entry_end;
}

void arch_trap_init(unsigned cpu)
{
	BUG_ON(cpu >= MAX_HARTS);
	struct riscv_hart *h = &harts[cpu];

	h->stack_bottom = (uintptr_t)exc_stacks[cpu];
	h->stack_top = (uintptr_t)exc_stacks[cpu] + EXC_STACK_SIZE;
	__asm__ volatile("mv %0, gp" : "=r"(h->percpu));
	csr_write(sscratch, h);
	csr_write(stvec, arch_trap_vector);
}

static unsigned long cause_of(const struct trap_frame *f)
{
	return f->scause & ~SCAUSE_INTERRUPT;
}

static int is_page_fault(unsigned long c)
{
	return c == EXC_INSN_PAGE_FAULT || c == EXC_LOAD_PAGE_FAULT || c == EXC_STORE_PAGE_FAULT;
}

static int is_access_fault(unsigned long c)
{
	return c == EXC_INSN_ACCESS || c == EXC_LOAD_ACCESS || c == EXC_STORE_ACCESS;
}

/* Faults whose stval is the data or instruction address. */
static int has_address(unsigned long c)
{
	return is_page_fault(c) || is_access_fault(c) || c == EXC_LOAD_MISALIGNED ||
	       c == EXC_STORE_MISALIGNED || c == EXC_INSN_MISALIGNED;
}

static const char *cause_name(unsigned long c)
{
	static const char *const names[] = {
	    "instruction address misaligned",
	    "instruction access fault",
	    "illegal instruction",
	    "breakpoint (ebreak)",
	    "load address misaligned",
	    "load access fault",
	    "store address misaligned",
	    "store access fault",
	    "environment call from U-mode",
	    "environment call from S-mode",
	    "exception 10",
	    "environment call from M-mode",
	    "instruction page fault",
	    "load page fault",
	    "exception 14",
	    "store page fault",
	};

	return c < sizeof(names) / sizeof(names[0]) ? names[c] : "exception";
}

void arch_dump_frame(const struct trap_frame *f)
{
	static const char *const abi[32] = {
	    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
	    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
	    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};
	uintptr_t off;
	const char *sym = ksyms_lookup(f->sepc, &off);
	unsigned long c = cause_of(f);

	kprintf("\nFAULT: %s (scause 0x%lx, stval 0x%lx) at pc 0x%lx %s+0x%lx\n", cause_name(c),
		(unsigned long)f->scause, (unsigned long)f->stval, (unsigned long)f->sepc,
		sym ? sym : "?", sym ? off : 0);
	if (has_address(c))
		kprintf("  fault address (stval) 0x%016lx: %s\n", (unsigned long)f->stval,
			c == EXC_INSN_PAGE_FAULT || c == EXC_INSN_ACCESS ? "instruction fetch"
			: c == EXC_STORE_PAGE_FAULT || c == EXC_STORE_ACCESS ||
				c == EXC_STORE_MISALIGNED
			    ? "write"
			    : "read");
	for (int i = 1; i < 32; i += 4) {
		for (int j = i; j < i + 4 && j < 32; j++)
			kprintf("%s %3s %016lx", j == i ? " " : "", abi[j], (unsigned long)f->x[j]);
		kprintf("\n");
	}
	kprintf("  sstatus %016lx\n", (unsigned long)f->sstatus);
	thread_fault_report(has_address(c) ? f->stval : 0);
}

static enum arch_fault_class fault_class(const struct trap_frame *f)
{
	unsigned long c = cause_of(f);

	if (is_page_fault(c) || is_access_fault(c))
		return ARCH_FAULT_PAGE;
	if (c == EXC_ILLEGAL_INSN || c == EXC_BREAKPOINT)
		return ARCH_FAULT_INVALID_OPCODE;
	if (c == EXC_LOAD_MISALIGNED || c == EXC_STORE_MISALIGNED || c == EXC_INSN_MISALIGNED)
		return ARCH_FAULT_PROTECTION;
	return ARCH_FAULT_OTHER;
}

/* Sv39 page faults do not say whether the page was absent or refused the
 * access: the map does. A mapped page that refused is a write to code or
 * constants, or a jump into data (W^X). */
static const char *fault_kind(const struct trap_frame *f)
{
	unsigned long c = cause_of(f);
	uintptr_t a = f->stval;

	if (has_address(c) && fault_in_stack_guard(a))
		return "stack overflow";
	if (is_page_fault(c) && arch_mmu_mapped(a))
		return c == EXC_INSN_PAGE_FAULT	   ? "execute of no-exec page"
		       : c == EXC_STORE_PAGE_FAULT ? "write to read-only page"
						   : "read of no-access page";
	if (is_page_fault(c))
		return "page fault";
	return cause_name(c);
}

/* The word at fp - 8 is a leaf function's saved s0 (it saves no ra) or a
 * caller's return address (in the code): for a leaf, the caller's pc is
 * still only in ra. */
static int in_leaf(const struct trap_frame *f)
{
	uintptr_t fp = f->x[8], sp = f->x[2];

	if (fp < sp + 8 || fp - sp > 4096 || (fp & 7))
		return 0;
	uintptr_t w = ((const uintptr_t *)fp)[-1];
	return !(w >= (uintptr_t)__image_start && w < (uintptr_t)__text_end);
}

/* A fault in a thread that can be recovered continues in the kernel's
 * fault exit on a clean stack, with interrupts on. */
static int recover_thread(struct trap_frame *f, uintptr_t ret, uintptr_t fp)
{
	struct fault_info info = {
	    .kind = fault_kind(f),
	    .class = fault_class(f),
	    .addr = has_address(cause_of(f)) ? f->stval : 0,
	    .pc = f->sepc,
	    .sp = f->x[2],
	    .fp = fp,
	    .ret = ret,
	    /* An interrupt entry that overflowed was taken with them on; the
	     * interrupt itself, not yet completed, stays pending. */
	    .irqs_were_on = (f->sstatus & SSTATUS_SPIE) || in_trap_entry(f->sepc),
	};
	uintptr_t pc, sp;

	if (!fault_thread(&info, &pc, &sp))
		return 0;
	f->sepc = pc;
	f->x[2] = sp;
	f->x[8] = 0;
	f->x[1] = 0;
	f->sstatus |= SSTATUS_SPIE | SSTATUS_SPP;
	return 1;
}

void arch_fault(struct trap_frame *f)
{
	unsigned long fixup = uaccess_fixup(f->sepc);

	if (fixup && (is_page_fault(cause_of(f)) || is_access_fault(cause_of(f)))) {
		f->sepc = fixup;
		return;
	}
	/* A leaf's caller is in ra, and its frame pointer one word lower. */
	int leaf = in_leaf(f) && !in_trap_entry(f->sepc);
	uintptr_t ret = leaf ? f->x[1] : 0;
	uintptr_t fp = leaf ? ((const uintptr_t *)f->x[8])[-1] : f->x[8];
	int loud = fault_should_print();
	if (loud)
		arch_dump_frame(f);
	if (recover_thread(f, ret, fp))
		return;
	if (!loud)
		arch_dump_frame(f);
	panic_at(f->sepc, ret, (void *)fp, "fatal %s",
		 fault_in_stack_guard(f->x[2]) ? "stack overflow" : fault_kind(f));
}

void trap_handler(struct trap_frame *f)
{
	if (f->scause & SCAUSE_INTERRUPT) {
		sched_irq_enter();
		plat_irq_dispatch(cause_of(f));
		sched_irq_leave();
		/* Preempt here, on the interrupted thread's stack: its
		 * registers are in *f until it is switched back. */
		sched_irq_exit();
		return;
	}
	arch_fault(f);
}
