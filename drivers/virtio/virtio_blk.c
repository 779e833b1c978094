/* virtio-blk (virtio 1.2 section 5.2): each device becomes a struct blkdev.
 *
 * A request is a descriptor chain: a header the device reads (type,
 * sector), the data, and a status byte the device writes. The calling
 * thread builds it on its stack, queues it under the device's lock (held
 * with interrupts off, since the interrupt handler takes it too), notifies
 * the device only when it asks (EVENT_IDX or the used ring's NO_NOTIFY),
 * and sleeps on a semaphore that the interrupt handler posts. Any number of
 * threads may have requests in flight; when descriptors run out, a thread
 * waits for the interrupt handler to free some.
 *
 * Transfers larger than the device takes in one request (SEG_MAX segments
 * of at most SIZE_MAX bytes each) are split into several, one after the
 * other. Sectors are always 512 bytes in virtio-blk requests. */
#include <errno.h>
#include <semaphore.h>
#include <string.h>
#include <dev/blkdev.h>
#include <kernel/compiler.h>
#include <kernel/initcall.h>
#include <kernel/log.h>
#include <kernel/mm.h>
#include <kernel/spinlock.h>

#include "virtio.h"

#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_FLUSH 9

/* Configuration space offsets. */
#define CFG_CAPACITY 0 /* u64, in 512-byte sectors */
#define CFG_SIZE_MAX 8
#define CFG_SEG_MAX 12

#define BLK_T_IN 0
#define BLK_T_OUT 1
#define BLK_T_FLUSH 4
#define BLK_S_OK 0
#define BLK_S_UNSUPP 2

#define SECTOR 512u
/* Our own caps: data descriptors per request (kept on the caller's stack)
 * and bytes per descriptor when the device sets no SIZE_MAX. */
#define REQ_SEGS_MAX 16
#define SEG_BYTES_DEFAULT (256u << 10)

struct vblk {
	struct blkdev bd;
	struct virtio_dev *dev;
	struct vq vq;
	spinlock_t lock;  /* the queue and waiters */
	unsigned waiters; /* threads waiting on room for descriptors */
	sem_t room;
	uint32_t seg_bytes; /* per data descriptor, a multiple of SECTOR */
	unsigned segs;	    /* data descriptors per request */
	int has_flush;
};

struct blk_req {
	struct {
		uint32_t type, reserved;
		uint64_t sector;
	} hdr;
	uint8_t status;
	sem_t done;
};

static void sem_wait_uninterrupted(sem_t *s)
{
	while (sem_wait(s) && errno == EINTR)
		;
}

/* Interrupt handler: complete every finished request. Waiters for room are
 * woken after the lock is dropped; each retries and waits again if the
 * room went to someone else. */
static void vblk_irq(void *arg)
{
	struct vblk *b = arg;
	struct blk_req *r;
	unsigned wake;

	spin_lock(&b->lock);
	do {
		while ((r = vq_get_used(&b->vq, NULL)))
			sem_post(&r->done);
	} while (vq_enable_irq(&b->vq));
	wake = b->waiters;
	b->waiters = 0;
	spin_unlock(&b->lock);
	while (wake--)
		sem_post(&b->room);
}

/* Queue @n buffers for @r and wait for the device to finish them.
 * @retval 0 done; -EIO the device failed it; -EOPNOTSUPP it does not know
 *         the request type */
static int vblk_submit(struct vblk *b, struct blk_req *r, const struct vq_buf *bufs, unsigned n)
{
	r->status = 0xff; /* anything the device did not write is an error */
	sem_init(&r->done, 0, 0);
	unsigned long flags = spin_lock_irqsave(&b->lock);
	while (vq_add(&b->vq, bufs, n, r) == -ENOSPC) {
		b->waiters++;
		spin_unlock_irqrestore(&b->lock, flags);
		log_trace("virtio-blk: %s: queue full, waiting", b->bd.name);
		sem_wait_uninterrupted(&b->room);
		flags = spin_lock_irqsave(&b->lock);
	}
	int kick = vq_kick_prepare(&b->vq);
	spin_unlock_irqrestore(&b->lock, flags);
	if (kick)
		vq_notify(&b->vq);
	sem_wait_uninterrupted(&r->done);
	sem_destroy(&r->done);
	if (r->status == BLK_S_OK)
		return 0;
	return r->status == BLK_S_UNSUPP ? -EOPNOTSUPP : -EIO;
}

/* One request of at most b->segs descriptors of b->seg_bytes each. */
static int vblk_request(struct vblk *b, uint32_t type, uint64_t sector, void *buf, size_t bytes)
{
	struct vq_buf bufs[REQ_SEGS_MAX + 2];
	struct blk_req r = {.hdr = {.type = type, .sector = sector}};
	unsigned n = 0;

	bufs[n++] = (struct vq_buf){&r.hdr, sizeof(r.hdr), 0};
	for (size_t off = 0; off < bytes; off += b->seg_bytes) {
		size_t len = bytes - off < b->seg_bytes ? bytes - off : b->seg_bytes;
		bufs[n++] = (struct vq_buf){(char *)buf + off, (uint32_t)len, type == BLK_T_IN};
	}
	bufs[n++] = (struct vq_buf){&r.status, 1, 1};
	return vblk_submit(b, &r, bufs, n);
}

