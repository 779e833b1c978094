/* Starting the other CPUs of an x86_64 machine and interrupting them. The
 * platform finds the CPUs (ACPI on microvm) and a free low page; this file
 * knows how x86 CPUs start: INIT-SIPI-SIPI into ap_trampoline.S, which
 * brings the CPU to long mode and calls x86_ap_main() below. */
#include <errno.h>
#include <string.h>
#include <arch/cpu.h>
#include <arch/lapic.h>
#include <arch/smp.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kernel/compiler.h>
#include <kernel/log.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>

#define IST_PAGES 4		  /* 16 KiB fault stack per CPU, as the boot CPU's */
#define AP_BOOT_TIMEOUT_US 500000 /* generous: a TCG vCPU thread may wait for a host CPU */

extern const char x86_ap_trampoline[], x86_ap_trampoline_end[], x86_ap_trampoline_params[];

/* Where the trampoline reads what it needs, in the copied page. */
struct ap_trampoline_params {
	uint64_t cr3, stack, entry;
};

uint64_t x86_cpus_online = 1;
static uint32_t cpu_apic_id[X86_MAX_CPUS];
static unsigned ncpus = 1;

/* What the CPU being started reads once it runs C; one start at a time. */
static struct {
	unsigned cpu;
	void (*entry)(unsigned cpu);
	void *stack_top, *ist_top;
	int up;
} ap_boot;
static spinlock_t boot_lock = SPINLOCK_INIT;
static uintptr_t trampoline_page;

void x86_smp_init(const uint32_t *apic_ids, unsigned n)
{
	BUG_ON(n == 0 || n > X86_MAX_CPUS);
	memcpy(cpu_apic_id, apic_ids, n * sizeof(*apic_ids));
	ncpus = n;
}

unsigned x86_cpu_count(void)
{
	return ncpus;
}

void x86_ipi_send(unsigned cpu, unsigned vector)
{
	if (cpu >= X86_MAX_CPUS ||
	    !(__atomic_load_n(&x86_cpus_online, __ATOMIC_ACQUIRE) >> cpu & 1))
		return;
	lapic_send_ipi(cpu_apic_id[cpu], vector);
}

static void tlb_irq(struct trap_frame *frame)
{
	(void)frame;
	x86_tlb_service();
}

/* The new CPU's first C code, on the stack it was given, interrupts off.
 * It copies its orders before saying it is up: from then on the boot CPU
 * may start the next one and overwrite them. MTRRs and PAT need no copying
 * from the boot CPU: microvm's firmware leaves them at their reset values
 * there too (MTRRs off). The thread pointer (%fs base) is 0 until entry
 * sets one: no C library calls before. */
__attribute__((noreturn, used)) void x86_ap_main(void)
{
	unsigned cpu = __atomic_load_n(&ap_boot.cpu, __ATOMIC_RELAXED);
	void (*entry)(unsigned) = __atomic_load_n(&ap_boot.entry, __ATOMIC_RELAXED);
	void *stack_top = __atomic_load_n(&ap_boot.stack_top, __ATOMIC_RELAXED);

	x86_cpu_enable();
	/* Until its owner (the scheduler) sets one, the per-CPU pointer
	 * reads as NULL rather than faulting at address 0. */
	static void *const no_percpu = NULL;
	arch_wrmsr(MSR_GS_BASE, (uintptr_t)&no_percpu);
	arch_trap_init_ap(cpu, ap_boot.ist_top);
	lapic_init_ap();
	x86_tlb_cpu_online(cpu);
	__atomic_store_n(&ap_boot.up, 1, __ATOMIC_RELEASE);
	/* Start entry afresh at the top of its stack, as if called there. */
	__asm__ volatile("movq %0, %%rsp\n\t"
			 "xorl %%ebp, %%ebp\n\t"
			 "call *%1\n\t"
			 "ud2" ::"r"(stack_top),
			 "r"(entry), "D"(cpu)
			 : "memory");
	__builtin_unreachable();
}

static void trampoline_install(uintptr_t page)
{
	size_t size = x86_ap_trampoline_end - x86_ap_trampoline;

	BUG_ON(size > 4096 || page >= 0x100000 || page % 4096);
	if (trampoline_page != page) {
		memcpy((void *)page, x86_ap_trampoline, size);
		trampoline_page = page;
	}
}

static int wait_up(uint64_t us)
{
	uint64_t t0 = arch_rdtsc(), span = x86_tsc_hz / 1000000 * us;

	while (!__atomic_load_n(&ap_boot.up, __ATOMIC_ACQUIRE)) {
		if (arch_rdtsc() - t0 >= span)
			return 0;
		arch_cpu_relax();
	}
	return 1;
}

/* The Intel SDM's sequence is INIT, 10 ms, SIPI, 200 us, SIPI, 200 us.
 * The 10 ms is for external APICs of the 1990s; QEMU (TCG and KVM) and
 * current CPUs act on INIT at once (Linux waits 0 on them too), so the
 * waits here are 10 us, and the second SIPI is skipped once the CPU has
 * answered the first. A SIPI that finds the CPU running is ignored. */
static int start_cpu(uint32_t apic_id, uintptr_t page)
{
	lapic_send_init(apic_id);
	x86_delay_us(10);
	lapic_send_sipi(apic_id, page >> 12);
	if (wait_up(200))
		return 1;
	lapic_send_sipi(apic_id, page >> 12);
	return wait_up(AP_BOOT_TIMEOUT_US);
}

int x86_cpu_boot(unsigned cpu, uintptr_t page, void (*entry)(unsigned), void *stack_top)
{
	BUG_ON(cpu == 0 || cpu >= ncpus || (x86_cpus_online >> cpu & 1));
	void *ist = mm_pages_alloc(mm_kernel_heap(), IST_PAGES);
	if (!ist)
		return -ENOMEM;
	if (IS_ENABLED(CONFIG_ZONE))
		arch_zone_supervisor_stack(ist, IST_PAGES * 4096);

	spin_lock(&boot_lock);
	arch_irq_register(IRQ_VECTOR_TLB, tlb_irq);
	trampoline_install(page);
	struct ap_trampoline_params *p =
	    (void *)(page + (x86_ap_trampoline_params - x86_ap_trampoline));
	uint64_t cr3;
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	BUG_ON(cr3 >> 32); /* loaded in 32-bit mode */
	p->cr3 = cr3;
	p->stack = ALIGN_DOWN((uintptr_t)stack_top, 16);
	p->entry = (uintptr_t)x86_ap_main;
	ap_boot.cpu = cpu;
	ap_boot.entry = entry;
	ap_boot.stack_top = (void *)p->stack;
	ap_boot.ist_top = (char *)ist + IST_PAGES * 4096;
	__atomic_store_n(&ap_boot.up, 0, __ATOMIC_RELEASE);

	int ok = start_cpu(cpu_apic_id[cpu], page);
	if (!ok) {
		/* Back to waiting for SIPI, so that it cannot wake up later on a
		 * stack its caller has taken back. */
		lapic_send_init(cpu_apic_id[cpu]);
		__atomic_and_fetch(&x86_cpus_online, ~(1ull << cpu), __ATOMIC_SEQ_CST);
		if (IS_ENABLED(CONFIG_ZONE))
			x86_paging_set_key((uintptr_t)ist, IST_PAGES * 4096, 0);
		mm_pages_free(ist);
		log_warn("smp: CPU %u (APIC id %u) did not start", cpu, cpu_apic_id[cpu]);
	}
	spin_unlock(&boot_lock);
	return ok ? 0 : -ETIMEDOUT;
}
