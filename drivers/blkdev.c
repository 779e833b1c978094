/* The block device registry: drivers add their disks at start-up, file
 * systems look them up by name. Devices are never removed, so a pointer
 * handed out stays valid and lookups walk the list without a lock once
 * they have read its head. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <dev/blkdev.h>
#include <kernel/log.h>
#include <kernel/spinlock.h>

#define BLKDEV_MAX 26 /* vda .. vdz */

static struct blkdev *head, **tail = &head;
static unsigned count;
static spinlock_t lock = SPINLOCK_INIT;

static int valid(const struct blkdev *d)
{
	uint32_t ss = d->sector_size;

	return d->ops && d->ops->read && d->ops->write && d->ops->flush && ss >= 512 &&
	       !(ss & (ss - 1));
}

/* Name @d and append it. A device is published (linked) only after its
 * fields are complete, with a release store, for the lock-free readers.
 * @retval 0 registered as d->name
 * @retval -EINVAL missing operations or a bad sector size
 * @retval -ENOSPC every name is taken */
int blkdev_register(struct blkdev *d)
{
	int ret = 0;

	if (!d || !valid(d))
		return -EINVAL;
	unsigned long flags = spin_lock_irqsave(&lock);
	if (count == BLKDEV_MAX) {
		ret = -ENOSPC;
		goto out;
	}
	memcpy(d->name, "vd", 2);
	d->name[2] = (char)('a' + count++);
	d->name[3] = '\0';
	d->next = NULL;
	__atomic_store_n(tail, d, __ATOMIC_RELEASE);
	tail = &d->next;
out:
	spin_unlock_irqrestore(&lock, flags);
	if (!ret)
		log_debug("blk: %s: %llu sectors of %u bytes (%llu MiB)%s", d->name,
			  (unsigned long long)d->sectors, d->sector_size,
			  (unsigned long long)(d->sectors * d->sector_size >> 20),
			  d->readonly ? ", read-only" : "");
	return ret;
}

struct blkdev *blkdev_first(void)
{
	return __atomic_load_n(&head, __ATOMIC_ACQUIRE);
}

struct blkdev *blkdev_find(const char *name)
{
	for (struct blkdev *d = blkdev_first(); d; d = __atomic_load_n(&d->next, __ATOMIC_ACQUIRE))
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}
