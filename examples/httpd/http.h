/* A small HTTP/1.1 server: request parsing and responses (http.c), the
 * event loops (server.c), a connection's state machine (conn.c), the
 * answers (serve.c), the status page's
 * system figures (status_host.c on Linux, status_unishyper.c in the
 * unikernel). Portable POSIX: the same code runs as a Linux program. */
#ifndef HTTPD_HTTP_H
#define HTTPD_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_REQUEST_MAX 8192 /* request line and headers */
#define HTTP_LINE_MAX 2048    /* the request line alone */

struct http_request {
	char method[16];
	char target[HTTP_LINE_MAX];
	int minor;	/* HTTP/1.minor */
	int keep_alive; /* what the client asked, with the version's default */
	long content_length;
	int chunked; /* a Transfer-Encoding was given: a body we cannot frame */
};

/* Parse the head of a request, @len bytes ending with the blank line.
 * @retval 0 parsed
 * @retval 400 malformed (also: conflicting Content-Lengths, a header name
 *             with spaces); 414 request line too long; 505 not HTTP/1.x */
int http_parse(const char *head, size_t len, struct http_request *req);

/* Length of the head at the start of @buf (through "\r\n\r\n"), or 0 if
 * it is not complete yet. */
size_t http_head_length(const char *buf, size_t len);

/* "Not Found" for 404, ... */
const char *http_reason(int status);

/* The server's figures for the status page. */
struct http_stats {
	uint64_t requests, connections, bad_requests;
	uint64_t open, refused, evicted, timed_out; /* connections */
	uint64_t accept_errors;
	int last_accept_errno;
	double uptime_s;
};

/* Append the system's figures (threads, memory, network) to @buf as
 * "name: value" lines; the build picks the unikernel's or the host's.
 * @retval bytes written */
size_t status_system(char *buf, size_t len);

#endif
