srcs-y += arch/riscv64/switch.S arch/riscv64/context.c arch/riscv64/uaccess.S \
	arch/riscv64/trap_entry.S arch/riscv64/trap.c arch/riscv64/mmu.c
cold-srcs += arch/riscv64/trap.c
# musl asks the kernel for the thread pointer (kernel/sched/thread_area.c)
srcs-y += kernel/sched/thread_area.c
