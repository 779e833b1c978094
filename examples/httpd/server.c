/* httpd: an HTTP/1.1 server with a fixed pool of worker threads, each
 * taking connections from the shared listening socket and serving one at
 * a time, with keep-alive and pipelining. When every worker is busy new
 * connections wait in the listen backlog; an idle connection is closed
 * after IDLE_TIMEOUT_S, so a client that vanished or left a connection
 * half open cannot hold a worker.
 *
 *   httpd [-p PORT] [-t THREADS] [-r ROOT] [-d]
 *
 * GET and HEAD; / and /status: the status page; other paths: files under
 * ROOT (none when ROOT is empty; the default is HTTPD_DEFAULT_ROOT, which
 * the image's build.mk sets to "/" when it has a file system). Prints
 * "httpd: listening on port N" once it accepts connections, and nothing
 * else unless -d asks for one line per connection (the console is slow in
 * a VM). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "http.h"

#ifndef HTTPD_DEFAULT_ROOT
#define HTTPD_DEFAULT_ROOT "" /* as a Linux program: serve no files unless asked */
#endif

#define IDLE_TIMEOUT_S 5
#define BODY_DISCARD_MAX (1 << 20)
#define THREADS_MAX 64

static const char *doc_root = "";
static int debug;
static struct timespec started;
static struct http_stats stats;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;

struct conn {
	int fd;
	unsigned requests; /* for the debug line */
	char in[HTTP_REQUEST_MAX];
	size_t have;
};

static void count(uint64_t *what)
{
	pthread_mutex_lock(&stats_lock);
	(*what)++;
	pthread_mutex_unlock(&stats_lock);
}

static int send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int respond_head(int fd, int status, const char *type, size_t len, int keep_alive,
			const char *extra)
{
	char hdr[512];
	int n = snprintf(hdr, sizeof(hdr),
			 "HTTP/1.1 %d %s\r\nServer: unishyper-httpd\r\nContent-Type: %s\r\n"
			 "Content-Length: %zu\r\nConnection: %s\r\n%s\r\n",
			 status, http_reason(status), type, len, keep_alive ? "keep-alive" : "close",
			 extra ? extra : "");
	return send_all(fd, hdr, (size_t)n);
}

static int respond(int fd, int status, const char *type, const char *body, size_t len,
		   int head_only, int keep_alive, const char *extra)
{
	if (respond_head(fd, status, type, len, keep_alive, extra))
		return -1;
	return head_only || !len ? 0 : send_all(fd, body, len);
}

static int respond_error(int fd, int status, int head_only, int keep_alive)
{
	char body[96];
	int n = snprintf(body, sizeof(body), "%d %s\n", status, http_reason(status));
	return respond(fd, status, "text/plain", body, (size_t)n, head_only, keep_alive,
		       status == 405 ? "Allow: GET, HEAD\r\n" : NULL);
}

static int status_page(int fd, int head_only, int keep_alive)
{
	char body[2048];
	struct timespec now;
	struct http_stats s;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&stats_lock);
	s = stats;
	pthread_mutex_unlock(&stats_lock);
	s.uptime_s = (double)(now.tv_sec - started.tv_sec) + (now.tv_nsec - started.tv_nsec) / 1e9;
	size_t n = (size_t)snprintf(body, sizeof(body),
				    "httpd status\nuptime: %.3f s\nrequests: %llu\n"
				    "connections: %llu\nbad_requests: %llu\n",
				    s.uptime_s, (unsigned long long)s.requests,
				    (unsigned long long)s.connections,
				    (unsigned long long)s.bad_requests);
	n += status_system(body + n, sizeof(body) - n);
	return respond(fd, 200, "text/plain", body, n, head_only, keep_alive, NULL);
}

