/* Host unit tests run without interrupts: masking them is a no-op. */
#ifndef PLAT_IRQ_H
#define PLAT_IRQ_H

static inline unsigned long irq_save(void)
{
	return 0;
}

static inline void irq_restore(unsigned long flags)
{
	(void)flags;
}

static inline void irq_enable(void)
{
}

static inline void irq_disable(void)
{
}

/* One round of waiting for a spinlock. */
static inline void plat_spin_wait(void)
{
	__builtin_ia32_pause();
}

#endif
