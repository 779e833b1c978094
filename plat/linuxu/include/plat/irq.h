/*
 * Interrupt masking on linuxu. Host signals play the part of interrupts; a
 * per-process flag plays the part of the CPU's interrupt flag, so masking
 * costs no host system call. A signal that arrives while masked is noted
 * and replayed when interrupts are enabled again.
 */
#ifndef PLAT_IRQ_H
#define PLAT_IRQ_H

extern volatile int linuxu_irq_on;
extern volatile int linuxu_irq_pending;
void linuxu_irq_replay(void);

static inline unsigned long irq_save(void)
{
	unsigned long was = linuxu_irq_on;

	linuxu_irq_on = 0;
	__asm__ volatile("" ::: "memory");
	return was;
}

static inline void irq_enable(void)
{
	__asm__ volatile("" ::: "memory");
	linuxu_irq_on = 1;
	if (linuxu_irq_pending)
		linuxu_irq_replay();
}

static inline void irq_restore(unsigned long flags)
{
	if (flags)
		irq_enable();
}

static inline void irq_disable(void)
{
	linuxu_irq_on = 0;
	__asm__ volatile("" ::: "memory");
}

static inline int irq_enabled(void)
{
	return linuxu_irq_on;
}

/* One round of waiting for a spinlock. */
static inline void plat_spin_wait(void)
{
	__builtin_ia32_pause();
}

#endif
