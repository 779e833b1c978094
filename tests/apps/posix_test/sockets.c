/* Sockets: pairs (socketpair) with send/recv, their flags, and sendmsg/
 * recvmsg over several buffers; SIGPIPE and EPIPE from TCP sends over
 * loopback, when the image has the network. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "posix_test.h"

static void pairs(void)
{
	int sv[2];
	char buf[8] = "";

	CHECK("socketpair_inet_is_refused",
	      socketpair(AF_INET, SOCK_STREAM, 0, sv) == -1 && errno == EOPNOTSUPP);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		CHECK("socketpair_unix_stream", 0);
		return;
	}
	CHECK("socketpair_both_ways", write(sv[0], "ping", 4) == 4 && read(sv[1], buf, 8) == 4 &&
					  !memcmp(buf, "ping", 4) && write(sv[1], "pong", 4) == 4 &&
					  read(sv[0], buf, 8) == 4 && !memcmp(buf, "pong", 4));
	CHECK("socketpair_send_recv", send(sv[0], "abc", 3, MSG_NOSIGNAL) == 3 &&
					  recv(sv[1], buf, 8, MSG_DONTWAIT) == 3 &&
					  !memcmp(buf, "abc", 3));
	CHECK("socketpair_recv_dontwait_empty_is_eagain",
	      recv(sv[1], buf, 8, MSG_DONTWAIT) == -1 && errno == EAGAIN);
	int sh[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sh);
	CHECK("socketpair_shutdown_write_is_eof_for_the_peer",
	      send(sh[0], "z", 1, 0) == 1 && shutdown(sh[0], SHUT_WR) == 0 &&
		  read(sh[1], buf, 8) == 1 && read(sh[1], buf, 8) == 0 &&
		  send(sh[0], "y", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE &&
		  write(sh[1], "back", 4) == 4 && read(sh[0], buf, 8) == 4);
	close(sh[0]);
	close(sh[1]);
	struct stat st;
	CHECK("socketpair_is_a_socket", fstat(sv[0], &st) == 0 && S_ISSOCK(st.st_mode));
	/* What nginx probes: the peer's close is EPOLLRDHUP on epoll. */
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET}, got = {0};
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
	CHECK("socketpair_idle_not_ready", epoll_wait(ep, &got, 1, 0) == 0);
	close(sv[1]);
	CHECK("socketpair_peer_close_is_rdhup",
	      epoll_wait(ep, &got, 1, 1000) == 1 && (got.events & EPOLLRDHUP));
	CHECK("socketpair_read_after_peer_close_is_eof", read(sv[0], buf, 8) == 0);
	close(ep);
	close(sv[0]);
}

/* sendmsg and recvmsg on a pair: a stream over several buffers, peeked
 * or taken, without waiting; no control data to carry. */
