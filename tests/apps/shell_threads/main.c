/* For the terminal's session tests (tests/shell/session_threads): a thread
 * that kill and run may act on, sleeping until woken. main() then returns
 * and the terminal keeps the system running. */
#include <stdio.h>
#include <kernel/thread.h>

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		thread_sleep_ms(60000);
	return NULL;
}

int main(void)
{
	/* Above the terminal's priority, so it is asleep before the terminal
	 * reads its first command. */
	const struct thread_attr attr = {.name = "sleeper", .priority = 12, .detached = 1};
	int tid = thread_spawn(&attr, sleeper, NULL);

	if (tid < 0) {
		printf("shell_threads: thread_spawn failed (%d)\n", tid);
		return 1;
	}
	return 0;
}
