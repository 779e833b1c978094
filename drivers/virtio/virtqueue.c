/* Split virtqueues (virtio 1.2 section 2.7): a descriptor table, the
 * available ring the driver fills and the used ring the device fills, in
 * one zeroed allocation from the kernel heap.
 *
 * Free descriptors are chained through their next fields, so a request
 * takes the first n of them already linked in order, and a finished chain
 * goes back to the front of the list as it is. Nothing here touches a
 * device register except vq_setup() and vq_notify(). */
#include <errno.h>
#include <string.h>
#include <kernel/compiler.h>
#include <kernel/log.h>
#include <kernel/mm.h>
#include <kernel/panic.h>

#include "virtio.h"
#include "virtio_mmio.h"

struct ring_layout {
	size_t avail, used, cookie, total; /* offsets, and the bytes in all */
};

/* Descriptors 16-byte aligned, available ring 2, used ring 4 (section
 * 2.7); the used ring gets a cache line of its own since the device writes
 * it while we write the available ring. */
static struct ring_layout layout(unsigned n)
{
	struct ring_layout l;

	l.avail = 16 * n;
	l.used = ALIGN_UP(l.avail + 6 + 2 * n, 64);
	l.cookie = ALIGN_UP(l.used + 6 + 8 * n, 64);
	l.total = l.cookie + sizeof(void *) * n;
	return l;
}

