/* The answers: the status page, files under the root, errors. Each is
 * put into the connection's output buffer; a file's body is read into it
 * piece by piece as the client takes it (conn.c). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

static struct timespec started;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
struct http_stats httpd_stats;

void stats_start(void)
{
	clock_gettime(CLOCK_MONOTONIC, &started);
}

void stats_add(uint64_t *what, long delta)
{
	pthread_mutex_lock(&stats_lock);
	*what += (uint64_t)delta;
	pthread_mutex_unlock(&stats_lock);
}

static int respond_head(struct conn *c, int status, const char *type, size_t len, int keep_alive,
			const char *extra)
{
	char hdr[512];
	int n = snprintf(hdr, sizeof(hdr),
			 "HTTP/1.1 %d %s\r\nServer: unishyper-httpd\r\nContent-Type: %s\r\n"
			 "Content-Length: %zu\r\nConnection: %s\r\n%s\r\n",
			 status, http_reason(status), type, len,
			 keep_alive ? "keep-alive" : "close", extra ? extra : "");
	return conn_append(c, hdr, (size_t)n);
}

int respond(struct conn *c, int status, const char *type, const char *body, size_t len,
	    int head_only, int keep_alive, const char *extra)
{
	if (respond_head(c, status, type, len, keep_alive, extra))
		return -1;
	return head_only || !len ? 0 : conn_append(c, body, len);
}

int respond_error(struct conn *c, int status, int head_only, int keep_alive)
{
	char body[96];
	int n = snprintf(body, sizeof(body), "%d %s\n", status, http_reason(status));
	return respond(c, status, "text/plain", body, (size_t)n, head_only, keep_alive,
		       status == 405 ? "Allow: GET, HEAD\r\n" : NULL);
}

static int status_page(struct conn *c, int head_only, int keep_alive)
{
	char body[2048];
	struct timespec now;
	struct http_stats s;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&stats_lock);
	s = httpd_stats;
	pthread_mutex_unlock(&stats_lock);
	s.uptime_s = (double)(now.tv_sec - started.tv_sec) + (now.tv_nsec - started.tv_nsec) / 1e9;
	size_t n =
	    (size_t)snprintf(body, sizeof(body),
			     "httpd status\nuptime: %.3f s\nrequests: %llu\n"
			     "connections: %llu\nopen_connections: %llu\n"
			     "refused_connections: %llu\nevicted_connections: %llu\n"
			     "timed_out: %llu\nbad_requests: %llu\n"
			     "accept_errors: %llu (last errno %d)\n",
			     s.uptime_s, (unsigned long long)s.requests,
			     (unsigned long long)s.connections, (unsigned long long)s.open,
			     (unsigned long long)s.refused, (unsigned long long)s.evicted,
			     (unsigned long long)s.timed_out, (unsigned long long)s.bad_requests,
			     (unsigned long long)s.accept_errors, s.last_accept_errno);
	n += status_system(body + n, sizeof(body) - n);
	return respond(c, 200, "text/plain", body, n, head_only, keep_alive, NULL);
}

static const char *content_type(const char *path)
{
	static const char *const types[][2] = {
	    {".html", "text/html"}, {".htm", "text/html"},	{".txt", "text/plain"},
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
static int serve_file(struct conn *c, const char *target, int head_only, int keep_alive)
{
	char path[HTTP_LINE_MAX + 256];
	struct stat st;

	if (!*httpd_doc_root)
		return respond_error(c, 404, head_only, keep_alive);
	size_t tlen = strcspn(target, "?#");
	if (target[0] != '/' || strstr(target, "/..") || memchr(target, '\\', tlen))
		return respond_error(c, 400, head_only, keep_alive);
	int n = snprintf(path, sizeof(path), "%s%.*s",
			 strcmp(httpd_doc_root, "/") ? httpd_doc_root : "", (int)tlen, target);
	if (n < 0 || (size_t)n >= sizeof(path))
		return respond_error(c, 414, head_only, keep_alive);
	int f = open(path, O_RDONLY);
	if (f < 0)
		return respond_error(c, errno == ENOENT || errno == ENOTDIR ? 404 : 403, head_only,
				     keep_alive);
	if (fstat(f, &st) || !S_ISREG(st.st_mode)) {
		close(f);
		return respond_error(c, 403, head_only, keep_alive);
	}
	int r = respond_head(c, 200, content_type(path), (size_t)st.st_size, keep_alive, NULL);
	if (r || head_only || !st.st_size) {
		close(f);
		return r;
	}
	c->file = f;
	c->file_left = st.st_size;
	return 0;
}

int serve(struct conn *c, const struct http_request *req)
{
	int head_only = !strcmp(req->method, "HEAD");
	const char *t = req->target;

	stats_count(&httpd_stats.requests);
	if (!head_only && strcmp(req->method, "GET"))
		return respond_error(c, 405, 0, req->keep_alive);
	if (!strcmp(t, "/") || !strcmp(t, "/status") || !strncmp(t, "/status?", 8))
		return status_page(c, head_only, req->keep_alive);
	return serve_file(c, t, head_only, req->keep_alive);
}
