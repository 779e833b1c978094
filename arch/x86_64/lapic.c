/* Local APIC in x2APIC mode (MSRs) when available, else xAPIC (MMIO). The
 * mode and the timer calibration are chosen on the boot CPU; every other CPU
 * enables its own local APIC the same way. */
#include <plat/irq.h>
#include <arch/cpu.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define MSR_APIC_BASE 0x1bu
#define APIC_BASE_ENABLE (1u << 11)
#define APIC_BASE_X2APIC (1u << 10)
#define XAPIC_MMIO 0xfee00000ul

/* Register offsets in xAPIC MMIO; the x2APIC MSR is 0x800 + offset / 16. */
#define REG_ID 0x20
#define REG_EOI 0xb0
#define REG_SVR 0xf0
#define REG_LVT_TIMER 0x320
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR 0x390
#define REG_TIMER_DIV 0x3e0
#define REG_ICR_LO 0x300
#define REG_ICR_HI 0x310 /* xAPIC only; x2APIC has one 64-bit ICR */
#define MSR_X2APIC_ICR 0x830u

#define ICR_PENDING (1u << 12) /* xAPIC delivery status */
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_ASSERT (1u << 14)
#define ICR_LEVEL (1u << 15)

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

/* One-shot mode needs the APIC timer's rate: count down for ~2 ms of TSC
 * (lapic_enable() set the divider and masked the timer). */
static void lapic_calibrate(uint64_t tsc_hz)
{
	lapic_write(REG_TIMER_INIT, 0xffffffffu);
	uint64_t t0 = arch_rdtsc(), span = tsc_hz / 500;
	while (arch_rdtsc() - t0 < span)
		arch_cpu_relax();
	uint32_t counted = 0xffffffffu - lapic_read(REG_TIMER_CUR);
	uint64_t t1 = arch_rdtsc();
	lapic_write(REG_TIMER_INIT, 0);
	tsc_per_apic_tick_x1024 = counted ? ((t1 - t0) << 10) / counted : 1024;
}

/* Enable this CPU's local APIC in the chosen mode, its timer stopped. */
static void lapic_enable(void)
{
	uint64_t base = arch_rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;

	if (x2apic)
		base |= APIC_BASE_X2APIC;
	arch_wrmsr(MSR_APIC_BASE, base);
	lapic_write(REG_SVR, 0x100 | IRQ_VECTOR_SPURIOUS);
	if (tsc_deadline) {
		lapic_write(REG_LVT_TIMER, LVT_TSC_DEADLINE | IRQ_VECTOR_TIMER);
	} else {
		lapic_write(REG_TIMER_DIV, 0xb); /* divide by 1 */
		lapic_write(REG_LVT_TIMER, LVT_MASKED | IRQ_VECTOR_TIMER);
	}
}

void lapic_init(uint64_t tsc_hz)
{
	x2apic = x86_cpu.x2apic;
	tsc_deadline = x86_cpu.tsc_deadline;
	lapic_enable();
	if (!tsc_deadline)
		lapic_calibrate(tsc_hz);
}

/* All local APIC timers count the same bus clock: the boot CPU's
 * calibration holds for every CPU. */
void lapic_init_ap(void)
{
	lapic_enable();
}

uint32_t lapic_id(void)
{
	return x2apic ? lapic_read(REG_ID) : lapic_read(REG_ID) >> 24;
}

/* Write the interrupt command register. x2APIC: one MSR write; its writes
 * are not serialising, so fence first or the target could run its handler
 * before it sees what this CPU stored just before. xAPIC: destination then
 * command, which an interrupt handler sending its own IPI in between would
 * mix up, so with interrupts off; and wait until the previous command left. */
static void lapic_icr_write(uint32_t apic_id, uint32_t cmd)
{
	if (x2apic) {
		__asm__ volatile("mfence; lfence" ::: "memory");
		arch_wrmsr(MSR_X2APIC_ICR, (uint64_t)apic_id << 32 | cmd);
		return;
	}
	unsigned long flags = irq_save();
	while (lapic_read(REG_ICR_LO) & ICR_PENDING)
		arch_cpu_relax();
	lapic_write(REG_ICR_HI, apic_id << 24);
	lapic_write(REG_ICR_LO, cmd);
	irq_restore(flags);
}

void lapic_send_ipi(uint32_t apic_id, unsigned vector)
{
	lapic_icr_write(apic_id, vector & 0xff); /* fixed, physical, edge */
}

/* INIT asserted, then de-asserted as the MP specification's sequence has it
 * (CPUs since the Pentium 4 ignore the de-assert). */
void lapic_send_init(uint32_t apic_id)
{
	lapic_icr_write(apic_id, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
	lapic_icr_write(apic_id, ICR_INIT | ICR_LEVEL);
}

void lapic_send_sipi(uint32_t apic_id, unsigned page_number)
{
	lapic_icr_write(apic_id, ICR_STARTUP | (page_number & 0xff));
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
