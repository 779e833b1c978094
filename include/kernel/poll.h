/*
 * Waiting for descriptors to become ready (kernel/sys_poll.c), for the
 * kinds of wait built on it (poll, select, epoll) and for blocking file
 * kinds (pipes, eventfd). One generation counter moves whenever any file's
 * readiness may have changed (file_poll_notify()); a waiter reads it,
 * looks at its files, and sleeps only while it has not moved.
 */
#ifndef KERNEL_POLL_H
#define KERNEL_POLL_H

#include <stdint.h>

/* The counter now: read it before looking at the files. */
int poll_generation(void);

/* Sleep until the counter moves from @gen, for at most one slice (50 ms)
 * and never past @deadline_ns (plat_time_ns; UINT64_MAX: no limit).
 * @retval 0 woken or slice over: look again; -ETIMEDOUT the deadline
 *         passed; -EINTR the thread was killed */
int poll_wait_change(int gen, uint64_t deadline_ns);

/* plat_time_ns() + @ns, saturated. */
uint64_t poll_deadline_after_ns(uint64_t ns);

#endif
