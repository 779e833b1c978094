/* QEMU virt on aarch64: what its files share beyond ../virt.h. */
#ifndef VIRT_AARCH64_H
#define VIRT_AARCH64_H

#include "../virt.h"

/* Where QEMU puts the device tree for an ELF image: the start of RAM. */
#define VIRT_DTB_ADDR 0x40000000ul

void virt_timer_irq(void);
/* This CPU's part of the interrupt controller (its CPU interface or
 * redistributor), on the boot CPU and on each CPU that starts. */
void virt_gic_init_cpu(unsigned cpu);

/* entry.S's call on a CPU that PSCI started, at EL1 with the MMU on. */
struct virt_start;
void virt_secondary_main(struct virt_start *s);

#endif