static int vblk_rw(struct blkdev *d, uint32_t type, uint64_t sector, void *buf, uint32_t count)
{
	struct vblk *b = d->priv;
	const uint64_t per_req = (uint64_t)b->segs * (b->seg_bytes / SECTOR);

	if (sector > d->sectors || count > d->sectors - sector)
		return -EINVAL;
	while (count) {
		uint32_t n = count < per_req ? count : (uint32_t)per_req;
		int ret = vblk_request(b, type, sector, buf, (size_t)n * SECTOR);
		if (ret)
			return ret;
		sector += n;
		buf = (char *)buf + (size_t)n * SECTOR;
		count -= n;
	}
	return 0;
}

static int vblk_read(struct blkdev *d, uint64_t sector, void *buf, uint32_t count)
{
	return vblk_rw(d, BLK_T_IN, sector, buf, count);
}

static int vblk_write(struct blkdev *d, uint64_t sector, const void *buf, uint32_t count)
{
	if (d->readonly)
		return -EROFS;
	return vblk_rw(d, BLK_T_OUT, sector, (void *)(uintptr_t)buf, count); /* only read */
}

/* Without VIRTIO_BLK_F_FLUSH the device has no volatile cache to flush
 * (section 5.2.6.2: it should then write through). */
static int vblk_flush(struct blkdev *d)
{
	struct vblk *b = d->priv;

	if (!b->has_flush)
		return 0;
	return vblk_request(b, BLK_T_FLUSH, 0, NULL, 0);
}

static const struct blkdev_ops vblk_ops = {
    .read = vblk_read,
    .write = vblk_write,
    .flush = vblk_flush,
};

/* Limits from the configuration space, under our own caps; a descriptor
 * chain must also fit the queue with its header and status. */
static void vblk_limits(struct vblk *b)
{
	uint64_t f = b->dev->features;
	uint32_t size_max = SEG_BYTES_DEFAULT, segs = 1;

	if (f & VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX)) {
		uint32_t v = virtio_config_read32(b->dev, CFG_SIZE_MAX);
		if (v < size_max)
			size_max = v;
	}
	b->seg_bytes = size_max < SECTOR ? SECTOR : ALIGN_DOWN(size_max, SECTOR);
	if (f & VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX))
		segs = virtio_config_read32(b->dev, CFG_SEG_MAX);
	if (segs > REQ_SEGS_MAX)
		segs = REQ_SEGS_MAX;
	if (segs > b->vq.size - 2u)
		segs = b->vq.size - 2u;
	b->segs = segs ? segs : 1;
}

static int vblk_start(struct vblk *b, struct virtio_dev *dev, const char **why)
{
	int err;

	*why = "queue";
	if ((err = vq_setup(dev, &b->vq, 0, CONFIG_VIRTIO_BLK_QUEUE_SIZE)))
		return err;
	if (b->vq.size < 3)
		return -ENODEV; /* a header, data and status need three */
	vblk_limits(b);
	b->bd.sector_size = SECTOR;
	b->bd.sectors = virtio_config_read64(dev, CFG_CAPACITY);
	b->bd.readonly = (dev->features & VIRTIO_BIT(VIRTIO_BLK_F_RO)) != 0;
	b->bd.ops = &vblk_ops;
	b->bd.priv = b;
	b->has_flush = (dev->features & VIRTIO_BIT(VIRTIO_BLK_F_FLUSH)) != 0;
	*why = "interrupt";
	if ((err = virtio_irq_attach(dev, vblk_irq, b)))
		return err;
	virtio_ready(dev);
	*why = "registration";
	return blkdev_register(&b->bd);
}

/* Bring one device up. Once the queue is given to the device, it and its
 * memory stay allocated even if a later step fails: a FAILED device might
 * still read them. */
static int vblk_probe(struct virtio_dev *dev)
{
	const uint64_t wanted = VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX) |
				VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_RO) |
				VIRTIO_BIT(VIRTIO_BLK_F_FLUSH) |
				VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX);
	const char *why = "memory";
	struct vblk *b = mm_heap_alloc(mm_kernel_heap(), sizeof(*b));
	int err = -ENOMEM;

	if (!b)
		goto out;
	memset(b, 0, sizeof(*b));
	b->dev = dev;
	b->lock = (spinlock_t)SPINLOCK_INIT;
	sem_init(&b->room, 0, 0);
	if ((err = virtio_begin(dev, wanted))) {
		why = err == -ENODEV ? "not a virtio 1.x device" : "features refused";
		goto out;
	}
	err = vblk_start(b, dev, &why);
	if (!err)
		log_debug("virtio-blk: %s at %#lx irq %u: queue %u, %u x %u bytes per request%s%s",
			  b->bd.name, (unsigned long)dev->base, dev->irq, b->vq.size, b->segs,
			  b->seg_bytes, b->has_flush ? ", flush" : "",
			  b->vq.event_idx ? ", event idx" : "");
out:
	if (err) {
		virtio_fail(dev, why, err);
		if (b && !b->vq.desc)
			mm_free(b);
	}
	return err;
}

static const struct virtio_driver vblk_driver = {
    .name = "virtio-blk",
    .device_id = VIRTIO_ID_BLOCK,
    .probe = vblk_probe,
};

static int virtio_blk_init(void)
{
	virtio_probe_each(&vblk_driver);
	return 0; /* no disk is not an error */
}

INITCALL(INITCALL_DRIVER, virtio_blk_init);
