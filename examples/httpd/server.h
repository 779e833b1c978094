/* The event loop's connections (conn.c) and what they share with the loop
 * (server.c). A connection is a state machine moved on by its socket's
 * readiness and by one deadline; nothing in it blocks. */
#ifndef HTTPD_SERVER_H
#define HTTPD_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "http.h"

/* Deadlines: an idle connection between requests; a request's whole head
 * from its first byte (slowloris: one byte a second never finishes one);
 * a response that makes no progress (a client that never reads); the
 * lingering close after an error answer. */
#define IDLE_TIMEOUT_MS 5000
#define HEADER_TIMEOUT_MS 10000
#define SEND_TIMEOUT_MS 10000
#define LINGER_MS 1000

#define OUT_HIGH (64 * 1024) /* stop reading requests while this much output waits */
#define BODY_DISCARD_MAX (1 << 20)

struct conn {
	int fd;
	int file;	 /* a file being sent, or -1 */
	off_t file_left; /* its bytes still to read */
	char *in;	 /* HTTP_REQUEST_MAX bytes while a request arrives */
	size_t have;	 /* bytes in @in */
	char *out;	 /* the output not yet sent */
	size_t out_len, out_off, out_cap;
	size_t body_left; /* a request body still to read and drop */
	int closing;	  /* close once the output is sent */
	int linger;	  /* ... after SHUT_WR and a moment of reading */
	int lingering;	  /* output sent, SHUT_WR done: dropping input */
	int eof;	  /* the peer closed its side */
	int in_request;	  /* part of a request head has arrived */
	long long t_request, t_active, t_progress, t_linger;
	unsigned requests;
};

extern const char *httpd_doc_root;
extern int httpd_debug;

long long now_ms(void);

/* The uptime's start. */
void stats_start(void);
/* Add to one of the status page's figures. */
void stats_add(uint64_t *what, long delta);
#define stats_count(what) stats_add((what), 1)
extern struct http_stats httpd_stats;

/* A new connection on descriptor @fd (non-blocking). NULL: no memory. */
struct conn *conn_open(int fd);
/* Close and free. */
void conn_close(struct conn *c);
/* The poll events @c waits for. */
short conn_events(const struct conn *c);
/* When @c's deadline falls (milliseconds of now_ms()). */
long long conn_deadline(const struct conn *c);
/* Handle poll's @revents, or a deadline passed when @revents is 0.
 * @retval 0 keep; -1 close it */
int conn_run(struct conn *c, short revents, long long now);
/* No request under way and nothing to send: may be closed for another. */
int conn_idle(const struct conn *c);

/* Append @len bytes to @c's output. @retval 0; -1 no memory */
int conn_append(struct conn *c, const void *data, size_t len);

/* Put an answer into @c's output (http.c's responses, server side). */
int respond(struct conn *c, int status, const char *type, const char *body, size_t len,
	    int head_only, int keep_alive, const char *extra);
int respond_error(struct conn *c, int status, int head_only, int keep_alive);
/* Serve one parsed request. @retval 0; -1 no memory */
int serve(struct conn *c, const struct http_request *req);

#endif