static void pair_messages(void)
{
	int sv[2];
	char a[4] = "", b[8] = "", c1[2], c2[10], ctl[64];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		CHECK("socketpair_for_messages", 0);
		return;
	}
	CHECK("socketpair_recv_peek_leaves_the_data",
	      send(sv[0], "hello", 5, 0) == 5 && recv(sv[1], a, 3, MSG_PEEK) == 3 &&
		  !memcmp(a, "hel", 3) && recv(sv[1], b, 8, 0) == 5 && !memcmp(b, "hello", 5));
	CHECK("socketpair_recv_peek_dontwait_empty_is_eagain",
	      recv(sv[1], a, 3, MSG_PEEK | MSG_DONTWAIT) == -1 && errno == EAGAIN);

	struct iovec out[3] = {{"ab", 2}, {"cde", 3}, {"f", 1}};
	struct msghdr m = {.msg_iov = out, .msg_iovlen = 3};
	struct iovec in[2] = {{c1, 2}, {c2, 10}};
	struct sockaddr_storage from;
	struct msghdr n = {.msg_name = &from,
			   .msg_namelen = sizeof(from),
			   .msg_iov = in,
			   .msg_iovlen = 2,
			   .msg_control = ctl,
			   .msg_controllen = sizeof(ctl),
			   .msg_flags = 77};
	CHECK("socketpair_sendmsg_three_buffers", sendmsg(sv[0], &m, 0) == 6);
	CHECK("socketpair_recvmsg_peek_two_buffers",
	      recvmsg(sv[1], &n, MSG_PEEK) == 6 && !memcmp(c1, "ab", 2) && !memcmp(c2, "cdef", 4) &&
		  n.msg_controllen == 0 && n.msg_namelen == 0 && n.msg_flags == 0);
	memset(c2, 0, sizeof(c2));
	n.msg_controllen = sizeof(ctl);
	CHECK("socketpair_recvmsg_takes_it",
	      recvmsg(sv[1], &n, 0) == 6 && !memcmp(c2, "cdef", 4) && n.msg_controllen == 0);
	CHECK("socketpair_recvmsg_dontwait_empty_is_eagain",
	      recvmsg(sv[1], &n, MSG_DONTWAIT) == -1 && errno == EAGAIN);
	/* A short receive: the buffers take what fits, the rest stays. */
	static char big[100];
	memset(big, 'x', sizeof(big));
	big[20] = 'y';
	CHECK("socketpair_recvmsg_rest_stays",
	      send(sv[0], big, sizeof(big), 0) == 100 && recvmsg(sv[1], &n, 0) == 12 &&
		  recv(sv[1], big, sizeof(big), 0) == 88 && big[8] == 'y');

	/* Control data (SCM_RIGHTS and the like) is not carried: refused,
	 * nothing sent. An empty control buffer is no control data. */
	struct cmsghdr *cm = (struct cmsghdr *)ctl;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	memcpy(CMSG_DATA(cm), &sv[0], sizeof(int));
	m.msg_control = ctl;
	m.msg_controllen = CMSG_SPACE(sizeof(int));
	CHECK("socketpair_sendmsg_control_data_refused",
	      sendmsg(sv[0], &m, 0) == -1 && errno == EOPNOTSUPP &&
		  recv(sv[1], b, 8, MSG_DONTWAIT) == -1 && errno == EAGAIN);
	m.msg_controllen = 0;
	CHECK("socketpair_sendmsg_empty_control",
	      sendmsg(sv[0], &m, 0) == 6 && recv(sv[1], b, 8, 0) == 6 && !memcmp(b, "abcdef", 6));
	/* The pair is connected: an address is EISCONN, as on Linux. */
	struct sockaddr_storage to = {.ss_family = AF_UNIX};
	m.msg_name = &to;
	m.msg_namelen = sizeof(to);
	CHECK("socketpair_sendmsg_with_an_address_is_eisconn",
	      sendmsg(sv[0], &m, 0) == -1 && errno == EISCONN);
	CHECK("socketpair_sendto_with_an_address_is_eisconn",
	      sendto(sv[0], "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) == -1 &&
		  errno == EISCONN);
	m.msg_name = NULL;
	m.msg_namelen = 0;
	in[0].iov_base = (void *)1;
	send(sv[0], "z", 1, 0);
	CHECK("socketpair_recvmsg_bad_buffer_is_efault",
	      recvmsg(sv[1], &n, 0) == -1 && errno == EFAULT && recv(sv[1], b, 8, 0) == 1);
	in[0].iov_base = c1;
	/* The system calls themselves: the C library reads the header first. */
	CHECK("socketpair_msg_bad_header_is_efault",
	      syscall(SYS_recvmsg, sv[1], 1, MSG_DONTWAIT) == -1 && errno == EFAULT &&
		  syscall(SYS_sendmsg, sv[0], 1, 0) == -1 && errno == EFAULT);

	/* Without waiting, a full pair takes what fits, then nothing. */
	static char fill[80000];
	struct iovec two[2] = {{fill, 40000}, {fill + 40000, 40000}};
	struct msghdr w = {.msg_iov = two, .msg_iovlen = 2};
	ssize_t put = 80000;
	for (int i = 0; i < 100 && put == 80000; i++)
		put = sendmsg(sv[0], &w, MSG_DONTWAIT);
	CHECK("socketpair_sendmsg_dontwait_full",
	      put > 0 && put < 80000 && sendmsg(sv[0], &w, MSG_DONTWAIT) == -1 && errno == EAGAIN);
	close(sv[1]);
	CHECK("socketpair_sendmsg_nosignal_after_peer_close",
	      sendmsg(sv[0], &m, MSG_NOSIGNAL) == -1 && errno == EPIPE);
	close(sv[0]);
}

void pair_checks(void)
{
	pairs();
	pair_messages();
}

/* ------------------------------------------------------------ TCP */

static volatile int pipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	pipes++;
}

/* A connection over loopback: *c connected, *s accepted. @retval 0, or -1
 * when no connection could be made. */
static int tcp_connection(int *c, int *s)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	if (l < 0)
		return -1;
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4) ||
	    getsockname(l, (struct sockaddr *)&a, &len)) {
		close(l);
		return -1;
	}
	*c = socket(AF_INET, SOCK_STREAM, 0);
	*s = connect(*c, (struct sockaddr *)&a, sizeof(a)) ? -1 : accept(l, NULL, NULL);
	close(l);
	return *s < 0 ? -1 : 0;
}

/* Wait (up to 5 s) until @fd has news: data, the peer's FIN or reset. */
static int news(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, 5000) == 1;
}

