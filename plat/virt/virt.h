/* QEMU virt: what the platform's files share, on aarch64 and riscv64. */
#ifndef VIRT_H
#define VIRT_H

#include <stddef.h>
#include <stdint.h>

#define VIRT_MAX_CPUS 8

/* What the device tree told (fdt.c). */
struct virt_machine {
	uint64_t mem_base, mem_size;
	const void *fdt; /* the tree itself, kept out of the heap (boot.c) */
	uint32_t fdt_size;
	uintptr_t uart; /* PL011 (aarch64), NS16550A (riscv64) */
	unsigned uart_irq;
	uintptr_t rtc; /* PL031 (aarch64), Goldfish (riscv64) */
	const char *bootargs;
	int nvirtio;
	uintptr_t virtio_base[32];
	unsigned virtio_irq[32];
	unsigned ncpus;
	/* The CPUs' MPIDR affinities (aarch64) or hart ids (riscv64); the
	 * boot CPU first, then the others in the tree's order. */
	uint64_t cpu_id[VIRT_MAX_CPUS];
	/* aarch64 */
	uintptr_t gicd, gicc_or_gicr; /* distributor; CPU interface (v2) or redistributors (v3) */
	int gic_version;
	unsigned timer_irq; /* the virtual timer's INTID */
	int psci_smc;	    /* PSCI through smc (else hvc) */
	/* riscv64 */
	uintptr_t plic;
	unsigned plic_ndev;
	/* The PLIC context of each CPU's supervisor-mode external interrupt,
	 * from its interrupts-extended and the CPUs' interrupt controllers. */
	int plic_context[VIRT_MAX_CPUS];
	uint32_t cpu_intc_phandle[VIRT_MAX_CPUS];
	uintptr_t finisher;   /* SiFive test device: power-off with a status */
	uint64_t timebase_hz; /* rdtime's frequency */
	int sstc;	      /* the CPU has the stimecmp CSR */
};
extern struct virt_machine virt;

/* Parse the tree; @boot_id is the boot CPU's id (riscv64's hart id, which
 * need not be the first), or -1 when the first CPU in the tree booted. */
void virt_fdt_parse(const void *fdt, int64_t boot_id);

/* Each instruction set's part of the platform (plat/virt/<arch>/): */
/* This CPU's traps, before anything can fault (boot and each started CPU). */
void virt_cpu_early_init(unsigned cpu);
void virt_clock_init(void);
/* The interrupt controller (GIC, PLIC), for the boot CPU. */
void virt_irq_init(void);

static inline uint32_t mmio_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

/* The first instructions' call on the boot CPU, on the boot stack. */
void virt_boot(uint64_t boot_cycles, const void *fdt, int64_t boot_id);

#endif
