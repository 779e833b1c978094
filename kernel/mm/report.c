/* How the kernel reports allocator misuse and damage (host tests supply
 * their own). Misuse is reported by the thread that made it: a panic, which
 * in a thread with interrupts on ends that thread alone with the message
 * in its fault record ("double free of 0x..."). Damage found while a
 * crashed thread's heap is taken back goes into that thread's record.
 */
#include <stdio.h>
#include <kernel/fault.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include "mm_internal.h"

void mm_corruption(const char *what, const void *p)
{
	panic("%s of 0x%lx", what, (unsigned long)p);
}

/* A thread that exited normally has no record: the console says it. */
void mm_heap_damaged(int owner_id, size_t bytes, unsigned int overflows)
{
	char over[24] = "";

	if (overflows)
		snprintf(over, sizeof(over), ", %u overflows", overflows);
	if (fault_note(owner_id, "heap damaged: %zu bytes quarantined%s", bytes, over) < 0)
		log_warn("thread %d left its heap damaged: %zu bytes quarantined%s", owner_id,
			 bytes, over);
}
