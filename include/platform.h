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

/* Write the kernel's own messages (log lines, fault and panic reports) and
 * the application's standard error. A machine has one console for all;
 * on linuxu they go to standard error, so that what the application
 * writes to standard output stays its own (a binary stream piped to
 * another program). Same rules as plat_console_write(). */
void plat_log_write(const char *buf, size_t len);

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

/* Make @self (the thread's C library block, struct pthread) the current
 * thread's: the thread pointer register gets self + MUSL_TP_ADJ (x86_64:
 * self itself, TLS variant II; aarch64: just above it, variant I). */
void plat_set_thread_pointer(void *tp);

/* ---- CPUs (SMP). A uniprocessor platform returns 1 and never gets the
 * other calls. The boot CPU is number 0; the others are numbered 1..n-1 in
 * the order the firmware lists them. */
unsigned plat_cpu_count(void);

/* Start CPU @cpu: it runs entry(cpu) on the stack that ends at @stack_top,
 * with interrupts off and its traps, local interrupt controller and timer
 * ready (plat_timer_arm() works there for that CPU).
 * @retval 0 the CPU is running entry
 * @retval -ETIMEDOUT the CPU did not answer */
int plat_cpu_start(unsigned cpu, void (*entry)(unsigned cpu), void *stack_top);

/* Interrupt CPU @cpu: it leaves plat_idle() and runs the handler set with
 * plat_ipi_set_handler() (with interrupts off). Callable from any context. */
void plat_ipi_send(unsigned cpu);
void plat_ipi_set_handler(void (*handler)(void));

/* Make [addr, addr + len) inaccessible (prot 0) or readable and writable
 * again (prot != 0), page by page, on every CPU. For stack guard pages.
 * @retval 0 done
 * @retval -EINVAL addr or len not page aligned
 * @retval -ENOMEM no memory for the page tables this needs
 * @retval -ENOSYS the platform cannot (linuxu uses the host's mprotect) */
int plat_mem_protect(void *addr, size_t len, int prot);

/* Route device interrupt line @irq (an ISA IRQ or GSI on x86 machines) to
 * handler(arg), run with interrupts off on some CPU.
 * @retval 0 routed
 * @retval -EINVAL no such line, or it is taken */
int plat_irq_attach(unsigned irq, void (*handler)(void *arg), void *arg);

/* ---- Devices. */

/* Call fn(base, irq, arg) for each virtio-mmio transport slot the machine
 * has, occupied or not (the caller reads the magic value and device id), in
 * slot order. @base is the slot's register block (identity mapped), @irq
 * its interrupt line for plat_irq_attach(). Reads no device registers.
 * @retval number of slots reported (0: the machine has none) */
int plat_virtio_mmio_foreach(void (*fn)(uintptr_t base, unsigned irq, void *arg), void *arg);

#endif
