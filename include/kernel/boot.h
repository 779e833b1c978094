/* The hand-over from a platform's entry code to the portable kernel. */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <stdint.h>

/* Called once by the platform on the boot CPU with a stack, the console
 * working and interrupts off. boot_cycles is plat_cycles() at the first
 * instruction the machine ran, for the boot-time report. Never returns. */
__attribute__((noreturn)) void kernel_start(uint64_t boot_cycles);

/* End the system with the application's exit code. */
__attribute__((noreturn)) void kernel_exit(int status);

#endif
