/* Where microvm's virtio-mmio transports are. A PVH kernel gets no list of
 * them (Linux takes "virtio_mmio.device=" options from QEMU's command line
 * only when booted as a Linux kernel), so the layout is QEMU's fixed one
 * (hw/i386/microvm.c): slots of 512 bytes from 0xfeb00000, and
 *  - with a second I/O APIC (QEMU's default with ACPI, ioapic2=on, which
 *    the MADT shows as an I/O APIC whose first GSI is 24): 24 slots on
 *    GSI 24..47;
 *  - with ACPI and one I/O APIC: 8 slots on GSI 16..23;
 *  - without ACPI: 8 slots on GSI 5..12.
 * QEMU fills slots from the top: the first -device goes to the last slot. */
#include <platform.h>

#include "microvm.h"

#define VIRTIO_MMIO_BASE 0xfeb00000u
#define VIRTIO_MMIO_SLOT 0x200u
#define IOAPIC2_GSI_BASE 24
#define IOAPIC2_SLOTS 24
#define LEGACY_SLOTS 8

static int has_ioapic2(void)
{
	for (unsigned i = 0; i < microvm_madt.nioapics; i++)
		if (microvm_madt.ioapic[i].gsi_base == IOAPIC2_GSI_BASE)
			return 1;
	return 0;
}

int plat_virtio_mmio_foreach(void (*fn)(uintptr_t base, unsigned irq, void *arg), void *arg)
{
	unsigned slots = LEGACY_SLOTS, gsi = microvm_madt.found ? 16 : 5;

	if (microvm_madt.found && has_ioapic2()) {
		slots = IOAPIC2_SLOTS;
		gsi = IOAPIC2_GSI_BASE;
	}
	for (unsigned i = 0; i < slots; i++)
		fn(VIRTIO_MMIO_BASE + i * VIRTIO_MMIO_SLOT, gsi + i, arg);
	return slots;
}
