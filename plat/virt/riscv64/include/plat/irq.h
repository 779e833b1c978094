/* Interrupt masking on riscv64: sstatus.SIE. */
#ifndef PLAT_IRQ_H
#define PLAT_IRQ_H

#define SSTATUS_SIE_BIT 2ul

static inline unsigned long irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("csrrci %0, sstatus, 2" : "=r"(flags)::"memory");
	return flags;
}

static inline void irq_restore(unsigned long flags)
{
	if (flags & SSTATUS_SIE_BIT)
		__asm__ volatile("csrsi sstatus, 2" ::: "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("csrsi sstatus, 2" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("csrci sstatus, 2" ::: "memory");
}

static inline int irq_enabled(void)
{
	unsigned long flags;

	__asm__ volatile("csrr %0, sstatus" : "=r"(flags));
	return (flags & SSTATUS_SIE_BIT) != 0;
}

static inline void plat_spin_wait(void)
{
	__asm__ volatile(".insn i 0x0f, 0, x0, x0, 0x010" ::: "memory"); /* pause */
}

#endif
