/* Fault injection reaches start-up and every allocation entry point
 * (tests/recovery/mm.sh runs it with inject= options):
 *  - a start-up hook allocates (inject=alloc:1 fails it: the hook reports
 *    ENOMEM and the boot goes on without it), then starts a thread
 *    "early" that uses its allocation unchecked, as a careless driver
 *    thread would (inject=alloc:1:early crashes it; it is restarted);
 *  - the thread "worker" calls malloc, realloc, posix_memalign,
 *    aligned_alloc, calloc, memalign, strdup in turn and says which one
 *    failed (inject=alloc:N:worker); a failed realloc keeps its block.
 * Prints "recovery_mm_inject: ok" when everything finished. */
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/fault.h>
#include <kernel/initcall.h>
#include <kernel/thread.h>

void *memalign(size_t align, size_t size);

static volatile int hook_result = 1, early_done, worker_done;
static char *volatile sink;

static void *early(void *arg)
{
	volatile char *b = malloc(100);

	(void)arg;
	b[0] = 1; /* NULL when the allocation failed: a fault */
	free((char *)(uintptr_t)b);
	early_done = 1;
	return NULL;
}

static int early_hook(void)
{
	struct thread_attr a = {.name = "early", .detached = 1};
	char *p = malloc(64);

	if (!p) {
		hook_result = -ENOMEM;
		return -ENOMEM;
	}
	free(p);
	hook_result = 0;
	return thread_spawn(&a, early, NULL) < 0 ? -EAGAIN : 0;
}
INITCALL(INITCALL_DRIVER, early_hook);

static const char *const names[] = {
    "", "malloc", "realloc", "posix_memalign", "aligned_alloc", "calloc", "memalign", "strdup"};

/* @retval the number of the call that failed, or 0 */
static int allocate_all(void)
{
	char *p = malloc(32), *q;
	void *r = NULL;

	if (!p)
		return 1;
	strcpy(p, "kept");
	q = realloc(p, 4000);
	if (!q) {
		if (strcmp(p, "kept"))
			printf("recovery_mm_inject: realloc lost its block\n");
		free(p);
		return 2;
	}
	free(q);
	if (posix_memalign(&r, 64, 100))
		return 3;
	free(r);
	if (!(sink = aligned_alloc(64, 128)))
		return 4;
	free(sink);
	if (!(sink = calloc(4, 16)))
		return 5;
	free(sink);
	if (!(sink = memalign(32, 48)))
		return 6;
	free(sink);
	if (!(sink = strdup("x")))
		return 7;
	free(sink);
	return 0;
}

static void *worker(void *arg)
{
	(void)arg;
	int k = allocate_all();

	if (k)
		printf("recovery_mm_inject: worker: %s failed (%s)\n", names[k],
		       k == 3 || errno == ENOMEM ? "ENOMEM" : "?");
	else
		printf("recovery_mm_inject: worker: nothing failed\n");
	worker_done = 1;
	return NULL;
}

int main(void)
{
	struct thread_attr a = {.name = "worker", .detached = 1};

	thread_spawn(&a, worker, NULL);
	for (int i = 0; i < 5000 && (!worker_done || (!hook_result && !early_done)); i++)
		thread_sleep_ms(1);
	printf("recovery_mm_inject: hook: %s\n", hook_result == -ENOMEM ? "ENOMEM"
						 : hook_result		? "did not run"
									: "ok");
	if (!hook_result)
		printf("recovery_mm_inject: early: %s after %llu faults\n",
		       early_done ? "done" : "NOT DONE", (unsigned long long)fault_count());
	int ok = worker_done && (hook_result || early_done);
	printf("recovery_mm_inject: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
