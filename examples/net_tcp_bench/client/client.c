/* The host side of net_tcp_bench (not part of the image: build.mk lists
 * only the server).
 *
 *   client latency HOST PORT [COUNT] [SIZE] [SECONDS]
 *       COUNT round trips of SIZE bytes (default 10000 x 1) after 100 of
 *       warm-up, TCP_NODELAY; prints median, p99, p99.9 and mean in us
 *   client bw HOST PORT [MBYTES] [SECONDS] [CHUNK]
 *       send MBYTES MiB (default 256) in CHUNK-byte writes (default
 *       65536), then wait for the server to close; prints MB/s (10^6 B/s)
 *
 * Bounded: a run stops at SECONDS (default 60) whatever the count; a
 * single send or receive gives up after OP_TIMEOUT_S; connecting is
 * retried for CONNECT_RETRY_S while the server starts. Exit status 0 with
 * a result, 1 without. The last line is machine-readable:
 *   result latency_us median=.. p99=.. p999=.. mean=.. n=.. size=..
 *   result bw_MBps=.. bytes=.. seconds=..
 *
 * Build: cc -O2 -Wall -Wextra -o build/nb_client examples/net_tcp_bench/client/client.c */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define OP_TIMEOUT_S 10
#define CONNECT_RETRY_S 10
#define WARMUP 100
#define COUNT_MAX 100000000L
#define SIZE_MAX_BYTES (16L << 20)

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Connect, retrying while the server starts; each send and receive on
 * the socket then gives up after OP_TIMEOUT_S (SO_SNDTIMEO also bounds
 * connect() itself on Linux). */
static int dial(const char *host, const char *port)
{
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai;
	struct timeval op = {.tv_sec = OP_TIMEOUT_S};
	double give_up = now_s() + CONNECT_RETRY_S;

	if (getaddrinfo(host, port, &hints, &ai)) {
		fprintf(stderr, "client: cannot resolve %s:%s\n", host, port);
		return -1;
	}
	do {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0)
			break;
		setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &op, sizeof(op));
		setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &op, sizeof(op));
		if (connect(s, ai->ai_addr, ai->ai_addrlen) == 0) {
			freeaddrinfo(ai);
			return s;
		}
		close(s);
		usleep(100000);
	} while (now_s() < give_up);
	freeaddrinfo(ai);
	perror("client: connect");
	return -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Send or receive exactly @len bytes. @retval 0; -1 closed, failed or timed out */
static int full_io(int s, char *buf, size_t len, int sending)
{
	for (size_t off = 0; off < len;) {
		ssize_t n = sending ? send(s, buf + off, len - off, MSG_NOSIGNAL)
				    : recv(s, buf + off, len - off, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* The nearest-rank percentile of @n sorted values. */
static double percentile(const double *v, long n, double p)
{
	double rank = p * (double)n; /* ceil without libm */
	long i = (long)rank;

	i -= (double)i == rank;
	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static int latency(int s, long count, size_t size, double limit)
{
	char *buf = calloc(1, size);
	double *rt = malloc(sizeof(double) * (size_t)count);
	double end = now_s() + limit, sum = 0;
	int one = 1, r = 1;
	long n = 0;

	if (!buf || !rt)
		goto out;
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (int i = 0; i < WARMUP && now_s() < end; i++)
		if (full_io(s, buf, size, 1) || full_io(s, buf, size, 0)) {
			fprintf(stderr, "client: connection lost in the warm-up\n");
			goto out;
		}
	while (n < count && now_s() < end) {
		double t0 = now_s();
		if (full_io(s, buf, size, 1) || full_io(s, buf, size, 0)) {
			fprintf(stderr, "client: connection lost after %ld round trips\n", n);
			goto out;
		}
		rt[n] = (now_s() - t0) * 1e6;
		sum += rt[n++];
	}
	if (!n)
		goto out;
	qsort(rt, (size_t)n, sizeof(double), cmp_double);
	printf("result latency_us median=%.1f p99=%.1f p999=%.1f mean=%.1f n=%ld size=%zu\n",
	       percentile(rt, n, 0.5), percentile(rt, n, 0.99), percentile(rt, n, 0.999),
	       sum / (double)n, n, size);
	r = 0;
out:
	free(buf);
	free(rt);
	return r;
}

static int bandwidth(int s, long mbytes, double limit, size_t chunk)
{
	char *buf = malloc(chunk);
	unsigned long long sent = 0, want = (unsigned long long)mbytes << 20;
	double start = now_s(), end = start + limit;
	char c;

	if (!buf)
		return 1;
	memset(buf, 'x', chunk);
	while (sent < want && now_s() < end) {
		size_t k = want - sent < chunk ? (size_t)(want - sent) : chunk;
		if (full_io(s, buf, k, 1)) {
			fprintf(stderr, "client: connection lost after %llu bytes\n", sent);
			free(buf);
			return 1;
		}
		sent += k;
	}
	free(buf);
	/* The server has read it all when it closes its side after ours. */
	shutdown(s, SHUT_WR);
	while (recv(s, &c, 1, 0) > 0 && now_s() < end + OP_TIMEOUT_S)
		;
	double secs = now_s() - start;
	printf("result bw_MBps=%.1f bytes=%llu seconds=%.3f\n", (double)sent / secs / 1e6, sent,
	       secs);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: client latency HOST PORT [COUNT] [SIZE] [SECONDS]\n"
			"       client bw HOST PORT [MBYTES] [SECONDS] [CHUNK]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int lat = argc >= 4 && !strcmp(argv[1], "latency");

	if (argc < 4 || argc > 7 || (!lat && strcmp(argv[1], "bw")))
		return usage();
	long a = argc > 4 ? atol(argv[4]) : lat ? 10000 : 256;
	long b = lat ? (argc > 5 ? atol(argv[5]) : 1) : 0;
	double secs = atof(argc > (lat ? 6 : 5) ? argv[lat ? 6 : 5] : "60");
	long chunk = !lat && argc > 6 ? atol(argv[6]) : 65536;
	if (a <= 0 || a > COUNT_MAX || (lat && (b <= 0 || b > SIZE_MAX_BYTES)) || !(secs > 0) ||
	    chunk <= 0 || chunk > SIZE_MAX_BYTES)
		return usage();
	int s = dial(argv[2], argv[3]);
	if (s < 0)
		return 1;
	int r = lat ? latency(s, a, (size_t)b, secs) : bandwidth(s, a, secs, (size_t)chunk);
	close(s);
	return r;
}
