/* QEMU virt: what the platform's files share. */
#ifndef VIRT_H
#define VIRT_H

#include <stddef.h>
#include <stdint.h>

/* Where QEMU puts the device tree for an ELF image: the start of RAM. */
#define VIRT_DTB_ADDR 0x40000000ul

#define VIRT_MAX_CPUS 8

/* What the device tree told (fdt.c). */
struct virt_machine {
	uint64_t mem_base, mem_size;
	uintptr_t uart; /* PL011 */
	unsigned uart_irq;
	uintptr_t rtc;		      /* PL031 */
	uintptr_t gicd, gicc_or_gicr; /* distributor; CPU interface (v2) or redistributors (v3) */
	int gic_version;
	unsigned timer_irq; /* the virtual timer's INTID */
	const char *bootargs;
	int nvirtio;
	uintptr_t virtio_base[32];
	unsigned virtio_irq[32];
	unsigned ncpus;
	uint64_t cpu_mpidr[VIRT_MAX_CPUS]; /* the CPUs' affinities, in the tree's order */
	int psci_smc;			   /* PSCI through smc (else hvc) */
};
extern struct virt_machine virt;

void virt_fdt_parse(const void *fdt);
void virt_clock_init(void);
void virt_gic_init(void);
void virt_timer_irq(void);
/* This CPU's part of the interrupt controller (its CPU interface or
 * redistributor), on the boot CPU and on each CPU that starts. */
void virt_gic_init_cpu(unsigned cpu);

static inline uint32_t mmio_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

/* entry.S's calls, at EL1 with the MMU on: the boot CPU on the boot
 * stack, another CPU that PSCI started. */
void virt_boot(uint64_t boot_cycles);
struct virt_start;
void virt_secondary_main(struct virt_start *s);

#endif
