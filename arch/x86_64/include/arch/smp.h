/* x86_64 multiprocessor support: starting CPUs, sending them interrupts,
 * keeping their TLBs coherent. CPU numbers are the platform's (0 is the boot
 * CPU); the platform tells which APIC id each one has. */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <stddef.h>
#include <stdint.h>

#define X86_MAX_CPUS 64 /* one bit each in a uint64_t (and thread affinity) */

/* Selector of CPU 0's TSS; CPU n's is 16 * n above (arch/x86_64/gdt.c). */
#define X86_GDT_TSS0 0x18

/* CPUs that run kernel code (bit n: CPU n); the boot CPU from the start. */
extern uint64_t x86_cpus_online;

/* The calling CPU's number, from its task register: every CPU loads its own
 * TSS, and STR costs no VM exit (unlike reading the APIC id). */
static inline unsigned x86_cpu_index(void)
{
	uint16_t tr;

	__asm__ volatile("str %0" : "=r"(tr));
	return tr < X86_GDT_TSS0 ? 0 : (tr - X86_GDT_TSS0) >> 4;
}

/* Record the APIC ids of CPUs 0..n-1 (n <= X86_MAX_CPUS), once at boot. */
void x86_smp_init(const uint32_t *apic_ids, unsigned n);
unsigned x86_cpu_count(void);

/* Start CPU @cpu with INIT-SIPI-SIPI through a trampoline copied to the page
 * at @page (below 1 MiB, RAM that nothing else uses); it runs entry(cpu) on
 * stack_top with interrupts off, its traps and local APIC set up.
 * @retval 0 running entry
 * @retval -ENOMEM no memory for its fault stack
 * @retval -ETIMEDOUT it did not answer (it is sent INIT again and stays
 *         stopped) */
int x86_cpu_boot(unsigned cpu, uintptr_t page, void (*entry)(unsigned), void *stack_top);
/* Where the trampoline sends a started CPU, in long mode. */
__attribute__((noreturn)) void x86_ap_main(void);

/* Fixed interrupt @vector to CPU @cpu; ignored for a CPU that is not online. */
void x86_ipi_send(unsigned cpu, unsigned vector);

/* TLB coherence (arch/x86_64/tlb.c). After clearing present bits and
 * flushing its own TLB, the caller makes every other online CPU flush and
 * waits (bounded) until each has. Callers serialise among themselves. */
void x86_tlb_shootdown(void);
/* Do a flush that another CPU asked for and this one has not done yet; for
 * loops that wait with interrupts off. */
void x86_tlb_service(void);
/* This CPU just came online: flush, and count as having done every flush
 * asked for so far. */
void x86_tlb_cpu_online(unsigned cpu);
void x86_tlb_flush_all(void);

#endif
