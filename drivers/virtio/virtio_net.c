/* virtio-net (virtio 1.2 section 5.1): each device becomes a struct netdev.
 *
 * One receive queue (0) and one transmit queue (1), no offloads: every
 * frame is preceded by a 12-byte struct virtio_net_hdr (VERSION_1 always
 * has num_buffers), all zero on the way out. Buffers are fixed slots in
 * one allocation, one descriptor each (header and frame together, which
 * VERSION_1 allows):
 *
 *  - receive: every slot is posted at start-up; rx_poll() hands a used
 *    slot's frame to d->rx() and posts the slot again. The interrupt
 *    handler only turns further receive interrupts off and calls
 *    d->notify(); rx_irq_enable() turns them on again.
 *  - transmit: xmit() copies the frame into a free slot and queues it;
 *    finished slots are taken back lazily, by the next xmit() or an
 *    interrupt, so transmit interrupts are suppressed.
 *
 * Each queue has its own lock, taken with interrupts off since the
 * interrupt handler takes both. */
#include <errno.h>
#include <string.h>
#include <kernel/compiler.h>
#include <kernel/initcall.h>
#include <kernel/log.h>
#include <kernel/mm.h>
#include <dev/netdev.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>

#include "virtio.h"

#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_STATUS 16
#define VIRTIO_NET_S_LINK_UP 1

/* Configuration space offsets. */
#define CFG_MAC 0
#define CFG_STATUS 6 /* u16 */

#define RXQ 0
#define TXQ 1

#define HDR_LEN 12 /* struct virtio_net_hdr with num_buffers */
#define ETH_HLEN 14
/* Header and the longest frame, rounded up to whole cache lines; at least
 * the 1526 bytes section 5.1.6.3.1 asks for without MRG_RXBUF and GSO. */
#define SLOT_SIZE ALIGN_UP(HDR_LEN + NETDEV_FRAME_MAX, 64)
#define RX_BATCH 16 /* used buffers taken per lock round */

struct vnet {
	struct netdev nd;
	struct virtio_dev *dev;
	spinlock_t rx_lock, tx_lock;
	struct vq rxq, txq;
	uint8_t *rx_slots, *tx_slots;
	uint16_t tx_nfree;
	uint16_t tx_free[CONFIG_VIRTIO_NET_QUEUE_SIZE]; /* free slot numbers, a stack */
};

/* Give back every slot the device has sent; then ask again for no
 * interrupt (with EVENT_IDX that is relative to what was consumed).
 * Caller holds tx_lock. */
static void tx_reclaim(struct vnet *n)
{
	uint8_t *slot;
	int any = 0;

	while ((slot = vq_get_used(&n->txq, NULL))) {
		n->tx_free[n->tx_nfree++] = (uint16_t)((slot - n->tx_slots) / SLOT_SIZE);
		any = 1;
	}
	if (any)
		vq_disable_irq(&n->txq);
}

/* Interrupt handler: interrupts off. */

static void vnet_irq(void *arg)
{
	struct vnet *n = arg;
	void (*notify)(struct netdev *) = n->nd.notify;

	n->nd.stats.irqs++;
	spin_lock(&n->rx_lock);
	vq_disable_irq(&n->rxq);
	spin_unlock(&n->rx_lock);
	spin_lock(&n->tx_lock);
	tx_reclaim(n);
	spin_unlock(&n->tx_lock);
	if (notify)
		notify(&n->nd);
}

static int link_status(struct vnet *n)
{
	if (!(n->dev->features & VIRTIO_BIT(VIRTIO_NET_F_STATUS)))
		return 1; /* no status field: the link is always up */
	return (virtio_config_read16(n->dev, CFG_STATUS) & VIRTIO_NET_S_LINK_UP) != 0;
}

/* Configuration-change interrupt: the link went up or down. */
static void vnet_config_irq(void *arg)
{
	struct vnet *n = arg;
	void (*notify)(struct netdev *) = n->nd.notify;
	int up = link_status(n);

	if (up != n->nd.link_up)
		log_info("net: %s: link %s", n->nd.name, up ? "up" : "down");
	n->nd.link_up = up;
	if (notify)
		notify(&n->nd);
}

