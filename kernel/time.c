/* Kernel time on top of the platform clock and timer. */
#include <kernel/initcall.h>
#include <kernel/time.h>
#include <platform.h>

#include <plat/irq.h>

uint64_t time_now_ns(void)
{
	return plat_time_ns();
}

uint64_t time_cycles_to_ns(uint64_t cycles)
{
	uint64_t hz = plat_cycles_hz();

	return cycles / hz * NSEC_PER_SEC + cycles % hz * NSEC_PER_SEC / hz;
}

/* Until the scheduler owns the timer, its only job is to wake the CPU. */
static void time_wakeup(void)
{
}

void time_sleep_until(uint64_t deadline_ns)
{
	unsigned long flags = irq_save();

	while (time_now_ns() < deadline_ns) {
		plat_timer_arm(deadline_ns);
		plat_idle();
	}
	irq_restore(flags);
}

static int time_init(void)
{
	plat_timer_set_handler(time_wakeup);
	return 0;
}
INITCALL(INITCALL_CORE, time_init);
