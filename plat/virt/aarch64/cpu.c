/* aarch64 on virt: the thread pointer, idling, the exception vectors of a
 * CPU that starts. */
#include <musl_offsets.h>
#include <platform.h>
#include <arch/trap.h>

#include "virt_aarch64.h"

uint8_t virt_exc_stack0[16384] __attribute__((aligned(16)));
__asm__(".globl virt_exc_stack0_top; .set virt_exc_stack0_top, virt_exc_stack0 + 16384");

void plat_set_thread_pointer(void *self)
{
	uintptr_t tp = self ? (uintptr_t)self + MUSL_TP_ADJ : 0;

	__asm__ volatile("msr tpidr_el0, %0" ::"r"(tp) : "memory");
}

/* WFI wakes on a pending interrupt even while it is masked; unmasking for
 * one instruction then lets it run. */
void plat_idle(void)
{
	__asm__ volatile("dsb sy; wfi; msr daifclr, #2; isb; msr daifset, #2" ::: "memory");
}

/* The exception stack (SP_EL1) was set by entry.S. */
void virt_cpu_early_init(unsigned cpu)
{
	(void)cpu;
	arch_trap_init();
}