static int vnet_xmit(struct netdev *d, const struct iovec *iov, unsigned iovcnt, size_t len)
{
	struct vnet *n = d->priv;
	size_t off = 0;

	if (len < ETH_HLEN || len > d->mtu + 18u)
		return -EMSGSIZE;
	unsigned long flags = spin_lock_irqsave(&n->tx_lock);
	tx_reclaim(n);
	if (!n->tx_nfree) {
		d->stats.tx_dropped++;
		spin_unlock_irqrestore(&n->tx_lock, flags);
		return -ENOBUFS;
	}
	uint8_t *slot = n->tx_slots + (size_t)n->tx_free[--n->tx_nfree] * SLOT_SIZE;
	memset(slot, 0, HDR_LEN); /* no checksum or segmentation asked for */
	for (unsigned i = 0; i < iovcnt && off < len; i++) {
		size_t k = iov[i].iov_len < len - off ? iov[i].iov_len : len - off;
		memcpy(slot + HDR_LEN + off, iov[i].iov_base, k);
		off += k;
	}
	BUG_ON(off != len); /* @len is the caller's sum of the pieces */
	struct vq_buf b = {slot, (uint32_t)(HDR_LEN + len), 0};
	int err = vq_add(&n->txq, &b, 1, slot); /* a descriptor per slot: cannot fail */
	BUG_ON(err);
	int kick = vq_kick_prepare(&n->txq);
	d->stats.tx_packets++;
	d->stats.tx_bytes += len;
	spin_unlock_irqrestore(&n->tx_lock, flags);
	if (kick)
		vq_notify(&n->txq);
	return 0;
}

/* Post receive slots again, and notify if the device wants it. Caller
 * holds rx_lock; returns whether to vq_notify() after dropping it. */
static int rx_repost(struct vnet *n, uint8_t **slots, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		struct vq_buf b = {slots[i], SLOT_SIZE, 1};
		int err = vq_add(&n->rxq, &b, 1, slots[i]); /* its descriptor came back */
		BUG_ON(err);
	}
	return count && vq_kick_prepare(&n->rxq);
}

/* Hand one used slot up (1), or drop it (0): its length is the device's
 * word. */
static int rx_deliver(struct vnet *n, const uint8_t *slot, uint32_t len)
{
	struct netdev *d = &n->nd;
	void (*rx)(struct netdev *, const void *, size_t) = d->rx;

	if (len < HDR_LEN + ETH_HLEN || len > SLOT_SIZE) {
		d->stats.rx_errors++;
		return 0;
	}
	if (!rx) {
		d->stats.rx_dropped++;
		return 0;
	}
	d->stats.rx_packets++;
	d->stats.rx_bytes += len - HDR_LEN;
	rx(d, slot + HDR_LEN, len - HDR_LEN);
	return 1;
}

/* Used slots are taken in batches under the lock and handed up without
 * it (d->rx() is the stack's), then posted again. Dropped frames count
 * against @budget but not in the result; rx_irq_enable() then reports
 * what is left. */
static int vnet_rx_poll(struct netdev *d, int budget)
{
	struct vnet *n = d->priv;
	uint8_t *slots[RX_BATCH];
	uint32_t lens[RX_BATCH];
	unsigned got = 0;
	int taken = 0, done = 0, kick = 0;

	do {
		unsigned long flags = spin_lock_irqsave(&n->rx_lock);
		kick |= rx_repost(n, slots, got);
		for (got = 0; got < RX_BATCH && taken + (int)got < budget; got++)
			if (!(slots[got] = vq_get_used(&n->rxq, &lens[got])))
				break;
		spin_unlock_irqrestore(&n->rx_lock, flags);
		for (unsigned i = 0; i < got; i++)
			done += rx_deliver(n, slots[i], lens[i]);
		taken += (int)got;
	} while (got);
	if (kick)
		vq_notify(&n->rxq);
	return done;
}

static int vnet_rx_irq_enable(struct netdev *d)
{
	struct vnet *n = d->priv;

	unsigned long flags = spin_lock_irqsave(&n->rx_lock);
	int more = vq_enable_irq(&n->rxq);
	spin_unlock_irqrestore(&n->rx_lock, flags);
	return more;
}

static const struct netdev_ops vnet_ops = {
    .xmit = vnet_xmit,
    .rx_poll = vnet_rx_poll,
    .rx_irq_enable = vnet_rx_irq_enable,
};

/* Both queues, their slots (one allocation) and every receive slot posted,
 * with both queues' interrupts off until the stack asks. */
