/* virtio-9p (the 9P transport of virtio 1.2 section 5.x, "9P transport",
 * device id 9): the Unilib transport on microvm, served by QEMU's own 9P
 * server on a host directory (-fsdev local + -device virtio-9p-device).
 *
 * One queue. A request is a chain of two buffers: the whole T-message,
 * which the device reads, and room for the whole R-message, which it
 * writes; the used length is the reply's. As in virtio-blk, the calling
 * thread queues its chain under the device's lock (interrupts off), sleeps
 * on a semaphore the interrupt handler posts, and any number of threads
 * have chains in flight; the server answers them in any order. */
#include <errno.h>
#include <semaphore.h>
#include <string.h>
#include <kernel/initcall.h>
#include <kernel/log.h>
#include <kernel/mm.h>
#include <kernel/spinlock.h>
#include <kernel/unilib.h>

#include "virtio.h"

#define VIRTIO_ID_9P 9
#define VIRTIO_9P_F_MOUNT_TAG 0
#define CFG_TAG_LEN 0 /* u16, then the tag's bytes */
/* Our message size: what the 9P client asks for at most (QEMU serves
 * larger ones but warns above 512 KiB). */
#define V9P_MSIZE (128u * 1024 + 24)
#define V9P_QUEUE_SIZE 64 /* two descriptors per request, UNILIB_TAGS requests */

struct v9p {
	struct unilib_transport t;
	struct virtio_dev *dev;
	struct vq vq;
	spinlock_t lock;
	unsigned waiters;
	sem_t room;
	char tag[32];
};

struct v9p_req {
	uint32_t len;
	sem_t done;
};

static void sem_wait_uninterrupted(sem_t *s)
{
	while (sem_wait(s) && errno == EINTR)
		;
}

static void v9p_irq(void *arg)
{
	struct v9p *p = arg;
	struct v9p_req *r;
	uint32_t len;
	unsigned wake;

	spin_lock(&p->lock);
	do {
		while ((r = vq_get_used(&p->vq, &len))) {
			r->len = len;
			sem_post(&r->done);
		}
	} while (vq_enable_irq(&p->vq));
	wake = p->waiters;
	p->waiters = 0;
	spin_unlock(&p->lock);
	while (wake--)
		sem_post(&p->room);
}

static long v9p_rpc(struct unilib_transport *t, uint16_t tag, const void *tx, size_t tx_len,
		    void *rx, size_t rx_cap)
{
	struct v9p *p = t->priv;
	struct v9p_req r = {0};
	struct vq_buf bufs[2] = {{tx, (uint32_t)tx_len, 0}, {rx, (uint32_t)rx_cap, 1}};

	(void)tag; /* the chain names the request; the client checks the tag */
	if (tx_len > V9P_MSIZE || rx_cap > V9P_MSIZE)
		return -EINVAL;
	sem_init(&r.done, 0, 0);
	unsigned long flags = spin_lock_irqsave(&p->lock);
	while (vq_add(&p->vq, bufs, 2, &r) == -ENOSPC) {
		p->waiters++;
		spin_unlock_irqrestore(&p->lock, flags);
		sem_wait_uninterrupted(&p->room);
		flags = spin_lock_irqsave(&p->lock);
	}
	int kick = vq_kick_prepare(&p->vq);
	spin_unlock_irqrestore(&p->lock, flags);
	if (kick)
		vq_notify(&p->vq);
	sem_wait_uninterrupted(&r.done);
	sem_destroy(&r.done);
	return r.len > rx_cap ? -EIO : (long)r.len;
}

static void v9p_read_tag(struct v9p *p)
{
	unsigned len = 0;

	if (p->dev->features & VIRTIO_BIT(VIRTIO_9P_F_MOUNT_TAG))
		len = virtio_config_read16(p->dev, CFG_TAG_LEN);
	if (len >= sizeof(p->tag))
		len = sizeof(p->tag) - 1;
	virtio_config_read(p->dev, CFG_TAG_LEN + 2, p->tag, len);
	p->tag[len] = '\0';
}

static int v9p_probe(struct virtio_dev *dev)
{
	const char *why = "memory";
	struct v9p *p = mm_heap_alloc(mm_kernel_heap(), sizeof(*p));
	int err = -ENOMEM;

	if (!p)
		goto out;
	memset(p, 0, sizeof(*p));
	p->dev = dev;
	p->lock = (spinlock_t)SPINLOCK_INIT;
	sem_init(&p->room, 0, 0);
	why = "features refused";
	if ((err = virtio_begin(dev, VIRTIO_BIT(VIRTIO_9P_F_MOUNT_TAG) |
					 VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX))))
		goto out;
	why = "queue";
	if ((err = vq_setup(dev, &p->vq, 0, V9P_QUEUE_SIZE)))
		goto out;
	v9p_read_tag(p);
	why = "interrupt";
	if ((err = virtio_irq_attach(dev, v9p_irq, p)))
		goto out;
	virtio_ready(dev);
	p->t = (struct unilib_transport){.name = "virtio-9p",
					 .aname = "",
					 .msize = V9P_MSIZE,
					 .generation = 1,
					 .rpc = v9p_rpc,
					 .priv = p};
	why = "a second host transport";
	if ((err = unilib_transport_register(&p->t)))
		goto out;
	log_debug("virtio-9p: mount tag '%s' at %#lx irq %u, queue %u", p->tag,
		  (unsigned long)dev->base, dev->irq, p->vq.size);
out:
	if (err) {
		virtio_fail(dev, why, err);
		if (p && !p->vq.desc)
			mm_free(p);
	}
	return err;
}

static const struct virtio_driver v9p_driver = {
    .name = "virtio-9p",
    .device_id = VIRTIO_ID_9P,
    .probe = v9p_probe,
};

static int virtio_9p_init(void)
{
	virtio_probe_each(&v9p_driver);
	return 0;
}

INITCALL(INITCALL_DRIVER, virtio_9p_init);
