/* The GIC, version 2 (distributor and CPU interface in memory) or 3
 * (distributor, one redistributor per CPU, CPU interface in system
 * registers), as the device tree says. Device interrupts (SPIs) go to
 * CPU 0; the virtual timer's is a per-CPU PPI; SGI 1 is the IPI. */
#include <errno.h>
#include <kernel/panic.h>
#include <platform.h>
#include <arch/trap.h>

#include "virt_aarch64.h"

#define GICD_CTLR 0x000
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00
#define GICD_IROUTER 0x6000
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICR_STRIDE 0x20000
#define GICR_WAKER 0x14
#define GICR_SGI 0x10000 /* the SGI/PPI frame of a redistributor */
#define MAX_IRQ 256
#define SPURIOUS 1020
#define IPI_SGI 1

static struct {
	void (*fn)(void *);
	void *arg;
} handlers[MAX_IRQ];
static void (*ipi_handler)(void);

#define SYSREG_WRITE(name, v)                                                                      \
	__asm__ volatile("msr " name ", %0; isb" ::"r"((uint64_t)(v)) : "memory")

static uintptr_t gicr_of(unsigned cpu)
{
	return virt.gicc_or_gicr + cpu * GICR_STRIDE;
}

static void enable(unsigned irq)
{
	mmio_write32(virt.gicd + GICD_ISENABLER + irq / 32 * 4, 1u << (irq % 32));
}

void virt_gic_init_cpu(unsigned cpu)
{
	uint32_t ppis = 1u << virt.timer_irq | 1u << IPI_SGI;

	if (virt.gic_version == 2) {
		mmio_write32(virt.gicd + GICD_ISENABLER, ppis); /* banked per CPU */
		mmio_write32(virt.gicc_or_gicr + GICC_PMR, 0xff);
		mmio_write32(virt.gicc_or_gicr + GICC_CTLR, 1);
		return;
	}
	uintptr_t r = gicr_of(cpu);
	mmio_write32(r + GICR_WAKER, mmio_read32(r + GICR_WAKER) & ~2u);
	while (mmio_read32(r + GICR_WAKER) & 4u)
		;
	mmio_write32(r + GICR_SGI + GICD_IGROUPR, ~0u);
	mmio_write32(r + GICR_SGI + GICD_ISENABLER, ppis);
	SYSREG_WRITE("S3_0_C12_C12_5", 7);  /* ICC_SRE_EL1: system registers */
	SYSREG_WRITE("S3_0_C4_C6_0", 0xff); /* ICC_PMR_EL1 */
	SYSREG_WRITE("S3_0_C12_C12_7", 1);  /* ICC_IGRPEN1_EL1 */
}

void virt_irq_init(void)
{
	if (virt.gic_version != 2 && virt.gic_version != 3)
		panic("no GICv2 or GICv3 in the device tree");
	/* v3: affinity routing, group 1 on (security is off on virt) */
	mmio_write32(virt.gicd + GICD_CTLR, virt.gic_version == 3 ? 0x13 : 1);
	virt_gic_init_cpu(0);
}

int plat_irq_attach(unsigned irq, void (*handler)(void *arg), void *arg)
{
	if (irq < 32 || irq >= MAX_IRQ || handlers[irq].fn)
		return -EINVAL;
	handlers[irq].fn = handler;
	handlers[irq].arg = arg;
	*(volatile uint8_t *)(virt.gicd + GICD_IPRIORITYR + irq) = 0xa0;
	if (virt.gic_version == 2) {
		*(volatile uint8_t *)(virt.gicd + GICD_ITARGETSR + irq) = 1; /* CPU 0 */
	} else {
		mmio_write32(virt.gicd + GICD_IGROUPR + irq / 32 * 4,
			     mmio_read32(virt.gicd + GICD_IGROUPR + irq / 32 * 4) |
				 1u << (irq % 32));
		*(volatile uint64_t *)(virt.gicd + GICD_IROUTER + irq * 8) = virt.cpu_id[0];
	}
	enable(irq);
	return 0;
}

void plat_ipi_set_handler(void (*handler)(void))
{
	__atomic_store_n(&ipi_handler, handler, __ATOMIC_RELEASE);
}

void plat_ipi_send(unsigned cpu)
{
	__asm__ volatile("dsb ishst" ::: "memory");
	if (virt.gic_version == 2) {
		mmio_write32(virt.gicd + GICD_SGIR, (1u << (16 + cpu)) | IPI_SGI);
		return;
	}
	uint64_t m = virt.cpu_id[cpu];
	/* ICC_SGI1R_EL1: Aff3.Aff2.Aff1 of the target, its Aff0 as a bit */
	uint64_t v = ((m >> 32) & 0xff) << 48 | ((m >> 16) & 0xff) << 32 | ((m >> 8) & 0xff) << 16 |
		     (uint64_t)IPI_SGI << 24 | 1u << (m & 0xf);
	SYSREG_WRITE("S3_0_C12_C11_5", v);
}

static void dispatch(unsigned irq)
{
	if (irq == virt.timer_irq) {
		virt_timer_irq();
	} else if (irq < 16) {
		void (*h)(void) = __atomic_load_n(&ipi_handler, __ATOMIC_ACQUIRE);
		if (h)
			h();
	} else if (irq < MAX_IRQ && handlers[irq].fn) {
		handlers[irq].fn(handlers[irq].arg);
	}
}

void plat_irq_dispatch(void)
{
	uint64_t iar;

	if (virt.gic_version == 2)
		iar = mmio_read32(virt.gicc_or_gicr + GICC_IAR);
	else
		__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar)); /* ICC_IAR1_EL1 */
	unsigned irq = iar & 0x3ff;
	if (irq >= SPURIOUS)
		return;
	dispatch(irq);
	if (virt.gic_version == 2)
		mmio_write32(virt.gicc_or_gicr + GICC_EOIR, (uint32_t)iar);
	else
		SYSREG_WRITE("S3_0_C12_C12_1", iar); /* ICC_EOIR1_EL1 */
}
