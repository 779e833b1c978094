/* Interrupt masking on aarch64: the I bit of DAIF (IRQs; FIQs are unused). */
#ifndef PLAT_IRQ_H
#define PLAT_IRQ_H

#define DAIF_I (1ul << 7)

static inline unsigned long irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif; msr daifset, #2" : "=r"(flags)::"memory");
	return flags;
}

static inline void irq_restore(unsigned long flags)
{
	if (!(flags & DAIF_I))
		__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

static inline int irq_enabled(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif" : "=r"(flags));
	return !(flags & DAIF_I);
}

static inline void plat_spin_wait(void)
{
	__asm__ volatile("yield" ::: "memory");
}

#endif
