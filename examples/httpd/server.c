/* httpd: an HTTP/1.1 server of event loops. Each loop (a thread) polls the
 * shared listening socket and its own connections, none of which it ever
 * blocks on (conn.c), so every accepted connection is served, however
 * many there are and whatever their clients do: a slow request meets its
 * head's deadline, a client that never reads its send deadline, an idle
 * one the idle timeout.
 *
 *   httpd [-p PORT] [-t LOOPS] [-c MAXCONN] [-r ROOT] [-d]
 *
 * LOOPS defaults to the number of CPUs, MAXCONN to 1,000 (less if the
 * descriptor limit is lower).
 * At MAXCONN open connections a new one takes the place of the
 * connection idle longest; when none is idle it gets a 503 and is closed.
 * Accepting never stops, so no client is left with its SYN unanswered.
 *
 * GET and HEAD; / and /status: the status page; other paths: files under
 * ROOT (none when ROOT is empty; the default is HTTPD_DEFAULT_ROOT, which
 * the image's build.mk sets to "/" when it has a file system). Prints
 * "httpd: listening on port N" once it accepts connections, and nothing
 * else unless -d asks for one line per connection (the console is slow in
 * a VM). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 */
#endif
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

#ifndef HTTPD_DEFAULT_ROOT
#define HTTPD_DEFAULT_ROOT "" /* as a Linux program: serve no files unless asked */
#endif

#define LOOPS_MAX 16
#define ACCEPT_BATCH 64

const char *httpd_doc_root = "";
int httpd_debug;

struct loop {
	int listener;
	int max; /* this loop's share of the connection limit */
	int n;
	struct conn **conns;
	struct pollfd *fds;
};

static void drop(struct loop *l, int i)
{
	struct conn *c = l->conns[i];

	if (httpd_debug)
		fprintf(stderr, "httpd: connection closed after %u requests\n", c->requests);
	conn_close(c);
	stats_add(&httpd_stats.open, -1);
	l->conns[i] = l->conns[--l->n];
}

/* At the limit: close the connection idle longest. @retval 0 room made */
static int evict_idle(struct loop *l)
{
	int oldest = -1;

	for (int i = 0; i < l->n; i++)
		if (conn_idle(l->conns[i]) &&
		    (oldest < 0 || l->conns[i]->t_active < l->conns[oldest]->t_active))
			oldest = i;
	if (oldest < 0)
		return -1;
	stats_count(&httpd_stats.evicted);
	drop(l, oldest);
	return 0;
}

