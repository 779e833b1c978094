/*
 * 9P2000.L messages: the numbers of the protocol and a codec that builds
 * requests and takes replies apart. Private to fs/unilib. The codec is pure
 * (no kernel calls), so host unit tests and the fuzzer build it as it is.
 *
 * Every message is size[4] type[1] tag[2] and a body, little-endian;
 * strings are len[2] and bytes; a qid is type[1] version[4] path[8].
 * A reply is never trusted: every read is bounds-checked against the
 * length the transport delivered, and a reader that runs past it, or a
 * size field that disagrees with it, makes the whole reply -EIO.
 */
#ifndef FS_UNILIB_P9_H
#define FS_UNILIB_P9_H

#include <stddef.h>
#include <stdint.h>

#define P9_HDR 7 /* size, type, tag */
#define P9_NOTAG 0xffffu
#define P9_NOFID 0xffffffffu
#define P9_VERSION "9P2000.L"
/* Rread/Rwrite/Rreaddir overhead: header and count[4]; Twrite's is
 * fid[4] offset[8] count[4] more. Data per message is msize less this. */
#define P9_IOHDR 24

enum {
	P9_RLERROR = 7,
	P9_TSTATFS = 8,
	P9_TLOPEN = 12,
	P9_TLCREATE = 14,
	P9_TRENAME = 20,
	P9_TGETATTR = 24,
	P9_TSETATTR = 26,
	P9_TREADDIR = 40,
	P9_TFSYNC = 50,
	P9_TMKDIR = 72,
	P9_TRENAMEAT = 74,
	P9_TUNLINKAT = 76,
	P9_TVERSION = 100,
	P9_TATTACH = 104,
	P9_TFLUSH = 108,
	P9_TWALK = 110,
	P9_TREAD = 116,
	P9_TWRITE = 118,
	P9_TCLUNK = 120,
	P9_TREMOVE = 122,
};

#define P9_QTDIR 0x80
#define P9_QTSYMLINK 0x02
#define P9_GETATTR_BASIC 0x7ffull
#define P9_SETATTR_SIZE 0x8u
#define P9_AT_REMOVEDIR 0x200u

struct p9_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

/* A request being built into @buf (capacity @cap). Any put that does not
 * fit sets @err; p9_end() then fails. */
struct p9_out {
	uint8_t *buf;
	size_t cap, len;
	int err;
};

/* A reply being read: @p..@end. Any get past the end sets @err. */
struct p9_in {
	const uint8_t *p, *end;
	int err;
};

void p9_begin(struct p9_out *o, void *buf, size_t cap, uint8_t type, uint16_t tag);
void p9_put8(struct p9_out *o, uint8_t v);
void p9_put16(struct p9_out *o, uint16_t v);
void p9_put32(struct p9_out *o, uint32_t v);
void p9_put64(struct p9_out *o, uint64_t v);
void p9_putstr(struct p9_out *o, const char *s, size_t len);
void p9_putbytes(struct p9_out *o, const void *data, size_t len);
/* Write the size field. @retval the message length; -EMSGSIZE it did not fit */
long p9_end(struct p9_out *o);

/* Check reply @buf of @len bytes (what the transport delivered) against
 * the request: its size field within @len, a known type (@want or
 * Rlerror), @tag. On success @in reads the body.
 * @retval 0 the reply is @want; a negative errno the server sent (Rlerror,
 *         ecode between 1 and 4095); -EIO anything malformed */
int p9_reply(struct p9_in *in, const void *buf, size_t len, uint8_t want, uint16_t tag);
uint8_t p9_get8(struct p9_in *in);
uint16_t p9_get16(struct p9_in *in);
uint32_t p9_get32(struct p9_in *in);
uint64_t p9_get64(struct p9_in *in);
void p9_getqid(struct p9_in *in, struct p9_qid *q);
/* A string in place: *s points into the reply, not NUL-terminated. */
void p9_getstr(struct p9_in *in, const char **s, uint16_t *len);
/* @len bytes in place. @retval them, or NULL (and err) if not there */
const void *p9_getbytes(struct p9_in *in, size_t len);

/* One Rreaddir entry from @in (which holds exactly the data bytes): its
 * qid, next offset, type and name. @retval 1 an entry; 0 none left;
 * -EIO an entry that runs past the data */
int p9_dirent(struct p9_in *in, struct p9_qid *q, uint64_t *off, uint8_t *type, const char **name,
	      uint16_t *len);

#endif
