/* riscv64 on virt: the thread pointer, idling, the traps of a CPU. */
#include <musl_offsets.h>
#include <platform.h>
#include <arch/trap.h>

#include "virt_riscv64.h"

void plat_set_thread_pointer(void *self)
{
	uintptr_t tp = self ? (uintptr_t)self + MUSL_TP_ADJ : 0;

	__asm__ volatile("mv tp, %0" ::"r"(tp) : "memory");
}

/* WFI wakes on a pending enabled interrupt even while sstatus.SIE masks
 * it; unmasking for one instruction then lets it run. */
void plat_idle(void)
{
	__asm__ volatile("wfi; csrsi sstatus, 2; csrci sstatus, 2" ::: "memory");
}

void virt_cpu_early_init(unsigned cpu)
{
	arch_trap_init(cpu);
}
