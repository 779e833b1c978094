/* For the terminal session test of the watchdog (tests/shell/
 * session_watchdog): a thread above the terminal's priority loops without
 * ever waiting, in every life, restarted always. With CONFIG_WATCHDOG it
 * is caught each budget (20 ms here) and restarted after a pause of one
 * budget, and the terminal answers meanwhile; without it the terminal
 * never runs again on one CPU. main() returns and the terminal keeps the
 * system running. */
#include <kernel/thread.h>
#include <kernel/watchdog.h>
#include <platform.h>

static volatile unsigned long spins;

/* Never waits; reads the clock now and then (see recovery_watchdog's
 * spin_forever: a host slow to interrupt a spinning process). */
static void *spinner(void *arg)
{
	(void)arg;
	for (;;)
		if (!(++spins & 0xffff))
			(void)plat_time_ns();
	return NULL;
}

int main(void)
{
	struct thread_attr a = {
	    .name = "spinner", .priority = 20, .detached = 1, .restart_max = THREAD_RESTART_ALWAYS};

	watchdog_set_budget(0, WATCHDOG_EXEMPT); /* a loaded host must not fail it */
	thread_spawn(&a, spinner, NULL);
	return 0;
}
