/* The first stack frame of a new thread, as arch_context_switch() expects to
 * find it (switch.S). */
#include <stdint.h>
#include <arch.h>
#include <kernel/sched.h>

extern const char arch_thread_trampoline[];

#define MXCSR_DEFAULT 0x1f80 /* all SSE exceptions masked, round to nearest */
#define FCW_DEFAULT 0x037f   /* x87: all exceptions masked, 64-bit precision */

void *arch_context_init(void *stack_top, void (*entry)(struct thread *prev))
{
	uint64_t *sp = (uint64_t *)((uintptr_t)stack_top & ~15ul);

	*--sp = 0;				  /* keeps the trampoline's frame aligned */
	*--sp = (uint64_t)arch_thread_trampoline; /* ret */
	*--sp = 0;				  /* rbp */
	*--sp = 0;				  /* rbx */
	*--sp = (uint64_t)(uintptr_t)entry;	  /* r12 */
	*--sp = 0;				  /* r13 */
	*--sp = 0;				  /* r14 */
	*--sp = 0;				  /* r15 */
	*--sp = MXCSR_DEFAULT | (uint64_t)FCW_DEFAULT << 32;
	return sp;
}
