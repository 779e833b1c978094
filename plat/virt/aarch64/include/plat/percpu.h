/* The per-CPU pointer lives in TPIDR_EL1, which the application's thread
 * pointer (TPIDR_EL0) never touches. */
#ifndef PLAT_PERCPU_H
#define PLAT_PERCPU_H

static inline void *percpu_get(void)
{
	void *p;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(p));
	return p;
}

static inline void percpu_set(void *p)
{
	__asm__ volatile("msr tpidr_el1, %0" ::"r"(p) : "memory");
}

#endif
