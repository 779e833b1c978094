/* TLB coherence between CPUs. A CPU that took a page away (cleared a
 * present bit) asks every other online CPU to flush, and waits until each
 * has: a stale TLB entry would let that CPU still reach a guard page.
 *
 * Requests are numbered: a CPU records the number it had seen when it
 * flushed, so a request that was merged with another in the local APIC, or
 * that arrives after its sender gave up waiting, is still honoured. The
 * receiver flushes everything (global pages included) rather than the pages
 * named: requests are rare (a thread's stack guard) and the identity map's
 * large pages refill in a few walks, and there is no range to read that a
 * newer request could be rewriting. */
#include <stdint.h>
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kernel/log.h>

#define CR4_PGE (1ul << 7)
#define TLB_ACK_TIMEOUT_US 100000

static uint64_t tlb_gen;		/* requests made so far */
static uint64_t tlb_done[X86_MAX_CPUS]; /* per CPU: tlb_gen when it last flushed */

/* Toggling CR4.PGE drops global entries too, which a CR3 reload keeps. */
void x86_tlb_flush_all(void)
{
	uint64_t cr4, cr3;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	if (cr4 & CR4_PGE) {
		__asm__ volatile("mov %0, %%cr4" ::"r"(cr4 & ~CR4_PGE) : "memory");
		__asm__ volatile("mov %0, %%cr4" ::"r"(cr4) : "memory");
	} else {
		__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3)::"memory");
	}
}

void x86_tlb_service(void)
{
	unsigned me = x86_cpu_index();
	uint64_t gen = __atomic_load_n(&tlb_gen, __ATOMIC_SEQ_CST);

	if (__atomic_load_n(&tlb_done[me], __ATOMIC_RELAXED) == gen)
		return;
	x86_tlb_flush_all();
	__atomic_store_n(&tlb_done[me], gen, __ATOMIC_RELEASE);
}

/* Either the sender sees this CPU's online bit and waits for it, or this
 * CPU reads the sender's new number and flushes after the page tables were
 * changed (sequentially consistent order of the two read-modify-writes). */
void x86_tlb_cpu_online(unsigned cpu)
{
	__atomic_or_fetch(&x86_cpus_online, 1ull << cpu, __ATOMIC_SEQ_CST);
	uint64_t gen = __atomic_load_n(&tlb_gen, __ATOMIC_SEQ_CST);
	x86_tlb_flush_all();
	__atomic_store_n(&tlb_done[cpu], gen, __ATOMIC_RELEASE);
}

/* A CPU that keeps interrupts off for long (or spins on a lock the caller
 * holds with interrupts off) cannot answer: give up after a bound and say
 * so. Its interrupt stays pending, so it flushes as soon as it can. */
void x86_tlb_shootdown(void)
{
	unsigned me = x86_cpu_index();
	uint64_t gen = __atomic_add_fetch(&tlb_gen, 1, __ATOMIC_SEQ_CST);
	uint64_t others = __atomic_load_n(&x86_cpus_online, __ATOMIC_SEQ_CST) & ~(1ull << me);

	if (!others)
		return;
	for (unsigned c = 0; c < X86_MAX_CPUS; c++)
		if (others >> c & 1)
			x86_ipi_send(c, IRQ_VECTOR_TLB);
	uint64_t t0 = arch_rdtsc(), span = x86_tsc_hz / 1000000 * TLB_ACK_TIMEOUT_US;
	for (unsigned c = 0; c < X86_MAX_CPUS; c++) {
		if (!(others >> c & 1))
			continue;
		while (__atomic_load_n(&tlb_done[c], __ATOMIC_ACQUIRE) < gen) {
			if (arch_rdtsc() - t0 > span) {
				log_warn("tlb: CPU %u did not flush within %u ms", c,
					 TLB_ACK_TIMEOUT_US / 1000);
				break;
			}
			arch_cpu_relax();
		}
	}
}
