/* Start-up of the network module: the stack and its tcpip thread, then one
 * interface per network device, addressed from the configuration
 * (CONFIG_NET_IPADDR, _NETMASK, _GATEWAY, _DHCP) unless the kernel command
 * line says otherwise:
 *
 *     ip=10.0.0.5 netmask=255.255.255.0 gw=10.0.0.1 -- app args
 *     ip=dhcp -- app args
 *     ip6=fd00::5 (or ip6=none) -- app args
 *
 * Only the first device gets the configured address; others start
 * unaddressed (DHCP when it is on). With DHCP, start-up waits up to
 * NET_DHCP_WAIT_MS for a lease so that main() finds the address set. */
#include <errno.h>
#include <string.h>
#include <kernel/boot.h>
#include <kernel/initcall.h>
#include <kernel/log.h>
#include <dev/netdev.h>
#include <kernel/thread.h>

#include "lwip/dhcp.h"
#include "lwip/init.h"
#include "lwip/tcpip.h"
#include "net_internal.h"

#define NET_DHCP_WAIT_MS 3000
/* An address from the command line (@opt=) or else from the configuration.
 * @retval 0; -EINVAL not a dotted quad */
static int address(const char *opt, const char *configured, ip4_addr_t *out)
{
	char value[32];
	const char *s = kernel_option(opt, value, sizeof(value)) == 0 ? value : configured;

	if (!ip4addr_aton(s, out)) {
		log_error("net: %s=%s is not an IPv4 address", opt, s);
		return -EINVAL;
	}
	return 0;
}

static int read_config(struct net_addr_config *cfg)
{
	char value[32];

	memset(cfg, 0, sizeof(*cfg));
	cfg->dhcp = IS_ENABLED(CONFIG_NET_DHCP);
	if (kernel_option("ip", value, sizeof(value)) == 0) {
		if (!strcmp(value, "dhcp")) {
			cfg->dhcp = 1;
			return 0;
		}
		cfg->dhcp = 0;
	}
	if (cfg->dhcp)
		return 0;
	if (address("ip", CONFIG_NET_IPADDR, &cfg->addr) ||
	    address("netmask", CONFIG_NET_NETMASK, &cfg->netmask) ||
	    address("gw", CONFIG_NET_GATEWAY, &cfg->gateway))
		return -EINVAL;
	return 0;
}

/* ip6=ADDR, ip6=none, or else CONFIG_NET_IP6ADDR (empty: none).
 * @retval 0; -EINVAL not an IPv6 address */
static int read_ip6(struct net_addr_config *cfg)
{
	char value[64];
	const char *s =
	    kernel_option("ip6", value, sizeof(value)) == 0 ? value : CONFIG_NET_IP6ADDR;

	cfg->has_ip6 = 0;
	if (!*s || !strcmp(s, "none"))
		return 0;
	if (!ip6addr_aton(s, &cfg->ip6)) {
		log_error("net: ip6=%s is not an IPv6 address", s);
		return -EINVAL;
	}
	ip6_addr_clear_zone(&cfg->ip6);
	cfg->has_ip6 = 1;
	return 0;
}

static void wait_for_lease(struct netif *netif)
{
	for (int ms = 0; ms < NET_DHCP_WAIT_MS; ms += 10) {
		if (dhcp_supplied_address(netif))
			return;
		thread_sleep_ms(10);
	}
	log_warn("net: no DHCP lease after %d ms; going on without an address", NET_DHCP_WAIT_MS);
}

static int net_init(void)
{
	struct net_addr_config cfg, none;
	int ret = read_config(&cfg);

	if (!ret)
		ret = read_ip6(&cfg);
	if (ret)
		return ret;
	memset(&none, 0, sizeof(none));
	none.dhcp = cfg.dhcp;
	tcpip_init(NULL, NULL);
	int n = 0;
	for (struct netdev *d = netdev_first(); d; d = d->next, n++) {
		ret = net_if_add(d, n ? &none : &cfg);
		if (ret)
			continue;
		struct netif *netif = net_if_of(d);
		if (netif && (n ? none.dhcp : cfg.dhcp)) {
			LOCK_TCPIP_CORE();
			dhcp_start(netif);
			UNLOCK_TCPIP_CORE();
			wait_for_lease(netif);
		}
		if (netif)
			log_debug("net: %s %s", d->name, ip4addr_ntoa(netif_ip4_addr(netif)));
	}
	if (!n)
		log_debug("net: no network device");
	return 0;
}

INITCALL(INITCALL_NET, net_init);
