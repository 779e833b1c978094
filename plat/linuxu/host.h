/* Raw system calls to the host Linux kernel. The C library inside the image
 * is the unikernel's own (its system calls land in the kernel), so the
 * linuxu platform talks to the host with these alone. */
#ifndef PLAT_LINUXU_HOST_H
#define PLAT_LINUXU_HOST_H

static inline long host_syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define host_syscall(n, a1, a2, a3) host_syscall6(n, (long)(a1), (long)(a2), (long)(a3), 0, 0, 0)

/* x86_64 Linux system-call numbers (the host's, whatever the image uses). */
#define HOST_READ 0
#define HOST_WRITE 1
#define HOST_OPEN 2
#define HOST_CLOSE 3
#define HOST_FSTAT 5
#define HOST_POLL 7
#define HOST_MMAP 9
#define HOST_MPROTECT 10
#define HOST_RT_SIGACTION 13
#define HOST_RT_SIGPROCMASK 14
#define HOST_RT_SIGRETURN 15
#define HOST_IOCTL 16
#define HOST_PREAD64 17
#define HOST_PWRITE64 18
#define HOST_WRITEV 20
#define HOST_SETITIMER 38
#define HOST_GETPID 39
#define HOST_SOCKET 41
#define HOST_RECVFROM 45
#define HOST_SENDMSG 46
#define HOST_BIND 49
#define HOST_FCNTL 72
#define HOST_FSYNC 74
#define HOST_RT_SIGSUSPEND 130
#define HOST_SIGALTSTACK 131
#define HOST_ARCH_PRCTL 158
#define HOST_CLOCK_GETTIME 228
#define HOST_EXIT_GROUP 231

/* Flags and constants of the host's calls, shared by the linuxu files. */
#define HOST_O_RDONLY 0
#define HOST_O_RDWR 2
#define HOST_O_NONBLOCK 04000
#define HOST_O_ASYNC 020000
#define HOST_O_CLOEXEC 02000000
#define HOST_F_SETFL 4
#define HOST_F_SETOWN 8
#define HOST_F_SETSIG 10
#define HOST_POLLIN 0x1
#define HOST_POLLOUT 0x4
#define HOST_POLLHUP 0x10
#define HOST_AF_INET 2
#define HOST_SOCK_STREAM 1
#define HOST_SOCK_DGRAM 2
#define HOST_SOCK_CLOEXEC 02000000
#define HOST_SA_SIGINFO 0x4
#define HOST_SA_ONSTACK 0x08000000
#define HOST_SA_RESTORER 0x04000000
#define HOST_SA_RESTART 0x10000000
#define HOST_SA_NODEFER 0x40000000

#endif
