/*
 * Block devices: what a disk driver (virtio-blk, linuxu's host file)
 * provides and a file system uses. Sectors are device-sized (sector_size,
 * 512 for virtio-blk); transfers are whole sectors.
 *
 * Calls block the calling thread until the transfer is done (a driver may
 * have several requests from several threads in flight) and are safe from
 * any thread, never from an interrupt handler.
 */
#ifndef DEV_BLKDEV_H
#define DEV_BLKDEV_H

#include <stddef.h>
#include <stdint.h>

struct blkdev;

struct blkdev_ops {
	/* Transfer @count sectors starting at @sector.
	 * @retval 0 done
	 * @retval -EINVAL out of range (sector + count > sectors)
	 * @retval -EIO the device reported an error
	 * @retval -EROFS write to a read-only device */
	int (*read)(struct blkdev *d, uint64_t sector, void *buf, uint32_t count);
	int (*write)(struct blkdev *d, uint64_t sector, const void *buf, uint32_t count);
	/* Make every completed write durable (virtio-blk FLUSH, fsync). */
	int (*flush)(struct blkdev *d);
};

struct blkdev {
	char name[8];	      /* "vda", "vdb", ... given by blkdev_register() */
	uint32_t sector_size; /* bytes, a power of two >= 512 */
	uint64_t sectors;     /* capacity */
	int readonly;
	const struct blkdev_ops *ops;
	void *priv;	     /* the driver's */
	struct blkdev *next; /* registry, in registration order */
};

/* Add a device; names it vda, vdb, ... in order. */
int blkdev_register(struct blkdev *d);
/* By name ("vda"), or NULL. */
struct blkdev *blkdev_find(const char *name);
/* The first registered device, or NULL: the default disk. */
struct blkdev *blkdev_first(void);

static inline int blkdev_read(struct blkdev *d, uint64_t sector, void *buf, uint32_t count)
{
	return d->ops->read(d, sector, buf, count);
}

static inline int blkdev_write(struct blkdev *d, uint64_t sector, const void *buf, uint32_t count)
{
	return d->ops->write(d, sector, buf, count);
}

static inline int blkdev_flush(struct blkdev *d)
{
	return d->ops->flush(d);
}

#endif
