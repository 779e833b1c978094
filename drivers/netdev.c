/* The network device registry: drivers add their interfaces at start-up,
 * the TCP/IP stack looks them up. Devices are never removed, so a pointer
 * handed out stays valid and lookups walk the list without a lock once
 * they have read its head. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <kernel/log.h>
#include <dev/netdev.h>
#include <kernel/spinlock.h>

#define NETDEV_MAX 10 /* eth0 .. eth9: one digit */

static struct netdev *head, **tail = &head;
static unsigned count;
static spinlock_t lock = SPINLOCK_INIT;

static int valid(const struct netdev *d)
{
	static const uint8_t zero[6];

	return d->ops && d->ops->xmit && d->ops->rx_poll && d->ops->rx_irq_enable &&
	       memcmp(d->mac, zero, sizeof(zero)) != 0;
}

/* Name @d and append it. A device is published (linked) only after its
 * fields are complete, with a release store, for the lock-free readers.
 * An mtu of 0 becomes 1500.
 * @retval 0 registered as d->name
 * @retval -EINVAL missing operations or no MAC address
 * @retval -ENOSPC every name is taken */
int netdev_register(struct netdev *d)
{
	int ret = 0;

	if (!d || !valid(d))
		return -EINVAL;
	if (!d->mtu)
		d->mtu = 1500;
	unsigned long flags = spin_lock_irqsave(&lock);
	if (count == NETDEV_MAX) {
		ret = -ENOSPC;
		goto out;
	}
	memcpy(d->name, "eth", 3);
	d->name[3] = (char)('0' + count++);
	d->name[4] = '\0';
	d->next = NULL;
	__atomic_store_n(tail, d, __ATOMIC_RELEASE);
	tail = &d->next;
out:
	spin_unlock_irqrestore(&lock, flags);
	if (!ret)
		log_debug("net: %s: MAC %02x:%02x:%02x:%02x:%02x:%02x, mtu %u, link %s", d->name,
			  d->mac[0], d->mac[1], d->mac[2], d->mac[3], d->mac[4], d->mac[5], d->mtu,
			  d->link_up ? "up" : "down");
	return ret;
}

struct netdev *netdev_first(void)
{
	return __atomic_load_n(&head, __ATOMIC_ACQUIRE);
}

struct netdev *netdev_find(const char *name)
{
	for (struct netdev *d = netdev_first(); d; d = __atomic_load_n(&d->next, __ATOMIC_ACQUIRE))
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}
