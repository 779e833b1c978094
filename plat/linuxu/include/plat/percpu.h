/* The per-CPU pointer on linuxu: one CPU, so one global. */
#ifndef PLAT_PERCPU_H
#define PLAT_PERCPU_H

extern void *linuxu_percpu;

static inline void *percpu_get(void)
{
	return linuxu_percpu;
}

static inline void percpu_set(void *p)
{
	linuxu_percpu = p;
}

#endif
