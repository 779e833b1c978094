/* Each network device (include/dev/netdev.h) as an lwIP interface.
 *
 * Receiving: the device's interrupt only posts the interface's semaphore;
 * its receive thread takes frames from the driver in batches, copies each
 * into a buffer of ours (the driver's ring keeps its own) and runs it
 * through the stack under the core lock, with no hand-off to another
 * thread. A full-size frame goes into a pool buffer of 1,536 bytes; a
 * small one (an ACK, a ping, a one-byte segment) into a heap buffer of
 * its own size, so peers sending tiny segments that wait unread hold
 * what they sent, not a whole pool buffer each: 64 connections x 12
 * one-byte segments once emptied the pool for everyone. Both kinds are
 * bounded (the pool's size; RX_SMALL_BYTES_MAX for the small ones): a
 * full one drops the frame and counts it, so a flood cannot take memory
 * beyond them. Sending: lwIP's
 * linkoutput gives the driver the buffer chain as an iovec, and the
 * driver copies it into its ring. */
#include <errno.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <kernel/log.h>
#include <dev/netdev.h>
#include <kernel/thread.h>

#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/mld6.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/snmp.h"
#include "lwip/stats.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"
#include "net_internal.h"

#define RX_BUDGET 64
#define TX_IOV_MAX 16
#define RX_SMALL_MAX 512	      /* frames up to this size get a buffer of their size */
#define RX_SMALL_BYTES_MAX (4u << 20) /* all small buffers together */

/* A small received frame: lwIP's custom pbuf, then the frame. */
struct rx_small {
	struct pbuf_custom pc;
	size_t size;
};

#define RX_SMALL_HDR LWIP_MEM_ALIGN_SIZE(sizeof(struct rx_small))

static size_t rx_small_bytes; /* held now; freed by any thread, so atomic */

struct net_if {
	struct netif netif;
	struct netdev *dev;
	sem_t rx_wake;
	int last_link;
};

struct netif *net_if_of(struct netdev *d)
{
	struct net_if *nif = d->stack_priv;

	return nif ? &nif->netif : NULL;
}

static void on_notify(struct netdev *d)
{
	struct net_if *nif = d->stack_priv;
	int v;

	/* One pending post is enough to get the thread going again. */
	if (sem_getvalue(&nif->rx_wake, &v) == 0 && v > 0)
		return;
	sem_post(&nif->rx_wake);
}

/* lwIP lets go of a small frame: whichever thread frees the last
 * reference (the receive thread, or a reader of the socket). */
static void rx_small_free(struct pbuf *p)
{
	struct rx_small *b = (struct rx_small *)p;

	__atomic_sub_fetch(&rx_small_bytes, b->size, __ATOMIC_RELAXED);
	net_mem_free(b);
}

/* A pbuf of exactly @len bytes, or NULL when the small frames together
 * are at their limit or the heap is out. */
static struct pbuf *rx_small_alloc(u16_t len)
{
	size_t size = RX_SMALL_HDR + len;
	struct rx_small *b = NULL;

	if (__atomic_add_fetch(&rx_small_bytes, size, __ATOMIC_RELAXED) <= RX_SMALL_BYTES_MAX)
		b = net_mem_alloc(size);
	if (!b) {
		__atomic_sub_fetch(&rx_small_bytes, size, __ATOMIC_RELAXED);
		return NULL;
	}
	b->size = size;
	b->pc.custom_free_function = rx_small_free;
	return pbuf_alloced_custom(PBUF_RAW, len, PBUF_RAM, &b->pc, (u8_t *)b + RX_SMALL_HDR, len);
}

/* Called by the driver inside rx_poll(), on the receive thread. */
static void on_frame(struct netdev *d, const void *frame, size_t len)
{
	struct net_if *nif = d->stack_priv;
	struct pbuf *p;

	if (len < SIZEOF_ETH_HDR || len > NETDEV_FRAME_MAX) {
		d->stats.rx_errors++;
		return;
	}
	if (len <= RX_SMALL_MAX)
		p = rx_small_alloc((u16_t)len);
	else
		p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	if (!p) {
		d->stats.rx_dropped++;
		LINK_STATS_INC(link.memerr);
		return;
	}
	pbuf_take(p, frame, (u16_t)len);
	LINK_STATS_INC(link.recv);
	if (nif->netif.input(p, &nif->netif) != ERR_OK) {
		pbuf_free(p);
		d->stats.rx_dropped++;
	}
}

/* The link state is read here, in thread context, when a notification
 * came: netif_set_link_up/down must run under the core lock. */
