/* The local APIC: timer, end-of-interrupt, inter-processor interrupts. */
#ifndef ARCH_LAPIC_H
#define ARCH_LAPIC_H

#include <stdint.h>

/* Enable the local APIC (x2APIC mode when the CPU has it) and its timer on
 * vector IRQ_VECTOR_TIMER. tsc_hz is the calibrated TSC frequency. */
void lapic_init(uint64_t tsc_hz);

/* Fire the timer interrupt once when the TSC reaches tsc_deadline (0:
 * cancel). Uses TSC-deadline mode where present, one-shot counts otherwise. */
void lapic_timer_arm_tsc(uint64_t tsc_deadline);

void lapic_eoi(void);

#endif
