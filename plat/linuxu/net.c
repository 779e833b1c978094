/* A network interface on linuxu, standing in for virtio-net: frames go
 * through a host descriptor that the host environment variable
 * UNISHYPER_NET names:
 *
 *   tap:NAME               the host's tap interface NAME (/dev/net/tun,
 *                          no packet information header)
 *   udp:LOCALPORT:REMOTEPORT
 *                          one UDP datagram per frame, received on
 *                          127.0.0.1:LOCALPORT, sent to 127.0.0.1:REMOTEPORT:
 *                          QEMU's -netdev socket,udp=... framing, so a test
 *                          script or a QEMU guest can be the other end
 *                          without root
 *
 * The MAC address is 52:54:00:12:34:56 unless UNISHYPER_NET_MAC says.
 * The descriptor is non-blocking and signal-driven (linuxu_irq_fd()): its
 * SIGIO is the receive interrupt. Sending is one host call that copies the
 * frame (writev, sendmsg), so it needs no lock. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <kernel/initcall.h>
#include <kernel/log.h>
#include <dev/netdev.h>

#include "host.h"
#include "linuxu.h"

#define HOST_MSG_TRUNC 0x20
#define HOST_TUNSETIFF 0x400454ca
#define HOST_IFF_TAP 0x0002
#define HOST_IFF_NO_PI 0x1000
#define LOOPBACK 0x7f000001u
#define ETH_HLEN 14

struct host_ifreq {
	char name[16];
	short flags;
	char pad[22];
};

struct host_sockaddr_in {
	uint16_t family, port; /* port and address in network order */
	uint32_t addr;
	uint8_t zero[8];
};

struct host_msghdr {
	void *name;
	uint32_t namelen, pad0;
	const struct iovec *iov;
	size_t iovlen;
	void *control;
	size_t controllen;
	int flags, pad1;
};

static struct hostnet {
	struct netdev nd;
	long fd;
	int udp;
	struct host_sockaddr_in peer;	   /* udp: where frames go */
	uint8_t buf[NETDEV_FRAME_MAX + 1]; /* one more: a longer frame shows */
} net = {.fd = -1};

static void count(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED); /* several senders */
}

/* @retval 0 sent; -EMSGSIZE; -ENOBUFS the host has no room now;
 *         -ENETDOWN the host refused it (a tap interface that is down) */
static int host_xmit(struct netdev *d, const struct iovec *iov, unsigned iovcnt, size_t len)
{
	struct host_msghdr msg = {
	    .name = &net.peer, .namelen = sizeof(net.peer), .iov = iov, .iovlen = iovcnt};
	long n;

	if (len < ETH_HLEN || len > d->mtu + 18u)
		return -EMSGSIZE;
	do {
		if (net.udp)
			n = host_syscall(HOST_SENDMSG, net.fd, &msg, 0);
		else
			n = host_syscall(HOST_WRITEV, net.fd, iov, iovcnt);
	} while (n == -EINTR);
	if (n == -EAGAIN || n == -ENOBUFS) {
		count(&d->stats.tx_dropped, 1);
		return -ENOBUFS;
	}
	if (n < 0) {
		count(&d->stats.tx_errors, 1);
		return -ENETDOWN;
	}
	count(&d->stats.tx_packets, 1);
	count(&d->stats.tx_bytes, len);
	return 0;
}

/* One frame from the host: its length, 0 when none is waiting, or a
 * negative errno. A UDP datagram reports its whole length (MSG_TRUNC). */
static long host_recv(void)
{
	long n;

	do {
		if (net.udp)
			n = host_syscall6(HOST_RECVFROM, net.fd, (long)net.buf, sizeof(net.buf),
					  HOST_MSG_TRUNC, 0, 0);
		else
			n = host_syscall(HOST_READ, net.fd, net.buf, sizeof(net.buf));
	} while (n == -EINTR);
	return n == -EAGAIN ? 0 : n;
}

/* Called only from the stack's thread, so net.buf needs no lock. A read
 * that finds nothing, or fails, ends the round; rx_irq_enable() looks
 * again before the stack sleeps. */
static int host_rx_poll(struct netdev *d, int budget)
{
	int done = 0;

	for (int tries = 0; tries < budget; tries++) {
		long n = host_recv();
		if (n <= 0) {
			if (n < 0)
				d->stats.rx_errors++;
			break;
		}
		if (n < ETH_HLEN || n > NETDEV_FRAME_MAX) {
			d->stats.rx_errors++;
			continue;
		}
		if (!d->rx) {
			d->stats.rx_dropped++;
			continue;
		}
		d->stats.rx_packets++;
		d->stats.rx_bytes += (uint64_t)n;
		d->rx(d, net.buf, (size_t)n);
		done++;
	}
	return done;
}

/* SIGIO comes for every frame that arrives, whatever we asked: nothing to
 * turn on, only a frame to notice that came after the last read. */
