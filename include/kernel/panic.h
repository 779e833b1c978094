/* Unrecoverable kernel errors. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdint.h>

/* Exit status of a machine that stopped on a kernel panic or a fatal CPU
 * exception; the run scripts report it as a failure. Applications should
 * keep their own exit codes in 0..124. */
#define EXIT_PANIC 125

/* Print the message, the registers when a trap frame is at hand, and a
 * symbolised backtrace, then power off with EXIT_PANIC. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* Panic on behalf of code that stopped at pc with frame pointer fp (a fatal
 * CPU exception): the backtrace starts there, not in the trap handler. ret,
 * when not 0, is the return address of a function that keeps no frame of
 * its own (a leaf), printed first. */
__attribute__((noreturn, format(printf, 4, 5))) void panic_at(uintptr_t pc, uintptr_t ret, void *fp,
							      const char *fmt, ...);

/* Print a backtrace starting at frame pointer fp (NULL: the caller's). */
void backtrace_print(void *fp);
void backtrace_print_from(uintptr_t first_ret, void *fp);

#define BUG_ON(cond)                                                                               \
	do {                                                                                       \
		if (__builtin_expect(!!(cond), 0))                                                 \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);                      \
	} while (0)

#endif
