/* Interrupt masking on bare-metal x86_64: the IF flag. */
#ifndef PLAT_IRQ_H
#define PLAT_IRQ_H

static inline unsigned long irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags)::"memory");
	return flags;
}

static inline void irq_restore(unsigned long flags)
{
	if (flags & (1ul << 9))
		__asm__ volatile("sti" ::: "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline int irq_enabled(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	return (flags >> 9) & 1;
}

void x86_tlb_service(void);

/* One round of waiting for a spinlock with interrupts off. With zones, a
 * CPU changes protection keys while it may hold a spinlock and waits for
 * every other CPU to flush its TLB: a CPU spinning here answers. */
static inline void plat_spin_wait(void)
{
	__builtin_ia32_pause();
#ifdef CONFIG_ZONE
	x86_tlb_service();
#endif
}

#endif
