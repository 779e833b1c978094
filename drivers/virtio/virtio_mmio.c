/* The virtio-mmio transport, modern layout (virtio 1.2 section 4.2.2):
 * finding devices, the status handshake, feature negotiation, configuration
 * space and the interrupt. Queues are in virtqueue.c.
 *
 * Every register access is a VM exit (microseconds under KVM), so nothing
 * here runs per request: the interrupt handler reads one register
 * (InterruptStatus) and writes one (InterruptACK). */
#include <errno.h>
#include <string.h>
#include <kernel/log.h>
#include <kernel/mm.h>
#include <platform.h>

#include "virtio.h"
#include "virtio_mmio.h"

#define MAX_SLOTS 32

/* Status bits (section 2.1). */
#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8
#define STATUS_FAILED 128

#define INT_USED_BUFFER 1
#define INT_CONFIG_CHANGE 2

static struct slot {
	uintptr_t base;
	unsigned irq;
	uint32_t device_id;
	int taken;
} slots[MAX_SLOTS];
static unsigned nslots;
static int scanned;

/* One read per slot: an empty slot (QEMU's "virt" magic with device id 0)
 * or no device at all (reads as 0) both have id 0; the magic and version
 * are checked only where there is a device. Runs in start-up hooks, one at
 * a time, so the list needs no lock. */
static void scan_slot(uintptr_t base, unsigned irq, void *arg)
{
	(void)arg;
	if (nslots == MAX_SLOTS || !mmio_read32(base, VIRTIO_MMIO_DEVICE_ID))
		return;
	if (mmio_read32(base, VIRTIO_MMIO_MAGIC) != VIRTIO_MMIO_MAGIC_VALUE)
		return;
	slots[nslots].base = base;
	slots[nslots].irq = irq;
	slots[nslots].device_id = mmio_read32(base, VIRTIO_MMIO_DEVICE_ID);
	nslots++;
}

int virtio_probe_each(const struct virtio_driver *drv)
{
	int ok = 0;

	if (!scanned) {
		scanned = 1;
		plat_virtio_mmio_foreach(scan_slot, NULL);
		log_debug("virtio: %u devices", nslots);
	}
	/* Last slot first: QEMU fills slots from the top, so this is the
	 * order of the -device options, and the first disk is vda. */
	for (unsigned i = nslots; i-- > 0;) {
		struct slot *s = &slots[i];
		if (s->taken || s->device_id != drv->device_id)
			continue;
		/* Lives as long as the machine: the kernel's heap, not the
		 * start-up thread's. */
		struct virtio_dev *dev = mm_heap_alloc(mm_kernel_heap(), sizeof(*dev));
		if (!dev) {
			log_error("virtio: %s at %#lx: out of memory", drv->name, s->base);
			continue;
		}
		memset(dev, 0, sizeof(*dev));
		dev->base = s->base;
		dev->irq = s->irq;
		dev->device_id = s->device_id;
		s->taken = 1;
		if (drv->probe(dev) == 0)
			ok++;
		/* A failed device keeps its record: its interrupt may be routed. */
	}
	return ok;
}

static void set_status(struct virtio_dev *dev, uint32_t bits)
{
	uint32_t s = mmio_read32(dev->base, VIRTIO_MMIO_STATUS);

	mmio_write32(dev->base, VIRTIO_MMIO_STATUS, s | bits);
}

static uint64_t device_features(struct virtio_dev *dev)
{
	uint64_t f = 0;

	for (uint32_t sel = 0; sel < 2; sel++) {
		mmio_write32(dev->base, VIRTIO_MMIO_DEVICE_FEATURES_SEL, sel);
		f |= (uint64_t)mmio_read32(dev->base, VIRTIO_MMIO_DEVICE_FEATURES) << (32 * sel);
	}
	return f;
}

/* Section 3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, and
 * read FEATURES_OK back: the device clears it when it cannot work with
 * the subset we chose. */