static void update_link(struct net_if *nif)
{
	int up = nif->dev->link_up;

	if (up == nif->last_link)
		return;
	nif->last_link = up;
	LOCK_TCPIP_CORE();
	if (up)
		netif_set_link_up(&nif->netif);
	else
		netif_set_link_down(&nif->netif);
	UNLOCK_TCPIP_CORE();
	log_info("net: %s: link %s", nif->dev->name, up ? "up" : "down");
}

static void *rx_thread(void *arg)
{
	struct net_if *nif = arg;
	struct netdev *d = nif->dev;

	for (;;) {
		while (d->ops->rx_poll(d, RX_BUDGET) == RX_BUDGET)
			;
		update_link(nif);
		if (d->ops->rx_irq_enable(d))
			continue;
		while (sem_wait(&nif->rx_wake))
			;
	}
	return NULL;
}

static err_t linkoutput(struct netif *netif, struct pbuf *p)
{
	struct net_if *nif = netif->state;
	struct iovec iov[TX_IOV_MAX];
	unsigned n = 0;

	for (struct pbuf *q = p; q; q = q->next) {
		if (n == TX_IOV_MAX) {
			/* Rare: a chain of more pieces than we gather. */
			/* linkoutput runs under the core lock: one buffer. */
			static unsigned char flat[NETDEV_FRAME_MAX];
			if (p->tot_len > sizeof(flat))
				return ERR_BUF;
			pbuf_copy_partial(p, flat, p->tot_len, 0);
			iov[0].iov_base = flat;
			iov[0].iov_len = p->tot_len;
			n = 1;
			break;
		}
		iov[n].iov_base = q->payload;
		iov[n].iov_len = q->len;
		n++;
	}
	int r = nif->dev->ops->xmit(nif->dev, iov, n, p->tot_len);
	if (r) {
		LINK_STATS_INC(link.drop);
		return r == -ENOBUFS ? ERR_MEM : ERR_IF;
	}
	LINK_STATS_INC(link.xmit);
	return ERR_OK;
}

static err_t netif_setup(struct netif *netif)
{
	struct net_if *nif = netif->state;
	struct netdev *d = nif->dev;

	netif->name[0] = d->name[0];
	netif->name[1] = d->name[1];
	netif->output = etharp_output;
	netif->output_ip6 = ethip6_output;
	netif->linkoutput = linkoutput;
	netif->mtu = d->mtu ? d->mtu : 1500;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, d->mac, ETH_HWADDR_LEN);
	netif->flags =
	    NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_MLD6;
	return ERR_OK;
}

/* IPv6: the link-local address from the MAC, SLAAC from router
 * advertisements, and the configured static address. Addresses start
 * tentative: duplicate address detection runs once the link is up. Under
 * the core lock. */
static void ip6_setup(struct netif *netif, const struct net_addr_config *cfg)
{
	s8_t idx;

	netif_create_ip6_linklocal_address(netif, 1);
	netif_set_ip6_autoconfig_enabled(netif, 1);
	if (cfg->has_ip6 && netif_add_ip6_address(netif, &cfg->ip6, &idx) == ERR_OK)
		netif_ip6_addr_set_state(netif, idx, IP6_ADDR_TENTATIVE);
}

int net_if_add(struct netdev *d, const struct net_addr_config *cfg)
{
	struct thread_attr attr = {
	    .priority = 20, .flags = THREAD_F_PROTECTED | THREAD_F_KERNEL, .detached = 1};
	char name[16];
	struct net_if *nif = net_mem_calloc(1, sizeof(*nif));

	if (!nif)
		return -ENOMEM;
	nif->dev = d;
	nif->last_link = -1;
	sem_init(&nif->rx_wake, 0, 0);
	d->stack_priv = nif;
	d->rx = on_frame;
	d->notify = on_notify;

	LOCK_TCPIP_CORE();
	struct netif *ok = netif_add(&nif->netif, &cfg->addr, &cfg->netmask, &cfg->gateway, nif,
				     netif_setup, tcpip_input);
	if (ok) {
		netif_set_hostname(&nif->netif, "unishyper");
		if (!netif_default)
			netif_set_default(&nif->netif);
		ip6_setup(&nif->netif, cfg);
		netif_set_up(&nif->netif);
	}
	UNLOCK_TCPIP_CORE();
	if (!ok) {
		log_error("net: %s: lwIP refused the interface", d->name);
		d->rx = NULL;
		d->notify = NULL;
		d->stack_priv = NULL;
		sem_destroy(&nif->rx_wake);
		net_mem_free(nif);
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "%s-rx", d->name);
	attr.name = name;
	int tid = thread_spawn(&attr, rx_thread, nif);
	if (tid < 0) {
		log_error("net: %s: no receive thread (%d)", d->name, tid);
		return tid;
	}
	return 0;
}
