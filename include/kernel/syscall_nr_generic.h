/* The legacy system calls that Linux's generic table (aarch64, riscv64)
 * lacks: the C library uses the *at and p* forms there, so the modules'
 * handlers for the old ones stay out of the table. Included by those
 * instruction sets' <arch/syscall_nr.h>. */
#ifndef KERNEL_SYSCALL_NR_GENERIC_H
#define KERNEL_SYSCALL_NR_GENERIC_H

#define SYS_access SYSCALL_NR_NONE
#define SYS_alarm SYSCALL_NR_NONE
#define SYS_chmod SYSCALL_NR_NONE
#define SYS_chown SYSCALL_NR_NONE
#define SYS_creat SYSCALL_NR_NONE
#define SYS_dup2 SYSCALL_NR_NONE
#define SYS_epoll_create SYSCALL_NR_NONE
#define SYS_epoll_wait SYSCALL_NR_NONE
#define SYS_eventfd SYSCALL_NR_NONE
#define SYS_getpgrp SYSCALL_NR_NONE
#define SYS_lchown SYSCALL_NR_NONE
#define SYS_lstat SYSCALL_NR_NONE
#define SYS_mkdir SYSCALL_NR_NONE
#define SYS_open SYSCALL_NR_NONE
#define SYS_pause SYSCALL_NR_NONE
#define SYS_pipe SYSCALL_NR_NONE
#define SYS_poll SYSCALL_NR_NONE
#define SYS_readlink SYSCALL_NR_NONE
#define SYS_rename SYSCALL_NR_NONE
#define SYS_rmdir SYSCALL_NR_NONE
#define SYS_select SYSCALL_NR_NONE
#define SYS_stat SYSCALL_NR_NONE
#define SYS_unlink SYSCALL_NR_NONE
#define SYS_fork SYSCALL_NR_NONE

#endif
