/* The per-CPU pointer lives in gp: the kernel is linked without
 * gp-relative relaxation, so nothing else uses it, and reading it costs
 * nothing. Trap entry reloads it from the CPU's struct riscv_hart
 * (sscratch), which percpu_set() keeps in step. */
#ifndef PLAT_PERCPU_H
#define PLAT_PERCPU_H

#include <arch/trap.h>

static inline void *percpu_get(void)
{
	void *p;

	__asm__ volatile("mv %0, gp" : "=r"(p));
	return p;
}

static inline void percpu_set(void *p)
{
	struct riscv_hart *h;

	__asm__ volatile("csrr %0, sscratch" : "=r"(h));
	h->percpu = p;
	__asm__ volatile("mv gp, %0" ::"r"(p) : "memory");
}

#endif