int virtio_begin(struct virtio_dev *dev, uint64_t wanted)
{
	if (mmio_read32(dev->base, VIRTIO_MMIO_VERSION) != 2)
		return -ENODEV; /* legacy: QEMU without force-legacy=false */
	mmio_write32(dev->base, VIRTIO_MMIO_STATUS, 0);
	set_status(dev, STATUS_ACKNOWLEDGE);
	set_status(dev, STATUS_DRIVER);
	uint64_t offered = device_features(dev);
	if (!(offered & VIRTIO_BIT(VIRTIO_F_VERSION_1)))
		return -ENODEV;
	dev->features = offered & (wanted | VIRTIO_BIT(VIRTIO_F_VERSION_1));
	for (uint32_t sel = 0; sel < 2; sel++) {
		mmio_write32(dev->base, VIRTIO_MMIO_DRIVER_FEATURES_SEL, sel);
		mmio_write32(dev->base, VIRTIO_MMIO_DRIVER_FEATURES,
			     (uint32_t)(dev->features >> (32 * sel)));
	}
	set_status(dev, STATUS_FEATURES_OK);
	if (!(mmio_read32(dev->base, VIRTIO_MMIO_STATUS) & STATUS_FEATURES_OK))
		return -EIO;
	return 0;
}

void virtio_ready(struct virtio_dev *dev)
{
	set_status(dev, STATUS_DRIVER_OK);
}

void virtio_fail(struct virtio_dev *dev, const char *why, int err)
{
	set_status(dev, STATUS_FAILED);
	log_error("virtio: device %u at %#lx failed: %s (%d); skipped", dev->device_id,
		  (unsigned long)dev->base, why, err);
}

/* Section 4.2.2.2: a configuration that changes while we read it shows as
 * a new generation; read again until a read sees one generation. */
uint64_t virtio_config_read64(struct virtio_dev *dev, unsigned offset)
{
	uint32_t gen, lo, hi;

	do {
		gen = mmio_read32(dev->base, VIRTIO_MMIO_CONFIG_GENERATION);
		lo = mmio_read32(dev->base, VIRTIO_MMIO_CONFIG + offset);
		hi = mmio_read32(dev->base, VIRTIO_MMIO_CONFIG + offset + 4);
	} while (gen != mmio_read32(dev->base, VIRTIO_MMIO_CONFIG_GENERATION));
	return (uint64_t)hi << 32 | lo;
}

void virtio_config_read(struct virtio_dev *dev, unsigned offset, void *buf, unsigned len)
{
	uint8_t *p = buf;
	uint32_t gen;

	do {
		gen = mmio_read32(dev->base, VIRTIO_MMIO_CONFIG_GENERATION);
		for (unsigned i = 0; i < len; i++)
			p[i] = mmio_read8(dev->base, VIRTIO_MMIO_CONFIG + offset + i);
	} while (gen != mmio_read32(dev->base, VIRTIO_MMIO_CONFIG_GENERATION));
}

/* A field of up to 32 bits is read in one access: atomic without the
 * generation. */
uint32_t virtio_config_read32(struct virtio_dev *dev, unsigned offset)
{
	return mmio_read32(dev->base, VIRTIO_MMIO_CONFIG + offset);
}

uint16_t virtio_config_read16(struct virtio_dev *dev, unsigned offset)
{
	return mmio_read16(dev->base, VIRTIO_MMIO_CONFIG + offset);
}

/* The line is level-triggered: acknowledge before returning, or the EOI
 * brings the interrupt straight back. Configuration changes go to the
 * driver's config_fn; without one (a resized disk) they are only
 * acknowledged. */
static void transport_irq(void *arg)
{
	struct virtio_dev *dev = arg;
	uint32_t isr = mmio_read32(dev->base, VIRTIO_MMIO_INTERRUPT_STATUS);

	if (!isr)
		return; /* shared or spurious */
	mmio_write32(dev->base, VIRTIO_MMIO_INTERRUPT_ACK, isr);
	if (isr & INT_USED_BUFFER)
		dev->irq_fn(dev->irq_arg);
	if ((isr & INT_CONFIG_CHANGE) && dev->config_fn)
		dev->config_fn(dev->irq_arg);
}

int virtio_irq_attach(struct virtio_dev *dev, void (*fn)(void *arg), void *arg)
{
	dev->irq_fn = fn;
	dev->irq_arg = arg;
	return plat_irq_attach(dev->irq, transport_irq, dev);
}
