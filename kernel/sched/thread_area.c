/* The thread pointer as a system call, for the instruction sets whose Linux
 * programs set it with a plain register write (aarch64, riscv64): musl's
 * generic __set_thread_area() asks the kernel instead (SYS_set_thread_area,
 * 511 there: lib/musl/ARCH/syscall_arch.h), because the pointer is part of
 * the thread and the switch reloads it. The architectures that need it list
 * this file in their build.mk. */
#include <musl_offsets.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <platform.h>

/* @tp is musl's thread-pointer value; the kernel keeps the block below it. */
static long sys_set_thread_area(void *tp)
{
	void *self = (char *)tp - MUSL_TP_ADJ;

	current_thread()->tls = self;
	plat_set_thread_pointer(self);
	return 0;
}

SYSCALL(set_thread_area, sys_set_thread_area);
