/* aarch64's system-call numbers beyond <sys/syscall.h> (included by
 * include/kernel/syscall.h): Linux's generic table, without its legacy
 * calls. */
#ifndef ARCH_SYSCALL_NR_H
#define ARCH_SYSCALL_NR_H

/* musl's __set_thread_area() asks the kernel (lib/musl/aarch64/syscall_arch.h has
 * the same number, one Linux never gives). */
#define SYS_set_thread_area 511

#include <kernel/syscall_nr_generic.h>

#endif
