/* Fault injection under test (CONFIG_FAULT_INJECT; tests/run.sh sweeps N):
 * a worker runs work_step() five times, each allocating a buffer it uses
 * without a check, as much C does. An injected allocation failure makes it
 * fault on NULL, an injected panic in work_step ends it the other way;
 * either way it is restarted and finishes, and the system goes on.
 * Prints "inject_test: ok, F faults" when the work was done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/fault.h>
#include <kernel/thread.h>

static volatile int steps_done, finished;
static char *volatile sink; /* keeps the compiler from dropping the buffer */

/* Global: inject=call:work_step:N finds it by name. */
void work_step(int i);
__attribute__((noinline)) void work_step(int i)
{
	char *buf = malloc(256 + i * 100);

	memset(buf, 'a' + i, 256); /* NULL when the allocation failed: a fault */
	sink = buf;
	steps_done++;
	free(sink);
}

static void *worker(void *arg)
{
	(void)arg;
	while (steps_done < 5)
		work_step(steps_done);
	finished = 1;
	return NULL;
}

int main(void)
{
	struct thread_attr a = {
	    .name = "worker", .detached = 1, .restart_max = THREAD_RESTART_ALWAYS};

	if (thread_spawn(&a, worker, NULL) < 0) {
		printf("inject_test: spawn failed\n");
		return 1;
	}
	/* A hang guard (30,000 sleeps): a loaded host may make it slow. */
	for (int i = 0; i < 30000 && !finished; i++)
		thread_sleep_ms(1);
	printf("inject_test: %s, %llu faults\n", finished ? "ok" : "FAILED",
	       (unsigned long long)fault_count());
	return finished ? 0 : 1;
}
