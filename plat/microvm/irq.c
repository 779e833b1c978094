/* Device interrupts on microvm: lines of the I/O APIC(s) the MADT lists,
 * each routed to vector IRQ_VECTOR_DEVICE + GSI on CPU 0.
 *
 * Which line and how it signals:
 *  - irq < 16 is an ISA IRQ: GSI and flags from the MADT's interrupt source
 *    override when there is one (QEMU has one for the PIT: IRQ 0 -> GSI 2),
 *    else the same GSI, edge-triggered, active high (ISA's rules). The
 *    16550 is IRQ 4.
 *  - irq >= 16 is a GSI. On microvm these are the virtio-mmio transports:
 *    GSI 16..23 with ACPI and one I/O APIC, GSI 24..47 on the second I/O
 *    APIC (QEMU's default, ioapic2=on) (hw/i386/microvm.c). QEMU's DSDT
 *    declares them level-triggered, active high (acpi-microvm.c), unlike
 *    PCI's active low; that is what they get here. (Without ACPI, QEMU puts
 *    them on GSI 5..12, which then count as ISA lines: edge, active high.)
 * A level-triggered handler must make its device drop the line before it
 * returns: the trap layer's EOI re-arms the line at once. */
#include <errno.h>
#include <arch/ioapic.h>
#include <arch/trap.h>
#include <kernel/spinlock.h>
#include <platform.h>

#include "microvm.h"

#define INTI_POLARITY_LOW 0x3
#define INTI_TRIGGER_LEVEL 0xc

static struct {
	void (*fn)(void *arg);
	void *arg;
} lines[IRQ_DEVICE_LINES];
static spinlock_t lock = SPINLOCK_INIT;

static void line_irq(struct trap_frame *frame)
{
	unsigned gsi = frame->vector - IRQ_VECTOR_DEVICE;

	if (gsi < IRQ_DEVICE_LINES && lines[gsi].fn)
		lines[gsi].fn(lines[gsi].arg);
}

/* The GSI of line @irq and how it signals (the rules at the top). */
static unsigned line_flags(unsigned irq, unsigned *gsi)
{
	*gsi = irq;
	if (irq >= 16)
		return IOAPIC_LEVEL | IOAPIC_ACTIVE_HIGH;
	if (!microvm_madt.isa[irq].valid)
		return IOAPIC_EDGE | IOAPIC_ACTIVE_HIGH;
	uint16_t inti = microvm_madt.isa[irq].flags;
	*gsi = microvm_madt.isa[irq].gsi;
	return ((inti & INTI_TRIGGER_LEVEL) == INTI_TRIGGER_LEVEL ? IOAPIC_LEVEL : IOAPIC_EDGE) |
	       ((inti & INTI_POLARITY_LOW) == INTI_POLARITY_LOW ? IOAPIC_ACTIVE_LOW : 0);
}

/* The I/O APIC that has @gsi, and its pin there; 0 when none has. Pin
 * counts are read from the chips once, when first needed. */
static uintptr_t ioapic_of(unsigned gsi, unsigned *pin)
{
	static unsigned pins[MICROVM_MAX_IOAPICS];

	for (unsigned i = 0; i < microvm_madt.nioapics; i++) {
		uint32_t base = microvm_madt.ioapic[i].base,
			 first = microvm_madt.ioapic[i].gsi_base;
		if (gsi < first)
			continue;
		if (!pins[i])
			pins[i] = ioapic_pins(base);
		if (gsi - first < pins[i]) {
			*pin = gsi - first;
			return base;
		}
	}
	return 0;
}

int plat_irq_attach(unsigned irq, void (*handler)(void *arg), void *arg)
{
	unsigned gsi, pin, flags;

	if (!handler || irq >= IRQ_DEVICE_LINES)
		return -EINVAL;
	flags = line_flags(irq, &gsi);
	uintptr_t base = gsi < IRQ_DEVICE_LINES ? ioapic_of(gsi, &pin) : 0;
	if (!base)
		return -EINVAL;
	unsigned long irqf = spin_lock_irqsave(&lock);
	int taken = lines[gsi].fn != NULL;
	if (!taken) {
		lines[gsi].fn = handler;
		lines[gsi].arg = arg;
	}
	spin_unlock_irqrestore(&lock, irqf);
	if (taken)
		return -EINVAL;
	arch_irq_register(IRQ_VECTOR_DEVICE + gsi, line_irq);
	ioapic_route(base, pin, IRQ_VECTOR_DEVICE + gsi, microvm_madt.apic_id[0], flags);
	return 0;
}
