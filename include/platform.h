/*
 * The platform contract: what every machine (plat/<name>/) provides to the
 * portable kernel. A new port implements exactly these; plat/linuxu does it
 * in a single file, which makes it the reference for the shortest complete
 * implementation.
 *
 * Boot order: the platform's entry code brings the CPU to a C environment
 * (stack, flat memory), then calls kernel_start() (include/kernel/boot.h).
 * The kernel calls back into the functions below.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* Write bytes to the console; blocks until they are accepted. Must work
 * from the first instruction of kernel_start() and from fault handlers. */
void plat_console_write(const char *buf, size_t len);

/* Read up to len bytes that the console has already received; never blocks.
 * @retval number of bytes read (0 when none are waiting)
 * @retval -1 the input is closed for good (end of file on linuxu) */
long plat_console_read(char *buf, size_t len);

/* Call fn for each range of RAM that is free for the kernel's allocator
 * (the image itself and firmware areas excluded). */
void plat_memory_foreach(void (*fn)(void *start, size_t len, void *arg), void *arg);

/* The kernel command line ("" when there is none). Arguments after the
 * kernel's own options are passed to the application's main(). */
const char *plat_cmdline(void);

/* Monotonic time in nanoseconds since an arbitrary point before boot. */
uint64_t plat_time_ns(void);

/* Wall-clock time in nanoseconds since 1970 (UTC). */
uint64_t plat_realtime_ns(void);

/* Cycle counter for measuring short intervals (TSC on x86_64). */
uint64_t plat_cycles(void);

/* Cycles of plat_cycles() per second. */
uint64_t plat_cycles_hz(void);

/* The timer interrupt: call handler (with interrupts off) once at or after
 * monotonic time deadline_ns. A later call replaces the earlier deadline;
 * deadline 0 cancels it. */
void plat_timer_set_handler(void (*handler)(void));
void plat_timer_arm(uint64_t deadline_ns);

/* Stop this CPU until an interrupt arrives. Called with interrupts off;
 * returns with them off after at least one interrupt had the chance to run,
 * so that there is no window in which a wake-up is lost. */
void plat_idle(void);

/* Power the machine off; the status is the application's exit code, which
 * the run scripts turn into their own exit status. */
__attribute__((noreturn)) void plat_poweroff(int status);

/* Point the thread pointer (the C library's TLS base) at tp. */
void plat_set_thread_pointer(void *tp);

#endif
