/* net_tcp_bench: the server side of the TCP benchmark. The client (in
 * client/, built on the host) connects to port 4444.
 *
 *   net_tcp_bench server-bw     count the bytes of each connection until
 *                               it closes; print MB/s per connection
 *   net_tcp_bench latency       echo every byte back at once (ping-pong:
 *                               the client times round trips)
 *   [-p PORT]                   default 4444
 *   [-c CONNS]                  connections served at once, default 4
 *
 * `make run APP=net_tcp_bench APP_BIN=server-bw NET=y` starts it with
 * 127.0.0.1:4444 forwarded to it. Each connection has a thread; beyond
 * CONNS, new connections wait in the listen backlog, and a connection
 * idle for IDLE_TIMEOUT_S is dropped, so stray clients cannot pile up
 * threads. Prints one ready line, then (server-bw) one line per
 * connection. Portable POSIX: the same file builds as a Linux program. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE (64 * 1024)
#define IDLE_TIMEOUT_S 30
#define CONNS_MAX 64

static int mode_bw;
static int active, active_max = 4;
static pthread_mutex_t active_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t active_freed = PTHREAD_COND_INITIALIZER;

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = send(fd, p, len, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* One connection: count (server-bw) or echo (latency) until it closes,
 * fails or idles out. */
static void *serve(void *arg)
{
	int c = (int)(intptr_t)arg, one = 1;
	struct timeval idle = {.tv_sec = IDLE_TIMEOUT_S};
	char *buf = malloc(BUF_SIZE);
	unsigned long long total = 0;
	double start = now_s();
	ssize_t n;

	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &idle, sizeof(idle));
	while (buf && ((n = recv(c, buf, BUF_SIZE, 0)) > 0 || (n < 0 && errno == EINTR))) {
		if (n < 0)
			continue;
		total += (unsigned long long)n;
		if (!mode_bw && send_all(c, buf, (size_t)n))
			break;
	}
	if (mode_bw) {
		double s = now_s() - start;
		printf("server-bw: %llu bytes in %.3f s: %.1f MB/s\n", total, s,
		       s > 0 ? (double)total / s / 1e6 : 0.0);
		fflush(stdout);
	}
	free(buf);
	close(c);
	pthread_mutex_lock(&active_lock);
	active--;
	pthread_cond_signal(&active_freed);
	pthread_mutex_unlock(&active_lock);
	return NULL;
}

static int usage(void)
{
	fprintf(stderr, "usage: net_tcp_bench server-bw|latency [-p PORT] [-c CONNS]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int port = 4444, one = 1, opt;

	if (argc < 2 || (strcmp(argv[1], "server-bw") && strcmp(argv[1], "latency")))
		return usage();
	mode_bw = !strcmp(argv[1], "server-bw");
	optind = 2;
	while ((opt = getopt(argc, argv, "p:c:")) != -1) {
		if (opt == 'p')
			port = atoi(optarg);
		else if (opt == 'c')
			active_max = atoi(optarg);
		else
			return usage();
	}
	if (optind != argc || port <= 0 || port > 65535 || active_max <= 0 ||
	    active_max > CONNS_MAX)
		return usage();
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 16)) {
		fprintf(stderr, "net_tcp_bench: cannot listen on %d: %s\n", port, strerror(errno));
		return 1;
	}
	printf("net_tcp_bench: %s listening on port %d\n", argv[1], port);
	fflush(stdout);
	for (;;) {
		pthread_mutex_lock(&active_lock);
		while (active >= active_max)
			pthread_cond_wait(&active_freed, &active_lock);
		pthread_mutex_unlock(&active_lock);
		int c = accept(l, NULL, NULL);
		if (c < 0) {
			if (errno != EINTR && errno != ECONNABORTED)
				usleep(10000); /* out of descriptors or memory: no spinning */
			continue;
		}
		pthread_t t;
		pthread_mutex_lock(&active_lock);
		active++;
		pthread_mutex_unlock(&active_lock);
		if (pthread_create(&t, NULL, serve, (void *)(intptr_t)c) == 0) {
			pthread_detach(t);
			continue;
		}
		close(c);
		pthread_mutex_lock(&active_lock);
		active--;
		pthread_mutex_unlock(&active_lock);
	}
}
