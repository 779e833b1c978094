/* Time from the generic timer: CNTVCT_EL0 counts at CNTFRQ_EL0 on every
 * CPU; the virtual timer (CNTV_CVAL_EL0) gives tickless deadlines. The
 * PL031 RTC's seconds set the wall clock once. */
#include <platform.h>

#include "virt_aarch64.h"

static uint64_t freq;
static uint64_t realtime_offset_ns;
static void (*timer_handler)(void);

static uint64_t cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
}

uint64_t plat_cycles(void)
{
	return cntvct();
}

uint64_t plat_cycles_hz(void)
{
	return freq;
}

uint64_t plat_time_ns(void)
{
	return (uint64_t)((unsigned __int128)cntvct() * 1000000000u / freq);
}

uint64_t plat_realtime_ns(void)
{
	return realtime_offset_ns + plat_time_ns();
}

void plat_timer_set_handler(void (*handler)(void))
{
	timer_handler = handler;
}

/* Deadline 0 masks the timer; a past deadline fires at once. */
void plat_timer_arm(uint64_t deadline_ns)
{
	if (!deadline_ns) {
		__asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(2ul));
		return;
	}
	uint64_t cval = (uint64_t)((unsigned __int128)deadline_ns * freq / 1000000000u);
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(cval), "r"(1ul));
}

void virt_timer_irq(void)
{
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(2ul)); /* level: quiet it */
	if (timer_handler)
		timer_handler();
}

void virt_clock_init(void)
{
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	if (!freq)
		freq = 62500000;
	if (virt.rtc)
		realtime_offset_ns = (uint64_t)mmio_read32(virt.rtc) * 1000000000u - plat_time_ns();
}
