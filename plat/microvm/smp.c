/* CPUs on microvm: the MADT lists them (acpi.c), arch/ starts them and
 * sends them interrupts. */
#include <errno.h>
#include <arch/smp.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kernel/panic.h>
#include <platform.h>

#include "microvm.h"

/* The start-up IPI names a page below 1 MiB (vector = page number). This
 * one is RAM in microvm's memory map and below the image, so the allocator
 * (which only gets memory above the image's end) never hands it out; the
 * firmware's start info, command line and tables are at 0xE0000 and up. */
#define TRAMPOLINE_PAGE 0x8000

static void (*ipi_handler)(void);

unsigned plat_cpu_count(void)
{
	return x86_cpu_count();
}

/* @retval -ENODEV the trampoline page is not RAM on this machine
 * @retval -ENOMEM no memory for the CPU's fault stack */
int plat_cpu_start(unsigned cpu, void (*entry)(unsigned cpu), void *stack_top)
{
	BUG_ON(cpu == 0 || cpu >= plat_cpu_count() || !entry || !stack_top);
	if (!microvm_is_ram(TRAMPOLINE_PAGE, 4096))
		return -ENODEV;
	/* The page is written (the code, the CPU's parameters) and then run
	 * by the new CPU once it has paging on: the one page outside the
	 * image that is ever executable, and only while a CPU starts. */
	int r = x86_paging_set_rights(TRAMPOLINE_PAGE, 4096, X86_PAGE_WRITE | X86_PAGE_EXEC);
	if (r < 0)
		return r;
	r = x86_cpu_boot(cpu, TRAMPOLINE_PAGE, entry, stack_top);
	x86_paging_set_rights(TRAMPOLINE_PAGE, 4096, X86_PAGE_WRITE);
	return r;
}

static void ipi_irq(struct trap_frame *frame)
{
	(void)frame;
	void (*h)(void) = __atomic_load_n(&ipi_handler, __ATOMIC_ACQUIRE);
	if (h)
		h();
}

void plat_ipi_set_handler(void (*handler)(void))
{
	__atomic_store_n(&ipi_handler, handler, __ATOMIC_RELEASE);
	arch_irq_register(IRQ_VECTOR_IPI, ipi_irq);
}

void plat_ipi_send(unsigned cpu)
{
	x86_ipi_send(cpu, IRQ_VECTOR_IPI);
}
