/* The hand-over from a platform's entry code to the portable kernel. */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <stddef.h>
#include <stdint.h>

/* Called once by the platform on the boot CPU with a stack, the console
 * working and interrupts off. boot_cycles is plat_cycles() at the first
 * instruction the machine ran, for the boot-time report. Never returns. */
__attribute__((noreturn)) void kernel_start(uint64_t boot_cycles);

/* The value of kernel option @name ("name=value", among the command line's
 * words before "--") into @out.
 * @retval 0 found; -ENOENT not given; -ENAMETOOLONG does not fit */
int kernel_option(const char *name, char *out, size_t len);

/* End the system with the application's exit code. */
__attribute__((noreturn)) void kernel_exit(int status);

#endif
