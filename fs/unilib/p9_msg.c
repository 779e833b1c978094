/* The 9P2000.L codec (p9.h): little-endian puts into a bounded buffer and
 * checked gets from a reply. x86_64 is little-endian, so values are
 * copied as they are; memcpy keeps unaligned accesses legal. */
#include <errno.h>
#include <string.h>

#include "p9.h"

void p9_begin(struct p9_out *o, void *buf, size_t cap, uint8_t type, uint16_t tag)
{
	o->buf = buf;
	o->cap = cap;
	o->len = 4; /* the size, written by p9_end() */
	o->err = cap < P9_HDR;
	p9_put8(o, type);
	p9_put16(o, tag);
}

void p9_putbytes(struct p9_out *o, const void *data, size_t len)
{
	if (o->err || len > o->cap - o->len) {
		o->err = 1;
		return;
	}
	if (len)
		memcpy(o->buf + o->len, data, len);
	o->len += len;
}

void p9_put8(struct p9_out *o, uint8_t v)
{
	p9_putbytes(o, &v, 1);
}

void p9_put16(struct p9_out *o, uint16_t v)
{
	p9_putbytes(o, &v, 2);
}

void p9_put32(struct p9_out *o, uint32_t v)
{
	p9_putbytes(o, &v, 4);
}

void p9_put64(struct p9_out *o, uint64_t v)
{
	p9_putbytes(o, &v, 8);
}

void p9_putstr(struct p9_out *o, const char *s, size_t len)
{
	if (len > 0xffff) {
		o->err = 1;
		return;
	}
	p9_put16(o, (uint16_t)len);
	p9_putbytes(o, s, len);
}

long p9_end(struct p9_out *o)
{
	if (o->err || o->len > 0xffffffffu)
		return -EMSGSIZE;
	uint32_t size = (uint32_t)o->len;
	memcpy(o->buf, &size, 4);
	return (long)o->len;
}

const void *p9_getbytes(struct p9_in *in, size_t len)
{
	if (in->err || len > (size_t)(in->end - in->p)) {
		in->err = 1;
		return NULL;
	}
	const void *r = in->p;
	in->p += len;
	return r;
}

#define GET(bits)                                                                                  \
	uint##bits##_t p9_get##bits(struct p9_in *in)                                              \
	{                                                                                          \
		uint##bits##_t v = 0;                                                              \
		const void *p = p9_getbytes(in, sizeof(v));                                        \
		if (p)                                                                             \
			memcpy(&v, p, sizeof(v));                                                  \
		return v;                                                                          \
	}
GET(8)
GET(16)
GET(32)
GET(64)

void p9_getqid(struct p9_in *in, struct p9_qid *q)
{
	q->type = p9_get8(in);
	q->version = p9_get32(in);
	q->path = p9_get64(in);
}

void p9_getstr(struct p9_in *in, const char **s, uint16_t *len)
{
	*len = p9_get16(in);
	*s = p9_getbytes(in, *len);
	if (!*s)
		*len = 0;
}

int p9_reply(struct p9_in *in, const void *buf, size_t len, uint8_t want, uint16_t tag)
{
	uint32_t size;

	in->p = buf;
	in->end = (const uint8_t *)buf + len;
	in->err = 0;
	if (len < P9_HDR)
		return -EIO;
	size = p9_get32(in);
	if (size < P9_HDR || size > len)
		return -EIO;
	in->end = (const uint8_t *)buf + size;
	uint8_t type = p9_get8(in);
	uint16_t rtag = p9_get16(in);
	if (rtag != tag)
		return -EIO;
	if (type == P9_RLERROR) {
		uint32_t ecode = p9_get32(in);
		if (in->err || in->p != in->end || ecode == 0 || ecode >= 4096)
			return -EIO;
		return -(int)ecode;
	}
	return type == want ? 0 : -EIO;
}

int p9_dirent(struct p9_in *in, struct p9_qid *q, uint64_t *off, uint8_t *type, const char **name,
	      uint16_t *len)
{
	if (in->err)
		return -EIO;
	if (in->p == in->end)
		return 0;
	p9_getqid(in, q);
	*off = p9_get64(in);
	*type = p9_get8(in);
	p9_getstr(in, name, len);
	return in->err ? -EIO : 1;
}
