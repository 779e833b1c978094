/* virtio-mmio registers (virtio 1.2 section 4.2.2, version 2 layout) and
 * their accessors. Private to drivers/virtio. */
#ifndef DRIVERS_VIRTIO_MMIO_H
#define DRIVERS_VIRTIO_MMIO_H

#include <stdint.h>
#include <arch.h>

#define VIRTIO_MMIO_MAGIC 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976 /* "virt", little-endian */

/* Plain 32-bit accesses: the transport requires them aligned and whole.
 * Volatile keeps the compiler from merging or reordering them; x86 keeps
 * uncached device accesses in program order with other memory accesses. */
static inline uint32_t mmio_read32(uintptr_t base, unsigned off)
{
	uint32_t v = *(volatile uint32_t *)(base + off);

	arch_io_after_read();
	return v;
}

/* Narrower reads, for device configuration fields of that width (section
 * 4.2.2.2: a field is read with an access of its own size). */
static inline uint8_t mmio_read8(uintptr_t base, unsigned off)
{
	return *(volatile uint8_t *)(base + off);
}

static inline uint16_t mmio_read16(uintptr_t base, unsigned off)
{
	return *(volatile uint16_t *)(base + off);
}

static inline void mmio_write32(uintptr_t base, unsigned off, uint32_t v)
{
	arch_io_before_write();
	*(volatile uint32_t *)(base + off) = v;
}

#endif
