/* Local APIC in x2APIC mode (MSRs) when available, else xAPIC (MMIO). */
#include <arch/cpu.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define MSR_APIC_BASE 0x1bu
#define APIC_BASE_ENABLE (1u << 11)
#define APIC_BASE_X2APIC (1u << 10)
#define XAPIC_MMIO 0xfee00000ul

/* Register offsets in xAPIC MMIO; the x2APIC MSR is 0x800 + offset / 16. */
#define REG_EOI 0xb0
#define REG_SVR 0xf0
#define REG_LVT_TIMER 0x320
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR 0x390
#define REG_TIMER_DIV 0x3e0

#define LVT_MASKED (1u << 16)
#define LVT_TSC_DEADLINE (2u << 17)

static int x2apic;
static int tsc_deadline;
static uint64_t tsc_per_apic_tick_x1024; /* one-shot mode: TSC ticks per count */

static void lapic_write(unsigned reg, uint32_t v)
{
	if (x2apic)
		arch_wrmsr(0x800 + reg / 16, v);
	else
		*(volatile uint32_t *)(XAPIC_MMIO + reg) = v;
}

static uint32_t lapic_read(unsigned reg)
{
	if (x2apic)
		return (uint32_t)arch_rdmsr(0x800 + reg / 16);
	return *(volatile uint32_t *)(XAPIC_MMIO + reg);
}

void lapic_eoi(void)
{
	lapic_write(REG_EOI, 0);
}

/* One-shot mode needs the APIC timer's rate: count down for ~2 ms of TSC. */
static void lapic_calibrate(uint64_t tsc_hz)
{
	lapic_write(REG_TIMER_DIV, 0xb); /* divide by 1 */
	lapic_write(REG_LVT_TIMER, LVT_MASKED | IRQ_VECTOR_TIMER);
	lapic_write(REG_TIMER_INIT, 0xffffffffu);
	uint64_t t0 = arch_rdtsc(), span = tsc_hz / 500;
	while (arch_rdtsc() - t0 < span)
		arch_cpu_relax();
	uint32_t counted = 0xffffffffu - lapic_read(REG_TIMER_CUR);
	uint64_t t1 = arch_rdtsc();
	lapic_write(REG_TIMER_INIT, 0);
	tsc_per_apic_tick_x1024 = counted ? ((t1 - t0) << 10) / counted : 1024;
}

void lapic_init(uint64_t tsc_hz)
{
	uint64_t base = arch_rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;

	x2apic = x86_cpu.x2apic;
	if (x2apic)
		base |= APIC_BASE_X2APIC;
	arch_wrmsr(MSR_APIC_BASE, base);
	lapic_write(REG_SVR, 0x100 | IRQ_VECTOR_SPURIOUS);
	tsc_deadline = x86_cpu.tsc_deadline;
	if (tsc_deadline)
		lapic_write(REG_LVT_TIMER, LVT_TSC_DEADLINE | IRQ_VECTOR_TIMER);
	else
		lapic_calibrate(tsc_hz);
}

void lapic_timer_arm_tsc(uint64_t deadline)
{
	if (tsc_deadline) {
		arch_wrmsr(MSR_TSC_DEADLINE, deadline);
		return;
	}
	if (!deadline) {
		lapic_write(REG_TIMER_INIT, 0);
		return;
	}
	uint64_t now = arch_rdtsc();
	uint64_t ticks = deadline > now ? ((deadline - now) << 10) / tsc_per_apic_tick_x1024 : 1;
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffu)
		ticks = 0xffffffffu; /* fires early; the caller re-arms */
	lapic_write(REG_LVT_TIMER, IRQ_VECTOR_TIMER);
	lapic_write(REG_TIMER_INIT, (uint32_t)ticks);
}
