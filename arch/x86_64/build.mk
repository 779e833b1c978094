srcs-y += arch/x86_64/sys_arch.c arch/x86_64/fault.c
srcs-$(CONFIG_ARCH_BAREMETAL) += arch/x86_64/cpu.c arch/x86_64/lapic.c arch/x86_64/paging.c arch/x86_64/trap.c \
	arch/x86_64/trap_entry.S arch/x86_64/tsc.c
