/* What lwIP's sockets layer takes from the C library instead of its own
 * sockets.h and inet.h (LWIP_SOCKET_EXTERNAL_HEADERS): Linux's structures
 * and constants, so a program's struct sockaddr_in, SOL_SOCKET or
 * MSG_DONTWAIT reach lwIP unchanged. Also declares the lwip_* calls that
 * net/socket.c wraps into descriptors. */
#ifndef UNISHYPER_NET_SOCKET_HEADERS_H
#define UNISHYPER_NET_SOCKET_HEADERS_H

#include <arpa/inet.h>
#include <string.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>

#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/err.h"

/* Linux's struct sockaddr_in has no length field and 8 bytes of zeros. */
#define SIN_ZERO_LEN 8

/* No length field to set. */
#define IP4ADDR_SOCKADDR_SET_LEN(sin) ((void)0)
#define IP6ADDR_SOCKADDR_SET_LEN(sin6) ((void)0)
#define IPADDR_SOCKADDR_GET_LEN(addr)                                                              \
	((socklen_t)((addr)->sa.sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)                \
						      : sizeof(struct sockaddr_in)))

/* select() sets hold FD_SETSIZE descriptors. */
#define LWIP_SELECT_MAXNFDS FD_SETSIZE

/* lwIP's keep-alive idle time in milliseconds (a BSD option Linux does not
 * have): a number no Linux TCP option uses. */
#define TCP_KEEPALIVE 0x7ff0

/* Linux has no such flag; lwIP only tests it. */
#ifndef MSG_MORE
#define MSG_MORE 0x8000
#endif

/* Conversion between lwIP's addresses and the C library's. */
#define inet_addr_from_ip4addr(target_inaddr, source_ipaddr)                                       \
	((target_inaddr)->s_addr = ip4_addr_get_u32(source_ipaddr))
#define inet_addr_to_ip4addr(target_ipaddr, source_inaddr)                                         \
	(ip4_addr_set_u32(target_ipaddr, (source_inaddr)->s_addr))
/* Both keep the 16 bytes in network order. */
#define inet6_addr_from_ip6addr(target_in6addr, source_ip6addr)                                    \
	memcpy((target_in6addr)->s6_addr, (source_ip6addr)->addr, 16)
#define inet6_addr_to_ip6addr(target_ip6addr, source_in6addr)                                      \
	do {                                                                                       \
		memcpy((target_ip6addr)->addr, (source_in6addr)->s6_addr, 16);                     \
		ip6_addr_clear_zone(target_ip6addr);                                               \
	} while (0)

int lwip_accept(int s, struct sockaddr *addr, socklen_t *addrlen);
int lwip_bind(int s, const struct sockaddr *name, socklen_t namelen);
int lwip_shutdown(int s, int how);
int lwip_getpeername(int s, struct sockaddr *name, socklen_t *namelen);
int lwip_getsockname(int s, struct sockaddr *name, socklen_t *namelen);
int lwip_getsockopt(int s, int level, int optname, void *optval, socklen_t *optlen);
int lwip_setsockopt(int s, int level, int optname, const void *optval, socklen_t optlen);
int lwip_close(int s);
int lwip_connect(int s, const struct sockaddr *name, socklen_t namelen);
int lwip_listen(int s, int backlog);
ssize_t lwip_recv(int s, void *mem, size_t len, int flags);
ssize_t lwip_read(int s, void *mem, size_t len);
ssize_t lwip_readv(int s, const struct iovec *iov, int iovcnt);
ssize_t lwip_recvfrom(int s, void *mem, size_t len, int flags, struct sockaddr *from,
		      socklen_t *fromlen);
ssize_t lwip_recvmsg(int s, struct msghdr *message, int flags);
ssize_t lwip_send(int s, const void *dataptr, size_t size, int flags);
ssize_t lwip_sendmsg(int s, const struct msghdr *message, int flags);
ssize_t lwip_sendto(int s, const void *dataptr, size_t size, int flags, const struct sockaddr *to,
		    socklen_t tolen);
int lwip_socket(int domain, int type, int protocol);
ssize_t lwip_write(int s, const void *dataptr, size_t size);
ssize_t lwip_writev(int s, const struct iovec *iov, int iovcnt);
int lwip_select(int maxfdp1, fd_set *readset, fd_set *writeset, fd_set *exceptset,
		struct timeval *timeout);
int lwip_poll(struct pollfd *fds, nfds_t nfds, int timeout);
int lwip_ioctl(int s, long cmd, void *argp);
int lwip_fcntl(int s, int cmd, int val);
const char *lwip_inet_ntop(int af, const void *src, char *dst, socklen_t size);
int lwip_inet_pton(int af, const char *src, void *dst);

#endif
