/*
 * Byte pipes inside the kernel (kernel/pipe.c): what pipe() descriptors
 * and the other byte streams between threads are made of.
 */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

#include <stddef.h>

struct pipe;

/* A pipe with one reader and one writer. @retval NULL out of memory */
struct pipe *pipe_create(void);
/* @retval bytes read (0: empty and no writer left), -EAGAIN, -EINTR */
long pipe_read(struct pipe *p, void *buf, size_t len, int nonblock);
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
long socketpair_send(struct file *f, const void *ubuf, size_t len, int flags);
long socketpair_recv(struct file *f, void *ubuf, size_t len, int flags);
long socketpair_shutdown(struct file *f, int how);

#endif