static void program_queue(struct vq *vq)
{
	uintptr_t b = vq->dev->base;
	uint64_t desc = (uintptr_t)vq->desc, avail = (uintptr_t)vq->avail,
		 used = (uintptr_t)vq->used;

	mmio_write32(b, VIRTIO_MMIO_QUEUE_NUM, vq->size);
	mmio_write32(b, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
	mmio_write32(b, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
	mmio_write32(b, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
	mmio_write32(b, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
	mmio_write32(b, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
	mmio_write32(b, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
	mmio_write32(b, VIRTIO_MMIO_QUEUE_READY, 1);
}

int vq_setup(struct virtio_dev *dev, struct vq *vq, unsigned index, unsigned max_size)
{
	BUG_ON(!max_size || max_size > 32768);
	mmio_write32(dev->base, VIRTIO_MMIO_QUEUE_SEL, index);
	if (mmio_read32(dev->base, VIRTIO_MMIO_QUEUE_READY))
		return -ENODEV;
	unsigned n = mmio_read32(dev->base, VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (!n)
		return -ENODEV;
	if (n > max_size)
		n = max_size;
	while (n & (n - 1)) /* split rings have power-of-two sizes */
		n &= n - 1;

	struct ring_layout l = layout(n);
	uint8_t *mem =
	    mm_pages_alloc(mm_kernel_heap(), ALIGN_UP(l.total, MM_PAGE_SIZE) / MM_PAGE_SIZE);
	if (!mem)
		return -ENOMEM;
	memset(mem, 0, l.total);
	memset(vq, 0, sizeof(*vq));
	vq->dev = dev;
	vq->index = index;
	vq->size = (uint16_t)n;
	vq->desc = (struct vq_desc *)mem;
	vq->avail = (struct vq_avail *)(mem + l.avail);
	vq->used = (struct vq_used *)(mem + l.used);
	vq->cookie = (void **)(mem + l.cookie);
	vq->event_idx = (dev->features & VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX)) != 0;
	vq->num_free = (uint16_t)n;
	for (unsigned i = 0; i + 1 < n; i++)
		vq->desc[i].next = (uint16_t)(i + 1);
	program_queue(vq);
	return 0;
}

int vq_add(struct vq *vq, const struct vq_buf *bufs, unsigned n, void *cookie)
{
	BUG_ON(!n);
	if (n > vq->num_free)
		return -ENOSPC;
	uint16_t head = vq->free_head, idx = head, last = head;
	for (unsigned i = 0; i < n; i++) {
		struct vq_desc *d = &vq->desc[idx];
		d->addr = (uintptr_t)bufs[i].addr;
		d->len = bufs[i].len;
		d->flags = (bufs[i].device_writes ? VQ_DESC_F_WRITE : 0) |
			   (i + 1 < n ? VQ_DESC_F_NEXT : 0);
		last = idx;
		idx = d->next; /* the free list's order is the chain's */
	}
	vq->free_head = vq->desc[last].next;
	vq->num_free -= n;
	vq->cookie[head] = cookie;
	vq->avail->ring[vq->avail_idx % vq->size] = head;
	vq->avail_idx++;
	/* The ring entry and descriptors before the index that publishes them. */
	__atomic_store_n(&vq->avail->idx, vq->avail_idx, __ATOMIC_RELEASE);
	return 0;
}

/* Section 2.7.10: with EVENT_IDX the device names the available index it
 * wants to hear about (avail_event, after the used ring); notify when this
 * batch crossed it. Without, it may set NO_NOTIFY while it is polling. */
int vq_kick_prepare(struct vq *vq)
{
	uint16_t old = vq->notified_idx, new = vq->avail_idx;

	vq->notified_idx = new;
	/* Our avail->idx store must be visible before we read what the device
	 * wrote after looking at it, or both sides could wait for the other. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->event_idx) {
		uint16_t event =
		    __atomic_load_n((uint16_t *)&vq->used->ring[vq->size], __ATOMIC_RELAXED);
		return (uint16_t)(new - event - 1) < (uint16_t)(new - old);
	}
	return !(__atomic_load_n(&vq->used->flags, __ATOMIC_RELAXED) & VQ_USED_F_NO_NOTIFY);
}

void vq_notify(struct vq *vq)
{
	mmio_write32(vq->dev->base, VIRTIO_MMIO_QUEUE_NOTIFY, vq->index);
}

/* The used ring is device input: a head or chain that makes no sense is
 * logged and dropped rather than trusted. */
void *vq_get_used(struct vq *vq, uint32_t *len)
{
	uint16_t used_idx = __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE);

	while (vq->last_used != used_idx) {
		struct vq_used_elem e = vq->used->ring[vq->last_used % vq->size];
		vq->last_used++;
		void *cookie = e.id < vq->size ? vq->cookie[e.id] : NULL;
		if (!cookie) {
			log_error("virtio: queue %u: device returned descriptor %u, not in use",
				  vq->index, e.id);
			continue;
		}
		uint16_t last = (uint16_t)e.id, n = 1;
		while ((vq->desc[last].flags & VQ_DESC_F_NEXT) && n < vq->size) {
			last = vq->desc[last].next;
			n++;
		}
		vq->desc[last].next = vq->free_head;
		vq->free_head = (uint16_t)e.id;
		vq->num_free += n;
		vq->cookie[e.id] = NULL;
		if (len)
			*len = e.len;
		return cookie;
	}
	return NULL;
}

/* With EVENT_IDX, interrupts come only once used->idx passes used_event:
 * move it to what we have consumed. Then look again, since the device may
 * have added an entry before it saw the new value.
 * @retval 1 more used entries are waiting; 0 none */
int vq_enable_irq(struct vq *vq)
{
	if (vq->event_idx) {
		__atomic_store_n(&vq->avail->ring[vq->size], vq->last_used, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	} else if (vq->avail->flags & VQ_AVAIL_F_NO_INTERRUPT) {
		__atomic_store_n(&vq->avail->flags, 0, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	return __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE) != vq->last_used;
}

/* With EVENT_IDX the device interrupts only when used->idx steps onto
 * used_event + 1 (section 2.7.10): one behind what we consumed is the
 * furthest that point can be, 65536 completions away. Without, the flag. */
void vq_disable_irq(struct vq *vq)
{
	if (vq->event_idx)
		__atomic_store_n(&vq->avail->ring[vq->size], (uint16_t)(vq->last_used - 1),
				 __ATOMIC_RELAXED);
	else
		__atomic_store_n(&vq->avail->flags, VQ_AVAIL_F_NO_INTERRUPT, __ATOMIC_RELAXED);
}
