/* QEMU virt on riscv64: what its files share beyond ../virt.h. */
#ifndef VIRT_RISCV64_H
#define VIRT_RISCV64_H

#include "../virt.h"

void virt_timer_irq(void);
/* This CPU's part of the PLIC and its interrupt enables (boot and each
 * started CPU). */
void virt_irq_init_cpu(unsigned cpu);

/* entry.S's call on a hart that SBI HSM started (MMU off). */
struct virt_start;
void virt_secondary_main(struct virt_start *s);

#endif
