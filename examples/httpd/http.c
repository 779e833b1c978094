/* Request heads: the request line and the headers the server acts on
 * (Connection, Content-Length, Transfer-Encoding). Anything else in a
 * header is skipped, but the syntax is checked: a line without a colon or
 * a name with spaces is a bad request. The framing headers are strict so
 * that a request's end is never guessed differently from a proxy in front
 * (request smuggling): two different Content-Lengths are refused. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

/* Lines end in CRLF or, as RFC 9112 section 2.2 lets a server accept, in a
 * bare LF; the head ends at the first empty line. */
size_t http_head_length(const char *buf, size_t len)
{
	for (size_t i = 1; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i - 1] == '\n' || (i >= 2 && buf[i - 1] == '\r' && buf[i - 2] == '\n'))
			return i + 1;
	}
	return 0;
}

/* The end of the line starting at @p (before @end): where its CR or LF
 * is; *next is the start of the next line. NULL: no LF, or a CR not
 * followed by LF. */
static const char *line_end(const char *p, const char *end, const char **next)
{
	const char *lf = memchr(p, '\n', (size_t)(end - p));

	if (!lf)
		return NULL;
	*next = lf + 1;
	if (lf > p && lf[-1] == '\r')
		lf--;
	return memchr(p, '\r', (size_t)(lf - p)) ? NULL : lf;
}

static int has_token(const char *value, const char *token)
{
	size_t n = strlen(token);

	for (const char *p = value; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!strncasecmp(p, token, n) &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' ' || p[n] == '\t' || p[n] == '\r'))
			return 1;
		while (*p && *p != ',')
			p++;
	}
	return 0;
}

/* A header name is a token: visible characters without separators. */
static int is_token(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c <= ' ' || c >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", c))
			return 0;
	}
	return len > 0;
}

/* "http://authority" or "https://authority" at the start of a target:
 * its length, or 0 for any other form. */
static size_t absolute_form_prefix(const char *t, size_t len)
{
	size_t scheme = len > 7 && !strncasecmp(t, "http://", 7)    ? 7
			: len > 8 && !strncasecmp(t, "https://", 8) ? 8
								    : 0;
	if (!scheme)
		return 0;
	size_t i = scheme;
	while (i < len && t[i] != '/' && t[i] != '?')
		i++;
	return i > scheme ? i : 0;
}

static int parse_request_line(const char *line, size_t len, struct http_request *req)
{
	const char *sp1 = memchr(line, ' ', len);
	if (!sp1 || sp1 == line || (size_t)(sp1 - line) >= sizeof(req->method))
		return 400;
	const char *rest = sp1 + 1;
	const char *sp2 = memchr(rest, ' ', len - (size_t)(rest - line));
	if (!sp2 || sp2 == rest)
		return 400;
	size_t tlen = (size_t)(sp2 - rest);
	if (tlen >= sizeof(req->target))
		return 414;
	const char *ver = sp2 + 1;
	size_t vlen = len - (size_t)(ver - line);
	if (vlen != 8 || memcmp(ver, "HTTP/", 5) || !isdigit((unsigned char)ver[5]) ||
	    ver[6] != '.' || !isdigit((unsigned char)ver[7]))
		return 400;
	if (ver[5] != '1')
		return 505;
	memcpy(req->method, line, (size_t)(sp1 - line));
	req->method[sp1 - line] = '\0';
	for (const char *m = req->method; *m; m++)
		if (!isupper((unsigned char)*m))
			return 400;
	/* The absolute form (RFC 9112 section 3.2.2): the server is the
	 * authority, the resource its path; an empty path is "/". */
	size_t skip = absolute_form_prefix(rest, tlen);
	if (skip && (skip == tlen || rest[skip] != '/'))
		req->target[0] = '/';
	size_t at = skip && (skip == tlen || rest[skip] != '/');
	memcpy(req->target + at, rest + skip, tlen - skip);
	req->target[at + tlen - skip] = '\0';
	tlen = at + tlen - skip;
	for (size_t i = 0; i < tlen; i++)
		if ((unsigned char)req->target[i] <= ' ' || req->target[i] == 0x7f)
			return 400;
	req->minor = ver[7] - '0';
	req->keep_alive = req->minor >= 1;
	return 0;
}

/* One header line, "name: value" from @p to @e. @retval 0 or 400 */
static int parse_header(const char *p, const char *e, struct http_request *req, int *seen_length,
			int *hosts)
{
	const char *colon = memchr(p, ':', (size_t)(e - p));
	size_t nlen = colon ? (size_t)(colon - p) : 0;
	char value[256];

	if (!is_token(p, nlen))
		return 400;
	const char *v = colon + 1;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	size_t vlen = (size_t)(e - v);
	if (vlen >= sizeof(value))
		vlen = sizeof(value) - 1; /* long values: only the start matters here */
	memcpy(value, v, vlen);
	value[vlen] = '\0';
	if (nlen == 4 && !strncasecmp(p, "Host", 4)) {
		(*hosts)++;
	} else if (nlen == 10 && !strncasecmp(p, "Connection", 10)) {
		if (has_token(value, "close"))
			req->keep_alive = 0;
		else if (has_token(value, "keep-alive"))
			req->keep_alive = 1;
	} else if (nlen == 14 && !strncasecmp(p, "Content-Length", 14)) {
		char *endp;
		long n = strtol(value, &endp, 10);
		while (*endp == ' ' || *endp == '\t')
			endp++;
		if (endp == value || *endp || n < 0 || !isdigit((unsigned char)value[0]) ||
		    (*seen_length && n != req->content_length))
			return 400;
		req->content_length = n;
		*seen_length = 1;
	} else if (nlen == 17 && !strncasecmp(p, "Transfer-Encoding", 17)) {
		req->chunked = 1;
	}
	return 0;
}

int http_parse(const char *head, size_t len, struct http_request *req)
{
	const char *end = head + len, *p;
	int seen_length = 0, hosts = 0, r;

	memset(req, 0, sizeof(*req));
	const char *eol = line_end(head, end, &p);
	if (!eol)
		return 400;
	if ((size_t)(eol - head) >= HTTP_LINE_MAX)
		return 414;
	r = parse_request_line(head, (size_t)(eol - head), req);
	if (r)
		return r;
	for (;;) {
		const char *next, *e = line_end(p, end, &next);
		if (!e)
			return 400;
		if (e == p)
			break; /* the empty line: the end of the head */
		r = parse_header(p, e, req, &seen_length, &hosts);
		if (r)
			return r;
		p = next;
	}
	/* RFC 9112 section 3.2: exactly one Host in HTTP/1.1. */
	if (hosts > 1 || (req->minor >= 1 && hosts == 0))
		return 400;
	return 0;
}

const char *http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 413:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Error";
	}
}
