/* x86_64-only system calls: the C library sets its thread pointer (%fs base)
 * through them. */
#include <errno.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <platform.h>

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

/* The thread pointer is part of the thread: the switch reloads it. */
static long sys_set_thread_area(void *tp)
{
	current_thread()->tls = tp;
	plat_set_thread_pointer(tp);
	return 0;
}

static long sys_arch_prctl(long code, unsigned long addr)
{
	switch (code) {
	case ARCH_SET_FS:
		return sys_set_thread_area((void *)addr);
	case ARCH_GET_FS: {
		unsigned long tp = (unsigned long)current_thread()->tls;
		return copy_to_user((void *)addr, &tp, sizeof(tp));
	}
	default:
		return -EINVAL;
	}
}

SYSCALL(set_thread_area, sys_set_thread_area);
SYSCALL(arch_prctl, sys_arch_prctl);
