/* One connection of the event loop. Input is read only while the output
 * waiting for the client is small (OUT_HIGH), so a client that sends
 * requests but never reads the answers holds its own buffer and nothing
 * else, and its send deadline closes it. Sends never block: what the
 * socket does not take stays in the connection's buffer until poll says
 * it is writable. The request buffer exists only while a request arrives,
 * so an idle connection costs little. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>

#include "server.h"

long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static size_t out_pending(const struct conn *c)
{
	return c->out_len - c->out_off;
}

struct conn *conn_open(int fd)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = fd;
	c->file = -1;
	c->t_active = c->t_progress = now_ms();
	return c;
}

void conn_close(struct conn *c)
{
	/* Given up with output unsent (a client that stopped reading): reset.
	 * A graceful close would queue a FIN behind data that never leaves,
	 * and a stack may hold the closing thread until it does. */
	if (out_pending(c) || c->file >= 0) {
		struct linger now = {.l_onoff = 1, .l_linger = 0};
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &now, sizeof(now));
	}
	if (c->file >= 0)
		close(c->file);
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
}

int conn_idle(const struct conn *c)
{
	return !c->in_request && !c->body_left && !out_pending(c) && c->file < 0 && !c->closing &&
	       !c->lingering;
}

short conn_events(const struct conn *c)
{
	short ev = 0;

	if (out_pending(c) || c->file >= 0)
		ev |= POLLOUT;
	if (c->lingering || (!c->closing && !c->eof && out_pending(c) < OUT_HIGH))
		ev |= POLLIN;
	return ev;
}

long long conn_deadline(const struct conn *c)
{
	if (c->lingering)
		return c->t_linger + LINGER_MS;
	if (out_pending(c) || c->file >= 0)
		return c->t_progress + SEND_TIMEOUT_MS;
	if (c->in_request)
		return c->t_request + HEADER_TIMEOUT_MS;
	return c->t_active + IDLE_TIMEOUT_MS;
}

