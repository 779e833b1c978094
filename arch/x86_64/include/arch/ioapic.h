/* The I/O APIC: routes device interrupt lines to a CPU's local APIC. */
#ifndef ARCH_IOAPIC_H
#define ARCH_IOAPIC_H

#include <stdint.h>

#define IOAPIC_DEFAULT_BASE 0xfec00000u

/* Trigger and polarity of a line (flags of ioapic_route()). */
#define IOAPIC_EDGE 0
#define IOAPIC_LEVEL 0x1
#define IOAPIC_ACTIVE_HIGH 0
#define IOAPIC_ACTIVE_LOW 0x2

/* Number of input pins of the I/O APIC at physical address @base. */
unsigned ioapic_pins(uintptr_t base);

/* Deliver pin @pin as fixed interrupt @vector to the CPU with APIC id
 * @apic_id (physical destination), unmasked. */
void ioapic_route(uintptr_t base, unsigned pin, unsigned vector, uint32_t apic_id, unsigned flags);

/* Stop delivering pin @pin. */
void ioapic_mask(uintptr_t base, unsigned pin);

#endif
