/* What happens to a CPU exception, on every x86_64 platform: a registered
 * fault hook may recover; otherwise the registers are dumped and the kernel
 * panics with a backtrace from the faulting frame. */
#include <stdint.h>
#include <arch/trap.h>
#include <kernel/compiler.h>
#include <kernel/ksyms.h>
#include <kernel/log.h>
#include <kernel/fault.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <kernel/zone_gate.h>

static fault_hook_t fault_hook;

static const char *const trap_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 FP error",
    "alignment check",
    "machine check",
    "SIMD FP error",
    "virtualization",
    "control protection",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "hypervisor injection",
    "VMM communication",
    "security",
    "reserved",
};

const char *arch_trap_name(unsigned vector)
{
	return vector < 32 ? trap_names[vector] : "interrupt";
}

void arch_set_fault_hook(fault_hook_t hook)
{
	fault_hook = hook;
}

void arch_dump_frame(const struct trap_frame *f, uint64_t fault_addr)
{
	uintptr_t off;
	const char *sym = ksyms_lookup(f->rip, &off);

	kprintf("\nFAULT: %s (vector %lu, error 0x%lx) at rip 0x%lx %s+0x%lx\n",
		arch_trap_name(f->vector), f->vector, f->error, f->rip, sym ? sym : "?",
		sym ? off : 0);
	if (f->vector == TRAP_PAGE_FAULT)
		kprintf("  fault address 0x%016lx: %s access, %s\n", fault_addr,
			f->error & 2 ? "write" : (f->error & 16 ? "instruction" : "read"),
			f->error & 32  ? "protection key (zone)"
			: f->error & 1 ? "protection violation"
				       : "page not present");
	kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	kprintf("  rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", f->rsi, f->rdi, f->rbp, f->rsp);
	kprintf("  r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", f->r8, f->r9, f->r10, f->r11);
	kprintf("  r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", f->r12, f->r13, f->r14, f->r15);
	kprintf("  rflags %016lx\n", f->rflags);
	thread_fault_report(fault_addr);
}

/* The compiler gives leaf functions no frame: when the faulting function did
 * not start with "push %rbp; mov %rsp,%rbp", %rbp still belongs to its
 * caller, and the return address into the caller is the word at %rsp.
 * Accept it only if it points just after a call instruction. */
static uintptr_t leaf_return_address(const struct trap_frame *f)
{
	uintptr_t off, ret;

	if (!ksyms_lookup(f->rip, &off) || fault_in_stack_guard(f->rsp))
		return 0; /* an overflowed stack pointer: nothing to read there */
	const uint8_t *start = (const uint8_t *)(f->rip - off);
	if (off >= 4 && start[0] == 0x55 && start[1] == 0x48 && start[2] == 0x89 &&
	    start[3] == 0xe5)
		return 0;
	if (f->rsp & 7)
		return 0;
	ret = *(const uintptr_t *)f->rsp;
	if (!ksyms_lookup(ret - 1, &off) || off < 4 || ((const uint8_t *)ret)[-5] != 0xe8)
		return 0;
	return ret;
}

static enum arch_fault_class fault_class(uint64_t vector)
{
	switch (vector) {
	case TRAP_PAGE_FAULT:
		return ARCH_FAULT_PAGE;
	case TRAP_DOUBLE_FAULT:
		return ARCH_FAULT_STACK; /* on the IST stack: an overflow, mostly */
	case TRAP_INVALID_OPCODE:
		return ARCH_FAULT_INVALID_OPCODE;
	case TRAP_DIVIDE:
		return ARCH_FAULT_DIVIDE;
	case TRAP_GP:
		return ARCH_FAULT_PROTECTION;
	default:
		return ARCH_FAULT_OTHER;
	}
}

/* A page fault on a present page broke the page's rights (W^X). */
static const char *fault_kind(const struct trap_frame *f)
{
	if (f->vector == TRAP_PAGE_FAULT && (f->error & 1)) {
		if (f->error & 32)
			return "zone violation";
		if (f->error & 16)
			return "execute of no-exec page";
		if (f->error & 2)
			return "write to read-only page";
	}
	return arch_trap_name(f->vector);
}

/* A fault in a thread that can be recovered continues in the kernel's
 * fault exit on a clean stack, with interrupts on (IF in the frame). */
static int recover_thread(struct trap_frame *f, uint64_t fault_addr)
{
	struct fault_info info = {
	    .kind = fault_kind(f),
	    .class = fault_class(f->vector),
	    .addr = f->vector == TRAP_PAGE_FAULT || f->vector == TRAP_DOUBLE_FAULT ? fault_addr : 0,
	    .pc = f->rip,
	    .sp = f->rsp,
	    .fp = f->rbp,
	    .irqs_were_on = (f->rflags >> 9) & 1,
	};
	uintptr_t pc, sp;
	char why[80];

	if (IS_ENABLED(CONFIG_ZONE) && f->vector == TRAP_PAGE_FAULT && (f->error & 32) &&
	    this_cpu() && this_cpu()->current) {
		zone_describe_violation(this_cpu()->current, fault_addr, f->error & 2, why,
					sizeof(why));
		info.message = why;
	}
	if (!fault_thread(&info, &pc, &sp))
		return 0;
	f->pkru = 0; /* the exit path is the kernel's */
	f->rip = pc;
	f->rsp = sp;
	f->rbp = 0;
	f->rflags |= 1ul << 9;
	return 1;
}

void arch_fault(struct trap_frame *f, uint64_t fault_addr)
{
	/* An accessor of application memory (uaccess.S): the system call
	 * returns -EFAULT instead. */
	unsigned long fixup = uaccess_fixup(f->rip);
	if (fixup && f->vector != TRAP_DOUBLE_FAULT) {
		f->rip = fixup;
		return;
	}
	if (fault_hook && f->vector != TRAP_DOUBLE_FAULT && fault_hook(f))
		return;
	int loud = fault_should_print();
	if (loud)
		arch_dump_frame(f, fault_addr);
	if (recover_thread(f, fault_addr))
		return;
	if (!loud)
		arch_dump_frame(f, fault_addr);
	panic_at(f->rip, leaf_return_address(f), (void *)f->rbp, "fatal %s",
		 fault_in_stack_guard(fault_addr) || fault_in_stack_guard(f->rsp)
		     ? "stack overflow"
		     : arch_trap_name(f->vector));
}
