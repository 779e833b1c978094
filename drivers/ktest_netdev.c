/* In-kernel tests of the first network interface (netdev_first()),
 * whichever driver provides it: virtio-net on microvm, the host backend
 * on linuxu. Without an interface they pass trivially. The ARP test needs
 * a peer that answers "who-has 10.0.0.1": QEMU user networking with
 * net=10.0.0.0/24,host=10.0.0.1, or on linuxu a script at the other end
 * of UNISHYPER_NET=udp:... It drives the device itself, so it runs only
 * while no TCP/IP stack has installed its hooks. */
#include <errno.h>
#include <semaphore.h>
#include <string.h>
#include <time.h>
#include <kernel/ktest.h>
#include <kernel/log.h>
#include <dev/netdev.h>

#define ARP_WAIT_MS 2000
#define ARP_RESEND_MS 500
#define POLL_BUDGET 8

static const uint8_t our_ip[4] = {10, 0, 0, 2}, peer_ip[4] = {10, 0, 0, 1};

static sem_t wake;
static volatile int got_reply;

/* Interrupt context: only wake the test. The semaphore is static and
 * never destroyed, so a late interrupt after the test is harmless. */
static void test_notify(struct netdev *d)
{
	(void)d;
	sem_post(&wake);
}

/* An ARP reply from 10.0.0.1 to our address. */
static void test_rx(struct netdev *d, const void *frame, size_t len)
{
	const uint8_t *f = frame;

	if (len < 42 || f[12] != 0x08 || f[13] != 0x06 || f[20] != 0 || f[21] != 2)
		return;
	if (!memcmp(f + 28, peer_ip, 4) && !memcmp(f + 32, d->mac, 6) && !memcmp(f + 38, our_ip, 4))
		got_reply = 1;
}

/* "who-has 10.0.0.1 tell 10.0.0.2", broadcast, padded to the Ethernet
 * minimum of 60 bytes; sent in two pieces to exercise the gather. */
static int send_arp_request(struct netdev *d)
{
	uint8_t eth[14], arp[46];

	memset(eth, 0xff, 6);
	memcpy(eth + 6, d->mac, 6);
	eth[12] = 0x08, eth[13] = 0x06;
	memset(arp, 0, sizeof(arp));
	arp[1] = 1;		/* Ethernet */
	arp[2] = 0x08;		/* IPv4 */
	arp[4] = 6, arp[5] = 4; /* address lengths */
	arp[7] = 1;		/* request */
	memcpy(arp + 8, d->mac, 6);
	memcpy(arp + 14, our_ip, 4);
	memcpy(arp + 24, peer_ip, 4);
	struct iovec iov[2] = {{eth, sizeof(eth)}, {arp, sizeof(arp)}};
	return d->ops->xmit(d, iov, 2, sizeof(eth) + sizeof(arp));
}

static struct timespec in_ms(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

/* The stack's receive loop (include/dev/netdev.h): poll until
 * rx_irq_enable() says nothing arrived meanwhile. */
static void drain(struct netdev *d)
{
	do
		while (d->ops->rx_poll(d, POLL_BUDGET) == POLL_BUDGET)
			;
	while (d->ops->rx_irq_enable(d));
}

/* Receive interrupts are on before each request goes out and the test
 * polls only after a notification, so a reply proves the interrupt path.
 * The request is sent again every ARP_RESEND_MS, until ARP_WAIT_MS. */
static void wait_for_reply(struct netdev *d)
{
	for (int tries = 0; tries < ARP_WAIT_MS / ARP_RESEND_MS && !got_reply; tries++) {
		struct timespec resend = in_ms(ARP_RESEND_MS);
		drain(d);
		EXPECT_EQ(send_arp_request(d), 0);
		while (!got_reply && sem_timedwait(&wake, &resend) == 0)
			drain(d);
	}
}

TEST(netdev, arp_reply_from_gateway)
{
	struct netdev *d = netdev_first();

	if (!d || d->notify || d->rx)
		return; /* none, or a stack owns it */
	uint64_t irqs = d->stats.irqs, tx = d->stats.tx_packets, rx = d->stats.rx_packets;
	sem_init(&wake, 0, 0);
	got_reply = 0;
	d->rx = test_rx;
	d->notify = test_notify;
	wait_for_reply(d);
	d->notify = NULL;
	d->rx = NULL;
	log_debug("net: %s: rx %llu (%llu errors, %llu dropped), tx %llu, %llu interrupts", d->name,
		  (unsigned long long)d->stats.rx_packets, (unsigned long long)d->stats.rx_errors,
		  (unsigned long long)d->stats.rx_dropped, (unsigned long long)d->stats.tx_packets,
		  (unsigned long long)d->stats.irqs);
	EXPECT(got_reply);
	EXPECT(d->link_up);
	EXPECT(d->stats.tx_packets > tx);
	EXPECT(d->stats.rx_packets > rx);
	EXPECT(d->stats.irqs > irqs); /* the reply came by interrupt, not polling */
}

TEST(netdev, xmit_rejects_bad_sizes)
{
	static uint8_t frame[2000];
	struct netdev *d = netdev_first();

	if (!d)
		return;
	uint64_t tx = d->stats.tx_packets;
	struct iovec small = {frame, 10}, big = {frame, sizeof(frame)};
	memset(frame, 0xff, sizeof(frame));
	EXPECT_EQ(d->ops->xmit(d, &small, 1, small.iov_len), -EMSGSIZE);
	EXPECT_EQ(d->ops->xmit(d, &big, 1, big.iov_len), -EMSGSIZE);
	EXPECT_EQ(d->stats.tx_packets, tx);
}

TEST(netdev, registry)
{
	struct netdev *d = netdev_first(), bad;

	memset(&bad, 0, sizeof(bad));
	EXPECT_EQ(netdev_register(&bad), -EINVAL); /* no ops, no MAC */
	EXPECT(netdev_find("eth9x") == NULL);
	if (!d)
		return;
	EXPECT(!strcmp(d->name, "eth0"));
	EXPECT(netdev_find("eth0") == d);
	EXPECT(d->mtu == 1500);
}
