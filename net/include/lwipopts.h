/*
 * lwIP's configuration for Unishyper (lwIP 2.1, lwip/opt.h documents every
 * option). lwIP runs on kernel threads (NO_SYS=0) with one core lock: a
 * socket call or a received frame runs the stack directly in the calling
 * thread under the lock, instead of passing a message to the tcpip thread
 * and waiting for it (two thread switches per call).
 *
 * Memory: fixed pools for the control blocks and received frames, so that
 * a flood of connections or frames meets a limit and is refused instead of
 * taking the machine's memory; transmit data from the kernel heap, bounded
 * per connection by TCP_SND_BUF. None of it comes from a thread's own heap,
 * which a crash takes back.
 */
#ifndef UNISHYPER_LWIPOPTS_H
#define UNISHYPER_LWIPOPTS_H

/* ---- the operating system */
#define NO_SYS 0
#define SYS_LIGHTWEIGHT_PROT 1
#define LWIP_TCPIP_CORE_LOCKING 1
#define LWIP_TCPIP_CORE_LOCKING_INPUT 1
#define LWIP_NETCONN_SEM_PER_THREAD 0
#define TCPIP_THREAD_NAME "tcpip"
#define TCPIP_THREAD_STACKSIZE (32 * 1024)
#define TCPIP_THREAD_PRIO 20
#define TCPIP_MBOX_SIZE 256
#define DEFAULT_THREAD_STACKSIZE (32 * 1024)
#define DEFAULT_RAW_RECVMBOX_SIZE 64
#define DEFAULT_UDP_RECVMBOX_SIZE 128
#define DEFAULT_TCP_RECVMBOX_SIZE 128
/* Connections waiting for accept(): a full queue resets the newest. lwIP's
 * own listen backlog is off (TCP_LISTEN_BACKLOG 0): it counts in 8 bits,
 * and 400 clients reconnecting at once met it and waited a second for
 * their SYN's retransmission. The pcb pool bounds what is pending. */
#define DEFAULT_ACCEPTMBOX_SIZE 1024
#define LWIP_TIMERS 1

/* ---- memory */
#define MEM_ALIGNMENT 8
#define MEM_LIBC_MALLOC 1
#define mem_clib_malloc net_mem_alloc
#define mem_clib_calloc net_mem_calloc
#define mem_clib_free net_mem_free
#define MEMP_MEM_MALLOC 0
#define MEMP_NUM_PBUF 64
#define MEMP_NUM_RAW_PCB 8
#define MEMP_NUM_UDP_PCB 32
/* A thousand connections held open at once (and as many closing): a
 * full table leaves new SYNs unanswered. */
#define MEMP_NUM_TCP_PCB 1100
#define MEMP_NUM_TCP_PCB_LISTEN 16
/* Queued segments of all connections together: each may hold a send
 * buffer's worth (32 full segments). At 512, 20 clients that never read
 * held them all, and a SYN-ACK found none: new connections hung. */
#define MEMP_NUM_TCP_SEG 8192
/* Datagrams up to 64 KB: 45 fragments of 1,480 bytes, in and out. */
#define MEMP_NUM_REASSDATA 8
#define IP_REASS_MAX_PBUFS 64
#define MEMP_NUM_FRAG_PBUF 64
#define MEMP_NUM_ARP_QUEUE 32
#define MEMP_NUM_NETBUF 64
#define MEMP_NUM_NETCONN 1024 /* sockets: listening, connected, UDP (<= FD_SETSIZE) */
#define MEMP_NUM_TCPIP_MSG_API 64
#define MEMP_NUM_TCPIP_MSG_INPKT 256
#define MEMP_NUM_SYS_TIMEOUT (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8)
#define PBUF_POOL_SIZE 512
#define PBUF_POOL_BUFSIZE 1536 /* one whole frame per pbuf */
/* Small frames are copied into buffers of their own size (netif.c). */
#define LWIP_SUPPORT_CUSTOM_PBUF 1

/* ---- protocols */
#define LWIP_ARP 1
#define ARP_TABLE_SIZE 32
#define ARP_QUEUEING 1
#define ETHARP_SUPPORT_STATIC_ENTRIES 1
#define LWIP_IPV4 1
/* IPv6 beside IPv4: link-local and stateless (SLAAC) addresses, a static
 * one from the configuration, neighbour discovery (which needs MLD to
 * join the solicited-node groups), fragments both ways. */
