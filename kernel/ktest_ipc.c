/* In-kernel tests of pipes, eventfd and epoll (kernel/pipe.c, eventfd.c,
 * epoll.c): Linux semantics between threads of the one process. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <kernel/ktest.h>
#include <kernel/thread.h>

#ifdef CONFIG_PIPE

TEST(pipe, bytes_in_order_then_end_of_file)
{
	int p[2];
	char buf[16];

	EXPECT_EQ(pipe(p), 0);
	EXPECT_EQ(write(p[1], "hello", 5), 5);
	EXPECT_EQ(write(p[1], " world", 6), 6);
	EXPECT_EQ(read(p[0], buf, 3), 3);
	EXPECT(!memcmp(buf, "hel", 3));
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 8);
	EXPECT(!memcmp(buf, "lo world", 8));
	EXPECT_EQ(close(p[1]), 0);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 0);
	EXPECT_EQ(close(p[0]), 0);
}

TEST(pipe, no_reader_is_epipe_and_nonblock_is_eagain)
{
	int p[2];
	char buf[8];

	EXPECT_EQ(pipe2(p, O_NONBLOCK), 0);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), -1);
	EXPECT_EQ(errno, EAGAIN);
	struct pollfd pf[2] = {{.fd = p[0], .events = POLLIN}, {.fd = p[1], .events = POLLOUT}};
	EXPECT_EQ(poll(pf, 2, 0), 1);
	EXPECT_EQ(pf[1].revents, POLLOUT);
	EXPECT_EQ(close(p[0]), 0);
	/* SIGPIPE ignored, as a program that wants EPIPE does. */
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	EXPECT_EQ(write(p[1], "x", 1), -1);
	EXPECT_EQ(errno, EPIPE);
	signal(SIGPIPE, old == SIG_ERR ? SIG_DFL : old);
	EXPECT_EQ(close(p[1]), 0);
	EXPECT_EQ(pipe2(p, 0x12345), -1);
	EXPECT_EQ(errno, EINVAL);
}

static int xfer_fd;

/* 1 MiB through the pipe in odd-sized pieces, a pattern the reader checks. */
static void *writer(void *arg)
{
	static unsigned char chunk[3001];
	size_t total = (size_t)(long)arg, sent = 0;

	while (sent < total) {
		size_t n = total - sent < sizeof(chunk) ? total - sent : sizeof(chunk);
		for (size_t i = 0; i < n; i++)
			chunk[i] = (unsigned char)((sent + i) * 7);
		if (write(xfer_fd, chunk, n) != (ssize_t)n)
			return (void *)1;
		sent += n;
	}
	close(xfer_fd);
	return NULL;
}

TEST(pipe, a_megabyte_between_threads)
{
	int p[2];
	unsigned char buf[4096];
	size_t got = 0, total = 1 << 20;
	int bad = 0;
	void *wr;

	EXPECT_EQ(pipe(p), 0);
	xfer_fd = p[1];
	struct thread_attr a = {.name = "pipe-writer"};
	int tid = thread_spawn(&a, writer, (void *)(long)total);
	EXPECT(tid > 0);
	for (;;) {
		ssize_t n = read(p[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			bad += buf[i] != (unsigned char)((got + (size_t)i) * 7);
		got += (size_t)n;
	}
	EXPECT_EQ(thread_join(tid, &wr), 0);
	EXPECT(wr == NULL);
	EXPECT_EQ(got, total);
	EXPECT_EQ(bad, 0);
	close(p[0]);
}

TEST(eventfd, counter_and_semaphore)
{
	uint64_t v = 3;
	int fd = eventfd(2, EFD_NONBLOCK);

	EXPECT(fd >= 0);
	EXPECT_EQ(write(fd, &v, sizeof(v)), 8);
	EXPECT_EQ(read(fd, &v, sizeof(v)), 8);
	EXPECT_EQ(v, 5);
	EXPECT_EQ(read(fd, &v, sizeof(v)), -1);
	EXPECT_EQ(errno, EAGAIN);
	EXPECT_EQ(read(fd, &v, 4), -1);
	EXPECT_EQ(errno, EINVAL);
	close(fd);
	fd = eventfd(2, EFD_SEMAPHORE);
	EXPECT_EQ(read(fd, &v, sizeof(v)), 8);
	EXPECT_EQ(v, 1);
	EXPECT_EQ(read(fd, &v, sizeof(v)), 8);
	EXPECT_EQ(v, 1);
	close(fd);
}

#ifdef CONFIG_POLL

TEST(epoll, level_edge_and_oneshot)
{
	int p[2], ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 42}, out[4];
	char c;

	EXPECT(ep >= 0);
	EXPECT_EQ(pipe(p), 0);
	EXPECT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), 0);
	EXPECT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), -1);
	EXPECT_EQ(errno, EEXIST);
	EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	EXPECT_EQ(write(p[1], "ab", 2), 2);
	/* Level-triggered: reported while readable. */
	EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1);
	EXPECT_EQ(out[0].data.u64, 42);
	EXPECT_EQ(out[0].events, EPOLLIN);
	EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1);
	/* Edge-triggered: once, then again only after new data. */
	ev.events = EPOLLIN | EPOLLET;
	EXPECT_EQ(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), 0);
	EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1);
	EXPECT_EQ(epoll_wait(ep, out, 4, 10), 0);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(write(p[1], "c", 1), 1);
	EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1);
	/* One-shot: disarmed by its report until MOD. */
	ev.events = EPOLLIN | EPOLLONESHOT;
	EXPECT_EQ(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), 0);
	EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1);
	EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	EXPECT_EQ(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), 0);
	EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1);
	/* Closing the descriptor ends the entry, as on Linux. */
	EXPECT_EQ(close(p[0]), 0);
	EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	EXPECT_EQ(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), -1);
	EXPECT_EQ(epoll_wait(ep, (void *)1, 4, 0), -1);
	EXPECT_EQ(errno, EFAULT);
	close(p[1]);
	close(ep);
}

static int wake_fd;

static void *wake_later(void *arg)
{
	uint64_t one = 1;

	(void)arg;
	thread_sleep_ms(20);
	return (void *)(long)write(wake_fd, &one, sizeof(one));
}

TEST(epoll, a_wait_wakes_for_another_thread)
{
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = 7}, out;
	void *r;

	wake_fd = eventfd(0, 0);
	EXPECT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, wake_fd, &ev), 0);
	struct thread_attr a = {.name = "waker"};
	int tid = thread_spawn(&a, wake_later, NULL);
	/* No time bound: the wait must end because of the write. */
	EXPECT_EQ(epoll_wait(ep, &out, 1, -1), 1);
	EXPECT_EQ(out.data.fd, 7);
	EXPECT_EQ(thread_join(tid, &r), 0);
	EXPECT_EQ((long)r, 8);
	close(wake_fd);
	close(ep);
}

#endif
#endif
