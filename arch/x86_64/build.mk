srcs-y += arch/x86_64/sys_arch.c arch/x86_64/fault.c arch/x86_64/switch.S arch/x86_64/context.c \
	arch/x86_64/uaccess.S arch/x86_64/call_on_stack.S \
	arch/x86_64/syscall_cp.S
srcs-$(CONFIG_ARCH_BAREMETAL) += arch/x86_64/cpu.c arch/x86_64/lapic.c arch/x86_64/paging.c arch/x86_64/trap.c \
	arch/x86_64/trap_entry.S arch/x86_64/tsc.c arch/x86_64/gdt.c arch/x86_64/smp.c \
	arch/x86_64/ap_trampoline.S arch/x86_64/tlb.c arch/x86_64/ioapic.c
# In-kernel tests of the bare-metal parts, only in test images.
srcs-$(CONFIG_ZONE) += arch/x86_64/zone.c
arch-ktests-$(CONFIG_ARCH_BAREMETAL) := arch/x86_64/ktest_paging.c
srcs-$(CONFIG_KTEST) += $(arch-ktests-y)
cold-srcs += arch/x86_64/fault.c arch/x86_64/cpu.c arch/x86_64/gdt.c arch/x86_64/smp.c \
	arch/x86_64/ioapic.c arch/x86_64/paging.c arch/x86_64/tsc.c arch/x86_64/sys_arch.c
