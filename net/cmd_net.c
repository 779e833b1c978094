/* The shell's `ifconfig`: each interface's addresses, link and counters,
 * then the stack's: TCP segments, connections, and the receive pool that
 * bounds the memory a flood can take. */
#include <stdio.h>
#include <dev/netdev.h>
#include <shell/shell.h>

#include "lwip/ip4_addr.h"
#include "lwip/ip6_addr.h"
#include "lwip/memp.h"
#include "lwip/stats.h"
#include "lwip/tcpip.h"
#include "net_internal.h"

/* Each IPv6 address and its state (tentative while duplicate address
 * detection runs). */
static void print_ip6(struct netif *n)
{
	for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
		char a[IP6ADDR_STRLEN_MAX];
		LOCK_TCPIP_CORE();
		u8_t st = netif_ip6_addr_state(n, i);
		ip6addr_ntoa_r(netif_ip6_addr(n, i), a, sizeof(a));
		UNLOCK_TCPIP_CORE();
		if (ip6_addr_isinvalid(st))
			continue;
		printf("      inet6 %s%s  %s\n", a,
		       ip6_addr_islinklocal(ip_2_ip6(&n->ip6_addr[i])) ? "" : "/64",
		       ip6_addr_istentative(st)	   ? "tentative"
		       : ip6_addr_isdeprecated(st) ? "deprecated"
						   : "preferred");
	}
}

static void print_if(struct netdev *d)
{
	struct netif *n = net_if_of(d);
	const struct netdev_stats *s = &d->stats;
	char ip[16] = "-", mask[16] = "-", gw[16] = "-";

	if (n) {
		LOCK_TCPIP_CORE();
		ip4addr_ntoa_r(netif_ip4_addr(n), ip, sizeof(ip));
		ip4addr_ntoa_r(netif_ip4_netmask(n), mask, sizeof(mask));
		ip4addr_ntoa_r(netif_ip4_gw(n), gw, sizeof(gw));
		UNLOCK_TCPIP_CORE();
	}
	printf("%s  link %s  mtu %u  ether %02x:%02x:%02x:%02x:%02x:%02x\n", d->name,
	       d->link_up ? "up" : "down", d->mtu, d->mac[0], d->mac[1], d->mac[2], d->mac[3],
	       d->mac[4], d->mac[5]);
	printf("      inet %s  netmask %s  gateway %s\n", ip, mask, gw);
	if (n)
		print_ip6(n);
	printf("      RX packets %llu  bytes %llu  dropped %llu  errors %llu\n",
	       (unsigned long long)s->rx_packets, (unsigned long long)s->rx_bytes,
	       (unsigned long long)s->rx_dropped, (unsigned long long)s->rx_errors);
	printf("      TX packets %llu  bytes %llu  dropped %llu  errors %llu  interrupts %llu\n",
	       (unsigned long long)s->tx_packets, (unsigned long long)s->tx_bytes,
	       (unsigned long long)s->tx_dropped, (unsigned long long)s->tx_errors,
	       (unsigned long long)s->irqs);
}

static int cmd_ifconfig(int argc, char **argv)
{
	struct netdev *only = NULL;

	if (argc > 2) {
		printf("usage: ifconfig [IFACE]\n");
		return SHELL_EXIT_USAGE;
	}
	if (argc == 2 && !(only = netdev_find(argv[1]))) {
		printf("ifconfig: %s: no such interface\n", argv[1]);
		return 1;
	}
	if (!netdev_first())
		printf("no network interface\n");
	for (struct netdev *d = netdev_first(); d; d = d->next)
		if (!only || d == only)
			print_if(d);
	if (only)
		return 0;
	const struct stats_proto *t = &lwip_stats.tcp;
	const struct stats_mem *pool = lwip_stats.memp[MEMP_PBUF_POOL];
	const struct stats_mem *pcbs = lwip_stats.memp[MEMP_TCP_PCB];
	printf("tcp   segments in %u  out %u  dropped %u  checksum errors %u\n", (unsigned)t->recv,
	       (unsigned)t->xmit, (unsigned)t->drop, (unsigned)t->chkerr);
	printf("      connections %u (peak %u, max %u)  refused for memory %u\n",
	       (unsigned)pcbs->used, (unsigned)pcbs->max, (unsigned)pcbs->avail,
	       (unsigned)pcbs->err);
	printf("pool  receive buffers in use %u of %u (peak %u)  exhausted %u times\n",
	       (unsigned)pool->used, (unsigned)pool->avail, (unsigned)pool->max,
	       (unsigned)pool->err);
	return 0;
}

SHELL_COMMAND_ARGS(ifconfig, "[IFACE]", "network interfaces: addresses, link, counters (needs net)",
		   cmd_ifconfig);
