/* x86_64 traps: the frame every exception and interrupt entry saves. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdint.h>

struct trap_frame {
	uint64_t pkru; /* the interrupted code's (zones), restored on the way out */
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

#define TRAP_DIVIDE 0
#define TRAP_DEBUG 1
#define TRAP_NMI 2
#define TRAP_BREAKPOINT 3
#define TRAP_INVALID_OPCODE 6
#define TRAP_DOUBLE_FAULT 8
#define TRAP_GP 13
#define TRAP_PAGE_FAULT 14
#define IRQ_VECTOR_BASE 32
/* Device lines (IOAPIC inputs): vector IRQ_VECTOR_DEVICE + GSI, for GSIs
 * below IRQ_DEVICE_LINES. */
#define IRQ_VECTOR_DEVICE 0x30
#define IRQ_DEVICE_LINES 64
/* The local ones sit in the highest priority class, above every device. */
#define IRQ_VECTOR_TIMER 0xf0
#define IRQ_VECTOR_IPI 0xf1 /* plat_ipi_send() */
#define IRQ_VECTOR_TLB 0xf2 /* TLB shootdown (arch/x86_64/tlb.c) */
#define IRQ_VECTOR_SPURIOUS 0xff

typedef void (*irq_handler_t)(struct trap_frame *frame);

/* Route an interrupt vector (32..254) to handler; the LAPIC end-of-interrupt
 * is sent by the trap layer after the handler returns. */
void arch_irq_register(unsigned vector, irq_handler_t handler);

/* A fault handler may fix a fault up and return 1 to resume (the later
 * fault-recovery module registers one); 0 means fatal. */
typedef int (*fault_hook_t)(struct trap_frame *frame);
void arch_set_fault_hook(fault_hook_t hook);

/* The boot CPU: build the IDT, load it, the GDT and CPU 0's TSS. */
void arch_trap_init(void);

/* Another CPU: load the shared IDT and GDT and its own TSS, whose IST stack
 * (double fault, NMI, machine check) ends at ist_top. */
void arch_trap_init_ap(unsigned cpu, void *ist_top);

/* trap_common's call (trap_entry.S): every exception and interrupt. */
void trap_handler(struct trap_frame *f);

/* Print the registers of a trap frame to the console. */
void arch_dump_frame(const struct trap_frame *frame, uint64_t fault_addr);

/* A CPU exception (or, on linuxu, the host signal standing for one): the
 * fault hook may recover, else dump and panic. */
void arch_fault(struct trap_frame *frame, uint64_t fault_addr);

const char *arch_trap_name(unsigned vector);

#endif
