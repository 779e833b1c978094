/* The GIC (version 2: distributor and CPU interface in memory). Device
 * interrupts (SPIs) go to CPU 0; the virtual timer's is a per-CPU PPI. */
#include <errno.h>
#include <kernel/panic.h>
#include <platform.h>
#include <arch/trap.h>

#include "virt.h"

#define GICD_CTLR 0x000
#define GICD_ISENABLER 0x100
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define MAX_IRQ 256
#define SPURIOUS 1020

static struct {
	void (*fn)(void *);
	void *arg;
} handlers[MAX_IRQ];

static void enable(unsigned irq)
{
	mmio_write32(virt.gicd + GICD_ISENABLER + irq / 32 * 4, 1u << (irq % 32));
}

void virt_gic_init(void)
{
	if (virt.gic_version != 2)
		panic("GICv%d: only GICv2 is supported (-M virt,gic-version=2)", virt.gic_version);
	mmio_write32(virt.gicd + GICD_CTLR, 1);
	mmio_write32(virt.gicc_or_gicr + GICC_PMR, 0xff);
	mmio_write32(virt.gicc_or_gicr + GICC_CTLR, 1);
	enable(virt.timer_irq);
}

int plat_irq_attach(unsigned irq, void (*handler)(void *arg), void *arg)
{
	if (irq < 32 || irq >= MAX_IRQ || handlers[irq].fn)
		return -EINVAL;
	handlers[irq].fn = handler;
	handlers[irq].arg = arg;
	*(volatile uint8_t *)(virt.gicd + GICD_ITARGETSR + irq) = 1; /* CPU 0 */
	*(volatile uint8_t *)(virt.gicd + GICD_IPRIORITYR + irq) = 0xa0;
	enable(irq);
	return 0;
}

void plat_irq_dispatch(void)
{
	uint32_t iar = mmio_read32(virt.gicc_or_gicr + GICC_IAR);
	unsigned irq = iar & 0x3ff;

	if (irq >= SPURIOUS)
		return;
	if (irq == virt.timer_irq)
		virt_timer_irq();
	else if (irq < MAX_IRQ && handlers[irq].fn)
		handlers[irq].fn(handlers[irq].arg);
	mmio_write32(virt.gicc_or_gicr + GICC_EOIR, iar);
}
