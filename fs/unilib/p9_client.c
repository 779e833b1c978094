/*
 * The 9P2000.L session of Unilib-fs.
 *
 * Requests go through P9_SLOTS slots; slot i sends with tag i, so the
 * transport may hold every slot's request at once and the server may
 * answer them in any order. A thread takes a free slot (sleeping on a
 * semaphore while all are busy), builds its request in the slot's send
 * buffer, and the transport puts the reply in the slot's receive buffer.
 * Each buffer is msize bytes, from the kernel heap on the slot's first
 * use, kept after: a crash of the thread must not take them.
 *
 * The session: Tversion, then Tattach of the root (fid 0). When a socket
 * transport has lost its server and reconnected to a new one (the
 * generation moved), the next call makes the session again first; fids of
 * the old session are gone with it (fid numbers are never reused, so a
 * stale one is only an error, never someone else's file).
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <string.h>
#include <kernel/kmutex.h>
#include <kernel/log.h>
#include <kernel/mm.h>

#include "p9_client.h"

#define P9_SLOTS 16
#define P9_MSIZE_MAX (128u * 1024 + P9_IOHDR)
#define P9_MSIZE_MIN 4096u

static struct {
	struct unilib_transport *t;
	uint32_t msize;
	uint32_t gen;	  /* the transport generation the session was made in */
	uint32_t session; /* bumped with each new session */
	pthread_mutex_t lock;
	sem_t free_slots;
	uint32_t busy;				      /* a bit per slot */
	uint8_t *tx[P9_SLOTS + 1], *rx[P9_SLOTS + 1]; /* the last: sessions only */
	uint32_t next_fid;
	struct unilib_fs_stats st;
} cl = {.lock = PTHREAD_MUTEX_INITIALIZER, .next_fid = 1};

static void count(long *v, long d)
{
	__atomic_add_fetch(v, d, __ATOMIC_RELAXED);
}

void unilib_fs_stats(struct unilib_fs_stats *out)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	*out = cl.st;
}

uint32_t p9_session(void)
{
	return __atomic_load_n(&cl.session, __ATOMIC_ACQUIRE);
}

uint32_t p9_iosize(void)
{
	return cl.msize - P9_IOHDR;
}

uint32_t p9_fid_new(void)
{
	count(&cl.st.fids, 1);
	return __atomic_fetch_add(&cl.next_fid, 1, __ATOMIC_RELAXED);
}

void p9_fid_gone(void)
{
	count(&cl.st.fids, -1);
}

