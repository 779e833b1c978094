/* Kernel time on top of the platform clock and timer. */
#include <kernel/time.h>
#include <platform.h>

uint64_t time_now_ns(void)
{
	return plat_time_ns();
}

uint64_t time_cycles_to_ns(uint64_t cycles)
{
	uint64_t hz = plat_cycles_hz();

	return cycles / hz * NSEC_PER_SEC + cycles % hz * NSEC_PER_SEC / hz;
}
