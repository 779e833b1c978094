/* The first stack frame of a new thread, as arch_context_switch() expects to
 * find it (switch.S). */
#include <stdint.h>
#include <arch.h>
#include <kernel/sched.h>

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
