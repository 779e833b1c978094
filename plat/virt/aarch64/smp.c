/* CPUs on virt: the device tree lists them (their MPIDR affinities), PSCI
 * CPU_ON starts one at entry.S's virt_secondary_entry with a pointer to
 * its start block; it takes the boot CPU's map, vectors and stacks from
 * there, sets up its GIC part and calls the kernel's entry. */
#include <errno.h>
#include <kernel/panic.h>
#include <platform.h>
#include <arch/trap.h>

#include "virt_aarch64.h"

#define PSCI_CPU_ON 0xc4000003
#define EXC_STACK_SIZE 16384

/* Read by the starting CPU with its MMU off: kept in memory, cleaned from
 * the caches by the starter. The offsets are entry.S's. */
struct virt_start {
	uint64_t ttbr0;		     /* 0 */
	uint64_t exc_stack;	     /* 8: SP_EL1 */
	uint64_t stack;		     /* 16: SP_EL0 */
	uint64_t cpu;		     /* 24 */
	void (*entry)(unsigned cpu); /* 32 */
	volatile uint64_t running;   /* 40 */
};

static struct virt_start starts[VIRT_MAX_CPUS];
static uint8_t exc_stacks[VIRT_MAX_CPUS][EXC_STACK_SIZE] __attribute__((aligned(16)));

extern const char virt_secondary_entry[];

unsigned plat_cpu_count(void)
{
	return virt.ncpus;
}

static long psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn, x1 __asm__("x1") = a1, x2 __asm__("x2") = a2,
			     x3 __asm__("x3") = a3;

	if (virt.psci_smc)
		__asm__ volatile("smc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	return (long)x0;
}

static void clean_to_memory(const void *p, size_t len)
{
	for (uintptr_t a = (uintptr_t)p & ~63ul; a < (uintptr_t)p + len; a += 64)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

/* C side of a started CPU, on its kernel stack with the map on. */
void virt_secondary_main(struct virt_start *s)
{
	arch_trap_init();
	virt_gic_init_cpu((unsigned)s->cpu);
	__atomic_store_n(&s->running, 1, __ATOMIC_RELEASE);
	s->entry((unsigned)s->cpu);
	panic("CPU %lu: its entry returned", (unsigned long)s->cpu);
}

int plat_cpu_start(unsigned cpu, void (*entry)(unsigned cpu), void *stack_top)
{
	BUG_ON(cpu == 0 || cpu >= virt.ncpus || !entry || !stack_top);
	struct virt_start *s = &starts[cpu];
	uint64_t ttbr0;

	__asm__ volatile("mrs %0, ttbr0_el1" : "=r"(ttbr0));
	*s = (struct virt_start){
	    .ttbr0 = ttbr0,
	    .exc_stack = (uint64_t)(uintptr_t)(exc_stacks[cpu] + EXC_STACK_SIZE),
	    .stack = (uint64_t)(uintptr_t)stack_top & ~15ul,
	    .cpu = cpu,
	    .entry = entry,
	};
	clean_to_memory(s, sizeof(*s));
	long r =
	    psci_call(PSCI_CPU_ON, virt.cpu_id[cpu], (uintptr_t)virt_secondary_entry, (uintptr_t)s);
	if (r != 0)
		return -ETIMEDOUT;
	uint64_t deadline = plat_time_ns() + 1000000000ull;
	while (!__atomic_load_n(&s->running, __ATOMIC_ACQUIRE))
		if (plat_time_ns() > deadline)
			return -ETIMEDOUT;
	return 0;
}
