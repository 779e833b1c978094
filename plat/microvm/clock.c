/* Time on microvm: the TSC scaled to nanoseconds, the local APIC timer for
 * interrupts, the CMOS RTC for the wall clock (read once, when first asked). */
#include <arch/cpu.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kernel/time.h>
#include <platform.h>

#include "microvm.h"

extern uint64_t boot_tsc_start;

static uint64_t tsc_hz;
static uint64_t ns_per_tsc_x2_32; /* nanoseconds per TSC tick, 32.32 fixed point */
static void (*timer_handler)(void);

uint64_t plat_cycles(void)
{
	return arch_rdtsc();
}

uint64_t plat_cycles_hz(void)
{
	return tsc_hz;
}

uint64_t plat_time_ns(void)
{
	uint64_t delta = arch_rdtsc() - boot_tsc_start;

	return (uint64_t)(((unsigned __int128)delta * ns_per_tsc_x2_32) >> 32);
}

static void timer_irq(struct trap_frame *frame)
{
	(void)frame;
	if (timer_handler)
		timer_handler();
}

void plat_timer_set_handler(void (*handler)(void))
{
	timer_handler = handler;
}

void plat_timer_arm(uint64_t deadline_ns)
{
	if (!deadline_ns) {
		lapic_timer_arm_tsc(0);
		return;
	}
	uint64_t ticks = (uint64_t)((unsigned __int128)deadline_ns * tsc_hz / NSEC_PER_SEC);
	lapic_timer_arm_tsc(boot_tsc_start + ticks + 1);
}

void microvm_time_init(uint64_t hz)
{
	tsc_hz = hz;
	ns_per_tsc_x2_32 = (uint64_t)(((unsigned __int128)NSEC_PER_SEC << 32) / hz);
	lapic_init(hz);
	arch_irq_register(IRQ_VECTOR_TIMER, timer_irq);
}

static uint8_t cmos_read(uint8_t reg)
{
	arch_outb(0x70, reg);
	return arch_inb(0x71);
}

static unsigned bcd(uint8_t v, int is_bcd)
{
	return is_bcd ? (v & 0xf) + (v >> 4) * 10 : v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_since_epoch(unsigned y, unsigned m, unsigned d)
{
	y -= m <= 2;
	unsigned era = y / 400, yoe = y - era * 400;
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)era * 146097 + doe - 719468;
}

uint64_t plat_realtime_ns(void)
{
	static uint64_t offset_ns;

	if (!offset_ns) {
		while (cmos_read(0x0a) & 0x80) /* update in progress */
			arch_cpu_relax();
		int is_bcd = !(cmos_read(0x0b) & 0x04);
		unsigned s = bcd(cmos_read(0x00), is_bcd), mi = bcd(cmos_read(0x02), is_bcd);
		unsigned h = bcd(cmos_read(0x04) & 0x7f, is_bcd), d = bcd(cmos_read(0x07), is_bcd);
		unsigned mo = bcd(cmos_read(0x08), is_bcd), y = 2000 + bcd(cmos_read(0x09), is_bcd);
		uint64_t secs = days_since_epoch(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
		offset_ns = secs * NSEC_PER_SEC - plat_time_ns();
	}
	return offset_ns + plat_time_ns();
}
