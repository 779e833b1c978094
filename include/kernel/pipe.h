/*
 * Byte pipes inside the kernel (kernel/pipe.c): what pipe() descriptors
 * and the other byte streams between threads are made of.
 */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

#include <stddef.h>

struct pipe;
struct iovec;
struct msghdr;

/* A pipe with one reader and one writer. @retval NULL out of memory */
struct pipe *pipe_create(void);
/* @retval bytes read (0: empty and no writer left), -EAGAIN, -EINTR */
long pipe_read(struct pipe *p, void *buf, size_t len, int nonblock);
/* pipe_readv's @flags */
#define PIPE_NONBLOCK 1
#define PIPE_PEEK 2 /* the bytes stay in the pipe */
/* As pipe_read, into @cnt buffers (a kernel array; the buffers checked by
 * the caller) filled one after the other with what is there. */
long pipe_readv(struct pipe *p, const struct iovec *iov, size_t cnt, int flags);
/* @retval bytes written, -EPIPE (no reader), -EAGAIN, -EINTR */
long pipe_write(struct pipe *p, const void *buf, size_t len, int nonblock);
/* Readiness of the read end (@reading) or the write end. */
short pipe_poll(struct pipe *p, short events, int reading);
size_t pipe_unread(struct pipe *p);
/* One end goes away; the pipe is freed with the last. */
void pipe_close_end(struct pipe *p, int reading);

/* The ends of socketpair() (kernel/socketpair.c), for the socket calls
 * of net/socket.c: socketpair_get gives a new reference to the file of
 * @fd if it is an end, else NULL. */
struct file;
struct file *socketpair_get(long fd);
/* send/sendto; @named: an address was given (EISCONN: the pair is
 * connected). */
long socketpair_send(struct file *f, const void *ubuf, size_t len, int flags, int named);
long socketpair_recv(struct file *f, void *ubuf, size_t len, int flags);
long socketpair_sendmsg(struct file *f, const struct msghdr *umsg, int flags);
long socketpair_recvmsg(struct file *f, struct msghdr *umsg, int flags);
long socketpair_shutdown(struct file *f, int how);

#endif
