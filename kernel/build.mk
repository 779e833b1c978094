srcs-y += kernel/boot.c kernel/cmdline.c kernel/initcall.c kernel/log.c kernel/panic.c \
	kernel/syscall.c kernel/sys_console.c kernel/sys_memory.c kernel/sys_process.c \
	kernel/sys_time.c kernel/time.c kernel/console.c kernel/file.c kernel/sys_file.c kernel/fault.c \
	kernel/uaccess.c
srcs-y += kernel/sched/core.c kernel/sched/timer.c kernel/sched/thread.c \
	kernel/sched/thread_ops.c kernel/sched/stack.c kernel/sched/futex.c kernel/sched/sys_sched.c
srcs-$(CONFIG_SCHED_PRIO) += kernel/sched/policy_prio.c
srcs-$(CONFIG_SCHED_FIFO) += kernel/sched/policy_fifo.c
srcs-$(CONFIG_WATCHDOG) += kernel/sched/watchdog.c
srcs-y += $(filter-out %/ktest_%.c,$(wildcard kernel/mm/*.c))
srcs-$(CONFIG_SHELL) += kernel/cmd_faults.c
srcs-$(CONFIG_POLL) += kernel/sys_poll.c
srcs-$(CONFIG_FAULT_INJECT) += kernel/fault_inject.c
srcs-$(CONFIG_KSYMS) += kernel/ksyms.c
srcs-$(if $(CONFIG_KSYMS),,y) += kernel/ksyms_none.c
srcs-$(CONFIG_KTEST) += kernel/ktest.c $(wildcard kernel/ktest_*.c kernel/*/ktest_*.c)

# Run once or on rare paths: built for size (see the top Makefile).
cold-srcs += kernel/boot.c kernel/cmdline.c kernel/initcall.c kernel/log.c kernel/panic.c \
	kernel/fault.c kernel/ksyms.c kernel/sys_process.c kernel/cmd_faults.c \
	kernel/sched/thread_ops.c kernel/sched/sys_sched.c kernel/mm/stats.c kernel/mm/release.c \
	kernel/mm/check.c kernel/mm/report.c kernel/sys_cred.c kernel/sys_resource.c kernel/signal.c \
	kernel/itimer.c kernel/flock.c kernel/mmap_file.c kernel/sys_memory.c
srcs-$(CONFIG_PIPE) += kernel/pipe.c kernel/eventfd.c kernel/socketpair.c
# preadv/pwritev, sendfile, fallocate, fadvise: for files, pipes and sockets.
srcs-$(if $(CONFIG_FS)$(CONFIG_PIPE)$(CONFIG_NET),y) += kernel/sys_fileio.c
srcs-$(CONFIG_POLL) += kernel/epoll.c
srcs-$(CONFIG_PROCESS_CALLS) += kernel/sys_resource.c kernel/sys_cred.c
srcs-$(CONFIG_FS) += kernel/flock.c kernel/mmap_file.c kernel/sys_path.c
# Kernel sleeping locks: every image has one at least (console input).
srcs-y += kernel/kmutex.c
srcs-$(CONFIG_SIGNALS) += kernel/signal.c kernel/itimer.c
srcs-$(CONFIG_ZONE) += kernel/zone.c
ifneq ($(CONFIG_ZONE),y)
srcs-y += kernel/zone_none.c
endif
