/* The per-CPU pointer on bare-metal x86_64: %gs base points at the CPU's
 * own struct, whose first word points at itself, so one %gs-relative load
 * finds it. Zero before the scheduler sets it. */
#ifndef PLAT_PERCPU_H
#define PLAT_PERCPU_H

#include <stdint.h>

static inline void *percpu_get(void)
{
	void *p;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(p));
	return p;
}

/* @p must start with a pointer to itself. */
static inline void percpu_set(void *p)
{
	uint64_t v = (uint64_t)(uintptr_t)p;

	__asm__ volatile("wrmsr" ::"c"(0xc0000101u), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

#endif