static int vnet_queues(struct vnet *n)
{
	int err;

	if ((err = vq_setup(n->dev, &n->rxq, RXQ, CONFIG_VIRTIO_NET_QUEUE_SIZE)) ||
	    (err = vq_setup(n->dev, &n->txq, TXQ, CONFIG_VIRTIO_NET_QUEUE_SIZE)))
		return err;
	size_t bytes = ((size_t)n->rxq.size + n->txq.size) * SLOT_SIZE;
	n->rx_slots =
	    mm_pages_alloc(mm_kernel_heap(), ALIGN_UP(bytes, MM_PAGE_SIZE) / MM_PAGE_SIZE);
	if (!n->rx_slots)
		return -ENOMEM;
	n->tx_slots = n->rx_slots + (size_t)n->rxq.size * SLOT_SIZE;
	for (unsigned i = 0; i < n->txq.size; i++)
		n->tx_free[n->tx_nfree++] = (uint16_t)i;
	for (unsigned i = 0; i < n->rxq.size; i++) {
		struct vq_buf b = {n->rx_slots + (size_t)i * SLOT_SIZE, SLOT_SIZE, 1};
		if ((err = vq_add(&n->rxq, &b, 1, (void *)(uintptr_t)b.addr)))
			return err;
	}
	vq_disable_irq(&n->rxq);
	vq_disable_irq(&n->txq);
	return 0;
}

/* Without VIRTIO_NET_F_MAC the driver picks an address (section 5.1.5):
 * a locally administered one, different per slot. */
static void vnet_mac(struct vnet *n)
{
	if (n->dev->features & VIRTIO_BIT(VIRTIO_NET_F_MAC)) {
		virtio_config_read(n->dev, CFG_MAC, n->nd.mac, 6);
		return;
	}
	static const uint8_t base[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x00};
	memcpy(n->nd.mac, base, 6);
	n->nd.mac[4] = (uint8_t)(n->dev->base >> 17);
	n->nd.mac[5] = (uint8_t)(n->dev->base >> 9); /* 512-byte slots */
}

static int vnet_start(struct vnet *n, const char **why)
{
	struct virtio_dev *dev = n->dev;
	int err;

	*why = "queues";
	if ((err = vnet_queues(n)))
		return err;
	vnet_mac(n);
	n->nd.mtu = 1500;
	n->nd.ops = &vnet_ops;
	n->nd.priv = n;
	*why = "interrupt";
	dev->config_fn = vnet_config_irq;
	if ((err = virtio_irq_attach(dev, vnet_irq, n)))
		return err;
	virtio_ready(dev);
	n->nd.link_up = link_status(n);
	vq_notify(&n->rxq); /* the receive slots are there */
	*why = "registration";
	return netdev_register(&n->nd);
}

/* Bring one device up. Once the queues are given to the device, they and
 * their memory stay allocated even if a later step fails: a FAILED device
 * might still use them. */
static int vnet_probe(struct virtio_dev *dev)
{
	/* No EVENT_IDX: with it, QEMU 7.2's receive path sometimes stopped
	 * taking frames for good (2 of 8 fuzz runs; the receive queue's
	 * avail_event was never seen to move), without it 0 of 8. The
	 * NO_INTERRUPT/NO_NOTIFY flags cost a few more exits. */
	const uint64_t wanted = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS);
	const char *why = "memory";
	struct vnet *n = mm_heap_alloc(mm_kernel_heap(), sizeof(*n));
	int err = -ENOMEM;

	if (!n)
		goto out;
	memset(n, 0, sizeof(*n));
	n->dev = dev;
	n->rx_lock = n->tx_lock = (spinlock_t)SPINLOCK_INIT;
	if ((err = virtio_begin(dev, wanted))) {
		why = err == -ENODEV ? "not a virtio 1.x device" : "features refused";
		goto out;
	}
	err = vnet_start(n, &why);
	if (!err)
		log_debug("virtio-net: %s at %#lx irq %u: queues %u/%u%s%s", n->nd.name,
			  (unsigned long)dev->base, dev->irq, n->rxq.size, n->txq.size,
			  n->rxq.event_idx ? ", event idx" : "",
			  n->nd.link_up ? ", link up" : ", link down");
out:
	if (err) {
		virtio_fail(dev, why, err);
		if (n && !n->rxq.desc)
			mm_free(n);
	}
	return err;
}

static const struct virtio_driver vnet_driver = {
    .name = "virtio-net",
    .device_id = VIRTIO_ID_NET,
    .probe = vnet_probe,
};

static int virtio_net_init(void)
{
	virtio_probe_each(&vnet_driver);
	return 0; /* no interface is not an error */
}

INITCALL(INITCALL_DRIVER, virtio_net_init);
