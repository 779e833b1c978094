/* Private to plat/microvm. */
#ifndef PLAT_MICROVM_H
#define PLAT_MICROVM_H

#include <stdint.h>
#include <arch/smp.h>

void microvm_time_init(uint64_t tsc_hz);

/* 1 when the PVH memory map says [addr, addr + len) is RAM. */
int microvm_is_ram(uint64_t addr, uint64_t len);
/* entry_pvh.S's call, in long mode on the boot stack. */
void microvm_boot(uint32_t start_info_paddr);

/* Receive interrupts the serial console has taken (serial.c). */
extern unsigned microvm_serial_rx_irqs;

#define MICROVM_MAX_IOAPICS 4

/* The machine as the ACPI MADT describes it (acpi.c). */
struct microvm_madt {
	int found;			/* 0: no ACPI (acpi=off), the defaults below */
	unsigned ncpus;			/* 1 without ACPI */
	uint32_t apic_id[X86_MAX_CPUS]; /* [0] is the boot CPU, then MADT order */
	unsigned nioapics;		/* at least 1 (the default one) */
	struct {
		uint32_t base, gsi_base;
	} ioapic[MICROVM_MAX_IOAPICS];
	struct {
		uint32_t gsi;
		uint16_t flags; /* MPS INTI flags: polarity bits 0-1, trigger 2-3 */
		uint8_t valid;
	} isa[16]; /* interrupt source overrides of ISA IRQs */
};

extern struct microvm_madt microvm_madt;

/* Read the MADT (through the RSDP at rsdp_hint, else found by scanning) and
 * tell arch/ the CPUs' APIC ids. */
void microvm_acpi_init(uint64_t rsdp_hint, uint32_t boot_apic_id);

#endif
