/* For the terminal's session test of `faults` and `ps` (tests/shell/
 * session_faults): a worker, above the terminal's priority, crashes on a
 * NULL pointer three times and is restarted each time; its fourth life
 * sleeps. main() returns and the terminal keeps the system running. */
#include <kernel/thread.h>

static volatile int lives;
static volatile int zero;

__attribute__((noinline)) static void crash_null(void)
{
	*(volatile int *)(long)zero = 1;
}

static void *worker(void *arg)
{
	(void)arg;
	if (++lives <= 3)
		crash_null();
	for (;;)
		thread_sleep_ms(60000);
	return NULL;
}

int main(void)
{
	struct thread_attr a = {
	    .name = "worker", .priority = 20, .detached = 1, .restart_max = THREAD_RESTART_ALWAYS};

	thread_spawn(&a, worker, NULL);
	while (lives < 4)
		thread_sleep_ms(1);
	return 0;
}
