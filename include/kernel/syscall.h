/*
 * The kernel's Linux-compatible system-call layer. The C library's system-call
 * entry is bound at build time to syscall_dispatch(): a call like write()
 * becomes a plain function call, with no trap. Handlers return a result or
 * a negative errno, as Linux does.
 *
 * A module adds a call with one line in its own file:
 *     SYSCALL(write, sys_write);
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <sys/syscall.h>

/* An architecture may lack some of the calls modules register (aarch64 has
 * no open, stat, poll...: its C library uses openat, fstatat, ppoll);
 * its <arch/syscall_nr.h> defines them as SYSCALL_NR_NONE, and such
 * entries stay out of the table. It may add numbers of its own too. */
#define SYSCALL_NR_NONE (-1)
#if __has_include(<arch/syscall_nr.h>)
#include <arch/syscall_nr.h>
#endif

typedef long (*syscall_fn_t)(long, long, long, long, long, long);

struct syscall_entry {
	long nr;
	syscall_fn_t fn;
	const char *name;
};

#define SYSCALL(name, fn)                                                                          \
	static const struct syscall_entry __syscall_##name                                         \
	    __attribute__((used, section("ush_syscalls"), aligned(8))) = {                         \
		SYS_##name, (syscall_fn_t)(void (*)(void))fn, #name}

long syscall_dispatch(long n, long a1, long a2, long a3, long a4, long a5, long a6);

/* Fill the dispatch table from the registered entries; first thing at boot. */
void syscall_init(void);

#endif
