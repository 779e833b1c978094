/* The I/O APIC (82093AA and its emulations): an index register and a data
 * window; redirection entry n is the register pair 0x10 + 2n (low: vector,
 * trigger, polarity, mask; high: destination APIC id in bits 24..31). The
 * pair select/access must not interleave between CPUs, hence the lock. */
#include <stdint.h>
#include <arch/ioapic.h>
#include <kernel/spinlock.h>

#define IOREGSEL 0x00
#define IOWIN 0x10
#define REG_VER 0x01
#define REG_REDIR_LO(pin) (0x10 + 2 * (pin))
#define REG_REDIR_HI(pin) (0x11 + 2 * (pin))

#define REDIR_ACTIVE_LOW (1u << 13)
#define REDIR_LEVEL (1u << 15)
#define REDIR_MASKED (1u << 16)

static spinlock_t lock = SPINLOCK_INIT;

static uint32_t ioapic_read(uintptr_t base, unsigned reg)
{
	*(volatile uint32_t *)(base + IOREGSEL) = reg;
	return *(volatile uint32_t *)(base + IOWIN);
}

static void ioapic_write(uintptr_t base, unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(base + IOREGSEL) = reg;
	*(volatile uint32_t *)(base + IOWIN) = v;
}

unsigned ioapic_pins(uintptr_t base)
{
	unsigned long flags = spin_lock_irqsave(&lock);
	uint32_t ver = ioapic_read(base, REG_VER);

	spin_unlock_irqrestore(&lock, flags);
	return (ver >> 16 & 0xff) + 1; /* bits 16..23: highest entry */
}

/* Destination first, while the entry is still masked (as at reset), then
 * the low half, which unmasks it. */
void ioapic_route(uintptr_t base, unsigned pin, unsigned vector, uint32_t apic_id, unsigned flags)
{
	uint32_t lo = (vector & 0xff) | (flags & IOAPIC_LEVEL ? REDIR_LEVEL : 0) |
		      (flags & IOAPIC_ACTIVE_LOW ? REDIR_ACTIVE_LOW : 0); /* fixed, physical */
	unsigned long irq = spin_lock_irqsave(&lock);

	ioapic_write(base, REG_REDIR_LO(pin), REDIR_MASKED);
	ioapic_write(base, REG_REDIR_HI(pin), apic_id << 24);
	ioapic_write(base, REG_REDIR_LO(pin), lo);
	spin_unlock_irqrestore(&lock, irq);
}

void ioapic_mask(uintptr_t base, unsigned pin)
{
	unsigned long irq = spin_lock_irqsave(&lock);

	ioapic_write(base, REG_REDIR_LO(pin), ioapic_read(base, REG_REDIR_LO(pin)) | REDIR_MASKED);
	spin_unlock_irqrestore(&lock, irq);
}