/* Beyond the limit with nobody idle: say so at once and close. */
static void refuse(int fd)
{
	static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nServer: unishyper-httpd\r\n"
				   "Content-Type: text/plain\r\nContent-Length: 12\r\n"
				   "Connection: close\r\nRetry-After: 1\r\n\r\n503 too busy";

	stats_count(&httpd_stats.refused);
	(void)!send(fd, busy, sizeof(busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
}

static void accept_some(struct loop *l)
{
	int one = 1;

	for (int k = 0; k < ACCEPT_BATCH; k++) {
		int fd = accept4(l->listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			/* Out of descriptors or memory: the loop goes on with
			 * the connections it has; the next round tries again. */
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED) {
				stats_count(&httpd_stats.accept_errors);
				httpd_stats.last_accept_errno = errno;
			}
			return;
		}
		stats_count(&httpd_stats.connections);
		if (l->n == l->max && evict_idle(l)) {
			refuse(fd);
			continue;
		}
		struct conn *c = conn_open(fd);
		if (!c) {
			refuse(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		stats_add(&httpd_stats.open, 1);
		l->conns[l->n++] = c;
	}
}

/* Milliseconds until the nearest deadline, for poll. */
static int next_timeout(struct loop *l, long long now)
{
	long long first = now + 60000;

	for (int i = 0; i < l->n; i++) {
		long long d = conn_deadline(l->conns[i]);
		if (d < first)
			first = d;
	}
	return first <= now ? 0 : (int)(first - now);
}

static void *loop_run(void *arg)
{
	struct loop *l = arg;

	for (;;) {
		int n = l->n;
		l->fds[0] = (struct pollfd){.fd = l->listener, .events = POLLIN};
		for (int i = 0; i < n; i++)
			l->fds[i + 1] = (struct pollfd){.fd = l->conns[i]->fd,
							.events = conn_events(l->conns[i])};
		int r = poll(l->fds, (nfds_t)n + 1, next_timeout(l, now_ms()));
		if (r < 0 && errno != EINTR)
			usleep(10000);
		long long now = now_ms();
		/* Backwards: drop() moves the last connection into the hole. */
		for (int i = n - 1; i >= 0; i--) {
			struct conn *c = l->conns[i];
			short ev = r > 0 ? l->fds[i + 1].revents : 0;
			if (ev & POLLNVAL)
				ev = POLLERR;
			if (!ev && conn_deadline(c) > now)
				continue;
			if (!ev && !c->in_request)
				stats_count(&httpd_stats.timed_out);
			if (conn_run(c, ev, now))
				drop(l, i);
		}
		if (r > 0 && (l->fds[0].revents & POLLIN))
			accept_some(l);
	}
	return NULL;
}

static int usage(void)
{
	fprintf(stderr, "usage: httpd [-p PORT] [-t LOOPS] [-c MAXCONN] [-r ROOT] [-d]\n");
	return 2;
}

static int start_loops(int listener, int loops, int maxconn)
{
	for (int i = 0; i < loops; i++) {
		struct loop *l = calloc(1, sizeof(*l));
		pthread_t t;
		if (!l)
			return -1;
		l->listener = listener;
		l->max = maxconn / loops + (i < maxconn % loops);
		l->conns = calloc((size_t)l->max, sizeof(*l->conns));
		l->fds = calloc((size_t)l->max + 1, sizeof(*l->fds));
		if (!l->conns || !l->fds || pthread_create(&t, NULL, loop_run, l))
			return -1;
		pthread_detach(t);
	}
	return 0;
}

/* IPv6 and IPv4 on one socket (an IPv6 socket takes IPv4 clients as
 * mapped addresses); IPv4 alone where there is no IPv6.
 * @retval the listening socket; -1 with errno */
static int listen_on(int port)
{
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
	struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1, zero = 0, six = 1;
	int l = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (l < 0) {
		six = 0;
		l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	}
	if (l < 0)
		return -1;
	if (six)
		setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (six ? bind(l, (struct sockaddr *)&a6, sizeof(a6))
		 : bind(l, (struct sockaddr *)&a4, sizeof(a4))) ||
	    listen(l, 511)) {
		int e = errno;
		close(l);
		errno = e;
		return -1;
	}
	return l;
}

int main(int argc, char **argv)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int port = 80, maxconn = 1000, opt;
	/* A loop per CPU: more loops than CPUs only contend for the stack. */
	int loops = cpus < 1 ? 1 : cpus > LOOPS_MAX ? LOOPS_MAX : (int)cpus;

	httpd_doc_root = HTTPD_DEFAULT_ROOT;
	while ((opt = getopt(argc, argv, "p:t:c:r:d")) != -1) {
		switch (opt) {
		case 'p':
			port = atoi(optarg);
			break;
		case 't':
			loops = atoi(optarg);
			break;
		case 'c':
			maxconn = atoi(optarg);
			break;
		case 'r':
			httpd_doc_root = optarg;
			break;
		case 'd':
			httpd_debug = 1;
			break;
		default:
			return usage();
		}
	}
	if (port <= 0 || port > 65535 || loops <= 0 || loops > LOOPS_MAX || maxconn < loops ||
	    optind != argc)
		return usage();
	/* Never run out of descriptors before the limit: accept would fail
	 * and leave connections queued, their peers unanswered. */
	struct rlimit rl;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)maxconn > rl.rlim_cur - 16 && rl.rlim_cur > 16 + (rlim_t)loops)
		maxconn = (int)(rl.rlim_cur - 16);
	stats_start();
	int l = listen_on(port);
	if (l < 0) {
		fprintf(stderr, "httpd: cannot listen on port %d: %s\n", port, strerror(errno));
		return 1;
	}
	if (start_loops(l, loops, maxconn)) {
		fprintf(stderr, "httpd: cannot start the event loops\n");
		return 1;
	}
	printf("httpd: listening on port %d\n", port);
	fflush(stdout);
	for (;;)
		sleep(3600); /* the loops do the work */
}
