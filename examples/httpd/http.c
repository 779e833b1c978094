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

size_t http_head_length(const char *buf, size_t len)
{
	for (size_t i = 3; i < len; i++)
		if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r')
			return i + 1;
	return 0;
}

static int has_token(const char *value, const char *token)
{
	size_t n = strlen(token);

	for (const char *p = value; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!strncasecmp(p, token, n) && (p[n] == '\0' || p[n] == ',' || p[n] == ' ' ||
						  p[n] == '\t' || p[n] == '\r'))
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
	memcpy(req->target, rest, tlen);
	req->target[tlen] = '\0';
	for (size_t i = 0; i < tlen; i++)
		if ((unsigned char)req->target[i] <= ' ' || req->target[i] == 0x7f)
			return 400;
	req->minor = ver[7] - '0';
	req->keep_alive = req->minor >= 1;
	return 0;
}

int http_parse(const char *head, size_t len, struct http_request *req)
{
	memset(req, 0, sizeof(*req));
	const char *eol = memchr(head, '\r', len);
	if (!eol || eol + 1 >= head + len || eol[1] != '\n')
		return 400;
	if ((size_t)(eol - head) >= HTTP_LINE_MAX)
		return 414;
	int r = parse_request_line(head, (size_t)(eol - head), req);
	if (r)
		return r;
	const char *p = eol + 2, *end = head + len - 2; /* the final CRLF */
	int seen_length = 0;
	while (p < end) {
		const char *e = memchr(p, '\r', (size_t)(end - p) + 1);
		if (!e || e[1] != '\n')
			return 400;
		const char *colon = memchr(p, ':', (size_t)(e - p));
		size_t nlen = colon ? (size_t)(colon - p) : 0;
		if (!is_token(p, nlen))
			return 400;
		char value[256];
		const char *v = colon + 1;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		size_t vlen = (size_t)(e - v);
		if (vlen >= sizeof(value))
			vlen = sizeof(value) - 1; /* long values: only the start matters here */
		memcpy(value, v, vlen);
		value[vlen] = '\0';
		if (nlen == 10 && !strncasecmp(p, "Connection", 10)) {
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
			    (seen_length && n != req->content_length))
				return 400;
			req->content_length = n;
			seen_length = 1;
		} else if (nlen == 17 && !strncasecmp(p, "Transfer-Encoding", 17)) {
			req->chunked = 1;
		}
		p = e + 2;
	}
	return 0;
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}