/* Room for @len more bytes of output. @retval 0; -1 no memory */
static int out_reserve(struct conn *c, size_t len)
{
	if (c->out_off && c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (c->out_len + len <= c->out_cap)
		return 0;
	if (c->out_off) { /* move the unsent part to the front first */
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
		if (c->out_len + len <= c->out_cap)
			return 0;
	}
	size_t cap = c->out_cap ? c->out_cap : 4096;
	while (cap < c->out_len + len)
		cap *= 2;
	char *p = realloc(c->out, cap);
	if (!p)
		return -1;
	c->out = p;
	c->out_cap = cap;
	return 0;
}

int conn_append(struct conn *c, const void *data, size_t len)
{
	if (out_reserve(c, len))
		return -1;
	memcpy(c->out + c->out_len, data, len);
	c->out_len += len;
	return 0;
}

/* Refill the output from the file being sent. @retval 0; -1 fail */
static int refill_from_file(struct conn *c)
{
	size_t want = c->file_left < 16384 ? (size_t)c->file_left : 16384;

	if (out_reserve(c, want))
		return -1;
	ssize_t got = read(c->file, c->out + c->out_len, want);
	if (got <= 0)
		return -1; /* the length is promised: the connection must end */
	c->out_len += (size_t)got;
	c->file_left -= got;
	if (!c->file_left) {
		close(c->file);
		c->file = -1;
	}
	return 0;
}

/* Send what the socket takes now. @retval 0; -1 the connection failed */
static int flush(struct conn *c, long long now)
{
	for (;;) {
		if (!out_pending(c) && c->file >= 0 && refill_from_file(c))
			return -1;
		if (!out_pending(c))
			break;
		ssize_t n =
		    send(c->fd, c->out + c->out_off, out_pending(c), MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		c->out_off += (size_t)n;
		c->t_progress = now;
	}
	c->out_off = c->out_len = 0;
	if (c->out_cap > 4 * 4096) { /* a big answer is gone: give its buffer back */
		free(c->out);
		c->out = NULL;
		c->out_cap = 0;
	}
	c->t_active = now; /* the idle time starts when the answer is out */
	if (!c->closing)
		return 0;
	if (!c->linger)
		return -1;
	/* After an error answer sent before the request was read to its end:
	 * stop sending, then read and drop what the client still sends for a
	 * moment. Closing with unread data would reset the connection, and
	 * the client could lose the answer. */
	if (!c->lingering) {
		shutdown(c->fd, SHUT_WR);
		c->lingering = 1;
		c->t_linger = now;
	}
	return 0;
}

/* An error answer that ends the connection. */
static void fail_request(struct conn *c, int status)
{
	stats_count(&httpd_stats.bad_requests);
	respond_error(c, status, 0, 0);
	c->closing = c->linger = 1;
	c->have = 0;
	c->in_request = 0;
}

/* Serve the complete requests in the input, in order, while the output
 * waiting for the client stays small. @retval 0; -1 close */
static int process(struct conn *c, long long now)
{
	while (!c->closing && out_pending(c) < OUT_HIGH && c->file < 0) {
		if (c->body_left && c->have) {
			size_t take = c->body_left < c->have ? c->body_left : c->have;
			memmove(c->in, c->in + take, c->have - take);
			c->have -= take;
			c->body_left -= take;
		}
		if (c->body_left)
			break;
		if (!c->have) {
			c->in_request = 0;
			break;
		}
		if (!c->in_request) {
			c->in_request = 1;
			c->t_request = now;
		}
		size_t head = http_head_length(c->in, c->have);
		if (!head) {
			if (c->have == HTTP_REQUEST_MAX) /* which limit: the line or the headers */
				fail_request(c, memchr(c->in, '\n', c->have) ? 431 : 414);
			break;
		}
		struct http_request req;
		int bad = http_parse(c->in, head, &req);
		memmove(c->in, c->in + head, c->have - head);
		c->have -= head;
		c->in_request = 0;
		if (bad || req.chunked || req.content_length > BODY_DISCARD_MAX) {
			fail_request(c, bad ? bad : req.chunked ? 501 : 413);
			break;
		}
		c->body_left = (size_t)req.content_length;
		c->requests++;
		if (serve(c, &req))
			return -1;
		if (!req.keep_alive)
			c->closing = 1;
	}
	if (!c->have && !c->in_request && !c->body_left) {
		free(c->in); /* idle: the buffer comes back with the next request */
		c->in = NULL;
	}
	return 0;
}

/* Read what has arrived. @retval 0; -1 close */
static int on_readable(struct conn *c, long long now)
{
	char sink[1024];

	if (c->lingering || c->closing) {
		ssize_t n = recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return c->lingering ? -1 : 0;
		return 0;
	}
	if (!c->in && !(c->in = malloc(HTTP_REQUEST_MAX)))
		return -1;
	ssize_t n = recv(c->fd, c->in + c->have, HTTP_REQUEST_MAX - c->have, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
	if (n == 0) {
		/* The client is done sending: answer what it asked, then close. */
		c->eof = 1;
		return 0;
	}
	c->have += (size_t)n;
	c->t_active = now;
	return 0;
}

int conn_run(struct conn *c, short revents, long long now)
{
	if (!revents) { /* the deadline */
		if (c->in_request && !c->closing && !out_pending(c)) {
			fail_request(c, 408); /* the whole head did not come in time */
			c->in_request = 0;
			return flush(c, now);
		}
		return -1;
	}
	if ((revents & (POLLIN | POLLHUP | POLLERR)) && on_readable(c, now))
		return -1;
	for (;;) {
		if (!c->lingering && process(c, now))
			return -1;
		if (flush(c, now))
			return -1;
		/* All sent at once, and more requests wait in the input. */
		if (out_pending(c) || c->file >= 0 || c->closing || c->lingering ||
		    !http_head_length(c->in, c->have))
			break;
	}
	if (c->eof && !c->lingering && !out_pending(c) && c->file < 0)
		return -1; /* answered all it asked before closing its side */
	return 0;
}