static int host_rx_irq_enable(struct netdev *d)
{
	struct {
		int fd;
		short events, revents;
	} pfd = {(int)net.fd, HOST_POLLIN, 0};

	(void)d;
	return host_syscall(HOST_POLL, &pfd, 1, 0) > 0 && (pfd.revents & HOST_POLLIN);
}

/* The device interrupt (SIGIO): also for the descriptor becoming writable,
 * so sometimes spurious; the stack polls and finds nothing. */
static void host_net_irq(void *arg)
{
	struct netdev *d = arg;
	void (*notify)(struct netdev *) = d->notify;

	d->stats.irqs++;
	if (notify)
		notify(d);
}

static const struct netdev_ops host_net_ops = {
    .xmit = host_xmit,
    .rx_poll = host_rx_poll,
    .rx_irq_enable = host_rx_irq_enable,
};

/* @retval the descriptor, or the host's negative errno */
static long open_tap(const char *name)
{
	struct host_ifreq ifr = {.flags = HOST_IFF_TAP | HOST_IFF_NO_PI};
	long fd = host_syscall(HOST_OPEN, "/dev/net/tun", HOST_O_RDWR | HOST_O_CLOEXEC, 0);

	if (fd < 0)
		return fd;
	strncpy(ifr.name, name, sizeof(ifr.name) - 1);
	long r = host_syscall(HOST_IOCTL, fd, HOST_TUNSETIFF, &ifr);
	if (r < 0) {
		host_syscall(HOST_CLOSE, fd, 0, 0);
		return r;
	}
	return fd;
}

static int parse_port(const char *s, char **end)
{
	unsigned long v = strtoul(s, end, 10);

	return *end != s && v > 0 && v < 65536 ? (int)v : -1;
}

/* "LOCALPORT:REMOTEPORT" -> a socket bound to the first, net.peer the
 * second. @retval the descriptor, or a negative errno */
static long open_udp(const char *ports)
{
	char *end;
	int local = parse_port(ports, &end), remote = -1;

	if (local > 0 && *end == ':')
		remote = parse_port(end + 1, &end);
	if (local < 0 || remote < 0 || *end)
		return -EINVAL;
	struct host_sockaddr_in me = {
	    HOST_AF_INET, __builtin_bswap16((uint16_t)local), __builtin_bswap32(LOOPBACK), {0}};
	net.peer = (struct host_sockaddr_in){
	    HOST_AF_INET, __builtin_bswap16((uint16_t)remote), __builtin_bswap32(LOOPBACK), {0}};
	long fd = host_syscall(HOST_SOCKET, HOST_AF_INET, HOST_SOCK_DGRAM | HOST_SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	long r = host_syscall(HOST_BIND, fd, &me, sizeof(me));
	if (r < 0) {
		host_syscall(HOST_CLOSE, fd, 0, 0);
		return r;
	}
	net.udp = 1;
	return fd;
}

/* "xx:xx:xx:xx:xx:xx". @retval 0, or -EINVAL and @mac untouched */
static int parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t m[6];
	char *end;

	for (int i = 0; i < 6; i++) {
		unsigned long v = strtoul(s, &end, 16);
		if (end == s || end - s > 2 || v > 255 || *end != (i < 5 ? ':' : '\0'))
			return -EINVAL;
		m[i] = (uint8_t)v;
		s = end + 1;
	}
	memcpy(mac, m, 6);
	return 0;
}

/* @retval 0 registered, or no UNISHYPER_NET (no interface is not an error)
 * @retval -EINVAL a setting that does not parse
 * @retval the host's negative errno from opening the descriptor */
static int linuxu_net_init(void)
{
	static const uint8_t default_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
	const char *spec = linuxu_host_env("UNISHYPER_NET");
	const char *mac = linuxu_host_env("UNISHYPER_NET_MAC");
	int err;

	if (!spec || !*spec)
		return 0;
	if (!strncmp(spec, "tap:", 4) && spec[4])
		net.fd = open_tap(spec + 4);
	else if (!strncmp(spec, "udp:", 4))
		net.fd = open_udp(spec + 4);
	else
		net.fd = -EINVAL;
	if (net.fd < 0) {
		log_error("net: UNISHYPER_NET=%s: cannot open (%ld)", spec, net.fd);
		return (int)net.fd;
	}
	memcpy(net.nd.mac, default_mac, 6);
	if (mac && parse_mac(mac, net.nd.mac))
		log_error("net: UNISHYPER_NET_MAC=%s is not a MAC address; using the default", mac);
	net.nd.mtu = 1500;
	net.nd.link_up = 1;
	net.nd.ops = &host_net_ops;
	net.nd.priv = &net;
	if ((err = linuxu_irq_fd(net.fd, host_net_irq, &net.nd)) ||
	    (err = netdev_register(&net.nd))) {
		log_error("net: %s: cannot attach (%d)", spec, err);
		return err;
	}
	log_debug("net: %s is %s", net.nd.name, spec);
	return 0;
}

INITCALL(INITCALL_DRIVER, linuxu_net_init);
