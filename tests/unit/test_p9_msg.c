// unit-sources: fs/unilib/p9_msg.c
/* The 9P2000.L codec of Unilib-fs: requests built within their buffer,
 * replies refused (-EIO) when short, when their size field disagrees with
 * what arrived, with another tag or type, an Rlerror without a sane code,
 * strings or directory entries that run past the message. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "../../fs/unilib/p9.h"

static int failures;

#define CHECK(name, cond)                                                                          \
	do {                                                                                       \
		if (cond)                                                                          \
			printf("[PASS] p9 %s\n", name);                                            \
		else {                                                                             \
			printf("[FAIL] p9 %s (line %d)\n", name, __LINE__);                        \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/* A reply: size type tag body. */
static size_t reply(uint8_t *buf, uint8_t type, uint16_t tag, const void *body, size_t len)
{
	uint32_t size = (uint32_t)(7 + len);
	memcpy(buf, &size, 4);
	buf[4] = type;
	memcpy(buf + 5, &tag, 2);
	memcpy(buf + 7, body, len);
	return size;
}

static void test_requests(void)
{
	uint8_t buf[32];
	struct p9_out o;

	p9_begin(&o, buf, sizeof(buf), P9_TWALK, 3);
	p9_put32(&o, 1);
	p9_putstr(&o, "name", 4);
	long n = p9_end(&o);
	uint32_t size;
	memcpy(&size, buf, 4);
	CHECK("request built",
	      n == 7 + 4 + 2 + 4 && size == n && buf[4] == P9_TWALK && buf[5] == 3);
	p9_begin(&o, buf, sizeof(buf), P9_TWRITE, 3);
	p9_putbytes(&o, buf, 30);
	CHECK("request too big for its buffer", p9_end(&o) == -EMSGSIZE);
	p9_begin(&o, buf, 4, P9_TWRITE, 3);
	CHECK("buffer smaller than a header", p9_end(&o) == -EMSGSIZE);
}

static void test_replies(void)
{
	uint8_t buf[64], body[32] = {0};
	struct p9_in in;
	size_t n;

	n = reply(buf, P9_TWALK + 1, 5, "\x01\x00", 2);
	CHECK("good reply", p9_reply(&in, buf, n, P9_TWALK + 1, 5) == 0 && p9_get16(&in) == 1);
	CHECK("reading past the reply", (p9_get32(&in), in.err == 1));
	CHECK("short message", p9_reply(&in, buf, 6, P9_TWALK + 1, 5) == -EIO);
	CHECK("size larger than what arrived", p9_reply(&in, buf, n - 1, P9_TWALK + 1, 5) == -EIO);
	uint32_t bad = 3;
	memcpy(buf, &bad, 4);
	CHECK("size smaller than a header", p9_reply(&in, buf, n, P9_TWALK + 1, 5) == -EIO);
	n = reply(buf, P9_TWALK + 1, 6, "\x01\x00", 2);
	CHECK("wrong tag", p9_reply(&in, buf, n, P9_TWALK + 1, 5) == -EIO);
	CHECK("wrong type", p9_reply(&in, buf, n, P9_TREAD + 1, 6) == -EIO);
	uint32_t ecode = ENOENT;
	n = reply(buf, P9_RLERROR, 6, &ecode, 4);
	CHECK("Rlerror gives its errno", p9_reply(&in, buf, n, P9_TWALK + 1, 6) == -ENOENT);
	ecode = 0;
	n = reply(buf, P9_RLERROR, 6, &ecode, 4);
	CHECK("Rlerror with code 0", p9_reply(&in, buf, n, P9_TWALK + 1, 6) == -EIO);
	ecode = 100000;
	n = reply(buf, P9_RLERROR, 6, &ecode, 4);
	CHECK("Rlerror with a huge code", p9_reply(&in, buf, n, P9_TWALK + 1, 6) == -EIO);
	n = reply(buf, P9_RLERROR, 6, &ecode, 2);
	CHECK("Rlerror cut short", p9_reply(&in, buf, n, P9_TWALK + 1, 6) == -EIO);
	/* A string whose length runs past the message. */
	body[0] = 200;
	n = reply(buf, P9_TVERSION + 1, 0xffff, body, 4);
	const char *s;
	uint16_t len;
	p9_reply(&in, buf, n, P9_TVERSION + 1, 0xffff);
	p9_getstr(&in, &s, &len);
	CHECK("string past the end", in.err && !s && len == 0);
	/* Trailing bytes after the size field are not part of the reply. */
	n = reply(buf, P9_TREAD + 1, 1, "\x02\x00\x00\x00xy", 6);
	p9_reply(&in, buf, n + 10, P9_TREAD + 1, 1);
	uint32_t count = p9_get32(&in);
	CHECK("reply bounded by its size field",
	      count == 2 && p9_getbytes(&in, 2) && !p9_getbytes(&in, 1));
}

static void test_dirents(void)
{
	uint8_t data[64];
	struct p9_in in;
	struct p9_qid q;
	uint64_t off;
	uint8_t type;
	const char *name;
	uint16_t len;
	size_t n = 0;

	memset(data, 0, sizeof(data));
	data[n] = P9_QTDIR, n += 13; /* qid */
	data[n] = 7, n += 8;	     /* offset */
	data[n++] = 4;		     /* DT_DIR */
	data[n++] = 3, data[n++] = 0;
	memcpy(data + n, "abc", 3), n += 3;
	in = (struct p9_in){data, data + n, 0};
	int r1 = p9_dirent(&in, &q, &off, &type, &name, &len);
	int r2 = p9_dirent(&in, &q, &off, &type, &name, &len);
	CHECK("one directory entry, then the end",
	      r1 == 1 && off == 7 && len == 3 && !memcmp(name, "abc", 3) && r2 == 0);
	in = (struct p9_in){data, data + n - 1, 0};
	CHECK("entry whose name runs past the buffer",
	      p9_dirent(&in, &q, &off, &type, &name, &len) == -EIO);
	in = (struct p9_in){data, data + 10, 0};
	CHECK("entry cut in its qid", p9_dirent(&in, &q, &off, &type, &name, &len) == -EIO);
}

int main(void)
{
	test_requests();
	test_replies();
	test_dirents();
	return failures != 0;
}
