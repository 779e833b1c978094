/*
 * Unishyper replacement for musl's arch/ARCH/syscall_arch.h, the same for
 * every architecture (lib/musl/build.sh appends lib/musl/ARCH/
 * syscall_arch.h, an architecture's additions, when there is one).
 *
 * musl and the kernel share one privilege level and one address space, so
 * a system call is an ordinary function call into the kernel: every
 * __syscallN() below funnels into syscall_dispatch(), which the kernel
 * defines.  Unused arguments are passed as 0.  The numbers are Linux's for the architecture
 * (<bits/syscall.h>), and the result follows the Linux convention:
 * a value in [-4095, -1] is a negated errno.
 *
 * No VDSO_* macro is defined: with them absent, clock_gettime() and
 * sched_getcpu() call the system call directly and musl never searches
 * the auxiliary vector for a vDSO.
 */

#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

long syscall_dispatch(long n, long a1, long a2, long a3, long a4, long a5, long a6);

static __inline long __syscall0(long n)
{
	return syscall_dispatch(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long n, long a1)
{
	return syscall_dispatch(n, a1, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long n, long a1, long a2)
{
	return syscall_dispatch(n, a1, a2, 0, 0, 0, 0);
}

static __inline long __syscall3(long n, long a1, long a2, long a3)
{
	return syscall_dispatch(n, a1, a2, a3, 0, 0, 0);
}

static __inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	return syscall_dispatch(n, a1, a2, a3, a4, 0, 0);
}

static __inline long __syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	return syscall_dispatch(n, a1, a2, a3, a4, a5, 0);
}

static __inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return syscall_dispatch(n, a1, a2, a3, a4, a5, a6);
}

#define IPC_64 0
