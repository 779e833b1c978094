/* Echo servers for the network tests: TCP on port 7 (a thread per
 * connection) and UDP on port 7, through the BSD socket calls; and port 9,
 * which listens but never accepts (for what unaccepted connections may
 * hold in the stack). Also checks
 * a few calls' errors at start, so that a broken socket layer shows in the
 * boot log before any traffic. Prints "net_echo: ready" when it listens.
 *
 * Arguments: [seconds]   run that long, then exit 0 (default: forever). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define PORT 7

static int check(int ok, const char *what)
{
	if (!ok)
		printf("net_echo: FAIL %s (errno %d)\n", what, errno);
	return ok;
}

static int half_close_test(void);

/* Error paths that must answer with the right errno. */
static int self_test(void)
{
	int ok = 1;
	char c;

	ok &=
	    check(socket(AF_UNIX, SOCK_STREAM, 0) < 0 && errno == EAFNOSUPPORT, "AF_UNIX refused");
	ok &= check(recv(0, &c, 1, 0) < 0 && errno == ENOTSOCK, "recv on console: ENOTSOCK");
	ok &= check(send(200, &c, 1, 0) < 0 && errno == EBADF, "send on closed: EBADF");
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ok &= check(s >= 0, "socket");
	ok &= check(accept(s, NULL, NULL) < 0 && errno == EINVAL, "accept unlistened: EINVAL");
	ok &= check(recv(s, &c, 1, 0) < 0 && errno == ENOTCONN, "recv unconnected: ENOTCONN");
	struct pollfd p = {.fd = s, .events = POLLIN};
	ok &= check(poll(&p, 1, 0) >= 0, "poll");
	close(s);
	return ok && half_close_test();
}

static int tcp_pair(int l, int *client, int *server)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	*client = socket(AF_INET, SOCK_STREAM, 0);
	if (*client < 0 || getsockname(l, (struct sockaddr *)&a, &len) ||
	    connect(*client, (struct sockaddr *)&a, len))
		return 0;
	*server = accept(l, NULL, NULL);
	return *server >= 0;
}

/* A connection that shut its sending side, then read the end of its
 * peer's stream while its own FIN was still unacknowledged (LAST_ACK):
 * its pcb is freed when the ACK comes, and the next connection may get
 * the same pcb. Closing the first must not touch the second. Over the
 * loopback interface, so the order of events is fixed. */
static int half_close_test(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct timeval t = {.tv_sec = 2};
	int ok = 1, l, c1, s1, c2, s2;
	char c = 0;

	l = socket(AF_INET, SOCK_STREAM, 0);
	if (!check(l >= 0 && !bind(l, (struct sockaddr *)&a, sizeof(a)) && !listen(l, 4),
		   "half-close: listen on 127.0.0.1"))
		return 0;
	ok &= check(tcp_pair(l, &c1, &s1), "half-close: first connection");
	shutdown(c1, SHUT_WR);
	usleep(20000);
	ok &=
	    check(shutdown(s1, SHUT_WR) == 0, "half-close: shutdown(SHUT_WR) after the peer's FIN");
	setsockopt(s1, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof(t));
	ok &= check(recv(s1, &c, 1, 0) == 0, "half-close: end of stream read");
	usleep(20000); /* the last ACK comes: the pcb is freed */
	ok &= check(tcp_pair(l, &c2, &s2), "half-close: second connection");
	close(s1);
	setsockopt(s2, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof(t));
	setsockopt(c2, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof(t));
	c = 'x';
	ok &= check(send(c2, &c, 1, 0) == 1 && recv(s2, &c, 1, 0) == 1 && c == 'x' &&
			send(s2, &c, 1, 0) == 1 && recv(c2, &c, 1, 0) == 1 && c == 'x',
		    "half-close: closing the first leaves the second working");
	close(c1);
	close(c2);
	close(s2);
	close(l);
	return ok;
}

static void *serve_tcp_conn(void *arg)
{
	int c = (int)(long)arg;
	char buf[4096];
	ssize_t n;
	int one = 1;

	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* A client that goes away is EPIPE here, not SIGPIPE's end of the
	 * system, as for any server on Linux. */
	while ((n = recv(c, buf, sizeof(buf), 0)) > 0)
		if (send(c, buf, (size_t)n, MSG_NOSIGNAL) != n)
			break;
	close(c);
	return NULL;
}

static void *tcp_server(void *arg)
{
	int l = (int)(long)arg;

	for (;;) {
		int c = accept(l, NULL, NULL);
		if (c < 0)
			continue;
		pthread_t t;
		if (pthread_create(&t, NULL, serve_tcp_conn, (void *)(long)c))
			close(c);
		else
			pthread_detach(t);
	}
	return NULL;
}

static void *udp_server(void *arg)
{
	int u = (int)(long)arg;
	char buf[2048];
	struct sockaddr_in from;

	for (;;) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (n >= 0)
			sendto(u, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(PORT)};
	int one = 1;

	if (!self_test())
		return 1;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l < 0 || u < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 16) ||
	    bind(u, (struct sockaddr *)&a, sizeof(a))) {
		printf("net_echo: cannot listen (errno %d)\n", errno);
		return 1;
	}
	struct sockaddr_in a9 = {.sin_family = AF_INET, .sin_port = htons(9)};
	int never = socket(AF_INET, SOCK_STREAM, 0);
	if (never < 0 || bind(never, (struct sockaddr *)&a9, sizeof(a9)) || listen(never, 128)) {
		printf("net_echo: cannot listen on port 9 (errno %d)\n", errno);
		return 1;
	}
	pthread_t t;
	pthread_create(&t, NULL, tcp_server, (void *)(long)l);
	pthread_create(&t, NULL, udp_server, (void *)(long)u);
	printf("net_echo: ready\n");
	fflush(stdout);
	if (argc > 1) {
		sleep((unsigned)atoi(argv[1]));
		printf("net_echo: done\n");
		return 0;
	}
	for (;;)
		sleep(3600);
}
