/* The IDT (shared by all CPUs) and the C side of every exception and
 * interrupt. */
#include <stdint.h>
#include <string.h>
#include <arch/cpu.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <kernel/sched.h>

struct idt_entry {
	uint16_t offset_lo, selector;
	uint8_t ist, type;
	uint16_t offset_mid;
	uint32_t offset_hi, zero;
} __attribute__((packed));

extern const uint64_t trap_stubs[256];

static struct idt_entry idt[256] __attribute__((aligned(16)));
/* Double faults (a stack overflow among them), NMIs and machine checks get a
 * known-good stack of their own: this one on the boot CPU, one given by
 * arch_trap_init_ap() on the others. */
uint8_t x86_ist_stack0[X86_IST_STACK_SIZE] __attribute__((aligned(4096)));
static irq_handler_t irq_handlers[256];

static void idt_set(unsigned vec, uint64_t handler, unsigned ist)
{
	idt[vec] = (struct idt_entry){
	    .offset_lo = handler & 0xffff,
	    .selector = 0x08,
	    .ist = ist,
	    .type = 0x8e, /* present, ring 0, 64-bit interrupt gate */
	    .offset_mid = (handler >> 16) & 0xffff,
	    .offset_hi = handler >> 32,
	};
}

static void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = {sizeof(idt) - 1, (uint64_t)idt};

	__asm__ volatile("lidt %0" ::"m"(idtr));
}

void arch_trap_init(void)
{
	for (unsigned v = 0; v < 256; v++)
		idt_set(v, trap_stubs[v], 0);
	idt_set(TRAP_NMI, trap_stubs[TRAP_NMI], 1);
	idt_set(TRAP_DOUBLE_FAULT, trap_stubs[TRAP_DOUBLE_FAULT], 1);
	idt_set(18, trap_stubs[18], 1);
	x86_gdt_load(0, x86_ist_stack0 + sizeof(x86_ist_stack0));
	idt_load();
}

void arch_trap_init_ap(unsigned cpu, void *ist_top)
{
	x86_gdt_load(cpu, ist_top);
	idt_load();
}

void arch_irq_register(unsigned vector, irq_handler_t handler)
{
	BUG_ON(vector < IRQ_VECTOR_BASE || vector > 255);
	irq_handlers[vector] = handler;
}

/* Called from trap_common with the saved frame. */
void trap_handler(struct trap_frame *f)
{
	if (f->vector >= IRQ_VECTOR_BASE) {
		irq_handler_t h = irq_handlers[f->vector];
		sched_irq_enter();
		if (h)
			h(f);
		sched_irq_leave();
		if (f->vector == IRQ_VECTOR_SPURIOUS)
			return;
		lapic_eoi();
		/* Preempt here, on the interrupted thread's stack: its registers
		 * are in *f until it is switched back. */
		sched_irq_exit();
		return;
	}
	uint64_t cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	arch_fault(f, cr2);
}
