/* The first stack frame of a new thread, as arch_context_switch() expects to
 * find it (switch.S). */
#include <stdint.h>
#include <arch.h>
#include <kernel/sched.h>

extern const char arch_thread_trampoline[];

#define FRAME_WORDS 26 /* ra, s0-s11, fs0-fs11, fcsr */

void *arch_context_init(void *stack_top, void (*entry)(struct thread *prev))
{
	uint64_t *sp = (uint64_t *)((uintptr_t)stack_top & ~15ul);

	sp -= FRAME_WORDS;
	for (int i = 0; i < FRAME_WORDS; i++)
		sp[i] = 0;
	sp[0] = (uint64_t)(uintptr_t)arch_thread_trampoline; /* ra */
	sp[2] = (uint64_t)(uintptr_t)entry;		     /* s1 */
	return sp;
}
