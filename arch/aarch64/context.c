/* The first stack frame of a new thread, as arch_context_switch() expects to
 * find it (switch.S), and the thread-pointer call of musl (aarch64 has no
 * Linux call for it: lib/musl/aarch64/syscall_arch.h). */
#include <stdint.h>
#include <arch.h>
#include <musl_offsets.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <platform.h>

extern const char arch_thread_trampoline[];

void *arch_context_init(void *stack_top, void (*entry)(struct thread *prev))
{
	uint64_t *sp = (uint64_t *)((uintptr_t)stack_top & ~15ul);

	sp -= 22; /* x19..x30, d8..d15, fpcr, fpsr: all zero but two */
	for (int i = 0; i < 22; i++)
		sp[i] = 0;
	sp[0] = (uint64_t)(uintptr_t)entry;		      /* x19 */
	sp[11] = (uint64_t)(uintptr_t)arch_thread_trampoline; /* x30 */
	return sp;
}

/* The thread pointer is part of the thread: the switch reloads it. @tp is
 * musl's TPIDR_EL0 value; the kernel keeps the block below it. */
static long sys_set_thread_area(void *tp)
{
	void *self = (char *)tp - MUSL_TP_ADJ;

	current_thread()->tls = self;
	plat_set_thread_pointer(self);
	return 0;
}

SYSCALL(set_thread_area, sys_set_thread_area);