/* Wait (up to 5 s) for the reset of @fd's connection. */
static int reset(int fd)
{
	struct pollfd p = {.fd = fd};

	return poll(&p, 1, 5000) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* The peer closed and then refused our data: EPIPE with SIGPIPE, as
 * Linux does once a reset follows the peer's FIN. */
static void tcp_peer_gone(void)
{
	int c, s;

	if (tcp_connection(&c, &s)) {
		CHECK("tcp_connection_for_peer_close", 0);
		return;
	}
	close(s);
	/* The first send is taken; the peer answers it with a reset. */
	CHECK("tcp_send_after_peer_close_then_reset_is_epipe_with_sigpipe",
	      news(c) && send(c, "x", 1, 0) == 1 && reset(c) && send(c, "x", 1, 0) == -1 &&
		  errno == EPIPE && pipes == 1);
	CHECK("tcp_write_after_reset_is_epipe_with_sigpipe",
	      write(c, "x", 1) == -1 && errno == EPIPE && pipes == 2);
	close(c);

	/* Reset while established (the peer closed with data unread):
	 * ECONNRESET once, without a signal, then EPIPE. */
	if (tcp_connection(&c, &s)) {
		CHECK("tcp_connection_for_reset", 0);
		return;
	}
	send(c, "abc", 3, 0);
	int arrived = news(s);
	close(s);
	CHECK("tcp_send_after_reset_is_econnreset_then_epipe",
	      arrived && reset(c) && send(c, "x", 1, 0) == -1 && errno == ECONNRESET &&
		  pipes == 2 && send(c, "x", 1, 0) == -1 && errno == EPIPE && pipes == 3);
	close(c);
}

/* Our side shut down for writing; and blocked, ignored, suppressed. */
static void tcp_shut_down(void)
{
	int c, s;
	struct iovec iov = {"x", 1};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	sigset_t set, old, pending;

	if (tcp_connection(&c, &s)) {
		CHECK("tcp_connection_for_shutdown", 0);
		return;
	}
	pipes = 0;
	shutdown(c, SHUT_WR);
	CHECK("tcp_send_after_shut_wr_is_epipe_with_sigpipe",
	      send(c, "x", 1, 0) == -1 && errno == EPIPE && pipes == 1);
	CHECK("tcp_sendmsg_after_shut_wr_is_epipe_with_sigpipe",
	      sendmsg(c, &m, 0) == -1 && errno == EPIPE && pipes == 2);
	CHECK("tcp_msg_nosignal_suppresses_sigpipe",
	      send(c, "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE &&
		  sendmsg(c, &m, MSG_NOSIGNAL) == -1 && errno == EPIPE && pipes == 2);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, &old);
	int r = (int)write(c, "x", 1), e = errno;
	sigpending(&pending);
	CHECK("tcp_sigpipe_blocked_is_epipe_and_pending",
	      r == -1 && e == EPIPE && pipes == 2 && sigismember(&pending, SIGPIPE));
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK("tcp_sigpipe_delivered_when_unblocked", pipes == 3);
	signal(SIGPIPE, SIG_IGN);
	CHECK("tcp_sigpipe_ignored_is_epipe", send(c, "x", 1, 0) == -1 && errno == EPIPE);
	signal(SIGPIPE, on_sigpipe);
	/* The peer still reads what came before, then the end. */
	char b[4];
	CHECK("tcp_peer_reads_the_end", recv(s, b, sizeof(b), 0) == 0);
	close(c);
	close(s);

	int u = socket(AF_INET, SOCK_STREAM, 0);
	CHECK("tcp_send_unconnected_is_epipe_with_sigpipe",
	      send(u, "x", 1, 0) == -1 && errno == EPIPE && pipes == 4);
	close(u);
}

void tcp_checks(void)
{
	int t = socket(AF_INET, SOCK_STREAM, 0);

	if (t < 0 && (errno == ENOSYS || errno == EAFNOSUPPORT)) {
		printf("posix_test: no network: TCP checks skipped\n");
		return;
	}
	close(t);
	signal(SIGPIPE, on_sigpipe);
	tcp_peer_gone();
	tcp_shut_down();
	signal(SIGPIPE, SIG_DFL);
}

/* "sigpipe-tcp": SIGPIPE's default action on a TCP send ends the system. */
int tcp_sigpipe_default(void)
{
	int c, s;

	if (tcp_connection(&c, &s)) {
		printf("posix_test: no TCP connection over loopback\n");
		return 1;
	}
	shutdown(c, SHUT_WR);
	write(c, "x", 1);
	printf("posix_test: still running after SIGPIPE\n");
	return 1;
}
