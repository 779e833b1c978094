/*
 * Blocking console input for threads (include/kernel/console.h). The
 * platform's read never blocks; a reader that finds nothing waits on a
 * semaphore that the console's receive interrupt posts. The wait also
 * times out every CONSOLE_POLL_MS, so input is still seen on a machine
 * whose console interrupt is not routed (or a platform that never calls
 * console_rx_notify()), only later.
 */
#include <errno.h>
#include <semaphore.h>
#include <time.h>
#include <kernel/compiler.h>
#include <kernel/console.h>
#include <kernel/file.h>
#include <kernel/initcall.h>
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

/* One byte taken from the platform by console_poll(), not yet read. */
static int pushback = -1;

int console_poll(void)
{
	char c;

	if (pushback >= 0)
		return 1;
	long n = plat_console_read(&c, 1);
	if (n == 1)
		pushback = (unsigned char)c;
	return n != 0; /* a byte, or the end of input: a read will not wait */
}

long console_read(char *buf, size_t len)
{
	if (!len)
		return 0;
	if (pushback >= 0) {
		buf[0] = (char)pushback;
		pushback = -1;
		return 1;
	}
	for (;;) {
		long n = plat_console_read(buf, len);
		if (n)
			return n;
		wait_for_input();
	}
}

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