#define LWIP_IPV6 1
#define LWIP_IPV6_AUTOCONFIG 1
#define LWIP_IPV6_MLD 1
#define LWIP_IPV6_FRAG 1
#define LWIP_IPV6_REASS 1
#define IPV6_FRAG_COPYHEADER 1 /* 64-bit pointers do not fit in the fragment header */
#define LWIP_IPV6_DHCP6 0
#define LWIP_IPV6_NUM_ADDRESSES 4
#define LWIP_ICMP6 1
#define LWIP_ND6_NUM_NEIGHBORS 32
#define LWIP_ND6_QUEUEING 1
#define MEMP_NUM_ND6_QUEUE 32
#define MEMP_NUM_MLD6_GROUP 8
#define IP_FORWARD 0
#define IP_REASSEMBLY 1
#define IP_FRAG 1
#define LWIP_ICMP 1
#define LWIP_RAW 1
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define LWIP_DNS 0
#define LWIP_IGMP 0
#define LWIP_AUTOIP 0
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1
#define LWIP_NETIF_HOSTNAME 1
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_HAVE_LOOPIF 1
#define LWIP_LOOPBACK_MAX_PBUFS 64

/* TCP: windows large enough to keep a virtio ring busy. */
#define TCP_MSS 1460
#define TCP_WND (32 * TCP_MSS)
#define TCP_SND_BUF (32 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_SNDLOWAT (TCP_SND_BUF / 2)
#define TCP_QUEUE_OOSEQ 1
/* What a connection may hold out of order: a peer sending only segments
 * beyond a hole cannot take the receive buffers. */
#define TCP_OOSEQ_MAX_PBUFS 64
#define TCP_LISTEN_BACKLOG 0
#define TCP_DEFAULT_LISTEN_BACKLOG 64
#define LWIP_WND_SCALE 1
#define TCP_RCV_SCALE 2
#define LWIP_TCP_KEEPALIVE 1
#define LWIP_TCP_TIMESTAMPS 0
#define TCP_OVERSIZE TCP_MSS
#define LWIP_TCP_SACK_OUT 0
#define TCP_TTL 64
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1
#define LWIP_RAND() ((u32_t)net_random32())

/* ---- the API */
#define LWIP_NETCONN 1
#define LWIP_SOCKET 1
#define LWIP_COMPAT_SOCKETS 0
#define LWIP_POSIX_SOCKETS_IO_NAMES 0
#define LWIP_SOCKET_OFFSET 0
#define LWIP_SOCKET_SELECT 1
#define LWIP_SOCKET_POLL 1
#define LWIP_SO_SNDTIMEO 1
#define LWIP_SO_RCVTIMEO 1
#define LWIP_SO_RCVBUF 1
#define LWIP_SO_LINGER 1
#define SO_REUSE 1
#define LWIP_TCP_CLOSE_TIMEOUT_MS_DEFAULT 5000
#define LWIP_NETCONN_FULLDUPLEX 0
#define LWIP_FIONREAD_LINUXMODE 1
#define RECV_BUFSIZE_DEFAULT (256 * 1024)
/* The C library's socket headers: the structures and constants Linux
 * programs are compiled against, so a socket call needs no translation. */
#define LWIP_SOCKET_EXTERNAL_HEADERS 1
#define LWIP_SOCKET_EXTERNAL_HEADER_SOCKETS_H "net_socket_headers.h"
#define LWIP_SOCKET_EXTERNAL_HEADER_INET_H "net_socket_headers.h"
#define LWIP_TIMEVAL_PRIVATE 0
#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_PROVIDE_ERRNO 0
#define LWIP_DNS_API_DECLARE_STRUCTS 0

/* ---- checksums: computed in software (no offloads negotiated) */
#define LWIP_CHECKSUM_ON_COPY 1

/* ---- statistics for `ifconfig` and the status page */
#define LWIP_STATS 1
#define LWIP_STATS_LARGE 1 /* 32-bit counters: 16 bits wrap within a second of traffic */
#define LWIP_STATS_DISPLAY 0
#define MEMP_STATS 1
#define MEM_STATS 1
#define LINK_STATS 1
#define IP_STATS 1
#define TCP_STATS 1
#define UDP_STATS 1
#define ICMP_STATS 1
#define ETHARP_STATS 1
#define SYS_STATS 0
#define IPFRAG_STATS 0

#define LWIP_NOASSERT_ON_ERROR 1

#ifdef CONFIG_NET_CHECK_LOCKING
void net_assert_core_locked(void);
#define LWIP_ASSERT_CORE_LOCKED() net_assert_core_locked()
#endif

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>
void *net_mem_alloc(size_t size);
void *net_mem_calloc(size_t n, size_t size);
void net_mem_free(void *p);
uint32_t net_random32(void);
#endif

#endif
