/* The 9P2000.L client of Unilib-fs: a session over a Unilib transport,
 * request slots (one per tag, so as many requests are in flight as there
 * are slots), fids. Private to fs/unilib. */
#ifndef FS_UNILIB_P9_CLIENT_H
#define FS_UNILIB_P9_CLIENT_H

#include <kernel/unilib.h>

#include "p9.h"

#define P9_ROOT_FID 0u

/* One request in progress: a slot (its tag and buffers) taken by
 * p9_call_begin() and given back by p9_call_end(). */
struct p9_call {
	unsigned tag;
	struct p9_out out; /* build the request body here */
	struct p9_in in;   /* after p9_call_do(): the reply body */
};

/* Start the session on @t: version and attach of the root fid.
 * @retval 0; -EIO; -ENOMEM; the server's error */
int p9_client_start(struct unilib_transport *t);
/* The session's number: it changes when the transport reconnected and the
 * session was made again; fids of an earlier one are gone. */
uint32_t p9_session(void);
/* Data bytes that fit one Tread/Twrite with the negotiated msize. */
uint32_t p9_iosize(void);

/* Take a free slot (waiting for one) and begin a @type request in it.
 * @retval 0; -ENOMEM (no memory for the slot's buffers) */
int p9_call_begin(struct p9_call *c, uint8_t type);
/* Send it and wait: 0 with c->in at the body of reply @rtype; the
 * server's negative errno; -EIO (gone, or a malformed reply). A
 * transport that has reconnected meanwhile makes the session again and
 * the request is sent once more. */
int p9_call_do(struct p9_call *c, uint8_t rtype);
/* Give the slot back. */
void p9_call_end(struct p9_call *c);

/* A new fid number (never reused) and its accounting. */
uint32_t p9_fid_new(void);
/* The server no longer holds @fid (clunked, or a walk that failed). */
void p9_fid_gone(void);
/* Tclunk @fid made in session @session (only counted if that is gone),
 * waiting for the answer. */
void p9_clunk_now(uint32_t fid, uint32_t session);
/* The same, done by a thread of its own (p9_clunk.c) when it can take it:
 * the caller does not wait for a fid it no longer uses. Fids stay counted
 * until they are clunked. */
void p9_clunk(uint32_t fid, uint32_t session);
/* Start that thread (at mount). @retval 0; negative: clunks stay
 * synchronous */
int p9_clunker_start(void);

#endif
