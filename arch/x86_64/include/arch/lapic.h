/* The local APIC: timer, end-of-interrupt, inter-processor interrupts. */
#ifndef ARCH_LAPIC_H
#define ARCH_LAPIC_H

#include <stdint.h>

/* Enable the local APIC (x2APIC mode when the CPU has it) and its timer on
 * vector IRQ_VECTOR_TIMER. tsc_hz is the calibrated TSC frequency. */
void lapic_init(uint64_t tsc_hz);

/* The same on another CPU, after lapic_init() ran on the boot CPU (the mode
 * and the one-shot calibration are shared). */
void lapic_init_ap(void);

/* This CPU's APIC id. */
uint32_t lapic_id(void);

/* Fire the timer interrupt once when the TSC reaches tsc_deadline (0:
 * cancel). Uses TSC-deadline mode where present, one-shot counts otherwise. */
void lapic_timer_arm_tsc(uint64_t tsc_deadline);

void lapic_eoi(void);

/* Send a fixed interrupt @vector to the CPU with APIC id @apic_id: one MSR
 * write in x2APIC mode. Callable with interrupts on or off. */
void lapic_send_ipi(uint32_t apic_id, unsigned vector);

/* The start-up messages of the INIT-SIPI-SIPI sequence. */
void lapic_send_init(uint32_t apic_id);
void lapic_send_sipi(uint32_t apic_id, unsigned page_number);

#endif
