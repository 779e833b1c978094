/*
 * Blocking console input for threads (include/kernel/console.h). The
 * platform's read never blocks; a reader that finds nothing waits on a
 * semaphore that the console's receive interrupt posts. The wait also
 * times out every CONSOLE_POLL_MS, so input is still seen on a machine
 * whose console interrupt is not routed (or a platform that never calls
 * console_rx_notify()), only later.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <time.h>
#include <kernel/compiler.h>
#include <kernel/console.h>
#include <kernel/file.h>
#include <kernel/initcall.h>
#include <kernel/spinlock.h>
#include <kernel/signal.h>
#include <kernel/thread.h>
#include <platform.h>

#define CONSOLE_POLL_MS 20

static sem_t rx_ready;

static int console_init(void)
{
	return sem_init(&rx_ready, 0, 0) ? -errno : 0;
}

INITCALL(INITCALL_CORE, console_init);

/* Wait for console_rx_notify() or CONSOLE_POLL_MS, whichever comes first.
 * sem_timedwait() takes an absolute CLOCK_REALTIME deadline; a clock step
 * can only lengthen or shorten one poll. */
static void wait_for_input(void)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_nsec += CONSOLE_POLL_MS * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	while (sem_timedwait(&rx_ready, &deadline) && errno == EINTR)
		;
}

/* Input taken from the platform but not yet read: by console_poll(), or
 * by the ^C thread (CONFIG_CONSOLE_SIGINT), which takes every byte as it
 * comes. Under in_lock; eof once the platform's input has ended. */
#define IN_RING 1024
/* A spinlock: taking the platform's bytes never sleeps, and a sleeping
 * lock would pull the C library's mutexes into every image. */
static spinlock_t in_lock = SPINLOCK_INIT;
static char ring[IN_RING];
static size_t ring_head, ring_len;
static int eof;

/* Move what the platform has into the ring (^C becomes SIGINT with
 * CONFIG_CONSOLE_SIGINT, as a terminal's ISIG does). Caller holds in_lock.
 * @retval bytes added */
static size_t pull_locked(void)
{
	char buf[64];
	size_t added = 0;

	while (!eof && ring_len < IN_RING) {
		size_t room = IN_RING - ring_len;
		long n = plat_console_read(buf, room < sizeof(buf) ? room : sizeof(buf));
		if (n < 0)
			eof = 1;
		if (n <= 0)
			break;
		for (long i = 0; i < n; i++) {
			if (IS_ENABLED(CONFIG_CONSOLE_SIGINT) && buf[i] == 3) {
				signal_send_process(SIGINT);
				continue;
			}
			ring[(ring_head + ring_len++) % IN_RING] = buf[i];
			added++;
		}
	}
	return added;
}

int console_poll(void)
{
	unsigned long flags = spin_lock_irqsave(&in_lock);
	pull_locked();
	int ready = ring_len || eof; /* a read will not wait */
	spin_unlock_irqrestore(&in_lock, flags);
	return ready;
}

/* @retval bytes copied; 0 nothing there; -1 the input ended */
static long take(char *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&in_lock);
	pull_locked();
	size_t n = len < ring_len ? len : ring_len;
	for (size_t i = 0; i < n; i++)
		buf[i] = ring[(ring_head + i) % IN_RING];
	ring_head = (ring_head + n) % IN_RING;
	ring_len -= n;
	long r = n ? (long)n : eof ? -1 : 0;
	spin_unlock_irqrestore(&in_lock, flags);
	return r;
}

long console_read(char *buf, size_t len)
{
	if (!len)
		return 0;
	for (;;) {
		long n = take(buf, len);
		if (n)
			return n;
		wait_for_input();
	}
}

/* The ^C thread: takes input as it arrives, so that a ^C is seen while
 * nobody reads the console; readers find the rest in the ring. It ends
 * with the input (a closed standard input on linuxu). */
static void *sigint_thread(void *arg)
{
	(void)arg;
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&in_lock);
		size_t added = pull_locked();
		int done = eof;
		spin_unlock_irqrestore(&in_lock, flags);
		if (added) {
			if (IS_ENABLED(CONFIG_POLL))
				file_poll_notify();
			sem_post(&rx_ready); /* a reader waiting for it */
		}
		if (done)
			return NULL;
		wait_for_input();
	}
}

static int console_sigint_init(void)
{
	if (!IS_ENABLED(CONFIG_CONSOLE_SIGINT))
		return 0;
	struct thread_attr a = {.name = "console", .detached = 1, .flags = THREAD_F_PROTECTED};
	return thread_spawn(&a, sigint_thread, NULL) < 0 ? -ENOMEM : 0;
}
INITCALL(INITCALL_APP, console_sigint_init);

/* A post that finds the count already positive would only make a later
 * wait return at once and find nothing: skip it, which also keeps a flood
 * of interrupts from overflowing the count. */
void console_rx_notify(void)
{
	int v;

	if (IS_ENABLED(CONFIG_POLL))
		file_poll_notify();
	if (sem_getvalue(&rx_ready, &v) == 0 && v > 0)
		return;
	sem_post(&rx_ready);
}
