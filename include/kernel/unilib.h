/*
 * Unilib: whole services handed to the general-purpose OS beside the
 * unikernel (here the host Linux). A service speaks a published protocol;
 * a transport carries its messages. Unilib-fs is the first service: files
 * over 9P2000.L (fs/unilib), carried by virtio-9p on microvm
 * (drivers/virtio/virtio_9p.c) or by a socket to a host 9P server on
 * linuxu (plat/linuxu/unilib_sock.c).
 *
 * A transport is a message pipe with requests in flight from many threads
 * at once: each call carries one whole request and waits for its reply.
 * It trusts nothing it receives beyond delivering at most @rx_cap bytes;
 * the service checks the contents.
 */
#ifndef KERNEL_UNILIB_H
#define KERNEL_UNILIB_H

#include <stddef.h>
#include <stdint.h>

/* Tags a service uses: 0 .. UNILIB_TAGS - 1, and UNILIB_NOTAG (at most one
 * such request at a time: the protocol's version handshake). */
#define UNILIB_TAGS 17
#define UNILIB_NOTAG 0xffffu

struct unilib_transport {
	const char *name;  /* "virtio-9p", "socket" */
	const char *aname; /* what to attach to ("" for the server's choice) */
	uint32_t msize;	   /* the largest message it carries */
	/* Bumped by the transport each time it (re)connects to a server that
	 * has forgotten all earlier state; the service starts over then. */
	volatile uint32_t generation;
	/* How long a request waits for its reply, in ms (0: for ever); set by
	 * the service before its first request (kernel option
	 * unilib_timeout=MS). A transport that cannot honour it waits. */
	uint32_t timeout_ms;
	/* Send request @tx (@tx_len bytes, carrying tag @tag) and wait for
	 * its reply in @rx (at most @rx_cap bytes). Callable from many
	 * threads at once, each with its own tag and buffers; never from an
	 * interrupt.
	 * @retval the reply's length; -EIO the server is gone, broke the
	 *         protocol or gave no reply within timeout_ms (nothing hangs:
	 *         a lost server fails every call) */
	long (*rpc)(struct unilib_transport *t, uint16_t tag, const void *tx, size_t tx_len,
		    void *rx, size_t rx_cap);
	void *priv;
};

/* Offer @t to the services (from an INITCALL_DRIVER hook). One transport
 * is used; a second is refused. @retval 0; -EBUSY */
int unilib_transport_register(struct unilib_transport *t);

/* Counters of Unilib-fs, for tests and the shell's `unilib`. */
struct unilib_fs_stats {
	long fids;	    /* fids held on the server now */
	long requests;	    /* requests sent */
	long errors;	    /* malformed replies and transport failures */
	long in_flight;	    /* requests waiting for a reply now */
	long max_in_flight; /* the most ever waiting at once */
};
void unilib_fs_stats(struct unilib_fs_stats *out);

#endif