static const char *content_type(const char *path)
{
	static const char *const types[][2] = {
	    {".html", "text/html"}, {".htm", "text/html"},	 {".txt", "text/plain"},
	    {".css", "text/css"},   {".js", "text/javascript"}, {".json", "application/json"},
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(dot, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}

/* A file under the root. The path may not climb out ("..") and the query
 * string is not part of the name. */
static int serve_file(int fd, const char *target, int head_only, int keep_alive)
{
	char path[HTTP_LINE_MAX + 256];
	char buf[4096];
	struct stat st;

	if (!*doc_root)
		return respond_error(fd, 404, head_only, keep_alive);
	size_t tlen = strcspn(target, "?#");
	if (target[0] != '/' || strstr(target, "/..") || memchr(target, '\\', tlen))
		return respond_error(fd, 400, head_only, keep_alive);
	int n = snprintf(path, sizeof(path), "%s%.*s", strcmp(doc_root, "/") ? doc_root : "",
			 (int)tlen, target);
	if (n < 0 || (size_t)n >= sizeof(path))
		return respond_error(fd, 414, head_only, keep_alive);
	int f = open(path, O_RDONLY);
	if (f < 0)
		return respond_error(fd, errno == ENOENT || errno == ENOTDIR ? 404 : 403, head_only,
				     keep_alive);
	if (fstat(f, &st) || !S_ISREG(st.st_mode)) {
		close(f);
		return respond_error(fd, 403, head_only, keep_alive);
	}
	int r = respond_head(fd, 200, content_type(path), (size_t)st.st_size, keep_alive, NULL);
	for (off_t left = st.st_size; !r && !head_only && left > 0;) {
		ssize_t got = read(f, buf, sizeof(buf));
		if (got <= 0) {
			r = -1; /* the length is promised: the connection must end */
			break;
		}
		r = send_all(fd, buf, (size_t)got);
		left -= got;
	}
	close(f);
	return r;
}

/* Serve one parsed request. @retval 0 keep going; -1 close */
static int serve(int fd, const struct http_request *req)
{
	int head_only = !strcmp(req->method, "HEAD");

	count(&stats.requests);
	if (!head_only && strcmp(req->method, "GET"))
		return respond_error(fd, 405, 0, req->keep_alive) || !req->keep_alive ? -1 : 0;
	const char *t = req->target;
	int r;
	if (!strcmp(t, "/") || !strcmp(t, "/status") || !strncmp(t, "/status?", 8))
		r = status_page(fd, head_only, req->keep_alive);
	else
		r = serve_file(fd, t, head_only, req->keep_alive);
	return r || !req->keep_alive ? -1 : 0;
}

/* Read and drop a request body (@len bytes, some maybe buffered already).
 * @retval 0; -1 the connection failed */
static int discard_body(struct conn *c, size_t len)
{
	size_t take = len < c->have ? len : c->have;

	memmove(c->in, c->in + take, c->have - take);
	c->have -= take;
	len -= take;
	while (len) {
		char sink[1024];
		ssize_t n = recv(c->fd, sink, len < sizeof(sink) ? len : sizeof(sink), 0);
		if (n <= 0)
			return -1;
		len -= (size_t)n;
	}
	return 0;
}

/* Close after an error answer sent before the request was read to its
 * end: stop sending, then read and drop what the client still sends for a
 * moment. Closing with unread data would reset the connection, and the
 * client could lose the answer. */
static void close_lingering(int fd)
{
	struct timeval t = {.tv_sec = 0, .tv_usec = 500000};
	char sink[1024];

	shutdown(fd, SHUT_WR);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof(t));
	for (int i = 0; i < 64 && recv(fd, sink, sizeof(sink), 0) > 0; i++)
		;
}

/* Requests on one connection until it closes, fails, idles out or asks
 * to close. Pipelined requests are served in order from the buffer. */
static void serve_connection(struct conn *c)
{
	struct timeval idle = {.tv_sec = IDLE_TIMEOUT_S};
	int one = 1;

	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &idle, sizeof(idle));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->have = 0;
	for (;;) {
		size_t head = http_head_length(c->in, c->have);
		if (!head) {
			if (c->have == sizeof(c->in)) {
				count(&stats.bad_requests);
				/* Which limit: the request line or the headers. */
				int status = memchr(c->in, '\n', c->have) ? 431 : 414;
				respond_error(c->fd, status, 0, 0);
				close_lingering(c->fd);
				return;
			}
			ssize_t n = recv(c->fd, c->in + c->have, sizeof(c->in) - c->have, 0);
			if (n <= 0)
				return; /* closed, reset or idle too long */
			c->have += (size_t)n;
			continue;
		}
		struct http_request req;
		int bad = http_parse(c->in, head, &req);
		if (bad) {
			count(&stats.bad_requests);
			respond_error(c->fd, bad, 0, 0);
			close_lingering(c->fd);
			return;
		}
		memmove(c->in, c->in + head, c->have - head);
		c->have -= head;
		if (req.chunked || req.content_length > BODY_DISCARD_MAX) {
			count(&stats.bad_requests);
			respond_error(c->fd, req.chunked ? 501 : 413, 0, 0);
			close_lingering(c->fd);
			return;
		}
		if (req.content_length && discard_body(c, (size_t)req.content_length))
			return;
		c->requests++;
		if (serve(c->fd, &req))
			return;
	}
}

static void *worker(void *arg)
{
	int listener = (int)(intptr_t)arg;
	struct conn *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	for (;;) {
		c->fd = accept(listener, NULL, NULL);
		if (c->fd < 0) {
			/* Out of descriptors or memory: let some close rather
			 * than spin. A connection reset while queued is no pause. */
			if (errno != EINTR && errno != ECONNABORTED)
				usleep(10000);
			continue;
		}
		count(&stats.connections);
		c->requests = 0;
		serve_connection(c);
		close(c->fd);
		if (debug)
			fprintf(stderr, "httpd: connection closed after %u requests\n", c->requests);
	}
	return NULL;
}

static int usage(void)
{
	fprintf(stderr, "usage: httpd [-p PORT] [-t THREADS] [-r ROOT] [-d]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int port = 80, threads = 4, opt, one = 1;

	doc_root = HTTPD_DEFAULT_ROOT;
	while ((opt = getopt(argc, argv, "p:t:r:d")) != -1) {
		switch (opt) {
		case 'p':
			port = atoi(optarg);
			break;
		case 't':
			threads = atoi(optarg);
			break;
		case 'r':
			doc_root = optarg;
			break;
		case 'd':
			debug = 1;
			break;
		default:
			return usage();
		}
	}
	if (port <= 0 || port > 65535 || threads <= 0 || threads > THREADS_MAX || optind != argc)
		return usage();
	clock_gettime(CLOCK_MONOTONIC, &started);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 64)) {
		fprintf(stderr, "httpd: cannot listen on port %d: %s\n", port, strerror(errno));
		return 1;
	}
	for (int i = 0; i < threads; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, worker, (void *)(intptr_t)l)) {
			fprintf(stderr, "httpd: cannot start worker %d\n", i);
			return 1;
		}
		pthread_detach(t);
	}
	printf("httpd: listening on port %d\n", port);
	fflush(stdout);
	for (;;)
		sleep(3600); /* the workers do the work */
}
