/*
 * The virtio-mmio transport (virtio 1.x, "modern" register layout, version
 * 2) and split virtqueues, for the device drivers in this folder. Private to
 * drivers/virtio.
 *
 * A driver's start-up hook (INITCALL_DRIVER) calls virtio_probe_each(),
 * which calls the driver's probe for every device with its id. The probe
 * brings the device up:
 *
 *     virtio_begin(dev, wanted features)    reset, ACKNOWLEDGE, DRIVER, features
 *     vq_setup(dev, &vq, 0, max size)       each queue
 *     virtio_irq_attach(dev, fn, arg)
 *     virtio_ready(dev)                     DRIVER_OK
 *
 * and on any error calls virtio_fail(), which marks the device FAILED and
 * logs why; the transport then skips it.
 *
 * Memory is identity mapped on the machines that have virtio-mmio, so a
 * buffer's address is its bus address and a contiguous buffer is one
 * segment, whatever its length.
 */
#ifndef DRIVERS_VIRTIO_H
#define DRIVERS_VIRTIO_H

#include <stdint.h>

/* Device ids (virtio 1.2 section 5). */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3

/* Device-independent feature bits. */
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32

#define VIRTIO_BIT(f) (1ull << (f))

struct virtio_dev {
	uintptr_t base; /* the transport's registers */
	unsigned irq;
	uint32_t device_id;
	uint64_t features;	   /* negotiated */
	void (*irq_fn)(void *arg); /* the driver's: a used buffer arrived */
	/* The driver's, optional, set before virtio_irq_attach(): the device
	 * changed its configuration (a network link went up or down). */
	void (*config_fn)(void *arg);
	void *irq_arg;
};

/* ---- split virtqueue layout (virtio 1.2 section 2.7) */

#define VQ_DESC_F_NEXT 1
#define VQ_DESC_F_WRITE 2 /* device writes this buffer */
#define VQ_AVAIL_F_NO_INTERRUPT 1
#define VQ_USED_F_NO_NOTIFY 1

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[]; /* then used_event (EVENT_IDX) */
};

struct vq_used_elem {
	uint32_t id;  /* head of the chain */
	uint32_t len; /* bytes the device wrote */
};

struct vq_used {
	uint16_t flags;
	uint16_t idx;
	struct vq_used_elem ring[]; /* then avail_event (EVENT_IDX) */
};

/* One queue. The caller serializes every vq_* call on one queue (the
 * driver's lock, taken with interrupts off, since its interrupt handler
 * collects used buffers). */
struct vq {
	struct virtio_dev *dev;
	unsigned index;
	uint16_t size;
	uint16_t num_free;
	uint16_t free_head;    /* free descriptors, chained through next */
	uint16_t avail_idx;    /* our copy of avail->idx */
	uint16_t notified_idx; /* avail_idx at the last notification decision */
	uint16_t last_used;    /* used->idx we have consumed up to */
	int event_idx;
	struct vq_desc *desc;
	struct vq_avail *avail;
	struct vq_used *used;
	void **cookie; /* per head descriptor: the caller's request */
};

/* A piece of a request: the device reads it (out) or writes it (in). */
struct vq_buf {
	const void *addr;
	uint32_t len;
	int device_writes;
};

/* ---- the transport */

struct virtio_driver {
	const char *name;
	uint32_t device_id;
	/* Bring @dev up. @retval 0 it is running; negative errno: failed
	 * (the driver has called virtio_fail()). */
	int (*probe)(struct virtio_dev *dev);
};

/* Call drv->probe for every device with drv->device_id that no driver has
 * taken yet; a driver calls it from its INITCALL_DRIVER hook. The first
 * call finds the devices (plat_virtio_mmio_foreach(), one register read
 * per slot), later ones reuse the list.
 * @retval number of devices that probed successfully */
int virtio_probe_each(const struct virtio_driver *drv);

/* Reset @dev and negotiate features: VIRTIO_F_VERSION_1 and those of
 * @wanted that the device offers end up in dev->features.
 * @retval 0 FEATURES_OK accepted
 * @retval -ENODEV not a modern (version 2, VERSION_1) device
 * @retval -EIO the device refused the features */
int virtio_begin(struct virtio_dev *dev, uint64_t wanted);

/* DRIVER_OK: the device may use its queues. */
void virtio_ready(struct virtio_dev *dev);

/* Mark @dev FAILED and say why; the driver gives it up. */
void virtio_fail(struct virtio_dev *dev, const char *why, int err);

/* Device configuration space, read consistently (generation counter), each
 * field with an access of its own width. virtio_config_read() reads @len
 * bytes one at a time (a byte array such as a MAC address). */
uint16_t virtio_config_read16(struct virtio_dev *dev, unsigned offset);
uint32_t virtio_config_read32(struct virtio_dev *dev, unsigned offset);
uint64_t virtio_config_read64(struct virtio_dev *dev, unsigned offset);
void virtio_config_read(struct virtio_dev *dev, unsigned offset, void *buf, unsigned len);

/* Route @dev's interrupt: fn(arg) runs, interrupts off, after the transport
 * has acknowledged a used-buffer interrupt; dev->config_fn(arg), if set,
 * after a configuration-change interrupt.
 * @retval 0 routed; -EINVAL the platform could not route the line */
int virtio_irq_attach(struct virtio_dev *dev, void (*fn)(void *arg), void *arg);

/* ---- virtqueues (virtqueue.c) */

/* Allocate queue @index with at most @max_size entries (a power of two:
 * the device may offer fewer) and give it to the device.
 * @retval 0 ready
 * @retval -ENODEV the device has no such queue, or it is in use
 * @retval -ENOMEM no memory for the rings */
int vq_setup(struct virtio_dev *dev, struct vq *vq, unsigned index, unsigned max_size);

/* Chain @n buffers (those the device reads first) and make the chain
 * available, remembering @cookie for vq_get_used(). Does not notify.
 * @retval 0 queued
 * @retval -ENOSPC fewer than @n free descriptors; nothing was queued */
int vq_add(struct vq *vq, const struct vq_buf *bufs, unsigned n, void *cookie);

/* After one or more vq_add(): does the device want a notification? Reads
 * only memory (the used ring's flags or avail_event), no device register.
 * The caller then calls vq_notify(), best outside its lock. */
int vq_kick_prepare(struct vq *vq);
void vq_notify(struct vq *vq);

/* The next chain the device has finished: its cookie (and *len, the bytes
 * written), its descriptors freed; NULL when there is none. */
void *vq_get_used(struct vq *vq, uint32_t *len);

/* Ask for an interrupt at the next used buffer (EVENT_IDX: used_event),
 * after vq_get_used() returned NULL.
 * @retval 1 more used buffers arrived meanwhile: call vq_get_used() again
 * @retval 0 none; the next one interrupts */
int vq_enable_irq(struct vq *vq);

/* Ask for no interrupts until vq_enable_irq(), for a queue the driver
 * polls or reclaims lazily. Only a hint: a device may still interrupt
 * (a notification already on its way, or one without EVENT_IDX that
 * ignores the flag). With EVENT_IDX it must be repeated after each
 * vq_get_used() batch, since it is relative to what was consumed. */
void vq_disable_irq(struct vq *vq);

#endif
