/* Private to net/: the pieces of the network module and how they meet. */
#ifndef NET_INTERNAL_H
#define NET_INTERNAL_H

#include <dev/netdev.h>

#include "lwip/ip4_addr.h"
#include "lwip/ip6_addr.h"
#include "lwip/netif.h"

struct net_addr_config {
	ip4_addr_t addr, netmask, gateway;
	int dhcp;
	int has_ip6; /* a static IPv6 address (/64) beside link-local and SLAAC */
	ip6_addr_t ip6;
};

/* Attach @d to the stack as an interface with @cfg's address and start
 * its receive thread (netif.c).
 * @retval 0; -ENOMEM; -EINVAL lwIP refused it */
int net_if_add(struct netdev *d, const struct net_addr_config *cfg);

/* The lwIP interface of @d, or NULL (net_init.c keeps the pairs). */
/* The lwIP interface of device @d (its stack_priv), or NULL. */
struct netif *net_if_of(struct netdev *d);

#endif
