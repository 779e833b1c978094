/* Time from the time CSR (rdtime): one counter for every hart, at the
 * device tree's timebase frequency (10 MHz on QEMU virt). Deadlines go to
 * stimecmp when the CPU has the Sstc extension, else through the
 * firmware's SBI timer call; either raises the supervisor timer
 * interrupt. The Goldfish RTC's nanoseconds set the wall clock once. */
#include <platform.h>
#include <arch/csr.h>
#include <arch/sbi.h>

#include "virt_riscv64.h"

#define SIE_STIE (1ul << 5)
#define CSR_STIMECMP 0x14d
#define GOLDFISH_TIME_LOW 0x00 /* read first: latches the high word */
#define GOLDFISH_TIME_HIGH 0x04

static uint64_t freq;
static uint64_t realtime_offset_ns;
static void (*timer_handler)(void);

static uint64_t rdtime(void)
{
	uint64_t v;

	__asm__ volatile("rdtime %0" : "=r"(v)::"memory");
	return v;
}

uint64_t plat_cycles(void)
{
	return rdtime();
}

uint64_t plat_cycles_hz(void)
{
	return freq;
}

uint64_t plat_time_ns(void)
{
	return (uint64_t)((unsigned __int128)rdtime() * 1000000000u / freq);
}

uint64_t plat_realtime_ns(void)
{
	return realtime_offset_ns + plat_time_ns();
}

void plat_timer_set_handler(void (*handler)(void))
{
	timer_handler = handler;
}

static void timer_set(uint64_t ticks)
{
	if (virt.sstc)
		__asm__ volatile("csrw %0, %1" ::"i"(CSR_STIMECMP), "r"(ticks) : "memory");
	else
		sbi_call(SBI_EXT_TIME, 0, (long)ticks, 0, 0, 0);
}

/* Deadline 0 disarms the timer; a past deadline fires at once. */
void plat_timer_arm(uint64_t deadline_ns)
{
	if (!deadline_ns) {
		timer_set(UINT64_MAX);
		return;
	}
	timer_set((uint64_t)((unsigned __int128)deadline_ns * freq / 1000000000u));
}

void virt_timer_irq(void)
{
	timer_set(UINT64_MAX); /* the interrupt is pending until the compare moves */
	if (timer_handler)
		timer_handler();
}

void virt_clock_init(void)
{
	freq = virt.timebase_hz ? virt.timebase_hz : 10000000;
	timer_set(UINT64_MAX);
	csr_set(sie, SIE_STIE);
	if (virt.rtc) {
		uint64_t lo = mmio_read32(virt.rtc + GOLDFISH_TIME_LOW);
		uint64_t ns = (uint64_t)mmio_read32(virt.rtc + GOLDFISH_TIME_HIGH) << 32 | lo;
		realtime_offset_ns = ns - plat_time_ns();
	}
}
