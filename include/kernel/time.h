/* Kernel time: monotonic nanoseconds and simple waits. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdint.h>

#define NSEC_PER_SEC 1000000000ull
#define NSEC_PER_USEC 1000ull

uint64_t time_now_ns(void);

/* Convert plat_cycles() ticks to nanoseconds without overflow for spans of
 * up to centuries. */
uint64_t time_cycles_to_ns(uint64_t cycles);

/* Block the calling thread until monotonic time deadline_ns (before the
 * scheduler runs, or in an interrupt handler, the CPU idles instead).
 * @retval 0 the time came; -EINTR woken early by thread_wake() */
int time_sleep_until(uint64_t deadline_ns);

#endif
