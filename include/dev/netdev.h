/*
 * Network devices: what an Ethernet driver (virtio-net, linuxu's tap or
 * UDP tunnel) provides and the TCP/IP stack (net/) uses. Frames are whole
 * Ethernet frames without the FCS: destination MAC first, at most
 * mtu + 14 bytes (+4 with a VLAN tag).
 *
 * Receiving is driven by the stack, one thread per device:
 *
 *     for (;;) {
 *         while (d->ops->rx_poll(d, budget) == budget)   frames -> d->rx()
 *             ;
 *         if (d->ops->rx_irq_enable(d))      more arrived meanwhile
 *             continue;
 *         wait for d->notify()
 *     }
 *
 * The driver's interrupt handler calls d->notify(d) (interrupts off) when
 * frames arrive or the link changes; the stack's notify only wakes its
 * thread. Sending is a call from any thread (never an interrupt handler),
 * serialized by the driver; it copies the frame and does not wait for the
 * device to finish with it.
 */
#ifndef DEV_NETDEV_H
#define DEV_NETDEV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define NETDEV_NAME_MAX 8
#define NETDEV_FRAME_MAX 1518 /* 1500 + 14 + VLAN 4 */

struct netdev;

struct netdev_stats {
	uint64_t rx_packets, rx_bytes, rx_dropped, rx_errors;
	uint64_t tx_packets, tx_bytes, tx_dropped, tx_errors;
	uint64_t irqs; /* notifications from the device */
};

struct netdev_ops {
	/* Send one frame gathered from @iovcnt pieces, @len bytes in all.
	 * @retval 0 queued (the data was copied)
	 * @retval -EMSGSIZE longer than mtu + 18 or shorter than 14
	 * @retval -ENOBUFS the transmit ring is full (counted in tx_dropped)
	 * @retval -ENETDOWN the device failed */
	int (*xmit)(struct netdev *d, const struct iovec *iov, unsigned iovcnt, size_t len);
	/* Hand up to @budget received frames to d->rx(), in order, from the
	 * stack's thread; frames the driver found malformed are dropped and
	 * counted (rx_errors), not handed up.
	 * @retval frames handed up */
	int (*rx_poll)(struct netdev *d, int budget);
	/* Ask for d->notify() at the next frame.
	 * @retval 1 frames arrived meanwhile: poll again; 0 none */
	int (*rx_irq_enable)(struct netdev *d);
};

struct netdev {
	char name[NETDEV_NAME_MAX]; /* "eth0", ... given by netdev_register() */
	uint8_t mac[6];
	uint16_t mtu; /* payload bytes, 1500 unless the device says */
	volatile int link_up;
	struct netdev_stats stats; /* the driver counts; readers may see them torn */
	const struct netdev_ops *ops;
	void *priv; /* the driver's */

	/* Set by the stack before rx_irq_enable() is first called. */
	void (*notify)(struct netdev *d);			     /* interrupt context */
	void (*rx)(struct netdev *d, const void *frame, size_t len); /* copies */
	void *stack_priv;

	struct netdev *next; /* registry, in registration order */
};

/* Add a device (drivers, at INITCALL_DRIVER); names it eth0, eth1, ...
 * (at most eth9); an mtu of 0 becomes 1500.
 * @retval 0, -EINVAL (no ops or MAC), -ENOSPC */
int netdev_register(struct netdev *d);
/* By name ("eth0"), or NULL. */
struct netdev *netdev_find(const char *name);
/* The first registered device (the default interface), or NULL; then
 * d->next. Devices are never removed. */
struct netdev *netdev_first(void);

#endif
