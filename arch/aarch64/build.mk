srcs-y += arch/aarch64/switch.S arch/aarch64/context.c arch/aarch64/uaccess.S \
	arch/aarch64/vectors.S arch/aarch64/trap.c arch/aarch64/mmu.c
cold-srcs += arch/aarch64/trap.c
# musl asks the kernel for the thread pointer (kernel/sched/thread_area.c)
srcs-y += kernel/sched/thread_area.c