/* One exchange in slot @tag: send what c->out holds, check the reply. */
static int exchange(struct p9_call *c, uint8_t rtype, uint16_t tag)
{
	long len = p9_end(&c->out);

	if (len < 0)
		return (int)len;
	count(&cl.st.requests, 1);
	long now = __atomic_add_fetch(&cl.st.in_flight, 1, __ATOMIC_RELAXED);
	long max = __atomic_load_n(&cl.st.max_in_flight, __ATOMIC_RELAXED);
	while (now > max && !__atomic_compare_exchange_n(&cl.st.max_in_flight, &max, now, 0,
							 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	long n = cl.t->rpc(cl.t, tag, cl.tx[c->tag], (size_t)len, cl.rx[c->tag], cl.msize);
	count(&cl.st.in_flight, -1);
	if (n < 0) {
		if (n == -EIO)
			count(&cl.st.errors, 1);
		return (int)n;
	}
	int r = p9_reply(&c->in, cl.rx[c->tag], (size_t)n, rtype, tag);
	if (r == -EIO)
		count(&cl.st.errors, 1);
	return r;
}

/* Version and attach, in slot @c (taken), under cl.lock. */
static int session_make(struct p9_call *c)
{
	const char *ver;
	uint16_t vlen;
	uint32_t gen = cl.t->generation;
	int r;

	p9_begin(&c->out, cl.tx[c->tag], cl.msize, P9_TVERSION, P9_NOTAG);
	p9_put32(&c->out, cl.msize);
	p9_putstr(&c->out, P9_VERSION, strlen(P9_VERSION));
	if ((r = exchange(c, P9_TVERSION + 1, P9_NOTAG)))
		return r;
	uint32_t msize = p9_get32(&c->in);
	p9_getstr(&c->in, &ver, &vlen);
	if (c->in.err || vlen != strlen(P9_VERSION) || memcmp(ver, P9_VERSION, vlen) ||
	    msize < P9_MSIZE_MIN || msize > cl.msize)
		return -EIO;
	cl.msize = msize;
	p9_begin(&c->out, cl.tx[c->tag], cl.msize, P9_TATTACH, (uint16_t)c->tag);
	p9_put32(&c->out, P9_ROOT_FID);
	p9_put32(&c->out, P9_NOFID);
	p9_putstr(&c->out, "root", 4);
	p9_putstr(&c->out, cl.t->aname, strlen(cl.t->aname));
	p9_put32(&c->out, 0); /* n_uname: root, the host server's own user */
	if ((r = exchange(c, P9_TATTACH + 1, (uint16_t)c->tag)))
		return r;
	struct p9_qid q;
	p9_getqid(&c->in, &q);
	if (c->in.err || !(q.type & P9_QTDIR))
		return -EIO;
	cl.gen = gen;
	__atomic_add_fetch(&cl.session, 1, __ATOMIC_RELEASE);
	return 0;
}

static int slot_buffers(unsigned i)
{
	if (cl.tx[i])
		return 0;
	cl.tx[i] = mm_heap_alloc(mm_kernel_heap(), P9_MSIZE_MAX);
	cl.rx[i] = mm_heap_alloc(mm_kernel_heap(), P9_MSIZE_MAX);
	if (cl.tx[i] && cl.rx[i])
		return 0;
	mm_free(cl.tx[i]);
	mm_free(cl.rx[i]);
	cl.tx[i] = cl.rx[i] = NULL;
	return -ENOMEM;
}

int p9_call_begin(struct p9_call *c, uint8_t type)
{
	int r;

	while (sem_wait(&cl.free_slots) && errno == EINTR)
		;
	kmutex_lock(&cl.lock);
	c->tag = (unsigned)__builtin_ctz(~cl.busy);
	cl.busy |= 1u << c->tag;
	r = slot_buffers(c->tag);
	kmutex_unlock(&cl.lock);
	if (r) {
		p9_call_end(c);
		return r;
	}
	p9_begin(&c->out, cl.tx[c->tag], cl.msize, type, (uint16_t)c->tag);
	return 0;
}

void p9_call_end(struct p9_call *c)
{
	kmutex_lock(&cl.lock);
	cl.busy &= ~(1u << c->tag);
	kmutex_unlock(&cl.lock);
	sem_post(&cl.free_slots);
}

/* The transport reconnected (-ENOTCONN: nothing was sent): make the
 * session again unless another thread already has. It uses the slot kept
 * for sessions, so threads that hold every other slot cannot starve it. */
static int session_renew(void)
{
	struct p9_call s = {.tag = P9_SLOTS};
	int r = 0;

	kmutex_lock(&cl.lock);
	if (cl.gen != cl.t->generation) {
		r = session_make(&s);
		if (r)
			log_warn("unilib: the host server is back but the session failed (%d)", r);
		else
			log_info("unilib: session made again with the host server");
	}
	kmutex_unlock(&cl.lock);
	return r;
}

int p9_call_do(struct p9_call *c, uint8_t rtype)
{
	struct p9_out saved = c->out;
	int r = exchange(c, rtype, (uint16_t)c->tag);

	if (r == -ENOTCONN) {
		if ((r = session_renew()))
			return -EIO;
		c->out = saved;
		r = exchange(c, rtype, (uint16_t)c->tag);
		if (r == -ENOTCONN)
			r = -EIO;
	}
	return r;
}

void p9_clunk_now(uint32_t fid, uint32_t session)
{
	struct p9_call c;

	p9_fid_gone();
	if (session != p9_session() || p9_call_begin(&c, P9_TCLUNK))
		return;
	p9_put32(&c.out, fid);
	p9_call_do(&c, P9_TCLUNK + 1); /* an error still frees the fid (9P) */
	p9_call_end(&c);
}

int p9_client_start(struct unilib_transport *t)
{
	struct p9_call c = {.tag = P9_SLOTS};
	int r;

	cl.t = t;
	cl.msize = t->msize < P9_MSIZE_MAX ? t->msize : P9_MSIZE_MAX;
	sem_init(&cl.free_slots, 0, P9_SLOTS);
	kmutex_lock(&cl.lock);
	r = slot_buffers(P9_SLOTS);
	if (!r)
		r = session_make(&c);
	kmutex_unlock(&cl.lock);
	if (!r)
		count(&cl.st.fids, 1); /* the root */
	return r;
}
