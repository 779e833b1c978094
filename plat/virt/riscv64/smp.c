/* Harts on virt: the device tree lists them (their hart ids; the boot hart
 * is CPU 0), SBI HSM hart_start starts one at entry.S's
 * virt_secondary_entry with a pointer to its start block, MMU off; it
 * takes the boot hart's map, sets up its traps and its PLIC context and
 * calls the kernel's entry. */
#include <errno.h>
#include <kernel/panic.h>
#include <platform.h>
#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/sbi.h>
#include <arch/trap.h>

#include "virt_riscv64.h"

#define HSM_HART_START 0

/* Read by the starting hart with its MMU off (the identity map makes
 * that the same memory). The offsets are entry.S's. */
struct virt_start {
	uint64_t cpu;		     /* 0 */
	uint64_t stack;		     /* 8 */
	void (*entry)(unsigned cpu); /* 16 */
	volatile uint64_t running;   /* 24 */
};

static struct virt_start starts[VIRT_MAX_CPUS];
extern const char virt_secondary_entry[];

unsigned plat_cpu_count(void)
{
	return virt.ncpus;
}

/* C side of a started hart, on its kernel stack. */
void virt_secondary_main(struct virt_start *s)
{
	arch_mmu_enable_secondary();
	arch_trap_init((unsigned)s->cpu);
	virt_irq_init_cpu((unsigned)s->cpu);
	csr_set(sie, 1ul << 5); /* its timer */
	__atomic_store_n(&s->running, 1, __ATOMIC_RELEASE);
	s->entry((unsigned)s->cpu);
	panic("CPU %lu: its entry returned", (unsigned long)s->cpu);
}

int plat_cpu_start(unsigned cpu, void (*entry)(unsigned cpu), void *stack_top)
{
	BUG_ON(cpu == 0 || cpu >= virt.ncpus || !entry || !stack_top);
	struct virt_start *s = &starts[cpu];

	*s = (struct virt_start){
	    .cpu = cpu,
	    .stack = (uint64_t)(uintptr_t)stack_top & ~15ul,
	    .entry = entry,
	};
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	struct sbi_ret r = sbi_call(SBI_EXT_HSM, HSM_HART_START, (long)virt.cpu_id[cpu],
				    (long)(uintptr_t)virt_secondary_entry, (long)(uintptr_t)s, 0);
	if (r.error)
		return -ETIMEDOUT;
	uint64_t deadline = plat_time_ns() + 1000000000ull;
	while (!__atomic_load_n(&s->running, __ATOMIC_ACQUIRE))
		if (plat_time_ns() > deadline)
			return -ETIMEDOUT;
	return 0;
}
